"""Readable terminal layouts of records (rich), and the one way every listing prints:
a table fitted to the terminal, or JSON lines, CSV or TSV."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from newstrace.analysis.group_pages import GroupView
from newstrace.api import ArticleSummary, ClaimRow, Member, Results
from newstrace.models import Claim, Record
from newstrace.reader.results import Row, write_csv
from newstrace.store.filters import COUNT_CAP
from newstrace.store.reads.entities import Appearance, EntityDetail


def print_record(
    console: Console, record: Record, copies: list[ArticleSummary], show_raw: bool = False
) -> None:
    """Metadata, text, removed junk, copies, claims, figures and dates of one article."""
    a = record.article
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("id", a.id),
        ("title", a.title),
        ("outlet", f"{a.outlet_name} ({a.outlet})" if a.outlet_name else a.outlet),
        ("published", a.published),
        ("author", a.author),
        ("url", a.url),
        ("input", a.locator),
        ("copy of", a.duplicate_of),
        ("language", a.language),
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


T = TypeVar("T")
R = TypeVar("R", bound=Row)
ROW_GAP = 3  # the border and padding rich puts between two columns


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a listing's table: its heading, its text for a row, and how it is
    fitted. Columns are kept by `priority` (1 first) while they fit the terminal; a
    `whole` one (ids, dates, counts) is never cut nor wrapped; the others are cut to
    one line, at least `least` and at most `width` wide, and the one that `grows` takes
    the room left."""

    name: str
    text: Callable[[T], str]
    priority: int = 1
    whole: bool = False
    width: int = 12
    grows: bool = False
    least: int = 8
    markup: bool = False  # the text is rich markup (highlighted words), not escaped


