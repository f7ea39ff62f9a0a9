"""A seeded, deterministic collection of N synthetic partnership reports as PDFs.

Each report is derived from one report in the repo (the bundled PDFs in data/reports and the
Hartwell texts in data/collections/hartwell/text): its place names and acronyms replaced by
invented ones built from the word lists in data/scale/names.json, its years moved to the new
report's period, its figures scaled (percentages shifted), its sections after the first put in
another order and cut to a few pages, and printed with a running header and a "Page N of M"
footer. Partnerships publish YEARS reports each, in consecutive years. Report i depends only on
the seed and i, so the first 50 of 500 are the 50 of a run with N=50.

    python -m evals.scalegen --reports 50 --out var/scale/reports
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from evals.pdfwrite import layout, write_pdf

ROOT = Path(__file__).resolve().parents[1]
NAMES = ROOT / "data" / "scale" / "names.json"
YEARS = 4  # reports per partnership
FIRST_YEAR, LAST_START = 2014, 2021  # a partnership's first reporting year lies in this range
WORDS = (2500, 5500)  # a report's length in words, drawn per report
SCALE = (0.6, 1.6)  # figures are multiplied by a factor drawn per report
PCT_SHIFT = 6  # percentages move by at most this many points
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_NUMBER = re.compile(r"(?<![\w.,$])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[-/–]\d{2,4})?%?(?![\w])")
_YEAR = re.compile(r"^(19|20)(\d{2})(?:([-/–])(\d{2}|\d{4}))?$")


@dataclass(frozen=True)
class Source:
    """One report in the repo as title, start year and sections of (text, is_heading) paragraphs."""

    name: str
    title: str
    start: int
    sections: tuple[tuple[tuple[str, bool], ...], ...]
    replace: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Report:
    """What was generated: file, title, partnership, period and the source it came from."""

    file: str
    title: str
    partnership: str
    period: str
    source: str
    pages: int


def _sections(paragraphs: list[tuple[str, bool]]) -> tuple:
    out: list[list[tuple[str, bool]]] = [[]]
    for text, heading in paragraphs:
        if heading and out[-1]:
            out.append([])
        out[-1].append((text, heading))
    return tuple(tuple(s) for s in out if s)


def _from_pdf(path: Path, replace: dict) -> Source:
    from ingest.clean import clean_pages
    from ingest.metadata import detect_period, guess_title
    from ingest.pdf import extract_pdf_pages

    raw, meta_title = extract_pdf_pages(path)
    paragraphs = [(b.text, b.heading) for page in clean_pages(raw) for b in page]
    text = "\n".join(t for t, _ in paragraphs)
    title = guess_title(meta_title, text[:2000].split("\n"), path.stem)
    period = detect_period(title, text)
    return Source(path.name, title, int(period[:4]), _sections(paragraphs), tuple(replace.items()))


def _from_text(path: Path, replace: dict) -> Source:
    lines = path.read_text(encoding="utf-8").split("\n")
    title = lines[0].lstrip("# ").strip()
    paragraphs, para = [], []
    for line in lines[1:] + [""]:
        if line.startswith("#") or line.startswith("|") or not line.strip():
            if para:
                paragraphs.append((" ".join(para), False))
                para = []
            if line.startswith("#"):
                paragraphs.append((line.lstrip("# ").strip(), True))
            elif line.startswith("|") and not set(line) <= set("|- :"):
                paragraphs.append(("  ".join(c.strip() for c in line.strip("|").split("|")), False))
        else:
            para.append(line.strip())
    start = int(re.search(r"(20\d{2})", title).group(1))
    return Source(path.name, title, start, _sections(paragraphs), tuple(replace.items()))


@lru_cache(maxsize=1)
def sources(root: Path = ROOT) -> tuple[tuple[Source, ...], dict]:
    """The repo's reports, read once, and the word lists."""
    names = json.loads((root / "data" / "scale" / "names.json").read_text(encoding="utf-8"))
    found = []
    for spec in names["sources"]:
        # longest names first, so "X and Y" is replaced before "X"
        replace = dict(sorted(spec["replace"].items(), key=lambda kv: -len(kv[0])))
        for path in sorted(root.glob(spec["glob"])):
            found.append(_from_pdf(path, replace) if path.suffix == ".pdf" else _from_text(path, replace))
    if not found:
        raise ValueError(f"no source reports found under {root} (see {NAMES})")
    return tuple(found), names


