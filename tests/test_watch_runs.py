"""`newstrace watch run` and `watch once` as processes: a SIGKILLed runner, a SIGTERM and
two runners at once never ingest an article twice nor miss one (SQLite and PostgreSQL).
Real processes and a real clock; the leases are made short so a dead runner's expire."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import OTHER_STORY, WIRE_STORY
from tests.watchserver import Page, Site, article_page, rss, serve

from newstrace.store import Store
from newstrace.store import watch as state

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parents[1] / "src"
LEASE = 3.0
STORIES = [
    (f"/news/story-{n}", f"Story {n}", WIRE_STORY.replace("40 artillery", f"{40 + n} artillery"))
    for n in range(4)
]


def newstrace(db: str, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "NEWSTRACE_ALLOW_PRIVATE": "1",
        "NEWSTRACE_EXTRACTOR": "rules",
        "NEWSTRACE_WATCH_LEASE": str(LEASE),
        "NEWSTRACE_WATCH_WORKERS": "1",
        "NEWSTRACE_WATCH_HOST_INTERVAL": "0",
    }
    command = [sys.executable, "-m", "newstrace", "--db", db, "watch", *args]
    return subprocess.Popen(
        command, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def front_page(site: Site, delay: float) -> None:
    links = "".join(f'<a href="{path}">{title}</a>' for path, title, _ in STORIES)
    site.routes["/robots.txt"] = Page(b"User-agent: *\n", content_type="text/plain")
    site.routes["/"] = Page(f"<html><body>{links}</body></html>".encode())
    for path, title, text in STORIES:
        site.routes[path] = Page(article_page(title, text), delay=delay)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site()) as served:
        yield served


def wait_until(check: object, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def watched(db: str, url: str) -> int:
    with Store.open(db) as store:
        return state.add_source(store, url, "page", 3600, None, time.time()).id


def settled(db: str) -> tuple[int, dict[str, int], list[object]]:
    """Articles stored, item states, and leases still held."""
    with Store.open(db) as store, store.reading() as conn:
        from sqlalchemy import text

        leases = [
            row[0]
            for table in ("watch_sources", "watch_items")
            for row in conn.execute(
                text(f"SELECT lease_owner FROM {table} WHERE lease_owner IS NOT NULL")
            )
        ]
        return store.count_articles(), state.item_states(store), leases


def articles(db: str) -> int:
    with Store.open(db) as store:
        return store.count_articles()


def test_a_sigkilled_runner_is_finished_by_the_next_without_doubles(
    store_url: str, site: Site
) -> None:
    front_page(site, delay=0.5)
    source = watched(store_url, site.url("/"))
    first = newstrace(store_url, "run")
    try:
        wait_until(lambda: articles(store_url) >= 1)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    time.sleep(LEASE + 0.5)  # the dead runner's leases run out
    second = newstrace(store_url, "once", "--json")
    _out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    stored, states, leases = settled(store_url)
    assert (stored, states, leases) == (4, {"done": 4}, [])
    with Store.open(store_url) as store:
        outcomes = state.item_outcomes(store, source)
    assert len({article for _, article in outcomes.values()}) == 4  # one article per item
    for path, _, _ in STORIES:  # no page fetched by the second runner that the first finished
        assert site.paths().count(path) <= 2


def test_sigterm_finishes_the_current_article_and_gives_back_its_leases(
    tmp_path: Path, site: Site
) -> None:
    db = str(tmp_path / "s.db")
    Store.open(db, create=True).close()
    front_page(site, delay=0.3)
    watched(db, site.url("/"))
    runner = newstrace(db, "run")
    wait_until(lambda: articles(db) >= 1)
    runner.send_signal(signal.SIGTERM)
    _out, err = runner.communicate(timeout=120)
    assert runner.returncode == 0, err
    stored, states, leases = settled(db)
    assert leases == [] and 1 <= stored <= 4
    assert sum(states.values()) == 4 and states.get("done", 0) == stored
    after = newstrace(db, "once")  # at once: nothing is left leased
    after.communicate(timeout=300)
    assert settled(db)[:2] == (4, {"done": 4})


def test_two_runners_at_once_share_the_work(store_url: str, site: Site) -> None:
    site.routes["/robots.txt"] = Page(b"User-agent: *\n", content_type="text/plain")
    for n, story in enumerate((WIRE_STORY, OTHER_STORY, WIRE_STORY.replace("Orn", "Tel"))):
        body = rss(
            site.base,
            [(f"/f{n}/a", f"Story {n}", story), (f"/f{n}/b", f"Other {n}", OTHER_STORY + f" {n}")],
        )
        site.routes[f"/feed{n}.xml"] = Page(body, content_type="application/rss+xml")
    with Store.open(store_url) as store:
        for n in range(3):
            state.add_source(store, site.url(f"/feed{n}.xml"), "feed", 3600, None, time.time())
    runners = [newstrace(store_url, "once", "--json") for _ in range(2)]
    for runner in runners:
        _, err = runner.communicate(timeout=300)
        assert runner.returncode == 0, err
    for n in range(3):
        assert site.paths().count(f"/feed{n}.xml") == 1  # each source fetched by one runner
    stored, states, leases = settled(store_url)
    assert (stored, states, leases) == (6, {"done": 6}, [])
