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
    "/entities",
    "/entities/Karsk",
    "/figures",
    "/figures?unit=troops",
    "/timeline",
    "/timeline?q=Karsk",
    "/network",
    "/search?q=Karsk",
    "/ingest",
)


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
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
    assert 'href="/entities/Ilan%20Brec"' in page
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
    page = html(client, "/figures?unit=troops")
    assert page.count('class="point-link"') == 3
    assert 'href="/articles/a1#f1"' in page


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
    entity = client.get("/api/entities/Ilan Brec").json()
    assert entity["roles"] == ["Spokesman"] and len(entity["said"]) == 3
    figures = client.get("/api/figures", params={"unit": "troops"}).json()
    assert [p["value"] for p in figures["items"]] == [4000, 6000, 6000]
    assert client.get("/api/timeline").json()["total"] == 4
    network = client.get("/api/network").json()
    assert {"Ilan Brec", "Karsk"} <= {n["name"] for n in network["nodes"]} or network["edges"] == []
    found = client.get("/api/search", params={"q": "fabrication"}).json()
    assert len(found["articles"]) == 3
    assert client.get("/api/openapi.json").json()["info"]["title"] == "newstrace"


def test_errors_are_json_for_the_api_and_html_for_pages(client: TestClient) -> None:
    api = client.get("/api/articles/nope")
    assert api.status_code == 404 and api.json()["error"] == "nope: no such article in the store"
    page = client.get("/articles/nope", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<h1>Not found" in page.text
    bad = client.get("/api/articles", params={"limit": 0})
    assert bad.status_code == 422 and "limit" in bad.json()["error"]


def test_token_is_required_on_every_request(web_db: Path) -> None:
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


def test_read_only_refuses_ingest(web_db: Path) -> None:
    client = TestClient(create_app(WebConfig(db=str(web_db), read_only=True)))
    assert client.post("/ingest", data={"text": "x"}).status_code == 403
    assert client.post("/api/ingest", json={"text": "x"}).status_code == 403
    assert "read-only" in html(client, "/ingest")


def test_cross_origin_posts_and_foreign_hosts_are_refused(web_db: Path) -> None:
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


def test_ingest_job_runs_the_cli_out_of_process(tmp_path: Path, web_db: Path) -> None:
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


def test_web_imports_no_spacy() -> None:
    code = (
        "import sys, newstrace.web, newstrace.cli.main; "
        "sys.exit(1 if any(m == 'spacy' or m.startswith(('spacy.', 'newstrace.nlp', "
        "'newstrace.extract')) for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_payloads_are_real_markup() -> None:
    assert all("<" in p for p in PAYLOADS)
