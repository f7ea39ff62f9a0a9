"""A trainer's handout: learning points grouped by theme, each cited (report, year, page), and
a source list at the end; as Markdown or as a Word file (python-docx)."""

from __future__ import annotations

import io

from qa.themes import LABELS

TITLE = "Learning from reviews: briefing"


def citation(p: dict) -> str:
    """"Annual Report 2022-23 (Northfield ...), 2022-23, p. 5"."""
    who = f" ({p['partnership']})" if p.get("partnership") else ""
    return f"{p['title']}{who}, {p['period']}, p. {p['page']}"


def grouped(points: list[dict], themes: list[str] | None = None) -> list[tuple[str, list[dict]]]:
    """(theme label, points) in taxonomy order; a point with several themes is under each
    (each of ``themes`` only, when given: the themes the trainer chose)."""
    out = []
    for key, label in LABELS.items():
        if themes and key not in themes:
            continue
        ps = [p for p in points if key in p["themes"]]
        if ps:
            out.append((label, sorted(ps, key=lambda p: (p["period"], p["review"], p["quote_start"]))))
    return out


def sources(points: list[dict]) -> list[str]:
    """Each report the points cite, once: "title (partnership), period: source"."""
    seen = {}
    for p in points:
        seen.setdefault(p["doc_id"], f"{p['title']} ({p['partnership']}), {p['period']}: {p['source']}")
    return sorted(seen.values())


def briefing_markdown(points: list[dict], themes: list[str] | None = None) -> str:
    if not points:
        raise ValueError("a briefing needs at least one point")
    lines = [f"# {TITLE}", ""]
    for label, ps in grouped(points, themes):
        lines += [f"## {label}", ""]
        for p in ps:
            what = "Action" if p["type"] == "action" else "Learning"
            lines.append(f"- **{p['review']}** ({p['review_kind']}, {p['period']}) — {what}: \"{p['quote']}\" [{citation(p)}]")
        lines.append("")
    lines += ["## Sources", ""] + [f"- {s}" for s in sources(points)] + [""]
    return "\n".join(lines)


def briefing_docx(points: list[dict], themes: list[str] | None = None) -> bytes:
    from docx import Document as Word

    if not points:
        raise ValueError("a briefing needs at least one point")
    doc = Word()
    doc.add_heading(TITLE, level=0)
    for label, ps in grouped(points, themes):
        doc.add_heading(label, level=1)
        for p in ps:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"{p['review']}").bold = True
            para.add_run(f" ({p['review_kind']}, {p['period']}) — {'Action' if p['type'] == 'action' else 'Learning'}: ")
            para.add_run(f"\u201c{p['quote']}\u201d")
            para.add_run(f" [{citation(p)}]").italic = True
    doc.add_heading("Sources", level=1)
    for s in sources(points):
        doc.add_paragraph(s, style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
