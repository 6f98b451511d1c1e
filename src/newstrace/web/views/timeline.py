"""The timeline of a topic: dated mentions across articles, with their claims."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from newstrace.store import Store
from newstrace.web.queries.common import ArticleFilter
from newstrace.web.queries.timeline import TimelineItem, timeline
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    DateParam,
    Limit,
    Offset,
    PageOut,
    Text,
    blank,
    get_store,
    page_out,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(
    request: Request,
    store: StoreDep,
    q: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> HTMLResponse:
    """Dated mentions oldest first, grouped by month; `q` narrows to a topic."""
    page = timeline(
        store, ArticleFilter(search=blank(q)), blank(since), blank(until), limit, offset
    )
    months: dict[str, list[TimelineItem]] = {}
    for item in page.items:
        months.setdefault(item.value[:7], []).append(item)
    return render(
        request,
        "timeline.html",
        page=page,
        months=months,
        q=q or "",
        since=since or "",
        until=until or "",
    )


def item_dict(item: TimelineItem) -> dict[str, Any]:
    """A timeline entry as JSON."""
    data = {k: v for k, v in item.__dict__.items() if k != "claim"}
    data["claim"] = item.claim.to_dict() if item.claim else None
    return data


@router.get("/api/timeline", response_model=PageOut, tags=["timeline"])
def api_timeline(
    store: StoreDep,
    q: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> PageOut:
    """Resolved dates (TIMEX3 values) oldest first, each with the claim it dates."""
    page = timeline(
        store, ArticleFilter(search=blank(q)), blank(since), blank(until), limit, offset
    )
    return page_out(page, [item_dict(i) for i in page.items])
