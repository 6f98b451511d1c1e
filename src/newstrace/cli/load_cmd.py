"""`newstrace load DIR`: bulk-load Parquet results written by `ingest --out parquet:DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from newstrace.api import Store
from newstrace.cli.context import Context
from newstrace.cli.ingest_cmd import print_report
from newstrace.cli.options import setting_option
from newstrace.errors import AllInputsFailed


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@setting_option("lsh_url", "--lsh", "lsh_url")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def load(ctx: Context, directory: Path, lsh_url: str | None, as_json: bool) -> None:
    """Load extraction results from Parquet files into the store, linking copies.

    DIRECTORY holds what `ingest --out parquet:DIRECTORY` wrote; the tables of
    `newstrace export` are for analysis and cannot be loaded. Rows already stored
    unchanged are skipped, so loading twice changes nothing.
    """
    settings = ctx.settings.with_overrides(lsh_url=lsh_url)
    with Store.open(settings=settings, create=True) as store:
        report = store.load(directory)
    print_report(report, as_json)
    if report.failed and not report.stored and not report.unchanged:
        raise AllInputsFailed(f"no article loaded ({len(report.failed)} row(s) failed)")
