"""The state of `newstrace watch`: watched sources and the items seen in them (SQL only).

Two runners, a restart or a SIGKILL never ingest an item twice nor lose one, because
work is claimed with a conditional UPDATE (a lease: owner and expiry), which one
transaction wins on SQLite and PostgreSQL alike, and an item is marked done only after
its ingest. A runner killed mid-item leaves a lease that expires; the next runner takes
the item again (the ingest of an unchanged input changes nothing). Times are epoch
seconds from the caller's clock, so tests drive them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from newstrace.errors import InputError, NotFoundError
from newstrace.models import numbered
from newstrace.store import schema
from newstrace.store.contradictions import insert_for
from newstrace.store.core import Store

UNHEALTHY_AFTER = 3
"""Consecutive failed fetches after which a source is reported unhealthy."""

MAX_ITEM_ATTEMPTS = 3
"""Fetches of one item that may fail before it is kept as failed."""

_S = schema.watch_sources
_I = schema.watch_items


@dataclass(frozen=True)
class WatchSource:
    """One watched source and its health."""

    id: int
    url: str
    name: str | None
    kind: str
    every: float
    paused: bool
    created_at: str
    etag: str | None
    last_modified: str | None
    next_due: float
    last_fetch: float | None
    last_status: str | None
    last_error: str | None
    failures: int
    fetches: int
    items: int
    ingested: int

    @property
    def healthy(self) -> bool:
        """False after `UNHEALTHY_AFTER` failed fetches in a row."""
        return self.failures < UNHEALTHY_AFTER

    @property
    def label(self) -> str:
        """The name, else the URL."""
        return self.name or self.url

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (times as ISO 8601 in UTC)."""
        return {
            "id": self.id,
            "url": self.url,
            "name": self.name,
            "kind": self.kind,
            "every_seconds": self.every,
            "paused": self.paused,
            "healthy": self.healthy,
            "created_at": self.created_at,
            "last_fetch": iso_time(self.last_fetch),
            "next_fetch": None if self.paused else iso_time(self.next_due),
            "last_status": self.last_status,
            "last_error": self.last_error,
            "failures": self.failures,
            "fetches": self.fetches,
            "items": self.items,
            "ingested": self.ingested,
        }


@dataclass(frozen=True)
class FetchResult:
    """What one fetch of a source did, written back by `finish_source`."""

    status: str
    next_due: float
    failed: bool
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    keep_validators: bool = False  # a 304: the validators stay as they were


@dataclass(frozen=True)
class PendingItem:
    """An item seen but not ingested yet."""

    key: str
    digest: str
    attempts: int


