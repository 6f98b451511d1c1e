"""The demo corpus (examples/, fictional) arriving in three polls fires the alerts a
user would expect, and nothing else.

Poll 1 is February (the first report of about 3,000 troops, Karsk's denials, the
monitors' 3,000 to 5,000); the user then sets two rules: the deployment series moving
by more than 25 %, and any new contradiction about Karsk. Poll 2 (3 to 10 March: the
Geneva talks, the intelligence agency's nearly 4,500 in three copies) fires the move
from about 3,000 to nearly 4,500 and the ministry's denial of that report, once each.
Poll 3 (14 March to 28 April) fires what is new there: the move from at least 4,000 to
as many as 6,000 and the three new disputes involving Karsk (the denial of the 6,000
report, the rejection of the army chief's remarks, Valdor disputing the withdrawal).
Repeats of earlier figures, copies of a story, the scraped copy and the closing recap
fire nothing; a second ingest of everything fires nothing.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES, REPO

from newstrace.alerts.rules import rule_spec
from newstrace.api import Store

SERIES = "karsk|troops|deployed|total"
MONTHS = {"Feb": "02", "Mar": "03", "Apr": "04"}

pytestmark = pytest.mark.model


def poll_of(published: str) -> int:
    """Which poll brings an article published on `published` (YYYY-MM-DD)."""
    return 1 if published < "2025-03" else 2 if published <= "2025-03-10" else 3


def split_demo(folder: Path) -> list[Path]:
    """The demo corpus as three folders, one per poll (the WARC's pages as the HTML
    files it is built from; the feed and the wire file split by item)."""
    polls = [folder / f"poll{n}" for n in (1, 2, 3)]
    for poll in polls:
        poll.mkdir()
    for line in (EXAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        poll = polls[poll_of(json.loads(line)["published"][:10]) - 1]
        with (poll / "wire.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    pages = [*(EXAMPLES / "text").glob("*.txt"), *(EXAMPLES / "html").glob("*.html")]
    pages += (REPO / "scripts" / "demo_warc_pages").glob("*.html")
    for page in pages:
        shutil.copy(page, polls[poll_of(page.name[:10]) - 1] / page.name)
    feed = (EXAMPLES / "feed.rss").read_text(encoding="utf-8")
    head, *items = feed.split("<item>")
    for n, item in enumerate(items):
        body = item.split("</channel>")[0]
        day = re.search(r"<pubDate>\w+, (\d+) (\w+) (\d+)", body)
        assert day is not None
        published = f"{day[3]}-{MONTHS[day[2]]}-{int(day[1]):02d}"
        text = f"{head}<item>{body}</channel>\n</rss>\n"
        (polls[poll_of(published) - 1] / f"feed-{n}.rss").write_text(text, encoding="utf-8")
    return polls


def fired(out: io.StringIO) -> list[dict[str, Any]]:
    """The alerts written to `out` since it was last read, and empty it."""
    found = [json.loads(line) for line in out.getvalue().splitlines()]
    out.seek(0)
    out.truncate()
    return found


@pytest.fixture(scope="module")
def polls(module_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The alerts of each poll (index 0: the rules' baseline, nothing fired), then of a
    second ingest of every poll."""
    folders = split_demo(tmp_path_factory.mktemp("demo"))
    out = io.StringIO()
    found: list[Any] = []
    with Store.open(module_store_url) as store:
        store.alert_out = out
        store.ingest([str(folders[0])])
        store.add_alert(rule_spec("deployment", "series", series=SERIES, change=25))
        store.add_alert(rule_spec("karsk", "contradiction", entity="Karsk"))
        found.append(fired(out))
        for folder in folders[1:]:
            assert store.ingest([str(folder)]).new
            found.append(fired(out))
        store.ingest([str(f) for f in folders])
        assert store.run_alerts() is not None
        found.append(fired(out))
    return found


def moves(alerts: list[dict[str, Any]]) -> list[tuple[float, float]]:
    """(previous value, new value) of each series alert."""
    return [
        (a["evidence"]["previous"]["value"], a["evidence"]["figure"]["value"])
        for a in alerts
        if a["rule"]["name"] == "deployment"
    ]


def disputes(alerts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(speaker, words) of the claim that disputes, for each contradiction alert."""
    found = []
    for a in alerts:
        if a["rule"]["name"] == "karsk":
            by = a["evidence"]["by"]
            found.append((by["speaker"], by["evidence"][0]["text"]))
    return sorted(found)


def test_adding_the_rules_fires_nothing_about_february(polls: list[Any]) -> None:
    assert polls[0] == []


def test_poll_two_fires_the_move_to_nearly_4500_and_the_ministrys_denial(
    polls: list[Any],
) -> None:
    second = polls[1]
    assert moves(second) == [(3000.0, 4500.0)]
    (move,) = [a for a in second if a["kind"] == "series_move"]
    assert move["evidence"]["change_pct"] == 50.0
    assert move["evidence"]["figure"]["qualifier"] == "nearly"
    assert move["evidence"]["previous"]["qualifier"] == "about"
    assert "Intelligence Directorate" in move["evidence"]["figure"]["source"]
    assert disputes(second) == [("Karsk's foreign ministry", "the NID report.")]
    (denial,) = [a for a in second if a["kind"] == "contradiction"]
    side_a = denial["evidence"]["contradiction"]["side_a"]
    assert any(m["value"] == 4500.0 for m in side_a)  # what it denies: the new count
    assert len(second) == 2


def test_poll_three_fires_what_is_new_there_and_nothing_else(polls: list[Any]) -> None:
    third = polls[2]
    assert moves(third) == [(4000.0, 6000.0)]
    assert disputes(third) == [
        ("Karsk's defence ministry", "Varga's remarks."),
        ("Karsk's foreign ministry", "the report"),
        ("Officials in the capital", "the claim"),
    ]
    assert len(third) == 4


def test_ingesting_everything_again_fires_nothing(polls: list[Any]) -> None:
    assert polls[3] == []


def test_every_alert_carries_its_evidence_and_a_link(polls: list[Any]) -> None:
    for alert in [a for poll in polls for a in poll]:
        assert alert["url"] == "http://127.0.0.1:8000" + alert["href"]
        assert alert["href"].startswith("/articles/" + alert["article_id"])
        assert alert["summary"] and alert["delivery_id"] > 0
