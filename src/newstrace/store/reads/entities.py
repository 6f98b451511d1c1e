"""Entities resolved across articles (the analysis' canonical entities): a listing, and
one entity's record: what it said, what was said about it, whom it disputes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, and_, false, func, literal, or_, select, tuple_

from newstrace.errors import AmbiguousError, NotFoundError
from newstrace.models import Claim
from newstrace.store import ClaimRow, Store, schema
from newstrace.store.analysis_queries import (
    CanonicalRow,
    canonical_from_row,
    canonical_listed_count,
    canonical_listing_query,
    load_canonicals,
)
from newstrace.store.filters import Page, clamp, ilike, one_page
from newstrace.store.items import mentions_entity
from newstrace.store.records import from_row

ARTICLES_PER_ENTITY = 200
DOMINANCE = 4  # a name stands for the entity with 4 times the articles of any other
NEGATIVE = ("deny", "dispute")


@dataclass(frozen=True)
class EntitySummary:
    """One canonical entity with how widely it appears."""

    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    links: int
    articles: int


@dataclass(frozen=True)
class Appearance:
    """An article in which the entity appears."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None


@dataclass(frozen=True)
class EntityDetail:
    """What the store knows about one canonical entity across articles: `said` and
    `about` hold the claims of the articles in `appearances` (the latest
    ARTICLES_PER_ENTITY), `months`, the totals and `alias_counts` cover every article."""

    entity: CanonicalRow
    articles: int
    appearances: list[Appearance]
    said: list[ClaimRow] = field(default_factory=list)
    about: list[ClaimRow] = field(default_factory=list)
    first_published: str | None = None  # over every article, not only those shown
    last_published: str | None = None

    @property
    def disputes(self) -> list[ClaimRow]:
        """What it denied or disputed."""
        return [r for r in self.said if r.claim.stance in NEGATIVE]

    @property
    def disputed_by(self) -> list[ClaimRow]:
        """Denials and disputes by others that mention it."""
        return [r for r in self.about if r.claim.stance in NEGATIVE]

    months: list[tuple[str, int, int]] = field(default_factory=list)  # over every article
    # how often each name is written, over every mention (0: a name it was given, never
    # the text of a mention: "Spokesman Brec")
    alias_counts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def said_total(self) -> int:
        """Claims it made, over every article (not only those shown)."""
        return sum(said for _, said, _ in self.months)

    @property
    def about_total(self) -> int:
        """Claims by others that name it, over every article."""
        return sum(about for _, _, about in self.months)


def list_entities(
    store: Store,
    q: str | None = None,
    kind: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
    ranked: list[Ranked] | None = None,
) -> Page[EntitySummary]:
    """Canonical entities, most articles first (the listing of the CLI and the API:
    `analysis_queries.canonical_listing_query`); `q` in a name or alias, `kind` a type.
    `ranked`: what `ranked_entities` gave for `q` and `kind`, when the caller kept it
    (then only the page's rows are read)."""
    limit, offset = clamp(limit, offset)
    if ranked is not None:
        return _ranked_page(store, ranked, limit, offset)
    query = canonical_listing_query(q, kind)
    with store.reading() as conn:
        total = canonical_listed_count(conn, q, kind)
        rows = conn.execute(one_page(query, limit, offset))
        items = [
            _summary(canonical_from_row(r._mapping), (int(r.links), int(r.arts))) for r in rows
        ]
    return Page(items, total, limit, offset)


Ranked = tuple[str, int, int]  # (canonical id, mention links, articles)


def ranked_entities(store: Store, q: str | None = None, kind: str | None = None) -> list[Ranked]:
    """Every entity `list_entities` lists for `q` and `kind`, in its order, with its
    counts: what its pages share (counting every link is most of a page's time)."""
    query = canonical_listing_query(q, kind)
    c = schema.canonical_entities.c
    ranking = query.with_only_columns(c.id, *query.selected_columns[-2:])
    with store.reading() as conn:
        return [(str(i), int(links), int(arts)) for i, links, arts in conn.execute(ranking)]


