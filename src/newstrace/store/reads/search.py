"""Search everything at once, fast on a large store: the full-text index finds the
articles, claims are looked for only in the most recent of those, and entities come
from the small table of canonical entities."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select

from newstrace.store import ArticleSummary, ClaimRow, Store, fulltext_condition, schema
from newstrace.store.filters import ClaimFilter
from newstrace.store.listings import (
    claim_listing,
    claim_row,
    newest_articles,
    summary,
    summary_select,
)
from newstrace.store.reads.entities import EntitySummary, find_entities
from newstrace.store.search import parse_search

CLAIM_ARTICLES = 200


@dataclass(frozen=True)
class Found:
    """What matched a search."""

    articles: list[ArticleSummary]
    claims: list[ClaimRow]
    entities: list[EntitySummary]


def search(store: Store, q: str, limit: int = 20) -> Found:
    """Articles, claims and entities matching `q`: one full-text look-up finds the most
    recent CLAIM_ARTICLES matching articles; the newest are listed, and claims are
    looked for in all of them."""
    ids = recent_matches(store, q)
    return Found(
        _articles(store, ids[:limit]),
        find_claims(store, ids, q, limit),
        find_entities(store, q, limit),
    )


def recent_matches(store: Store, q: str, limit: int = CLAIM_ARTICLES) -> list[str]:
    """Ids of the most recent articles the full-text index finds for `q`, newest first."""
    a = schema.articles.c
    query = (
        select(a.id)
        .where(fulltext_condition(store.dialect, q))
        .order_by(*newest_articles())
        .limit(limit)
    )
    with store.reading() as conn:
        return [str(r[0]) for r in conn.execute(query)]


def _articles(store: Store, ids: list[str]) -> list[ArticleSummary]:
    a = schema.articles.c
    query = summary_select().where(a.id.in_(ids)).order_by(*newest_articles())
    with store.reading() as conn:
        return [summary(r._mapping) for r in conn.execute(query)]


def find_claims(store: Store, article_ids: list[str], q: str, limit: int = 20) -> list[ClaimRow]:
    """Claims of these articles whose wording contains every word `q` requires, newest first
    (a claim's words are in its article's text, so the full-text matches hold them all)."""
    c = schema.claims.c
    words = and_(c.article_id.in_(article_ids), *_contains_words(c.content, q))
    query = claim_listing(ClaimFilter(), store.dialect).where(words).limit(limit)
    with store.reading() as conn:
        return [claim_row(r._mapping) for r in conn.execute(query)]


def _contains_words(column: ColumnElement[str], q: str) -> list[ColumnElement[bool]]:
    """The claim holds every word the search requires (a search of only OR or NOT
    terms requires none: its articles' claims are listed)."""
    return [column.ilike(f"%{word}%") for word in parse_search(q).required_words()]
