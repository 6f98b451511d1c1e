"""Polite fetching for `newstrace watch`: robots.txt, a per-host pace and cap, validators.

Every request goes through `url.fetch_url` (its SSRF guard, size cap and deadline). On
top of it: robots.txt is read once per host (protego; kept `ROBOTS_TTL` seconds) and a
disallowed URL is never requested; requests to one host are at least the host interval
apart (or the robots.txt Crawl-delay, when longer) and at most `concurrency` at a time;
conditional GET sends the validators of the last answer. Time comes from a `Clock`, so
tests run without waiting.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

from newstrace.errors import FetchError, HTTPStatusError
from newstrace.settings import Settings
from newstrace.sources.decoding import HTML_TYPES
from newstrace.sources.url import FetchedPage, fetch_url

ROBOTS_TTL = 3600.0
"""Seconds a host's robots.txt is kept before it is read again."""

XML_TYPES = frozenset(
    {
        "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
        "application/rdf+xml", "application/x-rss+xml", "application/feed+json",
    }
)  # fmt: skip
WATCH_TYPES = HTML_TYPES | XML_TYPES | {"text/plain"}
"""MIME types a watched source or its articles may have."""

_ROBOTS_AGENT = "newstrace"
_MAX_RETRY_AFTER = 86_400.0


class Clock(Protocol):
    """Where the watcher's time comes from (the real one, or a test's)."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` (a test's clock just moves on)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`."""
        if seconds > 0:
            time.sleep(seconds)


@dataclass(frozen=True)
class Validators:
    """The ETag and Last-Modified of the last answer, sent back on the next request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers."""
        found = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {k: v for k, v in found.items() if v}


@dataclass
class _Host:
    """One host's robots.txt, pace and cap."""

    robots: Protego | None = None
    robots_read: float = float("-inf")
    next_allowed: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)
    slots: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(1))


@dataclass
class PoliteFetcher:
    """Fetches for the watcher, shared by its threads; `requests` logs every request
    made as (time, URL), for reports and tests."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    interval: float = 1.0
    concurrency: int = 1
    requests: list[tuple[float, str]] = field(default_factory=list)
    _hosts: dict[str, _Host] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fetch(self, url: str, validators: Validators | None = None) -> FetchedPage:
        """`url` fetched politely (conditionally with `validators`); raises `FetchError`
        (`HTTPStatusError` for an error status, a robots.txt refusal as a FetchError)."""
        if not self.allowed(url):
            raise FetchError(url, "disallowed by robots.txt")
        return self._get(url, (validators or Validators()).headers())

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets newstrace fetch `url` (fetched when not known)."""
        robots = self._robots(url)
        return robots is None or bool(robots.can_fetch(url, _ROBOTS_AGENT))

    def sitemaps(self, url: str) -> list[str]:
        """The sitemaps the robots.txt of `url`'s host names."""
        robots = self._robots(url)
        return [] if robots is None else list(robots.sitemaps)

    def _get(self, url: str, headers: dict[str, str]) -> FetchedPage:
        host = self._host(url)
        with host.slots, self._paced(host, url):
            with self._lock:
                self.requests.append((self.clock.now(), url))
            return fetch_url(url, self.settings, headers=headers, accept=WATCH_TYPES)

    @contextmanager
    def _paced(self, host: _Host, url: str) -> Iterator[None]:
        """Wait for the host's next free moment, and book the one after."""
        with host.lock:
            wait = host.next_allowed - self.clock.now()
            host.next_allowed = max(host.next_allowed, self.clock.now()) + self._delay(host)
        self.clock.sleep(wait)
        yield

    def _delay(self, host: _Host) -> float:
        delay = host.robots.crawl_delay(_ROBOTS_AGENT) if host.robots is not None else None
        return max(self.interval, float(delay or 0.0))

    def _host(self, url: str) -> _Host:
        key = _host_key(url)
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(slots=threading.Semaphore(max(1, self.concurrency)))
            return self._hosts[key]

    def _robots(self, url: str) -> Protego | None:
        host = self._host(url)
        if self.clock.now() - host.robots_read < ROBOTS_TTL:
            return host.robots
        robots_url = f"{_host_key(url)}/robots.txt"
        try:
            page = self._get(robots_url, {})
            text = page.body.decode(page.charset or "utf-8", "replace")
            host.robots = Protego.parse(text)
        except HTTPStatusError as exc:  # 4xx: no rules; 5xx: assume nothing is allowed
            host.robots = Protego.parse("User-agent: *\nDisallow: /") if exc.status >= 500 else None
        except FetchError:
            host.robots = None  # unreachable: the fetch of the page itself will say so
        host.robots_read = self.clock.now()
        return host.robots


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped at a
    day; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return float(min(max(0.0, when - now), _MAX_RETRY_AFTER))


def backoff(
    failures: int, every: float, cap: float, rand: Callable[[], float] = random.random
) -> float:
    """Seconds before the next try after `failures` failed fetches in a row: a minute
    (or the interval, when shorter) doubled per failure, at most `cap`, with 20 % jitter
    either way so that sources failing together do not retry together."""
    base = min(cap, min(every, 60.0) * 2.0 ** max(0, failures - 1))
    return base * (0.8 + 0.4 * rand())
