"""`newstrace entities`: actors across articles, with merge and split corrections."""

from __future__ import annotations

import click
from rich.console import Console

from newstrace.api import EntitySummary, Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, listing_options
from newstrace.cli.render import Column


@click.group(invoke_without_command=True)
@click.option("--search", help="Name or alias contains this text (case-insensitive).")
@listing_options("entities")
@click.pass_context
def entities(ctx: click.Context, search: str | None, listing: Listing) -> None:
    """List entities resolved across articles (one per real-world actor), most cited first.

    \b
    Corrections are stored and re-applied after every re-ingest:
      newstrace entities merge KEEP OTHER     one actor, two entries
      newstrace entities split ENTITY ALIAS   mentions named ALIAS are someone else
    """
    if ctx.invoked_subcommand is not None:
        return
    obj: Context = ctx.obj
    with Store.open(settings=obj.settings) as store:
        rows = store.entities(search, limit=listing.limit, offset=listing.offset)
    render.print_listing(Console(), COLUMNS, rows, "entities", listing.format)


COLUMNS: list[Column[EntitySummary]] = [
    Column("id", lambda e: e.id, whole=True),
    Column("name", lambda e: e.name, width=30, least=14),
    Column("type", lambda e: e.type, priority=2, whole=True),
    Column("articles", lambda e: str(e.articles), whole=True),
    Column("mentions", lambda e: str(e.links), priority=3, whole=True),
    Column("aliases", lambda e: "; ".join(e.aliases[:6]), priority=2, grows=True),
    Column("roles", lambda e: "; ".join(e.roles[:3]), priority=4, width=30),
]


@entities.command()
@click.argument("keep")
@click.argument("other")
@click.pass_obj
def merge(ctx: Context, keep: str, other: str) -> None:
    """Merge entity OTHER into KEEP (ids or exact names)."""
    with Store.open(settings=ctx.settings) as store:
        store.merge_entities(keep, other)
    click.echo(f"merged {other} into {keep}")


@entities.command()
@click.argument("entity")
@click.argument("alias")
@click.pass_obj
def split(ctx: Context, entity: str, alias: str) -> None:
    """Move the mentions of ENTITY named ALIAS to an entity of their own."""
    with Store.open(settings=ctx.settings) as store:
        new_id = store.split_entity(entity, alias)
    click.echo(f"split {alias!r} off {entity} as {new_id}")
