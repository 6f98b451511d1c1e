"""`newstrace export`: the store as JSON Lines, CSV or Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newstrace.api import EXPORT_FORMATS, ExportFormat, Store
from newstrace.cli.context import Context


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True
)
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="File (jsonl) or folder."
)
@click.pass_obj
def export(ctx: Context, fmt: ExportFormat, out: Path) -> None:
    """Export articles, entities, claims, figures, times and events.

    \b
    jsonl: one extraction record per article (the public contract), into the file OUT.
    csv, parquet: one file per table (articles, entities, claims, figures, times,
    events, canonical_entities, entity_links, claim_items) in the folder OUT.
    These are for analysis: `newstrace load` reads `ingest --out parquet:DIR` instead.
    """
    with Store.open(settings=ctx.settings) as store:
        counts = store.export(fmt, out)
    click.echo(json.dumps({"format": fmt, "out": str(out), "rows": counts}))
