"""`newstrace events`: PLOVER political events across stored articles."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from newstrace.api import Store
from newstrace.cli.context import Context
from newstrace.cli.options import IsoDate, entity_option, json_option
from newstrace.models import EventActor
from newstrace.store.events_queries import EventRow

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


@click.command()
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES, case_sensitive=False),
              help="Only events of this PLOVER type.")  # fmt: skip
@click.option("--actor", help="Source or target name/text contains this, or has this country code.")
@entity_option("Its source or target is this actor")
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
    entity: str | None,
    since: str | None,
    until: str | None,
    counts: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """List political events (PLOVER): who did what to whom, when, on whose word."""
    with Store.open(settings=ctx.settings, create=False) as store:
        if counts:
            _print_counts(store.event_counts(since, until).to_dicts(), as_json)
            return
        rows = store.events(
            event_type, actor=actor, since=since, until=until, limit=limit, entity=entity
        )
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
