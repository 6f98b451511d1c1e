"""Listing totals and facets kept while the store is unchanged: a page's second request
does not count again, and a commit by another connection is seen by the next one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.webdata import build_store, save, statements, story

from newstrace.analysis import ensure_analysed
from newstrace.store import Store
from newstrace.web import WebConfig, create_app


def _outlet_facet(page: str) -> str:
    return page.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]


def test_the_store_version_changes_with_a_commit_by_another_connection(store_url: str) -> None:
    build_store(store_url)
    with Store.open(store_url, read_only=True) as reader, Store.open(store_url) as writer:
        before = reader.version()
        if reader.dialect == "sqlite":  # PostgreSQL's moves with any write in the cluster
            assert reader.version() == before
        save(writer, story("a4", "2025-04-02", "fourth.example", 7000, "deny"))
        assert reader.version() != before


def test_listings_count_once_and_again_after_a_write(store_url: str) -> None:
    build_store(store_url)
    # answers computed each time: what is kept here is what every page of a listing repeats
    client = TestClient(create_app(WebConfig(db=store_url, read_only=True, kept_answers=0)))
    store = client.app.state.store  # type: ignore[attr-defined]
    first = client.get("/claims")
    for _ in range(20):  # PostgreSQL's version moves with any write in the cluster
        before = store.version()
        client.get("/claims")
        with statements(client) as seen:
            again = client.get("/claims")
        if store.version() == before:
            break
    assert again.text == first.text
    assert not any("count(" in s.lower() for s in seen), "total and facets were kept"
    totals = {p: client.get(p).json()["total"] for p in ("/api/claims", "/api/articles")}

    with Store.open(store_url) as writer:  # another process's ingest, as far as SQL goes
        save(writer, story("a4", "2025-04-02", "fourth.example", 7000, "deny"))

    with statements(client) as seen:
        after = client.get("/claims")
    assert any("count(" in s.lower() for s in seen)
    assert "fourth.example" in _outlet_facet(after.text)
    assert "fourth.example" not in _outlet_facet(first.text)
    assert client.get("/api/claims").json()["total"] == totals["/api/claims"] + 3
    assert client.get("/api/articles").json()["total"] == totals["/api/articles"] + 1
    assert "fourth.example" in _outlet_facet(client.get("/articles").text)


def test_groups_and_figures_follow_an_analysis_by_another_process(store_url: str) -> None:
    """The analysis results the app keeps (figure histories) and the claim groups it
    reads a page at a time show what another process's ingest added, without a restart."""
    build_store(store_url)
    with Store.open(store_url) as store:
        ensure_analysed(store)
    client = TestClient(create_app(WebConfig(db=store_url, read_only=True, kept_answers=0)))
    client.app.state.analysis.warm().join()  # type: ignore[attr-defined]
    groups = client.get("/api/groups").json()
    figures = client.get("/api/figures", params={"about": "troops"}).json()
    page = client.get("/claims/groups").text
    assert not [m for g in groups["items"] for m in g["members"] if m["article_id"] == "a4"]

    with Store.open(store_url) as writer:  # `newstrace ingest` elsewhere: saved, analysed
        save(writer, story("a4", "2025-04-02", "fourth.example", 4000))
        ensure_analysed(writer)

    again = client.get("/api/groups").json()
    of_4000 = [g for g in again["items"] if any(m["article_id"] == "a4" for m in g["members"])]
    assert len(of_4000) == 1 and {m["article_id"] for m in of_4000[0]["members"]} >= {"a1", "a4"}
    assert again["total"] >= groups["total"]
    shown = client.get("/api/figures", params={"about": "troops"}).json()
    assert shown["total"] == figures["total"] + 1
    assert "a4" in {p["article_id"] for p in shown["items"]}
    assert client.get("/claims/groups").text != page
