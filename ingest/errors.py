"""The project's few exception classes; every layer raises these, chained with ``from exc``."""

from __future__ import annotations


class ReportQAError(Exception):
    """Base class: anything a CLI or route turns into a one-line message."""


class IngestError(ReportQAError):
    """A file could not be read into pages; names the file, the page if known, and why."""

    def __init__(self, source: str, reason: str, page: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.page = page
        where = f"{source}, page {page}" if page is not None else source
        super().__init__(f"{where}: {reason}")


class IndexLoadError(ReportQAError):
    """An index directory is missing, damaged or built with other settings."""


class QueryError(ReportQAError):
    """A question or its filters are not acceptable."""
