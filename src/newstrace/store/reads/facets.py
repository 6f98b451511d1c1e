"""Facets of a listing: for the rows a filter selects, the most common outlets, months,
stances, speaking actors or event types, with how many rows each has (the datasette
way: a click narrows the listing to one of them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select

from newstrace.store import Store, schema
from newstrace.store.alerts import AlertFilter
from newstrace.store.analysis_queries import canonical_conditions
from newstrace.store.events_queries import EventFilter
from newstrace.store.filters import ArticleFilter, ClaimFilter

SHOWN = 8  # values shown per facet


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: what is shown, the filter value it stands for, the rows."""

    label: str
    value: str
    count: int


@dataclass(frozen=True)
class Facet:
    """The most common values of one column among the rows of a listing."""

    name: str
    values: list[FacetValue]


def tallied(
    name: str, values: Iterable[Iterable[str]], labels: dict[str, str] | None = None
) -> Facet:
    """A facet of rows computed in full (claim groups, contradictions): `values` gives,
    for each row, the values it has (a group with members of several stances counts once
    under each); the most common first, then by value. `labels` shows some values
    otherwise than as themselves."""
    return counted(name, Counter(v for row in values for v in set(row) if v), labels)


def counted(name: str, counts: Mapping[str, int], labels: dict[str, str] | None = None) -> Facet:
    """A facet of values counted already: the most common first, then by value."""
    return Facet(name, _ranked([(v, n) for v, n in counts.items() if v], labels or {}))


def _month(column: Any) -> ColumnElement[Any]:
    return func.substr(column, 1, 7)


def _counted(conn: Any, query: Select[Any]) -> list[FacetValue]:
    """(label, value, count) rows, most rows first, then by label."""
    count, label = query.selected_columns[2], query.selected_columns[0]
    rows = conn.execute(query.order_by(count.desc(), label).limit(SHOWN))
    return [FacetValue(str(r[0]), str(r[1]), int(r[2])) for r in rows if r[0] is not None]


def _facet(
    conn: Any, name: str, label: Any, value: Any, base: Select[Any], count: Any = None
) -> Facet:
    """The SHOWN most common (label, value) pairs of `base`'s rows, counted by `count`
    (default: each row once)."""
    count = func.count() if count is None else count
    query = base.with_only_columns(label, value, count).group_by(label, value)
    if name == "month":  # event dates can be weeks or seasons: months only
        query = query.where(label.like("____-__"), ~label.like("%W%"))
    return Facet(name, _counted(conn, query))


def article_facets(store: Store, filters: ArticleFilter) -> list[Facet]:
    """Outlet, month and language of the articles `filters` selects."""
    a = schema.articles.c
    base = select(a.id).where(filters.where(store.dialect))
    month = _month(a.published)
    with store.reading() as conn:
        return [
            _facet(conn, "outlet", a.outlet, a.outlet, base),
            _facet(conn, "month", month, month, base),
            _facet(conn, "language", a.language, a.language, base),
        ]


def claim_facets(store: Store, filters: ClaimFilter) -> list[Facet]:
    """Stance, speaking actor (cross-article entity), outlet and month of the claims
    `filters` selects."""
    c, a = schema.claims.c, schema.articles.c
    links = schema.entity_links.alias("facet_links")  # apart from the filters' own
    lk, ce = links.c, schema.canonical_entities.c
    joined = schema.claims.join(schema.articles, a.id == c.article_id)
    base = select(c.id).select_from(joined).where(filters.where(store.dialect))
    source = filters.source(store.dialect)  # for the facets that need no article column
    claims = select(c.id).select_from(source).where(filters.where(store.dialect))
    speakers = source.join(
        links, (lk.article_id == c.article_id) & (lk.entity_id == c.speaker_entity_id)
    ).join(schema.canonical_entities, ce.id == lk.canonical_id)
    month = _month(a.published)
    # Months counted per article first, then summed: grouping every claim by a substring
    # of its article's date cost more than the rest of the facets (19 ms of 300 articles'
    # 6,000 claims, against 2 ms).
    per_article = (
        claims.with_only_columns(c.article_id, func.count().label("n"))
        .group_by(c.article_id)
        .subquery()
    )
    by_article = select(a.id).select_from(
        schema.articles.join(per_article, a.id == per_article.c.article_id)
    )
    with store.reading() as conn:
        return [
            _facet(conn, "stance", c.stance, c.stance, claims),
            _facet(conn, "speaker", ce.name, ce.id, claims.select_from(speakers)),
            _facet(conn, "outlet", a.outlet, a.outlet, base),
            _facet(conn, "month", month, month, by_article, func.sum(per_article.c.n)),
        ]


def entity_facets(store: Store, q: str | None) -> list[Facet]:
    """The types of the entities the listing shows for the search `q`: each type's count
    is the listing's total with that type (the entities with a mention link passing the
    listing's filters, as `canonical_listed_count` counts them)."""
    c, lk = schema.canonical_entities.c, schema.entity_links.c
    linked = exists().where(lk.canonical_id == c.id)
    query = (
        select(c.type, c.type, func.count())
        .where(linked, *canonical_conditions(q, None))
        .group_by(c.type)
    )
    with store.reading() as conn:
        return [Facet("type", _counted(conn, query))]


def alert_facets(store: Store, filters: AlertFilter, rules: dict[int, str]) -> list[Facet]:
    """Rule and status of the alerts in the history: each value counted with the other
    filter kept and its own replaced, as its link does (`rules`: each rule's name by id,
    the name being what the page's ?rule= takes)."""
    d = schema.alert_deliveries.c
    by_rule = AlertFilter(None, filters.status, filters.unread).where()
    by_status = AlertFilter(filters.rule_id, None, filters.unread).where()
    with store.reading() as conn:
        rule_rows = conn.execute(
            select(d.rule_id, func.count()).where(by_rule).group_by(d.rule_id)
        ).all()
        status_rows = conn.execute(
            select(d.status, func.count()).where(by_status).group_by(d.status)
        ).all()
    named = [(rules[r], n) for r, n in rule_rows if r in rules]
    return [
        Facet("rule", _ranked(named)),
        Facet("status", _ranked([(str(s), n) for s, n in status_rows])),
    ]


def _ranked(
    counts: Iterable[tuple[str, int]], labels: dict[str, str] | None = None
) -> list[FacetValue]:
    """Values counted in Python: the most rows first, then by value."""
    ranked = sorted(((v, int(n)) for v, n in counts if n), key=lambda kv: (-kv[1], kv[0]))
    shown = labels or {}
    return [FacetValue(shown.get(v, v), v, n) for v, n in ranked[:SHOWN]]


def event_facets(store: Store, filters: EventFilter) -> list[Facet]:
    """Type, source actor and month of the events `filters` selects."""
    v = schema.events.c
    base = select(v.id).where(filters.where(store.dialect))
    month = _month(v.date)
    with store.reading() as conn:
        return [
            _facet(conn, "type", v.type, v.type, base),
            _facet(conn, "source", v.source_name, v.source_name, base),
            _facet(conn, "month", month, month, base),
        ]
