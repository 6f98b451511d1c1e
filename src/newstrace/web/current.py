"""Reads that every page of a listing repeats (its facets, its total, an order over the
whole store), kept while the store is unchanged.

A listing's facets and total count rows over the whole store: with 6,000 claims they
were half the CPU time of the claim ledger, and they are the same for each of its pages
and sorts. Each result is kept under `Store.version`, read before it, so a commit by any
process (an ingest, an analysis, a correction) makes the next request read it again.
One thread computes a given result at a time; the others asking for it wait for it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from newstrace.store import Store

T = TypeVar("T")
KEEP = 256  # results kept, the least recently asked for forgotten first


class StoreResults:
    """Results read from one store, each kept until the store changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave for `key` while the store was as it is now."""
        version = self.store.version()
        with self._lock:
            found = self._fresh(key, version)
            if found is not None:
                return found[0]  # type: ignore[no-any-return]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # another thread may have computed it meanwhile
            with self._lock:
                found = self._fresh(key, version)
            if found is not None:
                return found[0]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                self._kept[key] = (version, value)
                self._kept.move_to_end(key)
                while len(self._kept) > KEEP:
                    self._kept.popitem(last=False)
                self._computing.pop(key, None)
            return value

    def _fresh(self, key: Hashable, version: str) -> tuple[Any] | None:
        """(value,) when `key` was computed at `version` (called holding the lock)."""
        kept = self._kept.get(key)
        if kept is None or kept[0] != version:
            return None
        self._kept.move_to_end(key)
        return (kept[1],)
