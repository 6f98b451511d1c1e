"""`newstrace alert`: rules that say when a figure moves, a contradiction appears, an
actor speaks or a search finds something new; their history and deliveries."""

from __future__ import annotations

import json

import click
from rich.console import Console

from newstrace.alerts import AlertReport
from newstrace.alerts.rules import DELIVERIES, KINDS, rule_spec
from newstrace.api import Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, json_option, listing_options
from newstrace.cli.render import Column, print_listing
from newstrace.models import STANCES, numbered, numbered_id
from newstrace.reader.results import Results
from newstrace.store.alerts import STATUSES, AlertRule, Delivery


@click.group()
def alert() -> None:
    """Alert rules, checked at the end of every ingest (and by `alert run`).

    \b
    Examples:
      newstrace alert add deployment series --series 'karsk|troops|deployed|total' --change 25
      newstrace alert add denials contradiction --entity Karsk --deliver webhook \\
          --target https://hooks.example/newstrace
      newstrace alert add holm claim --entity 'Petra Holm' --stance deny
      newstrace alert add bridge search --query '"Lisk bridge"' --deliver file --target a.jsonl
    """


@alert.command("add")
@click.argument("name")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--series", help="A series key, as `figures --series` shows it.")
@click.option("--about", help='series: every series of these measures or holders ("troops").')
@click.option(
    "--change", type=click.FloatRange(min=0), help="series: only a change beyond PCT percent."
)
@click.option("--entity", help="An entity id, name or alias (as in `claims --entity`).")
@click.option("--words", help="claim: the claim's wording contains these words.")
@click.option("--stance", type=click.Choice(STANCES), help="claim: only claims of this stance.")
@click.option("--query", help="search: a full-text search (the `articles --search` syntax).")
@click.option("--deliver", type=click.Choice(DELIVERIES), default="stdout", show_default=True)
@click.option("--target", help="file: a path; webhook: a URL; email: an address.")
@click.option("--secret", help="webhook: the HMAC key (default: a random one, shown once).")
@click.option("--backfill", is_flag=True, help="Also alert on what already matches.")
@click.pass_obj
def add(
    ctx: Context,
    name: str,
    kind: str,
    series: str | None,
    about: str | None,
    change: float | None,
    entity: str | None,
    words: str | None,
    stance: str | None,
    query: str | None,
    deliver: str,
    target: str | None,
    secret: str | None,
    backfill: bool,
) -> None:
    """Set an alert rule NAME of KIND: series (a figure series moves: a new value, or
    with --change a change beyond PCT %), contradiction (a new contradiction, about
    --entity or --series), claim (--entity makes a claim, with --words or --stance), or
    search (--query gets new matches). What it matches now is not alerted on, unless
    --backfill."""
    spec = rule_spec(
        name, kind, series=series, about=about, change=change, entity=entity, words=words,
        stance=stance, query=query, delivery=deliver, target=target, secret=secret,
    )  # fmt: skip
    with Store.open(settings=ctx.settings, create=True) as store:
        rule = store.add_alert(spec, backfill=backfill)
        unknown = entity is not None and not store.entities(entity, limit=1)
    click.echo(
        f"alert {rule.name} ({numbered_id('R', rule.id)}): {rule.kind} -> "
        f"{rule.delivery} {rule.target}"
    )
    if unknown:
        click.echo(f"note: no entity {entity!r} in the store yet; the rule matches once it appears")
    if rule.delivery == "webhook" and not secret:
        click.echo(f"webhook secret (shown once): {rule.secret}")


@alert.command("list")
@listing_options("rules")
@click.pass_obj
def list_rules(ctx: Context, listing: Listing) -> None:
    """The alert rules set, with what they watch and where their alerts go."""
    with Store.open(settings=ctx.settings) as store:
        found = Results(store.alert_rules()).page(listing.limit, listing.offset)
    print_listing(Console(), RULE_COLUMNS, found, "alert rules", listing.format)


RULE_COLUMNS: list[Column[AlertRule]] = [
    Column("id", lambda r: numbered_id("R", r.id), whole=True),
    Column("name", lambda r: r.name, width=24, least=10),
    Column("kind", lambda r: r.kind, whole=True),
    Column("watches", lambda r: " ".join(f"{k}={v}" for k, v in sorted(r.params.items())),
           width=40, grows=True),
    Column("delivery", lambda r: f"{r.delivery} {r.target}".strip(), priority=2, width=30),
]  # fmt: skip


@alert.command("remove")
@click.argument("name")
@click.pass_obj
def remove(ctx: Context, name: str) -> None:
    """Delete the alert rule NAME (or its id) and its history."""
    with Store.open(settings=ctx.settings) as store:
        rule = store.remove_alert(name)
    click.echo(f"removed alert {rule.name} ({numbered_id('R', rule.id)})")


@alert.command("run")
@click.option("--no-deliver", is_flag=True, help="Record new alerts, deliver nothing.")
@json_option
@click.pass_obj
def run(ctx: Context, no_deliver: bool, as_json: bool) -> None:
    """Check every rule now and deliver what is due (ingest does this by itself)."""
    with Store.open(settings=ctx.settings) as store:
        report = store.run_alerts(deliver=not no_deliver) or AlertReport()
    print_alert_report(report, as_json)


