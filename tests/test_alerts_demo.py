"""The demo corpus (examples/, fictional), served as feeds that grow over three polls
(tests/demosite.py: a real HTTP server on 127.0.0.1) and followed by `newstrace watch`,
fires the alerts a user would expect, and nothing else.

The analyst follows the size of Karsk's force at Lisk. After the first poll (February:
the first report of about 3,000 troops, Karsk's denials, the monitors' 3,000 to 5,000)
they set the two rules that question asks for: the deployment series moving by more
than 25 % (a change worth a look, not the noise between two reports of one estimate),
and any new contradiction about that series (someone disputing a count of the force).
What February already holds is their baseline and fires nothing.

- Poll 2 (3 to 10 March) fires the move from about 3,000 to nearly 4,500 (the
  intelligence agency's report, in three copies) and the Karsk foreign ministry's
  denial of that report, once each.
- Poll 3 (14 March to 28 April) fires the same two movements of the later story: the
  move from at least 4,000 to as many as 6,000 and the ministry's denial of the 6,000
  report. Nothing else in it is a new count or a dispute of one: the army chief's
  "could reach ten thousand" is a projection (and Karsk's rejection of it disputes a
  projection), the 1,500 "withdrawn" is a change, at least 4,000 is 11 % under 4,500,
  the scraped copy and the closing recap repeat what was reported.
- A fourth pass, nothing new published, gets two 304s and fires nothing.

Each alert carries its evidence: the figure or claim, the words at their offsets in
the stored article, and a link to its page.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.demosite import LISK_FEED, NORTHGATE_FEED, DemoSite
from tests.watchserver import FakeClock, Site, serve

from newstrace.alerts.rules import rule_spec
from newstrace.api import Store
from newstrace.settings import Settings
from newstrace.watch import PassReport, Watcher, add_source

SERIES = "karsk|troops|deployed|total"
EVERY = 3600.0
"""How often the feeds are polled (an hour; the clock is moved, never waited on)."""

pytestmark = pytest.mark.model


@dataclass
class Poll:
    """One pass of the watcher: its report, the paths it requested, the alerts fired."""

    report: PassReport
    paths: list[str]
    alerts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Followed:
    """The story as the analyst followed it: polls 1 to 4 (index 0 to 3), the alerts
    that adding the rules fired, and the store's settings."""

    polls: list[Poll]
    on_adding_rules: list[dict[str, Any]]
    settings: Settings


def fired(out: io.StringIO) -> list[dict[str, Any]]:
    """The alerts written to `out` since it was last read, and empty it."""
    found = [json.loads(line) for line in out.getvalue().splitlines()]
    out.seek(0)
    out.truncate()
    return found


@pytest.fixture(scope="module")
def followed(module_store_url: str) -> Iterator[Followed]:
    """Watch both feeds of the demo site over three polls (and a fourth, unchanged)."""
    settings = Settings(db=module_store_url, allow_private=True, extractor="rules",
                        watch_workers=1, fetch_timeout=10.0)  # fmt: skip
    clock, out = FakeClock(), io.StringIO()
    polls: list[Poll] = []
    on_adding_rules: list[dict[str, Any]] = []
    with serve(Site()) as site, Store.open(settings=settings) as store:
        demo = DemoSite(site)
        store.alert_out = out
        demo.publish(1)
        for feed in (NORTHGATE_FEED, LISK_FEED):
            add_source(store, site.url(feed), every=EVERY, clock=clock)
        watcher = Watcher(store, clock=clock)
        for number in (1, 2, 3, 4):
            if number > 1:
                clock.advance(EVERY + 1)
            if number <= 3:
                demo.publish(number)
            start = len(site.hits)
            report = watcher.once()
            polls.append(Poll(report, site.paths()[start:], fired(out)))
            if number == 1:
                store.add_alert(rule_spec("deployment", "series", series=SERIES, change=25))
                store.add_alert(rule_spec("deployment disputes", "contradiction", series=SERIES))
                on_adding_rules = fired(out)
    yield Followed(polls, on_adding_rules, settings)


def moves(alerts: list[dict[str, Any]]) -> list[tuple[float, float]]:
    """(previous value, new value) of each series alert."""
    return [
        (a["evidence"]["previous"]["value"], a["evidence"]["figure"]["value"])
        for a in alerts
        if a["kind"] == "series_move"
    ]


