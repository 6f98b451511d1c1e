"""`newstrace events`: PLOVER political events across stored articles."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from newstrace.cli.context import Context
from newstrace.cli.options import IsoDate, json_option
from newstrace.models import EventActor
from newstrace.store import Store
from newstrace.store.events_queries import EventRow, event_counts, list_events
from newstrace.store.filters import until_bound

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


@click.command()
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES, case_sensitive=False),
              help="Only events of this PLOVER type.")  # fmt: skip
@click.option("--actor", help="Source or target name/text contains this, or has this country code.")
@click.option("--since", type=IsoDate(partial=True), help="Events dated on or after DATE.")
@click.option("--until", type=IsoDate(partial=True), help="Events dated on or before DATE.")
@click.option("--counts", is_flag=True, help="Count events per source actor, type and month.")
@click.option("--limit", "-n", type=click.IntRange(min=1), help="Show at most N events.")
@json_option
@click.pass_obj
def events(
    ctx: Context,
    event_type: str | None,
    actor: str | None,
    since: str | None,
    until: str | None,
    counts: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """List political events (PLOVER): who did what to whom, when, on whose word."""
    with Store.open(ctx.settings.db) as store:
        if counts:
            tallies = event_counts(store, "source", "month", since, until_bound(until))
            _print_counts([t.to_dict() for t in tallies], as_json)
            return
        rows = list_events(store, event_type, actor, since, until_bound(until), limit=limit)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
        return
    _print_table(rows)


def _print_table(rows: list[EventRow]) -> None:
    table = Table(title=f"{len(rows)} event(s)")
    for column in ("date", "type", "source", "trigger", "target", "claim", "article"):
        table.add_column(column, overflow="fold")
    for row in rows:
        e = row.event
        kind = e.type + (f" {e.mode}" if e.mode else "") + (" (negated)" if e.negated else "")
        table.add_row(
            row.date or "",
            kind,
            _actor(e.source, row.source_name),
            e.trigger.text,
            _actor(e.target, row.target_name),
            e.claim_id or "",
            row.article_id,
        )
    Console().print(table)


def _actor(actor: EventActor | None, name: str | None) -> str:
    if actor is None:
        return ""
    codes = " ".join(c for c in (actor.country, actor.sector) if c)
    label = name if name and name != actor.text else actor.text
    return f"{label} [{codes}]" if codes else label


def _print_counts(rows: list[dict[str, object]], as_json: bool) -> None:
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table(title="events per actor, type and month")
    for column in ("period", "actor", "country", "type", "count"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("period", "actor", "country", "type", "count")))
    Console().print(table)
