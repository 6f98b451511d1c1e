"""Whole answers of listing pages kept while the store and its analysis are unchanged
(web.kept): sent again without a query, computed once for clients asking at once, and
computed again after any commit or analysis refresh."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send
from tests.webdata import build_store, save, statements, story

from newstrace.store import Store
from newstrace.web import WebConfig, create_app
from newstrace.web.kept import MAX_KEPT_BYTES, KeptAnswers


class Counted:
    """An ASGI app answering `status` with a body naming how often it was called."""

    def __init__(self, status: int = 200, size: int = 0) -> None:
        self.calls = 0
        self.status = status
        self.size = size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        body = f"call {self.calls} of {scope['path']}".encode().ljust(self.size, b".")
        await asyncio.sleep(0.01)  # long enough for the other clients to ask meanwhile
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": body})


def ask(app: KeptAnswers, *paths: str, method: str = "GET") -> list[str]:
    """The bodies of `paths` asked all at once."""

    async def all_at_once() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answers = await asyncio.gather(*(client.request(method, p) for p in paths))
        return [a.text for a in answers]

    return asyncio.run(all_at_once())


def test_clients_asking_at_once_are_sent_one_computed_answer() -> None:
    inner = Counted()
    app = KeptAnswers(inner, lambda: "v1", keep=8, blocking=False)
    assert ask(app, *["/claims?stance=deny"] * 10) == ["call 1 of /claims"] * 10
    assert ask(app, "/claims?stance=deny", "/api/claims") == [
        "call 1 of /claims",
        "call 2 of /api/claims",
    ]
    assert inner.calls == 2


def test_a_new_version_computes_again() -> None:
    inner, version = Counted(), ["v1"]
    app = KeptAnswers(inner, lambda: version[0], keep=8, blocking=True)
    assert ask(app, "/entities") == ["call 1 of /entities"]
    version[0] = "v2"
    assert ask(app, "/entities", "/entities") == ["call 2 of /entities"] * 2


@pytest.mark.parametrize(
    ("path", "method", "inner"),
    [
        ("/articles/missing", "GET", Counted(status=404)),
        ("/search?q=x", "GET", Counted(size=MAX_KEPT_BYTES + 1)),
        ("/api/jobs", "GET", Counted()),
        ("/ingest", "GET", Counted()),
        ("/static/style.css", "GET", Counted()),
        ("/claimsx", "GET", Counted()),
        ("/alerts/read", "POST", Counted()),
    ],
)
def test_what_is_not_kept_is_computed_each_time(path: str, method: str, inner: Counted) -> None:
    app = KeptAnswers(inner, lambda: "v1", keep=8, blocking=False)
    ask(app, path, method=method)
    ask(app, path, method=method)
    assert inner.calls == 2


def test_only_the_most_recently_asked_are_kept() -> None:
    inner = Counted()
    app = KeptAnswers(inner, lambda: "v1", keep=2, blocking=False)
    for path in ("/claims", "/entities", "/claims", "/timeline", "/claims", "/entities"):
        ask(app, path)
    assert inner.calls == 4  # /claims kept throughout; /entities forgotten for /timeline


@pytest.mark.parametrize(
    ("versions", "keep"),
    [
        (["v1", "v1", "v2"], 8),  # the store changed while /claims was computed
        (["v1"] * 3, 1),  # /claims forgotten for /entities, computed meanwhile
    ],
)
def test_a_client_waiting_for_an_answer_forgotten_meanwhile_is_sent_it(
    versions: list[str], keep: int
) -> None:
    inner, version = Counted(), iter(versions)
    app = KeptAnswers(inner, lambda: next(version), keep=keep, blocking=False)
    assert ask(app, "/claims", "/claims", "/entities") == [
        "call 1 of /claims",
        "call 1 of /claims",
        "call 2 of /entities",
    ]


def unprobed(seen: list[str]) -> list[str]:
    """The statements of `seen` but the version probe (PostgreSQL's snapshot)."""
    return [s for s in seen if "pg_current_snapshot" not in s]


def test_a_listing_is_sent_again_until_the_store_or_its_analysis_changes(
    store_url: str,
) -> None:
    build_store(store_url)
    # read-only: a refresh changes the analysis's generation alone, writing nothing
    client = TestClient(create_app(WebConfig(db=store_url, read_only=True)))
    store = client.app.state.store  # type: ignore[attr-defined]
    first = {p: client.get(p) for p in ("/claims", "/api/claims")}
    for _ in range(20):  # PostgreSQL's version moves with any write in the cluster
        before = store.version()
        for path in first:  # kept under `before`
            client.get(path)
        with statements(client) as seen:
            again = {p: client.get(p) for p in first}
        if store.version() == before:
            break
    assert unprobed(seen) == [], "sent as kept"
    assert {p: a.text for p, a in again.items()} == {p: a.text for p, a in first.items()}
    assert again["/claims"].headers["content-security-policy"].startswith("default-src")
    total = first["/api/claims"].json()["total"]

    with Store.open(store_url) as writer:  # another process's ingest, as far as SQL goes
        save(writer, story("a4", "2025-04-02", "fourth.example", 7000, "deny"))
    assert client.get("/api/claims").json()["total"] == total + 3
    assert "fourth.example" in client.get("/claims").text

    client.get("/claims")
    client.app.state.analysis.refresh()  # type: ignore[attr-defined]
    with statements(client) as seen:
        client.get("/claims")
    assert unprobed(seen), "computed again after the analysis changed"


def test_kept_answers_can_be_turned_off(store_url: str) -> None:
    build_store(store_url)
    client = TestClient(create_app(WebConfig(db=store_url, kept_answers=0)))
    client.get("/claims")
    with statements(client) as seen:
        client.get("/claims")
    assert unprobed(seen)
