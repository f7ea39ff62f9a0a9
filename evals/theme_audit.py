"""Audit of the theme keywords: for each alternative of each theme's regular expression, how
many pages of the bundled reports and of Hartwell's (the test collection) it matches.

An alternative that matches Hartwell's text but none of the bundled text was not learned from the
bundled reports; unless it is the field's standard vocabulary (the national Panel's and Working
Together's terms), it may have been lifted from the test collection and is removed
(docs/learning.md lists what went).

    .venv/bin/python -m evals.theme_audit              # every alternative, one line each
    .venv/bin/python -m evals.theme_audit --suspect    # only those matching Hartwell and no bundled page
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ingest.load import load_document
from qa.themes import TAXONOMY

FOLDERS = {"bundled": Path("data/reports"), "hartwell": Path("data/collections/hartwell")}


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (``a|(b|c)d`` -> ``a``, ``(b|c)d``)."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class may hold '|' and parentheses literally
            i = pattern.index("]", i + 2 if pattern[i + 1:i + 2] == "]" else i + 1) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


@dataclass(frozen=True)
class Row:
    theme: str
    alternative: str
    pages: dict[str, int]  # collection -> pages matched

    @property
    def suspect(self) -> bool:
        """Matches the test collection and nothing bundled."""
        return self.pages.get("hartwell", 0) > 0 and self.pages.get("bundled", 0) == 0


def page_texts_of(path: Path) -> list[str]:
    """Each page's text, whitespace made single spaces (a phrase may break across lines)."""
    return [" ".join(p.text.split()) for p in load_document(path).pages]


def page_texts(folder: Path) -> list[str]:
    return [t for path in sorted(folder.glob("*.pdf")) for t in page_texts_of(path)]


def audit(pages: dict[str, list[str]]) -> list[Row]:
    rows = []
    for t in TAXONOMY:
        for alt in alternatives(t.keywords):
            rx = re.compile(alt, re.IGNORECASE)
            rows.append(Row(t.key, alt, {c: sum(bool(rx.search(p)) for p in ps) for c, ps in pages.items()}))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suspect", action="store_true", help="only alternatives matching Hartwell and no bundled page")
    args = ap.parse_args(argv)
    pages = {c: page_texts(f) for c, f in FOLDERS.items()}
    rows = audit(pages)
    print(f"pages: bundled {len(pages['bundled'])}, hartwell {len(pages['hartwell'])}")
    for r in rows:
        if args.suspect and not r.suspect:
            continue
        flag = "  <- hartwell only" if r.suspect else ""
        print(f"{r.theme:22} bundled {r.pages['bundled']:3} hartwell {r.pages['hartwell']:3}  {r.alternative}{flag}")
    print(f"{sum(r.suspect for r in rows)} of {len(rows)} alternatives match Hartwell and no bundled page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
