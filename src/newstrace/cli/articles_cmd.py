"""`newstrace articles` (list and search) and `newstrace show ID` (one article)."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from newstrace.api import Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import date_range_options, json_option


@click.command()
@click.option(
    "--search",
    "-s",
    help='Full-text search in titles and bodies: all words must match; "a phrase", '
    "A OR B, -word or NOT word to exclude, prefix*.",
)
@click.option("--outlet", help="Only articles from this outlet (substring match).")
@date_range_options
@click.option("--limit", "-n", type=click.IntRange(min=1), help="Show at most N articles.")
@json_option
@click.pass_obj
def articles(
    ctx: Context,
    search: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List stored articles, newest first, with their copies marked."""
    with Store.open(settings=ctx.settings, create=False) as store:
        found = store.articles(search, outlet=outlet, since=since, until=until, limit=limit)
    if as_json:
        for item in found:
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} article(s)")
    table.add_column("id", overflow="fold", max_width=22)
    table.add_column("published", min_width=10)
    table.add_column("outlet", max_width=14, overflow="ellipsis", no_wrap=True)
    table.add_column("title", ratio=1, min_width=12)
    table.add_column("claims", justify="right", min_width=6)
    table.add_column("copy of", max_width=10, overflow="ellipsis", no_wrap=True)
    for a in found:
        table.add_row(
            a.id,
            a.published or "",
            a.outlet or "",
            a.title or "",
            str(a.claims),
            a.duplicate_of or "",
        )
    Console().print(table)


@click.command()
@click.argument("article_id")
@json_option
@click.option("--raw", is_flag=True, help="Also print the raw input as it was read.")
@click.pass_obj
def show(ctx: Context, article_id: str, as_json: bool, raw: bool) -> None:
    """Show one article: metadata, cleaned text, what cleaning removed, its copies,
    and its claims, figures and dates. ARTICLE_ID may be a unique prefix."""
    with Store.open(settings=ctx.settings, create=False) as store:
        record = store.article(article_id)
        copies = store.copies(record.article.id)
    if as_json:
        data = record.to_dict()
        data["copies"] = [c.to_dict() for c in copies]
        if raw:
            data["article"]["raw"] = record.article.raw
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    render.print_record(Console(), record, copies, show_raw=raw)
