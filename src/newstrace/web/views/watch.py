"""The Watch page and /api/watch: the sources `newstrace watch` follows, their health,
last and next fetch, and counts (read only; the watcher itself runs from the CLI)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from newstrace.store import Store
from newstrace.store.watch import item_states, list_sources
from newstrace.web.rendering import render
from newstrace.web.views.common import get_store

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]


class WatchSourceOut(BaseModel):
    """One watched source."""

    id: int
    url: str
    name: str | None
    kind: str
    every_seconds: float
    paused: bool
    healthy: bool
    created_at: str
    last_fetch: str | None
    next_fetch: str | None
    last_status: str | None
    last_error: str | None
    failures: int
    fetches: int
    items: int
    ingested: int


class WatchOut(BaseModel):
    """Every watched source, and how many items are pending, done and failed."""

    sources: list[WatchSourceOut]
    items: dict[str, int]


def _watch(store: Store) -> dict[str, Any]:
    return {
        "sources": [source.to_dict() for source in list_sources(store)],
        "items": item_states(store),
    }


@router.get("/watch", response_class=HTMLResponse, include_in_schema=False)
def watch_page(request: Request, store: StoreDep) -> HTMLResponse:
    """The watched sources with their health."""
    found = _watch(store)
    return render(request, "watch.html", sources=found["sources"], items=found["items"])


@router.get("/api/watch", tags=["watch"])
def api_watch(store: StoreDep) -> WatchOut:
    """The sources `newstrace watch` follows: kind, interval, health (unhealthy after
    three failed fetches in a row), last and next fetch (UTC), items seen and articles
    stored; and the items pending, done and failed."""
    return WatchOut.model_validate(_watch(store))
