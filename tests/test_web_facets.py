"""Web listings the datasette way: facets (outlet, month, stance, speaking actor, event
type, source) whose counts are the rows their link shows, shareable URLs (every filter in
the query string) and CSV/JSON downloads of exactly the rows a page shows."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from newstrace.web import WebConfig, create_app

pytestmark = pytest.mark.model

FACETED = [
    ("/articles", {}),
    ("/claims", {"stance": "deny"}),
    ("/events", {"type": "REJECT"}),
    ("/timeline", {"q": "troops"}),
    ("/timeline", {"q": "the", "stance": "assert"}),
    ("/entities", {}),
    ("/entities", {"q": "a"}),
    ("/alerts", {}),
    ("/alerts", {"status": "pending"}),
]
_FACET_LINK = re.compile(
    r'<li><a href="([^"]+)"[^>]*><bdi>([^<]*)</bdi></a> <span class="n">([\d,]+)</span>'
)


@pytest.fixture(scope="module")
def client(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The demo, with the alerts of two rules (recorded, not delivered)."""
    from click.testing import CliRunner

    from newstrace.cli.main import cli

    target = tmp_path_factory.mktemp("alerts") / "alerts.jsonl"

    for rule in (
        ["deploy", "series", "--series", "karsk|troops|deployed|total"],
        ["lisk", "search", "--query", "Lisk"],
    ):
        args = ["--db", demo_url, "alert", "add", *rule, "--backfill", "--deliver", "file"]
        added = CliRunner().invoke(cli, [*args, "--target", str(target)])
        assert added.exit_code == 0, added.output
    return TestClient(create_app(WebConfig(db=demo_url, read_only=True)))


def _facets(page: str) -> list[tuple[str, str, int]]:
    aside = page.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]
    return [
        (html.unescape(h), label, int(n.replace(",", "")))
        for h, label, n in _FACET_LINK.findall(aside)
    ]


