"""`newstrace network`: who speaks about, disputes and cites whom."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from newstrace.analysis.network import KINDS
from newstrace.api import Plain, Results, Store, write_network
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, date_range_options, entity_option, listing_options
from newstrace.cli.render import Column

PathOption = click.Path(dir_okay=False, path_type=Path)


@click.command()
@entity_option("Only the edges from or to this actor")
@click.option("--kind", type=click.Choice(KINDS), help="Only the edges of this kind.")
@date_range_options
@click.option("--graphml", type=PathOption, help="Also write GraphML (Gephi, yEd).")
@click.option("--gexf", type=PathOption, help="Also write GEXF (Gephi).")
@listing_options("edges")
@click.pass_obj
def network(
    ctx: Context,
    entity: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    graphml: Path | None,
    gexf: Path | None,
    listing: Listing,
) -> None:
    """The actor network with counts, heaviest edges first: speaks_about, disputes, cites."""
    with Store.open(settings=ctx.settings) as store:
        net = store.network(entity=entity, since=since, until=until)
    if graphml:
        write_network(net, graphml, "graphml")
    if gexf:
        write_network(net, gexf, "gexf")
    edges = Results(Plain(e) for e in net.to_dicts() if kind in (None, e["kind"]))
    found = edges.page(listing.limit, listing.offset)
    render.print_listing(Console(), COLUMNS, found, "edges", listing.format)


COLUMNS: list[Column[Plain]] = [
    Column("source", lambda e: str(e["source"]), whole=True),
    Column("name", lambda e: str(e["source_label"]), priority=2, width=24),
    Column("kind", lambda e: str(e["kind"]), whole=True),
    Column("target", lambda e: str(e["target"]), priority=2, whole=True),
    Column("target name", lambda e: str(e["target_label"]), grows=True, least=12),
    Column("count", lambda e: str(e["count"]), whole=True),
]
