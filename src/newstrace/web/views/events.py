"""Political events (PLOVER): the listing with its filters, the counts per actor, type
and month, their JSON API, and CSV/JSON downloads of exactly what a page shows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from newstrace.errors import FilterError
from newstrace.store import Store
from newstrace.store.events_queries import (
    EVENT_TYPES,
    EventCell,
    EventFilter,
    event_counts,
    events_page,
    find_cell,
)
from newstrace.store.filters import Page, check_range
from newstrace.store.reads.facets import event_facets
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    DateParam,
    Download,
    EntityRef,
    Offset,
    PageLimit,
    PageOut,
    Text,
    blank,
    entity_filter,
    facet_links,
    get_store,
    page_response,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
TypeParam = Annotated[
    str | None, Query(max_length=20, description="A PLOVER event type (MOBILIZE, ACCUSE, ...).")
]
RoleParam = Annotated[
    Literal["source", "target"], Query(description="Count what actors did, or underwent.")
]
PeriodParam = Annotated[Literal["month", "year", "day"], Query(description="Counted per.")]


class EventQuery:
    """The filters of the events pages and API, declared once: type, actor (name, text
    or country code), entity (an id, name or alias), dates of the event, article, the
    events one count counts (`counted`: its id, as the counts give it)."""

    def __init__(
        self,
        store: StoreDep,
        type: TypeParam = None,
        actor: Text = None,
        entity: EntityRef = None,
        since: DateParam = None,
        until: DateParam = None,
        article: Text = None,
        source: Text = None,
        counted: Text = None,
    ) -> None:
        check_range(blank(since), blank(until))
        if blank(type) and str(type).upper() not in EVENT_TYPES:
            raise FilterError(f"type {type!r}: not a PLOVER type ({', '.join(EVENT_TYPES)})")
        self.form = {
            "type": type or "", "actor": actor or "", "entity": entity or "",
            "since": since or "", "until": until or "", "article": article or "",
            "source": source or "", "counted": counted or "",
        }  # fmt: skip
        wanted = blank(article)
        article_id = store.resolve_article_id(wanted) if wanted else None
        self.filters = EventFilter(
            blank(type), blank(actor), blank(since), blank(until),
            article_id=article_id, entity_id=entity_filter(store, entity), source=blank(source),
            cell=_cell(store, blank(counted)),
        )  # fmt: skip


def _cell(store: Store, counted: str | None) -> EventCell | None:
    """What the count `counted` counts; a filter error when no count has this id."""
    if counted is None:
        return None
    cell = find_cell(store, counted)
    if cell is None:
        raise FilterError(f"counted {counted!r}: no event count has this id")
    return cell


QueryDep = Annotated[EventQuery, Depends()]


def _items(page: Page[Any]) -> list[dict[str, Any]]:
    return [row.to_dict() for row in page.items]


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_list(
    request: Request, store: StoreDep, query: QueryDep, limit: PageLimit, offset: Offset = 0
) -> HTMLResponse:
    """Events newest first, filtered, with links to the same rows as CSV and JSON."""
    page = events_page(store, query.filters, limit, offset)
    found = facet_links(request, event_facets(store, query.filters))
    return render(
        request, "events.html", page=page, form=query.form, types=EVENT_TYPES, facet_list=found
    )


@router.get("/api/events", response_model=PageOut, tags=["events"])
def api_events(
    store: StoreDep,
    query: QueryDep,
    limit: PageLimit,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """PLOVER events, newest first (an event dated after its article sorts at the
    article's date), filtered and paginated; ``format=csv``: the same rows as CSV."""
    page = events_page(store, query.filters, limit, offset)
    return page_response(page, _items(page), format, "events")


class CountQuery:
    """What the counts pages and API count: the listing's filters, the actor's `role`
    (source: what it did; target: what it underwent) and the `period` counted per."""

    def __init__(
        self, query: QueryDep, role: RoleParam = "source", period: PeriodParam = "month"
    ) -> None:
        self.query, self.role, self.period = query, role, period

    def page(self, store: Store, limit: int, offset: int) -> Page[dict[str, Any]]:
        """One page of the counts."""
        f = self.query.filters
        rows = [
            c.to_dict() for c in event_counts(store, self.role, self.period, f.since, f.until, f)
        ]
        return Page(rows[offset : offset + limit], len(rows), limit, offset)


CountDep = Annotated[CountQuery, Depends()]


@router.get("/events/counts", response_class=HTMLResponse, include_in_schema=False)
def events_counts(
    request: Request, store: StoreDep, counted: CountDep, limit: PageLimit, offset: Offset = 0
) -> HTMLResponse:
    """Events per actor, type and month (or year), with the filters of the listing."""
    return render(
        request, "event_counts.html", page=counted.page(store, limit, offset),
        form=counted.query.form, types=EVENT_TYPES, role=counted.role, period=counted.period,
    )  # fmt: skip


@router.get("/api/events/counts", response_model=PageOut, tags=["events"])
def api_event_counts(
    store: StoreDep,
    counted: CountDep,
    limit: PageLimit,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """Events counted per actor (`role`: what it did, or underwent), type and `period`,
    negated events left out, with the filters of `/api/events`; ``format=csv``: as CSV."""
    page = counted.page(store, limit, offset)
    return page_response(page, page.items, format, "event-counts")
