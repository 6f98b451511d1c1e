"""`newstrace timeline`: dated claims about a topic or an entity."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.analysis.history import HISTORY_LIMIT
from newstrace.api import Store
from newstrace.cli.context import Context
from newstrace.cli.options import entity_option, json_option
from newstrace.errors import SettingsError


@click.command()
@click.option("--about", help="Claim content contains this text.")
@entity_option("Claims it made or that name it")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=0),
    default=HISTORY_LIMIT,
    show_default=True,
    help="Show the N claims with the most recent dates (0: all of them).",
)
@json_option
@click.pass_obj
def timeline(
    ctx: Context, about: str | None, entity: str | None, limit: int, as_json: bool
) -> None:
    """Claims in the order of the date of what happened (else publication date)."""
    if not about and not entity:
        raise SettingsError("timeline: give --about TEXT or --entity NAME|ID")
    with Store.open(settings=ctx.settings, create=False) as store:
        members = store.timeline(about, entity=entity, limit=limit or None)
    if as_json:
        for m in members:
            click.echo(json.dumps(m.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(members)} dated claim(s)")
    for column in ("date", "published", "speaker", "stance", "claim", "article"):
        table.add_column(column, overflow="fold")
    for m in members:
        table.add_row(
            m.event_date or "", m.published or "", escape(m.speaker or ""), m.stance,
            escape(m.content or ""), m.article_id,
        )  # fmt: skip
    Console().print(table)
