"""Question collections: a partnership's reports with questions about them.

``bundled`` is the five reports in ``data/reports`` with ``evals/questions.jsonl``, split into
train and test by ``evals.split``. Every folder ``data/collections/<name>/`` holding a
``collection.json`` is another collection: its PDFs are that partnership's reports and its
questions are test only. What a rephrasing needs to know about the partnership (its name,
area and short names) is read from ``collection.json``, never written in code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from evals.split import TEST, assign

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = "bundled"
ALL = "all"
COLLECTIONS_DIR = ROOT / "data" / "collections"


@dataclass(frozen=True)
class Collection:
    """One partnership's reports and questions (see the module docstring)."""

    name: str
    folder: Path
    questions: Path
    partnership: str
    area_names: tuple[str, ...]
    short_names: tuple[str, ...]
    split: str  # "hash": by evals.split; "test": every question is test

    def report_files(self) -> list[Path]:
        """The collection's reports: the PDFs directly in its folder, sorted."""
        return sorted(self.folder.glob("*.pdf"))

    def splits(self, ids: list[str]) -> dict[str, str]:
        """Split of each question id."""
        return assign(ids) if self.split == "hash" else dict.fromkeys(ids, TEST)

    @property
    def names(self) -> tuple[str, ...]:
        """Every way a question may name the partnership, longest first."""
        return tuple(sorted({self.partnership, *self.area_names, *self.short_names}, key=len, reverse=True))


def _read(path: Path, folder: Path) -> Collection:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Collection(
            name=data["name"], folder=folder, questions=path.parent / data["questions"],
            partnership=data["partnership"], area_names=tuple(data.get("area_names", ())),
            short_names=tuple(data.get("short_names", ())), split=data.get("split", "test"),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a valid collection file ({exc.__class__.__name__}: {exc})") from exc


def load_collections(root: Path = ROOT) -> dict[str, Collection]:
    """``bundled`` first, then every ``data/collections/*/collection.json`` by name."""
    found = {BUNDLED: _read(root / "evals" / "bundled.json", root / "data" / "reports")}
    for path in sorted((root / "data" / "collections").glob("*/collection.json")):
        c = _read(path, path.parent)
        if c.name in found:
            raise ValueError(f"{path}: a collection named '{c.name}' already exists")
        found[c.name] = c
    return found


def pick(name: str, root: Path = ROOT) -> list[Collection]:
    """The collections ``--collection NAME`` runs: one by name, or every one for ``all``."""
    known = load_collections(root)
    if name == ALL:
        return list(known.values())
    if name not in known:
        raise ValueError(f"unknown collection '{name}'; use one of: {', '.join([*known, ALL])}")
    return [known[name]]