def iso_time(epoch: float | None) -> str | None:
    """Epoch seconds as ISO 8601 in UTC (None stays None)."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


# --- sources -------------------------------------------------------------------------


def add_source(
    store: Store, url: str, kind: str, every: float, name: str | None, now: float
) -> WatchSource:
    """Watch `url` (first fetch due now); an `InputError` when it is watched already."""
    row = {
        "url": url, "name": name, "kind": kind, "every": every, "paused": False,
        "created_at": iso_time(now), "next_due": now, "failures": 0, "fetches": 0,
        "items": 0, "ingested": 0,
    }  # fmt: skip
    try:
        with store.writing() as conn:
            conn.execute(_S.insert().values(**row))
    except IntegrityError as exc:
        raise InputError(url, "already watched (see `newstrace watch list`)") from exc
    return find_source(store, url)


def list_sources(store: Store) -> list[WatchSource]:
    """Every watched source, in the order they were added."""
    with store.reading() as conn:
        return [_source(row._mapping) for row in conn.execute(select(_S).order_by(_S.c.id))]


def find_source(store: Store, ref: str) -> WatchSource:
    """The source whose id (``W3`` or ``3``), URL or name is `ref` (`NotFoundError`
    when none is)."""
    condition = or_(_S.c.url == ref, _S.c.name == ref)
    number = numbered(ref, "W")
    if number is not None:
        condition = or_(condition, _S.c.id == number)
    with store.reading() as conn:
        rows = conn.execute(select(_S).where(condition).order_by(_S.c.id)).all()
    if not rows:
        raise NotFoundError(f"{ref}: no such watched source (see `newstrace watch list`)")
    if len(rows) > 1:
        raise NotFoundError(f"{ref}: names {len(rows)} watched sources; give the id")
    return _source(rows[0]._mapping)


def remove_source(store: Store, source_id: int) -> None:
    """Stop watching a source and forget what was seen in it."""
    with store.writing() as conn:
        conn.execute(delete(_I).where(_I.c.source_id == source_id))
        conn.execute(delete(_S).where(_S.c.id == source_id))


def set_paused(store: Store, source_id: int, paused: bool, now: float) -> None:
    """Pause a source, or resume it (its next fetch then due now)."""
    values: dict[str, Any] = {"paused": paused}
    if not paused:
        values["next_due"] = now
    with store.writing() as conn:
        conn.execute(update(_S).where(_S.c.id == source_id).values(**values))


def due_sources(store: Store, now: float) -> list[WatchSource]:
    """Sources not paused whose next fetch is due and that no runner holds, soonest first."""
    query = (
        select(_S)
        .where(_S.c.paused.is_(False), _S.c.next_due <= now, _lease_free(_S, now))
        .order_by(_S.c.next_due, _S.c.id)
    )
    with store.reading() as conn:
        return [_source(row._mapping) for row in conn.execute(query)]


def next_due(store: Store) -> float | None:
    """When the next source not paused is due (None when there is none)."""
    query = select(func.min(_S.c.next_due)).where(_S.c.paused.is_(False))
    with store.reading() as conn:
        value = conn.execute(query).scalar()
    return None if value is None else float(value)


def claim_source(store: Store, source_id: int, owner: str, now: float, lease: float) -> bool:
    """Take the source for `owner` until ``now + lease``; False when it is not due or
    another runner holds it (one conditional UPDATE: of two runners, one wins)."""
    query = (
        update(_S)
        .where(
            _S.c.id == source_id,
            _S.c.paused.is_(False),
            _S.c.next_due <= now,
            _lease_free(_S, now),
        )
        .values(lease_owner=owner, lease_until=now + lease)
    )
    with store.writing() as conn:
        return conn.execute(query).rowcount == 1


def finish_source(
    store: Store, source_id: int, owner: str, result: FetchResult, now: float
) -> None:
    """Write back one fetch and release the source (only while `owner` holds it)."""
    failures = _S.c.failures + 1 if result.failed else 0
    values: dict[str, Any] = {
        "last_fetch": now, "last_status": result.status, "last_error": result.error,
        "failures": failures, "fetches": _S.c.fetches + 1, "next_due": result.next_due,
        "lease_owner": None, "lease_until": None,
    }  # fmt: skip
    if not result.failed and not result.keep_validators:
        values.update(etag=result.etag, last_modified=result.last_modified)
    query = update(_S).where(_S.c.id == source_id, _S.c.lease_owner == owner).values(**values)
    with store.writing() as conn:
        conn.execute(query)


# --- items ---------------------------------------------------------------------------


def record_items(store: Store, source_id: int, items: Mapping[str, str], now: float) -> int:
    """Note the items (key -> digest) a fetch found: a new key, or a known one whose
    digest changed (an updated article), becomes pending. Returns how many did."""
    if not items:
        return 0
    with store.writing() as conn:
        known = {
            row.key: (row.digest, row.state)
            for row in conn.execute(
                select(_I.c.key, _I.c.digest, _I.c.state).where(
                    _I.c.source_id == source_id, _I.c.key.in_(list(items))
                )
            )
        }
        fresh = [k for k in items if k not in known]
        changed = [k for k, d in items.items() if k in known and known[k][0] != d]
        if fresh:
            rows = [_new_item(source_id, key, items[key], now) for key in fresh]
            conn.execute(insert_for(conn)(_I).values(rows).on_conflict_do_nothing())
        for key in changed:
            conn.execute(
                update(_I)
                .where(_I.c.source_id == source_id, _I.c.key == key, _I.c.digest != items[key])
                .values(digest=items[key], state="pending", attempts=0, reason=None)
            )
        conn.execute(
            update(_S).where(_S.c.id == source_id).values(items=_S.c["items"] + len(fresh))
        )
    return len(fresh) + len(changed)


def pending_items(store: Store, source_id: int, now: float) -> list[PendingItem]:
    """Items of a source still to ingest that no runner holds, in the order first seen."""
    query = (
        select(_I.c.key, _I.c.digest, _I.c.attempts)
        .where(_I.c.source_id == source_id, _I.c.state == "pending", _lease_free(_I, now))
        .order_by(_I.c.first_seen, _I.c.key)
    )
    with store.reading() as conn:
        return [PendingItem(r.key, r.digest, r.attempts) for r in conn.execute(query)]


def claim_item(
    store: Store, source_id: int, key: str, owner: str, now: float, lease: float
) -> bool:
    """Take one pending item for `owner` (a conditional UPDATE; False when another
    runner holds it or it is done)."""
    query = (
        update(_I)
        .where(
            _I.c.source_id == source_id,
            _I.c.key == key,
            _I.c.state == "pending",
            _lease_free(_I, now),
        )
        .values(lease_owner=owner, lease_until=now + lease)
    )
    with store.writing() as conn:
        return conn.execute(query).rowcount == 1


def finish_item(
    store: Store,
    source_id: int,
    key: str,
    owner: str,
    outcome: tuple[str, str | None, str | None],
    now: float,
) -> None:
    """Mark an item ingested: `outcome` is (the ingest's word, article id, reason);
    "failed" keeps it as failed. Counts an article stored new or updated."""
    word, article_id, reason = outcome
    state = "failed" if word == "failed" else "done"
    query = (
        update(_I)
        .where(_I.c.source_id == source_id, _I.c.key == key, _I.c.lease_owner == owner)
        .values(
            state=state, outcome=word, article_id=article_id, reason=reason, done_at=now,
            lease_owner=None, lease_until=None,
        )
    )  # fmt: skip
    with store.writing() as conn:
        if conn.execute(query).rowcount and word in ("new", "updated"):
            conn.execute(update(_S).where(_S.c.id == source_id).values(ingested=_S.c.ingested + 1))


def retry_item(store: Store, source_id: int, key: str, owner: str, reason: str) -> bool:
    """An item that could not be fetched: released for a later pass, or kept as failed
    after `MAX_ITEM_ATTEMPTS` (then True)."""
    attempts = _I.c.attempts + 1
    with store.writing() as conn:
        conn.execute(
            update(_I)
            .where(_I.c.source_id == source_id, _I.c.key == key, _I.c.lease_owner == owner)
            .values(attempts=attempts, reason=reason, lease_owner=None, lease_until=None)
        )
        gave_up = conn.execute(
            update(_I)
            .where(
                _I.c.source_id == source_id,
                _I.c.key == key,
                _I.c.state == "pending",
                _I.c.attempts >= MAX_ITEM_ATTEMPTS,
            )
            .values(state="failed", outcome="failed")
        )
        return bool(gave_up.rowcount)


def item_states(store: Store, source_ids: Iterable[int] | None = None) -> dict[str, int]:
    """How many items are pending, done and failed (of some sources, or all)."""
    query = select(_I.c.state, func.count()).group_by(_I.c.state)
    if source_ids is not None:
        query = query.where(_I.c.source_id.in_(list(source_ids)))
    with store.reading() as conn:
        return {str(state): int(n) for state, n in conn.execute(query)}


def item_outcomes(store: Store, source_id: int) -> dict[str, tuple[str, str | None]]:
    """key -> (state, article id) of every item of a source."""
    query = select(_I.c.key, _I.c.state, _I.c.article_id).where(_I.c.source_id == source_id)
    with store.reading() as conn:
        return {row.key: (row.state, row.article_id) for row in conn.execute(query)}


def renew_leases(store: Store, owner: str, until: float) -> None:
    """Extend every lease `owner` holds (a runner still at work) to `until`."""
    with store.writing() as conn:
        for table in (_S, _I):
            conn.execute(
                update(table).where(table.c.lease_owner == owner).values(lease_until=until)
            )


def release_leases(store: Store, owner: str) -> None:
    """Give back every lease `owner` holds (a runner stopping cleanly): the items it had
    claimed are pending for the next runner at once."""
    with store.writing() as conn:
        for table in (_S, _I):
            conn.execute(
                update(table)
                .where(table.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )


# --- helpers -------------------------------------------------------------------------


def _lease_free(table: Any, now: float) -> Any:
    return or_(table.c.lease_until.is_(None), table.c.lease_until < now)


def _new_item(source_id: int, key: str, digest: str, now: float) -> dict[str, Any]:
    return {
        "source_id": source_id, "key": key, "digest": digest, "state": "pending",
        "attempts": 0, "first_seen": now,
    }  # fmt: skip


def _source(row: Any) -> WatchSource:
    values = {k: row[k] for k in WatchSource.__dataclass_fields__}
    values["paused"] = bool(values["paused"])
    return WatchSource(**values)
