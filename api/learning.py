"""GET /api/learning: the learning library (reviews, their cited points, themes and counts),
and its briefing downloads (Markdown and Word)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.briefing import briefing_docx, briefing_markdown
from qa.catalogue import Catalogue, engine_catalogue, grid
from qa.themes import LABELS, TAXONOMY

router = APIRouter(prefix="/api")
MAX_Q = 200
MAX_VALUES = 50


class PointOut(BaseModel):
    id: str
    type: Literal["learning", "action"]
    review: str = Field(..., description="The review's name or pseudonym (\"Child Q\"), else its kind and year.")
    review_kind: str
    entry_kind: str = Field(..., description="The kind as this report describes it (a rapid review before its CSPR).")
    partnership: str
    period: str
    doc_id: str
    source: str
    title: str
    page: int
    quote: str
    quote_start: int = Field(..., description="Offset of the quote in the document's clean text.")
    quote_end: int
    themes: list[str]


class ThemeOut(BaseModel):
    key: str
    label: str
    description: str


class CellOut(BaseModel):
    partnership: str
    theme: str
    theme_label: str
    period: str
    count: int


class ReviewOut(BaseModel):
    review: str
    kind: str
    partnership: str
    entries: list[dict]


class LearningOut(BaseModel):
    themes: list[ThemeOut]
    kinds: list[str]
    partnerships: list[str]
    periods: list[str]
    reviews: list[ReviewOut]
    grid: list[CellOut]
    points: list[PointOut]


def catalogue_of(request: Request) -> Catalogue:
    """The engine's catalogue (qa.catalogue.engine_catalogue), shared with learning answers."""
    return engine_catalogue(request.app.state.engine)


def _check(name: str, values: list[str], allowed: set[str] | None = None) -> list[str]:
    if len(values) > MAX_VALUES:
        raise HTTPException(status_code=422, detail=f"{name}: at most {MAX_VALUES} values")
    if allowed is not None:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise HTTPException(status_code=422, detail=f"{name}: unknown value '{unknown[0]}'; one of {', '.join(sorted(allowed))}")
    return values


def _selected(request: Request, theme, kind, partnership, period, q, ids=()) -> tuple[Catalogue, list[dict]]:
    if len(q) > MAX_Q:
        raise HTTPException(status_code=422, detail=f"q: at most {MAX_Q} characters")
    cat = catalogue_of(request)
    _check("theme", theme, set(LABELS))
    _check("kind", kind)
    _check("partnership", partnership)
    _check("period", period)
    _check("ids", list(ids))
    return cat, cat.select(theme, kind, partnership, period, q, ids)


@router.get("/learning", response_model=LearningOut, summary="The learning library: reviews, cited learning points, themes")
def learning(request: Request,
             theme: list[str] = Query([], description="Theme keys (see `themes`); a point with any of them passes."),
             kind: list[str] = Query([], description="Review kinds, e.g. 'rapid review'."),
             partnership: list[str] = Query([], description="Partnership names, as /api/documents gives them."),
             period: list[str] = Query([], description="Reporting periods, e.g. '2023-24'."),
             q: str = Query("", description="Words that must all occur in the point, its review or partnership.")) -> dict:
    cat, points = _selected(request, theme, kind, partnership, period, q)
    return {
        "themes": [{"key": t.key, "label": t.label, "description": t.description} for t in TAXONOMY]
        + [{"key": "other", "label": LABELS["other"], "description": "learning outside the themes above"}],
        "kinds": sorted({r["kind"] for r in cat.reviews}),
        "partnerships": sorted({r["partnership"] for r in cat.reviews}),
        "periods": sorted({p["period"] for p in cat.points if p["period"]}),
        "reviews": [r for r in cat.reviews if not partnership or r["partnership"] in partnership],
        "grid": grid(points),
        "points": points,
    }


def _briefing_points(request, theme, kind, partnership, period, q, ids) -> list[dict]:
    _, points = _selected(request, theme, kind, partnership, period, q, ids)
    if not points:
        raise HTTPException(status_code=404, detail="no learning points match; choose at least one point or widen the filters")
    return points


@router.get("/learning/briefing.md", summary="The selected learning points as a Markdown briefing",
            response_class=Response, responses={200: {"content": {"text/markdown": {}}}})
def briefing_md(request: Request, theme: list[str] = Query([]), kind: list[str] = Query([]),
                partnership: list[str] = Query([]), period: list[str] = Query([]), q: str = Query(""),
                ids: list[str] = Query([], description="Point ids; none: every point the filters pass.")) -> Response:
    text = briefing_markdown(_briefing_points(request, theme, kind, partnership, period, q, ids), theme)
    return Response(text.encode("utf-8"), media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="learning-briefing.md"'})


@router.get("/learning/briefing.docx", summary="The selected learning points as a Word briefing",
            response_class=Response,
            responses={200: {"content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}})
def briefing_word(request: Request, theme: list[str] = Query([]), kind: list[str] = Query([]),
                  partnership: list[str] = Query([]), period: list[str] = Query([]), q: str = Query(""),
                  ids: list[str] = Query([], description="Point ids; none: every point the filters pass.")) -> Response:
    data = briefing_docx(_briefing_points(request, theme, kind, partnership, period, q, ids), theme)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": 'attachment; filename="learning-briefing.docx"'})
