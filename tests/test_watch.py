"""`newstrace watch` against a real HTTP server on 127.0.0.1 whose content changes
between polls: what is fetched, when, and what is ingested. A fake clock drives the
schedule (no test waits for an interval); fictional articles only."""

from __future__ import annotations

import gzip
import itertools
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from email.utils import formatdate

import pytest
from tests.conftest import OTHER_STORY, WIRE_STORY
from tests.watchserver import FakeClock, Page, Site, article_page, rss, serve, sitemap

from newstrace.api import Store
from newstrace.settings import Settings
from newstrace.sources.polite import PoliteFetcher, SystemClock, retry_after
from newstrace.store import watch as state
from newstrace.watch import Watcher, add_source

FEED = "application/rss+xml"
THIRD_STORY = """Ferry service to Orn resumes

The ferry between Valdor and the island of Orn resumed on Sunday after a two-week \
halt, the harbour authority said. Captain Mira Dask said 300 passengers crossed on \
the first day.
"""
ROBOTS = Page(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")


def settings(db: str, **overrides: object) -> Settings:
    """Test settings: loopback allowed, the rules extractor, one fetch thread."""
    values: dict[str, object] = {
        "db": db, "allow_private": True, "extractor": "rules", "watch_workers": 1,
        "fetch_timeout": 5.0,
    }  # fmt: skip
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def site() -> Iterator[Site]:
    """A served site with a robots.txt that keeps /private/ out."""
    with serve(Site()) as served:
        served.routes["/robots.txt"] = ROBOTS
        yield served


def feed_page(site: Site, entries: list[tuple[str, str, str]], etag: str) -> Page:
    return Page(rss(site.base, entries), content_type=FEED, etag=etag)


def watcher(store: Store, clock: FakeClock) -> Watcher:
    return Watcher(store, clock=clock)


def test_a_feed_followed_over_polls(store_url: str, site: Site) -> None:
    """New items, a 304 for an unchanged feed, then a new and an updated item."""
    clock = FakeClock()
    first = [("/a1", "Karsk moves artillery", WIRE_STORY)]
    site.routes["/feed.xml"] = feed_page(site, first, '"v1"')
    with Store.open(settings=settings(store_url)) as store:
        (source,) = add_source(store, site.url("/feed.xml"), every=900, kind="feed", clock=clock)
        w = watcher(store, clock)
        assert w.once().outcomes == {"new": 1}
        assert site.paths() == ["/robots.txt", "/feed.xml"]

        clock.advance(600)  # not due yet: nothing is requested
        assert w.once().fetched == 0 and len(site.hits) == 2

        clock.advance(301)
        report = w.once()
        assert (report.not_modified, report.outcomes) == (1, {})
        assert site.hits[-1].headers.get("If-None-Match") == '"v1"'
        assert site.hits[-1].status == 304

        updated = WIRE_STORY.replace("over the weekend", "on Saturday night")
        second = [("/a2", "Grain prices rise", OTHER_STORY), ("/a1", "Karsk moves", updated)]
        site.routes["/feed.xml"] = feed_page(site, second, '"v2"')
        clock.advance(901)
        assert w.once().outcomes == {"new": 1, "updated": 1}
        assert store.count_articles() == 2
        texts = [store.article(a.id).article.text for a in store.articles()]
        assert any("on Saturday night" in t for t in texts)
        assert not any("over the weekend" in t for t in texts)
        after = state.find_source(store.database, str(source.id))
        assert (after.fetches, after.items, after.ingested, after.etag) == (3, 2, 3, '"v2"')
        assert after.next_due == pytest.approx(clock.now() + 900, abs=2)


def test_429_with_retry_after_is_honoured(tmp_path: object, site: Site) -> None:
    clock = FakeClock()
    ok = feed_page(site, [("/a1", "Karsk moves artillery", WIRE_STORY)], '"v1"')
    site.routes["/feed.xml"] = [
        Page(b"slow down", 429, "text/plain", headers={"Retry-After": "300"}),
        ok,
    ]
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        add_source(store, site.url("/feed.xml"), every=60, kind="feed", clock=clock)
        w = watcher(store, clock)
        report = w.once()
        assert report.source_failures and "HTTP 429" in report.source_failures[0][1]
        (source,) = store.watch_sources()
        assert source.last_status == "429"
        assert source.next_due == pytest.approx(clock.now() + 300, abs=2)
        clock.advance(290)  # past the interval, not past Retry-After
        assert w.once().fetched == 0
        assert site.paths().count("/feed.xml") == 1
        clock.advance(15)
        assert w.once().outcomes == {"new": 1}
        assert store.watch_sources()[0].failures == 0


def test_a_500_burst_backs_off_marks_unhealthy_and_spares_the_others(
    tmp_path: object, site: Site
) -> None:
    clock = FakeClock()
    error = Page(b"oops", 500, "text/plain")
    good = feed_page(site, [("/a1", "Karsk moves artillery", WIRE_STORY)], '"g"')
    site.routes["/bad.xml"] = [
        error,
        error,
        error,
        error,
        feed_page(site, [("/b1", "Grain", OTHER_STORY)], '"b"'),
    ]
    site.routes["/good.xml"] = good
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        add_source(store, site.url("/bad.xml"), every=60, kind="feed", name="bad", clock=clock)
        add_source(store, site.url("/good.xml"), every=60, kind="feed", clock=clock)
        w = watcher(store, clock)
        first = w.once()
        assert first.outcomes == {"new": 1}  # the good feed, despite the bad one
        assert [label for label, _ in first.source_failures] == ["bad"]
        waits = []
        for _ in range(3):
            bad = state.find_source(store.database, "bad")
            waits.append(bad.next_due - bad.last_fetch)  # type: ignore[operator]
            clock.t = bad.next_due
            w.once()
        bad = state.find_source(store.database, "bad")
        assert (
            bad.failures == 4
            and not bad.healthy
            and bad.last_error == "HTTP 500 Internal Server Error"
        )
        # exponential: each wait about twice the one before (20 % jitter either way)
        assert all(1.3 < later / earlier < 3.1 for earlier, later in itertools.pairwise(waits))
        assert waits[0] == pytest.approx(60, rel=0.21)
        clock.t = bad.next_due
        assert w.once().outcomes == {"new": 1}
        assert state.find_source(store.database, "bad").healthy
        assert store.count_articles() == 2


def test_a_slow_host_times_out_without_holding_up_the_others(tmp_path: object, site: Site) -> None:
    clock = FakeClock()
    site.routes["/good.xml"] = feed_page(site, [("/a1", "Karsk moves", WIRE_STORY)], '"g"')
    with ExitStack() as stack:
        slow = stack.enter_context(serve(Site()))
        slow.routes["/robots.txt"] = ROBOTS
        slow.routes["/feed.xml"] = Page(
            rss(slow.base, [("/x", "Late", OTHER_STORY)]), content_type=FEED, delay=4
        )
        store = stack.enter_context(
            Store.open(
                settings=settings(f"{tmp_path}/s.db", fetch_timeout=1.0, watch_workers=2),
                create=True,
            )
        )
        add_source(store, slow.url("/feed.xml"), every=60, kind="feed", name="slow", clock=clock)
        add_source(store, site.url("/good.xml"), every=60, kind="feed", clock=clock)
        report = watcher(store, clock).once()
        assert report.outcomes == {"new": 1}
        assert report.source_failures == [("slow", "timed out after 1s")]
        assert store.count_articles() == 1


def test_robots_txt_keeps_a_path_out_and_a_sitemap_is_followed(
    tmp_path: object, site: Site
) -> None:
    clock = FakeClock()
    site.routes["/sitemap.xml"] = Page(
        sitemap(site.base, [("/news/artillery", "2025-03-10"), ("/private/draft", "2025-03-10")]),
        content_type="application/xml",
    )
    site.routes["/news/artillery"] = Page(article_page("Karsk moves artillery", WIRE_STORY))
    site.routes["/private/draft"] = Page(article_page("Draft", OTHER_STORY))
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        (source,) = add_source(store, site.url("/sitemap.xml"), every=60, clock=clock)
        assert source.kind == "sitemap"  # told by its content
        report = watcher(store, clock).once()
        assert report.outcomes == {"new": 1, "failed": 1}
        assert [f.reason for f in report.item_failures] == ["disallowed by robots.txt"]
        assert "/private/draft" not in site.paths()
        outcomes = state.item_outcomes(store.database, source.id)
        assert outcomes[site.url("/private/draft")][0] == "failed"
        # a newer lastmod is an updated article: fetched again
        site.routes["/sitemap.xml"] = Page(
            sitemap(site.base, [("/news/artillery", "2025-03-11")]), content_type="application/xml"
        )
        clock.advance(61)
        watcher(store, clock).once()
        assert site.paths().count("/news/artillery") == 2


def test_a_front_page_is_followed_politely(tmp_path: object, site: Site) -> None:
    clock = FakeClock()
    links = "".join(
        f'<a href="{p}">{p}</a>' for p in ("/news/one-story", "/news/two-story", "/tag/karsk", "/")
    )
    site.routes["/"] = Page(f"<html><body><h1>Front</h1>{links}</body></html>".encode())
    site.routes["/news/one-story"] = Page(article_page("Karsk moves artillery", WIRE_STORY))
    site.routes["/news/two-story"] = Page(article_page("Ferry to Orn resumes", THIRD_STORY))
    with Store.open(
        settings=settings(f"{tmp_path}/s.db", watch_host_interval=2.0), create=True
    ) as store:
        (_source,) = add_source(store, site.url("/"), every=300, kind="page", clock=clock)
        w = watcher(store, clock)
        assert w.once().outcomes == {"new": 2}
        assert "/tag/karsk" not in site.paths()
        times = [t for t, _url in w.fetcher.requests]
        assert len(times) == 4  # robots.txt, the page, two articles
        assert all(b - a >= 2.0 for a, b in itertools.pairwise(times))  # the host's pace


def test_a_home_page_is_watched_through_its_feeds_or_sitemaps(tmp_path: object, site: Site) -> None:
    clock = FakeClock()
    site.routes["/"] = Page(
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        b"</head><body>Home</body></html>"
    )
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        found = add_source(store, site.url("/"), every=900, name="wire", clock=clock)
        assert [(s.url, s.kind, s.name) for s in found] == [(site.url("/feed.xml"), "feed", "wire")]
    with (
        serve(Site()) as other,
        Store.open(settings=settings(f"{tmp_path}/t.db"), create=True) as store,
    ):
        other.routes["/robots.txt"] = Page(
            f"User-agent: *\nSitemap: {other.base}/news-sitemap.xml\n".encode(),
            content_type="text/plain",
        )
        other.routes["/"] = Page(b"<html><body>No feeds here</body></html>")
        found = add_source(store, other.url("/"), every=900, clock=FakeClock())
        assert [(s.url, s.kind) for s in found] == [(other.url("/news-sitemap.xml"), "sitemap")]


@pytest.mark.parametrize("cap", [1, 2])
def test_requests_to_one_host_are_capped(tmp_path: object, site: Site, cap: int) -> None:
    for n in range(4):
        site.routes[f"/news/{n}"] = Page(article_page(f"Story {n}", WIRE_STORY), delay=0.4)
    fetcher = PoliteFetcher(
        settings(f"{tmp_path}/s.db"), SystemClock(), interval=0, concurrency=cap
    )
    fetcher.allowed(site.url("/"))  # robots.txt read first, alone
    threads = [
        threading.Thread(target=fetcher.fetch, args=(site.url(f"/news/{n}"),)) for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert site.most_in_flight <= cap
    assert sorted(site.paths()[1:]) == [f"/news/{n}" for n in range(4)]


def test_a_sitemap_index_a_gzipped_sitemap_and_an_atom_feed(tmp_path: object, site: Site) -> None:
    clock = FakeClock()
    child = sitemap(site.base, [("/news/artillery", "2025-03-10")])
    site.routes["/sitemap-index.xml"] = Page(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + f"<sitemap><loc>{site.base}/news.xml.gz</loc></sitemap></sitemapindex>".encode(),
        content_type="application/xml",
    )
    site.routes["/news.xml.gz"] = Page(gzip.compress(child), content_type="application/xml")
    site.routes["/news/artillery"] = Page(article_page("Karsk moves artillery", WIRE_STORY))
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Orn Harbour</title><link href='{site.base}/'/><id>urn:orn</id>"
        f"<updated>2025-03-10T00:00:00Z</updated><entry><title>Ferry to Orn resumes</title>"
        f"<link href='{site.base}/ferry'/><id>urn:orn:1</id><updated>2025-03-10T00:00:00Z</updated>"
        f"<content type='text'>{THIRD_STORY}</content></entry></feed>"
    )
    site.routes["/atom.xml"] = Page(atom.encode(), content_type="application/atom+xml")
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        kinds = [
            add_source(store, site.url(p), every=60, clock=clock)[0].kind
            for p in ("/sitemap-index.xml", "/atom.xml")
        ]
        assert kinds == ["sitemap", "feed"]
        assert watcher(store, clock).once().outcomes == {"new": 2}
        titles = sorted(a.title or "" for a in store.articles())
        assert titles == ["Ferry to Orn resumes", "Karsk moves artillery"]


def test_robots_crawl_delay_and_an_http_date_retry_after(tmp_path: object, site: Site) -> None:
    clock = FakeClock()
    site.routes["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 5\n", content_type="text/plain")
    for n in range(3):
        site.routes[f"/news/{n}"] = Page(article_page(f"Story {n}", WIRE_STORY))
    fetcher = PoliteFetcher(settings(f"{tmp_path}/s.db"), clock, interval=1.0)
    for n in range(3):
        fetcher.fetch(site.url(f"/news/{n}"))
    times = [t for t, url in fetcher.requests if "/news/" in url]  # robots.txt came first
    assert len(times) == 3
    assert all(b - a >= 5.0 for a, b in itertools.pairwise(times))  # the longer delay wins
    when = formatdate(clock.now() + 120, usegmt=True)
    assert retry_after(when, clock.now()) == pytest.approx(120, abs=1)
    assert retry_after("30", clock.now()) == 30
    assert retry_after("soon", clock.now()) is None


def test_a_feed_entry_not_in_english_is_stored_and_counted(tmp_path: object, site: Site) -> None:
    clock = FakeClock()
    french = (
        "Le ministère a déclaré mardi que douze ponts seraient rouverts avant la fin du mois, "
        "selon des sources officielles de la capitale de Valdor."
    )
    entries = [("/fr", "Douze ponts rouverts", french), ("/en", "Karsk moves", WIRE_STORY)]
    site.routes["/feed.xml"] = feed_page(site, entries, '"v1"')
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        add_source(store, site.url("/feed.xml"), every=60, kind="feed", clock=clock)
        report = watcher(store, clock).once()
        assert report.outcomes == {"new": 2}
        assert [lang for _, lang in report.not_english] == ["fr"]
        assert report.to_dict()["not_english"][0]["language"] == "fr"
        assert sorted(a.language or "" for a in store.articles()) == ["en", "fr"]


def headlines(site: Site, entries: list[tuple[str, str, str]], extra: str = "") -> Page:
    """An RSS feed of (path, title, pubDate) entries with no text (a headline feed), and
    `extra` items as written."""
    items = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link><pubDate>{date}</pubDate></item>"
        for path, title, date in entries
    )
    channel = f"<channel><title>Heads</title>{items}{extra}</channel>"
    return Page(
        f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode(), content_type=FEED
    )


