"""Alerts: rules a user sets, checked at the end of every ingest, and their deliveries.

`run_alerts` is the one hook: `newstrace.api.Store` calls it after each ingest and load
(so ``newstrace ingest`` and a watch runner, which ingests through the same `Store`,
fire the same alerts), and ``newstrace alert run`` calls it by hand. It finds what each
rule matches through the read layer (`evaluate`), writes each match once per rule and
evidence key (`store.alerts`: a unique index, so a restart or a second runner never
makes a second alert), then delivers what is due (`deliver`): each attempt is recorded
before it is made, failures are retried with exponential backoff and then kept as
failed, and an attempt whose runner died is made again after the lease
(``alert_lease``) with the same delivery id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from newstrace.alerts.deliver import DeliveryError, send
from newstrace.alerts.evaluate import Reads, link, matches
from newstrace.errors import NewstraceError, NotFoundError
from newstrace.reader import Reader
from newstrace.settings import Settings
from newstrace.store import Store as Database
from newstrace.store import alerts as q
from newstrace.store.alerts import AlertRule, Delivery, NewAlert, RuleSpec

Sleep = Callable[[float], None]


def now() -> str:
    """The current time as stored (UTC, ISO 8601, microseconds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass
class AlertReport:
    """What one alert run did: alerts found, delivered, failed; rules that could not
    be checked (one line each)."""

    new: int = 0
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data."""
        return dict(self.__dict__)


def add_rule(reader: Reader, db: Database, spec: RuleSpec, backfill: bool = False) -> AlertRule:
    """Store a rule. What it already matches is its baseline (never alerted) unless
    `backfill`, which makes those alerts too (delivered by the next run). An entity
    that names several is refused (`AmbiguousError`); one not in the store yet is
    accepted: the rule matches once it appears."""
    entity = spec.params.get("entity")
    known = True
    if entity:
        try:
            reader.entity_id(str(entity))
        except NotFoundError:
            known = False
    with db.writing() as conn:
        if q.rule_by_ref(conn, spec.name) is not None:
            raise NewstraceError(f"alert {spec.name!r}: a rule of that name exists")
        rule_id = q.add_rule(conn, spec, now())
        rule = q.rule_by_ref(conn, str(rule_id))
    assert rule is not None
    if known:
        _record(Reads(reader), db, rule, "pending" if backfill else "baseline")
    return rule


def run_alerts(
    reader: Reader,
    db: Database,
    *,
    check: bool = True,
    deliver: bool = True,
    out: TextIO | None = None,
    sleep: Sleep = time.sleep,
) -> AlertReport | None:
    """Check every rule (unless not `check`: an ingest that stored nothing) and deliver
    what is due; None when no rule is set (one query). A rule that cannot be checked is
    reported, never stops the others; a delivery that fails is retried, then kept as
    failed."""
    with db.reading() as conn:
        if not q.has_rules(conn):
            return None
        rules = q.rules(conn)
    report = AlertReport()
    reads = Reads(reader)
    for rule in rules if check else []:
        try:
            report.new += _record(reads, db, rule, "pending")
        except NotFoundError:
            continue  # its entity is not in the store yet: nothing to match
        except NewstraceError as exc:
            report.errors.append(f"alert {rule.name}: {exc}")
    if deliver:
        deliver_due(reader.settings, db, report, out, sleep)
    return report


def _record(reads: Reads, db: Database, rule: AlertRule, status: str) -> int:
    found = matches(reads, rule)
    with db.reading() as conn:
        known = q.known_keys(conn, rule.id)
    base = reads.reader.settings.base_url
    new = []
    for match in found:
        if match.key in known:
            continue
        known.add(match.key)
        payload = match.build()
        payload["url"] = link(base, payload["href"])
        new.append(NewAlert(match.key, match.article_id, payload))
    with db.writing() as conn:
        return q.record_alerts(conn, rule.id, new, status, now())


def deliver_due(
    settings: Settings,
    db: Database,
    report: AlertReport,
    out: TextIO | None = None,
    sleep: Sleep = time.sleep,
) -> None:
    """Deliver every due alert (pending, or in doubt after the lease), counting the
    outcomes into `report`."""
    stale = (datetime.now(UTC) - timedelta(seconds=settings.alert_lease)).isoformat(
        timespec="microseconds"
    )
    with db.reading() as conn:
        due = q.due_deliveries(conn, stale)
        rules = {rule.id: rule for rule in q.rules(conn)}
    for delivery in due:
        outcome = _deliver_one(settings, db, rules[delivery.rule_id], delivery, out, sleep)
        if outcome == "delivered":
            report.delivered += 1
        elif outcome == "failed":
            report.failed += 1


def _deliver_one(
    settings: Settings,
    db: Database,
    rule: AlertRule,
    delivery: Delivery,
    out: TextIO | None,
    sleep: Sleep,
) -> str | None:
    """Attempt one delivery up to `alert_retries` times, waiting `alert_backoff` seconds,
    doubled each time, between attempts; None when another runner took it."""
    body = {"delivery_id": delivery.id, "created_at": delivery.created_at, **delivery.payload}
    retries = max(1, settings.alert_retries)
    for attempt in range(retries):
        with db.writing() as conn:
            if not q.claim_delivery(conn, delivery, now()):
                return None
        try:
            send(rule, body, settings, out)
        except DeliveryError as exc:
            last = attempt == retries - 1
            status = "failed" if last else "pending"
            with db.writing() as conn:
                q.finish_delivery(conn, delivery.id, status, now(), str(exc))
            if last:
                return "failed"
            delivery = replace(delivery, status="pending", attempts=delivery.attempts + 1)
            sleep(settings.alert_backoff * 2**attempt)
            continue
        with db.writing() as conn:
            q.finish_delivery(conn, delivery.id, "delivered", now())
        return "delivered"
    return None


__all__ = ["AlertReport", "add_rule", "deliver_due", "run_alerts"]
