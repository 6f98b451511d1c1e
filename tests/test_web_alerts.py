"""The Alerts page and /api/alerts: history, filters by rule and status, mark as read;
behind the token and same-origin rules; refused by a read-only server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.alertservers import free_port
from tests.webdata import build_store

from newstrace.alerts.rules import rule_spec
from newstrace.api import Store
from newstrace.settings import Settings
from newstrace.web import WebConfig, create_app


@pytest.fixture
def alerted(store_url: str, tmp_path: Path) -> str:
    """A store with two rules: one whose two alerts (two stories: the third article is
    a copy) were delivered to a file, one whose two failed (its webhook refuses
    connections)."""
    build_store(store_url)
    fast = Settings().with_overrides(alert_retries=1)
    with Store.open(store_url, settings=fast) as store:
        log = str(tmp_path / "alerts.jsonl")
        store.add_alert(
            rule_spec("karsk", "search", query="Karsk", delivery="file", target=log), backfill=True
        )
        dead = f"http://127.0.0.1:{free_port()}/hook"
        spec = rule_spec("brec", "search", query="Brec", delivery="webhook", target=dead)
        store.add_alert(spec, backfill=True)
        store.run_alerts()
    return store_url


def test_the_alerts_page_lists_filters_and_marks_as_read(alerted: str) -> None:
    client = TestClient(create_app(WebConfig(db=alerted)))
    page = client.get("/alerts").text
    assert "Alerts" in page and "2 delivered" in page and "2 failed" in page
    assert page.count('name="id"') == 4 and "refused" in page.lower()
    only = client.get("/alerts", params={"rule": "brec"}).text
    assert only.count('name="id"') == 2
    failed = client.get("/api/alerts", params={"status": "failed"}).json()
    assert failed["total"] == 2 and {i["rule"] for i in failed["items"]} == {"brec"}
    first = client.get("/api/alerts", params={"rule": "karsk"}).json()["items"][0]
    assert first["alert"]["href"].startswith("/articles/")
    assert first["alert"]["url"] == "http://127.0.0.1:8000" + first["alert"]["href"]
    done = client.post(
        "/alerts/read",
        data={"id": [str(first["id"])], "back": "/alerts?rule=karsk"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/alerts?rule=karsk"
    assert client.get("/api/alerts", params={"unread": True}).json()["total"] == 3
    rest = [item["id"] for item in client.get("/api/alerts").json()["items"]]
    assert client.post("/api/alerts/read", json={"ids": rest}).json() == {"marked": 3}
    assert client.get("/api/alerts", params={"unread": True}).json()["total"] == 0
    rules = client.get("/api/alerts/rules").json()
    assert [(r["name"], r["delivery"], r["signed"]) for r in rules] == [
        ("karsk", "file", False),
        ("brec", "webhook", True),
    ]
    assert "secret" not in rules[1]
    assert client.get("/api/alerts", params={"rule": "nope"}).status_code == 404


def test_the_alerts_page_keeps_the_rules_of_every_page(alerted: str) -> None:
    token = "s3cret-token-1234"
    guarded = TestClient(create_app(WebConfig(db=alerted, token=token)))
    assert guarded.get("/alerts").status_code == 401
    assert guarded.post("/api/alerts/read", json={"ids": [1]}).status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    assert guarded.get("/api/alerts", headers=auth).status_code == 200
    cross = guarded.post(
        "/alerts/read", data={"id": ["1"]}, headers={**auth, "Origin": "http://evil.example"}
    )
    assert cross.status_code == 403
    read_only = TestClient(create_app(WebConfig(db=alerted, read_only=True)))
    assert read_only.get("/alerts").status_code == 200
    assert read_only.post("/api/alerts/read", json={"ids": [1]}).status_code == 403
    assert read_only.get("/api/alerts", params={"unread": True}).json()["total"] == 4
