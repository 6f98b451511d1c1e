"""`newstrace figures`: how a reported number changed over time, and who gave it, one
history per series (what is counted, whose, what happened to it)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from newstrace.analysis.history import HISTORY_LIMIT
from newstrace.analysis.series import (
    SeriesCount,
    SeriesSummary,
    by_series,
    in_series_order,
    summarise,
)
from newstrace.api import FigurePoint, Results, Store, plot_figure_history
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, entity_option, listing_options
from newstrace.cli.render import Column
from newstrace.models import series_id


@click.command()
@click.option("--about", help='Measure or holder names: "troops", "Karsk", "troops|soldiers".')
@entity_option("Figures it holds, gives or whose claim names it")
@click.option(
    "--series",
    "list_only",
    is_flag=True,
    help="List the series with their counts (each id opens its history with `newstrace show`).",
)
@click.option("--repeats", is_flag=True, help="Include repeats of earlier reports.")
@click.option(
    "--plot", type=click.Path(dir_okay=False, path_type=Path), help="Draw the largest series."
)
@listing_options("reports")
@click.pass_obj
def figures(
    ctx: Context,
    about: str | None,
    entity: str | None,
    list_only: bool,
    repeats: bool,
    plot: Path | None,
    listing: Listing,
) -> None:
    """Reported values over time, one history per series (the largest first), with value
    or range, qualifier, as-of and publication dates, source, outlet and evidence; under
    each series, its estimate summary. Of the 1,000 most recent reports (--all: every
    one). With --series, the series (paged the same way)."""
    if list_only:
        with Store.open(settings=ctx.settings) as store:
            found = Results(store.series(about, limit=None)).page(listing.limit, listing.offset)
        render.print_listing(Console(), SERIES_COLUMNS, found, "figure series", listing.format)
        return
    if not about and not entity:
        raise click.UsageError(
            "give --about TEXT or --entity NAME|ID, or --series to list the series"
        )
    bound = None if listing.limit is None else HISTORY_LIMIT  # --all: the whole history
    with Store.open(settings=ctx.settings) as store:
        points = store.figures(about, entity=entity, include_repeats=repeats, limit=bound)
        page = Results(in_series_order(points)).page(listing.limit, listing.offset)
        short = store.short_ids([p.member.article_id for p in page])
    everything = by_series(points)
    if plot is not None and everything:
        key, first = next(iter(everything.items()))
        plot_figure_history(first, plot, first[0].series_label or about or entity or "")
    if listing.format != "table":
        render.print_listing(Console(), [], page, "reports", listing.format)
        return
    if not everything:
        Console().print(f"no reported figure matches {about or entity!r}")
    console = Console()
    for key, group in by_series(page).items():
        _print_history(console, key, group, everything[key], short)
    note = render.more_note(page, "reports")
    if note:
        console.print(note, highlight=False)


def print_series(store: Store, found: SeriesCount, as_json: bool) -> None:
    """One series' whole history with its estimate summary (``newstrace show SERIES_ID``)."""
    points = store.figures(series=found.key, include_repeats=True, limit=None)
    if as_json:
        data = {
            "series": found.to_dict(),
            "summary": summarise(found.key, points).to_dict() if points else None,
            "points": [p.to_dict() for p in points],
        }
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    short = store.short_ids([p.member.article_id for p in points])
    _print_history(Console(), found.key, list(points), list(points), short)


def _print_history(
    console: Console,
    key: str,
    shown: list[FigurePoint],
    every: list[FigurePoint],
    short: dict[str, str],
) -> None:
    """The `shown` points of series `key` as a table titled with its label and id, and
    the estimate summary of `every` point of it."""
    label = shown[0].series_label or "(no series)"
    ident = f" ({series_id(key)})" if key else ""
    title = f"{escape(label)}{ident}: {len(every)} reported figure(s)"
    render.print_table(console, _point_columns(short), shown, title)
    if key:
        _print_summary(console, summarise(key, every))


SERIES_COLUMNS: list[Column[SeriesCount]] = [
    Column("id", lambda s: s.id, whole=True),
    Column("series", lambda s: s.label, grows=True, least=20),
    Column("points", lambda s: str(s.points), whole=True),
    Column("articles", lambda s: str(s.articles), priority=2, whole=True),
    Column("first", lambda s: s.first or "", priority=3, whole=True),
    Column("last", lambda s: s.last or "", priority=2, whole=True),
    Column("key", lambda s: s.key, priority=4, width=40),
]


def _point_columns(short: dict[str, str]) -> list[Column[FigurePoint]]:
    def article(p: FigurePoint) -> str:
        return short[p.member.article_id] + ("" if p.first_report else " (repeat)")

    return [
        Column("article", article, whole=True),
        Column("published", lambda p: p.member.published or "", whole=True),
        Column("as of", lambda p: p.member.as_of or "", priority=3, whole=True),
        Column("figure", lambda p: p.member.figure_text or "", grows=True, least=14),
        Column("low", lambda p: _num(p.member.low), priority=2, whole=True),
        Column("high", lambda p: _num(p.member.high), priority=2, whole=True),
        Column("source", lambda p: p.source, width=24, least=12),
        Column("outlet", lambda p: p.member.outlet_shown, priority=4, width=20),
    ]


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
