"""Work derived from the indexed chunks, kept until the index changes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def per_chunks(store, attr: str, build: Callable[[], T], on: object | None = None) -> T:
    """``build()``, kept as ``attr`` on ``on`` (default: the store) beside the store's chunk list,
    which every change of the index replaces: the next call after a change builds again."""
    holder = store if on is None else on
    cached = getattr(holder, attr, None)
    if cached is None or cached[0] is not store.chunks:
        cached = (store.chunks, build())
        setattr(holder, attr, cached)
    return cached[1]


def cached_per_chunks(attr: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A function of the store whose result is kept as ``attr`` on it (``per_chunks``)."""
    def wrap(build: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(build)
        def get(store) -> T:
            return per_chunks(store, attr, lambda: build(store))
        return get
    return wrap
