"""`newstrace groups` and `newstrace contradictions`: claims across articles.

Both print plain lines, not a table: article ids and claim ids stay whole (a terminal
wraps a long line, it never cuts a word), so they can be copied into `newstrace show`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from rich.console import Console

from newstrace.analysis.sides import actor
from newstrace.api import Member, Results, Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, entity_option, listing_options
from newstrace.models import STANCES
from newstrace.store.contradictions import KINDS, SORTS
from newstrace.store.items import GROUP_SORTS

F = TypeVar("F", bound=Callable[..., Any])
SHOWN_MEMBERS = 5
UNDATED = "undated"


def _sort_option(choices: Sequence[str], help_text: str) -> Callable[[F], F]:
    """``--sort``, its first choice the default."""
    return click.option(
        "--sort", type=click.Choice(list(choices)), default=choices[0], show_default=True,
        help=help_text,
    )  # fmt: skip


@click.command()
@click.option("--min-items", type=click.IntRange(min=1), default=2, show_default=True)
@entity_option("Groups where this actor speaks or that name it")
@click.option(
    "--stance",
    type=click.Choice(STANCES),
    help="Groups with a member of this stance (deny: groups somebody denies).",
)
@click.option("--series", help="Groups with a figure whose series contains this ('troops').")
@_sort_option(GROUP_SORTS, "Largest first, or last seen newest first.")
@listing_options("groups")
@click.pass_obj
def groups(
    ctx: Context,
    min_items: int,
    entity: str | None,
    stance: str | None,
    series: str | None,
    sort: str,
    listing: Listing,
) -> None:
    """Claims that state one proposition across articles, with the number of outlets and
    of original sources (copies of one story and one source chain count once), and the
    articles (ids) that state it."""
    with Store.open(settings=ctx.settings) as store:
        found = store.groups(
            limit=listing.limit, min_items=min_items, entity=entity, stance=stance,
            series=series, sort=sort, offset=listing.offset,
        )  # fmt: skip
    if listing.format != "table":
        render.print_listing(Console(), [], found, "claim groups", listing.format)
        return
    click.echo(f"{found.total} claim group(s)")
    for g in found:
        seen = f"{g.first_seen or UNDATED} .. {g.last_seen or UNDATED}"
        click.echo(
            f"\n{g.id}  {len(g.members)} items, {g.articles} articles, {g.outlets} outlets, "
            f"{g.sources} sources  {seen}"
        )
        click.echo(f"  {_cut(g.label, 160)}")
        _members(g.members)
    _note(found, "claim groups")


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _where(m: Member) -> str:
    """Where a member is: ``article#claim`` (or ``#figure``), whole."""
    return f"{m.article_id}#{m.claim_id or m.figure_id}"


def _members(members: Sequence[Member], mark: str = "") -> None:
    for m in members[:SHOWN_MEMBERS]:
        who = actor(m) or m.outlet_shown
        said = _cut(m.figure_text or m.content or "", 100)
        click.echo(f"  {mark}{m.published or UNDATED}  {_where(m)}  {who}: {said}")
    if len(members) > SHOWN_MEMBERS:
        click.echo(f"  {mark}(+{len(members) - SHOWN_MEMBERS} more: --json lists all)")


@click.command()
@click.option("--kind", type=click.Choice(KINDS), help="Only contradictions of this kind.")
@click.option(
    "--stance",
    type=click.Choice(["deny", "dispute", "assert"]),
    help="Stance of the disputing side (assert: figures and negations).",
)
@entity_option("An actor of either side")
@click.option("--series", help="A figure series of either side contains this ('troops').")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@_sort_option(SORTS, "Most certain first, or newest first.")
@listing_options("contradictions")
@click.pass_obj
def contradictions(
    ctx: Context,
    kind: str | None,
    stance: str | None,
    entity: str | None,
    series: str | None,
    min_confidence: float,
    sort: str,
    listing: Listing,
) -> None:
    """Where sources disagree: denials, disputes, retractions, negations and conflicting
    figures, each with its reason, confidence, date and the articles of both sides."""
    with Store.open(settings=ctx.settings) as store:
        found = store.contradictions(
            kind, stance=stance, entity=entity, series=series,
            min_confidence=min_confidence, sort=sort, limit=listing.limit,
            offset=listing.offset,
        )  # fmt: skip
    if listing.format != "table":
        render.print_listing(Console(), [], found, "contradictions", listing.format)
        return
    click.echo(f"{found.total} contradiction(s)")
    for item in found:
        click.echo(f"\n{item.confidence:.2f}  {item.kind}  {item.date or UNDATED}  {item.reason}")
        _members(item.asserted, "A ")
        _members(item.disputed_by, "B ")
    _note(found, "contradictions")


def _note(found: Results[Any], noun: str) -> None:
    """Where this page is in the listing (`render.more_note`), after a blank line."""
    note = render.more_note(found, noun)
    if note:
        click.echo("\n" + note)