@alert.command("retry")
@click.option("--rule", help="Only the failed alerts of this rule.")
@json_option
@click.pass_obj
def retry(ctx: Context, rule: str | None, as_json: bool) -> None:
    """Deliver the failed alerts again (each with its retries)."""
    with Store.open(settings=ctx.settings) as store:
        report = store.retry_alerts(rule)
    print_alert_report(report, as_json)


@alert.command("history")
@click.option("--rule", help="Only the alerts of this rule (name or id).")
@click.option("--status", type=click.Choice(STATUSES), help="Only alerts in this state.")
@click.option("--unread", is_flag=True, help="Only alerts not marked as read.")
@listing_options("alerts")
@click.pass_obj
def history(
    ctx: Context, rule: str | None, status: str | None, unread: bool, listing: Listing
) -> None:
    """Alerts fired, newest first, with their delivery state (failed ones say why; *
    marks an alert not read yet) and the article of their evidence (its id opens it with
    `newstrace show`)."""
    with Store.open(settings=ctx.settings) as store:
        page = store.alert_history(
            rule=rule, status=status, unread=unread, limit=listing.limit, offset=listing.offset
        )
        short = store.short_ids([d.article_id for d in page.items if d.article_id])
    found = Results(page.items, total=page.total, offset=listing.offset)
    print_listing(Console(), _history_columns(short), found, "alerts", listing.format)


def _state(d: Delivery) -> str:
    return d.status + (f" ({d.attempts}x: {d.last_error})" if d.last_error else "")


def _history_columns(short: dict[str, str]) -> list[Column[Delivery]]:
    """The columns of `alert history` (`short`: the short id of each evidence article)."""
    return [
        Column("id", lambda d: numbered_id("A", d.id), whole=True),
        Column("when", lambda d: d.created_at[:19], whole=True),
        Column("rule", lambda d: d.rule, width=20, least=8),
        Column("status", _state, priority=2, width=30),
        Column("article", lambda d: short.get(d.article_id or "", ""), whole=True),
        Column("alert", lambda d: ("" if d.read_at else "* ") + str(d.payload.get("summary", "")),
               width=60, grows=True),
    ]  # fmt: skip


@alert.command("read")
@click.argument("ids", nargs=-1, required=True)
@click.pass_obj
def read(ctx: Context, ids: tuple[str, ...]) -> None:
    """Mark alerts (by id, from `alert history`: A17, or 17) as read."""
    numbers = [numbered(i, "A") for i in ids]
    wrong = [i for i, n in zip(ids, numbers, strict=True) if n is None]
    if wrong:
        raise click.BadParameter(f"{wrong[0]!r} is not an alert id (A17)", param_hint="IDS")
    with Store.open(settings=ctx.settings) as store:
        changed = store.mark_alerts_read([n for n in numbers if n is not None])
    click.echo(f"{changed} alert(s) marked as read")


def print_rule(store: Store, rule: AlertRule, as_json: bool) -> None:
    """One alert rule (`newstrace show R2`): what it watches, where its alerts go, and
    its latest alerts (their ids open them)."""
    latest = store.alert_history(rule=numbered_id("R", rule.id), limit=10)
    if as_json:
        data = {**rule.to_dict(), "alerts": [d.to_dict() for d in latest.items]}
        click.echo(json.dumps({"rule": data}, ensure_ascii=False))
        return
    console = Console()
    render.print_fields(console, numbered_id("R", rule.id), [
        ("name", rule.name), ("kind", rule.kind),
        ("watches", " ".join(f"{k}={v}" for k, v in sorted(rule.params.items()))),
        ("delivery", f"{rule.delivery} {rule.target}".strip()), ("set", rule.created_at[:19]),
        ("alerts", f"{latest.total}"),
    ])  # fmt: skip
    for d in latest.items:
        console.print(f"  {numbered_id('A', d.id)}  {d.created_at[:19]}  {d.status}  "
                      f"{d.payload.get('summary', '')}", highlight=False, markup=False)  # fmt: skip


def print_alert(store: Store, found: Delivery, as_json: bool) -> None:
    """One alert (`newstrace show A17`): its summary, rule, delivery state and the
    article of its evidence (whose id opens it)."""
    short = store.short_ids([found.article_id] if found.article_id else [])
    if as_json:
        click.echo(json.dumps({"alert": found.to_dict()}, ensure_ascii=False))
        return
    render.print_fields(Console(), numbered_id("A", found.id), [
        ("alert", str(found.payload.get("summary", ""))),
        ("rule", f"{found.rule} ({numbered_id('R', found.rule_id)})"),
        ("when", found.created_at[:19]), ("status", _state(found)),
        ("read", "yes" if found.read_at else "no"),
        ("article", short.get(found.article_id or "", "")),
    ])  # fmt: skip


def print_alert_report(report: AlertReport, as_json: bool) -> None:
    """One line (or one JSON object, with --json) on standard error: what a run did."""
    if as_json:
        click.echo(json.dumps({"alerts": report.to_dict()}), err=True)
        return
    click.echo(
        f"alerts: {report.new} new, {report.delivered} delivered, {report.failed} failed",
        err=True,
    )
    for line in report.errors:
        click.echo(f"  {line}", err=True)
