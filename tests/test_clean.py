"""Cleaning: junk-line rules, headline handling, HTML extraction, and properties of the cleaner."""

from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.clean import clean_document, clean_text
from newstrace.clean.lines import normalise_line
from newstrace.clean.text import junk_reason
from newstrace.models import RawDocument, Removed

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

SCRAPED = """Harbour Council Delays Vote on Pier

Home | News | Sport | Weather
By Ana Fell

The council of Port Elsin delayed its vote on the new pier, officials said on Tuesday.
Advertisement
Members asked for a second survey of the seabed.   \t

Share | Tweet | Email
Related: Ferry timetable changes for winter
Read more: https://gazette.example/pier?utm_source=feed
We use cookies to improve your experience on our site.
https://gazette.example/pier
12 Comments
Leave a Comment
"""


def test_scraped_text_is_cleaned_with_reasons() -> None:
    cleaned = clean_text(SCRAPED)
    assert cleaned.title == "Harbour Council Delays Vote on Pier"
    assert cleaned.text == (
        "The council of Port Elsin delayed its vote on the new pier, officials said on Tuesday.\n"
        "Members asked for a second survey of the seabed."
    )
    assert [r.reason for r in cleaned.removed] == [
        "navigation menu",
        "byline/dateline residue",
        "advertisement",
        "share buttons",
        "related links",
        "related links",
        "cookie notice",
        "bare url",
        "comment footer",
        "comment footer",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "The advertisement ran in three newspapers before the council objected.",
        "Related charges were dropped, the prosecutor said.",
        "By the time the ferry docked, the crowd had left.",
        "She said the site uses cookies to track visitors, which regulators dispute.",
        "Read the full report at the council office, the clerk said.",
        "Click-through rates fell, according to the agency.",
        "HARBOUR DUES RISE AGAIN",
    ],
)
def test_real_sentences_survive(line: str) -> None:
    assert junk_reason(line) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("ADVERTISEMENT", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Post a comment", "comment footer"),
        ("See also: Harbour dues", "related links"),
        ("Sponsored", "tracking link"),
        ("Click here to subscribe", "tracking link"),
        ("Subscribe to our newsletter", "tracking link"),
        ("Get it here: bit.ly/3xYz", "tracking link"),
        ("News • Politics • Opinion • Sport", "navigation menu"),
        ("FULL TEXT.", "section label"),
        ("___", "separator"),
    ],
)
def test_junk_lines(line: str, reason: str) -> None:
    assert junk_reason(line) == reason


def test_given_title_is_not_repeated_in_body() -> None:
    cleaned = clean_text(
        "harbour  council delays vote.\n\nThe council met.", "Harbour Council Delays Vote"
    )
    assert (cleaned.title, cleaned.text) == ("Harbour Council Delays Vote", "The council met.")
    assert cleaned.removed == (Removed("harbour council delays vote.", "repeated title"),)


def test_title_split_over_two_lines_is_dropped() -> None:
    text = "Pier vote delayed; \nSurvey first, council says.\n\nThe council met on Tuesday."
    cleaned = clean_text(text, "Pier vote delayed; Survey first, council says")
    assert cleaned.text == "The council met on Tuesday."


def test_single_paragraph_or_long_first_line_has_no_headline() -> None:
    assert clean_text("Only one line here.").title is None
    long_first = "word " * 80 + "\nsecond line"
    assert clean_text(long_first).title is None


def test_whitespace_and_unicode_are_normalised() -> None:
    text = "Title\r\n\r\n\r\n  Cafe\u0301  opens\t\u00a0today  \n\n\n\nNext   para"
    cleaned = clean_text(text)
    assert cleaned.text == "Café opens today\n\nNext para"
    assert unicodedata.is_normalized("NFC", cleaned.text)


def test_text_document_keeps_raw_metadata() -> None:
    raw = RawDocument(
        "x.txt", "text", "Pier\n\nBody text.", url="https://a.example/p", outlet="a.example"
    )
    cleaned = clean_document(raw)
    assert (cleaned.title, cleaned.text, cleaned.outlet) == ("Pier", "Body text.", "a.example")


# --- properties -------------------------------------------------------------------------

LINES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["Advertisement", "Share | Tweet", "12 Comments", "Related: x", "", "  ", "Title", "Title."]
    ),
)
TEXTS = st.lists(LINES, max_size=12).map("\n".join) | st.text(max_size=300)
TITLES = st.none() | st.sampled_from(["Title", "title.", ""]) | st.text(max_size=20)


