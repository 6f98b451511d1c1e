"""The cross-article analysis as the pages see it, read through the one `Reader`: brought
up to date once at start-up (unless the store is read-only) and after each browser ingest,
its whole-store results computed once and kept.

The actor network reads every entity link; on a large store that takes seconds. Figure
histories and timelines are bounded to their HISTORY_LIMIT most recent points, chosen in
the database. Each result is kept under `Store.version` (as `current.StoreResults`
keeps the listings' facets), so a commit by any process (a `newstrace ingest` from the
command line, a correction) makes the next request read it again; claim groups are read
a page at a time in the database and need no keeping.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from newstrace.analysis import ensure_analysed
from newstrace.analysis.groups import Member
from newstrace.analysis.history import HISTORY_LIMIT, FigurePoint
from newstrace.analysis.network import Network
from newstrace.analysis.series import SeriesCount
from newstrace.reader import Reader
from newstrace.store import Store
from newstrace.web.current import StoreResults

T = TypeVar("T")
SERIES_SHOWN = 100
log = logging.getLogger(__name__)


def series_about(key: str) -> str:
    """What to ask the figure history for to show series `key`: its measure."""
    parts = key.split("|")
    return parts[2] if key.startswith("poll:") else parts[1]


class AnalysisCache:
    """Analysis results of one store, each kept while the store is unchanged."""

    def __init__(self, store: Store, reader: Reader) -> None:
        self.store = store
        self.reader = reader
        self.generation = 0
        self._lock = threading.RLock()
        self._kept = StoreResults(store)

    def refresh(self) -> None:
        """Analyse new or changed articles (the kept results then belong to an older
        version of the store: the next request reads them again)."""
        with self._lock:
            if not self.store.read_only:  # a read-only store is shown as it is
                report = ensure_analysed(self.store)
                if report.articles:
                    log.info("analysed %d article(s)", report.articles)
            self.generation += 1

    def warm(self) -> threading.Thread:
        """Compute the whole-store results (the network, the figure series and the
        history of the largest) in the background, so that the first page asking for
        them does not wait as long."""
        generation = self.generation

        def work() -> None:
            with self._lock:
                if generation != self.generation:
                    return
                try:
                    self.network()
                    listed = self.series()
                    if listed:  # the Figures page opens on the largest series
                        self.figures(series_about(listed[0].key))
                except Exception as exc:  # the store closed under it: nothing to keep
                    log.warning("analysis results not computed: %s", exc)

        thread = threading.Thread(target=work, name="newstrace-analysis", daemon=True)
        thread.start()
        return thread

    def kept(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()`, kept under `key` until the store changes: for what a view
        derives from the results above alone (the network drawn for some filters)."""
        return self._kept.get(("view", *key), compute)

    def network(self) -> Network:
        """The actor network of the whole store."""
        return self._kept.get(("network",), self.reader.network)

    def figures(
        self, about: str | None, first_only: bool = False, entity_id: str | None = None
    ) -> list[FigurePoint]:
        """The history of figures about `about` and/or of the entity `entity_id`: its
        HISTORY_LIMIT most recent points."""
        key = ("figures", about, first_only, entity_id)
        return self._kept.get(
            key,
            lambda: list(
                self.reader.figures(
                    about, entity=entity_id, include_repeats=not first_only, limit=HISTORY_LIMIT
                )
            ),
        )

    def series(self) -> list[SeriesCount]:
        """The largest figure series of the store (`SERIES_SHOWN`)."""
        return self._kept.get(("series",), lambda: self.reader.series(limit=SERIES_SHOWN))

    def timeline(self, about: str | None, entity_id: str | None) -> list[Member]:
        """Claims about a topic or an entity in the order of what happened: the
        HISTORY_LIMIT with the most recent dates."""
        key = ("timeline", about, entity_id)
        return self._kept.get(
            key, lambda: list(self.reader.timeline(about, entity=entity_id, limit=HISTORY_LIMIT))
        )