def _ranked_page(
    store: Store, ranked: list[Ranked], limit: int | None, offset: int
) -> Page[EntitySummary]:
    shown = ranked[offset : None if limit is None else offset + limit]
    c = schema.canonical_entities
    with store.reading() as conn:
        query = select(c).where(c.c.id.in_([i for i, _, _ in shown]))
        rows = {r.id: canonical_from_row(r._mapping) for r in conn.execute(query)}
    items = [_summary(rows[i], (links, arts)) for i, links, arts in shown if i in rows]
    return Page(items, len(ranked), limit, offset)


def _summary(row: CanonicalRow, counts: tuple[int, int]) -> EntitySummary:
    links, articles = counts
    return EntitySummary(row.id, row.name, row.type, row.aliases, row.roles, links, articles)


def find_entities(store: Store, q: str, limit: int = 20) -> list[EntitySummary]:
    """Canonical entities whose name starts with `q` (then contains it), for search: the
    canonical table is small, so no article table is scanned."""
    c, dialect = schema.canonical_entities.c, store.dialect
    starts = ilike(c.name, f"{q}%", dialect)
    query = (
        select(schema.canonical_entities)
        .where(or_(starts, ilike(c.name, f"% {q}%", dialect), ilike(c.aliases, f"%{q}%", dialect)))
        .order_by(starts.desc(), func.length(c.name), c.name)
        .limit(limit)
    )
    with store.reading() as conn:
        rows = [canonical_from_row(r._mapping) for r in conn.execute(query)]
        counts = _article_counts(conn, [r.id for r in rows])
    return [_summary(r, counts.get(r.id, (0, 0))) for r in rows]


def _article_counts(conn: Connection, ids: list[str]) -> dict[str, tuple[int, int]]:
    """canonical id -> (mention links, articles)."""
    lk = schema.entity_links.c
    query = (
        select(lk.canonical_id, func.count(), func.count(lk.article_id.distinct()))
        .where(lk.canonical_id.in_(ids))
        .group_by(lk.canonical_id)
    )
    return {cid: (int(n), int(arts)) for cid, n, arts in conn.execute(query)}


def resolve_name(store: Store, name: str) -> str | None:
    """The canonical id for an entity name as written in an article (old entity URLs):
    the most linked entity of that name, else the one most of its mentions link to."""
    c, e, lk = schema.canonical_entities.c, schema.entities.c, schema.entity_links.c
    n = func.count().label("n")
    named = (
        select(c.id, n)
        .join(schema.entity_links, lk.canonical_id == c.id)
        .where(c.name == name)
        .group_by(c.id)
        .order_by(n.desc(), c.id)
        .limit(1)
    )
    written = (
        select(lk.canonical_id, n)
        .join(schema.entities, and_(e.article_id == lk.article_id, e.id == lk.entity_id))
        .where(e.name == name)
        .group_by(lk.canonical_id)
        .order_by(n.desc(), lk.canonical_id)
        .limit(1)
    )
    with store.reading() as conn:
        found = conn.execute(named).first() or conn.execute(written).first()
    return None if found is None else str(found[0])


def entity_by_ref(store: Store, ref: str) -> str:
    """The canonical id that `ref` (an id, a name or an alias, any case) stands for: the
    one entity of that name, else one with `DOMINANCE` times the articles of every other
    ("Trump": Donald J. Trump, not Ivanka Trump). Raises `AmbiguousError` (listing the
    candidates) or `NotFoundError`, so that a filter never silently matches nothing."""
    found = _named(store, ref.strip())
    if not found:
        raise NotFoundError(f"{ref}: no entity has this id, name or alias")
    if len(found) == 1:
        return found[0].id
    ranked = sorted(found, key=lambda e: (-e.articles, e.id))
    if ranked[0].articles >= DOMINANCE * max(ranked[1].articles, 1):
        return ranked[0].id
    raise AmbiguousError(ref, [f"{e.id} {e.name} ({e.articles} articles)" for e in ranked[:10]])


