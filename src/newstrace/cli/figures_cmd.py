"""`newstrace figures`: how a reported number changed over time, and who gave it."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.analysis.history import HISTORY_LIMIT
from newstrace.api import FigurePoint, Store, plot_figure_history
from newstrace.cli.context import Context
from newstrace.cli.options import json_option


@click.command()
@click.option("--about", required=True, help='Counted unit or words: "troops", "cases|infections".')
@click.option("--all", "show_all", is_flag=True, help="Include repeats of earlier reports.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), help="Draw a PNG.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=0),
    default=HISTORY_LIMIT,
    show_default=True,
    help="Show the N most recent reports (0: all of them).",
)
@json_option
@click.pass_obj
def figures(
    ctx: Context, about: str, show_all: bool, plot: Path | None, limit: int, as_json: bool
) -> None:
    """Reported values over time with date, source, qualifier, bounds and evidence."""
    with Store.open(settings=ctx.settings) as store:
        points = store.figures(about, include_repeats=show_all, limit=limit or None)
    if plot is not None:
        plot_figure_history(points, plot, about)
    if as_json:
        for point in points:
            click.echo(json.dumps(point.to_dict(), ensure_ascii=False))
        return
    _print(points, about)


def _print(points: list[FigurePoint], about: str) -> None:
    table = Table(title=f"{len(points)} reported figure(s) about {about!r}")
    for column in ("published", "date", "figure", "low", "high", "unit", "source", "article"):
        table.add_column(column, overflow="fold")
    for p in points:
        m = p.member
        table.add_row(
            m.published or "", m.event_date or "", escape(m.figure_text or ""),
            _num(m.low), _num(m.high), m.unit or "", escape(p.source),
            m.article_id + ("" if p.first_report else " (repeat)"),
        )  # fmt: skip
    Console().print(table)


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:,.0f}"
