"""Entities across articles, matched by canonical name: listing and one entity's record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select, true

from newstrace.models import Entity
from newstrace.store import ClaimRow, Store, schema
from newstrace.store.records import claim_from_row, entity_from_row
from newstrace.web.queries.common import Page, clamp

ARTICLES_PER_ENTITY = 200


@dataclass(frozen=True)
class EntitySummary:
    """One entity name with how widely it appears."""

    name: str
    type: str
    articles: int


@dataclass(frozen=True)
class Appearance:
    """An article in which the entity appears."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    entity: Entity


@dataclass(frozen=True)
class EntityDetail:
    """What the store knows about one entity name across articles."""

    name: str
    types: list[str]
    aliases: list[str]
    roles: list[str]
    appearances: list[Appearance]
    said: list[ClaimRow] = field(default_factory=list)
    about: list[ClaimRow] = field(default_factory=list)

    @property
    def disputes(self) -> list[ClaimRow]:
        """What it denied or disputed."""
        return [r for r in self.said if r.claim.stance in ("deny", "dispute")]

    @property
    def disputed_by(self) -> list[ClaimRow]:
        """Denials and disputes about it by others."""
        return [r for r in self.about if r.claim.stance in ("deny", "dispute")]


def list_entities(
    store: Store, q: str | None = None, kind: str | None = None, limit: int = 100, offset: int = 0
) -> Page[EntitySummary]:
    """Entity names by the number of articles they appear in."""
    limit, offset = clamp(limit, offset)
    e = schema.entities.c
    conditions: list[ColumnElement[bool]] = [true()]
    if q:
        conditions.append(or_(e.name.ilike(f"%{q}%"), e.aliases.ilike(f"%{q}%")))
    if kind:
        conditions.append(e.type == kind)
    where = and_(*conditions)
    n = func.count(func.distinct(e.article_id)).label("n")
    query = (
        select(e.name, func.max(e.type).label("type"), n)
        .where(where)
        .group_by(e.name)
        .order_by(n.desc(), e.name)
        .limit(limit)
        .offset(offset)
    )
    count = select(func.count(func.distinct(e.name))).where(where)
    with store.engine.connect() as conn:
        total = int(conn.execute(count).scalar_one())
        items = [EntitySummary(r.name, r.type, int(r.n)) for r in conn.execute(query)]
    return Page(items, total, limit, offset)


def entity_detail(store: Store, name: str) -> EntityDetail | None:
    """Aliases, roles, appearances, what it said and what was said about it."""
    appearances = _appearances(store, name)
    if not appearances:
        return None
    claims = _claims_of(store, [a.article_id for a in appearances])
    by_article = {a.article_id: a.entity for a in appearances}
    said = [r for r in claims if r.claim.speaker.entity_id == by_article[r.article_id].id]
    said_keys = {(r.article_id, r.claim.id) for r in said}
    about = [
        r
        for r in claims
        if (r.article_id, r.claim.id) not in said_keys and mentions_in(r, by_article[r.article_id])
    ]
    entities = [a.entity for a in appearances]
    return EntityDetail(
        name=name,
        types=_unique(e.type for e in entities),
        aliases=_unique(alias for e in entities for alias in e.aliases),
        roles=_unique(role for e in entities for role in e.roles),
        appearances=appearances,
        said=said,
        about=about,
    )


def mentions_in(row: ClaimRow, entity: Entity) -> bool:
    """Whether the claim's content covers a mention of `entity`."""
    content = row.claim.content
    return any(content.start <= m.start and m.end <= content.end for m in entity.mentions)


def _appearances(store: Store, name: str) -> list[Appearance]:
    e, a = schema.entities.c, schema.articles.c
    query = (
        select(schema.entities, a.title, a.outlet, a.published)
        .join(schema.articles, a.id == e.article_id)
        .where(e.name == name)
        .order_by(a.published.desc(), a.seq.desc())
        .limit(ARTICLES_PER_ENTITY)
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
    seen: dict[str, Appearance] = {}
    for r in rows:
        if r.article_id not in seen:
            entity = entity_from_row(r._mapping)
            seen[r.article_id] = Appearance(r.article_id, r.title, r.outlet, r.published, entity)
    return list(seen.values())


def _claims_of(store: Store, article_ids: list[str]) -> list[ClaimRow]:
    c, a = schema.claims.c, schema.articles.c
    query = (
        select(schema.claims, a.outlet, a.published)
        .join(schema.articles, a.id == c.article_id)
        .where(c.article_id.in_(article_ids))
        .order_by(a.published.desc(), a.seq.desc(), c.content_start)
    )
    with store.engine.connect() as conn:
        return [
            ClaimRow(r.article_id, r.outlet, r.published, claim_from_row(r._mapping))
            for r in conn.execute(query)
        ]


def entities_of(store: Store, article_ids: list[str]) -> dict[str, list[Entity]]:
    """The entities of each of the given articles."""
    e = schema.entities.c
    found: dict[str, list[Entity]] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(select(schema.entities).where(e.article_id.in_(article_ids))):
            found.setdefault(r.article_id, []).append(entity_from_row(r._mapping))
    return found


def claims_of(store: Store, article_ids: list[str]) -> list[ClaimRow]:
    """Every claim of the given articles, newest article first."""
    return _claims_of(store, article_ids)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
