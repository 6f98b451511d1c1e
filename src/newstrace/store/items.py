"""Claim items (the claims and figures of the cross-article analysis) with their
article, claim, figure and speaker: the typed filter `ItemFilter` and every query over
them (histories, timelines, groups), SQLAlchemy Core, portable to PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
)

from newstrace.store import schema
from newstrace.store.filters import in_chunks, until_bound
from newstrace.store.series_summaries import named_series


@dataclass(frozen=True)
class FigureTerm:
    """One term of a figure search ("troops"): matched on measure and holder names, and,
    for figures stored without a measure, on `unit` (the term's unit key, if it has one)
    or their claim's wording."""

    term: str
    unit: str | None = None


@dataclass(frozen=True)
class ItemFilter:
    """Which claim items a query reads. Every field that is set narrows (AND); `any_of`
    holds when one of its filters does."""

    figures_only: bool = False
    claims_only: bool = False
    figure_terms: tuple[FigureTerm, ...] | None = None
    in_series: bool = False
    stances: tuple[str, ...] | None = None
    article_ids: tuple[str, ...] | None = None
    claims: tuple[tuple[str, str], ...] | None = None
    group_ids: tuple[str, ...] | None = None
    shared_groups: bool = False
    content: str | None = None
    speaker_entity: str | None = None
    mentions_entity: str | None = None
    holder_names: tuple[str, ...] | None = None  # a figure's holder, any case
    series: str | None = None  # a figure series key
    published_since: str | None = None
    published_until: str | None = None  # inclusive: a partial date covers its month or year
    any_of: tuple[ItemFilter, ...] = ()

    def where(self, dialect: str) -> ColumnElement[bool]:
        """The SQL condition on the tables of `item_sources` (`dialect`: the store's)."""
        i, c, lk = schema.claim_items.c, schema.claims.c, schema.entity_links.c
        found: list[ColumnElement[bool]] = []
        if self.figures_only:
            found.append(i.figure_id != "")
        if self.claims_only:
            found.append(i.claim_id != "")
        if self.figure_terms is not None:
            found.append(about_figures(self.figure_terms))
        if self.in_series:
            found.append(_in_a_series())
        if self.stances is not None:
            found.append(c.stance.in_(self.stances))
        if self.article_ids is not None:
            found.append(i.article_id.in_(self.article_ids))
        if self.claims is not None:
            found.append(_claim_keys(self.claims))
        if self.group_ids is not None:
            found.append(i.group_id.in_(self.group_ids))
        if self.shared_groups:
            found.append(i.group_id.in_(select(group_sizes_query(2).subquery().c.group_id)))
        if self.content:
            found.append(c.content.ilike(f"%{self.content}%"))
        if self.speaker_entity:
            entity = self.speaker_entity
            found.append(or_(lk.canonical_id == entity, lk.actor_id == entity))
        if self.mentions_entity:
            found.append(mentions_entity(self.mentions_entity, dialect))
        if self.holder_names is not None:
            names = [n.lower() for n in self.holder_names]
            found.append(func.lower(schema.figures.c.holder_name).in_(names))
        if self.series is not None:
            found.append(schema.figures.c.series == self.series)
        if self.published_since is not None:
            found.append(_published_since(self.published_since, dialect))
        if self.published_until is not None:
            found.append(published_key(dialect) <= (until_bound(self.published_until) or ""))
        if self.any_of:
            found.append(or_(*(f.where(dialect) for f in self.any_of)))
        return and_(true(), *found)


def _claim_keys(keys: Sequence[tuple[str, str]]) -> ColumnElement[bool]:
    i = schema.claim_items.c
    if len(keys) == 1:
        return and_(i.article_id == keys[0][0], i.claim_id == keys[0][1])
    articles = i.article_id.in_(sorted({k[0] for k in keys}))  # by index: see claim_groups
    return and_(articles, tuple_(i.article_id, i.claim_id).in_(list(keys)))


def about_figures(terms: Sequence[FigureTerm]) -> ColumnElement[bool]:
    """Figures whose series matches one of `terms` by the names of its figures (measure
    keys and spans, holder names: `series_names`, looked up once); figures with no
    measure (stored before measures existed, or records made without them) by their
    unit or, stored before migration 6 without one, their claim's wording."""
    i, c, f = schema.claim_items.c, schema.claims.c, schema.figures.c
    legacy: list[ColumnElement[bool]] = []
    for term in terms:
        like = f"%{term.term}%"
        legacy += [and_(f.kind.is_(None), i.unit.is_(None), c.content.ilike(like))]
        legacy.append(f.unit.ilike(like))
        if term.unit:
            legacy.append(i.unit == term.unit)
    named = f.series.in_(named_series([t.term for t in terms]))
    return or_(named, and_(f.measure_key.is_(None), f.role.is_(None), or_(*legacy)))


FEW_FIGURES = 3000
"""The most figures `few_figure_articles` reads through their articles."""


def few_figure_articles(conn: Connection, items: ItemFilter) -> tuple[str, ...] | None:
    """The articles of every figure `items` may select, when its figure terms and series
    name at most FEW_FIGURES (counted by the series summaries, with every figure stored
    without a measure that the terms may match by unit or wording); None when they name
    more, or `items` selects by neither. Reading such items through their articles
    finds them by index, where a walk of the articles from the latest read most of the
    store to find a rare series (the 1,000 latest reports about Karsk of a
    20,000-article store: 1,400 matches among 80,000 figures)."""
    if items.any_of or items.article_ids is not None:
        return None
    if items.figure_terms is None and items.series is None:
        return None
    s, f = schema.series_summaries.c, schema.figures.c
    keys = select(s.series, s.points)
    if items.series is not None:
        keys = keys.where(s.series == items.series)
    if items.figure_terms is not None:
        keys = keys.where(s.series.in_(named_series([t.term for t in items.figure_terms])))
    counted = {str(k): int(n) for k, n in conn.execute(keys)}
    unmeasured = f.measure_key.is_(None) & f.role.is_(None)
    legacy = 0
    if items.figure_terms is not None and items.series is None:
        few = select(f.article_id).where(unmeasured).limit(FEW_FIGURES + 1).subquery()
        legacy = int(conn.execute(select(func.count()).select_from(few)).scalar_one())
    if sum(counted.values()) + legacy > FEW_FIGURES:
        return None
    held = f.series.in_(sorted(counted))
    query = select(f.article_id).where(or_(held, unmeasured) if legacy else held).distinct()
    return tuple(sorted(str(r[0]) for r in conn.execute(query)))


def _in_a_series() -> ColumnElement[bool]:
    """Figures of a series, or with a unit and no measure (stored before migration 6)."""
    f, i = schema.figures.c, schema.claim_items.c
    legacy = f.measure_key.is_(None) & f.role.is_(None) & i.unit.is_not(None)
    return f.series.is_not(None) | legacy


def group_sizes_query(min_size: int) -> Any:
    """(group id, items) of the claim groups with at least `min_size` items."""
    i = schema.claim_items.c
    n = func.count().label("n")
    return select(i.group_id, n).group_by(i.group_id).having(func.count() >= min_size)


def item_rows(conn: Connection, items: ItemFilter) -> list[Mapping[Any, Any]]:
    """The claim items `items` selects with their article, claim, figure and speaker's
    actor, oldest first."""
    return _rows(conn, items.where(conn.dialect.name))


def _rows(conn: Connection, where: ColumnElement[bool]) -> list[Mapping[Any, Any]]:
    ce = schema.canonical_entities.c
    i, c, f, a, lk = _columns()
    joined = item_sources().outerjoin(schema.canonical_entities, ce.id == lk.actor_id)
    query = (
        select(
            i.article_id,
            i.claim_id,
            i.figure_id,
            i.group_id,
            i.words,
            i.unit,
            i.value,
            i.low,
            i.high,
            a.outlet,
            a.url,
            a.published,
            a.duplicate_of,
            a.seq,
            c.speaker,
            c.speaker_entity_id,
            c.source_chain,
            c.stance,
            c.hedged,
            c.content,
            c.content_start,
            c.content_end,
            c.time_ids,
            c.cue,
            f.text.label("figure_text"),
            f.start.label("figure_start"),
            f.end.label("figure_end"),
            f.qualifier,
            f.unit.label("figure_unit"),
            f.series,
            f.as_of.label("figure_as_of"),
            f.kind.label("figure_kind"),
            f.predicate,
            f.holder_name,
            f.measure_text,
            lk.actor_id,
            ce.key.label("actor_key"),
            ce.name.label("actor_name"),
        )
        .select_from(joined)
        .where(where)
        .order_by(a.published, a.seq, i.claim_id, i.figure_id)
    )
    return [r._mapping for r in conn.execute(query)]


_DATE_GLOBS = (
    "[0-9][0-9][0-9][0-9]",
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]",
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]",
)
_DATE_REGEX = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


