"""`newstrace events`: PLOVER political events across stored articles."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape

from newstrace.api import Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import IsoDate, Listing, entity_option, listing_options
from newstrace.cli.render import Column
from newstrace.models import EventActor
from newstrace.store.events_queries import EVENT_TYPES, EventCell, EventCount, EventRow


@click.command()
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES, case_sensitive=False),
              help="Only events of this PLOVER type.")  # fmt: skip
@click.option("--actor", help="Source or target name/text contains this, or has this country code.")
@entity_option("Its source or target is this actor")
@click.option("--since", type=IsoDate(partial=True), help="Events dated on or after DATE.")
@click.option("--until", type=IsoDate(partial=True), help="Events dated on or before DATE.")
@click.option(
    "--counts",
    is_flag=True,
    help="Count events per source actor, type and month (each count's id opens its events "
    "with `newstrace show`).",
)
@click.option("--article", help="Only the events of this article (an id or unique prefix).")
@listing_options("events")
@click.pass_obj
def events(
    ctx: Context,
    event_type: str | None,
    actor: str | None,
    entity: str | None,
    since: str | None,
    until: str | None,
    counts: bool,
    article: str | None,
    listing: Listing,
) -> None:
    """List political events (PLOVER): who did what to whom, when, on whose word."""
    with Store.open(settings=ctx.settings) as store:
        if counts:
            found = store.event_counts(
                since, until, event_type=event_type, actor=actor, entity=entity
            ).page(listing.limit, listing.offset)
            render.print_listing(Console(), COUNT_COLUMNS, found, "counts", listing.format)
            return
        rows = store.events(
            event_type, actor=actor, since=since, until=until, limit=listing.limit,
            offset=listing.offset, article=article, entity=entity,
        )  # fmt: skip
        short = store.short_ids([r.article_id for r in rows])
    render.print_listing(Console(), event_columns(short), rows, "events", listing.format)


def print_counted(store: Store, cell: EventCell, as_json: bool) -> None:
    """The events one count counts (``newstrace show COUNT_ID``)."""
    rows = store.events(counted=cell.id, limit=None)
    if as_json:
        data = {"count": {"id": cell.id, **cell.__dict__}, "events": [r.to_dict() for r in rows]}
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    when = f" in {cell.period}" if cell.period else (" undated" if cell.per else "")
    what = "by" if cell.role == "source" else "to"
    title = f"{cell.id}: {len(rows)} {cell.type} event(s) {what} {cell.actor}{when}"
    short = store.short_ids([r.article_id for r in rows])
    render.print_table(Console(), event_columns(short), rows, escape(title))


def event_columns(short: dict[str, str]) -> list[Column[EventRow]]:
    """The columns of an event listing (`short`: the short id of each article)."""
    return [
        Column("article", lambda r: short[r.article_id], whole=True),
        Column("date", lambda r: r.date or "", whole=True),
        Column("type", _kind, width=22, least=10),
        Column("source", lambda r: _actor(r.event.source, r.source_name), width=24, least=14),
        Column("trigger", lambda r: r.event.trigger.text, priority=2, width=18),
        Column("target", lambda r: _actor(r.event.target, r.target_name), grows=True, least=14),
        Column("claim", lambda r: r.event.claim_id or "", priority=3, whole=True),
    ]


def _kind(row: EventRow) -> str:
    e = row.event
    return e.type + (f" {e.mode}" if e.mode else "") + (" (negated)" if e.negated else "")


def _actor(actor: EventActor | None, name: str | None) -> str:
    if actor is None:
        return ""
    codes = " ".join(c for c in (actor.country, actor.sector) if c)
    label = name if name and name != actor.text else actor.text
    return f"{label} [{codes}]" if codes else label


COUNT_COLUMNS: list[Column[EventCount]] = [
    Column("id", lambda c: c.id, whole=True),
    Column("period", lambda c: c.period or "", whole=True),
    Column("actor", lambda c: c.actor, grows=True),
    Column("country", lambda c: c.country or "", priority=2, whole=True),
    Column("type", lambda c: c.type, whole=True),
    Column("count", lambda c: str(c.count), whole=True),
]
