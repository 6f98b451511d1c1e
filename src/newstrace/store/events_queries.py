"""Queries over stored PLOVER events (SQLAlchemy Core, portable to PostgreSQL).

Functions take a `Store`, so the CLI, the analysis layer and the web layer share them:
`list_events` for listings, `event_counts` for who does what to whom, over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, ColumnElement, and_, case, cast, func, literal, or_, select, true

from newstrace.models import Event, stable_id
from newstrace.store import records, schema
from newstrace.store.core import Store
from newstrace.store.filters import (
    Page,
    capped_count,
    check_range,
    clamp,
    one_page,
    until_bound,
)

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
"""The PLOVER event types, in the order of the codebook."""


@dataclass(frozen=True)
class EventRow:
    """An event with the article it came from and its date."""

    article_id: str
    outlet: str | None
    published: str | None
    date: str | None
    source_name: str | None
    target_name: str | None
    event: Event

    def to_dict(self) -> dict[str, Any]:
        """The event with its article id, outlet, dates and actor names (``--json``)."""
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "published": self.published,
            "date": self.date,
            "source_name": self.source_name,
            "target_name": self.target_name,
            **self.event.to_dict(),
        }


PERIODS = {"month": 7, "year": 4, "day": 10}
"""What events are counted per (`event_counts`), with the length of the date prefix."""
ROLES = ("source", "target")


@dataclass(frozen=True)
class EventCell:
    """What one count of `event_counts` counts: the events, not negated, of one actor
    (its name and country as the `role`, source or target), of one type, in one
    `period` of the kind `per` ("month", "year", "day"; None: at any date)."""

    role: str
    per: str | None
    period: str | None
    actor: str
    country: str | None
    type: str

    @property
    def id(self) -> str:
        """The count's id: what ``newstrace events --counts`` shows and ``newstrace show``
        opens into the events counted."""
        parts = (self.role, self.per, self.period, self.actor, self.country, self.type)
        return stable_id("C", *(p or "" for p in parts))

    def where(self) -> ColumnElement[bool]:
        """The conditions on `events` that select the events of this cell."""
        v = schema.events.c
        name, country = v[f"{self.role}_name"], v[f"{self.role}_country"]
        found = [name == self.actor, v.type == self.type, v.negated.is_(False)]
        found.append(country.is_(None) if self.country is None else country == self.country)
        width = PERIODS.get(self.per or "")
        if width:
            bucket = func.substr(v.date, 1, width)
            found.append(v.date.is_(None) if self.period is None else bucket == self.period)
        return and_(*found)


@dataclass(frozen=True)
class EventCount:
    """How many events of one type one actor did (or underwent) in one period."""

    actor: str
    country: str | None
    type: str
    period: str | None
    count: int
    role: str  # the actor counted is the events' source, or their target
    per: str | None  # the kind of period: month, year, day, None

    @property
    def cell(self) -> EventCell:
        """What this count counts."""
        return EventCell(self.role, self.per, self.period, self.actor, self.country, self.type)

    @property
    def id(self) -> str:
        """The id of what it counts (`EventCell.id`)."""
        return self.cell.id

    def to_dict(self) -> dict[str, Any]:
        """The count as plain data, with its id."""
        return {"id": self.id, **self.__dict__}


def _actor_condition(actor: str) -> Any:
    v = schema.events.c
    pattern = f"%{actor}%"
    return or_(
        v.source_name.ilike(pattern),
        v.target_name.ilike(pattern),
        v.source.ilike(pattern),
        v.target.ilike(pattern),
        v.source_country == actor.upper(),
        v.target_country == actor.upper(),
    )


def list_events(
    store: Store,
    type: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    include_negated: bool = True,
    limit: int | None = None,
    entity_id: str | None = None,
) -> list[EventRow]:
    """Events across articles, newest first, by PLOVER type, actor (name, text or
    country code, as source or target), cross-article entity (`entity_id`: its source or
    target is, or acts as, that entity) and event date (see `events_page`)."""
    filters = EventFilter(type, actor, since, until, include_negated, entity_id=entity_id)
    return events_page(store, filters, limit).items


@dataclass(frozen=True)
class EventFilter:
    """Filters of the event listing: PLOVER `type`, `actor` (name, text or country code,
    as source or target), the event's date bounds, negated events or not, an article,
    a cross-article entity (`entity_id`: the source or target is, or acts as, it), one
    `source` actor exactly (its name as listed: what the source facet narrows to), the
    events one count of `event_counts` counts (`cell`)."""

    type: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    include_negated: bool = True
    article_id: str | None = None
    entity_id: str | None = None
    source: str | None = None  # exactly this source actor (as `EventRow.source_name`)
    cell: EventCell | None = None  # the events one count counts

    def __post_init__(self) -> None:
        """Refuse dates that do not exist and a range that ends before it starts."""
        check_range(self.since, self.until)

    def where(self, dialect: str = "sqlite") -> ColumnElement[bool]:
        """The conditions on `events`, joined with AND (`dialect`: the store's)."""
        v = schema.events.c
        conditions: list[Any] = []
        if self.type:
            conditions.append(v.type == self.type.upper())
        if self.actor:
            conditions.append(_actor_condition(self.actor))
        if self.since:
            conditions.append(v.date >= self.since)
        if self.until:
            conditions.append(v.date <= until_bound(self.until))
        if not self.include_negated:
            conditions.append(v.negated.is_(False))
        if self.article_id:
            conditions.append(v.article_id == self.article_id)
        if self.entity_id:
            conditions.append(_entity_condition(self.entity_id, dialect))
        if self.source:
            conditions.append(v.source_name == self.source)
        if self.cell is not None:
            conditions.append(self.cell.where())
        return and_(true(), *conditions)


def events_page(
    store: Store, filters: EventFilter, limit: int | None = 50, offset: int = 0
) -> Page[EventRow]:
    """One page of events, newest first, and how many match. An event dated after its
    article (a plan, or a misread year) sorts at its article's date, so what has
    happened comes first rather than "2047"."""
    v, a = schema.events.c, schema.articles.c
    limit, offset = clamp(limit, offset)
    joined = schema.events.join(schema.articles, a.id == v.article_id)
    reported = case(
        (and_(a.published.is_not(None), v.date > a.published), a.published), else_=v.date
    )
    query = (
        select(schema.events, a.outlet, a.published)
        .select_from(joined)
        .where(filters.where(store.dialect))
        .order_by(reported.desc().nulls_last(), v.date.desc().nulls_last(), a.seq, v.trigger_start)
    )
    with store.reading() as conn:
        total = capped_count(conn, select(v.id).where(filters.where(store.dialect)))
        rows = [_event_row(r._mapping) for r in conn.execute(one_page(query, limit, offset))]
    return Page(rows, total, limit, offset)


def _actor_entity(column: Any, dialect: str) -> ColumnElement[Any]:
    """The article entity id inside an event's JSON actor object (`column`)."""
    if dialect == "sqlite":
        return func.json_extract(column, "$.entity_id")
    return cast(column, JSON).op("->>")("entity_id")


def _entity_condition(entity_id: str, dialect: str) -> ColumnElement[bool]:
    """The event's source or target is an article entity linked to `entity_id` (as the
    entity itself or as the actor it stands for)."""
    v, lk = schema.events.c, schema.entity_links.c
    actors = (_actor_entity(v.source, dialect), _actor_entity(v.target, dialect))
    linked = (
        select(literal(1))
        .where(
            lk.article_id == v.article_id,
            lk.entity_id.in_(actors),
            or_(lk.canonical_id == entity_id, lk.actor_id == entity_id),
        )
        .correlate(schema.events)
    )
    return linked.exists()


def _event_row(row: Any) -> EventRow:
    return EventRow(
        article_id=row["article_id"],
        outlet=row["outlet"],
        published=row["published"],
        date=row["date"],
        source_name=row["source_name"],
        target_name=row["target_name"],
        event=records.from_row(Event, row),
    )


def event_counts(
    store: Store,
    role: str = "source",
    period: str | None = "month",
    since: str | None = None,
    until: str | None = None,
    filters: EventFilter | None = None,
) -> list[EventCount]:
    """Per-actor event counts by type (and by month, year or not at all), negated events
    left out: `role` "source" counts what actors did, "target" what was done to them;
    `filters` narrows the events counted as it narrows the listing."""
    if role not in ROLES:
        raise ValueError(f"role must be 'source' or 'target', not {role!r}")
    v = schema.events.c
    name, country = v[f"{role}_name"], v[f"{role}_country"]
    width = PERIODS.get(period or "")
    per = period if width else None
    bucket = func.substr(v.date, 1, width) if width else None
    columns: list[Any] = [name, country, v.type, func.count().label("n")]
    groups: list[Any] = [name, country, v.type]
    if bucket is not None:
        columns.insert(3, bucket.label("period"))
        groups.append(bucket)
    conditions: list[Any] = [name.is_not(None), v.negated.is_(False)]
    if since:
        conditions.append(v.date >= since)
    if until:
        conditions.append(v.date <= until_bound(until))
    if filters is not None:  # the listing's filters too (type, actor, entity, article)
        conditions.append(filters.where(store.dialect))
    query = select(*columns).where(and_(*conditions)).group_by(*groups)
    with store.reading() as conn:
        rows = conn.execute(query).all()
    counts = [
        EventCount(r[0], r[1], r[2], r[3] if bucket is not None else None, int(r[-1]), role, per)
        for r in rows
    ]
    return sorted(counts, key=lambda c: (c.period or "", -c.count, c.actor, c.type))


def find_cell(store: Store, count_id: str) -> EventCell | None:
    """What the count with id `count_id` (`EventCount.id`) counts, of every way of
    counting (role, period); None when no count has it."""
    if not (count_id.startswith("C") and len(count_id) == 13):
        return None
    for role in ROLES:
        for per in (*PERIODS, None):
            found = (c.cell for c in event_counts(store, role, per) if c.id == count_id)
            cell = next(found, None)
            if cell is not None:
                return cell
    return None
