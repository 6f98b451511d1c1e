"""`newstrace claims`: attributed claims across stored articles."""

from __future__ import annotations

import click
from rich.console import Console

from newstrace.api import ClaimRow, Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, date_range_options, entity_option, listing_options
from newstrace.cli.render import Column
from newstrace.models import STANCES, Stance


@click.command()
@click.option(
    "--speaker",
    help="Speaker (as written, or the name it resolves to) contains this (case-insensitive).",
)
@entity_option("The speaker is this actor")
@click.option("--about", help="Claim content contains this text (case-insensitive).")
@click.option("--stance", type=click.Choice(STANCES), help="Only claims with this stance.")
@date_range_options
@listing_options("claims")
@click.pass_obj
def claims(
    ctx: Context,
    speaker: str | None,
    entity: str | None,
    about: str | None,
    stance: Stance | None,
    since: str | None,
    until: str | None,
    listing: Listing,
) -> None:
    """List claims across articles: who said what, with which cue and stance."""
    with Store.open(settings=ctx.settings) as store:
        rows = store.claims(
            speaker=speaker, about=about, stance=stance, since=since, until=until,
            limit=listing.limit, offset=listing.offset, entity=entity,
        )  # fmt: skip
        short = store.short_ids([r.article_id for r in rows])
    columns: list[Column[ClaimRow]] = [
        Column("article", lambda r: short[r.article_id], whole=True),
        Column("published", lambda r: r.published or "", whole=True),
        Column("speaker", lambda r: r.claim.speaker.label(), width=24, least=14),
        Column("stance", _stance, priority=2, width=16),
        Column("cue", lambda r: r.claim.cue.text if r.claim.cue else "", priority=3, width=14),
        Column("content", lambda r: r.claim.content.text, grows=True, least=24),
        Column("outlet", lambda r: r.outlet_name or r.outlet or "", priority=4, width=16),
    ]
    render.print_listing(Console(), columns, rows, "claims", listing.format)


def _stance(row: ClaimRow) -> str:
    return str(row.claim.stance) + (" (hedged)" if row.claim.hedged else "")
