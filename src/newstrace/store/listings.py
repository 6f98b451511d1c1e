"""The rows of the article and claim listings, and their one order, shared by `Store`'s
own listings (CLI, API) and the web's pages (`store.reads`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from newstrace.models import Claim
from newstrace.store import schema
from newstrace.store.filters import ArticleFilter, ClaimFilter, one_page
from newstrace.store.records import from_row


@dataclass(frozen=True)
class ArticleSummary:
    """One line of an article listing."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    words: int
    duplicate_of: str | None
    similarity: float | None
    claims: int
    language: str | None = None
    outlet_name: str | None = None  # the name the outlet goes by; `outlet` is its key

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ClaimRow:
    """A claim with the article it came from, for cross-article listings."""

    article_id: str
    outlet: str | None
    published: str | None
    claim: Any  # models.Claim; Any keeps the dataclass JSON-friendly through to_dict
    speaker_canonical_id: str | None = None  # the cross-article entity of the speaker
    outlet_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "outlet_name": self.outlet_name,
            "published": self.published,
            **self.claim.to_dict(),
            "speaker_canonical_id": self.speaker_canonical_id,
        }


def summary_select() -> Select[Any]:
    """The columns an `ArticleSummary` is built from, with each article's claim count."""
    a = schema.articles.c
    n_claims = (
        select(func.count())
        .where(schema.claims.c.article_id == a.id)
        .correlate(schema.articles)
        .scalar_subquery()
    )
    return select(
        a.id,
        a.title,
        a.outlet,
        a.published,
        a.url,
        a.text,
        a.duplicate_of,
        a.similarity,
        n_claims.label("claims"),
        a.language,
        a.outlet_name,
    )


def summary(row: Mapping[Any, Any]) -> ArticleSummary:
    """An `ArticleSummary` from a row of `summary_select`."""
    return ArticleSummary(
        id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        url=row["url"],
        words=len(row["text"].split()),
        duplicate_of=row["duplicate_of"],
        similarity=row["similarity"],
        claims=int(row["claims"] or 0),
        language=row["language"],
        outlet_name=row["outlet_name"],
    )


def newest_articles() -> list[Any]:
    """The order of every article listing: newest first, undated last, then the latest
    ingested first."""
    a = schema.articles.c
    return [a.published.desc().nulls_last(), a.seq.desc()]


def article_listing(filters: ArticleFilter, dialect: str) -> Select[Any]:
    """Article summaries matching `filters`, in listing order."""
    return summary_select().where(filters.where(dialect)).order_by(*newest_articles())


def article_page(
    filters: ArticleFilter, dialect: str, limit: int | None, offset: int
) -> Select[Any]:
    """One page of `article_listing`, ordered over the articles' keys alone: each row's
    text and claim count are read for the page, not for every article the sort passes
    over (SQLite computes a row's every column before sorting it: a search matching 209
    of 300 articles read every one of them)."""
    a = schema.articles.c
    keys = select(a.id).where(filters.where(dialect)).order_by(*newest_articles())
    page = one_page(keys, limit, offset).subquery("page")
    return summary_select().join(page, page.c.id == a.id).order_by(*newest_articles())


CLAIM_SORTS = ("published", "speaker", "stance", "hedged", "outlet", "content", "kind")


def claim_order(sort: str = "published", descending: bool = True) -> list[Any]:
    """The order of every claim listing: by `sort`, then newest first (undated last),
    then in ingest and text order."""
    c, a = schema.claims.c, schema.articles.c
    columns = {
        "published": a.published,
        "speaker": c.speaker,
        "stance": c.stance,
        "hedged": c.hedged,
        "outlet": a.outlet,
        "content": c.content,
        "kind": c.kind,
    }
    column = columns.get(sort, a.published)
    primary = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [primary, a.published.desc().nulls_last(), a.seq, c.content_start]


def claim_listing(
    filters: ClaimFilter, dialect: str, sort: str = "published", descending: bool = True
) -> Select[Any]:
    """Claims with their article's outlet and date, matching `filters`, in listing order."""
    c, a = schema.claims.c, schema.articles.c
    joined = schema.claims.join(schema.articles, a.id == c.article_id)
    return (
        select(
            schema.claims,
            a.outlet,
            a.outlet_name,
            a.published,
            speaker_canonical().label("speaker_canonical"),
        )
        .select_from(joined)
        .where(filters.where(dialect))
        .order_by(*claim_order(sort, descending))
    )


def claim_page(
    filters: ClaimFilter,
    dialect: str,
    sort: str = "published",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
) -> Select[Any]:
    """One page of `claim_listing`, ordered over the claims' keys alone: the columns, and
    each row's `speaker_canonical` subquery, are read for the page's rows, not for every
    claim the sort passes over (SQLite computes a row's every column before sorting it;
    the first page of 6,000 claims took 27 ms, 16 of them that work)."""
    c, a = schema.claims.c, schema.articles.c
    joined = schema.claims.join(schema.articles, a.id == c.article_id)
    order = claim_order(sort, descending)
    keys = select(c.article_id, c.id).select_from(joined).where(filters.where(dialect))
    page = one_page(keys.order_by(*order), limit, offset).subquery("page")
    return claim_listing(ClaimFilter(), dialect, sort, descending).join(
        page, (page.c.article_id == c.article_id) & (page.c.id == c.id)
    )


def speaker_canonical() -> Any:
    """The canonical entity of a claim's speaker (a correlated subquery; NULL when the
    speaker is no entity)."""
    c, lk = schema.claims.c, schema.entity_links.c
    return (
        select(lk.canonical_id)
        .where(lk.article_id == c.article_id, lk.entity_id == c.speaker_entity_id)
        .correlate(schema.claims)
        .scalar_subquery()
    )


def claim_row(row: Mapping[Any, Any]) -> ClaimRow:
    """A `ClaimRow` from a row of `claim_listing`."""
    claim = from_row(Claim, row)
    return ClaimRow(
        row["article_id"],
        row["outlet"],
        row["published"],
        claim,
        row.get("speaker_canonical"),
        row.get("outlet_name"),
    )
