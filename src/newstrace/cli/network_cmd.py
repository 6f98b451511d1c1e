"""`newstrace network`: who speaks about, disputes and cites whom."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from newstrace.api import Plain, Results, Store, write_network
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, entity_option, listing_options
from newstrace.cli.render import Column

PathOption = click.Path(dir_okay=False, path_type=Path)


@click.command()
@entity_option("Only the edges from or to this actor")
@click.option("--graphml", type=PathOption, help="Also write GraphML (Gephi, yEd).")
@click.option("--gexf", type=PathOption, help="Also write GEXF (Gephi).")
@listing_options("edges")
@click.pass_obj
def network(
    ctx: Context, entity: str | None, graphml: Path | None, gexf: Path | None, listing: Listing
) -> None:
    """The actor network with counts, heaviest edges first: speaks_about, disputes, cites."""
    with Store.open(settings=ctx.settings, create=False) as store:
        net = store.network(entity=entity)
    if graphml:
        write_network(net, graphml, "graphml")
    if gexf:
        write_network(net, gexf, "gexf")
    edges = Results(Plain(edge) for edge in net.to_dicts())
    found = edges.page(listing.limit, listing.offset)
    render.print_listing(Console(), COLUMNS, found, "edges", listing.format)


COLUMNS: list[Column[Plain]] = [
    Column("source", lambda e: str(e["source"]), whole=True),
    Column("name", lambda e: str(e["source_label"]), priority=2, width=24),
    Column("kind", lambda e: str(e["kind"]), whole=True),
    Column("target", lambda e: str(e["target"]), whole=True),
    Column("target name", lambda e: str(e["target_label"]), grows=True, least=12),
    Column("count", lambda e: str(e["count"]), whole=True),
]
