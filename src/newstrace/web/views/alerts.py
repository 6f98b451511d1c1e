"""The Alerts page and /api/alerts: the alerts fired by `newstrace alert` rules, with
their delivery state (failed ones with their error), filtered by rule, status and
unread; marking alerts as read is the one thing it writes (refused when read-only)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from newstrace.alerts import now
from newstrace.store import Store
from newstrace.store import alerts as alert_queries
from newstrace.store.alerts import AlertFilter, Delivery
from newstrace.store.filters import Page
from newstrace.store.reads.facets import alert_facets
from newstrace.web.analysis import AnalysisCache
from newstrace.web.rendering import query_url, render
from newstrace.web.views.common import (
    Download,
    Offset,
    PageLimit,
    PageOut,
    blank,
    facet_links,
    get_analysis,
    get_store,
    page_response,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
Status = Literal["pending", "sending", "delivered", "failed"]
RuleParam = Annotated[str | None, Query(max_length=200, description="A rule's name or id.")]
StatusParam = Annotated[Status | None, Query(description="Only alerts in this state.")]
Unread = Annotated[bool, Query(description="Only alerts not marked as read.")]
MAX_IDS = 500


class AlertFilters(BaseModel):
    """The history's filters, declared once for the page and the API."""

    rule: str | None = None
    status: Status | None = None
    unread: bool = False
    limit: int
    offset: int = 0


def alert_filters(
    limit: PageLimit,
    rule: RuleParam = None,
    status: StatusParam = None,
    unread: Unread = False,
    offset: Offset = 0,
) -> AlertFilters:
    """The history's query parameters."""
    return AlertFilters(rule=blank(rule), status=status, unread=unread, limit=limit, offset=offset)


FiltersDep = Annotated[AlertFilters, Depends(alert_filters)]


def _history(analysis: AnalysisCache, f: AlertFilters) -> Page[Delivery]:
    return analysis.reader.alert_history(
        rule=f.rule, status=f.status, unread=f.unread, limit=f.limit, offset=f.offset
    )


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(
    request: Request, store: StoreDep, analysis: AnalysisDep, f: FiltersDep
) -> HTMLResponse:
    """The alert history, newest first, with the rules, facets (rule, status) and a
    form to mark as read."""
    with store.reading() as conn:
        counts = alert_queries.status_counts(conn)
    rules = analysis.reader.alert_rules()
    rule_id = analysis.reader.alert_rule(f.rule).id if f.rule else None
    found = alert_facets(
        store, AlertFilter(rule_id, f.status, f.unread), {r.id: r.name for r in rules}
    )
    return render(
        request,
        "alerts.html",
        page=_history(analysis, f),
        rules=rules,
        counts=counts,
        filters=f,
        back=query_url(request),
        facet_list=facet_links(request, found),
    )


@router.post("/alerts/read", include_in_schema=False)
async def alerts_read_form(request: Request, store: StoreDep) -> RedirectResponse:
    """Mark the alerts ticked in the form as read, then show the page again."""
    form = await request.form()
    ids = [int(v) for v in form.getlist("id") if isinstance(v, str) and v.isdigit()]
    _mark(request, store, ids[:MAX_IDS])
    back = form.get("back")
    target = back if isinstance(back, str) and back.startswith("/alerts") else "/alerts"
    return RedirectResponse(target, status_code=303)


def _mark(request: Request, store: Store, ids: list[int]) -> int:
    if request.app.state.config.read_only:
        raise HTTPException(403, "this server is read-only (started with --read-only)")
    with store.writing() as conn:
        return alert_queries.mark_read(conn, ids, now())


class RuleOut(BaseModel):
    """One alert rule (its secret never leaves the store)."""

    id: int
    name: str
    kind: str
    params: dict[str, Any]
    delivery: str
    target: str
    signed: bool
    created_at: str


class ReadIn(BaseModel):
    """Alerts to mark as read."""

    ids: list[int] = Field(max_length=MAX_IDS)


class ReadOut(BaseModel):
    """How many of them were unread."""

    marked: int


@router.get("/api/alerts", response_model=PageOut, tags=["alerts"])
def api_alerts(
    analysis: AnalysisDep, f: FiltersDep, format: Download = "json"
) -> PageOut | Response:
    """Alerts fired, newest first: each with its rule, evidence key, delivery state
    (pending, sending, delivered, failed with `last_error`), attempts, read flag, and
    the alert as delivered (`alert`: summary, url, evidence with spans); ``format=csv``:
    the same rows as CSV."""
    page = _history(analysis, f)
    return page_response(page, [d.to_dict() for d in page.items], format, "alerts")


@router.get("/api/alerts/rules", tags=["alerts"])
def api_alert_rules(analysis: AnalysisDep) -> list[RuleOut]:
    """The alert rules set with `newstrace alert add`."""
    return [RuleOut.model_validate(rule.to_dict()) for rule in analysis.reader.alert_rules()]


@router.post("/api/alerts/read", tags=["alerts"])
def api_alerts_read(request: Request, store: StoreDep, body: ReadIn) -> ReadOut:
    """Mark alerts (by id) as read; refused (403) by a read-only server."""
    return ReadOut(marked=_mark(request, store, body.ids))
