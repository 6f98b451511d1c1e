"""`newstrace figures`: how a reported number changed over time, and who gave it, one
history per series (what is counted, whose, what happened to it)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.analysis.history import HISTORY_LIMIT
from newstrace.analysis.series import SeriesCount, SeriesSummary, by_series, summarise
from newstrace.api import FigurePoint, Store, plot_figure_history
from newstrace.cli.context import Context
from newstrace.cli.options import entity_option, json_option


@click.command()
@click.option("--about", help='Measure or holder names: "troops", "Karsk", "troops|soldiers".')
@entity_option("Figures it holds, gives or whose claim names it")
@click.option("--series", "list_only", is_flag=True, help="List the series with their counts.")
@click.option("--all", "show_all", is_flag=True, help="Include repeats of earlier reports.")
@click.option(
    "--plot", type=click.Path(dir_okay=False, path_type=Path), help="Draw the largest series."
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=0),
    default=HISTORY_LIMIT,
    show_default=True,
    help="Show the N most recent reports (0: all of them); with --series, N series.",
)
@json_option
@click.pass_obj
def figures(
    ctx: Context,
    about: str | None,
    entity: str | None,
    list_only: bool,
    show_all: bool,
    plot: Path | None,
    limit: int,
    as_json: bool,
) -> None:
    """Reported values over time, one history per series, with value or range,
    qualifier, as-of and publication dates, source, outlet and evidence; under each
    series, its estimate summary."""
    if list_only:
        with Store.open(settings=ctx.settings, create=False) as store:
            found = store.series(about, limit=limit or None)
        _print_series(found, as_json)
        return
    if not about and not entity:
        raise click.UsageError(
            "give --about TEXT or --entity NAME|ID, or --series to list the series"
        )
    with Store.open(settings=ctx.settings, create=False) as store:
        points = store.figures(about, entity=entity, include_repeats=show_all, limit=limit or None)
    groups = by_series(points)
    if plot is not None and groups:
        key, first = next(iter(groups.items()))
        plot_figure_history(first, plot, first[0].series_label or about or entity or "")
    if as_json:
        for point in points:
            click.echo(json.dumps(point.to_dict(), ensure_ascii=False))
        return
    if not groups:
        Console().print(f"no reported figure matches {about or entity!r}")
    for key, group in groups.items():
        _print(group, key)


def _print_series(found: list[SeriesCount], as_json: bool) -> None:
    if as_json:
        for s in found:
            click.echo(json.dumps(s.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} figure series")
    for column in ("series", "points", "articles", "first", "last", "key"):
        table.add_column(column, overflow="fold")
    for s in found:
        table.add_row(
            escape(s.label), str(s.points), str(s.articles), s.first or "", s.last or "",
            escape(s.key),
        )  # fmt: skip
    Console().print(table)


def _print(points: list[FigurePoint], key: str) -> None:
    label = points[0].series_label or "(no series)"
    table = Table(title=f"{label}: {len(points)} reported figure(s)", title_justify="left")
    for column in ("published", "as of", "figure", "low", "high", "source", "outlet", "article"):
        table.add_column(column, overflow="fold")
    for p in points:
        m = p.member
        table.add_row(
            m.published or "", m.as_of or "", escape(m.figure_text or ""),
            _num(m.low), _num(m.high), escape(p.source), m.outlet_key,
            m.article_id + ("" if p.first_report else " (repeat)"),
        )  # fmt: skip
    console = Console()
    console.print(table)
    if key:
        _print_summary(console, summarise(key, points))


def _print_summary(console: Console, s: SeriesSummary) -> None:
    latest = "; ".join(f"{p.source}: {p.member.figure_text}" for p in s.latest)
    console.print(f"  current estimates ({len(s.latest)} sources): {escape(latest)}")
    if s.low is not None or s.high is not None:
        console.print(f"  range: {_num(s.low) or '?'} to {_num(s.high) or '?'}")
    console.print(
        f"  first report {s.first.member.published or '?'} ({escape(s.first.source)}), "
        f"last {s.last.member.published or '?'} ({escape(s.last.source)})"
    )
    for r in s.revisions:
        console.print(
            f"  revised: {escape(r.source)} {r.earlier.member.figure_text} "
            f"({r.earlier.member.published}) -> {r.later.member.figure_text} "
            f"({r.later.member.published})"
        )


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:,.0f}"
