"""`newstrace network`: who speaks about, disputes and cites whom."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.api import Store, write_network
from newstrace.cli.context import Context
from newstrace.cli.options import entity_option, json_option

PathOption = click.Path(dir_okay=False, path_type=Path)


@click.command()
@entity_option("Only the edges from or to this actor")
@click.option("--graphml", type=PathOption, help="Also write GraphML (Gephi, yEd).")
@click.option("--gexf", type=PathOption, help="Also write GEXF (Gephi).")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=40, show_default=True)
@json_option
@click.pass_obj
def network(
    ctx: Context,
    entity: str | None,
    graphml: Path | None,
    gexf: Path | None,
    limit: int,
    as_json: bool,
) -> None:
    """The actor network with counts: speaks_about, disputes, cites."""
    with Store.open(settings=ctx.settings, create=False) as store:
        net = store.network(entity=entity)
    if graphml:
        write_network(net, graphml, "graphml")
    if gexf:
        write_network(net, gexf, "gexf")
    edges = net.to_dicts()
    if as_json:
        for edge in edges:
            click.echo(json.dumps(edge, ensure_ascii=False))
        return
    table = Table(title=f"{len(edges)} edge(s), heaviest {min(limit, len(edges))}")
    for column in ("source", "kind", "target", "count"):
        table.add_column(column, overflow="fold")
    for e in edges[:limit]:
        table.add_row(
            escape(e["source_label"]), e["kind"], escape(e["target_label"]), str(e["count"])
        )
    Console().print(table)
