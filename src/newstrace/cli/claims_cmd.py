"""`newstrace claims`: attributed claims across stored articles."""

from __future__ import annotations

import json
from typing import get_args

import click
from rich.console import Console
from rich.table import Table

from newstrace.api import Store
from newstrace.cli.context import Context
from newstrace.cli.options import date_range_options, entity_option, json_option
from newstrace.models import Stance

STANCES = get_args(Stance)


@click.command()
@click.option(
    "--speaker",
    help="Speaker (as written, or the name it resolves to) contains this (case-insensitive).",
)
@entity_option("The speaker is this actor")
@click.option("--about", help="Claim content contains this text (case-insensitive).")
@click.option("--stance", type=click.Choice(STANCES), help="Only claims with this stance.")
@date_range_options
@click.option("--limit", "-n", type=click.IntRange(min=1), help="Show at most N claims.")
@json_option
@click.pass_obj
def claims(
    ctx: Context,
    speaker: str | None,
    entity: str | None,
    about: str | None,
    stance: Stance | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List claims across articles: who said what, with which cue and stance."""
    with Store.open(settings=ctx.settings, create=False) as store:
        rows = store.claims(
            speaker=speaker, about=about, stance=stance, since=since, until=until, limit=limit,
            entity=entity,
        )  # fmt: skip
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} claim(s)")
    table.add_column("published", min_width=10)
    table.add_column("outlet", max_width=12, overflow="ellipsis", no_wrap=True)
    table.add_column("speaker", max_width=24)
    table.add_column("cue", max_width=14)
    table.add_column("stance", max_width=12)
    table.add_column("content", ratio=1, min_width=16)
    table.add_column("article", max_width=10, overflow="ellipsis", no_wrap=True)
    for row in rows:
        c = row.claim
        stance_text = c.stance + (" (hedged)" if c.hedged else "")
        table.add_row(
            row.published or "",
            row.outlet or "",
            c.speaker.label(),
            c.cue.text if c.cue else "",
            stance_text,
            c.content.text,
            row.article_id,
        )
    Console().print(table)
