"""Search everything at once, fast on a large store: the full-text index finds the
articles, claims are looked for only in the most recent of those, and entities come
from the small table of canonical entities."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select

from newstrace.store import ArticleSummary, ClaimRow, Store, fulltext_condition, schema
from newstrace.store.records import claim_from_row
from newstrace.web.queries.articles import list_articles
from newstrace.web.queries.common import ArticleFilter
from newstrace.web.queries.entities import EntitySummary, find_entities

CLAIM_ARTICLES = 500


@dataclass(frozen=True)
class Found:
    """What matched a search."""

    articles: list[ArticleSummary]
    claims: list[ClaimRow]
    entities: list[EntitySummary]


def search(store: Store, q: str, limit: int = 20) -> Found:
    """Articles, claims and entities matching `q`."""
    return Found(
        list_articles(store, ArticleFilter(search=q), limit).items,
        find_claims(store, q, limit),
        find_entities(store, q, limit),
    )


def find_claims(store: Store, q: str, limit: int = 20) -> list[ClaimRow]:
    """Claims whose wording contains `q`, newest first, among the CLAIM_ARTICLES most
    recent articles the full-text index finds for `q` (every claim's words are in its
    article's text, so no matching claim of those articles is missed)."""
    a, c = schema.articles.c, schema.claims.c
    recent = (
        select(a.id)
        .where(fulltext_condition(store.engine.dialect.name, q))
        .order_by(a.published.desc(), a.seq.desc())
        .limit(CLAIM_ARTICLES)
        .subquery()
    )
    query = (
        select(schema.claims, a.outlet, a.published)
        .join(schema.articles, a.id == c.article_id)
        .where(and_(c.article_id.in_(select(recent.c.id)), c.content.ilike(f"%{q}%")))
        .order_by(a.published.desc(), a.seq.desc(), c.content_start)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [
            ClaimRow(r.article_id, r.outlet, r.published, claim_from_row(r._mapping))
            for r in conn.execute(query)
        ]
