"""`newstrace entities`: actors across articles, with merge and split corrections."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from newstrace.api import Store
from newstrace.cli.context import Context
from newstrace.cli.options import json_option


@click.group(invoke_without_command=True)
@click.option("--search", help="Name or alias contains this text (case-insensitive).")
@click.option("--limit", "-n", type=click.IntRange(min=1), help="Show at most N entities.")
@json_option
@click.pass_context
def entities(ctx: click.Context, search: str | None, limit: int | None, as_json: bool) -> None:
    """List entities resolved across articles (one per real-world actor), most cited first.

    \b
    Corrections are stored and re-applied after every re-ingest:
      newstrace entities merge KEEP OTHER     one actor, two entries
      newstrace entities split ENTITY ALIAS   mentions named ALIAS are someone else
    """
    if ctx.invoked_subcommand is not None:
        return
    obj: Context = ctx.obj
    with Store.open(settings=obj.settings, create=False) as store:
        rows = store.entities(search, limit=limit)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} entit{'y' if len(rows) == 1 else 'ies'}")
    for column in ("id", "name", "type", "articles", "mentions", "aliases", "roles"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row.id, row.name, row.type, str(row.articles), str(row.links),
            "; ".join(row.aliases[:6]), "; ".join(row.roles[:3]),
        )  # fmt: skip
    Console().print(table)


@entities.command()
@click.argument("keep")
@click.argument("other")
@click.pass_obj
def merge(ctx: Context, keep: str, other: str) -> None:
    """Merge entity OTHER into KEEP (ids or exact names)."""
    with Store.open(settings=ctx.settings, create=False) as store:
        store.merge_entities(keep, other)
    click.echo(f"merged {other} into {keep}")


@entities.command()
@click.argument("entity")
@click.argument("alias")
@click.pass_obj
def split(ctx: Context, entity: str, alias: str) -> None:
    """Move the mentions of ENTITY named ALIAS to an entity of their own."""
    with Store.open(settings=ctx.settings, create=False) as store:
        new_id = store.split_entity(entity, alias)
    click.echo(f"split {alias!r} off {entity} as {new_id}")
