"""SQL for the cross-article analysis tables (SQLAlchemy Core, portable to PostgreSQL).

Every function takes an open `Connection` so that the analysis of a batch of articles
runs in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Integer,
    and_,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
    update,
)

from newstrace.store import schema


@dataclass
class CanonicalRow:
    """One cross-article entity as stored."""

    id: str
    key: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "name": self.name,
            "type": self.type,
            "aliases": json.dumps(self.aliases, ensure_ascii=False),
            "roles": json.dumps(self.roles, ensure_ascii=False),
        }


def canonical_from_row(row: Mapping[Any, Any]) -> CanonicalRow:
    """Rebuild a `CanonicalRow` from its row."""
    return CanonicalRow(
        row["id"],
        row["key"],
        row["name"],
        row["type"],
        json.loads(row["aliases"]),
        json.loads(row["roles"]),
    )


def delete_article_analysis(conn: Connection, article_ids: Sequence[str]) -> None:
    """Forget the analysis rows of these articles (before analysing them again)."""
    for table in schema.ANALYSIS_TABLES:
        conn.execute(delete(table).where(table.c.article_id.in_(article_ids)))


def stale_article_ids(conn: Connection) -> list[str]:
    """Articles never analysed, or changed since they were."""
    a, s = schema.articles.c, schema.analysed_articles.c
    query = (
        select(a.id)
        .select_from(schema.articles.outerjoin(schema.analysed_articles, s.article_id == a.id))
        .where((s.article_id.is_(None)) | (s.content_hash != a.content_hash))
        .order_by(a.seq)
    )
    return [row[0] for row in conn.execute(query)]


def orphan_article_ids(conn: Connection) -> list[str]:
    """Analysed articles that are no longer in the store."""
    s = schema.analysed_articles.c
    query = select(s.article_id).where(s.article_id.not_in(select(schema.articles.c.id)))
    return [row[0] for row in conn.execute(query)]


# Any constant: the PostgreSQL advisory lock that serialises analysis updates.
_ANALYSIS_LOCK = 7_024_114


def lock_analysis(conn: Connection) -> None:
    """Serialise analysis updates of concurrent writers until this transaction ends.

    Several ingest processes may analyse overlapping articles at once; on PostgreSQL a
    transaction-scoped advisory lock makes them take turns (SQLite's database write
    lock already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ANALYSIS_LOCK})


def mark_analysed(conn: Connection, article_ids: Sequence[str]) -> None:
    """Record that these articles' current versions have been analysed."""
    a = schema.articles.c
    rows = conn.execute(select(a.id, a.content_hash).where(a.id.in_(article_ids)))
    values = [{"article_id": r.id, "content_hash": r.content_hash} for r in rows]
    if values:
        conn.execute(schema.analysed_articles.insert(), values)


# --- canonical entities -----------------------------------------------------------


def canonical_ids_for_keys(conn: Connection, keys: Iterable[str]) -> dict[str, set[str]]:
    """key -> ids of the canonical entities filed under it."""
    k = schema.canonical_keys.c
    found: dict[str, set[str]] = {}
    for key, cid in conn.execute(select(k.key, k.canonical_id).where(k.key.in_(list(keys)))):
        found.setdefault(key, set()).add(cid)
    return found


def load_canonicals(conn: Connection, ids: Iterable[str]) -> dict[str, CanonicalRow]:
    """Canonical entities by id."""
    c = schema.canonical_entities
    rows = conn.execute(select(c).where(c.c.id.in_(list(ids))))
    return {r.id: canonical_from_row(r._mapping) for r in rows}


def link_counts(conn: Connection, ids: Iterable[str]) -> dict[str, int]:
    """Number of article entities linked to each canonical id."""
    e = schema.entity_links.c
    query = (
        select(e.canonical_id, func.count())
        .where(e.canonical_id.in_(list(ids)))
        .group_by(e.canonical_id)
    )
    return {cid: int(n) for cid, n in conn.execute(query)}


def save_canonicals(conn: Connection, rows: Iterable[CanonicalRow]) -> None:
    """Insert or replace canonical entities."""
    values = [r.to_row() for r in rows]
    if not values:
        return
    table = schema.canonical_entities
    conn.execute(delete(table).where(table.c.id.in_([v["id"] for v in values])))
    conn.execute(table.insert(), values)


