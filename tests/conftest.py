"""Shared fixtures: the real bundled model and a real index of the bundled reports (built once)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"


@pytest.fixture(scope="session")
def embedder():
    from index.dense import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def bundled_index_dir(tmp_path_factory, embedder) -> Path:
    """An index of the five bundled PDFs, built once per test session; do not modify it."""
    from index.build import ingest_paths

    folder = tmp_path_factory.mktemp("bundled") / "index"
    _, report = ingest_paths([REPORTS], folder, embedder, progress=False)
    assert len(report.added) == 5 and not report.failed
    return folder


@pytest.fixture(scope="session")
def store(bundled_index_dir):
    from index.store import IndexStore

    return IndexStore.load(bundled_index_dir)


@pytest.fixture(scope="session")
def engine(store, embedder):
    from qa.engine import Engine

    return Engine(store, embedder)


@pytest.fixture()
def index_copy(bundled_index_dir, tmp_path) -> Path:
    """A private, writable copy of the bundled index."""
    dst = tmp_path / "index"
    shutil.copytree(bundled_index_dir, dst)
    return dst


HARTWELL = ROOT / "data" / "collections" / "hartwell"


@pytest.fixture(scope="session")
def two_partnership_dir(tmp_path_factory, bundled_index_dir, embedder) -> Path:
    """The bundled index with Hartwell's three reports added beside it (as ``reportqa eval
    --collection hartwell`` builds it), once per session; do not modify it."""
    from index.build import ingest_paths

    folder = tmp_path_factory.mktemp("two") / "index+hartwell"
    shutil.copytree(bundled_index_dir, folder)
    _, report = ingest_paths([REPORTS, *sorted(HARTWELL.glob("*.pdf"))], folder, embedder, progress=False)
    assert len(report.added) == 3 and not report.failed
    return folder


@pytest.fixture(scope="session")
def two_partnership_engine(two_partnership_dir, embedder):
    from index.store import IndexStore
    from qa.engine import Engine

    return Engine(IndexStore.load(two_partnership_dir), embedder)
