"""SQL for the cross-article analysis tables (SQLAlchemy Core, portable to PostgreSQL).

Every function takes an open `Connection` so that the analysis of a batch of articles
runs in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, text, update

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
            lk.actor_id,
            ce.key.label("actor_key"),
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