def disputes(alerts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(speaker, words) of the claim that disputes, for each contradiction alert."""
    found = []
    for a in alerts:
        if a["kind"] == "contradiction":
            by = a["evidence"]["by"]
            found.append((by["speaker"], by["evidence"][0]["text"]))
    return sorted(found)


def denied_values(alert: dict[str, Any]) -> set[float]:
    """The figures of what a contradiction alert's claim disputes."""
    side_a = alert["evidence"]["contradiction"]["side_a"]
    return {m["value"] for m in side_a if m.get("value") is not None}


def test_the_first_poll_fetches_february_and_the_rules_start_from_it(
    followed: Followed,
) -> None:
    first = followed.polls[0]
    assert first.report.outcomes == {"new": 4} and not first.report.source_failures
    assert first.alerts == [] and followed.on_adding_rules == []
    # The Lisk feed's pages of February; the Northgate item carries its text.
    pages = sorted(p for p in first.paths if p.endswith(".html"))
    assert pages == [
        "/2025/02/03/karsk-troops-lisk-bridgehead.html",
        "/2025/02/06/karsk-denies-buildup.html",
        "/2025/02/20/residents-leave-lisk.html",
    ]


def test_poll_two_fires_the_move_to_nearly_4500_and_the_ministrys_denial(
    followed: Followed,
) -> None:
    second = followed.polls[1]
    assert second.report.outcomes == {"new": 4}  # the Geneva talks and three copies
    assert moves(second.alerts) == [(3000.0, 4500.0)]
    (move,) = [a for a in second.alerts if a["kind"] == "series_move"]
    assert move["evidence"]["change_pct"] == 50.0
    assert move["evidence"]["figure"]["qualifier"] == "nearly"
    assert move["evidence"]["previous"]["qualifier"] == "about"
    assert "Intelligence Directorate" in move["evidence"]["figure"]["source"]
    assert disputes(second.alerts) == [("Karsk's foreign ministry", "the NID report")]
    (denial,) = [a for a in second.alerts if a["kind"] == "contradiction"]
    assert 4500.0 in denied_values(denial)  # what it denies: the new count
    assert len(second.alerts) == 2


def test_poll_three_fires_the_move_to_6000_and_its_denial_and_nothing_else(
    followed: Followed,
) -> None:
    third = followed.polls[2]
    assert third.report.outcomes == {"new": 6}
    assert moves(third.alerts) == [(4000.0, 6000.0)]
    assert disputes(third.alerts) == [("Karsk's foreign ministry", "the report")]
    (denial,) = [a for a in third.alerts if a["kind"] == "contradiction"]
    assert 6000.0 in denied_values(denial)
    assert len(third.alerts) == 2


def test_an_unchanged_feed_is_not_fetched_again_and_fires_nothing(followed: Followed) -> None:
    fourth = followed.polls[3]
    assert (fourth.report.fetched, fourth.report.not_modified) == (2, 2)
    assert fourth.report.outcomes == {} and fourth.alerts == []
    # (robots.txt is read again once its copy is old: hours have passed)
    assert sorted(p for p in fourth.paths if p != "/robots.txt") == [LISK_FEED, NORTHGATE_FEED]


def test_every_page_is_fetched_once_and_every_article_stored_once(followed: Followed) -> None:
    pages = [p for poll in followed.polls for p in poll.paths if p.endswith(".html")]
    assert len(pages) == len(set(pages)) == 12
    with Store.open(settings=followed.settings) as store:
        articles = store.articles(limit=None)
        assert len(articles) == 14
        # The intelligence report's two copies and the scraped copy are known as copies.
        assert sum(1 for a in articles if a.duplicate_of) == 3


def test_every_alert_carries_its_evidence_and_a_link(followed: Followed) -> None:
    alerts = [a for poll in followed.polls for a in poll.alerts]
    assert len(alerts) == 4
    with Store.open(settings=followed.settings) as store:
        for alert in alerts:
            assert alert["url"] == "http://127.0.0.1:8000" + alert["href"]
            assert alert["href"].startswith("/articles/" + alert["article_id"])
            assert alert["summary"] and alert["delivery_id"] > 0
            evidence = alert["evidence"]
            said = evidence["figure"] if alert["kind"] == "series_move" else evidence["by"]
            assert said["article_id"] == alert["article_id"] and said["evidence"]
            for span in said["evidence"]:
                text = store.article(span["article_id"]).article.text
                assert text[span["start"] : span["end"]] == span["text"]
