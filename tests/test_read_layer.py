"""One read layer: the command line and the web list the same rows for the same filter,
and a store can be served read-only (a read-only SQLite file, a read-only PostgreSQL
role) without a single write."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import BACKENDS, fresh_store_url
from newstrace.api import Store
from newstrace.cli.main import cli
from newstrace.errors import StoreError
from newstrace.reader import Reader
from newstrace.store import Store as Database
from newstrace.web import WebConfig, create_app
from webdata import build_store, save, story

ARTICLE_FILTERS: list[dict[str, str]] = [
    {},
    {"outlet": "meridian"},
    {"since": "2025-03-10"},
    {"until": "2025-03"},
    {"until": "2025-03-20"},
    {"search": "Karsk"},
]
CLAIM_FILTERS: list[dict[str, str]] = [
    {},
    {"speaker": "ministry"},
    {"about": "units"},
    {"stance": "dispute"},
    {"since": "2025-03-10", "until": "2025-03-21"},
    {"entity": "Ilan Brec"},
    {"entity": "Ilan Brec", "since": "2025-03-10"},
]


@pytest.fixture(scope="module", params=BACKENDS)
def listed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A store of four stories (one a copy, one undated), analysed."""
    for url in fresh_store_url(request.param, tmp_path_factory.mktemp("listed")):
        build_store(url)
        undated = story("a4", "2025-03-05", "northgate.example", 5000)
        undated = type(undated)(
            type(undated.article)(**{**undated.article.__dict__, "published": None}),
            undated.entities,
            undated.claims,
            undated.figures,
            undated.times,
        )
        with Database.open(url) as database:
            save(database, undated)
        Store.open(url).close()  # a writable open brings the analysis up to date
        yield url


