"""Request and response models of the HTTP API (the /api/ask contract is kept stable)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: list[str] | None = None
    source: list[str] | None = None
    organisation: list[str] | None = Field(None, description="Partnership names or short forms, as /api/documents gives them.")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., description="The question, 1 to 2000 characters.")
    top_k: int = Field(5, ge=1, le=20)
    filters: Filters | None = None
    mode: Literal["answer", "learning"] = "answer"
    history: list[str] = Field(default_factory=list, description="Earlier questions, oldest first "
                               "(at most Settings.max_history_items, each of at most max_history_item_chars).")


class CitationOut(BaseModel):
    n: int
    source: str
    doc_id: str
    title: str
    period: str
    page: int
    section: str
    text: str
    quote: str
    score: float
    quote_start: int
    quote_end: int
    char_start: int
    char_end: int
    page_start: int
    page_end: int
    label: str
    chunk_id: str
    tags: list[str] = []
    organisation: str = Field("", description="The body whose document it is, as the document names it.")
    partnership: str = Field("", description="The partnership whose series of reports the document belongs to.")


class Timings(BaseModel):
    retrieve_ms: float
    total_ms: float


class AskResponse(BaseModel):
    answer: str
    answerable: bool
    citations: list[CitationOut]
    timings: Timings


class OrganisationOut(BaseModel):
    name: str = ""
    short_forms: list[str] = []
    area: str = ""
    councils: list[str] = []


class DocumentOut(BaseModel):
    doc_id: str
    source: str
    title: str
    period: str
    kind: str
    sha256: str
    n_pages: int
    n_chunks: int
    organisation: OrganisationOut = OrganisationOut()
    partnership: str = Field("", description="The partnership whose series of reports it belongs to: the value for filters.organisation.")


class PageOut(BaseModel):
    doc_id: str
    number: int
    text: str
    char_start: int
    char_end: int


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    model: str
    index: str