@pytest.mark.parametrize(("path", "params"), FACETED, ids=lambda x: str(x))
def test_each_facet_count_is_the_rows_its_link_shows(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    page = client.get(path, params=params)
    assert page.status_code == 200
    found = _facets(page.text)
    assert len(found) >= 3, "several facets with values"
    for href, label, count in found:
        url = urlsplit(href)
        narrowed = dict(parse_qsl(url.query))
        assert url.path == path and {**params, **narrowed} == narrowed, "filters kept"
        total = client.get("/api" + path, params={**narrowed, "limit": "1"}).json()["total"]
        assert total == count, (href, label)


@pytest.mark.parametrize(("path", "params"), FACETED, ids=lambda x: str(x))
def test_downloads_hold_exactly_the_rows_shown(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    shown = {**params, "limit": "4", "offset": "2"}
    page = client.get(path, params=shown).text
    links = dict(re.findall(r'<a href="([^"]+)"(?: download)?>(CSV|JSON)</a>', page))
    by_name = {name: html.unescape(href) for href, name in links.items()}
    as_json = client.get(by_name["JSON"]).json()
    assert as_json["offset"] == 2 and len(as_json["items"]) == 4
    as_csv = client.get(by_name["CSV"])
    assert as_csv.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    key = {"/claims": "content_text", "/timeline": "article_id"}.get(path, "id")
    assert [r[key] for r in rows] == [
        str(item[key] if key in item else item["content"]["text"]) for item in as_json["items"]
    ]
    share = re.search(r'<a href="([^"]+)" class="share">', page)
    assert share and dict(parse_qsl(urlsplit(html.unescape(share.group(1))).query)) == shown


def test_csv_of_every_listing_api(client: TestClient) -> None:
    for path in (
        "/api/articles",
        "/api/claims",
        "/api/entities",
        "/api/events",
        "/api/events/counts",
    ):
        response = client.get(path, params={"format": "csv", "limit": "3"})
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/csv"
        )
        assert len(list(csv.DictReader(io.StringIO(response.text)))) == 3, path


def test_the_network_filters_by_kind_entity_and_date_and_names_what_it_leaves_out(
    demo_url: str, client: TestClient
) -> None:
    from click.testing import CliRunner

    from newstrace.api import Store
    from newstrace.cli.main import cli

    whole = client.get("/api/network", params={"nodes": "200"}).json()
    april = client.get("/api/network", params={"nodes": "200", "since": "2025-04"}).json()
    with Store.open(demo_url, read_only=True) as store:
        dated = store.network(since="2025-04")
    assert 0 < april["total_edges"] < whole["total_edges"]
    assert april["total_edges"] == len([e for e in dated.edges if e[0] != e[1]])
    small = client.get("/api/network", params={"nodes": "3"}).json()
    assert len(small["nodes"]) == 3 < small["total_nodes"] and small["left_out"]
    drawn = {n["weight"] for n in small["nodes"]}
    assert max(n["weight"] for n in small["left_out"]) <= min(drawn), "the busiest are drawn"
    page = client.get("/network", params={"nodes": "3", "kind": "disputes"}).text
    assert "Not drawn:" in page
    assert (
        client.get("/api/network", params={"since": "2025-05", "until": "2025-04"}).status_code
        == 400
    )
    args = [
        "--db",
        demo_url,
        "network",
        "--kind",
        "disputes",
        "--until",
        "2025-03",
        "--all",
        "--json",
    ]
    result = CliRunner().invoke(cli, args)
    kinds = {json.loads(line)["kind"] for line in result.stdout.splitlines()}
    assert result.exit_code == 0 and kinds == {"disputes"}


PAGED = [
    "/articles",
    "/claims",
    "/entities",
    "/events",
    "/events/counts",
    "/figures?about=troops",
    "/timeline?q=troops",
    "/claims/groups",
    "/claims/contradictions",
]
_PAGER = re.compile(r'<nav class="pager".*?<span>(\d+)–(\d+) of ([\d,]+)</span>', re.S)


def _pager(page: str) -> tuple[int, int, int]:
    found = _PAGER.search(page)
    assert found, "the page has a pager"
    first, last, total = found.groups()
    return int(first), int(last), int(total.replace(",", ""))


def _link(page: str, pattern: str) -> str:
    found = re.search(pattern, page)
    assert found, pattern
    return html.unescape(found.group(1))


@pytest.mark.parametrize("path", PAGED)
def test_every_web_listing_pages_by_the_page_size_setting(demo_url: str, path: str) -> None:
    small = TestClient(create_app(WebConfig(db=demo_url, read_only=True, page_size=3)))
    page = small.get(path).text
    first, last, total = _pager(page)
    assert (first, last) == (1, 3) and total > 3, "a page of the page_size setting"
    second = small.get(_link(page, r'<a rel="next" href="([^"]+)"')).text
    assert _pager(second) == (4, min(6, total), total), "next: the following rows, same total"
    assert re.search(r'<a rel="prev" href="[^"]*"', second), "and back"
    data = small.get(_link(page, r'<a href="([^"]+)">JSON</a>')).json()
    assert (data["total"], data["offset"], len(data["items"])) == (total, 0, 3)


def test_the_series_facet_narrows_the_figures_and_downloads_what_is_shown(
    client: TestClient,
) -> None:
    page = client.get("/figures", params={"about": "troops"}).text
    found = _facets(page)
    assert len(found) >= 3, "a value per series matching 'troops'"
    assert page.count('aria-current="true"') == 1, "the series shown is marked"
    for href, label, count in found:
        narrowed = dict(parse_qsl(urlsplit(href).query))
        assert narrowed["about"] == "troops" and narrowed["series"], href
        shown = client.get(href).text
        assert _pager(shown)[2] == count, (label, "the link shows its count")
        assert f'<h1>Figures: <span class="unit">{html.escape(label)}</span>' in shown
        rows = shown.count('<tr class="series-')
        assert rows == min(count, 50)
        data = client.get(_link(shown, r'<a href="([^"]+)">JSON</a>')).json()
        assert data["total"] == count and len(data["items"]) == rows
        assert {p["series"]["key"] for p in data["items"]} == {narrowed["series"]}
        as_csv = client.get(_link(shown, r'<a href="([^"]+)" download>CSV</a>'))
        parsed = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert [r["figure_id"] for r in parsed] == [p["figure_id"] for p in data["items"]]
        assert (
            client.get(_link(shown, r'<a href="([^"]+)" class="share">')).text.count(
                '<tr class="series-'
            )
            == rows
        ), "the shared link shows the same rows"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/claims/groups", {}),
        ("/claims/groups", {"stance": "deny"}),
        ("/claims/contradictions", {}),
        ("/claims/contradictions", {"kind": "denial"}),
    ],
    ids=str,
)
def test_the_ledger_facets_count_what_their_links_show(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    page = client.get(path, params=params).text
    found = _facets(page)
    assert found and len({href for href, _, _ in found}) == len(found)
    for href, label, count in found:
        assert _pager(client.get(href).text)[2] == count, (href, label)
    if "kind" not in params:
        assert len(found) >= 2, "several values (stances, or kinds and stances)"


def _outletless(tmp_path: Path, text: str) -> str:
    """A store of three plain-text articles (no URL, no outlet name), `text` with
    {town} filled in for each; its path."""
    from click.testing import CliRunner

    from newstrace.cli.main import cli

    folder = tmp_path / "notes"
    folder.mkdir()
    for n, town in enumerate(("Orlen", "Vesk", "Tarrow")):
        (folder / f"{n}.txt").write_text(text.format(town=town), encoding="utf-8")
    db = str(tmp_path / "s.db")
    ingested = CliRunner().invoke(
        cli, ["--db", db, "ingest", str(folder), "-q", "--published", "2026-03-01"]
    )
    assert ingested.exit_code == 0, ingested.output
    return db


def test_articles_without_an_outlet_are_one_facet_value_shown_as_no_outlet(
    tmp_path: Path,
) -> None:
    """Plain text with neither URL nor outlet name: each article still counts as its own
    outlet, but the timeline shows "(no outlet)", never the internal "article:<id>" key,
    and its facet is one value whose link shows all of them."""
    db = _outletless(
        tmp_path,
        "Bridge repairs in {town}\n\nThe mayor of {town} said the bridge over the Lune "
        "would reopen in May. Engineers disputed the date, {town}'s council said.\n",
    )
    client = TestClient(create_app(WebConfig(db=db, read_only=True)))
    page = client.get("/timeline", params={"q": "bridge"}).text
    assert "article:" not in page and "(no outlet)" in page
    outlets = [(h, label, n) for h, label, n in _facets(page) if "outlet=" in h]
    assert [label for _, label, _ in outlets] == ["(no outlet)"]
    href, _, count = outlets[0]
    narrowed = dict(parse_qsl(urlsplit(href).query))
    total = client.get("/api/timeline", params={**narrowed, "limit": "1"}).json()["total"]
    assert count == total == client.get("/api/timeline", params={"q": "bridge"}).json()["total"]
    assert count >= 3


def test_an_unattributed_figure_without_an_outlet_names_no_internal_key(
    tmp_path: Path,
) -> None:
    """A figure nobody is credited with, in an article with no outlet: its source reads
    "(no outlet) (unattributed)" in the CLI (table, estimates, JSON) and on the Figures
    page, never "article:<id> (unattributed)"."""
    from click.testing import CliRunner

    from newstrace.cli.main import cli

    db = _outletless(
        tmp_path,
        "Troops near {town}\n\nAbout 3,000 Karsk troops crossed into {town} on Monday, "
        "and more were on the way.\n",
    )
    shown = CliRunner().invoke(cli, ["--db", db, "figures", "--about", "troops"])
    assert shown.exit_code == 0, shown.output
    assert "3,000" in shown.output and "article:" not in shown.output, shown.output
    lines = CliRunner().invoke(cli, ["--db", db, "figures", "--about", "troops", "--json"])
    sources = {json.loads(line)["source"] for line in lines.output.splitlines()}
    assert sources == {"(no outlet) (unattributed)"}, sources
    client = TestClient(create_app(WebConfig(db=db, read_only=True)))
    page = client.get("/figures", params={"about": "troops"}).text
    assert "3,000" in page and "article:" not in page