def delete_canonical(conn: Connection, canonical_id: str) -> None:
    """Remove a canonical entity and its keys (its links must have moved first)."""
    conn.execute(
        delete(schema.canonical_keys).where(schema.canonical_keys.c.canonical_id == canonical_id)
    )
    conn.execute(
        delete(schema.canonical_entities).where(schema.canonical_entities.c.id == canonical_id)
    )


def add_keys(conn: Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """File canonical ids under keys (pairs of key, canonical id), skipping known pairs."""
    wanted = set(pairs)
    if not wanted:
        return
    known = canonical_ids_for_keys(conn, {k for k, _ in wanted})
    new = [{"key": k, "canonical_id": c} for k, c in wanted if c not in known.get(k, set())]
    if new:
        conn.execute(schema.canonical_keys.insert(), new)


def remove_keys(conn: Connection, canonical_id: str, keys: Iterable[str]) -> None:
    """Stop filing `canonical_id` under `keys`."""
    k = schema.canonical_keys.c
    conn.execute(
        delete(schema.canonical_keys).where(
            (k.canonical_id == canonical_id) & k.key.in_(list(keys))
        )
    )


def move_keys(conn: Connection, source: str, target: str) -> None:
    """File everything filed under canonical `source` under `target` instead."""
    k = schema.canonical_keys.c
    keys = [r[0] for r in conn.execute(select(k.key).where(k.canonical_id == source))]
    add_keys(conn, ((key, target) for key in keys))


def insert_links(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert (article_id, entity_id, canonical_id, actor_id) rows."""
    if rows:
        conn.execute(schema.entity_links.insert(), rows)


def relink(conn: Connection, source: str, target: str, where: Any = None) -> None:
    """Point links (and actor links) of canonical `source` at `target`."""
    e = schema.entity_links
    for column in (e.c.canonical_id, e.c.actor_id):
        condition = column == source
        if where is not None:
            condition = condition & where
        conn.execute(update(e).where(condition).values({column.name: target}))


def linked_entities(conn: Connection, canonical_id: str) -> list[Mapping[Any, Any]]:
    """The article entities linked to a canonical id, with their names and aliases."""
    e, lk = schema.entities.c, schema.entity_links.c
    query = (
        select(e.article_id, e.id, e.name, e.aliases, e.type, e.roles)
        .select_from(
            schema.entities.join(
                schema.entity_links, (lk.article_id == e.article_id) & (lk.entity_id == e.id)
            )
        )
        .where(lk.canonical_id == canonical_id)
    )
    return [r._mapping for r in conn.execute(query)]


def canonical_by_key(conn: Connection, key: str) -> str | None:
    """The id of the canonical entity founded under `key`, if any."""
    c = schema.canonical_entities.c
    return conn.execute(select(c.id).where(c.key == key).limit(1)).scalar()


def corrections(conn: Connection) -> list[tuple[str, str, str]]:
    """(action, target, other) of every stored correction, oldest first."""
    c = schema.entity_corrections.c
    query = select(c.action, c.target, c.other).order_by(c.id)
    return [(r.action, r.target, r.other) for r in conn.execute(query)]


def add_correction(conn: Connection, action: str, target: str, other: str, when: str) -> None:
    """Store a user's merge or split so it is re-applied after every analysis."""
    conn.execute(
        schema.entity_corrections.insert().values(
            action=action, target=target, other=other, created_at=when
        )
    )


def canonical_listing(conn: Connection, search: str | None) -> list[tuple[CanonicalRow, int, int]]:
    """Canonical entities with (links, articles), most linked first."""
    c, lk = schema.canonical_entities, schema.entity_links.c
    query = (
        select(c, func.count().label("links"), func.count(lk.article_id.distinct()).label("arts"))
        .join(schema.entity_links, lk.canonical_id == c.c.id)
        .group_by(*c.c)
        .order_by(func.count().desc(), c.c.name)
    )
    if search:
        query = query.where(c.c.name.ilike(f"%{search}%") | c.c.aliases.ilike(f"%{search}%"))
    return [
        (canonical_from_row(r._mapping), int(r.links), int(r.arts)) for r in conn.execute(query)
    ]


def existing_article_ids(conn: Connection, ids: Sequence[str]) -> list[str]:
    """Those of `ids` that are stored articles."""
    a = schema.articles.c
    return [r[0] for r in conn.execute(select(a.id).where(a.id.in_(list(ids))))]


def group_sizes(conn: Connection, min_size: int, limit: int | None) -> list[tuple[str, int]]:
    """(group id, items) of claim groups with at least `min_size` items, largest first."""
    i = schema.claim_items.c
    query = (
        select(i.group_id, func.count().label("n"))
        .group_by(i.group_id)
        .having(func.count() >= min_size)
        .order_by(func.count().desc(), i.group_id)
    )
    if limit:
        query = query.limit(limit)
    return [(g, int(n)) for g, n in conn.execute(query)]


def item_rows(conn: Connection, where: Any) -> list[Mapping[Any, Any]]:
    """Claim items with their article, claim, figure and speaker's actor, filtered by
    `where` (a condition on `claim_items`, `claims`, `figures` or `articles` columns)."""
    ce = schema.canonical_entities.c
    i, c, f, a, lk = (
        schema.claim_items.c,
        schema.claims.c,
        schema.figures.c,
        schema.articles.c,
        schema.entity_links.c,
    )
    joined = (
        schema.claim_items.join(schema.articles, a.id == i.article_id)
        .outerjoin(schema.claims, (c.article_id == i.article_id) & (c.id == i.claim_id))
        .outerjoin(schema.figures, (f.article_id == i.article_id) & (f.id == i.figure_id))
        .outerjoin(
            schema.entity_links,
            (lk.article_id == i.article_id) & (lk.entity_id == c.speaker_entity_id),
        )
        .outerjoin(schema.canonical_entities, ce.id == lk.actor_id)
    )
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


def time_values(conn: Connection, article_ids: Iterable[str]) -> dict[tuple[str, str], str]:
    """(article id, time id) -> normalised value, for the times of these articles."""
    t = schema.times.c
    query = select(t.article_id, t.id, t.value).where(
        t.article_id.in_(list(article_ids)) & t.value.is_not(None)
    )
    return {(r.article_id, r.id): r.value for r in conn.execute(query)}


def entity_mentions(conn: Connection, canonical_id: str) -> dict[str, list[tuple[int, int]]]:
    """article id -> (start, end) of every mention of entities linked to `canonical_id`."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in linked_entities(conn, canonical_id):
        full = conn.execute(
            select(schema.entities.c.mentions).where(
                (schema.entities.c.article_id == row["article_id"])
                & (schema.entities.c.id == row["id"])
            )
        ).scalar_one()
        for m in json.loads(full):
            spans.setdefault(row["article_id"], []).append((m["start"], m["end"]))
    return spans


def all_links(conn: Connection) -> list[tuple[str, str, str, str]]:
    """(article id, entity id, canonical id, actor id) of every entity link."""
    lk = schema.entity_links.c
    query = select(lk.article_id, lk.entity_id, lk.canonical_id, lk.actor_id)
    return [(r[0], r[1], r[2], r[3]) for r in conn.execute(query)]


def canonical_names(conn: Connection) -> dict[str, tuple[str, str]]:
    """canonical id -> (name, type)."""
    c = schema.canonical_entities.c
    return {r.id: (r.name, r.type) for r in conn.execute(select(c.id, c.name, c.type))}


# --- the actor network and bounded histories (set-based, for large stores) ----------


def link_mentions(conn: Connection) -> list[tuple[str, str, str, list[tuple[int, int]] | None]]:
    """(article id, entity id, actor id, mention spans) of every entity link, in one
    query; the spans are None for a link whose article entity is gone."""
    lk, e = schema.entity_links.c, schema.entities.c
    query = select(lk.article_id, lk.entity_id, lk.actor_id, e.mentions).select_from(
        schema.entity_links.outerjoin(
            schema.entities, (e.article_id == lk.article_id) & (e.id == lk.entity_id)
        )
    )
    found: list[tuple[str, str, str, list[tuple[int, int]] | None]] = []
    for r in conn.execute(query):
        spans = None
        if r.mentions is not None:
            spans = [(int(m["start"]), int(m["end"])) for m in json.loads(r.mentions)]
        found.append((r.article_id, r.entity_id, r.actor_id, spans))
    return found


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


def _item_sources() -> Any:
    """Claim items with their article, claim, figure and speaker's link (the tables a
    condition given to `item_rows` may use, canonical entities apart)."""
    i, c, f, a, lk = (
        schema.claim_items.c,
        schema.claims.c,
        schema.figures.c,
        schema.articles.c,
        schema.entity_links.c,
    )
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


def nth_latest_published(conn: Connection, where: Any, n: int) -> str | None:
    """The publication date of the `n`-th most recently published claim item matching
    `where`; None when fewer match."""
    pub = published_key(conn.dialect.name)
    query = (
        select(pub)
        .select_from(_item_sources())
        .where(where)
        .order_by(pub.desc())
        .limit(1)
        .offset(n - 1)
    )
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


def groups_published_before(
    conn: Connection, where: Any, groups: Iterable[str], date: str
) -> set[str]:
    """Those of `groups` with a claim item matching `where` published before `date`
    (one index lookup a group, stopping at the first such item)."""
    i, pub = schema.claim_items.c, published_key(conn.dialect.name)
    found: set[str] = set()
    wanted = sorted(set(groups))
    for start in range(0, len(wanted), _GROUPS_A_QUERY):
        selects = [
            select(literal(g).label("g")).where(
                select(literal(1))
                .select_from(_item_sources())
                .where(where, i.group_id == g, pub < date)
                .exists()
            )
            for g in wanted[start : start + _GROUPS_A_QUERY]
        ]
        query = union_all(*selects) if len(selects) > 1 else selects[0]
        found.update(str(r[0]) for r in conn.execute(query))
    return found


_GROUPS_A_QUERY = 200  # SQLite allows 500 terms in a compound SELECT


def _group_key(dialect: str) -> ColumnElement[Any]:
    """`claim_items.group_id` to group by. On SQLite an expression, so that it groups
    by sorting the rows it scans instead of walking the group index (one random read of
    each joined table a row, several times slower on a large store)."""
    group_id = schema.claim_items.c.group_id
    return func.coalesce(group_id, "") if dialect == "sqlite" else group_id


def latest_first_reports(conn: Connection, where: Any, n: int) -> Any:
    """A condition for `item_rows`: the claim item matches `where` and was published on
    the earliest date of its group's items matching `where` (it is a candidate for the
    group's first report), for the `n` groups whose earliest date is the latest, and
    those tied with the last of them. Group ids hold no "|"."""
    dialect = conn.dialect.name
    i, a = schema.claim_items.c, schema.articles.c
    group, first = _group_key(dialect), func.min(published_key(dialect))
    firsts = (
        select(group + "|" + first, first)
        .select_from(_item_sources())
        .where(where)
        .group_by(group)
        .correlate(None)  # in the condition: the same tables as the enclosing query
    )
    latest = list(conn.execute(firsts.order_by(first.desc()).limit(n)))
    # one string, not a (group, date) pair: SQLite would look the pairs up through the
    # group index, one random read a row
    own = i.group_id + "|" + func.coalesce(a.published, "")
    if len(latest) < n:
        return and_(where, own.in_([str(r[0]) for r in latest]))
    since = latest[-1][1]
    tied = firsts.with_only_columns(group + "|" + first).having(first >= since)
    return and_(where, own.in_(tied))


def mentions_entity(canonical_id: str, dialect: str) -> Any:
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
    conn: Connection, where: Any, limit: int, first: Any = None
) -> list[tuple[str, str, bool]]:
    """(article id, claim id, matches `first`) of the `limit` distinct claims of the
    claim items matching `where` whose date of what happened (the claim's date, else the
    publication date; undated last) comes last, then by publication date, latest first.
    `where` and `first` must hold for every item of a claim or for none."""
    dialect = conn.dialect.name
    i, a = schema.claim_items.c, schema.articles.c
    flag = case((first, 1), else_=0) if first is not None else literal(1)
    happened = _binary(func.coalesce(claim_date(dialect), a.published, "9999"), dialect)
    hap, pub = happened.label("hap"), published_key(dialect).label("pub")
    query = (
        select(i.article_id, i.claim_id, flag.label("flag"), hap, pub, a.seq)
        .select_from(_item_sources())
        .where(where)
        .distinct()  # one row a claim
        .order_by(hap.desc(), pub.desc(), a.seq.desc(), i.claim_id.desc())
        .limit(limit)
    )
    return [(row[0], row[1], bool(row[2])) for row in conn.execute(query)]