def cli_rows(url: str, command: str, filters: dict[str, str]) -> list[dict[str, Any]]:
    """What ``newstrace --db URL COMMAND --FILTER VALUE... --json`` prints, parsed."""
    flags = [part for key, value in filters.items() for part in (f"--{key}", value)]
    result = CliRunner().invoke(cli, ["--db", url, command, *flags, "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def web_rows(url: str, path: str, filters: dict[str, str]) -> list[dict[str, Any]]:
    """The items of the web API's listing at `path` for `filters`, all pages of them."""
    client = TestClient(create_app(WebConfig(db=url, read_only=True)))
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get(path, params={**filters, "limit": 2, "offset": offset}).json()
        items += page["items"]
        offset = page["next_offset"]
    return items


@pytest.mark.parametrize("filters", ARTICLE_FILTERS, ids=json.dumps)
def test_cli_and_web_list_the_same_articles(listed: str, filters: dict[str, str]) -> None:
    from_cli = cli_rows(listed, "articles", filters)
    assert from_cli == web_rows(listed, "/api/articles", filters)
    if not filters:
        assert from_cli[-1]["id"] == "a4", "undated articles come last on every backend"


@pytest.mark.parametrize("filters", CLAIM_FILTERS, ids=json.dumps)
def test_cli_and_web_list_the_same_claims(listed: str, filters: dict[str, str]) -> None:
    from_cli = cli_rows(listed, "claims", filters)
    assert from_cli == web_rows(listed, "/api/claims", filters)
    assert from_cli or filters


# (command and its flags, the web API's path and its parameters): the same filter each way
ANALYSIS_LISTINGS: list[tuple[list[str], str, dict[str, str]]] = [
    (["entities"], "/api/entities", {}),
    (["entities", "--search", "brec"], "/api/entities", {"q": "brec"}),
    (["groups"], "/api/groups", {}),
    (["groups", "--entity", "Karsk"], "/api/groups", {"entity": "Karsk"}),
    (["contradictions"], "/api/contradictions", {}),
    (["figures", "--about", "troops", "--repeats"], "/api/figures", {"about": "troops"}),
    (["figures", "--about", "troops"], "/api/figures", {"about": "troops", "first_only": "1"}),
    (["timeline", "--about", "troops"], "/api/timeline", {"q": "troops"}),
    (["timeline", "--entity", "Karsk"], "/api/timeline", {"entity": "Karsk"}),
    (["figures", "--entity", "Karsk", "--repeats"], "/api/figures", {"entity": "Karsk"}),
    (
        ["figures", "--about", "troops", "--entity", "Karsk", "--repeats"],
        "/api/figures",
        {"about": "troops", "entity": "Karsk"},
    ),
]


@pytest.mark.parametrize(
    ("command", "path", "params"),
    ANALYSIS_LISTINGS,
    ids=lambda x: " ".join(x) if isinstance(x, list) else None,
)
def test_cli_and_web_list_the_same_analysis(
    listed: str, command: list[str], path: str, params: dict[str, str]
) -> None:
    result = CliRunner().invoke(cli, ["--db", listed, *command, "--json"])
    assert result.exit_code == 0, result.output
    from_cli = [json.loads(line) for line in result.output.splitlines()]
    from_web = web_rows(listed, path, params)
    assert from_cli, "every listing has rows in this store"
    # the web may add totals of what it cuts (members_total, side_a_total): the rest is equal
    assert [
        {k: row.get(k) for k in cli_row} for row, cli_row in zip(from_web, from_cli, strict=True)
    ] == from_cli


@pytest.mark.parametrize("q", ["Karsk", '"Ostra river" OR Lisk', "Kar* -Brec", "NOT Karsk"])
def test_cli_and_web_search_rank_alike(listed: str, q: str) -> None:
    result = CliRunner().invoke(cli, ["--db", listed, "search", q, "--json"])
    assert result.exit_code == 0, result.output
    from_cli = [json.loads(line) for line in result.stdout.splitlines()]
    client = TestClient(create_app(WebConfig(db=listed, read_only=True)))
    from_web = client.get("/api/search", params={"q": q}).json()
    assert from_cli == from_web["articles"]
    assert len(from_cli) == from_web["totals"]["articles"]
    claims = CliRunner().invoke(cli, ["--db", listed, "search", q, "--claims", "--json"])
    assert [json.loads(line) for line in claims.stdout.splitlines()] == from_web["claims"]


def test_timeline_of_an_entity_is_the_same_both_ways(listed: str) -> None:
    entity = cli_rows(listed, "entities", {"search": "Karsk"})[0]["id"]
    from_cli = cli_rows(listed, "timeline", {"entity": entity})
    assert from_cli
    assert from_cli == web_rows(listed, "/api/timeline", {"entity": entity})


def test_reader_and_store_read_the_same_analysis(listed: str) -> None:
    with Reader.open(listed, read_only=True) as reader, Store.open(listed) as store:
        assert reader.entities().to_dicts() == store.entities().to_dicts()
        assert reader.figures("troops").to_dicts() == store.figures("troops").to_dicts()
        assert reader.entities(), "the analysis was brought up to date when written"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pages_serve(url: str) -> None:
    client = TestClient(create_app(WebConfig(db=url, read_only=True)))
    for path in ("/articles", "/claims", "/entities", "/figures?about=troops", "/network"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/articles").json()["total"] == 4
    assert "Karsk" in {e["name"] for e in client.get("/api/entities").json()["items"]}
    assert client.post("/api/ingest", json={"text": "x"}).status_code == 403


def test_serve_read_only_on_a_read_only_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    build_store(str(db))
    Store.open(db).close()
    before = _digest(db)
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        _pages_serve(str(db))
        with Store.open(db, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
            store.merge_entities("Karsk", "Valdorian officials")
    finally:
        tmp_path.chmod(stat.S_IRWXU)
        db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert _digest(db) == before, "nothing was written"


def test_read_only_store_must_exist_and_be_migrated(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        Reader.open(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.skipif(not os.environ.get("NEWSTRACE_TEST_PG"), reason="NEWSTRACE_TEST_PG unset")
def test_serve_read_only_through_a_read_only_postgresql_role(tmp_path: Path) -> None:
    import psycopg

    for url in fresh_store_url("postgresql", tmp_path):
        build_store(url)
        Store.open(url).close()
        role = f"nt_reader_{uuid.uuid4().hex[:8]}"
        database = url.rsplit("/", 1)[1]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
            conn.execute(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"')
            conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
            conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
        reader_url = url.replace("postgresql://postgres@", f"postgresql://{role}@")
        try:
            _pages_serve(reader_url)
            store = Store.open(reader_url, read_only=True)
            with store, pytest.raises(StoreError, match="read-only"):
                store.split_entity("Karsk", "Karsk")
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP OWNED BY "{role}"')
                conn.execute(f'DROP ROLE "{role}"')


def test_events_and_network_by_entity_run_on_every_backend(listed: str) -> None:
    """The entity filters of events (a JSON path into the event's actors, written per
    dialect) and of the network run the same on SQLite and PostgreSQL."""
    with Reader.open(listed, read_only=True) as reader:
        karsk = reader.entity_id("Karsk")
        events = reader.events(entity="Karsk").to_dicts()
        assert all(karsk in json.dumps(e) or "Karsk" in json.dumps(e) for e in events)
        edges = reader.network(entity="Karsk").to_dicts()
        assert edges and all(karsk in (e["source"], e["target"]) for e in edges)
