"""SQL for the cross-article analysis tables (SQLAlchemy Core, portable to PostgreSQL).

Every function takes an open connection (`Store.reading`, `Store.writing`) so that the
analysis of a batch of articles runs in one transaction. Claim items: `store.items`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    select,
    text,
    tuple_,
    union_all,
    update,
)

from newstrace.store import schema
from newstrace.store.contradictions import (
    ALL_GROUPS,
    clear_contradictions,
    forget_changes,
    mark_groups,
    mark_items,
    mark_speakers,
)
from newstrace.store.filters import in_chunks


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
    mark_items(conn, schema.claim_items.c.article_id.in_(article_ids))
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


def shared_articles(conn: Connection, ids: Iterable[str], company: Iterable[str]) -> dict[str, int]:
    """Per canonical id of `ids`, the stored articles that also link one of `company`."""
    mine = schema.entity_links.alias("mine")
    other = schema.entity_links.alias("other")
    query = (
        select(mine.c.canonical_id, func.count(func.distinct(mine.c.article_id)))
        .join(other, other.c.article_id == mine.c.article_id)
        .where(mine.c.canonical_id.in_(list(ids)), other.c.canonical_id.in_(list(company)))
        .group_by(mine.c.canonical_id)
    )
    return {cid: int(n) for cid, n in conn.execute(query)}


def save_canonicals(conn: Connection, rows: Iterable[CanonicalRow]) -> None:
    """Insert or replace canonical entities."""
    values = [r.to_row() for r in rows]
    if not values:
        return
    table = schema.canonical_entities
    ids = [v["id"] for v in values]
    old = {
        r[0]: r[1]
        for r in conn.execute(select(table.c.id, table.c.name).where(table.c.id.in_(ids)))
    }
    # a renamed entity is shown by its new name in the reasons of its contradictions
    mark_speakers(conn, {v["id"] for v in values if v["id"] in old and old[v["id"]] != v["name"]})
    conn.execute(delete(table).where(table.c.id.in_(ids)))
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


def act_as(conn: Connection, canonical_id: str, actor_id: str) -> None:
    """Point the links of canonical `canonical_id` that act as themselves at `actor_id`:
    a group word an earlier article linked to nothing ("Republicans") acts as the
    organisation a later article links that word to."""
    e = schema.entity_links.c
    own = (e.canonical_id == canonical_id) & (e.actor_id == canonical_id)
    mark_speakers(conn, [canonical_id])  # their claims' actor changes: sides of contradictions
    conn.execute(update(schema.entity_links).where(own).values(actor_id=actor_id))


def relink(
    conn: Connection,
    source: str,
    target: str,
    entities: Sequence[tuple[str, str]] | None = None,
) -> None:
    """Point links (and actor links) of canonical `source` at `target`; `entities`: only
    the links of these (article id, entity id) pairs."""
    e = schema.entity_links
    mark_speakers(conn, [source])
    for column in (e.c.canonical_id, e.c.actor_id):
        condition = column == source
        if entities is not None:
            condition = condition & tuple_(e.c.article_id, e.c.entity_id).in_(list(entities))
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


def canonical_listing_query(search: str | None, kind: str | None = None) -> Select[Any]:
    """The one listing of canonical entities (CLI, API, web): each with its mention links
    (`links`) and articles (`arts`), most articles first, then most links, then by
    name; `search` in a name or alias, `kind` the entity type."""
    c, lk = schema.canonical_entities, schema.entity_links.c
    # Counted per entity from the (canonical_id, article_id) index, then joined: grouping
    # the join by every canonical column read each link's row (0.7 s on PolNeAR).
    counts = (
        select(
            lk.canonical_id,
            func.count().label("links"),
            func.count(lk.article_id.distinct()).label("arts"),
        )
        .group_by(lk.canonical_id)
        .subquery()
    )
    return (
        select(c, counts.c.links, counts.c.arts)
        .join(counts, counts.c.canonical_id == c.c.id)
        .where(*canonical_conditions(search, kind))
        .order_by(counts.c.arts.desc(), counts.c.links.desc(), c.c.name)
    )


def canonical_conditions(search: str | None, kind: str | None) -> list[ColumnElement[bool]]:
    """The filters of `canonical_listing_query` on `canonical_entities`."""
    c = schema.canonical_entities.c
    found: list[ColumnElement[bool]] = []
    if search:
        found.append(c.name.ilike(f"%{search}%") | c.aliases.ilike(f"%{search}%"))
    if kind:
        found.append(c.type == kind)
    return found


def canonical_listed_count(conn: Connection, search: str | None, kind: str | None) -> int:
    """How many rows `canonical_listing_query` lists: the entities with a mention link
    that pass the filters (an EXISTS on the canonical_id index, not the per-entity counts
    of the listing: 10 ms to 1 ms on 8,000 links)."""
    c, lk = schema.canonical_entities.c, schema.entity_links.c
    linked = exists().where(lk.canonical_id == c.id)
    query = (
        select(func.count())
        .select_from(schema.canonical_entities)
        .where(linked, *canonical_conditions(search, kind))
    )
    return int(conn.execute(query).scalar_one())


def canonical_listing(conn: Connection, search: str | None) -> list[tuple[CanonicalRow, int, int]]:
    """Canonical entities with (links, articles), in the order of `canonical_listing_query`."""
    return [
        (canonical_from_row(r._mapping), int(r.links), int(r.arts))
        for r in conn.execute(canonical_listing_query(search))
    ]


def existing_article_ids(conn: Connection, ids: Sequence[str]) -> list[str]:
    """Those of `ids` that are stored articles."""
    a = schema.articles.c
    return [r[0] for r in conn.execute(select(a.id).where(a.id.in_(list(ids))))]


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


def clear_analysis(conn: Connection) -> None:
    """Forget all analysis: claim items, links, canonical entities, contradictions (not
    corrections)."""
    for table in (*schema.ANALYSIS_TABLES, schema.canonical_keys, schema.canonical_entities):
        conn.execute(table.delete())
    clear_contradictions(conn)
    forget_changes(conn)
    mark_groups(conn, [ALL_GROUPS])


# --- claim groups ------------------------------------------------------------------


def _items_with_claims() -> Any:
    i, c = schema.claim_items.c, schema.claims.c
    return schema.claim_items.join(
        schema.claims, and_(c.article_id == i.article_id, c.id == i.claim_id)
    )


def groups_with_stance(
    conn: Connection, stances: Sequence[str], among: Collection[str] | None = None
) -> list[str]:
    """Ids of the groups (`among` these, when given) with a claim of one of `stances`,
    sorted."""
    i, c = schema.claim_items.c, schema.claims.c
    query = select(i.group_id).select_from(_items_with_claims()).where(c.stance.in_(stances))
    if among is None:
        return sorted(str(r[0]) for r in conn.execute(query.distinct()))
    found: set[str] = set()
    for chunk in in_chunks(list(among)):
        found.update(str(r[0]) for r in conn.execute(query.where(i.group_id.in_(chunk)).distinct()))
    return sorted(found)


def claim_groups(conn: Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(article id, claim id) -> the id of that claim's group (its first item's); the
    articles named apart, so that SQLite looks the keys up by index (a row-value IN alone
    read every claim item)."""
    i = schema.claim_items.c
    query = (
        select(i.article_id, i.claim_id, func.min(i.group_id).label("g"))
        .where(
            i.article_id.in_(sorted({k[0] for k in keys})),
            tuple_(i.article_id, i.claim_id).in_(list(keys)),
        )
        .group_by(i.article_id, i.claim_id)
    )
    return {(r.article_id, r.claim_id): str(r.g) for r in conn.execute(query)}


