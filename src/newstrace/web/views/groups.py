"""The ledger by proposition: claim groups with corroboration counts, and the
contradictions between sources with both sides and their evidence."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.analysis.contradictions import Contradiction
from newstrace.analysis.group_pages import GroupView, group, matching_groups
from newstrace.errors import NotFoundError
from newstrace.store import Store
from newstrace.store.filters import Page
from newstrace.web.analysis import AnalysisCache
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    Offset,
    PageOut,
    Text,
    blank,
    get_analysis,
    get_store,
    page_out,
    slice_page,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
MinItems = Annotated[int, Query(ge=2, le=100_000, description="Smallest group shown.")]
KindParam = Annotated[
    Literal["denial", "retraction", "figure", ""] | None,
    Query(description="denial, retraction or figure."),
]
GroupLimit = Annotated[int, Query(ge=1, le=100, description="Groups per page.")]


MAX_MEMBERS = 50


def _groups(
    store: Store,
    analysis: AnalysisCache,
    about: str | None,
    min_items: int,
    limit: int,
    offset: int,
) -> Page[GroupView]:
    found = analysis.groups()
    if min_items > 2:
        found = [g for g in found if g.items >= min_items]
    if about:
        ids = matching_groups(store, about)
        found = [g for g in found if g.id in ids]
    return slice_page(found, limit, offset)


@router.get("/claims/groups", response_class=HTMLResponse, include_in_schema=False)
def groups_page(
    request: Request,
    store: StoreDep,
    analysis: AnalysisDep,
    about: Text = None,
    min_items: MinItems = 2,
    limit: GroupLimit = 20,
    offset: Offset = 0,
) -> HTMLResponse:
    """Propositions stated in several articles, most repeated first."""
    page = _groups(store, analysis, blank(about), min_items, limit, offset)
    return render(
        request, "groups.html", page=page, about=about or "", min_items=min_items, tab="groups"
    )


@router.get("/claims/groups/{group_id}", response_class=HTMLResponse, include_in_schema=False)
def group_page(
    request: Request, store: StoreDep, analysis: AnalysisDep, group_id: str
) -> HTMLResponse:
    """One proposition: every article that states it, who it is credited to."""
    found = _group(store, analysis, group_id)
    return render(request, "group.html", group=found, tab="groups")


def _group(store: Store, analysis: AnalysisCache, group_id: str) -> GroupView:
    kept = next((g for g in analysis.groups() if g.id == group_id), None)
    found = kept or group(store, group_id)
    if found is None:
        raise NotFoundError(f"{group_id}: no such claim group")
    return found


@router.get("/api/groups", response_model=PageOut, tags=["claims"])
def api_groups(
    store: StoreDep,
    analysis: AnalysisDep,
    about: Annotated[str | None, Query(max_length=200, description="Text in a claim.")] = None,
    min_items: MinItems = 2,
    limit: GroupLimit = 20,
    offset: Offset = 0,
) -> PageOut:
    """Claim groups of two or more items, largest first: items, articles, outlets,
    original sources, first and last seen, and the first 50 members."""
    page = _groups(store, analysis, blank(about), min_items, limit, offset)
    return page_out(page, [g.to_dict(MAX_MEMBERS) for g in page.items])


@router.get("/api/groups/{group_id}", tags=["claims"])
def api_group(store: StoreDep, analysis: AnalysisDep, group_id: str) -> dict[str, Any]:
    """One claim group with all its members and their evidence spans."""
    return _group(store, analysis, group_id).to_dict()


def _contradictions(analysis: AnalysisCache, kind: str | None) -> list[Contradiction]:
    found = analysis.contradictions()
    return [c for c in found if c.kind == kind] if kind else found


@router.get("/claims/contradictions", response_class=HTMLResponse, include_in_schema=False)
def contradictions_page(
    request: Request,
    analysis: AnalysisDep,
    kind: KindParam = None,
    limit: GroupLimit = 20,
    offset: Offset = 0,
) -> HTMLResponse:
    """Where sources disagree, both sides side by side."""
    page = slice_page(_contradictions(analysis, blank(kind)), limit, offset)
    return render(request, "contradictions.html", page=page, kind=kind or "", tab="contradictions")


@router.get("/api/contradictions", response_model=PageOut, tags=["claims"])
def api_contradictions(
    analysis: AnalysisDep, kind: KindParam = None, limit: GroupLimit = 20, offset: Offset = 0
) -> PageOut:
    """Denials, retractions and conflicting figures: side A, side B, evidence of each."""
    page = slice_page(_contradictions(analysis, blank(kind)), limit, offset)
    return page_out(page, [contradiction_dict(c, MAX_MEMBERS) for c in page.items])


def contradiction_dict(found: Contradiction, max_members: int) -> dict[str, Any]:
    """A contradiction as JSON, each side cut to its first `max_members` members."""
    return {
        "kind": found.kind,
        "group_id": found.group_id,
        "side_a_total": len(found.asserted),
        "side_b_total": len(found.disputed_by),
        "side_a": [m.to_dict() for m in found.asserted[:max_members]],
        "side_b": [m.to_dict() for m in found.disputed_by[:max_members]],
    }
