"""Events in the store: round trip, listing filters, per-actor counts, and the CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner

from newstrace.cli.main import cli
from newstrace.models import Article, Event, EventActor, Record, Span, TimeExpression
from newstrace.store import Store
from newstrace.store.core import WriteInfo
from newstrace.store.events_queries import event_counts, list_events

TEXT = "Karsk deployed troops near Lisk on Saturday. Valdoria condemned Karsk."


def _record() -> Record:
    karsk = EventActor("Karsk", 0, 5, None, None, "GOV")
    valdoria = EventActor("Valdoria", 45, 53, None, None, None)
    return Record(
        article=Article("a1", TEXT, published="2025-04-28"),
        times=(TimeExpression("t1", 36, 44, "Saturday", "2025-04-26", "day"),),
        events=(
            Event("ev1", "MOBILIZE", Span(6, 14, "deployed"), "troops", source=karsk, time_id="t1"),
            Event("ev2", "ACCUSE", Span(54, 63, "condemned"), "disapprove", source=valdoria,
                  target=EventActor("Karsk", 64, 69), negated=False),
        ),
    )  # fmt: skip


def test_events_round_trip_and_queries(store_url: str) -> None:
    record = _record()
    for e in record.events:
        assert TEXT[e.trigger.start : e.trigger.end] == e.trigger.text
    with Store.open(store_url) as store:
        store.save(record, WriteInfo(content_hash="h"))
        assert store.record("a1").events == record.events
        assert [r.event.id for r in list_events(store, type="mobilize")] == ["ev1"]
        assert list_events(store, type="MOBILIZE")[0].date == "2025-04-26"
        assert {r.event.id for r in list_events(store, actor="karsk")} == {"ev1", "ev2"}
        assert [r.event.id for r in list_events(store, since="2025-04-27")] == ["ev2"]
        counts = event_counts(store)
        assert {(c.actor, c.type, c.period, c.count) for c in counts} == {
            ("Karsk", "MOBILIZE", "2025-04", 1),
            ("Valdoria", "ACCUSE", "2025-04", 1),
        }
        assert event_counts(store, role="target", period=None)[0].actor == "Karsk"


def test_events_command_json(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.save(_record(), WriteInfo(content_hash="h"))
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", store_url, "events", "--type", "ACCUSE", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["type"] for r in rows] == ["ACCUSE"] and rows[0]["source_name"] == "Valdoria"
    counts = runner.invoke(cli, ["--db", store_url, "events", "--counts", "--json"])
    assert counts.exit_code == 0 and len(counts.output.splitlines()) == 2


def test_an_event_dated_after_its_article_sorts_at_the_article_date(store_url: str) -> None:
    """ "2047" (a misread year, or a plan) must not head the newest-first listing."""
    text = "Karsk will withdraw its troops by 2047. Valdoria deployed troops on Friday."
    karsk, valdoria = EventActor("Karsk", 0, 5), EventActor("Valdoria", 40, 48)
    later = Record(
        article=Article("a2", text, published="2025-05-03"),
        times=(
            TimeExpression("t1", 34, 38, "2047", "2047", "year"),
            TimeExpression("t2", 67, 73, "Friday", "2025-05-02", "day"),
        ),
        events=(
            Event("ev1", "RETREAT", Span(11, 19, "withdraw"), "withdraw", source=karsk,
                  time_id="t1"),
            Event("ev2", "MOBILIZE", Span(49, 57, "deployed"), "troops", source=valdoria,
                  time_id="t2"),
        ),
    )  # fmt: skip
    with Store.open(store_url) as store:
        store.save(_record(), WriteInfo(content_hash="h"))
        store.save(later, WriteInfo(content_hash="h2"))
        rows = list_events(store)
    assert [(r.article_id, r.event.id) for r in rows][:2] == [("a2", "ev1"), ("a2", "ev2")]
    assert rows[0].date == "2047"  # kept, only placed at its article's date
    assert [r.article_id for r in rows[2:]] == ["a1", "a1"]
