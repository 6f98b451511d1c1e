"""SQL of alerts: the rules a user set, and one delivery row per rule and evidence.

A delivery row is written once per (rule, evidence key) (a unique index), so an alert
found again by a later run, by a restarted runner or by two runners at once is never a
second alert. Its status moves ``pending`` -> ``sending`` (an attempt began; recorded
before the network is touched) -> ``delivered`` or, after the last retry, ``failed``.
``baseline`` rows are what a rule already matched when it was added: kept so they never
fire, never delivered. Only this module writes these tables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, func, or_, select, true, update

from newstrace.models import numbered
from newstrace.store import schema
from newstrace.store.core import dialect_insert
from newstrace.store.filters import Page, capped_count, clamp

STATUSES = ("pending", "sending", "delivered", "failed")
"""What the history shows (``baseline`` rows are left out of it)."""


@dataclass(frozen=True)
class RuleSpec:
    """An alert rule as the user gave it: what it watches (`kind`, `params`) and where
    its alerts go (`delivery`, `target`; `secret` signs webhook bodies)."""

    name: str
    kind: str
    params: dict[str, Any]
    delivery: str
    target: str
    secret: str


@dataclass(frozen=True)
class AlertRule(RuleSpec):
    """An alert rule as stored, with its id and when it was set."""

    id: int
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data; the secret is never shown, only whether there is one."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "params": dict(self.params),
            "delivery": self.delivery,
            "target": self.target,
            "signed": bool(self.secret),
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Delivery:
    """One alert of one rule and the state of its delivery."""

    id: int
    rule_id: int
    rule: str
    key: str
    status: str
    article_id: str | None
    payload: dict[str, Any]
    created_at: str
    attempts: int
    last_error: str | None
    delivered_at: str | None
    read_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """The alert and its delivery state as plain data."""
        return {
            "id": self.id,
            "rule_id": self.rule_id,
            "rule": self.rule,
            "key": self.key,
            "status": self.status,
            "article_id": self.article_id,
            "created_at": self.created_at,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "delivered_at": self.delivered_at,
            "read": self.read_at is not None,
            "alert": self.payload,
        }


@dataclass(frozen=True)
class NewAlert:
    """An alert found by a rule, before it is written: its evidence key and payload."""

    key: str
    article_id: str | None
    payload: dict[str, Any]


# --- rules ---------------------------------------------------------------------------


def _rule(row: Mapping[Any, Any]) -> AlertRule:
    return AlertRule(
        row["name"], row["kind"], json.loads(row["params"]), row["delivery"], row["target"],
        row["secret"], row["id"], row["created_at"],
    )  # fmt: skip


def add_rule(conn: Connection, spec: RuleSpec, when: str) -> int:
    """Store a rule; returns its id."""
    values = dict(
        name=spec.name, kind=spec.kind, params=json.dumps(spec.params, sort_keys=True),
        delivery=spec.delivery, target=spec.target, secret=spec.secret, created_at=when,
    )  # fmt: skip
    statement = schema.alert_rules.insert().values(**values).returning(schema.alert_rules.c.id)
    return int(conn.execute(statement).scalar_one())


def rules(conn: Connection) -> list[AlertRule]:
    """Every rule, oldest first."""
    r = schema.alert_rules
    return [_rule(row) for row in conn.execute(select(r).order_by(r.c.id)).mappings()]


def has_rules(conn: Connection) -> bool:
    """Whether any rule is set (so an ingest without rules costs one query)."""
    r = schema.alert_rules.c
    return conn.execute(select(r.id).limit(1)).first() is not None


def rule_by_ref(conn: Connection, ref: str) -> AlertRule | None:
    """The rule named `ref`, else the rule with id `ref` (``R2`` or ``2``)."""
    r = schema.alert_rules
    condition = r.c.name == ref
    number = numbered(ref, "R")
    if number is not None:
        condition = or_(condition, r.c.id == number)
    rows = conn.execute(select(r).where(condition).order_by(r.c.name != ref)).mappings()
    row = rows.first()
    return _rule(row) if row else None


def remove_rule(conn: Connection, rule_id: int) -> None:
    """Delete a rule and its alerts."""
    conn.execute(
        delete(schema.alert_deliveries).where(schema.alert_deliveries.c.rule_id == rule_id)
    )
    conn.execute(delete(schema.alert_rules).where(schema.alert_rules.c.id == rule_id))


# --- alerts and deliveries -------------------------------------------------------------


def record_alerts(
    conn: Connection, rule_id: int, found: Sequence[NewAlert], status: str, when: str
) -> int:
    """Write the alerts not written before for this rule (by evidence key); returns how
    many were new. ``ON CONFLICT DO NOTHING``: two runners at once write each once."""
    insert = dialect_insert(conn)
    new = 0
    for alert in found:
        values = dict(
            rule_id=rule_id, key=alert.key, status=status, article_id=alert.article_id,
            payload=json.dumps(alert.payload, sort_keys=True), created_at=when, attempts=0,
        )  # fmt: skip
        statement = insert(schema.alert_deliveries).values(**values).on_conflict_do_nothing()
        returned = conn.execute(statement.returning(schema.alert_deliveries.c.id)).first()
        new += returned is not None
    return new


def known_keys(conn: Connection, rule_id: int) -> set[str]:
    """The evidence keys this rule has alerted on (or taken as its baseline)."""
    d = schema.alert_deliveries.c
    return {row[0] for row in conn.execute(select(d.key).where(d.rule_id == rule_id))}


def due_deliveries(conn: Connection, stale_before: str) -> list[Delivery]:
    """Deliveries to attempt: pending ones, and ``sending`` ones whose attempt began
    before `stale_before` (their runner died mid-attempt: the outcome is unknown), oldest
    first."""
    d = schema.alert_deliveries.c
    due = or_(d.status == "pending", and_(d.status == "sending", d.sent_at < stale_before))
    return _deliveries(conn, due, limit=None, offset=0)


def claim_delivery(conn: Connection, delivery: Delivery, when: str) -> bool:
    """Take `delivery` for one attempt (status ``sending``, one more attempt, started
    `when`) unless another runner took it since it was read; True when taken."""
    d = schema.alert_deliveries.c
    statement = (
        update(schema.alert_deliveries)
        .where(d.id == delivery.id, d.status == delivery.status, d.attempts == delivery.attempts)
        .values(status="sending", attempts=delivery.attempts + 1, sent_at=when)
    )
    return (conn.execute(statement).rowcount or 0) == 1


def finish_delivery(
    conn: Connection, delivery_id: int, status: str, when: str, error: str | None = None
) -> None:
    """Record the outcome of an attempt: ``delivered``, ``pending`` (to retry) or
    ``failed`` (retries spent), with the error of a failed attempt."""
    values: dict[str, Any] = {"status": status, "last_error": error}
    if status == "delivered":
        values["delivered_at"] = when
    d = schema.alert_deliveries.c
    conn.execute(update(schema.alert_deliveries).where(d.id == delivery_id).values(**values))


def retry_failed(conn: Connection, rule_id: int | None = None) -> int:
    """Put failed deliveries (of one rule, or all) back in the queue; returns how many."""
    d = schema.alert_deliveries.c
    where = and_(d.status == "failed", d.rule_id == rule_id if rule_id is not None else true())
    statement = update(schema.alert_deliveries).where(where).values(status="pending", attempts=0)
    return conn.execute(statement).rowcount or 0


def mark_read(conn: Connection, ids: Sequence[int], when: str) -> int:
    """Mark alerts as read (those not read yet); returns how many changed."""
    d = schema.alert_deliveries.c
    statement = (
        update(schema.alert_deliveries)
        .where(d.id.in_(list(ids)), d.read_at.is_(None))
        .values(read_at=when)
    )
    return conn.execute(statement).rowcount or 0


@dataclass(frozen=True)
class AlertFilter:
    """Filters of the alert history: one rule, one status, unread ones only."""

    rule_id: int | None = None
    status: str | None = None
    unread: bool = False

    def where(self) -> ColumnElement[bool]:
        """The conditions joined with AND (baseline rows are never history)."""
        d = schema.alert_deliveries.c
        found = [d.status != "baseline"]
        if self.rule_id is not None:
            found.append(d.rule_id == self.rule_id)
        if self.status:
            found.append(d.status == self.status)
        if self.unread:
            found.append(d.read_at.is_(None))
        return and_(true(), *found)


def history(
    conn: Connection, filters: AlertFilter, limit: int | None, offset: int
) -> Page[Delivery]:
    """One page of the alert history (`limit` None: all of it), newest first."""
    limit, offset = clamp(limit, offset)
    total = capped_count(conn, select(schema.alert_deliveries.c.id).where(filters.where()))
    found = _deliveries(conn, filters.where(), limit, offset, newest_first=True)
    return Page(found, total, limit, offset)


def delivery(conn: Connection, delivery_id: int) -> Delivery | None:
    """The alert numbered `delivery_id`, None when there is none (a baseline is none)."""
    d = schema.alert_deliveries.c
    found = _deliveries(conn, and_(d.id == delivery_id, d.status != "baseline"), 1, 0)
    return found[0] if found else None


def status_counts(conn: Connection) -> dict[str, int]:
    """How many alerts are in each status (baseline left out)."""
    d = schema.alert_deliveries.c
    query = select(d.status, func.count()).where(d.status != "baseline").group_by(d.status)
    return {status: int(n) for status, n in conn.execute(query)}


def _deliveries(
    conn: Connection,
    where: ColumnElement[bool],
    limit: int | None,
    offset: int,
    newest_first: bool = False,
) -> list[Delivery]:
    d, r = schema.alert_deliveries, schema.alert_rules
    query = (
        select(d, r.c.name.label("rule_name"))
        .select_from(d.join(r, r.c.id == d.c.rule_id))
        .where(where)
        .order_by(d.c.id.desc() if newest_first else d.c.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [_delivery(row) for row in conn.execute(query).mappings()]


def _delivery(row: Mapping[Any, Any]) -> Delivery:
    return Delivery(
        row["id"], row["rule_id"], row["rule_name"], row["key"], row["status"],
        row["article_id"], json.loads(row["payload"]), row["created_at"], row["attempts"],
        row["last_error"], row["delivered_at"], row["read_at"],
    )  # fmt: skip