def article_texts(conn: Connection, article_ids: Iterable[str]) -> dict[str, str]:
    """article id -> text, for these articles."""
    a = schema.articles.c
    ids = sorted(article_ids)
    texts: dict[str, str] = {}
    for chunk in in_chunks(ids):
        query = select(a.id, a.text).where(a.id.in_(chunk))
        texts.update((r.id, r.text) for r in conn.execute(query))
    return texts


# --- matching claim items -----------------------------------------------------------


ITEM_COLUMNS = (
    "article_id", "claim_id", "figure_id", "words", "value", "low", "high", "unit",
    "text_hash", "profile", "names",
)  # fmt: skip


def candidate_items(
    conn: Connection, keys: Sequence[str], limit: int, per_key: int = 40
) -> list[tuple[Any, ...]]:
    """Stored claim items filed under the blocking `keys` (the first `per_key` of each
    key by item, so that a common key costs no more than a rare one), those under the
    most keys first (then by item), at most `limit`: the values of `ITEM_COLUMNS`, the
    item's group id and the stored sentence vector of its wording (None when it has
    none)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return []
    params: dict[str, Any] = {f"key_{n}": key for n, key in enumerate(wanted)}
    params["per_key"], params["limit"] = per_key, limit
    query = _candidates_query(len(wanted), conn.dialect.name)
    return [tuple(row[:-1]) for row in conn.execute(query, params)]


@lru_cache(maxsize=128)
def _candidates_query(n_keys: int, dialect: str) -> Any:
    """One query per number of keys and dialect (built once). The keys' items are
    counted and ranked in the database, from the keys' index alone, and only the
    `limit` kept are read with their vectors: on a large store most items under the
    keys are not kept, and reading them all made the update grow with the store."""
    i, k, v = schema.claim_items.c, schema.claim_keys.c, schema.text_vectors.c
    ident = (k.article_id, k.claim_id, k.figure_id)
    parts = [
        select(*ident)
        .where(k.key == bindparam(f"key_{n}"))
        .order_by(*ident)
        .limit(bindparam("per_key"))
        .subquery()
        for n in range(n_keys)
    ]
    filed = union_all(*(select(*part.c) for part in parts)).subquery("filed")
    counted = func.count().label("hits")
    idents = [filed.c.article_id, filed.c.claim_id, filed.c.figure_id]
    ranked = (
        select(*idents, counted)
        .group_by(*idents)
        .order_by(counted.desc(), *_bytewise(idents, dialect))
        .limit(bindparam("limit"))
        .subquery("ranked")
    )
    r = ranked.c
    columns = [*(i[name] for name in ITEM_COLUMNS), i.group_id, v.vector, r.hits]
    joined = ranked.join(
        schema.claim_items,
        (i.article_id == r.article_id) & (i.claim_id == r.claim_id) & (i.figure_id == r.figure_id),
    ).outerjoin(schema.text_vectors, v.text_hash == i.text_hash)
    order = _bytewise([r.article_id, r.claim_id, r.figure_id], dialect)
    return select(*columns).select_from(joined).order_by(r.hits.desc(), *order)


def _bytewise(columns: Sequence[Any], dialect: str) -> list[Any]:
    """`columns` ordered by their characters' codes (as Python orders strings), whatever
    the database's collation (SQLite's default already is)."""
    return [c.collate("C") for c in columns] if dialect == "postgresql" else list(columns)


def group_vectors(conn: Connection, group_id: str, limit: int) -> list[bytes]:
    """The stored sentence vectors of the distinct wordings of group `group_id`'s items
    (at most `limit`, the same ones each time: by text hash)."""
    i, v = schema.claim_items.c, schema.text_vectors.c
    query = (
        select(v.text_hash, v.vector)
        .select_from(schema.claim_items.join(schema.text_vectors, v.text_hash == i.text_hash))
        .where(i.group_id == group_id)
        .distinct()
        .order_by(v.text_hash)
        .limit(limit)
    )
    return [row.vector for row in conn.execute(query)]


def merge_groups(conn: Connection, groups: Sequence[str], into: str) -> None:
    """Move every item of `groups` into group `into`."""
    i = schema.claim_items
    mark_groups(conn, [*groups, into])
    conn.execute(update(i).where(i.c.group_id.in_(list(groups))).values(group_id=into))


def insert_item(conn: Connection, item: Mapping[str, Any], keys: Iterable[str]) -> None:
    """Store one claim item (a row of `claim_items`) and file it under its blocking keys."""
    conn.execute(schema.claim_items.insert().values(**item))
    mark_groups(conn, [item["group_id"]])
    ident = {"article_id": item["article_id"], "claim_id": item["claim_id"]}
    ident["figure_id"] = item["figure_id"]
    rows = [{"key": key, **ident} for key in dict.fromkeys(keys)]
    if rows:
        conn.execute(schema.claim_keys.insert(), rows)


# --- boilerplate: sentences one outlet repeats across articles --------------------------


def sentence_roots(conn: Connection, outlet: str, sentence: str) -> set[str]:
    """The copy groups of the articles of `outlet` that hold claim items in `sentence`."""
    s = schema.item_sentences.c
    query = select(s.root).where((s.outlet == outlet) & (s.sentence == sentence)).distinct()
    return {row[0] for row in conn.execute(query)}


def insert_sentences(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Record the sentence (and outlet, copy group) of claim items."""
    if rows:
        conn.execute(schema.item_sentences.insert(), list(rows))