def test_a_headline_feed_has_its_pages_fetched(tmp_path: object, site: Site) -> None:
    """Entries with a link and no text: each page is fetched (once), and again when the
    entry's date changes; an entry with neither text nor link is a failure."""
    clock = FakeClock()
    monday, tuesday = "Mon, 10 Mar 2025 09:00:00 GMT", "Tue, 11 Mar 2025 09:00:00 GMT"
    site.routes["/news/artillery"] = Page(article_page("Karsk moves artillery", WIRE_STORY))
    site.routes["/news/grain"] = Page(article_page("Grain prices rise", OTHER_STORY))
    first = [("/news/artillery", "Karsk moves", monday), ("/news/grain", "Grain", monday)]
    site.routes["/heads.xml"] = headlines(site, first)
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        add_source(store, site.url("/heads.xml"), every=60, kind="feed", clock=clock)
        w = watcher(store, clock)
        assert w.once().outcomes == {"new": 2}
        titles = sorted(a.title or "" for a in store.articles())
        assert titles == ["Grain prices rise", "Karsk moves artillery"]
        updated = WIRE_STORY.replace("over the weekend", "on Saturday night")
        site.routes["/news/artillery"] = Page(article_page("Karsk moves artillery", updated))
        second = [("/news/artillery", "Karsk moves", tuesday), first[1]]
        site.routes["/heads.xml"] = headlines(site, second, "<item><title>No link</title></item>")
        clock.advance(61)
        report = w.once()
        assert report.outcomes == {"updated": 1, "failed": 1}
        assert [f.reason for f in report.item_failures] == ["feed entry has no content or summary"]
        assert site.paths().count("/news/artillery") == 2
        assert site.paths().count("/news/grain") == 1


