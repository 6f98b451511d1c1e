"""`newstrace articles` (list and search) and `newstrace show ID` (one article)."""

from __future__ import annotations

import json

import click
from rich.console import Console

from newstrace.api import ArticleSummary, Store
from newstrace.cli import alert_cmd, events_cmd, figures_cmd, render, watch_cmd
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, date_range_options, json_option, listing_options
from newstrace.cli.render import Column
from newstrace.errors import NotFoundError
from newstrace.models import NUMBERED


@click.command()
@click.option(
    "--search",
    "-s",
    help='Full-text search in titles and bodies: all words must match; "a phrase", '
    "A OR B, -word or NOT word to exclude, prefix*.",
)
@click.option("--outlet", help="Only articles from this outlet (substring match).")
@click.option(
    "--language",
    help="Only articles detected in this language (ISO 639-1: en, fr, de); articles not "
    "in English are stored without extraction.",
)
@date_range_options
@listing_options("articles")
@click.pass_obj
def articles(
    ctx: Context,
    search: str | None,
    outlet: str | None,
    language: str | None,
    since: str | None,
    until: str | None,
    listing: Listing,
) -> None:
    """List stored articles, newest first, with their copies marked."""
    with Store.open(settings=ctx.settings) as store:
        found = store.articles(
            search, outlet=outlet, since=since, until=until, language=language,
            limit=listing.limit, offset=listing.offset,
        )  # fmt: skip
        short = store.short_ids([a.id for a in found] + [a.duplicate_of or "" for a in found])
    columns: list[Column[ArticleSummary]] = [
        Column("id", lambda a: short[a.id], whole=True),
        Column("published", lambda a: a.published or "", whole=True),
        Column("outlet", lambda a: a.outlet_name or a.outlet or "", priority=3, width=16),
        Column("title", lambda a: a.title or "", grows=True, least=20),
        Column("claims", lambda a: str(a.claims), priority=2, whole=True),
        Column("lang", lambda a: a.language or "", priority=3, whole=True),
        Column("copy of", lambda a: short.get(a.duplicate_of or "", ""), priority=4, whole=True),
    ]
    render.print_listing(Console(), columns, found, "articles", listing.format)


@click.command()
@click.argument("item_id")
@json_option
@click.option("--raw", is_flag=True, help="Also print the raw input as it was read.")
@click.pass_obj
def show(ctx: Context, item_id: str, as_json: bool, raw: bool) -> None:
    """Show one article (metadata, cleaned text, what cleaning removed, its copies, and
    its claims, figures and dates), entity, claim group, figure series (its history) or
    event count (the events it counts), watched source (W3), alert rule (R2) or alert
    (A17): ITEM_ID is any id a listing shows (an article id may be shortened to a
    unique prefix; ARTICLE#CLAIM opens the article)."""
    with Store.open(settings=ctx.settings) as store:
        if _show_numbered(store, item_id, as_json):
            return
        try:
            record = store.article(_article_part(store, item_id))
        except NotFoundError as missing:
            _show_other(store, item_id, as_json, missing)
            return
        copies = store.copies(record.article.id)
    if as_json:
        data = record.to_dict()
        data["copies"] = [c.to_dict() for c in copies]
        if raw:
            data["article"]["raw"] = record.article.raw
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    render.print_record(Console(), record, copies, show_raw=raw)


def _show_numbered(store: Store, item_id: str, as_json: bool) -> bool:
    """Show the watched source, alert rule or alert whose id (`watch list`, `alert
    list`, `alert history`: W3, R2, A17) is `item_id`; False when it is none of them."""
    prefix = item_id[:1].upper()  # "w3" is W3, as `watch pause` and `alert read` take it
    if prefix not in NUMBERED or not item_id[1:].isdigit():
        return False
    try:
        if prefix == "W":
            watch_cmd.print_source(store.watch_source(item_id), as_json)
        elif prefix == "R":
            alert_cmd.print_rule(store, store.alert_rule(item_id), as_json)
        else:
            alert_cmd.print_alert(store, store.alert(item_id), as_json)
    except NotFoundError:
        return False  # maybe an article id's prefix after all
    return True


def _article_part(store: Store, item_id: str) -> str:
    """`item_id`, or the article of an ``ARTICLE#CLAIM`` reference (what group and
    contradiction listings show) when no article id is `item_id` itself."""
    article, hash_, _ = item_id.rpartition("#")
    if not hash_ or not article:
        return item_id
    try:
        store.article(item_id)
    except NotFoundError:
        return article
    return item_id


def _show_other(store: Store, item_id: str, as_json: bool, missing: NotFoundError) -> None:
    """An entity, a claim group, a figure series or an event count, else the article's
    `missing` error."""
    entity = store.entity(item_id)
    group = None if entity else store.group(item_id)
    if entity is None and group is None:
        if "ambiguous" in str(missing):
            raise missing
        _show_series_or_count(store, item_id, as_json)
        return
    short = store.short_ids(render.article_ids(entity, group))
    if entity is not None:
        render.print_entity(Console(), entity, short, as_json)
    elif group is not None:
        render.print_group(Console(), group, short, as_json)


def _show_series_or_count(store: Store, item_id: str, as_json: bool) -> None:
    """A figure series (`figures --series`) or an event count (`events --counts`)."""
    series = store.one_series(item_id)
    if series is not None:
        figures_cmd.print_series(store, series, as_json)
        return
    cell = store.counted(item_id)
    if cell is None:
        raise NotFoundError(
            f"{item_id}: no article, entity, claim group, figure series, event count, "
            "watched source, alert rule or alert has this id"
        )
    events_cmd.print_counted(store, cell, as_json)
