"""One outlet per site: the key is the site's domain, the name comes from the page's
metadata, so a page, a feed entry and a JSON Lines record of one site agree."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import OTHER_STORY, WIRE_STORY
from newstrace.ingest import ingest
from newstrace.models import domain_of
from newstrace.settings import Settings
from newstrace.sources.metadata import feed_site_name
from newstrace.store import Store
from newstrace.store.reads.articles import outlets

SITE = "https://harbourledger.example"

PAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<title>Ferry strike ends after two weeks | Harbour Ledger</title>
<meta property="og:site_name" content="Harbour Ledger">
<meta property="og:url" content="{SITE}/2025/05/02/ferry-strike-ends">
<meta property="article:published_time" content="2025-05-02T08:00:00Z">
</head><body><article><h1>Ferry strike ends after two weeks</h1>
<p>The ferry workers of Port Elsin returned to work on Friday after a two-week strike,
the union said, ending the longest stoppage on the harbour line in a decade.</p>
<p>The union said its members had accepted a new contract by a wide margin, and the
port authority said the first boats would leave at six in the morning.</p>
<p>Passengers had crowded the coastal road for days while the boats stayed tied up.</p>
</article></body></html>"""

FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Harbour Ledger - Politics</title><link>{SITE}/politics/</link>
<description>Politics from the Harbour Ledger</description>
<item><title>Council votes on harbour fees</title>
<link>{SITE}/2025/05/03/council-harbour-fees</link>
<pubDate>Sat, 03 May 2025 10:00:00 +0000</pubDate>
<description>{WIRE_STORY}</description></item>
</channel></rss>"""


def _ingest(paths: list[Path], db: str) -> None:
    settings = Settings(db=db)
    with Store.open(db, create=True) as store:
        report = ingest([str(p) for p in paths], settings, store, extract=False)
    assert not report.failed, report.failed


def test_a_page_a_feed_entry_and_a_record_of_one_site_are_one_outlet(
    tmp_path: Path, store_url: str
) -> None:
    feed = tmp_path / "ledger.rss"
    feed.write_text(FEED)
    page = tmp_path / "ferry.html"
    page.write_text(PAGE)
    records = tmp_path / "ledger.jsonl"
    lines = [
        {"id": "ledger-1", "outlet": "Harbour Ledger", "url": f"{SITE}/2025/05/04/one",
         "published": "2025-05-04", "text": OTHER_STORY},
        # no URL: the record's name is mapped to the site's domain
        {"id": "ledger-2", "outlet": "Harbour Ledger", "published": "2025-05-05",
         "text": "Harbour Ledger staff voted on Monday to join the union, the union said."},
    ]  # fmt: skip
    records.write_text("".join(json.dumps(line) + "\n" for line in lines))
    _ingest([feed], store_url)  # the feed first: its title is the weakest name
    with Store.open(store_url) as store:
        assert outlets(store) == [("harbourledger.example", "Harbour Ledger")]
    _ingest([records, page], store_url)
    with Store.open(store_url) as store:
        listed = store.articles()
        assert len(listed) == 4
        assert {(a.outlet, a.outlet_name) for a in listed} == {
            ("harbourledger.example", "Harbour Ledger")
        }
        assert outlets(store) == [("harbourledger.example", "Harbour Ledger")]
        assert len(store.articles(outlet="Harbour Ledger")) == 4  # by name or key
        assert store.record("ledger-1").article.outlet_name == "Harbour Ledger"


def test_page_metadata_names_the_site_over_a_feed_title(tmp_path: Path, store_url: str) -> None:
    """The feed's title says "Harbour Ledger - Politics"; a record says "The Ledger"; the
    page's og:site_name wins for every article of the site, whatever came first."""
    feed = tmp_path / "ledger.rss"
    feed.write_text(FEED.replace("Harbour Ledger - Politics", "Ledger Online: Politics"))
    records = tmp_path / "ledger.jsonl"
    line = {"id": "ledger-1", "outlet": "The Ledger", "url": f"{SITE}/a", "text": OTHER_STORY}
    records.write_text(json.dumps(line) + "\n")
    page = tmp_path / "ferry.html"
    page.write_text(PAGE)
    _ingest([feed], store_url)
    _ingest([records], store_url)
    with Store.open(store_url) as store:
        assert outlets(store) == [("harbourledger.example", "The Ledger")]
    _ingest([page], store_url)
    with Store.open(store_url) as store:
        assert {a.outlet_name for a in store.articles()} == {"Harbour Ledger"}


def test_a_domain_is_a_key_not_a_name() -> None:
    assert domain_of("www.Breitbart.com") == "breitbart.com"
    assert domain_of("Breitbart News") is None
    assert feed_site_name("Northgate Post - World") == "Northgate Post"
    assert feed_site_name("northgatepost.example") is None
