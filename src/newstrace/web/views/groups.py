"""The ledger by proposition: claim groups with corroboration counts, and the
contradictions between sources with both sides and their evidence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from newstrace.analysis.contradictions import Contradiction
from newstrace.analysis.group_pages import GroupView, group, group_views, stance_counts
from newstrace.errors import NotFoundError
from newstrace.models import Stance
from newstrace.store import Store
from newstrace.store.contradictions import ContradictionFilter
from newstrace.store.filters import Page
from newstrace.store.items import GroupQuery
from newstrace.store.reads.facets import Facet, counted
from newstrace.web.analysis import AnalysisCache
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    Download,
    EntityRef,
    Offset,
    PageLimit,
    PageOut,
    Text,
    blank,
    entity_filter,
    facet_links,
    get_analysis,
    get_store,
    page_response,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
MinItems = Annotated[int, Query(ge=2, le=100_000, description="Smallest group shown.")]
KindParam = Annotated[
    Literal["denial", "dispute", "retraction", "negation", "figure", ""] | None,
    Query(description="denial, dispute, retraction, negation or figure."),
]
DisputeStance = Annotated[
    Literal["deny", "dispute", "assert", ""] | None,
    Query(description="Stance of the disputing side (assert: figures and negations)."),
]
EntityParam = Annotated[
    str | None,
    Query(max_length=200, description="An actor of either side: entity id, name or alias."),
]
SeriesParam = Annotated[
    str | None, Query(max_length=200, description="Text in a figure series key ('troops').")
]
ConfidenceParam = Annotated[float, Query(ge=0, le=1, description="Least confidence shown.")]
SortParam = Annotated[
    Literal["confidence", "date"], Query(description="Most certain first, or newest first.")
]


MAX_MEMBERS = 50

GroupStance = Annotated[
    Stance | Literal[""] | None,
    Query(description="Groups with a member of this stance."),
]
GroupSort = Annotated[
    Literal["size", "date"], Query(description="Largest first, or last seen newest first.")
]


def _query(
    store: Store,
    about: str | None,
    min_items: int,
    entity: str | None,
    stance: str | None,
    series: str | None,
    sort: str,
) -> GroupQuery:
    """The groups the filters of a request keep (empty form fields mean none)."""
    return GroupQuery(
        min_items, blank(stance), blank(series), blank(about), entity_filter(store, entity),
        sort,
    )  # fmt: skip


def _stance_facet(store: Store, query: GroupQuery) -> Facet:
    """The stances of the members of the groups the other filters keep (a group counts
    under each stance it holds: its link shows the groups with a member of that stance)."""
    return counted("stance", stance_counts(store, replace(query, stance=None)))


@router.get("/claims/groups", response_class=HTMLResponse, include_in_schema=False)
def groups_page(
    request: Request,
    store: StoreDep,
    limit: PageLimit,
    about: Text = None,
    entity: EntityRef = None,
    stance: GroupStance = None,
    series: SeriesParam = None,
    sort: GroupSort = "size",
    min_items: MinItems = 2,
    offset: Offset = 0,
) -> HTMLResponse:
    """Propositions stated in several articles, most repeated first."""
    query = _query(store, about, min_items, entity, stance, series, sort)
    return render(
        request, "groups.html", page=group_views(store, query, limit, offset),
        about=about or "", min_items=min_items, wanted=query, tab="groups",
        facet_list=facet_links(request, [_stance_facet(store, query)]),
    )  # fmt: skip


@router.get("/claims/groups/{group_id}", response_class=HTMLResponse, include_in_schema=False)
def group_page(request: Request, store: StoreDep, group_id: str) -> HTMLResponse:
    """One proposition: every article that states it, who it is credited to."""
    found = _group(store, group_id)
    return render(request, "group.html", group=found, tab="groups")


def _group(store: Store, group_id: str) -> GroupView:
    found = group(store, group_id)
    if found is None:
        raise NotFoundError(f"{group_id}: no such claim group")
    return found


@router.get("/api/groups", response_model=PageOut, tags=["claims"])
def api_groups(
    store: StoreDep,
    limit: PageLimit,
    about: Annotated[str | None, Query(max_length=200, description="Text in a claim.")] = None,
    entity: EntityRef = None,
    stance: GroupStance = None,
    series: SeriesParam = None,
    sort: GroupSort = "size",
    min_items: MinItems = 2,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """Claim groups of two or more items, largest first (or, `sort=date`, last seen
    newest first): items, articles, outlets, original sources, first and last seen, and
    the first 50 members; with `entity`, the groups where it speaks or that name it;
    with `stance`, those with a member of that stance; with `series`, those with a
    figure whose series key holds that text; ``format=csv``: the same rows as CSV."""
    query = _query(store, about, min_items, entity, stance, series, sort)
    page = group_views(store, query, limit, offset)
    return page_response(page, [g.to_dict(MAX_MEMBERS) for g in page.items], format, "groups")


@router.get("/api/groups/{group_id}", tags=["claims"])
def api_group(store: StoreDep, group_id: str) -> dict[str, Any]:
    """One claim group with all its members and their evidence spans."""
    return _group(store, group_id).to_dict()


@dataclass(frozen=True)
class ContradictionQuery:
    """The filters of the contradictions page and API, as given."""

    kind: str | None = None
    stance: str | None = None
    entity: str | None = None
    series: str | None = None
    min_confidence: float = 0.0
    sort: str = "confidence"

    def form(self) -> dict[str, Any]:
        """The values to show in the filter form ("" for unset)."""
        return {k: ("" if v is None else v) for k, v in self.__dict__.items()}


def contradiction_query(
    kind: KindParam = None,
    stance: DisputeStance = None,
    entity: EntityParam = None,
    series: SeriesParam = None,
    min_confidence: ConfidenceParam = 0.0,
    sort: SortParam = "confidence",
) -> ContradictionQuery:
    """The contradiction filters of a request (empty form fields mean none)."""
    return ContradictionQuery(
        blank(kind), blank(stance), blank(entity), blank(series), min_confidence, sort
    )


QueryDep = Annotated[ContradictionQuery, Depends(contradiction_query)]


def _wanted(analysis: AnalysisCache, query: ContradictionQuery) -> ContradictionFilter:
    entity_id = analysis.reader.entity_id(query.entity) if query.entity else None
    return ContradictionFilter(
        query.kind, query.stance, entity_id, query.series, query.min_confidence, query.sort
    )


def _contradictions(
    analysis: AnalysisCache, wanted: ContradictionFilter, limit: int, offset: int
) -> Page[Contradiction]:
    """One page of the stored contradictions `wanted` keeps (`MAX_MEMBERS` a side)."""
    found = analysis.reader.contradictions_of(wanted, limit, offset, MAX_MEMBERS)
    return Page(list(found), found.total, limit, offset)


@router.get("/claims/contradictions", response_class=HTMLResponse, include_in_schema=False)
def contradictions_page(
    request: Request,
    analysis: AnalysisDep,
    query: QueryDep,
    limit: PageLimit,
    offset: Offset = 0,
) -> HTMLResponse:
    """Where sources disagree, both sides side by side, with the reason and confidence,
    with the kinds and the disputing side's stances of those the filters keep."""
    wanted = _wanted(analysis, query)
    facets = analysis.reader.contradiction_facets(wanted)  # stored tallies: no wait
    return render(
        request, "contradictions.html", page=_contradictions(analysis, wanted, limit, offset),
        query=query.form(), tab="contradictions", facet_list=facet_links(request, facets),
    )  # fmt: skip


@router.get("/api/contradictions", response_model=PageOut, tags=["claims"])
def api_contradictions(
    analysis: AnalysisDep,
    query: QueryDep,
    limit: PageLimit,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """Denials, disputes, retractions, negations and conflicting figures: the reason,
    confidence, date and actors of each side, and side A and side B with the evidence
    of each member; ``format=csv``: the same rows as CSV."""
    page = _contradictions(analysis, _wanted(analysis, query), limit, offset)
    items = [contradiction_dict(c, MAX_MEMBERS) for c in page.items]
    return page_response(page, items, format, "contradictions")


def contradiction_dict(found: Contradiction, max_members: int) -> dict[str, Any]:
    """A contradiction as JSON, each side cut to its first `max_members` members."""
    side_a, side_b = found.side_totals
    return {
        **found.head(),
        "side_a_total": side_a,
        "side_b_total": side_b,
        "side_a": [m.to_dict() for m in found.asserted[:max_members]],
        "side_b": [m.to_dict() for m in found.disputed_by[:max_members]],
    }
