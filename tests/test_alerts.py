"""Alert rules: what each kind matches, once, through the ingest hook and `alert run`;
the rules' CLI; stdout and file deliveries. (Webhook and email: test_alert_delivery.py;
the demo corpus in three polls: test_alerts_demo.py.)"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tests.conftest import OTHER_STORY, WIRE_STORY
from tests.watchserver import FakeClock, Page, Site, rss, serve

from newstrace.alerts.evaluate import change_pct, word_spans
from newstrace.alerts.rules import rule_spec
from newstrace.api import Store
from newstrace.cli.main import main
from newstrace.errors import FilterError, NotFoundError
from newstrace.settings import Settings
from newstrace.watch import Watcher, add_source


def lines(text: str) -> list[dict[str, object]]:
    """The JSON Lines of `text`."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def wire_folder(tmp_path: Path) -> Path:
    """tmp_path/in, holding the wire story."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wire.txt").write_text(WIRE_STORY, encoding="utf-8")
    return tmp_path / "in"


# --- rules as given -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("series", {}, "give --series KEY or --about TERMS"),
        ("series", {"series": "a|b|c|total", "about": "troops"}, "give --series KEY or"),
        ("claim", {"words": "bridge"}, "give --entity"),
        ("search", {"query": "  "}, "give --query"),
        ("search", {"query": "x", "change": 5.0}, "--change does not apply"),
        ("claim", {"entity": "Holm", "stance": "shout"}, "--stance 'shout'"),
        ("gossip", {}, "alert kind 'gossip'"),
    ],
)
def test_a_rule_that_means_nothing_is_refused_naming_the_option(
    kind: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(FilterError, match=message):
        rule_spec("r", kind, **options)  # type: ignore[arg-type]


def test_deliveries_need_their_target() -> None:
    with pytest.raises(FilterError, match="give --target"):
        rule_spec("r", "search", query="x", delivery="file")
    with pytest.raises(FilterError, match="http"):
        rule_spec("r", "search", query="x", delivery="webhook", target="ftp://x")
    with pytest.raises(FilterError, match="not an email"):
        rule_spec("r", "search", query="x", delivery="email", target="nobody")
    hook = rule_spec("r", "search", query="x", delivery="webhook", target="http://h.example/")
    assert len(hook.secret) == 32  # a random key when none is given
    with pytest.raises(FilterError, match="not a number"):
        rule_spec("12", "search", query="x")


def test_change_and_word_spans() -> None:
    assert change_pct(3000, 4500) == 50
    assert change_pct(4500, 4000) == pytest.approx(-11.11, abs=0.01)
    assert change_pct(0, 5) is None
    text = "Karsk moved troops; the Troops stayed."
    assert word_spans(text, ["troops", "stay", "absent"], "a") == [
        {"article_id": "a", "start": 12, "end": 18, "text": "troops"},
        {"article_id": "a", "start": 31, "end": 35, "text": "stay"},
    ]


# --- the ingest hook, on both backends ---------------------------------------------------


def test_search_and_claim_rules_fire_once_through_ingest(store_url: str, tmp_path: Path) -> None:
    """A search rule and a claim rule set on an empty store fire for the story that
    arrives; its scraped copy, a second ingest and `alert run` fire nothing again; an
    unrelated story fires nothing."""
    first, copy, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (first, copy, other):
        folder.mkdir()
    (first / "wire.txt").write_text(WIRE_STORY, encoding="utf-8")
    (copy / "copy.txt").write_text(WIRE_STORY.replace("Monday", "Monday morning"), "utf-8")
    (other / "grain.txt").write_text(OTHER_STORY, encoding="utf-8")
    out = io.StringIO()
    log = tmp_path / "alerts.jsonl"
    with Store.open(store_url) as store:
        store.alert_out = out
        store.add_alert(rule_spec("artillery", "search", query="artillery Lisk"))
        log_rule = rule_spec(
            "denials", "claim", entity="Karsk", stance="deny", delivery="file", target=str(log)
        )
        store.add_alert(log_rule)
        assert store.ingest([str(first)], published="2025-03-03").new
        assert store.last_alerts is not None and store.last_alerts.new == 2
        store.ingest([str(copy)], published="2025-03-04")
        store.ingest([str(other)], published="2025-03-05")
        again = store.run_alerts()
        history = store.alert_history()
    assert again is not None and (again.new, again.delivered) == (0, 0)
    (search,) = lines(out.getvalue())
    assert search["rule"] == {"id": 1, "name": "artillery", "kind": "search"}
    assert search["kind"] == "search_match"
    assert str(search["url"]).startswith("http://127.0.0.1:8000/articles/")
    spans = search["evidence"]["spans"]  # type: ignore[index]
    assert [s["text"].lower() for s in spans] == ["artillery", "lisk"]
    (denial,) = lines(log.read_text(encoding="utf-8"))
    claim = denial["evidence"]["claim"]  # type: ignore[index]
    assert claim["stance"] == "deny" and "foreign ministry" in claim["speaker"]["text"]
    assert claim["content"]["text"] == "the report"
    assert {d.rule for d in history.items} == {"artillery", "denials"}
    assert all(d.status == "delivered" and d.attempts == 1 for d in history.items)


def test_a_rule_added_later_does_not_fire_on_what_is_there(tmp_path: Path) -> None:
    """What a rule matches when it is added is its baseline; --backfill alerts on it."""
    wire_folder(tmp_path)
    out = io.StringIO()
    with Store.open(tmp_path / "s.db", create=True) as store:
        store.alert_out = out
        store.ingest([str(tmp_path / "in")], published="2025-03-03")
        store.add_alert(rule_spec("quiet", "search", query="artillery"))
        store.add_alert(rule_spec("loud", "search", query="artillery"), backfill=True)
        report = store.run_alerts()
        assert report is not None and report.delivered == 1
        assert [a["rule"]["name"] for a in lines(out.getvalue())] == ["loud"]  # type: ignore[index]
        assert store.alert_history(rule="quiet").total == 0
        with pytest.raises(NotFoundError, match="no such rule"):
            store.alert_history(rule="nope")


def test_alert_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """add, list, run, history, read, remove through the CLI; ingest reports alerts."""
    db = str(tmp_path / "s.db")
    wire_folder(tmp_path)
    assert main(["--db", db, "alert", "add", "guns", "search", "--query", "artillery"]) == 0
    assert main(["--db", db, "alert", "add", "guns", "search", "--query", "x"]) == 1
    assert main(["--db", db, "alert", "add", "bad", "claim"]) == 2
    err = capsys.readouterr().err
    assert "a rule of that name exists" in err and "give --entity" in err
    assert main(["--db", db, "alert", "add", "holm", "claim", "--entity", "Petra Holm"]) == 0
    assert "no entity 'Petra Holm' in the store yet" in capsys.readouterr().out
    assert main(["--db", db, "alert", "remove", "holm"]) == 0
    assert (
        main(["--db", db, "ingest", "-q", "--published", "2025-03-03", str(tmp_path / "in")]) == 0
    )
    captured = capsys.readouterr()
    assert "alerts: 1 new, 1 delivered, 0 failed" in captured.err
    (alert,) = [json.loads(x) for x in captured.out.splitlines() if x.startswith("{")]
    assert alert["rule"]["name"] == "guns"
    assert main(["--db", db, "alert", "run"]) == 0
    assert "alerts: 0 new, 0 delivered" in capsys.readouterr().err
    assert main(["--db", db, "alert", "list", "--json"]) == 0
    (rule,) = lines(capsys.readouterr().out)
    assert rule["params"] == {"query": "artillery"} and rule["signed"] is False
    assert main(["--db", db, "alert", "history", "--unread", "--json"]) == 0
    (row,) = lines(capsys.readouterr().out)
    assert row["status"] == "delivered" and row["read"] is False
    assert main(["--db", db, "alert", "read", str(row["id"])]) == 0
    assert "1 alert(s) marked as read" in capsys.readouterr().out
    assert main(["--db", db, "alert", "history", "--unread", "--json"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--db", db, "alert", "remove", "guns"]) == 0
    assert main(["--db", db, "alert", "remove", "guns"]) == 4


def test_a_watch_runner_fires_alerts_through_the_same_hook(tmp_path: Path) -> None:
    """Articles a watched feed brings are ingested through `Store.ingest`, whose end
    checks the rules: one alert, once, over two polls of an unchanged feed."""
    clock = FakeClock()
    settings = Settings(
        db=str(tmp_path / "s.db"), allow_private=True, extractor="rules", watch_workers=1
    )
    out = io.StringIO()
    with serve(Site()) as site, Store.open(settings=settings, create=True) as store:
        site.routes["/feed.xml"] = Page(
            rss(site.base, [("/a1", "Karsk moves artillery", WIRE_STORY)]),
            content_type="application/rss+xml",
        )
        store.alert_out = out
        store.add_alert(rule_spec("guns", "search", query="artillery"))
        add_source(store, site.url("/feed.xml"), every=60, kind="feed", clock=clock)
        watcher = Watcher(store, clock=clock)
        assert watcher.once().outcomes == {"new": 1}
        clock.advance(61)
        watcher.once()
    (alert,) = lines(out.getvalue())
    assert alert["rule"]["name"] == "guns" and alert["kind"] == "search_match"


def test_loading_parquet_results_fires_alerts_too(tmp_path: Path) -> None:
    """`load` (results extracted elsewhere) ends with the same check as `ingest`."""
    wire_folder(tmp_path)
    out = io.StringIO()
    with Store.open(tmp_path / "s.db", create=True) as store:
        store.alert_out = out
        store.add_alert(rule_spec("guns", "search", query="artillery"))
        store.ingest([str(tmp_path / "in")], published="2025-03-03", out=tmp_path / "pq")
        assert store.count_articles() == 0 and out.getvalue() == ""
        store.load(tmp_path / "pq")
        store.load(tmp_path / "pq")
    (alert,) = lines(out.getvalue())
    assert alert["rule"]["name"] == "guns"


def test_a_rule_is_never_named_like_a_rule_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "2" and "R2" are how the commands name rule 2, so no rule takes them as a name:
    `show R2` always opens the rule `alert list` shows as R2."""
    db = str(tmp_path / "s.db")
    for name in ("2", "R2", "r2"):
        assert main(["--db", db, "alert", "add", name, "search", "--query", "guns"]) == 2
        assert "not a number or a rule id" in capsys.readouterr().err
    assert main(["--db", db, "alert", "add", "R2D2", "search", "--query", "guns"]) == 0
    assert main(["--db", db, "alert", "add", "guns", "search", "--query", "guns"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "show", "R2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rule"]["name"] == "guns"
