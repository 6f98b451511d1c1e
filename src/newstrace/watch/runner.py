"""The watcher: fetch the sources that are due, ingest what is new, schedule the next fetch.

One pass claims every due source (a lease in the store), fetches the sources in a
small thread pool (`watch_workers`; the `PoliteFetcher` keeps each host's pace, cap and
robots.txt), claims each new or changed item, fetches its page when the source did not
carry its text, and hands the documents to this thread, which ingests them one at a
time through `api.Store.ingest` — the path of `newstrace ingest`, so cleaning, dedupe,
extraction, storage, analysis and whatever runs after an ingest happen the same way.
A stop request finishes the article being ingested, gives back every lease and returns.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from newstrace.api import IngestReport, Store
from newstrace.errors import FetchError, HTTPStatusError
from newstrace.models import RawDocument, ReadFailure
from newstrace.sources.polite import Clock, PoliteFetcher, SystemClock, Validators, backoff
from newstrace.sources.polite import retry_after as retry_after_seconds
from newstrace.sources.url import FetchedPage, page_document
from newstrace.sources.watched import SourceContent, as_kind, read_source
from newstrace.store import watch as state
from newstrace.store.watch import FetchResult, WatchSource

MAX_BACKOFF = 6 * 3600.0
"""Longest wait before retrying a failing source."""

_MAX_CHILD_SITEMAPS = 20


@dataclass
class PassReport:
    """What one pass did: sources fetched, 304s, failures, and the ingest outcomes."""

    fetched: int = 0
    not_modified: int = 0
    source_failures: list[tuple[str, str]] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    item_failures: list[ReadFailure] = field(default_factory=list)
    retrying: list[ReadFailure] = field(default_factory=list)
    """Pages that could not be fetched this pass, tried again at the next one."""
    not_english: list[tuple[str, str]] = field(default_factory=list)
    stopped: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "sources_fetched": self.fetched,
            "not_modified": self.not_modified,
            "source_failures": [{"source": s, "reason": r} for s, r in self.source_failures],
            "articles": dict(sorted(self.outcomes.items())),
            "failed": [{"input": f.locator, "reason": f.reason} for f in self.item_failures],
            "retrying": [{"input": f.locator, "reason": f.reason} for f in self.retrying],
            "not_english": [{"id": a, "language": lang} for a, lang in self.not_english],
            "stopped": self.stopped,
        }


@dataclass
class _Work:
    """One source's pass, as the fetch thread leaves it for the ingest thread."""

    source: WatchSource
    result: FetchResult
    documents: list[tuple[str, RawDocument | ReadFailure]] = field(default_factory=list)
    retrying: list[ReadFailure] = field(default_factory=list)


