"""Readable terminal layouts of records (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from newstrace.api import ArticleSummary
from newstrace.models import Claim, Record


def print_record(
    console: Console, record: Record, copies: list[ArticleSummary], show_raw: bool = False
) -> None:
    """Metadata, text, removed junk, copies, claims, figures and dates of one article."""
    a = record.article
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("id", a.id),
        ("title", a.title),
        ("outlet", a.outlet),
        ("published", a.published),
        ("author", a.author),
        ("url", a.url),
        ("input", a.locator),
        ("copy of", a.duplicate_of),
    ):
        if value:
            meta.add_row(f"[bold]{label}[/]", escape(value))
    console.print(meta)
    console.print(Panel(escape(a.text), title="text", title_align="left"))
    if a.removed:
        console.print("[bold]removed by cleaning[/]")
        for item in a.removed:
            console.print(f"  [dim]{escape(item.reason)}:[/] {escape(item.text)}")
    if copies:
        console.print("[bold]copies[/]")
        for c in copies:
            role = "earliest copy" if c.duplicate_of is None else "copy"
            console.print(
                f"  {escape(c.id)}  {escape(c.outlet or '')}  {c.published or ''}  ({role})"
            )
    _print_claims(console, record)
    _print_figures_and_times(console, record)
    if show_raw and a.raw:
        console.print(Panel(escape(a.raw), title=f"raw input ({a.raw_kind})", title_align="left"))


def _print_claims(console: Console, record: Record) -> None:
    if not record.claims:
        return
    figures = {f.id: f for f in record.figures}
    times = {t.id: t for t in record.times}
    console.print(f"[bold]claims ({len(record.claims)})[/]")
    for claim in record.claims:
        console.print(_claim_line(claim))
        details = [
            f"{figures[i].text} = {_bounds(figures[i].value, figures[i].low, figures[i].high)}"
            for i in claim.figure_ids
            if i in figures
        ]
        details += [f"{times[i].text} = {times[i].value}" for i in claim.time_ids if i in times]
        if details:
            console.print("      " + escape("; ".join(details)), style="dim")


def _claim_line(claim: Claim) -> str:
    chain = " -> ".join(link.text for link in claim.source_chain)
    via = f" [dim](via {escape(chain)})[/]" if chain else ""
    cue = escape(claim.cue.text) if claim.cue else "—"
    hedge = " hedged" if claim.hedged else ""
    return (
        f"  [cyan]{escape(claim.speaker.label())}[/]{via} [yellow]{cue}[/] "
        f"[magenta]\\[{claim.stance}{hedge}, {claim.kind}][/]\n      {escape(claim.content.text)}"
    )


def _bounds(value: float | None, low: float | None, high: float | None) -> str:
    def fmt(x: float | None) -> str:
        return "?" if x is None else f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"

    return f"{fmt(value)} [{fmt(low)}, {fmt(high)}]"


def _print_figures_and_times(console: Console, record: Record) -> None:
    if record.figures:
        table = Table(title="figures", title_justify="left")
        for column in ("text", "value", "low", "high", "qualifier", "unit", "claim"):
            table.add_column(column)
        for f in record.figures:
            table.add_row(
                escape(f.text),
                *(_opt(x) for x in (f.value, f.low, f.high)),
                escape(f.qualifier or ""),
                escape(f.unit or ""),
                f.claim_id or "",
            )
        console.print(table)
    if record.times:
        table = Table(title="dates", title_justify="left")
        for column in ("text", "value", "granularity"):
            table.add_column(column)
        for t in record.times:
            table.add_row(escape(t.text), t.value or "", t.granularity)
        console.print(table)


def _opt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"