def _named(store: Store, ref: str) -> list[EntitySummary]:
    """The entity whose id is `ref`, else those whose name or an alias is `ref`, or
    whose name ends in the one word `ref` ("Quill": "Mara Quill", "Lena Quill")."""
    c = schema.canonical_entities.c
    quoted = json.dumps(ref, ensure_ascii=False)
    query = select(schema.canonical_entities).where(
        or_(
            c.id == ref,
            func.lower(c.name) == ref.lower(),
            c.aliases.ilike(f"%{quoted}%"),
            c.name.ilike(f"% {ref}") if " " not in ref else false(),
        )
    )
    with store.reading() as conn:
        rows = [canonical_from_row(r._mapping) for r in conn.execute(query)]
        counts = _article_counts(conn, [r.id for r in rows])
    key = ref.lower()
    by_id = [r for r in rows if r.id == ref]
    named = by_id or [r for r in rows if key in _ref_keys(r)]
    return [_summary(r, counts.get(r.id, (0, 0))) for r in named]


def _ref_keys(row: CanonicalRow) -> set[str]:
    names = [row.name, *row.aliases]
    return {n.lower() for n in names} | {row.name.split()[-1].lower()}


def canonical(store: Store, entity_id: str) -> CanonicalRow | None:
    """One canonical entity, or None."""
    with store.reading() as conn:
        return load_canonicals(conn, [entity_id]).get(entity_id)


def entity_detail(store: Store, entity_id: str) -> EntityDetail | None:
    """Aliases, roles, appearances, what it said and what was said about it."""
    with store.reading() as conn:
        found = load_canonicals(conn, [entity_id]).get(entity_id)
        if found is None:
            return None
        links = _links(conn, entity_id)
        appearances = _appearances(conn, entity_id)
        first, last = _date_range(conn, entity_id)
        ids = [a.article_id for a in appearances]
        claims = _claims_of(conn, ids)
        shown = set(ids)
        mentions = _mentions(conn, [(a, e) for a, e in links if a in shown])
        own = {(a, e) for a, e in links}
        said = [r for r in claims if (r.article_id, r.claim.speaker.entity_id or "") in own]
        months = _months(conn, entity_id)
        names = _alias_counts(conn, links)
    written = {n for n, _ in names}
    names += [(a, 0) for a in dict.fromkeys([found.name, *found.aliases]) if a not in written]
    said_keys = {(r.article_id, r.claim.id) for r in said}
    about = [
        r
        for r in claims
        if (r.article_id, r.claim.id) not in said_keys and _covers(r, mentions.get(r.article_id))
    ]
    articles = len({a for a, _ in links})
    return EntityDetail(found, articles, appearances, said, about, first, last, months, names)


def _months(conn: Connection, entity_id: str) -> list[tuple[str, int, int]]:
    """(month, claims it made, claims by others naming it) over every article, oldest
    first ("undated" last)."""
    c, a, lk = schema.claims.c, schema.articles.c, schema.entity_links.c
    month = func.coalesce(func.substr(a.published, 1, 7), "undated").label("month")
    spoke = (
        select(literal(1))
        .where(
            lk.article_id == c.article_id,
            lk.entity_id == c.speaker_entity_id,
            _linked(entity_id),
        )
        .correlate(schema.claims)
        .exists()
    )
    base = select(month, func.count()).select_from(schema.claims)
    base = base.join(schema.articles, a.id == c.article_id)
    said = {str(m): int(n) for m, n in conn.execute(base.where(spoke).group_by(month))}
    named = and_(~spoke, mentions_entity(entity_id, conn.dialect.name))
    about = {str(m): int(n) for m, n in conn.execute(base.where(named).group_by(month))}
    order = sorted(set(said) | set(about), key=lambda m: (m == "undated", m))
    return [(m, said.get(m, 0), about.get(m, 0)) for m in order]


