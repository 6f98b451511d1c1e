"""End to end in Debian's Chromium, headless, driven by Playwright.

The demo corpus and hostile pages are ingested by the real pipeline (the CLI, with
the spaCy model), the server runs on 127.0.0.1 on a free port in a thread, and each
page is opened, clicked through and photographed. Screenshots go to a temporary
folder, or to $NEWSTRACE_SCREENSHOTS when set.

Needs /usr/bin/chromium (apt-get install chromium) and `playwright` from PyPI; no
browser is downloaded.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need /usr/bin/chromium (apt-get install chromium)", allow_module_level=True
    )
playwright_sync = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
uvicorn = pytest.importorskip("uvicorn")

from tests.conftest import EXAMPLES  # noqa: E402
from tests.webdata import PAYLOADS, hostile, save  # noqa: E402

from newstrace.store import Store  # noqa: E402
from newstrace.web import WebConfig, create_app  # noqa: E402

pytestmark = pytest.mark.model

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE_TXT = "Mayor warns of floods\n\n" + "\n\n".join(
    f"The mayor said {p} on Tuesday, according to officials." for p in PAYLOADS
)
HOSTILE_HTML = (
    "<html><head><title>Council <script>window.__pwned=7</script> vote</title></head><body>"
    "<article><h1>Council vote delayed</h1><p>The council said the vote was delayed "
    '<img src=x onerror="window.__pwned=8"> until May, officials said.</p>'
    "<p>A spokesman said <a href='javascript:window.__pwned=9'>the plan</a> was dead.</p>"
    "<p>Unclosed <b><i>markup</article>"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("NEWSTRACE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, module_store_url: str) -> str:
    folder = tmp_path_factory.mktemp("demo")
    db = module_store_url
    pages = folder / "hostile"
    pages.mkdir()
    (pages / "2025-04-29_hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (pages / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    cmd = [sys.executable, "-m", "newstrace", "--db", db, "ingest", "--quiet", "--json"]
    done = subprocess.run(
        [*cmd, str(EXAMPLES), str(pages)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    with Store.open(db) as store:
        save(store, hostile())
    for rule in (  # alerts for the Alerts page (recorded, not delivered)
        ["deploy", "series", "--series", "karsk|troops|deployed|total"],
        ["lisk", "search", "--query", "Lisk"],
    ):
        added = subprocess.run(
            [*cmd[:5], "alert", "add", *rule, "--backfill", "--deliver", "file",
             "--target", str(folder / "alerts.jsonl")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    return db


@pytest.fixture(scope="module")
def server(demo_db: str) -> Iterator[str]:
    port = free_port()
    app = create_app(WebConfig(db=demo_db, allowed_hosts=("127.0.0.1",)))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def assert_not_pwned(tab: Any) -> None:
    assert tab.evaluate("window.__pwned") is None
    assert tab.title() != "pwned"
    assert tab.dialogs == []


PAGES = (
    ("articles", "/articles"),
    ("claims", "/claims"),
    ("groups", "/claims/groups"),
    ("contradictions", "/claims/contradictions"),
    ("entities", "/entities"),
    ("entity", "/entities/Karsk"),
    ("figures", "/figures?about=troops"),
    ("timeline", "/timeline?q=troops"),
    ("network", "/network"),
    ("search", "/search?q=troops"),
    ("ingest", "/ingest"),
)


def test_each_page_opens_without_running_article_content(
    page: Any, server: str, shots: Path
) -> None:
    for name, path in PAGES:
        response = page.goto(server + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1
        assert_not_pwned(page)
        page.screenshot(
            path=str(shots / f"{name}.png"),
            full_page=name not in ("timeline", "claims", "groups", "contradictions"),
        )


def test_hostile_articles_show_markup_as_text(page: Any, server: str, shots: Path) -> None:
    page.goto(server + "/articles?search=pwned")
    links = page.locator("a.title")
    assert links.count() >= 2
    for i in range(links.count()):
        page.goto(server + "/articles?search=pwned")
        page.locator("a.title").nth(i).click()
        page.wait_for_load_state()
        page.locator("summary").click()  # the removed junk, on request
        page.hover("#text")
        assert_not_pwned(page)
    page.goto(server + "/articles/hostile-1")
    assert "<script>window.__pwned = 1;" in page.inner_text("#text")
    assert page.locator("#text script, #text img, #text svg, a[href^='javascript:']").count() == 0
    page.locator("#text a.ent").first.hover()
    assert_not_pwned(page)
    page.screenshot(path=str(shots / "hostile.png"))


def test_click_a_claim_through_to_its_evidence(page: Any, server: str, shots: Path) -> None:
    page.goto(server + "/claims?speaker=officials")
    link = page.locator("a.evidence").first
    claim_text = link.inner_text()
    link.click()
    page.wait_for_url("**/articles/**#c*")
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"#text [id='{anchor}']")
    assert target.is_visible()
    assert "current" in (target.get_attribute("class") or "")
    content = " ".join(
        page.locator(f"#text mark.claim-content[data-claim='{anchor}']").all_inner_texts()
    )
    assert content.split()[0] in claim_text
    assert page.locator(f"#text mark.claim-speaker[data-claim='{anchor}']").count() >= 1
    assert page.locator("#text .figure[title^='value']").count() >= 1
    assert page.locator("#text time[title]").count() >= 1
    page.screenshot(path=str(shots / "article.png"))


def test_figure_chart_renders_points_that_link_to_evidence(
    page: Any, server: str, shots: Path
) -> None:
    page.goto(server + "/figures?about=troops")
    points = page.locator("svg.figure-chart .point")
    assert points.count() >= 3
    box = page.locator("svg.figure-chart").bounding_box()
    assert box and box["width"] > 300
    page.locator("svg.figure-chart a.point-link").first.click()
    page.wait_for_url("**/articles/**#f*")
    anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#text [id='{anchor}']").is_visible()


def test_network_is_drawn(page: Any, server: str) -> None:
    page.goto(server + "/network")
    assert page.locator("svg.network circle.node").count() >= 2
    assert page.locator("svg.network line.edge-disputes").count() >= 1


def test_ledger_shows_groups_with_their_counts(page: Any, server: str) -> None:
    page.goto(server + "/claims")
    page.get_by_role("link", name="Grouped by proposition").click()
    page.wait_for_url("**/claims/groups")
    group = page.locator("li.group").first
    assert int(group.get_attribute("data-items") or 0) >= 2
    assert int(group.get_attribute("data-outlets") or 0) >= 2
    assert int(group.get_attribute("data-sources") or 0) >= 1
    assert "original source(s)" in group.locator(".counts").inner_text()
    group.locator("summary").click()
    assert group.locator("a.evidence").first.is_visible()


def test_contradiction_shows_both_sides_and_leads_to_evidence(
    page: Any, server: str, shots: Path
) -> None:
    page.goto(server + "/claims/contradictions")
    item = page.locator("li.contradiction").first
    side_a, side_b = item.locator(".party-a a.evidence"), item.locator(".party-b a.evidence")
    assert side_a.count() >= 1 and side_b.count() >= 1
    said = side_b.first.locator("q").inner_text()
    side_b.first.click()
    page.wait_for_url("**/articles/**#*")
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"#text [id='{anchor}']")
    assert target.is_visible()
    evidence = " ".join(page.locator(f"#text [data-claim='{anchor}']").all_inner_texts())
    assert said.split()[0] in (evidence or target.inner_text())
    assert_not_pwned(page)


def test_entity_page_shows_aliases(page: Any, server: str) -> None:
    page.goto(server + "/entities?q=NID")
    page.locator("table.listing a.ent").first.click()
    page.wait_for_url("**/entities/E*")
    assert "NID" in page.locator("dd.aliases").inner_text()
    assert page.locator("h1").count() == 1


def test_phone_width(browser: Any, server: str, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    tab = context.new_page()
    for name, path in (
        ("articles", "/articles"),
        ("claims", "/claims"),
        ("figures", "/figures?about=troops"),
        ("contradictions", "/claims/contradictions"),
    ):
        tab.goto(server + path)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, (path, width)
        tab.screenshot(path=str(shots / f"phone-{name}.png"))
    tab.goto(server + "/claims?speaker=officials")
    tab.locator("a.evidence").first.click()
    tab.wait_for_url("**#c*")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 391
    tab.screenshot(path=str(shots / "phone-article.png"))
    context.close()


def test_ingest_pasted_text_from_the_browser(page: Any, server: str, shots: Path) -> None:
    page.goto(server + "/ingest")
    page.fill("input[name=title]", "Harbour <script>window.__pwned=10</script> reopens")
    page.fill(
        "textarea[name=text]",
        "The port authority said on Monday that the harbour would reopen to 40 ships a day. "
        "Union leaders disputed the figure, "
        '<img src=x onerror="window.__pwned=11"> calling it optimistic.',
    )
    page.fill("input[name=published]", "2025-05-05")
    page.click("button[type=submit]")
    page.wait_for_url("**/ingest/jobs/*")
    done = "#job[data-status='done'], #job[data-status='failed']"
    page.wait_for_selector(done, state="attached", timeout=120_000)
    assert page.inner_text("#job-status") == "done", page.inner_text("#job-result")
    assert "New 1" in page.inner_text("#job-result")
    page.screenshot(path=str(shots / "ingest-done.png"))
    page.goto(server + "/articles?search=harbour")
    page.locator("a.title").first.click()
    page.wait_for_load_state()
    assert "<script>" in page.locator("h1").inner_text()
    assert_not_pwned(page)


WIDE = {"width": 1400, "height": 900}  # docs/screenshots: 1400 px and 390 px
PHONE = {"width": 390, "height": 844}
NEW_PAGES = (
    ("events", "/events?limit=12"),
    ("event-counts", "/events/counts?actor=Karsk&limit=12"),
    ("claims-facets", "/claims?stance=deny&limit=12"),
    ("figures-series", "/figures?about=troops&limit=12"),
    ("contradictions-facets", "/claims/contradictions?limit=4"),
    ("search-ranked", "/search?q=Karsk+troops"),
    ("timeline-facets", "/timeline?q=the&limit=10"),
    ("entities-facets", "/entities?limit=12"),
    ("alerts-facets", "/alerts?limit=6"),
)


def test_new_pages_at_1400_and_390_px(browser: Any, server: str, shots: Path) -> None:
    for viewport, prefix in ((WIDE, ""), (PHONE, "phone-")):
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        for name, path in NEW_PAGES:
            assert tab.goto(server + path).status == 200, path
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"] + 1, (path, width)
            tab.screenshot(path=str(shots / f"{prefix}{name}.png"), full_page=bool(prefix))
        context.close()


def _pager_total(tab: Any) -> int:
    text = tab.locator("nav.pager span").first.inner_text()
    return int(text.rsplit(" of ", 1)[1].replace(",", ""))


def test_a_facet_narrows_the_listing_to_its_count(page: Any, server: str) -> None:
    for path in (
        "/claims",
        "/articles",
        "/events",
        "/figures?about=troops",
        "/claims/groups",
        "/claims/contradictions",
        "/timeline?q=the",
        "/entities",
        "/alerts",
    ):
        page.goto(server + path)
        before = _pager_total(page)
        value = page.locator("aside.facets li").nth(1)
        count = int(value.locator(".n").inner_text().replace(",", ""))
        value.locator("a").click()
        page.wait_for_load_state()
        assert "?" in page.url, "the filter is in the URL: the view can be shared"
        assert _pager_total(page) == count <= before
        assert page.locator("aside.facets a[aria-current]").count() >= 1
        shared = page.url
        page.goto(shared)
        assert _pager_total(page) == count


def test_the_events_pages_filter_page_and_count(page: Any, server: str) -> None:
    page.goto(server + "/events?limit=5")
    assert page.locator("table.events tbody tr").count() == 5
    page.locator("nav.pager a[rel=next]").first.click()
    page.wait_for_url("**offset=5**")
    assert page.locator("nav.pager span").first.inner_text().startswith("6–10 of")
    page.select_option("form.filters select[name=type]", "MOBILIZE")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**type=MOBILIZE**")
    types = page.locator("table.events .etype").all_inner_texts()
    assert types and set(types) == {"MOBILIZE"}
    page.get_by_role("link", name="Counts per actor").click()
    page.wait_for_url("**/events/counts**")
    assert "type=MOBILIZE" in page.url
    counts = page.locator("table.counts tbody tr")
    assert counts.count() >= 1 and set(page.locator("table.counts .etype").all_inner_texts()) == {
        "MOBILIZE"
    }
    counted = counts.first.locator("td.num a")
    number = int(counted.inner_text())
    counted.click()
    page.wait_for_url("**/events?counted=C*")
    assert page.locator("table.events tbody tr").count() == number, "the events counted"
    assert set(page.locator("table.events .etype").all_inner_texts()) == {"MOBILIZE"}


LISTINGS_PAGED = (
    "/figures?about=troops",
    "/timeline?q=troops",
    "/claims/groups",
    "/claims/contradictions",
    "/events/counts",
    "/entities",
)


def test_every_listing_pages_and_downloads_its_page(page: Any, server: str) -> None:
    for path in LISTINGS_PAGED:
        page.goto(server + path + ("&" if "?" in path else "?") + "limit=4")
        total = _pager_total(page)
        assert page.locator("nav.pager span").first.inner_text().startswith("1–4 of"), path
        page.locator("nav.pager a[rel=next]").first.click()
        page.wait_for_url("**offset=4**")
        assert page.locator("nav.pager span").first.inner_text().startswith("5–"), path
        assert _pager_total(page) == total, "the total does not change with the page"
        href = page.locator("p.downloads a", has_text="JSON").get_attribute("href")
        data = page.request.get(server + (href or "")).json()
        assert (data["total"], data["offset"]) == (total, 4), path
        assert len(data["items"]) == min(4, total - 4), path
        page.locator("nav.pager a[rel=prev]").first.click()
        page.wait_for_load_state()
        assert page.locator("nav.pager span").first.inner_text().startswith("1–4 of"), path


def test_downloads_give_the_rows_shown(page: Any, server: str, tmp_path: Path) -> None:
    page.goto(server + "/events?type=REJECT&limit=4")
    shown = page.locator("table.events tbody tr").count()
    with page.expect_download() as download:
        page.locator("p.downloads a", has_text="CSV").click()
    saved = tmp_path / "events.csv"
    download.value.save_as(saved)
    rows = saved.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + shown == 5 and rows[0].startswith("article_id,")
    page.goto(server + "/claims?stance=deny&limit=3")
    href = page.locator("p.downloads a", has_text="JSON").get_attribute("href")
    data = page.request.get(server + (href or "")).json()
    assert len(data["items"]) == page.locator("table.ledger tbody tr").count() == 3
    page.goto(server + "/figures?about=troops")
    page.locator("aside.facets li a").nth(1).click()  # a smaller series than the first
    page.wait_for_url("**series=**")
    shown = page.locator("table.listing tbody tr").count()
    with page.expect_download() as download:
        page.locator("p.downloads a", has_text="CSV").click()
    saved = tmp_path / "figures.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8") as rows:
        figures = list(csv.DictReader(rows))
    assert len(figures) == shown >= 1
    assert len({f["series_key"] for f in figures}) == 1, "the one series shown"


def test_an_article_shows_its_events_beside_its_claims(page: Any, server: str) -> None:
    page.goto(server + "/events?type=REJECT")
    page.locator("table.events a.evidence").first.click()
    page.wait_for_load_state()
    assert page.locator("aside.side h2", has_text="Events").count() == 1
    assert page.locator("ol.events-list li").count() >= 1
