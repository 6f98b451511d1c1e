"""The web application in process (TestClient): pages, API, escaping, token, read-only."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient
from tests.webdata import PAYLOADS, build_store

from newstrace.cli.main import main
from newstrace.web import WebConfig, create_app
from newstrace.web.highlight import Mark, render_marked
from newstrace.web.jobs import Job, JobQueue
from newstrace.web.views.ingest import safe_filename

PAGES = (
    "/articles",
    "/articles?search=troops&outlet=meridian&since=2025-03&until=2025-03-31",
    "/articles/a2",
    "/articles/hostile-1",
    "/claims",
    "/claims?sort=speaker&order=asc&stance=deny&hedged=no",
    "/claims/groups",
    "/claims/groups?about=pwned&min_items=2",
    "/claims/contradictions",
    "/claims/contradictions?kind=figure",
    "/entities",
    "/entities?q=onerror",
    "/entities/Karsk",
    "/figures",
    "/figures?unit=troops",
    "/figures?about=troops&first_only=true",
    "/timeline",
    "/timeline?q=Karsk",
    "/network",
    "/network?q=Karsk&kind=disputes",
    "/search?q=Karsk",
    "/ingest",
)


@pytest.fixture(scope="module")
def web_db(module_store_url: str) -> str:
    return build_store(module_store_url)


@pytest.fixture(scope="module")
def client(web_db: str) -> TestClient:
    return TestClient(create_app(WebConfig(db=str(web_db))))


def html(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.text[:300])
    return response.text


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_and_escapes_article_content(client: TestClient, path: str) -> None:
    page = html(client, path)
    assert "<script>window" not in page and "<script>alert" not in page
    assert "onerror=" not in page.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert 'href="javascript:' not in page
    assert "<img" not in page and "<svg onload" not in page


def test_hostile_article_shows_payloads_as_text(client: TestClient) -> None:
    page = html(client, "/articles/hostile-1")
    assert "&lt;script&gt;window.__pwned = 1;" in page
    assert "&lt;img src=x onerror=" in page
    assert "<mark" in page  # the claims are still highlighted
    assert "Content-Security-Policy" in client.get("/articles/hostile-1").headers


def test_article_page_marks_claims_entities_figures_and_dates(client: TestClient) -> None:
    page = html(client, "/articles/a2")
    assert re.search(r'<mark id="c1" class="claim-content stance-assert hedged"', page)
    assert 'class="claim-speaker"' in page and 'class="claim-cue"' in page
    # entity links go to the cross-article entity, not to a name as written
    link = re.search(r'href="(/entities/E[0-9a-f]{12})" title="Ilan Brec \(PERSON\)"', page)
    assert link is not None
    assert "Ilan Brec" in html(client, link.group(1))
    assert re.search(r'<span id="f1" class="figure" title="value 6,000; range \? to 6,000', page)
    assert re.search(r'<time id="t1" class="time" title="2025-03-20 \(day\)"', page)
    assert "Removed by cleaning (1)" in page and "Advertisement" in page
    assert 'href="/articles/a3"' in page  # its copy


def test_articles_list_marks_copies(client: TestClient) -> None:
    page = html(client, "/articles")
    assert "copy of" in page and "1 copy" in page


def test_claim_ledger_links_each_claim_to_its_evidence(client: TestClient) -> None:
    page = html(client, "/claims?speaker=Brec")
    assert page.count('class="evidence" href="/articles/') == 3
    assert 'href="/articles/a1#c3"' in page


def test_figure_chart_points_link_to_evidence(client: TestClient) -> None:
    page = html(client, "/figures?about=troops")
    assert page.count('class="point-link"') == 3
    assert 'href="/articles/a1#f1"' in page
    assert page.count("series-chain") >= 3 and "source chain (3)" in page
    assert html(client, "/figures?unit=troops").count('class="point-link"') == 3  # old URL


def test_figures_page_lists_series_and_summarises_the_one_charted(client: TestClient) -> None:
    page = html(client, "/figures")
    assert "Largest series:" in page and "karsk troops, deployed</a> (3)" in page
    assert "<svg" in page and "Estimate summary" in page
    # one source (Valdorian officials) said 4,000 (a1), then 6,000 (a2, copied by a3)
    assert "Current estimates (1 source)" in page
    assert '<dd class="estimate-range">6,000 to 6,000</dd>' in page
    assert "as many as 4,000 (2025-03-01) → as many as 6,000 (2025-03-20)" in page
    assert "First report</dt><dd>2025-03-01" in page
    assert "Last report</dt><dd>2025-03-21" in page


def test_ledger_groups_claims_by_proposition_with_counts(client: TestClient) -> None:
    groups = client.get("/api/groups").json()
    top = groups["items"][0]
    assert top["label"] == "Karsk has as many as 6,000 troops near Lisk"
    assert (top["items"], top["articles"], top["outlets"], top["sources"]) == (2, 2, 2, 1)
    assert (top["first_seen"], top["last_seen"]) == ("2025-03-20", "2025-03-21")
    page = html(client, "/claims/groups")
    assert 'data-items="2" data-outlets="2" data-sources="1"' in page
    assert 'href="/articles/a3#c1"' in page
    one = html(client, "/claims/groups/" + top["group_id"])
    assert "2</b> outlet(s)" in one
    assert client.get("/api/groups/nope").status_code == 404
    ledger = html(client, "/claims?speaker=Valdorian")
    assert ledger.count(">2 articles</a>") == 2  # a2 and its copy a3 tell the same


def test_contradictions_show_both_sides_with_evidence(client: TestClient) -> None:
    found = client.get("/api/contradictions").json()
    assert found["total"] == 1
    item = found["items"][0]
    assert item["kind"] == "dispute"
    assert item["reason"].startswith("Karsk disputes: Valdorian officials says Karsk has")
    assert 0 < item["confidence"] <= 1 and item["date"] == "2025-03-20"
    assert {m["article_id"] for m in item["side_a"]} == {"a2", "a3"}
    assert [(m["article_id"], m["claim_id"]) for m in item["side_b"]] == [("a2", "c2")]
    assert item["side_b"][0]["evidence"][0]["text"] == "the report"
    page = html(client, "/claims/contradictions")
    side_b = page.split('class="party party-b"')[1]
    assert 'href="/articles/a2#c2"' in side_b and "Karsk&#39;s foreign ministry" in side_b
    assert 'href="/articles/a2#c1"' in page.split('class="party party-b"')[0]
    assert '<code class="article-id">a3</code>' in page and item["reason"] in page.replace(
        "&#39;", "'"
    )
    assert client.get("/api/contradictions", params={"kind": "figure"}).json()["total"] == 0
    assert client.get("/api/contradictions", params={"entity": "Karsk"}).json()["total"] == 1
    assert client.get("/api/contradictions", params={"stance": "deny"}).json()["total"] == 0
    assert client.get("/api/contradictions", params={"min_confidence": 1}).json()["total"] == 0


def test_entity_pages_use_canonical_entities_and_old_urls_redirect(client: TestClient) -> None:
    old = client.get("/entities/Ilan%20Brec", follow_redirects=False)
    assert old.status_code == 308 and old.headers["location"].startswith("/entities/E")
    page = html(client, old.headers["location"])
    assert "Spokesman Brec" in page and "Spokesman" in page.split('class="roles"')[1]
    karsk = html(client, "/entities/Karsk")
    assert "Valdorian officials" in karsk.split('class="targets"')[1].split("</dd>")[0]
    assert 'href="/timeline?entity=E' in karsk
    listing = html(client, "/entities?q=Brec")
    assert "Spokesman Brec" in listing
    assert client.get("/entities/Nobody", headers={"Accept": "text/html"}).status_code == 404


def test_analysis_is_brought_up_to_date_after_an_ingest_job(store_url: str) -> None:
    from tests.webdata import save, story

    from newstrace.store import Store

    db = build_store(store_url)
    app = create_app(WebConfig(db=str(db)))
    client = TestClient(app)
    assert client.get("/api/groups").json()["items"][0]["items"] == 2
    with Store.open(str(db)) as store:  # what an ingest subprocess would do
        save(store, story("a4", "2025-03-22", "fourth.example", 6000))
    assert client.get("/api/groups").json()["items"][0]["items"] == 2  # not per request
    app.state.analysis.refresh()  # what a finished job does
    assert client.get("/api/groups").json()["items"][0]["items"] == 3


def test_highlight_nests_overlapping_spans_and_keeps_ids_unique() -> None:
    text = "The <b>minister</b> said 4 & more"
    marks = [
        Mark(0, 18, "content", "mark", (("class", "c"),), "c1"),
        Mark(4, 25, "speaker", "mark", (("class", "s"),)),
        Mark(24, 25, "figure", "span", (("title", 'say "4"'),), "f1"),
    ]
    out = str(render_marked(text, marks))
    assert out.count('id="c1"') == 1 and out.count('id="f1"') == 1
    assert re.sub(r"<[^>]+>", "", out) == "The &lt;b&gt;minister&lt;/b&gt; said 4 &amp; more"
    assert 'title="say &#34;4&#34;"' in out
    stack: list[str] = []
    for closing, tag in re.findall(r"<(/?)(mark|span)\b", out):
        if closing:
            assert stack.pop() == tag  # properly nested
        else:
            stack.append(tag)
    assert stack == []


def test_api_pages_and_records(client: TestClient) -> None:
    listing = client.get("/api/articles", params={"limit": 2}).json()
    assert listing["total"] == 4 and len(listing["items"]) == 2 and listing["next_offset"] == 2
    record = client.get("/api/articles/a3").json()
    assert record["article"]["duplicate_of"] == "a2" and record["copies"][0]["id"] == "a2"
    claims = client.get("/api/claims", params={"stance": "deny"}).json()
    assert claims["total"] == 3 and {c["stance"] for c in claims["items"]} == {"deny"}
    entity = client.get("/api/entities/Ilan Brec").json()  # by name as written: still works
    assert entity["roles"] == ["Spokesman"] and len(entity["said"]) == 3
    assert client.get(f"/api/entities/{entity['id']}").json()["name"] == "Ilan Brec"
    figures = client.get("/api/figures", params={"about": "troops"}).json()
    assert [p["value"] for p in figures["items"]] == [4000, 6000, 6000]
    assert [p["source_type"] for p in figures["items"]] == ["chain"] * 3
    assert client.get("/api/timeline", params={"q": "Karsk"}).json()["total"] == 3
    assert client.get("/api/timeline").json()["total"] == 0
    network = client.get("/api/network").json()
    edges = {(e["source"], e["target"], e["kind"]) for e in network["edges"]}
    karsk = next(n["id"] for n in network["nodes"] if n["label"] == "Karsk")
    assert ("text:valdorian officials", karsk, "speaks_about") in edges
    assert (karsk, "text:valdorian officials", "disputes") in edges
    found = client.get("/api/search", params={"q": "fabrication"}).json()
    assert len(found["articles"]) == 3
    found = client.get("/api/search", params={"q": "kar"}).json()
    assert [e["name"] for e in found["entities"]] == ["Karsk"]
    assert client.get("/api/search", params={"q": "6,000 troops"}).json()["claims"]
    assert client.get("/api/openapi.json").json()["info"]["title"] == "newstrace"


def test_errors_are_json_for_the_api_and_html_for_pages(client: TestClient) -> None:
    api = client.get("/api/articles/nope")
    assert api.status_code == 404 and api.json()["error"] == "nope: no such article in the store"
    page = client.get("/articles/nope", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<h1>Not found" in page.text
    bad = client.get("/api/articles", params={"limit": 0})
    assert bad.status_code == 400 and "limit" in bad.json()["error"]


def test_token_is_required_on_every_request(web_db: str) -> None:
    app = create_app(WebConfig(db=str(web_db), token="s3cret"))
    client = TestClient(app)
    assert client.get("/api/articles").status_code == 401
    assert client.get("/static/style.css").status_code == 401
    assert client.get("/api/articles", headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = client.get("/api/articles", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    redirect = client.get("/claims?token=s3cret&stance=deny", follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/claims?stance=deny"
    assert "httponly" in redirect.headers["set-cookie"].lower()
    assert client.get("/claims").status_code == 200  # the cookie now carries it


def test_read_only_refuses_ingest(web_db: str) -> None:
    client = TestClient(create_app(WebConfig(db=str(web_db), read_only=True)))
    assert client.post("/ingest", data={"text": "x"}).status_code == 403
    assert client.post("/api/ingest", json={"text": "x"}).status_code == 403
    assert "read-only" in html(client, "/ingest")


def test_cross_origin_posts_and_foreign_hosts_are_refused(web_db: str) -> None:
    client = TestClient(create_app(WebConfig(db=str(web_db), allowed_hosts=("testserver",))))
    evil = client.post(
        "/api/ingest", json={"text": "x"}, headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403
    assert client.get("/articles", headers={"Host": "rebound.example"}).status_code == 400


def test_ingest_rejects_non_http_urls_and_empty_forms(client: TestClient) -> None:
    assert client.post("/ingest", data={"urls": "/etc/passwd"}).status_code == 400
    assert client.post("/ingest", data={"urls": "file:///etc/passwd"}).status_code == 400
    assert client.post("/ingest", data={"text": "  "}).status_code == 400
    assert client.post("/api/ingest", json={"urls": ["-q"]}).status_code == 400


def test_ingest_job_runs_the_cli_out_of_process(tmp_path: Path, web_db: str) -> None:
    fake = tmp_path / "fake_python.sh"
    fake.write_text(
        '#!/bin/sh\necho "$@" > "$(dirname "$0")/args"\n'
        'echo \'{"new": 1, "updated": 0, "unchanged": 0, "near_duplicates": [], "failed": []}\'\n'
    )
    fake.chmod(0o755)
    from newstrace.store import Store

    with Store.open(str(web_db)) as store:
        jobs = JobQueue(WebConfig(db=str(web_db), python=str(fake), allow_private=True), store)
        workdir = tmp_path / "work"
        workdir.mkdir()
        job = Job(
            "j1",
            "test",
            [str(workdir / "pasted.txt"), "https://example.org/a"],
            "2025-01-02",
            workdir,
        )
        jobs.run(job)
    assert job.status == "done" and job.summary and job.summary["new"] == 1
    args = (tmp_path / "args").read_text().split()
    assert args[:4] == ["-m", "newstrace", "--db", str(web_db)]
    assert "--allow-private" in args and "--published" in args
    assert args[args.index("--") + 1 :] == job.inputs
    assert not workdir.exists()


def test_upload_names_are_made_harmless() -> None:
    assert safe_filename("../../etc/passwd", 1) == "001-passwd"
    assert safe_filename("a b<c>.html", 2) == "002-a_b_c_.html"
    assert safe_filename(".hidden.txt", 3) == "003-hidden.txt"


def test_serve_refuses_public_bind_without_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0"]) == 2
    assert "needs a token" in capsys.readouterr().err


def test_token_is_a_setting_kept_out_of_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    from newstrace.settings import load_settings

    monkeypatch.setenv("NEWSTRACE_TOKEN", "s3cret-token")
    settings = load_settings()
    config = WebConfig.from_settings(settings, read_only=True)
    assert settings.token == config.token == "s3cret-token" and config.read_only
    assert "s3cret-token" not in repr(settings) + repr(config)


def test_web_imports_no_spacy() -> None:
    code = (
        "import sys, newstrace.web, newstrace.cli.main; "
        "sys.exit(1 if any(m == 'spacy' or m.startswith(('spacy.', 'newstrace.nlp', "
        "'newstrace.extract')) for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_payloads_are_real_markup() -> None:
    assert all("<" in p for p in PAYLOADS)


def test_nul_in_a_query_is_a_clear_400(client: TestClient) -> None:
    for path in ("/api/entities?q=%00", "/api/timeline?q=a%00b", "/figures?about=%00"):
        response = client.get(path)
        assert response.status_code == 400, path


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("since=2016-13-01", "since '2016-13-01': not a date"),
        ("until=2025-02-30", "until '2025-02-30': not a date"),
        ("since=2025-04&until=2025-03", "since 2025-04 is after until 2025-03"),
    ],
)
@pytest.mark.parametrize("path", ["/api/articles", "/api/claims", "/articles", "/claims"])
def test_impossible_date_filters_are_refused(
    client: TestClient, path: str, query: str, reason: str
) -> None:
    """A date that does not exist or a reversed range is a 400, never an empty page."""
    response = client.get(f"{path}?{query}", headers={"accept": "application/json"})
    assert response.status_code == 400
    assert reason in response.json()["error"]


def test_a_range_within_one_month_is_accepted(client: TestClient) -> None:
    assert client.get("/api/articles?since=2025-03&until=2025-03").status_code == 200


def test_the_entities_list_pages_through_every_entity(client: TestClient) -> None:
    """The total counts the entities listed (it was 1 whatever the store held)."""
    first = client.get("/api/entities?limit=2").json()
    assert first["total"] > 2 and len(first["items"]) == 2
    seen = [e["id"] for e in first["items"]]
    offset = 2
    while offset < first["total"]:
        page = client.get(f"/api/entities?limit=2&offset={offset}").json()
        assert page["total"] == first["total"]
        seen += [e["id"] for e in page["items"]]
        offset += 2
    assert len(seen) == len(set(seen)) == first["total"]
    assert f"of {first['total']}" in html(client, "/entities?limit=2&offset=2")
