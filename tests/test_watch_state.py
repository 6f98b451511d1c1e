"""The watcher's state in the store: sources, leases and items, on SQLite and PostgreSQL,
and the `newstrace watch add/list/pause/resume/remove` commands."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from newstrace.cli.main import main
from newstrace.errors import InputError, NotFoundError, SettingsError
from newstrace.store import Store
from newstrace.store import watch as state
from newstrace.watch import parse_every

NOW = 1_750_000_000.0


def test_sources_are_added_listed_paused_and_removed(store_url: str) -> None:
    with Store.open(store_url) as db:
        feed = state.add_source(db, "https://wire.example/feed.xml", "feed", 900, "wire", NOW)
        state.add_source(db, "https://post.example/sitemap.xml", "sitemap", 3600, None, NOW)
        assert [s.url for s in state.list_sources(db)] == [
            "https://wire.example/feed.xml",
            "https://post.example/sitemap.xml",
        ]
        with pytest.raises(InputError, match="already watched"):
            state.add_source(db, "https://wire.example/feed.xml", "feed", 60, None, NOW)
        assert state.find_source(db, "wire").id == feed.id
        assert state.find_source(db, str(feed.id)).url == feed.url
        with pytest.raises(NotFoundError, match="no such watched source"):
            state.find_source(db, "nothing")
        state.set_paused(db, feed.id, True, NOW)
        assert [s.kind for s in state.due_sources(db, NOW)] == ["sitemap"]
        state.set_paused(db, feed.id, False, NOW + 5)
        assert state.find_source(db, "wire").next_due == NOW + 5
        state.record_items(db, feed.id, {"https://wire.example/a": "d1"}, NOW)
        state.remove_source(db, feed.id)
        assert [s.kind for s in state.list_sources(db)] == ["sitemap"]
        assert state.item_states(db) == {}


def test_a_source_is_claimed_by_one_runner_until_its_lease_ends(store_url: str) -> None:
    with Store.open(store_url) as db:
        source = state.add_source(db, "https://wire.example/feed.xml", "feed", 900, None, NOW)
        assert state.claim_source(db, source.id, "a", NOW, lease=60)
        assert not state.claim_source(db, source.id, "b", NOW + 1, lease=60)
        assert state.due_sources(db, NOW + 1) == []
        # Runner a died: once its lease has run out, b may take the source.
        assert state.claim_source(db, source.id, "b", NOW + 61, lease=60)
        # a's late write-back is ignored; b's counts.
        done = state.FetchResult("200", NOW + 900, failed=False, etag='"x"')
        state.finish_source(db, source.id, "a", done, NOW + 62)
        assert state.find_source(db, str(source.id)).fetches == 0
        state.finish_source(db, source.id, "b", done, NOW + 62)
        after = state.find_source(db, str(source.id))
        assert (after.fetches, after.etag, after.next_due) == (1, '"x"', NOW + 900)


def test_items_become_pending_when_new_or_changed_and_are_claimed_once(store_url: str) -> None:
    with Store.open(store_url) as db:
        source = state.add_source(db, "https://wire.example/feed.xml", "feed", 900, None, NOW)
        items = {"https://wire.example/a": "d1", "https://wire.example/b": "d1"}
        assert state.record_items(db, source.id, items, NOW) == 2
        assert state.record_items(db, source.id, items, NOW) == 0  # seen, unchanged
        won: list[str] = []

        def claim(owner: str) -> None:
            if state.claim_item(db, source.id, "https://wire.example/a", owner, NOW, 60):
                won.append(owner)

        threads = [threading.Thread(target=claim, args=(f"r{n}",)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1
        state.finish_item(
            db, source.id, "https://wire.example/a", won[0], ("new", "nt-1", None), NOW
        )
        assert [p.key for p in state.pending_items(db, source.id, NOW)] == [
            "https://wire.example/b"
        ]
        # The article changed in the feed: it is pending again.
        assert state.record_items(db, source.id, {"https://wire.example/a": "d2"}, NOW) == 1
        assert state.item_states(db) == {"pending": 2}
        assert state.find_source(db, str(source.id)).ingested == 1


def test_an_item_that_keeps_failing_to_fetch_is_kept_as_failed(store_url: str) -> None:
    with Store.open(store_url) as db:
        source = state.add_source(db, "https://wire.example/", "page", 900, None, NOW)
        state.record_items(db, source.id, {"https://wire.example/a": ""}, NOW)
        for attempt in range(state.MAX_ITEM_ATTEMPTS):
            assert state.claim_item(db, source.id, "https://wire.example/a", "r", NOW, 60)
            state.retry_item(db, source.id, "https://wire.example/a", "r", f"HTTP 500 ({attempt})")
        assert state.item_states(db) == {"failed": 1}


def test_intervals_read_as_people_write_them() -> None:
    assert [parse_every(v) for v in ("15m", "90s", "1h", "2d", "30")] == [
        900, 90, 3600, 172800, 1800,
    ]  # fmt: skip
    for bad in ("soon", "1s", "15 minutes"):
        with pytest.raises(SettingsError, match="--every"):
            parse_every(bad)


def test_watch_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.db")

    def run(*args: str) -> int:
        return main(["--db", db, "watch", *args])

    assert run("add", "https://wire.example/feed.xml", "--kind", "feed", "--name", "wire") == 0
    assert run("add", "https://post.example/", "--kind", "page", "--every", "1h") == 0
    assert "watching W2: https://post.example/ (page, every 1h)" in capsys.readouterr().out
    assert run("add", "https://post.example/", "--kind", "page") == 1
    assert "already watched" in capsys.readouterr().err
    assert run("pause", "wire") == 0
    assert run("list", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()[1:]]
    assert [(r["name"], r["kind"], r["paused"], r["every_seconds"]) for r in rows] == [
        ("wire", "feed", True, 900.0),
        (None, "page", False, 3600.0),
    ]
    assert rows[0]["next_fetch"] is None and rows[1]["healthy"] is True
    assert run("resume", "1") == 0
    assert run("remove", "https://post.example/") == 0
    assert run("list") == 0
    out = capsys.readouterr().out
    assert "1 watched sources" in out
    assert "post.example" not in out.split("watched sources")[-1]
    assert run("remove", "nothing") == 4
    assert run("add", "https://x.example/", "--every", "soon") == 2
