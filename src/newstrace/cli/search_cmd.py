"""`newstrace search`: articles (or claims) matching a search, most relevant first, with
the matched words shown in context."""

from __future__ import annotations

import click
from rich.console import Console

from newstrace.api import Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, listing_options
from newstrace.cli.render import Column, marked
from newstrace.store.reads.search import ArticleHit, ClaimHit


@click.command()
@click.argument("query")
@click.option("--claims", "in_claims", is_flag=True, help="Search the wording of claims instead.")
@listing_options("results")
@click.pass_obj
def search(ctx: Context, query: str, in_claims: bool, listing: Listing) -> None:
    """Articles matching QUERY, most relevant first (FTS5 bm25 on SQLite, ts_rank on
    PostgreSQL), each with its best passage. QUERY: all words must match; "a phrase";
    A OR B; -word or NOT word to exclude; prefix*.

    \b
    Examples:
      newstrace search 'Karsk troops'          both words
      newstrace search '"Ostra River" -denied' a phrase, without "denied"
      newstrace search 'brigade* OR battalion*' either prefix
      newstrace search Lisk --claims           claims worded with "Lisk"
    """
    with Store.open(settings=ctx.settings) as store:
        if in_claims:
            claims = store.search_claims(query, limit=listing.limit, offset=listing.offset)
            short = store.short_ids([h.row.article_id for h in claims])
            render.print_listing(Console(), _claim_columns(short), claims, "claims", listing.format)
            return
        found = store.search(query, limit=listing.limit, offset=listing.offset)
        short = store.short_ids([h.article.id for h in found])
    render.print_listing(Console(), _article_columns(short), found, "articles", listing.format)


def _article_columns(short: dict[str, str]) -> list[Column[ArticleHit]]:
    return [
        Column("id", lambda h: short[h.article.id], whole=True),
        Column("published", lambda h: h.article.published or "", whole=True),
        Column("score", lambda h: f"{h.score:.3g}", priority=3, whole=True),
        Column("title", lambda h: h.article.title or "", priority=2, width=40, least=16),
        Column("passage", lambda h: marked(h.snippet, h.marks), grows=True, least=24, markup=True),
    ]


def _claim_columns(short: dict[str, str]) -> list[Column[ClaimHit]]:
    def said(h: ClaimHit) -> str:
        return marked(h.row.claim.content.text, h.marks)

    return [
        Column("article", lambda h: short[h.row.article_id], whole=True),
        Column("published", lambda h: h.row.published or "", whole=True),
        Column("speaker", lambda h: h.row.claim.speaker.label(), width=24, least=12),
        Column("stance", lambda h: str(h.row.claim.stance), priority=2, width=10),
        Column("content", said, grows=True, least=24, markup=True),
    ]
