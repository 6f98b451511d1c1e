"""Events everywhere: the events pages (list with filters, counts per actor by type and
month), the JSON API and its CSV downloads of exactly what a page shows, events on the
article page, in the Store API and in every export format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newstrace.api import Store
from newstrace.cli.main import cli
from newstrace.web import WebConfig, create_app

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def client(demo_url: str) -> TestClient:
    return TestClient(create_app(WebConfig(db=demo_url, read_only=True)))


def _all(client: TestClient, path: str, **params: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get(path, params={**params, "limit": "7", "offset": str(offset)}).json()
        items += page["items"]
        offset = page["next_offset"]
    return items


FILTERS: list[dict[str, str]] = [
    {},
    {"type": "MOBILIZE"},
    {"actor": "Karsk"},
    {"since": "2025-03", "until": "2025-03"},
    {"entity": "Karsk"},
]


@pytest.mark.parametrize("params", FILTERS, ids=json.dumps)
def test_the_api_the_cli_and_the_store_list_the_same_events(
    demo_url: str, client: TestClient, params: dict[str, str]
) -> None:
    flags = [x for k, v in params.items() for x in (f"--{k}", v)]
    result = CliRunner().invoke(cli, ["--db", demo_url, "events", *flags, "--all", "--json"])
    from_cli = [json.loads(line) for line in result.stdout.splitlines()]
    assert from_cli, params
    assert _all(client, "/api/events", **params) == from_cli
    with Store.open(demo_url, read_only=True) as store:
        found = store.events(
            params.get("type"), actor=params.get("actor"), since=params.get("since"),
            until=params.get("until"), entity=params.get("entity"),
        )  # fmt: skip
        assert found.to_dicts() == from_cli and found.total == len(from_cli)
    if "type" in params:
        assert {e["type"] for e in from_cli} == {"MOBILIZE"}


def test_the_events_page_filters_pages_and_downloads_what_it_shows(client: TestClient) -> None:
    page = client.get("/events", params={"type": "REJECT", "limit": "3", "offset": "3"})
    assert page.status_code == 200 and page.text.count('<span class="etype">REJECT') == 3
    assert 'rel="next"' in page.text and 'rel="prev"' in page.text
    shown = client.get("/api/events", params={"type": "REJECT", "limit": "3", "offset": "3"})
    as_csv = client.get(
        "/api/events", params={"type": "REJECT", "limit": "3", "offset": "3", "format": "csv"}
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["id"] for r in rows] == [e["id"] for e in shown.json()["items"]]
    assert [r["article_id"] for r in rows] == [e["article_id"] for e in shown.json()["items"]]
    assert "/api/events?type=REJECT&amp;limit=3&amp;offset=3&amp;format=csv" in page.text
    assert client.get("/api/events", params={"type": "NOPE"}).status_code == 400
    assert client.get("/api/events", params={"since": "2025-13"}).status_code == 400


def test_counts_per_actor_type_and_month(client: TestClient) -> None:
    counts = _all(client, "/api/events/counts", actor="Karsk")
    assert counts and all(c["type"] and len(str(c["period"])) == 7 for c in counts)
    events = _all(client, "/api/events", actor="Karsk")
    counted = sum(int(str(c["count"])) for c in counts)
    assert counted == len([e for e in events if not e["negated"] and e["source_name"]])
    by_year = client.get("/api/events/counts", params={"period": "year", "role": "target"})
    assert all(len(str(c["period"])) == 4 for c in by_year.json()["items"])
    page = client.get("/events/counts", params={"actor": "Karsk"})
    assert page.status_code == 200 and "Counts per actor" in page.text


def test_the_article_page_shows_its_events_beside_its_claims(
    demo_url: str, client: TestClient
) -> None:
    with Store.open(demo_url, read_only=True) as store:
        first = store.events(limit=1)[0]
        record = store.article(first.article_id)
    page = client.get(f"/articles/{first.article_id}").text
    assert "<h2>Events" in page and page.count('class="etype"') == len(record.events)
    linked = [e for e in record.events if e.claim_id]
    assert all(f'data-claim="{e.claim_id}"' in page for e in linked)


def test_every_export_format_holds_the_events(demo_url: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    with Store.open(demo_url, read_only=True) as store:
        total = store.events().total
        counts = store.export("csv", tmp_path / "csv")
        store.export("parquet", tmp_path / "pq")
        store.export("jsonl", tmp_path / "all.jsonl")
    assert counts["events"] == total > 0
    assert len(list(csv.DictReader((tmp_path / "csv" / "events.csv").open()))) == total
    table = pq.read_table(tmp_path / "pq" / "events.parquet")
    assert table.num_rows == total and str(table.schema.field("negated").type) == "bool"
    lines = (tmp_path / "all.jsonl").read_text().splitlines()
    assert sum(len(json.loads(line)["events"]) for line in lines) == total