def _binary(expr: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """`expr` compared code point by code point (as Python compares strings)."""
    return expr.collate("C") if dialect == "postgresql" else expr


def _is_date(value: ColumnElement[Any], dialect: str) -> ColumnElement[bool]:
    """Is `value` a calendar date: YYYY, YYYY-MM or YYYY-MM-DD?"""
    if dialect == "sqlite":  # GLOB is built in; SQLite's REGEXP calls back into Python
        return or_(*(value.op("GLOB")(g) for g in _DATE_GLOBS))
    return value.regexp_match(_DATE_REGEX)


def _json_strings(column: ColumnElement[Any], dialect: str) -> Any:
    """The elements of the JSON list of strings in `column`, as a table of one column,
    `value` (for the FROM of a subquery correlated to `column`'s table)."""
    if dialect == "sqlite":  # json_each(x) AS anon(key, value, ...)
        return func.json_each(column).table_valued("value")
    elements = func.json_array_elements_text(cast(column, JSON))
    return elements.table_valued("value").render_derived()


def claim_date(dialect: str) -> ColumnElement[Any]:
    """The earliest calendar date among the normalised times of the claim of the
    enclosing query (`claims` in its FROM), else NULL: `Member.event_date` in SQL."""
    t, c = schema.times.c, schema.claims.c
    ids = _json_strings(c.time_ids, dialect)
    return (
        select(func.min(_binary(t.value, dialect)))
        .select_from(ids.join(schema.times, (t.article_id == c.article_id) & (t.id == ids.c.value)))
        .where(t.value.is_not(None), _is_date(t.value, dialect))
        .correlate(schema.claims)
        .scalar_subquery()
    )


def _columns() -> tuple[Any, Any, Any, Any, Any]:
    """The columns of claim items, claims, figures, articles and entity links."""
    claim_items, claims, figures = schema.claim_items, schema.claims, schema.figures
    return claim_items.c, claims.c, figures.c, schema.articles.c, schema.entity_links.c


def item_sources() -> Any:
    """Claim items with their article, claim, figure and speaker's link (the tables a
    condition given to `item_rows` may use, canonical entities apart)."""
    i, c, f, a, lk = _columns()
    return (
        schema.claim_items.join(schema.articles, a.id == i.article_id)
        .outerjoin(schema.claims, (c.article_id == i.article_id) & (c.id == i.claim_id))
        .outerjoin(schema.figures, (f.article_id == i.article_id) & (f.id == i.figure_id))
        .outerjoin(
            schema.entity_links,
            (lk.article_id == i.article_id) & (lk.entity_id == c.speaker_entity_id),
        )
    )


def published_key(dialect: str) -> ColumnElement[Any]:
    """An article's publication date as `item_rows` conditions compare it: "" when
    unknown, compared code point by code point (as Python compares strings)."""
    return _binary(func.coalesce(schema.articles.c.published, ""), dialect)


def _published_since(date: str, dialect: str) -> ColumnElement[bool]:
    """Published on or after `date`, as `published_key` compares. On SQLite a later
    date than "" is compared with the column itself (an unknown date is before every
    date either way), so that the articles index finds the recent ones."""
    if dialect == "sqlite" and date:
        return schema.articles.c.published >= date
    return published_key(dialect) >= date


def _latest_first(dialect: str) -> ColumnElement[Any]:
    """The order of `published_key`, latest first. On SQLite the column itself (NULL
    sorts last descending, as "" does), so that a query walks the articles index from
    the latest and stops at its LIMIT instead of sorting every match (a 20,000-article
    store's 1,000th latest figure about troops: 168 -> 16 ms)."""
    if dialect == "sqlite":
        return schema.articles.c.published.desc()
    return published_key(dialect).desc()


def nth_latest_published(conn: Connection, items: ItemFilter, n: int) -> str | None:
    """The publication date of the `n`-th most recently published claim item of
    `items`; None when fewer match."""
    pub = published_key(conn.dialect.name)
    where = items.where(conn.dialect.name)
    query = (
        select(pub)
        .select_from(item_sources())
        .where(where)
        .order_by(_latest_first(conn.dialect.name))
        .limit(1)
        .offset(n - 1)
    )
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


def groups_published_before(
    conn: Connection, items: ItemFilter, groups: Iterable[str], date: str
) -> set[str]:
    """Those of `groups` with a claim item of `items` published before `date`: one
    query an IN list of groups, looked up through the group index (a query a group, or
    one EXISTS a group, took seconds for a history of 1,000 points to build and run)."""
    i, pub = schema.claim_items.c, published_key(conn.dialect.name)
    where = items.where(conn.dialect.name)
    found: set[str] = set()
    for chunk in in_chunks(sorted(set(groups))):
        query = (
            select(i.group_id)
            .select_from(item_sources())
            .where(where, i.group_id.in_(chunk), pub < date)
            .distinct()
        )
        found.update(str(r[0]) for r in conn.execute(query))
    return found


def _group_key(dialect: str) -> ColumnElement[Any]:
    """`claim_items.group_id` to group by. On SQLite an expression, so that it groups
    by sorting the rows it scans instead of walking the group index (one random read of
    each joined table a row, several times slower on a large store)."""
    group_id = schema.claim_items.c.group_id
    return func.coalesce(group_id, "") if dialect == "sqlite" else group_id


def latest_first_reports(conn: Connection, items: ItemFilter, n: int) -> list[Mapping[Any, Any]]:
    """The rows (as `item_rows`) of the claim items of `items` published on the earliest
    date of their group's items of `items` (the candidates for the group's first report),
    for the `n` groups whose earliest date is the latest, and those tied with the last
    of them.

    The groups are looked for among the latest items first (the `k`-th latest date on,
    `k` growing until `n` groups begin there; a group with an earlier item is left out),
    so that the articles index finds them instead of a scan grouping every match (the
    first reports of troops on a 20,000-article store: 670 -> 180 ms). On PostgreSQL,
    where no index orders `published_key`, in one scan of every match."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        scope, firsts = _recent_window(conn, items, n)
    else:
        scope, firsts = items, _group_firsts(conn, items)
    latest = sorted(firsts.values(), reverse=True)[:n]
    chosen = sorted((g, d) for g, d in firsts.items() if len(latest) < n or d >= latest[-1])
    chunks = list(in_chunks(chosen, columns=2))
    found = [r for c in chunks for r in _rows(conn, _first_of(scope, c, dialect))]
    return found if len(chunks) == 1 else sorted(found, key=_row_order)


def _first_of(
    items: ItemFilter, firsts: Sequence[tuple[str, str]], dialect: str
) -> ColumnElement[bool]:
    """The claim items of `items` of these groups published on these dates ((group id,
    date) pairs), matched as one string "group|date", not as a pair: SQLite would look
    the pairs up through the group index, one random read a row (group ids hold no
    "|"). PostgreSQL is told the groups too, so that it finds them by that index instead
    of building the string of every item of `items` (troops on a 20,000-article store:
    470 -> 250 ms of the database)."""
    i, a = schema.claim_items.c, schema.articles.c
    own = i.group_id + "|" + func.coalesce(a.published, "")
    found = and_(items.where(dialect), own.in_([f"{g}|{d}" for g, d in firsts]))
    if dialect == "sqlite":
        return found
    return and_(found, i.group_id.in_(sorted({g for g, _ in firsts})))


def _recent_window(
    conn: Connection, items: ItemFilter, n: int
) -> tuple[ItemFilter, dict[str, str]]:
    """The items of `items` from the `k`-th latest on (`k` growing fourfold from 2`n`
    until `n` groups begin there, or every item) and the earliest date of each group
    that begins there."""
    k = 2 * n
    while True:
        since, firsts = _recent_firsts(conn, items, k)
        if since is None:
            return items, firsts
        for group in groups_published_before(conn, items, firsts, since):
            del firsts[group]
        if len(firsts) >= n:
            return replace(items, published_since=since), firsts
        k *= 4


def _row_order(row: Mapping[Any, Any]) -> tuple[str, int, str, str]:
    """The order of `_rows` (publication date, article, claim, figure) in Python."""
    return (row["published"] or "", row["seq"] or 0, row["claim_id"], row["figure_id"])


def _recent_firsts(
    conn: Connection, items: ItemFilter, k: int
) -> tuple[str | None, dict[str, str]]:
    """The publication date of the `k`-th latest item of `items` and the earliest date
    of each group among the items published on or after it; (None, over every item of
    `items`) when fewer match, read in the same walk of the articles index."""
    dialect = conn.dialect.name
    pub = published_key(dialect)
    query = select(_group_key(dialect), pub).select_from(item_sources())
    rows = conn.execute(query.where(items.where(dialect)).order_by(_latest_first(dialect)).limit(k))
    latest = [(str(g), str(d)) for g, d in rows]
    if len(latest) == k:
        since = latest[-1][1]
        return since, _group_firsts(conn, replace(items, published_since=since))
    firsts: dict[str, str] = {}
    for group, date in latest:  # latest first: the last seen is the earliest
        firsts[group] = date
    return None, firsts


def _group_firsts(conn: Connection, items: ItemFilter) -> dict[str, str]:
    """The earliest publication date (as `published_key`) of each group's items of
    `items`."""
    dialect = conn.dialect.name
    group, first = _group_key(dialect), func.min(published_key(dialect))
    query = select(group, first).select_from(item_sources()).where(items.where(dialect))
    return {str(g): str(d) for g, d in conn.execute(query.group_by(group))}


def mentions_entity(canonical_id: str, dialect: str) -> ColumnElement[bool]:
    """A condition on the claim of the enclosing query (`claims` in its FROM): its
    content overlaps a mention of an article entity linked to `canonical_id`."""
    e, c = schema.entities.c, schema.claims.c
    lk = schema.entity_links.alias("mention_links")  # the enclosing query has its own
    start: ColumnElement[Any]
    end: ColumnElement[Any]
    if dialect == "sqlite":  # json_each(mentions) AS anon(value, key, ...)
        spans = func.json_each(e.mentions).table_valued("value")
        start = func.json_extract(spans.c.value, "$.start")
        end = func.json_extract(spans.c.value, "$.end")
    else:  # json_array_elements(mentions) AS anon(value), one JSON object a row
        elements = func.json_array_elements(cast(e.mentions, JSON))
        spans = elements.table_valued("value").render_derived()
        start = cast(spans.c.value.op("->>")("start"), Integer)
        end = cast(spans.c.value.op("->>")("end"), Integer)
    mentions = (
        select(literal(1))
        .select_from(
            schema.entities.join(
                lk, (lk.c.article_id == e.article_id) & (lk.c.entity_id == e.id)
            ).join(spans, true())
        )
        .where(
            lk.c.canonical_id == canonical_id,
            e.article_id == c.article_id,
            start < c.content_end,
            end > c.content_start,
        )
        .correlate(schema.claims)
    )
    return mentions.exists()


def latest_claims(
    conn: Connection, items: ItemFilter, limit: int, first: ItemFilter | None = None
) -> list[tuple[str, str, bool]]:
    """(article id, claim id, matches `first`) of the `limit` distinct claims of the
    claim items of `items` whose date of what happened (the claim's date, else the
    publication date; undated last) comes last, then by publication date, latest first.
    `items` and `first` must hold for every item of a claim or for none."""
    dialect = conn.dialect.name
    i, a = schema.claim_items.c, schema.articles.c
    where = items.where(dialect)
    flag = case((first.where(dialect), 1), else_=0) if first is not None else literal(1)
    happened = _binary(func.coalesce(claim_date(dialect), a.published, "9999"), dialect)
    hap, pub = happened.label("hap"), published_key(dialect).label("pub")
    query = (
        select(i.article_id, i.claim_id, flag.label("flag"), hap, pub, a.seq)
        .select_from(item_sources())
        .where(where)
        .distinct()  # one row a claim
        .order_by(hap.desc(), pub.desc(), a.seq.desc(), i.claim_id.desc())
        .limit(limit)
    )
    return [(row[0], row[1], bool(row[2])) for row in conn.execute(query)]


GROUP_SORTS = ("size", "date")


@dataclass(frozen=True)
class GroupQuery:
    """Which claim groups a listing shows, and in which order: those of `min_items` items
    or more with a member of `stance` (deny: the groups somebody denies), a member whose
    figure series key holds `series` ("troops"), a member whose claim is worded with
    `content`, and a member where the cross-article entity `entity` speaks or is named
    (each its own member); `sort` "size" (most items first) or "date" (last seen, newest
    first), ties by size, then id."""

    min_items: int = 2
    stance: str | None = None
    series: str | None = None
    content: str | None = None
    entity: str | None = None
    sort: str = "size"

    def member_conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        """One condition on the tables of `item_sources` for each member asked for
        besides its stance and series (`group_stances` and `group_series` have those)."""
        c = schema.claims.c
        found: list[ColumnElement[bool]] = []
        if self.content:
            found.append(c.content.ilike(f"%{self.content}%"))
        if self.entity:
            either = (
                ItemFilter(speaker_entity=self.entity),
                ItemFilter(mentions_entity=self.entity),
            )
            found.append(ItemFilter(any_of=either).where(dialect))
        return found
