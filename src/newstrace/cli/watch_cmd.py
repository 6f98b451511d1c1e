"""`newstrace watch`: add, list, pause, resume and remove watched sources; run the watcher."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
from rich.console import Console

from newstrace.api import Store
from newstrace.cli import render
from newstrace.cli.context import Context
from newstrace.cli.options import Listing, json_option, listing_options, setting_option
from newstrace.cli.render import Column, print_listing
from newstrace.models import numbered_id
from newstrace.reader.results import Results
from newstrace.sources.base import printable
from newstrace.store import watch as state
from newstrace.store.watch import WatchSource, iso_time
from newstrace.watch import PassReport, Watcher, add_source, parse_every


@click.group()
def watch() -> None:
    """Follow feeds, sitemaps and front pages, ingesting new and updated articles.

    \b
    newstrace watch add https://example.org/feed.xml --every 15m
    newstrace watch list
    newstrace watch run        (until Ctrl-C or SIGTERM)
    newstrace watch once       (one pass, for cron or a systemd timer)
    """


@watch.command("add")
@click.argument("url")
@click.option("--every", default="15m", show_default=True, help="Interval: 90s, 15m, 1h, 1d.")
@click.option("--name", help="A name to show and to refer to the source by.")
@click.option(
    "--kind",
    type=click.Choice(["auto", "feed", "sitemap", "page"]),
    default="auto",
    show_default=True,
    help="auto fetches the URL once: a feed, a sitemap, or a page (a home page's "
    "feeds or robots.txt sitemaps are watched instead when found).",
)
@setting_option("allow_private")
@json_option
@click.pass_obj
def add(
    ctx: Context,
    url: str,
    every: str,
    name: str | None,
    kind: str,
    allow_private: bool | None,
    as_json: bool,
) -> None:
    """Watch URL (an RSS/Atom feed, a sitemap or news sitemap, or a front page)."""
    settings = ctx.settings.with_overrides(allow_private=allow_private)
    with Store.open(settings=settings, create=True) as store:
        added = add_source(store, url, every=parse_every(every), name=name, kind=kind)
    for source in added:
        if as_json:
            click.echo(json.dumps(source.to_dict(), ensure_ascii=False))
        else:
            click.echo(f"watching {numbered_id('W', source.id)}: {printable(source.url)} "
                       f"({source.kind}, every {_interval(source.every)})")  # fmt: skip


@watch.command("list")
@listing_options("sources")
@click.pass_obj
def list_command(ctx: Context, listing: Listing) -> None:
    """Watched sources: health, last and next fetch, items seen and articles stored."""
    with Store.open(settings=ctx.settings) as store:
        sources = Results(store.watch_sources()).page(listing.limit, listing.offset)
    print_listing(Console(), SOURCE_COLUMNS, sources, "watched sources", listing.format)
    for s in sources:
        if not s.healthy and s.last_error:
            Console(stderr=True).print(
                f"  unhealthy: {printable(s.label)}: {printable(s.last_error)}",
                highlight=False, markup=False, soft_wrap=True,
            )  # fmt: skip


SOURCE_COLUMNS: list[Column[WatchSource]] = [
    Column("id", lambda s: numbered_id("W", s.id), whole=True),
    Column("source", lambda s: s.label, width=40, least=16, grows=True),
    Column("kind", lambda s: s.kind, priority=3, whole=True),
    Column("every", lambda s: _interval(s.every), priority=2, whole=True),
    Column("health", lambda s: _health(s), width=24),
    Column("last fetch", lambda s: _when(s.last_fetch, s.last_status), priority=2, width=28),
    Column("next fetch", lambda s: "paused" if s.paused else _when(s.next_due), whole=True),
    Column("items", lambda s: str(s.items), priority=3, whole=True),
    Column("stored", lambda s: str(s.ingested), priority=2, whole=True),
]


def print_source(source: WatchSource, as_json: bool) -> None:
    """One watched source (`newstrace show W3`): its health, fetches and counts."""
    if as_json:
        click.echo(json.dumps({"source": source.to_dict()}, ensure_ascii=False))
        return
    render.print_fields(Console(), numbered_id("W", source.id), [
        ("source", printable(source.label)), ("url", printable(source.url)),
        ("kind", source.kind), ("every", _interval(source.every)), ("health", _health(source)),
        ("last fetch", _when(source.last_fetch, source.last_status)),
        ("next fetch", "paused" if source.paused else _when(source.next_due)),
        ("last error", printable(source.last_error or "")),
        ("items", str(source.items)), ("stored", str(source.ingested)),
    ])  # fmt: skip


@watch.command("remove")
@click.argument("source")
@click.pass_obj
def remove(ctx: Context, source: str) -> None:
    """Stop watching SOURCE (its id, URL or name); stored articles stay."""
    with Store.open(settings=ctx.settings) as store:
        found = state.find_source(store.database, source)
        state.remove_source(store.database, found.id)
    click.echo(f"removed {numbered_id('W', found.id)}: {printable(found.url)}")


@watch.command("pause")
@click.argument("source")
@click.pass_obj
def pause(ctx: Context, source: str) -> None:
    """Stop fetching SOURCE until `watch resume`."""
    _set_paused(ctx, source, True)


@watch.command("resume")
@click.argument("source")
@click.pass_obj
def resume(ctx: Context, source: str) -> None:
    """Fetch SOURCE again (its next fetch is due at once)."""
    _set_paused(ctx, source, False)


@watch.command("once")
@json_option
@click.pass_obj
def once(ctx: Context, as_json: bool) -> None:
    """One pass: fetch the sources that are due and ingest what is new (for cron)."""
    with Store.open(settings=ctx.settings) as store:
        watcher = Watcher(store)
        with _stop_on_signals(watcher):
            report = watcher.once()
    _print_pass(report, as_json)


@watch.command("run")
@json_option
@click.pass_obj
def run(ctx: Context, as_json: bool) -> None:
    """Fetch sources as they fall due until Ctrl-C or SIGTERM (the article being
    ingested is finished first), printing a line per pass."""
    with Store.open(settings=ctx.settings) as store:
        watcher = Watcher(store)
        with _stop_on_signals(watcher):
            watcher.run(on_pass=lambda report: _print_pass(report, as_json, quiet=True))


def _set_paused(ctx: Context, ref: str, paused: bool) -> None:
    with Store.open(settings=ctx.settings) as store:
        found = state.find_source(store.database, ref)
        state.set_paused(store.database, found.id, paused, Watcher(store).clock.now())
    click.echo(
        f"{'paused' if paused else 'resumed'} {numbered_id('W', found.id)}: {printable(found.url)}"
    )


@contextmanager
def _stop_on_signals(watcher: Watcher) -> Iterator[None]:
    """SIGINT and SIGTERM ask the watcher to stop (a second SIGINT interrupts at once)."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        if watcher.stopping and signum == signal.SIGINT:
            raise KeyboardInterrupt
        watcher.stop()
        click.echo("newstrace: stopping after the current article", err=True)

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _print_pass(report: PassReport, as_json: bool, quiet: bool = False) -> None:
    if quiet and not (report.fetched or report.source_failures):
        return  # `watch run`: nothing was due
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    counts = " ".join(f"{k} {v}" for k, v in sorted(report.outcomes.items())) or "no articles"
    if report.not_english:
        counts += f" ({len(report.not_english)} not English: stored, not extracted)"
    click.echo(
        f"watch: {report.fetched} source(s) fetched ({report.not_modified} not modified), "
        f"{len(report.source_failures)} failed; {counts}"
    )
    err = Console(stderr=True)
    for label, reason in report.source_failures:
        err.print(f"  source failed: {printable(label)}: {printable(reason)}",
                  highlight=False, markup=False, soft_wrap=True)  # fmt: skip
    for word, failures in (("failed", report.item_failures), ("retrying", report.retrying)):
        for failure in failures:
            err.print(f"  {word}: {printable(failure.locator)}: {printable(failure.reason)}",
                      highlight=False, markup=False, soft_wrap=True)  # fmt: skip


def _interval(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _health(source: WatchSource) -> str:
    if source.healthy:
        return "ok" if source.failures == 0 else f"retrying ({source.failures})"
    return f"unhealthy ({source.failures} failures)"


def _when(epoch: float | None, status: str | None = None) -> str:
    text = (iso_time(epoch) or "never").replace("+00:00", "Z")
    return f"{text} ({status})" if status and epoch is not None else text
