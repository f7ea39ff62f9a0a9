"""The dense index: exact below the threshold, HNSW past it, and a filter applied inside the search."""

from __future__ import annotations

import numpy as np
import pytest

from index.dense import ANN_CANDIDATES, DenseIndex, token_batches


def unit(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_growing_and_keeping_rows_equals_building_anew():
    vecs = unit(3000)
    grown = DenseIndex(vecs[:10])
    for k in range(10, 3000, 700):
        grown.add(vecs[k:k + 700])
    q = unit(1, seed=1)[0]
    assert len(grown) == 3000 and np.allclose(grown.scores(q), vecs @ q)
    keep = list(range(0, 3000, 3))
    grown.keep(keep)
    assert np.allclose(grown.scores(q), vecs[keep] @ q)


def test_past_the_threshold_search_is_approximate_close_to_exact_and_filtered_inside():
    vecs = unit(5000)
    index = DenseIndex(vecs, ann_min=1000)
    assert index.approximate
    q = unit(1, seed=2)[0]
    exact = np.argsort(-(vecs @ q))[:20]
    got = index.scores(q)
    assert np.isfinite(got).sum() == ANN_CANDIDATES
    assert len(set(np.argsort(-got)[:20]) & set(exact)) >= 18
    wide = np.zeros(5000, dtype=bool)
    wide[::2] = True  # past the threshold: HNSW, with the filter inside the search
    filtered = index.scores(q, wide)
    assert set(np.flatnonzero(np.isfinite(filtered))) <= set(np.flatnonzero(wide))
    assert np.isfinite(filtered).sum() == ANN_CANDIDATES
    best = np.flatnonzero(wide)[np.argsort(-(vecs[wide] @ q))[:20]]
    assert len(set(np.argsort(-filtered)[:20]) & set(best)) >= 18
    narrow = np.zeros(5000, dtype=bool)
    narrow[::50] = True  # 100 rows: searched exactly, every one scored
    assert np.allclose(index.scores(q, narrow)[narrow], vecs[narrow] @ q)
    assert np.isinf(index.scores(q, narrow)[~narrow]).all()
    index.add(unit(10, seed=3))  # the graph grows in place
    assert len(index) == 5010 and np.isfinite(index.scores(q)).sum() == ANN_CANDIDATES


def test_token_batches_go_longest_first_within_the_budget():
    lengths = [5, 300, 40, 40, 10, 7, 120]
    batches = token_batches(lengths, budget=100)
    assert sorted(i for b in batches for i in b) == list(range(7))
    assert batches[:2] == [[1], [6]]  # longer than the budget: alone
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(lengths, reverse=True)
    assert all(len(b) * max(lengths[i] for i in b) <= 100 for b in batches[2:])
    assert len(batches) == 4  # [40, 40], [10, 7, 5]
    assert token_batches([], 10) == []
    with pytest.raises(ValueError, match="budget must be at least 1, not 0"):
        token_batches([3], 0)


def test_batched_encoding_gives_each_text_its_own_vector(embedder):
    texts = [
        "The partnership audited 40 cases of neglect.",
        "Training reached 1,200 staff across the area in the year, more than the year before, "
        "and the partnership's learning events were attended by schools, health and police.",
        "Neglect.",
        "The partnership audited 40 cases of neglect.",
        "Referrals rose by 8%.",
        "Schools took part.",
    ]
    together = embedder.encode(texts)
    alone = np.vstack([embedder.encode([t]) for t in texts])
    assert together.shape == (6, embedder.dim) and together.dtype == np.float32
    assert np.abs(together - alone).max() < 1e-5
    assert np.array_equal(together[0], together[3])
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)


def test_the_model_folder_must_be_a_mean_pooled_normalised_sentence_model(tmp_path):
    import json
    import shutil

    from index.dense import sentence_window
    from ingest.errors import IndexLoadError
    from ingest.tokens import model_path

    folder = tmp_path / "model"
    shutil.copytree(model_path(), folder, ignore=shutil.ignore_patterns("*.safetensors"))
    assert sentence_window(folder) == 256
    pooling = folder / "1_Pooling" / "config.json"
    cfg = json.loads(pooling.read_text())
    pooling.write_text(json.dumps({**cfg, "pooling_mode_cls_token": True}))
    with pytest.raises(IndexLoadError, match="is not a mean-pooled, normalised sentence model"):
        sentence_window(folder)
    pooling.write_text(json.dumps(cfg))
    modules = folder / "modules.json"
    modules.write_text(json.dumps(json.loads(modules.read_text())[:2]))
    with pytest.raises(IndexLoadError, match=r"\(Transformer, Pooling\)$"):
        sentence_window(folder)
    (folder / "sentence_bert_config.json").unlink()
    with pytest.raises(IndexLoadError, match="is incomplete"):
        sentence_window(folder)
