"""`newstrace ingest`: read inputs into the store, with a progress bar and a summary."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from newstrace.api import IngestReport, Store
from newstrace.cli.alert_cmd import print_alert_report
from newstrace.cli.context import Context
from newstrace.cli.options import IsoDate, setting_option
from newstrace.errors import AllInputsFailed
from newstrace.sources.base import printable


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|URL|-...")
@click.option("--published", type=IsoDate(), help="Publication date for inputs that lack one.")
@setting_option("allow_private")
@click.option("--no-extract", is_flag=True, help="Store cleaned articles without running NLP.")
@setting_option("engine", type=click.Choice(["local", "ray"]))
@setting_option("workers", type=click.IntRange(min=1))
@setting_option("ray_address", "--address")
@click.option(
    "--out",
    metavar="parquet:DIR",
    help="Write extraction results as Parquet to DIR instead of the store (see `load`).",
)
@setting_option("lsh_url", "--lsh", "lsh_url")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_obj
def ingest(
    ctx: Context,
    inputs: tuple[str, ...],
    published: str | None,
    allow_private: bool | None,
    no_extract: bool,
    engine: str | None,
    workers: int | None,
    address: str | None,
    out: str | None,
    lsh_url: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Read, clean, deduplicate, extract and store articles.

    \b
    INPUTS are files (.txt .html .htm .html.gz .jsonl .json .rss .atom .xml .warc
    .warc.gz), folders (read recursively), http(s) URLs, or - for standard input.
    Re-ingesting the same input changes nothing. Copies of one story are linked to
    the earliest copy (duplicate_of), not dropped. A bad input is reported and
    skipped; the exit code is non-zero only when every input failed.
    """
    settings = ctx.settings.with_overrides(
        allow_private=allow_private,
        engine=engine,
        workers=workers,
        ray_address=address,
        lsh_url=lsh_url,
    )
    out_dir = parquet_target(out)
    err = Console(stderr=True)
    with Store.open(settings=settings, create=True) as store:
        progress = _progress(err, quiet or as_json)
        with progress:
            shown = not (quiet or as_json) and err.is_terminal  # else no bar: no count
            total = store.count_documents(inputs) if shown else None
            task = progress.add_task("ingesting", total=total)
            counts: Counter[str] = Counter()

            def advance(outcome: str, locator: str) -> None:
                counts[outcome] += 1
                progress.update(task, advance=1, description=_describe(counts))

            report = store.ingest(
                inputs,
                published=published,
                extract=not no_extract,
                progress=advance,
                out=out_dir,
            )
            alerts = store.last_alerts
    print_report(report, as_json)
    if alerts is not None:
        print_alert_report(alerts, as_json)
    if report.failed and not report.stored and not report.unchanged:
        raise AllInputsFailed(f"no article ingested ({len(report.failed)} input(s) failed)")


def parquet_target(out: str | None) -> Path | None:
    """The folder of ``--out parquet:DIR`` (None without --out)."""
    if out is None:
        return None
    kind, _, folder = out.partition(":")
    if kind != "parquet" or not folder:
        raise click.BadParameter("use parquet:DIR", param_hint="--out")
    return Path(folder)


def _progress(console: Console, disabled: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),  # an estimate when the total is known in advance
        console=console,
        disable=disabled,
        transient=True,
    )


def _describe(counts: Counter[str]) -> str:
    return " ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    console = Console()
    table = Table(title="ingest summary", show_header=False)
    table.add_row("new", str(len(report.new)))
    table.add_row("updated", str(len(report.updated)))
    table.add_row("unchanged", str(len(report.unchanged)))
    table.add_row("near-duplicates", str(len(report.duplicates)))
    table.add_row("failed", str(len(report.failed)), style="red" if report.failed else None)
    if report.not_english:
        table.add_row("not English (stored, not extracted)", str(len(report.not_english)))
    console.print(table)
    for article_id, language in report.not_english:
        line = (
            f"  not extracted: {printable(article_id)}: language {printable(language)}, not English"
        )
        console.print(line, highlight=False, markup=False)
    for article_id, root, similarity in report.duplicates:
        sim = f" (similarity {similarity:.2f})" if similarity is not None else ""
        console.print(f"  copy: {printable(article_id)} -> {printable(root)}{sim}", highlight=False)
    err = Console(stderr=True)
    for failure in report.failed:
        line = f"  failed: {printable(failure.locator)}: {printable(failure.reason)}"
        err.print(line, highlight=False, markup=False, soft_wrap=True)