def fit_columns(columns: list[Column[T]], rows: list[list[str]], width: int) -> dict[int, int]:
    """The columns that fit in `width` characters, chosen by priority, each with its
    width (in their order): a whole column as wide as its longest cell, another as its
    longest cell up to its `width`, at least its heading and `least`; the column that
    grows takes what is left."""
    longest = [max([len(c.name), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    least = [
        n if c.whole else min(n, max(len(c.name), c.least))
        for c, n in zip(columns, longest, strict=True)
    ]
    room = width - 1
    kept: dict[int, int] = {}
    for i in sorted(range(len(columns)), key=lambda i: (columns[i].priority, i)):
        if least[i] + ROW_GAP <= room:
            kept[i] = least[i]
            room -= least[i] + ROW_GAP
    growing = [i for i in kept if columns[i].grows]
    for n, i in enumerate(growing):  # the room shared by the growing columns
        share = room // (len(growing) - n)
        extra = max(0, min(share, longest[i] - kept[i]))
        kept[i] += extra
        room -= extra
    for i in sorted(kept, key=lambda i: (columns[i].priority, i)):
        extra = max(0, min(room, min(longest[i], columns[i].width) - kept[i]))
        kept[i] += extra
        room -= extra
    return dict(sorted(kept.items()))


def print_listing(
    console: Console, columns: list[Column[R]], items: Results[R], noun: str, fmt: str
) -> None:
    """A listing as a table that fits the terminal, or as JSON lines, CSV or TSV, with
    the place of this page in the whole (``1-50 of 924; 874 more: --offset 50 or
    --all``: below a table, on standard error otherwise)."""
    if fmt == "table":
        _print_table(console, columns, items, noun)
    else:
        write_rows(items, fmt)
    note = more_note(items, noun)
    if note and fmt == "table":
        console.print(note, highlight=False)
    elif note:
        click.echo(note, err=True)


def write_rows(items: Results[R], fmt: str) -> None:
    """Rows as JSON lines (the ``to_dict`` of each), else CSV or TSV of the flattened
    rows (`Results.to_records`), one header line first."""
    out = sys.stdout
    if fmt == "json":
        for row in items.to_dicts():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        return
    write_csv(out, items.to_records(), "\t" if fmt == "tsv" else ",")
    out.flush()


def more_note(items: Results[Any], noun: str) -> str:
    """Where this page is in the listing, and how to see the rest ('' when it is all)."""
    if items.offset == 0 and not items.more:
        return ""
    total = f"more than {COUNT_CAP:,}" if items.capped else f"{items.total:,}"
    shown = f"{items.offset + 1:,}-{items.offset + len(items):,}" if items else "none"
    if not items.more:
        return f"{noun} {shown} of {total}"
    more = f"{items.more:,}" + ("+" if items.capped else "")
    following = items.offset + len(items)
    return f"{noun} {shown} of {total}; {more} more: --offset {following} or --all"


def _print_table(console: Console, columns: list[Column[R]], items: Results[R], noun: str) -> None:
    print_table(console, columns, items, f"{items.total:,}{'+' if items.capped else ''} {noun}")


def print_table(console: Console, columns: list[Column[T]], items: list[T], title: str) -> None:
    """`items` as a table with `title`, its columns fitted to the console's width."""
    cells = [[" ".join(c.text(item).split()) for c in columns] for item in items]
    kept = fit_columns(columns, cells, console.width)
    table = Table(title=title, title_justify="left")
    for i, width in kept.items():
        table.add_column(columns[i].name, width=width, no_wrap=True, overflow="ellipsis")
    for row in cells:
        table.add_row(*(row[i] if columns[i].markup else escape(row[i]) for i in kept))
    console.print(table)


def article_ids(entity: EntityDetail | None, group: GroupView | None) -> list[str]:
    """The articles an entity's or a group's page lists."""
    if entity is not None:
        return [a.article_id for a in entity.appearances] + [r.article_id for r in entity.said]
    return [m.article_id for m in group.group.members] if group else []


def print_fields(console: Console, item_id: str, fields: list[tuple[str, str]]) -> None:
    """What `newstrace show` prints first for one item: its id, then each field that
    has a value, a label and its (escaped) value a line."""
    meta = Table.grid(padding=(0, 2))
    for label, value in [("id", item_id), *fields]:
        if value:
            meta.add_row(f"[bold]{label}[/]", escape(value))
    console.print(meta)


def print_entity(
    console: Console, found: EntityDetail, short: dict[str, str], as_json: bool
) -> None:
    """One entity: names, counts, the articles it appears in and what it said."""
    e = found.entity
    if as_json:
        click.echo(json.dumps(entity_dict(found), ensure_ascii=False))
        return
    print_fields(console, e.id, [
        ("name", e.name), ("type", e.type), ("aliases", "; ".join(e.aliases)),
        ("roles", "; ".join(e.roles)), ("articles", str(found.articles)),
        ("first seen", found.first_published or ""), ("last seen", found.last_published or ""),
    ])  # fmt: skip
    print_table(console, _appearance_columns(short), found.appearances, "appears in")
    print_table(console, _said_columns(short), found.said, "said")


def entity_dict(found: EntityDetail) -> dict[str, Any]:
    """An entity's page as JSON (what ``show ENTITY_ID --json`` prints)."""
    e = found.entity
    return {
        "id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
        "roles": list(e.roles), "articles": found.articles,
        "first_published": found.first_published, "last_published": found.last_published,
        "appearances": [a.__dict__ for a in found.appearances],
        "said": [r.to_dict() for r in found.said],
    }  # fmt: skip


def _appearance_columns(short: dict[str, str]) -> list[Column[Appearance]]:
    return [
        Column("article", lambda a: short[a.article_id], whole=True),
        Column("published", lambda a: a.published or "", whole=True),
        Column("outlet", lambda a: a.outlet or "", priority=2, width=20),
        Column("title", lambda a: a.title or "", grows=True, least=20),
    ]


def _said_columns(short: dict[str, str]) -> list[Column[ClaimRow]]:
    return [
        Column("article", lambda r: short[r.article_id], whole=True),
        Column("published", lambda r: r.published or "", whole=True),
        Column("stance", lambda r: str(r.claim.stance), priority=2, width=10),
        Column("content", lambda r: r.claim.content.text, grows=True, least=24),
    ]


def print_group(console: Console, found: GroupView, short: dict[str, str], as_json: bool) -> None:
    """One claim group: its counts and every member with its article."""
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False))
        return
    console.print(f"[bold]{escape(found.id)}[/] {escape(found.label)}", highlight=False)
    console.print(
        f"{found.items} items, {found.articles} articles, {found.outlets} outlets, "
        f"{found.sources} original sources, {found.first_seen or '?'} to {found.last_seen or '?'}"
    )
    columns: list[Column[Member]] = [
        Column("article", lambda m: short[m.article_id], whole=True),
        Column("published", lambda m: m.published or "", whole=True),
        Column("speaker", lambda m: m.speaker or "", width=24, least=12),
        Column("stance", lambda m: m.stance, priority=2, width=10),
        Column("said", lambda m: m.content or m.figure_text or "", grows=True, least=24),
    ]
    print_table(console, columns, list(found.group.members), "members")


def marked(text: str, marks: list[tuple[int, int]]) -> str:
    """`text` as rich markup with the `marks` spans in bold (search matches)."""
    out, at = [], 0
    for start, end in sorted(marks):
        if start < at:
            continue
        out += [escape(text[at:start]), "[bold]", escape(text[start:end]), "[/bold]"]
        at = end
    return "".join(out) + escape(text[at:])