class Watcher:
    """Follows the store's watched sources; `once` is one pass, `run` loops until `stop`."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        fetcher: PoliteFetcher | None = None,
        owner: str | None = None,
        on_article: Callable[[str, str], None] | None = None,
    ) -> None:
        """`on_article(outcome, locator)` is told each item's ingest outcome."""
        settings = store.settings
        self.store = store
        self.clock = clock or SystemClock()
        self.fetcher = fetcher or PoliteFetcher(
            settings,
            self.clock,
            interval=settings.watch_host_interval,
            concurrency=settings.watch_host_concurrency,
        )
        self.owner = owner or f"runner-{uuid.uuid4().hex[:12]}"
        self._db = store.database
        self._stop = threading.Event()
        self._notify = on_article or (lambda _outcome, _locator: None)

    def stop(self) -> None:
        """Finish the article being ingested, then return from `once` / `run`."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """Whether a stop was asked for."""
        return self._stop.is_set()

    def run(
        self, on_pass: Callable[[PassReport], None] | None = None, max_passes: int | None = None
    ) -> None:
        """Pass after pass until stopped (or `max_passes`), each report handed to
        `on_pass`, sleeping until the next source is due (in steps of at most a second,
        so a stop is seen)."""
        passes = 0
        while not self.stopping:
            report = self.once()
            if on_pass is not None:
                on_pass(report)
            passes += 1
            if max_passes is not None and passes >= max_passes:
                return
            self._wait_for_next()

    def once(self) -> PassReport:
        """One pass over the sources due now."""
        report = PassReport()
        now = self.clock.now()
        lease = self.store.settings.watch_lease
        due = state.due_sources(self._db, now)
        claimed = [s for s in due if state.claim_source(self._db, s.id, self.owner, now, lease)]
        try:
            self._pass(claimed, report)
        finally:
            state.release_leases(self._db, self.owner)
        report.stopped = self.stopping
        return report

    def _pass(self, claimed: list[WatchSource], report: PassReport) -> None:
        workers = max(1, min(self.store.settings.watch_workers, len(claimed) or 1))
        with ThreadPoolExecutor(workers, thread_name_prefix="newstrace-watch") as pool:
            futures: dict[Future[_Work], WatchSource] = {
                pool.submit(self._collect, source): source for source in claimed
            }
            for future in as_completed(futures):
                self._finish(future.result(), report)

    def _wait_for_next(self) -> None:
        due = state.next_due(self._db)
        # At least a second: a due source another runner holds is not polled in a spin.
        wait = 60.0 if due is None else max(1.0, due - self.clock.now())
        while wait > 0 and not self.stopping:
            step = min(wait, 1.0)
            self.clock.sleep(step)
            wait -= step

    # --- the fetch threads -----------------------------------------------------------

    def _collect(self, source: WatchSource) -> _Work:
        """Fetch a source and the pages of its new items; never raises."""
        now = self.clock.now()
        try:
            page = self.fetcher.fetch(source.url, Validators(source.etag, source.last_modified))
        except FetchError as exc:
            return _Work(source, self._failed(source, exc, now))
        except Exception as exc:  # the boundary of one source: it fails alone
            failure = FetchError(source.url, f"{type(exc).__name__}: {exc}")
            return _Work(source, self._failed(source, failure, now))
        return self._collect_items(source, page, now)

    def _collect_items(self, source: WatchSource, page: FetchedPage, now: float) -> _Work:
        content = SourceContent()
        if page.status != 304:
            content = self._read(source, page)
        items = {item.key: item.digest for item in content.items}
        state.record_items(self._db, source.id, items, now)
        texts = {item.key: item.document for item in content.items if item.document}
        status = "304" if page.status == 304 else str(page.status)
        result = FetchResult(
            status, now + source.every, failed=False, etag=page.etag,
            last_modified=page.last_modified, keep_validators=page.status == 304,
        )  # fmt: skip
        work = _Work(source, result, [(f.locator, f) for f in content.failures])
        lease = self.store.settings.watch_lease
        pending = state.pending_items(self._db, source.id, now)
        for item in pending[: self.store.settings.watch_batch]:
            if self.stopping:
                break
            if not state.claim_item(self._db, source.id, item.key, self.owner, now, lease):
                continue
            try:
                document = texts.get(item.key) or self._fetch_item(item.key)
            except FetchError as exc:  # the page stays pending for a later pass
                if state.retry_item(self._db, source.id, item.key, self.owner, exc.reason):
                    given_up = f"{exc.reason} (given up after {state.MAX_ITEM_ATTEMPTS} tries)"
                    work.documents.append((item.key, ReadFailure(item.key, given_up)))
                else:
                    work.retrying.append(ReadFailure(item.key, exc.reason))
                continue
            work.documents.append((item.key, document))
        return work

    def _read(self, source: WatchSource, page: FetchedPage) -> SourceContent:
        settings = self.store.settings
        content = read_source(page, as_kind(source.kind), settings)
        items, failures = list(content.items), list(content.failures)
        for child in content.sitemaps[:_MAX_CHILD_SITEMAPS]:  # a sitemap index
            try:
                inner = read_source(self.fetcher.fetch(child), "sitemap", settings)
            except FetchError as exc:
                failures.append(ReadFailure(child, exc.reason))
                continue
            items.extend(inner.items)
            failures.extend(inner.failures)
        return SourceContent(tuple(items), failures=tuple(failures))

    def _fetch_item(self, key: str) -> RawDocument | ReadFailure:
        """The page of an item; `FetchError` when it could not be fetched (this time)."""
        if not key.lower().startswith(("http://", "https://")):
            return ReadFailure(key, "feed entry without a link, no longer in the feed")
        if not self.fetcher.allowed(key):  # for good: not retried
            return ReadFailure(key, "disallowed by robots.txt")
        return page_document(key, self.fetcher.fetch(key))

    def _failed(self, source: WatchSource, exc: FetchError, now: float) -> FetchResult:
        failures = source.failures + 1
        wait = backoff(failures, source.every, MAX_BACKOFF)
        status = "error"
        if isinstance(exc, HTTPStatusError):
            status = str(exc.status)
            asked = retry_after_seconds(exc.retry_after, now)
            if asked is not None and exc.status in (429, 503):
                wait = max(asked, 1.0)
        return FetchResult(status, now + wait, failed=True, error=exc.reason)

    # --- the ingest thread -----------------------------------------------------------

    def _finish(self, work: _Work, report: PassReport) -> None:
        source = work.source
        if work.result.failed:
            report.source_failures.append((source.label, work.result.error or ""))
        else:
            report.fetched += 1
            report.not_modified += work.result.status == "304"
        report.retrying.extend(work.retrying)
        for key, document in work.documents:
            if self.stopping:
                break
            self._ingest_one(source, key, document, report)
        result = work.result
        if state.pending_items(self._db, source.id, float("inf")) or self.stopping:
            # Items are left (a stop, a failed page, a long backlog): fetch in full next
            # time, so a 304 cannot hide them, and come back for the rest (at once after
            # a stop, soon otherwise).
            soon = self.clock.now() + (0.0 if self.stopping else 60.0)
            result = FetchResult(
                result.status, min(result.next_due, soon), result.failed, result.error
            )
        state.finish_source(self._db, source.id, self.owner, result, self.clock.now())

    def _ingest_one(
        self, source: WatchSource, key: str, document: RawDocument | ReadFailure, report: PassReport
    ) -> None:
        now = self.clock.now()
        state.renew_leases(self._db, self.owner, now + self.store.settings.watch_lease)
        if isinstance(document, ReadFailure):
            outcome: tuple[str, str | None, str | None] = ("failed", None, document.reason)
            report.item_failures.append(document)
        else:
            ingested = self.store.ingest(document)
            outcome = _outcome(ingested)
            if outcome[0] == "failed":
                report.item_failures.append(ReadFailure(key, outcome[2] or ""))
            report.not_english.extend(ingested.not_english)
        report.outcomes[outcome[0]] += 1
        state.finish_item(self._db, source.id, key, self.owner, outcome, self.clock.now())
        self._notify(outcome[0], key)


def _outcome(report: IngestReport) -> tuple[str, str | None, str | None]:
    """(word, article id, reason) of the ingest of one document."""
    for word, ids in (("new", report.new), ("updated", report.updated)):
        if ids:
            return word, ids[0], None
    if report.unchanged:
        return "unchanged", report.unchanged[0], None
    reason = report.failed[0].reason if report.failed else "nothing ingested"
    return "failed", None, reason
