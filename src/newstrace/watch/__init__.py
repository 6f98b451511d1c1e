"""`newstrace watch`: follow feeds, sitemaps and front pages, ingesting what is new.

Above the API in the layers (it ingests through `api.Store`, exactly as `newstrace
ingest` does) and below the front ends (`cli`); fetching and reading sources lives in
`sources` (`sources.polite`, `sources.watched`), the state in `store.watch`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newstrace.api import Store
from newstrace.errors import SettingsError
from newstrace.sources.polite import Clock, PoliteFetcher, SystemClock
from newstrace.sources.url import check_url
from newstrace.sources.watched import SOURCE_KINDS, as_kind, discover_feeds, sniff_kind
from newstrace.store import watch as state
from newstrace.store.watch import WatchSource
from newstrace.watch.runner import PassReport, Watcher

__all__ = ["PassReport", "Watcher", "add_source", "parse_every"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
MIN_EVERY = 10.0
"""Shortest interval a source may be fetched at, in seconds."""


def parse_every(value: str) -> float:
    """Seconds in an interval such as ``15m``, ``1h``, ``90s``, ``2d`` (a bare number:
    minutes); a `SettingsError` for anything else or under `MIN_EVERY` seconds."""
    match = _EVERY.fullmatch(value.strip().lower())
    if match is None:
        raise SettingsError(f"--every {value!r}: use a number and s, m, h or d (15m, 1h)")
    seconds = float(match.group(1)) * _UNITS[match.group(2) or "m"]
    if seconds < MIN_EVERY:
        raise SettingsError(f"--every {value!r}: at least {MIN_EVERY:g} seconds")
    return seconds


def add_source(
    store: Store,
    url: str,
    *,
    every: float,
    name: str | None = None,
    kind: str = "auto",
    clock: Clock | None = None,
) -> list[WatchSource]:
    """Watch `url`. With kind ``auto`` it is fetched once (politely) to tell a feed or
    a sitemap from a page; a home page whose feeds (linked from it) or sitemaps (named
    by its robots.txt) are found is watched through those instead; any other page is
    watched as a front page, its article links followed. Returns the sources added."""
    clock = clock or SystemClock()
    check_url(url, allow_private=True)  # an http(s) URL with a host (reachability: later)
    if kind != "auto":
        if kind not in SOURCE_KINDS:
            raise SettingsError(f"--kind {kind!r}: use auto, {', '.join(SOURCE_KINDS)}")
        return [state.add_source(store.database, url, kind, every, name, clock.now())]
    settings = store.settings
    fetcher = PoliteFetcher(settings, clock, interval=settings.watch_host_interval)
    page = fetcher.fetch(url)
    found = sniff_kind(page)
    if found != "page":
        return [state.add_source(store.database, url, found, every, name, clock.now())]
    discovered = _discovered(fetcher, page.url, discover_feeds(page))
    if not discovered or urlsplit(url).path.strip("/"):
        return [state.add_source(store.database, url, "page", every, name, clock.now())]
    return [
        state.add_source(store.database, link, as_kind(kind_found), every, _named(name, n),
                         clock.now())
        for n, (link, kind_found) in enumerate(discovered)
    ]  # fmt: skip


def _discovered(fetcher: PoliteFetcher, url: str, feeds: list[str]) -> list[tuple[str, str]]:
    """Feeds of a home page, else the sitemaps of its robots.txt, each with its kind."""
    if feeds:
        return [(feed, "feed") for feed in dict.fromkeys(feeds)]
    return [(sitemap, "sitemap") for sitemap in dict.fromkeys(fetcher.sitemaps(url))]


def _named(name: str | None, number: int) -> str | None:
    if name is None:
        return None
    return name if number == 0 else f"{name} ({number + 1})"