def test_the_ssrf_guard_and_the_size_cap_hold_for_watched_sources(
    tmp_path: object, site: Site
) -> None:
    """Without allow_private a loopback source is refused before any request, and
    reported; a page over fetch_max_bytes fails alone (reported, retried, given up after
    three tries), the rest of its feed ingested."""
    clock = FakeClock()
    big = "\n\n".join([WIRE_STORY] * 40)
    site.routes["/heads.xml"] = headlines(
        site, [("/news/big", "Big", "Mon, 10 Mar 2025 09:00:00 GMT"),
               ("/news/grain", "Grain", "Mon, 10 Mar 2025 09:00:00 GMT")],
    )  # fmt: skip
    site.routes["/news/big"] = Page(article_page("Karsk moves artillery", big))
    site.routes["/news/grain"] = Page(article_page("Grain prices rise", OTHER_STORY))
    guarded = settings(f"{tmp_path}/g.db", allow_private=False)
    with Store.open(settings=guarded, create=True) as store:
        add_source(store, site.url("/heads.xml"), every=60, kind="feed", name="local", clock=clock)
        report = watcher(store, clock).once()
        assert [label for label, _ in report.source_failures] == ["local"]
        assert "private" in report.source_failures[0][1]
        assert site.hits == []  # refused before connecting: not even robots.txt
        assert not store.articles()
    capped = settings(f"{tmp_path}/c.db", fetch_max_bytes=len(big) // 2)
    with Store.open(settings=capped, create=True) as store:
        add_source(store, site.url("/heads.xml"), every=60, kind="feed", clock=clock)
        w = watcher(store, clock)
        report = w.once()
        assert report.outcomes == {"new": 1}
        assert [a.title for a in store.articles()] == ["Grain prices rise"]
        (retrying,) = report.to_dict()["retrying"]  # told, and tried again next pass
        assert retrying["input"] == site.url("/news/big") and "larger than" in retrying["reason"]
        for _ in range(2):
            clock.advance(61)
            report = w.once()
        assert report.retrying == [] and report.outcomes == {"failed": 1}
        (failure,) = report.item_failures
        assert failure.reason.endswith("(given up after 3 tries)")
        assert site.paths().count("/news/big") == 3


def news_sitemap(site: Site, entries: list[tuple[str, str, str]]) -> Page:
    """A Google news sitemap of (path, publication date, title) entries, no lastmod."""
    urls = "".join(
        f"<url><loc>{site.url(path)}</loc><news:news><news:publication><news:name>Valdor Wire"
        "</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{date}</news:publication_date><news:title>{title}</news:title>"
        "</news:news></url>"
        for path, date, title in entries
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )
    return Page(body.encode(), content_type="application/xml")


def test_a_news_sitemap_is_followed_and_a_changed_entry_fetched_again(
    tmp_path: object, site: Site
) -> None:
    clock = FakeClock()
    site.routes["/news/artillery"] = Page(article_page("Karsk moves artillery", WIRE_STORY))
    site.routes["/news/grain"] = Page(article_page("Grain prices rise", OTHER_STORY))
    first = [("/news/artillery", "2025-03-10T09:00:00Z", "Karsk moves artillery")]
    site.routes["/news-sitemap.xml"] = news_sitemap(site, first)
    with Store.open(settings=settings(f"{tmp_path}/s.db"), create=True) as store:
        (source,) = add_source(store, site.url("/news-sitemap.xml"), every=60, clock=clock)
        assert source.kind == "sitemap"
        w = watcher(store, clock)
        assert w.once().outcomes == {"new": 1}
        updated = WIRE_STORY.replace("over the weekend", "on Saturday night")
        site.routes["/news/artillery"] = Page(article_page("Karsk moves artillery", updated))
        site.routes["/news-sitemap.xml"] = news_sitemap(
            site,
            [("/news/grain", "2025-03-11T08:00:00Z", "Grain prices rise"),
             ("/news/artillery", "2025-03-11T07:00:00Z", "Karsk moves artillery (updated)")],
        )  # fmt: skip
        clock.advance(61)
        assert w.once().outcomes == {"new": 1, "updated": 1}
        clock.advance(61)  # nothing changed: the sitemap is read, no page fetched again
        assert w.once().outcomes == {}
        assert site.paths().count("/news/artillery") == 2
        assert site.paths().count("/news/grain") == 1