def _input_lines(text: str) -> set[str]:
    return {normalise_line(line) for line in text.splitlines()}


@settings(max_examples=300, deadline=None)
@given(TEXTS, TITLES)
def test_cleaning_is_total_and_keeps_only_input_lines(text: str, title: str | None) -> None:
    cleaned = clean_text(text, title)
    kept = [line for line in cleaned.text.split("\n") if line]
    assert set(kept) <= _input_lines(text)
    assert "\n\n\n" not in cleaned.text and cleaned.text == cleaned.text.strip()
    assert all(line == line.strip() for line in cleaned.text.split("\n"))


@settings(max_examples=300, deadline=None)
@given(TEXTS, TITLES)
def test_removed_and_kept_lines_account_for_input(text: str, title: str | None) -> None:
    cleaned = clean_text(text, title)
    nonempty = [normalise_line(line) for line in text.splitlines() if normalise_line(line)]
    kept = [line for line in cleaned.text.split("\n") if line]
    headline = (
        [cleaned.title] if cleaned.title is not None and not (title and title.strip()) else []
    )
    assert sorted(kept + [r.text for r in cleaned.removed] + headline) == sorted(nonempty)


@settings(max_examples=300, deadline=None)
@given(TEXTS, TITLES)
def test_cleaning_is_idempotent(text: str, title: str | None) -> None:
    once = clean_text(text, title)
    twice = clean_text(once.text, once.title)
    assert (twice.text, twice.title, twice.removed) == (once.text, once.title, ())


# --- HTML -------------------------------------------------------------------------------

ARTICLE_HTML = """<!doctype html><html><head><title>Pier vote delayed | Elsin Gazette</title>
<meta property="og:site_name" content="Elsin Gazette">
<meta property="og:title" content="Pier vote delayed">
<meta name="author" content="Ana Fell">
<meta property="article:published_time" content="2021-03-02T08:00:00Z">
<link rel="canonical" href="https://gazette.example/pier"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Pier vote delayed</h1>
<p>The council of Port Elsin delayed its vote on the new pier on Tuesday, officials said,
after members asked for a second survey of the seabed near the old breakwater.</p>
<p>The harbour master said the survey would take about six weeks and cost the town
roughly twelve thousand pounds, which the council agreed to pay from reserves.</p>
<p>A decision is now expected before the summer season, when ferry traffic doubles.</p>
</article><footer>Copyright Elsin Gazette</footer></body></html>"""


def test_html_article_is_extracted_with_metadata() -> None:
    cleaned = clean_document(RawDocument("p.html", "html", ARTICLE_HTML))
    assert cleaned.title == "Pier vote delayed"
    assert cleaned.text.startswith("The council of Port Elsin delayed")
    assert "\n\nThe harbour master" in cleaned.text
    assert "Home" not in cleaned.text and "Copyright" not in cleaned.text
    assert (cleaned.author, cleaned.outlet) == ("Ana Fell", "Elsin Gazette")
    assert (cleaned.url, cleaned.published) == ("https://gazette.example/pier", "2021-03-02")


def test_raw_metadata_wins_over_page() -> None:
    raw = RawDocument("p.html", "html", ARTICLE_HTML, title="Given", outlet="gazette.example")
    cleaned = clean_document(raw)
    assert (cleaned.title, cleaned.outlet, cleaned.author) == (
        "Given",
        "gazette.example",
        "Ana Fell",
    )


@pytest.mark.parametrize(
    "html", ["", "<html></html>", "<<<>>>", "\x00\x01", "<?xml version='1.0'?><a>", "<p>" * 500]
)
def test_broken_html_gives_text_not_exception(html: str) -> None:
    assert isinstance(clean_document(RawDocument("b.html", "html", html)).text, str)


def test_falls_back_to_page_text_when_trafilatura_finds_nothing() -> None:
    cleaned = clean_document(
        RawDocument("s.html", "html", "<html><body><b>Short</b></body></html>")
    )
    assert cleaned.text == "Short"


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared")
def test_benchmark_pages_clean_to_text_with_titles() -> None:
    pages = sorted((SHARED / "eval" / "article-extraction" / "html").glob("*.html.gz"))
    assert len(pages) == 181
    for path in pages[:40]:  # the full set is checked by the eval; 40 keep this test quick
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        cleaned = clean_document(RawDocument(str(path), "html", html))
        assert cleaned.text and cleaned.title, path.name
        assert not cleaned.text.startswith(cleaned.title)
