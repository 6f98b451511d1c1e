"""The Watch page and /api/watch: sources, health, last and next fetch, counts; behind
the token like every page; a hostile name or URL shows as text."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from newstrace.store import Store
from newstrace.store import watch as state
from newstrace.web import WebConfig, create_app

NOW = 1_750_000_000.0


@pytest.fixture
def watched(store_url: str) -> str:
    """A store watching a healthy feed, a failing sitemap and a paused page."""
    with Store.open(store_url) as db:
        feed = state.add_source(db, "https://wire.example/feed.xml", "feed", 900, "Wire", NOW)
        bad = state.add_source(db, "https://post.example/sitemap.xml", "sitemap", 3600, None, NOW)
        page = state.add_source(
            db, "https://front.example/", "page", 600, '<script>alert("x")</script>', NOW
        )
        state.set_paused(db, page.id, True, NOW)
        state.record_items(
            db, feed.id, {"https://wire.example/a": "d", "https://wire.example/b": "d"}, NOW
        )
        assert state.claim_source(db, feed.id, "r", NOW, 60)
        state.finish_source(db, feed.id, "r", state.FetchResult("200", NOW + 900, False), NOW)
        for n in range(3):
            assert state.claim_source(db, bad.id, "r", NOW + n * 1000, 60)
            failed = state.FetchResult(
                "500", NOW + n * 1000 + 1, True, "HTTP 500 Internal Server Error"
            )
            state.finish_source(db, bad.id, "r", failed, NOW + n * 1000)
    return store_url


def test_the_watch_page_shows_sources_and_their_health(watched: str) -> None:
    client = TestClient(create_app(WebConfig(db=watched, read_only=True)))
    page = client.get("/watch").text
    assert 'aria-current="page"' in page and ">Watch<" in page
    assert "Wire" in page and "2025-06-15 15:06:40 (200)" in page
    assert "2025-06-15 15:21:40" in page and "15 min" in page
    feed_row = page.split('data-id="1"')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in feed_row.split("</td>")[-4:-1]] == ["1", "2", "0"]
    assert (
        "<strong>unhealthy</strong> (3 failures)" in page
        and "HTTP 500 Internal Server Error" in page
    )
    assert "paused" in page and "&lt;script&gt;" in page and '<script>alert("x")' not in page
    assert "Items: 0 ingested · 2 pending · 0 failed" in page


def test_the_watch_api(watched: str) -> None:
    client = TestClient(create_app(WebConfig(db=watched, read_only=True)))
    body = client.get("/api/watch").json()
    assert body["items"] == {"pending": 2}
    rows = {row["url"]: row for row in body["sources"]}
    feed = rows["https://wire.example/feed.xml"]
    assert (feed["healthy"], feed["fetches"], feed["items"], feed["last_status"]) == (
        True,
        1,
        2,
        "200",
    )
    assert feed["next_fetch"] == "2025-06-15T15:21:40+00:00"
    bad = rows["https://post.example/sitemap.xml"]
    assert (bad["healthy"], bad["failures"]) == (False, 3)
    assert rows["https://front.example/"]["next_fetch"] is None  # paused


def test_the_watch_page_needs_the_token(watched: str) -> None:
    client = TestClient(create_app(WebConfig(db=watched, token="s3cret-token-1234")))
    assert client.get("/watch").status_code == 401
    assert client.get("/api/watch").status_code == 401
    ok = client.get("/api/watch", headers={"Authorization": "Bearer s3cret-token-1234"})
    assert ok.status_code == 200
