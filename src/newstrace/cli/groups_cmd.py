"""`newstrace groups` and `newstrace contradictions`: claims across articles."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.api import Member, Store
from newstrace.cli.context import Context
from newstrace.cli.options import json_option


@click.command()
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--min-items", type=click.IntRange(min=1), default=2, show_default=True)
@json_option
@click.pass_obj
def groups(ctx: Context, limit: int, min_items: int, as_json: bool) -> None:
    """Claims that state one proposition across articles, with the number of outlets and
    of original sources (copies of one story and one source chain count once)."""
    with Store.open(settings=ctx.settings, create=False) as store:
        found = store.groups(limit=limit, min_items=min_items)
    if as_json:
        for group in found:
            click.echo(json.dumps(group.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} claim group(s)")
    for column in ("group", "items", "outlets", "sources", "first seen", "last seen", "claim"):
        table.add_column(column, overflow="fold")
    for g in found:
        table.add_row(
            g.id, str(len(g.members)), str(g.outlets), str(g.sources),
            g.first_seen or "", g.last_seen or "", escape(g.label[:160]),
        )  # fmt: skip
    Console().print(table)


def _side(members: tuple[Member, ...]) -> str:
    first = members[0]
    more = f" (+{len(members) - 1} more)" if len(members) > 1 else ""
    said = first.figure_text or first.content or ""
    return f"{first.published} {first.speaker or first.outlet_key}: {said}{more}"


@click.command()
@json_option
@click.pass_obj
def contradictions(ctx: Context, as_json: bool) -> None:
    """Where sources disagree: denials, retractions and conflicting figures, with the
    evidence of both sides."""
    with Store.open(settings=ctx.settings, create=False) as store:
        found = store.contradictions()
    if as_json:
        for item in found:
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} contradiction(s)")
    for column in ("kind", "side A", "side B"):
        table.add_column(column, overflow="fold")
    for item in found:
        table.add_row(item.kind, escape(_side(item.asserted)), escape(_side(item.disputed_by)))
    Console().print(table)
