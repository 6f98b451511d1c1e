"""`newstrace timeline`: dated claims about a topic or an entity."""

from __future__ import annotations

import click
from rich.console import Console

from newstrace.api import Member, Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, entity_option, listing_options
from newstrace.cli.render import Column
from newstrace.errors import SettingsError


@click.command()
@click.option("--about", help="Claim content contains this text.")
@entity_option("Claims it made or that name it")
@listing_options("claims")
@click.pass_obj
def timeline(ctx: Context, about: str | None, entity: str | None, listing: Listing) -> None:
    """Claims in the order of the date of what happened (else publication date)."""
    if not about and not entity:
        raise SettingsError("timeline: give --about TEXT or --entity NAME|ID")
    with Store.open(settings=ctx.settings) as store:
        members = store.timeline(about, entity=entity, limit=None)
        found = members.page(listing.limit, listing.offset)
        short = store.short_ids([m.article_id for m in found])
    columns: list[Column[Member]] = [
        Column("article", lambda m: short[m.article_id], whole=True),
        Column("date", lambda m: m.event_date or "", whole=True),
        Column("published", lambda m: m.published or "", priority=3, whole=True),
        Column("speaker", lambda m: m.speaker or "", width=24, least=14),
        Column("stance", lambda m: m.stance, priority=2, width=10),
        Column("claim", lambda m: m.content or "", grows=True, least=24),
    ]
    render.print_listing(Console(), columns, found, "dated claims", listing.format)
