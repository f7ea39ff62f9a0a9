"""Durable file writes and the clean-up of what a killed save leaves behind."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

SEGMENT_PREFIX = "seg-"
TEMP_PREFIX = ".tmp-"
LOCK_NAME = ".lock"
# Files of the one-directory layout (format 2) that a segmented save supersedes.
LEGACY_FILES = ("chunks.jsonl", "documents.jsonl", "vectors.faiss", "sentences.npy", "sentence_vectors.npy", "bm25")


def fsync_path(path: Path) -> None:
    """Flush a file's or a directory's entry to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes) -> None:
    """Write ``path`` through a temp file, fsynced, then renamed over it: all or nothing."""
    tmp = path.with_name(f"{TEMP_PREFIX}{path.name}-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_path(path.parent)


def fsync_tree(folder: Path) -> None:
    """fsync every file in ``folder`` and the folder itself."""
    for p in folder.iterdir():
        if p.is_file():
            fsync_path(p)
    fsync_path(folder)


@contextmanager
def writer_lock(folder: Path, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on the index folder for one writer; yields False when ``wait`` is off
    and another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_leftovers(folder: Path, live: set[str], legacy: bool) -> list[str]:
    """Delete temp folders and files of killed saves, segments the manifest does not name, and
    (``legacy``) the one-directory layout's files; also the old layout's ``.<name>_part-*``
    folders beside ``folder``. Returns what was removed, each logged."""
    removed = []
    candidates = []
    if folder.is_dir():
        for p in folder.iterdir():
            stale_segment = p.name.startswith(SEGMENT_PREFIX) and p.name not in live
            if p.name.startswith(TEMP_PREFIX) or stale_segment or (legacy and p.name in LEGACY_FILES):
                candidates.append(p)
    if folder.parent.is_dir():
        candidates += [p for p in folder.parent.glob(f".{folder.name}_part-*")]
        candidates += [p for p in folder.parent.glob(f".{folder.name}_old-*")]
    for p in candidates:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        logger.warning("removed %s, left by an earlier save that did not finish", p)
        removed.append(p.name)
    return removed