def place_names(rng: random.Random, words: dict, k: int = 5) -> list[str]:
    """``k`` distinct invented place names."""
    out: list[str] = []
    while len(out) < k:
        name = rng.choice(words["first"]) + rng.choice(words["second"])
        if name not in out:
            out.append(name)
    out[0] += rng.choice(words["suffixes"])
    return out


def _fields(places: list[str]) -> dict[str, str]:
    keys = "ABCDE"
    f = {k: p for k, p in zip(keys, places)}
    f.update({k.lower(): p[0] for k, p in zip(keys, places)})
    f.update({f"{k}_UPPER": p.upper() for k, p in zip(keys, places)})
    return f


def _shift_year(m: re.Match, delta: int) -> str:
    year = int(m.group(1) + m.group(2)) + delta
    end = m.group(4)
    if not end:
        return str(year)
    moved = (int(end) + delta) % 100 if len(end) == 2 else int(end) + delta
    return f"{year}{m.group(3)}{moved:02d}"


def transform(text: str, replace: tuple, fields: dict, delta: int, factor: float, pct: int) -> str:
    """Names replaced, years moved by ``delta``, figures scaled by ``factor``, percentages by ``pct``."""
    for old, new in replace:
        text = re.sub(rf"\b{re.escape(old)}\b", new.format(**fields), text)

    def number(m: re.Match) -> str:
        token = m.group(0)
        year = _YEAR.match(token)
        if year and 1990 <= int(token[:4]) <= 2035:
            return _shift_year(year, delta)
        if text[m.end():m.end() + 10].lstrip().startswith(_MONTHS) or re.search(r"[-/–]", token):
            return token  # a day of a date, or a range: left as it is
        body = token.rstrip("%")
        value = float(body.replace(",", ""))
        if token.endswith("%"):
            return f"{min(100, max(0, round(value) + pct))}%"
        if value < 10:
            return token
        scaled = value * factor
        decimals = len(body.split(".")[1]) if "." in body else 0
        return f"{scaled:,.{decimals}f}" if "," in body else f"{scaled:.{decimals}f}"

    return _NUMBER.sub(number, text)


def make_report(i: int, seed: int, out: Path, root: Path = ROOT) -> Report:
    """Write report ``i`` of the seeded collection into ``out``."""
    srcs, words = sources(root)
    partner = i // YEARS
    prng = random.Random(f"{seed}:partnership:{partner}")
    places = place_names(prng, words)
    first_year = prng.randint(FIRST_YEAR, LAST_START)
    rng = random.Random(f"{seed}:report:{i}")
    src = srcs[rng.randrange(len(srcs))]
    start = first_year + i % YEARS
    args = (src.replace, _fields(places), start - src.start, rng.uniform(*SCALE), rng.randint(-PCT_SHIFT, PCT_SHIFT))
    title = transform(src.title, *args)
    rest = list(src.sections[1:])
    rng.shuffle(rest)
    budget, body = rng.randint(*WORDS), []
    for section in [src.sections[0]] + rest:
        body += [(transform(t, *args), h) for t, h in section]
        if sum(len(t.split()) for t, _ in body) >= budget:
            break
    pages = layout([(title, True)] + body)
    period = f"{start}-{(start + 1) % 100:02d}"
    slug = re.sub(r"[^a-z0-9]+", "-", places[0].lower()).strip("-")
    name = f"{i:04d}_{slug}_{period}.pdf"
    write_pdf(out / name, pages, title=title, header=title)
    return Report(name, title, places[0], period, src.name, len(pages))


def generate(out: Path, n: int, seed: int = 13, root: Path = ROOT) -> list[Report]:
    """Write reports 0..n-1 into ``out`` (created), and ``collection.json`` describing them."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    out.mkdir(parents=True, exist_ok=True)
    reports = [make_report(i, seed, out, root) for i in range(n)]
    (out / "collection.json").write_text(
        json.dumps({"seed": seed, "reports": [r.__dict__ for r in reports]}, indent=1), encoding="utf-8")
    return reports


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - command line
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args(argv)
    reports = generate(a.out, a.reports, a.seed)
    print(f"{len(reports)} reports, {sum(r.pages for r in reports)} pages in {a.out}")


if __name__ == "__main__":  # pragma: no cover
    main()