def drop_sentence_items(conn: Connection, outlet: str, sentence: str) -> int:
    """Remove from the claim items (and their blocking and negation keys) every item in
    `sentence` of `outlet` (boilerplate); returns how many were removed."""
    s = schema.item_sentences.c
    where = (s.outlet == outlet) & (s.sentence == sentence)
    idents = [
        tuple(r) for r in conn.execute(select(s.article_id, s.claim_id, s.figure_id).where(where))
    ]
    removed = 0
    i = schema.claim_items.c
    for aid, cid, fid in idents:
        mark_items(conn, (i.article_id == aid) & (i.claim_id == cid) & (i.figure_id == fid))
    for table in (schema.claim_items, schema.claim_keys, schema.negation_keys):
        c = table.c
        for aid, cid, fid in idents:
            result = conn.execute(
                delete(table).where(
                    (c.article_id == aid) & (c.claim_id == cid) & (c.figure_id == fid)
                )
            )
            removed += result.rowcount if table is schema.claim_items else 0
    return removed


def holder_figure_rows(
    conn: Connection, article_ids: Sequence[str] | None
) -> list[Mapping[Any, Any]]:
    """The figures in a series whose holder is an entity of its article by the name the
    figure gives it (not a country named for a demonym), each with the name of that
    entity's canonical actor (``holder_canonical``). `article_ids`: only the figures whose
    holder is an actor these articles link to (None: every such figure)."""
    f, e, lk = schema.figures.c, schema.entities.c, schema.entity_links.c
    ce = schema.canonical_entities.c
    query = (
        select(schema.figures, ce.name.label("holder_canonical"))
        .select_from(
            schema.figures.join(
                schema.entities, (e.article_id == f.article_id) & (e.id == f.holder)
            )
            .join(
                schema.entity_links,
                (lk.article_id == f.article_id) & (lk.entity_id == f.holder),
            )
            .join(schema.canonical_entities, ce.id == lk.actor_id)
        )
        .where(f.series.is_not(None), e.name == f.holder_name)
    )
    if article_ids is not None:
        near = schema.entity_links.alias("near")
        actors = select(near.c.actor_id).where(near.c.article_id.in_(article_ids))
        query = query.where(lk.actor_id.in_(actors))
    return [r._mapping for r in conn.execute(query)]


def set_series(conn: Connection, keys: Sequence[tuple[str, str, str]]) -> None:
    """Store (article id, figure id, series key) rows as those figures' series keys."""
    if not keys:
        return
    i = schema.claim_items.c
    for chunk in in_chunks([(a, fid) for a, fid, _ in keys], columns=2):
        # their groups' contradictions and first reports are by series: found again
        mark_items(conn, tuple_(i.article_id, i.figure_id).in_(chunk))
    f = schema.figures
    query = (
        update(f)
        .where(f.c.article_id == bindparam("a"), f.c.id == bindparam("i"))
        .values(series=bindparam("s"))
    )
    conn.execute(query, [{"a": a, "i": i, "s": s} for a, i, s in keys])