def _alias_counts(conn: Connection, links: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """How often each name of the entity is written, over every mention, most first."""
    counts: Counter[str] = Counter()
    e = schema.entities.c
    keys = sorted(set(links))
    for start in range(0, len(keys), 500):
        query = select(e.mentions).where(tuple_(e.article_id, e.id).in_(keys[start : start + 500]))
        for (mentions,) in conn.execute(query):
            counts.update(m.get("text", "") for m in json.loads(mentions) if m.get("text"))
    return counts.most_common()


def _date_range(conn: Connection, entity_id: str) -> tuple[str | None, str | None]:
    """The first and last publication date of every article it appears in."""
    a, lk = schema.articles.c, schema.entity_links.c
    linked = select(lk.article_id).where(_linked(entity_id)).scalar_subquery()
    row = conn.execute(select(func.min(a.published), func.max(a.published)).where(a.id.in_(linked)))
    first, last = row.one()
    return first, last


def article_canonicals(store: Store, article_id: str) -> dict[str, str]:
    """Article entity id -> its cross-article entity, for links from an article."""
    lk = schema.entity_links.c
    query = select(lk.entity_id, lk.canonical_id).where(lk.article_id == article_id)
    with store.reading() as conn:
        return {r.entity_id: r.canonical_id for r in conn.execute(query)}


def _linked(entity_id: str) -> ColumnElement[bool]:
    lk = schema.entity_links.c
    return or_(lk.canonical_id == entity_id, lk.actor_id == entity_id)


def _links(conn: Connection, entity_id: str) -> list[tuple[str, str]]:
    """(article id, entity id) of the article entities that are, or act as, this one."""
    lk = schema.entity_links.c
    query = select(lk.article_id, lk.entity_id).where(_linked(entity_id))
    return [(r.article_id, r.entity_id) for r in conn.execute(query)]


def _appearances(conn: Connection, entity_id: str) -> list[Appearance]:
    """The most recent ARTICLES_PER_ENTITY articles it appears in."""
    a, lk = schema.articles.c, schema.entity_links.c
    linked = select(lk.article_id).where(_linked(entity_id)).scalar_subquery()
    query = (
        select(a.id, a.title, a.outlet, a.published)
        .where(a.id.in_(linked))
        .order_by(a.published.desc().nulls_last(), a.seq.desc())
        .limit(ARTICLES_PER_ENTITY)
    )
    return [Appearance(r.id, r.title, r.outlet, r.published) for r in conn.execute(query)]


def _claims_of(conn: Connection, article_ids: list[str]) -> list[ClaimRow]:
    c, a = schema.claims.c, schema.articles.c
    query = (
        select(schema.claims, a.outlet, a.published)
        .join(schema.articles, a.id == c.article_id)
        .where(c.article_id.in_(article_ids))
        .order_by(a.published.desc().nulls_last(), a.seq.desc(), c.content_start)
    )
    return [
        ClaimRow(r.article_id, r.outlet, r.published, from_row(Claim, r._mapping))
        for r in conn.execute(query)
    ]


Spans = dict[str, list[tuple[int, int]]]


def _mentions(conn: Connection, keys: list[tuple[str, str]]) -> Spans:
    """article id -> (start, end) of each mention of the given article entities."""
    if not keys:
        return {}
    e = schema.entities.c
    query = select(e.article_id, e.mentions).where(tuple_(e.article_id, e.id).in_(keys))
    found: Spans = {}
    for row in conn.execute(query):
        for m in json.loads(row.mentions):
            found.setdefault(row.article_id, []).append((m["start"], m["end"]))
    return found


def _covers(row: ClaimRow, spans: list[tuple[int, int]] | None) -> bool:
    content = row.claim.content
    return any(content.start <= s and e <= content.end for s, e in spans or ())
