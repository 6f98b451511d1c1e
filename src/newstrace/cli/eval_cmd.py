"""`newstrace eval`: measure extraction accuracy on an annotated data set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from newstrace.cli.context import Context
from newstrace.errors import BelowBaseline, NewstraceError

if TYPE_CHECKING:
    from newstrace.evaluation import EvalResult

TASK_NAMES = ("attribution", "timex", "article", "ner", "figures", "entities", "quotes", "groups")


@click.command("eval")
@click.argument("task", type=click.Choice(TASK_NAMES))
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--split",
    type=click.Choice(["train", "dev", "test"]),
    default="dev",
    show_default=True,
    help="Compartment of data sets that have splits (PolNeAR folders, CoNLL folders).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write misses and false alarms, with context, to FILE (JSON Lines).",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fail (exit 1) when a metric is below its floor in this file (eval/baseline.json).",
)
@click.pass_obj
def eval_command(
    ctx: Context,
    task: str,
    path: Path,
    split: str,
    limit: int | None,
    as_json: bool,
    errors_path: Path | None,
    baseline: Path | None,
) -> None:
    """Score newstrace's TASK extraction against the annotated data at PATH.

    \b
    TASK and PATH:
      attribution  PolNeAR-style folder (data/<split>/text, attributions) or JSONL
      timex        folder of TimeML .tml files with a document creation time
      article      article-extraction benchmark folder (html/, ground-truth.json)
      ner          CoNLL-2003 file, or a folder of <name>_<split>.txt files
      figures      JSON Lines of labelled figure sentences (tests/data/figures_gold.jsonl)
      entities     JSON Lines of articles with mentions labelled by actor, or a folder
                   of <name>_<split>.jsonl files (tests/data/actors): B-cubed of the
                   cross-article actors and speaker accuracy
      quotes       JSON Lines of articles with their direct quotes and speakers
                   (tests/data/quotes/dev.jsonl)
      groups       folder of articles with claims labelled by proposition and
                   contradiction (tests/data/groups): pair P/R/F1 of the claim
                   groups, P/R of the contradictions
    """
    from newstrace.evaluation import compare_to_baseline, evaluate, floors_for

    result = evaluate(task, path, split, limit, ctx.settings)
    if errors_path is not None:
        _write_errors(result, errors_path)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_table(result)
    if baseline is not None:
        floors = floors_for(baseline, task, ctx.settings.extractor, split)
        failures = compare_to_baseline(result, floors)
        if failures:
            raise BelowBaseline("; ".join(failures))


def _write_errors(result: EvalResult, path: Path) -> None:
    try:
        with path.open("w", encoding="utf-8") as handle:
            for error in result.errors:
                handle.write(json.dumps(error, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise NewstraceError(f"{path}: cannot write the errors file: {exc.strerror}") from exc


def _print_table(result: EvalResult) -> None:
    split = f", split {result.split}" if result.split else ""
    table = Table(
        title=f"{result.task}: {result.dataset}{split}, {result.n_docs} documents",
        title_justify="left",
    )
    table.add_column("metric")
    table.add_column("precision", justify="right")
    table.add_column("recall", justify="right")
    table.add_column("F1", justify="right")
    table.add_column("value", justify="right")
    for name, values in _group(result.metrics).items():
        table.add_row(name, *(values.get(k, "") for k in ("precision", "recall", "f1", "")))
    Console().print(table)


def _group(metrics: dict[str, float]) -> dict[str, dict[str, str]]:
    """``x_precision``, ``x_recall``, ``x_f1`` become one row ``x``; other metrics a row each."""
    rows: dict[str, dict[str, str]] = {}
    for key, value in metrics.items():
        stem, _, last = key.rpartition("_")
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        if last in ("precision", "recall", "f1"):
            rows.setdefault(stem or "overall", {})[last] = shown
        else:
            rows.setdefault(key, {})[""] = shown
    return rows
