"""`newstrace extract`: print extraction records without touching a store."""

from __future__ import annotations

import json

import click
from rich.console import Console

from newstrace.api import extract_inputs
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import IsoDate, setting_option
from newstrace.errors import AllInputsFailed
from newstrace.models import ReadFailure


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|URL|-...")
@click.option("--published", type=IsoDate(), help="Publication date for inputs that lack one.")
@setting_option("allow_private")
@click.option("--json", "as_json", is_flag=True, help="One JSON record per article per line.")
@click.pass_obj
def extract(
    ctx: Context,
    inputs: tuple[str, ...],
    published: str | None,
    allow_private: bool | None,
    as_json: bool,
) -> None:
    """Extract entities, claims, figures and dates from INPUTS and print them.

    Nothing is stored. With --json each line is one record in the format of
    the extraction contract (see README, "The record").
    """
    settings = ctx.settings.with_overrides(allow_private=allow_private)
    failures: list[ReadFailure] = []
    console = Console()
    count = 0
    for record in extract_inputs(inputs, published=published, settings=settings):
        if isinstance(record, ReadFailure):
            failures.append(record)
            continue
        count += 1
        if as_json:
            click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
        else:
            render.print_record(console, record, [])
    for failure in failures:
        click.echo(f"newstrace: failed: {failure.locator}: {failure.reason}", err=True)
    if failures and not count:
        raise AllInputsFailed(f"nothing extracted ({len(failures)} input(s) failed)")
