"""The timeline of a topic or an entity: claims in the order of what happened (the
claim's own date, else the publication date), from the analysis."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from newstrace.analysis.groups import Member
from newstrace.analysis.history import HISTORY_LIMIT
from newstrace.analysis.matching import NO_OUTLET, NO_OUTLET_LABEL
from newstrace.store import Store
from newstrace.store.reads.entities import canonical
from newstrace.store.reads.facets import Facet, tallied
from newstrace.web.analysis import AnalysisCache
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    Download,
    EntityRef,
    Offset,
    PageLimit,
    PageOut,
    ResultsDep,
    StanceParam,
    Text,
    blank,
    entity_filter,
    entity_page_of,
    facet_links,
    get_analysis,
    get_store,
    page_response,
    slice_page,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]


def _members(analysis: AnalysisCache, q: str | None, entity: str | None) -> list[Member]:
    return analysis.timeline(q, entity) if q or entity else []


def _outlet(m: Member) -> str:
    """The outlet facet's value: the outlet key, or NO_OUTLET for every article that has
    no outlet (one "(no outlet)" value, not one per article)."""
    key = m.outlet_key
    return NO_OUTLET if key.startswith(NO_OUTLET) else key


def _kept(members: list[Member], stance: str | None, outlet: str | None) -> list[Member]:
    """The members of one stance and one outlet (either None: any)."""
    return [
        m
        for m in members
        if (not stance or m.stance == stance) and (not outlet or _outlet(m) == outlet)
    ]


def _facets(members: list[Member], stance: str | None, outlet: str | None) -> list[Facet]:
    """Stance and outlet of the timeline's claims, each counted with the other filter
    kept (its link replaces its own value and keeps the other): what the link shows."""
    return [
        tallied("stance", ([m.stance] for m in _kept(members, None, outlet))),
        tallied(
            "outlet",
            ([_outlet(m)] for m in _kept(members, stance, None)),
            labels={NO_OUTLET: NO_OUTLET_LABEL},
        ),
    ]


def _months(members: list[Member]) -> dict[str, list[Member]]:
    months: dict[str, list[Member]] = {}
    for m in members:
        months.setdefault((m.event_date or "undated")[:7], []).append(m)
    return months


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(
    request: Request,
    store: StoreDep,
    analysis: AnalysisDep,
    results: ResultsDep,
    limit: PageLimit,
    q: Text = None,
    entity: EntityRef = None,
    stance: StanceParam = None,
    outlet: Text = None,
    offset: Offset = 0,
) -> HTMLResponse:
    """Claims about `q` (words in the claim) or about an entity, by month, with
    facets (stance, outlet)."""
    topic, entity_id = blank(q), entity_filter(store, entity)
    everything = _members(analysis, topic, entity_id)
    kept = (blank(stance), blank(outlet))
    page = slice_page(_kept(everything, *kept), limit, offset)
    found = canonical(store, entity_id) if entity_id else None
    return render(
        request,
        "timeline.html",
        page=page,
        months=_months(page.items),
        q=topic or "",
        entity=found,
        entity_id=entity_id or "",
        suggestions=[]
        if topic or entity_id
        else entity_page_of(store, results, None, None, 12, 0).items,
        capped=HISTORY_LIMIT if len(everything) >= HISTORY_LIMIT else None,
        facet_list=facet_links(request, _facets(everything, *kept)),
    )


@router.get("/api/timeline", response_model=PageOut, tags=["timeline"])
def api_timeline(
    store: StoreDep,
    analysis: AnalysisDep,
    limit: PageLimit,
    q: Text = None,
    entity: EntityRef = None,
    stance: StanceParam = None,
    outlet: Text = None,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """Claims about a topic (`q`) or an entity, ordered by the date of what happened;
    empty without either; the 1,000 with the most recent dates at most; of one
    `stance` or `outlet` (its key, as the page's facet gives it); ``format=csv``: the
    same rows as CSV."""
    members = _members(analysis, blank(q), entity_filter(store, entity))
    page = slice_page(_kept(members, blank(stance), blank(outlet)), limit, offset)
    return page_response(page, [m.to_dict() for m in page.items], format, "timeline")
