"""Figures: the quantities counted across articles and the history chart of one: every
reported value, one series per kind of source, each point linked to its evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.analysis.history import HISTORY_LIMIT
from newstrace.store import Store
from newstrace.web.analysis import AnalysisCache
from newstrace.web.queries.figures import SERIES_LABELS, charted, series, units
from newstrace.web.rendering import render
from newstrace.web.svg import SERIES_COLOURS, figure_chart
from newstrace.web.views.common import (
    Limit,
    Offset,
    PageOut,
    blank,
    get_analysis,
    get_store,
    page_out,
    slice_page,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
About = Annotated[
    str | None,
    Query(max_length=200, description='Counted unit or words: "troops", "troops|soldiers".'),
]
FirstOnly = Annotated[bool, Query(description="Leave out repeats of an earlier report.")]


@router.get("/figures", response_class=HTMLResponse, include_in_schema=False)
def figures_page(
    request: Request,
    store: StoreDep,
    analysis: AnalysisDep,
    about: About = None,
    unit: About = None,
    first_only: FirstOnly = False,
    limit: Limit = 200,
    offset: Offset = 0,
) -> HTMLResponse:
    """Units to choose from; with `about` (or the old `unit`), its history chart and a
    page of the reports behind it (the HISTORY_LIMIT most recent)."""
    counted = units(store)
    chosen = blank(about) or blank(unit) or (counted[0].unit if counted else None)
    points = analysis.figures(chosen, first_only) if chosen else []
    drawn = charted(points)
    return render(
        request,
        "figures.html",
        units=counted,
        about=chosen,
        first_only=first_only,
        page=slice_page(points, limit, offset),
        drawn=len(drawn),
        series=series(drawn),
        series_labels=SERIES_LABELS,
        series_colours=SERIES_COLOURS,
        chart=figure_chart(drawn),
        capped=HISTORY_LIMIT if len(points) >= HISTORY_LIMIT else None,
    )


@router.get("/api/figures/units", tags=["figures"])
def api_units(store: StoreDep) -> list[dict[str, Any]]:
    """Counted units by how many reported figures count them."""
    return [dict(u.__dict__) for u in units(store)]


@router.get("/api/figures", response_model=PageOut, tags=["figures"])
def api_figures(
    analysis: AnalysisDep,
    about: Annotated[
        str, Query(min_length=1, max_length=200, description='Unit or words: "troops".')
    ],
    first_only: FirstOnly = False,
    limit: Limit = 500,
    offset: Offset = 0,
) -> PageOut:
    """The history of one quantity, oldest first: value, bounds, qualifier, source and
    source type, whether it repeats an earlier report, and the evidence spans; the 1,000
    most recent reports at most."""
    page = slice_page(analysis.figures(about.strip(), first_only), limit, offset)
    return page_out(page, [p.to_dict() for p in page.items])
