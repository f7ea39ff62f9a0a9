"""Raw pages out of .txt, .md and .html files.

Text files have no pages; a form feed (``\\f``) starts a new one, as pdftotext writes them.
Markdown headings are kept as heading lines; HTML tables (on their own or inside markdown)
become one readable line per row, "cell | cell | cell".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ingest.errors import IngestError

MAX_TEXT_BYTES = 50 * 1024 * 1024


def read_text(path: Path) -> str:
    """Decode a text file as UTF-8 (with or without BOM), naming the file when it is not."""
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path.name, "the file is empty")
    if len(data) > MAX_TEXT_BYTES:
        raise IngestError(path.name, f"the file is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            path.name, f"the text is not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})"
        ) from exc


class _HTMLToText(HTMLParser):
    """Block-aware HTML to text: headings become '# ' lines, table rows 'a | b | c'."""

    BLOCK = {"p", "div", "section", "article", "li", "ul", "ol", "br", "blockquote", "header", "footer"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    SKIP = {"script", "style", "head", "title", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in self.HEADINGS:
            self.out.append("\n\n# ")
        elif tag == "li":
            self.out.append("\n• ")
        elif tag in self.BLOCK or tag == "table":
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            cells = [c for c in self.row if c]
            if cells:
                self.out.append("\n" + " | ".join(cells) + "\n")
            self.row = None
        elif tag in self.HEADINGS or tag in self.BLOCK or tag == "table":
            self.out.append("\n\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.out.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment or page."""
    parser = _HTMLToText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_TABLE_RE = re.compile(r"<table\b.*?</table>", re.IGNORECASE | re.DOTALL)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def markdown_to_text(md: str) -> str:
    """Markdown to plain text: HTML tables to rows, emphasis marks dropped, headings kept."""
    md = _TABLE_RE.sub(lambda m: "\n\n" + html_to_text(m.group(0)) + "\n\n", md)
    md = _MD_EMPHASIS.sub(r"\2", md)
    lines = []
    for line in md.splitlines():
        stripped = line.strip()
        # Markdown pipe tables: drop the |---| rule and the outer pipes.
        if re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", stripped):
            continue
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            line = " | ".join(c.strip() for c in stripped.strip("|").split("|"))
        lines.append(line)
    return "\n".join(lines)


def extract_text_pages(path: Path) -> tuple[list[str], str]:
    """Raw pages and a title ("" if none) from a .txt, .md or .html file."""
    text = read_text(path)
    suffix = path.suffix.lower()
    title = ""
    if suffix in (".html", ".htm"):
        m = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        title = " ".join(m.group(1).split()) if m else ""
        text = html_to_text(text)
    elif suffix in (".md", ".markdown"):
        text = markdown_to_text(text)
    pages = text.split("\f")
    if not any(p.strip() for p in pages):
        raise IngestError(path.name, "the file has no text")
    return pages, title
