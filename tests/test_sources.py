"""Sources: every input kind, and the failures that must not stop a batch."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from tests.warcdata import warc_of

from newstrace.models import RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources import read_inputs
from newstrace.sources.metadata import iso_date, outlet_from_url

SETTINGS = Settings()
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ARTICLE = "Harbour Council Delays Vote\n\nThe council of Port Elsin delayed its vote on the pier.\n"


def read(*paths: Path | str, settings: Settings = SETTINGS) -> list[RawDocument | ReadFailure]:
    return list(read_inputs([str(p) for p in paths], settings))


def only(items: list[RawDocument | ReadFailure]) -> RawDocument | ReadFailure:
    assert len(items) == 1, items
    return items[0]


def failure(items: list[RawDocument | ReadFailure]) -> ReadFailure:
    item = only(items)
    assert isinstance(item, ReadFailure), item
    return item


def document(items: list[RawDocument | ReadFailure]) -> RawDocument:
    item = only(items)
    assert isinstance(item, RawDocument), item
    return item


# --- text -------------------------------------------------------------------------------


def test_text_file_is_one_text_document(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = document(read(path))
    assert (doc.kind, doc.content, doc.locator) == ("text", ARTICLE, str(path))


def test_text_with_bom_and_cp1252_fallback(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 opens")
    (tmp_path / "cp.txt").write_bytes(b"Caf\xe9 opens \x93today\x94")
    bom, cp = read(tmp_path / "bom.txt", tmp_path / "cp.txt")
    assert isinstance(bom, RawDocument) and bom.content == "Café opens"
    assert isinstance(cp, RawDocument) and cp.content == "Café opens “today”"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x01\x02binary\x00", "binary file, not text"),
        (bytes(range(1, 32)) * 10, "binary file, not text"),
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
    ],
)
def test_text_failures(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    assert failure(read(path)).reason == reason


# --- html -------------------------------------------------------------------------------

PAGE = (
    "<html><head><meta charset='{cs}'><title>Pier</title></head><body><p>{body}</p></body></html>"
)


def test_html_uses_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_bytes(PAGE.format(cs="iso-8859-1", body="Caf\xe9").encode("latin-1"))
    doc = document(read(path))
    assert doc.kind == "html" and "Café" in doc.content


def test_gzipped_html_and_truncated_gzip(tmp_path: Path) -> None:
    packed = gzip.compress(PAGE.format(cs="utf-8", body="x" * 5000).encode())
    (tmp_path / "ok.html.gz").write_bytes(packed)
    (tmp_path / "cut.htm.gz").write_bytes(packed[: len(packed) // 2])
    cut, ok = read(tmp_path)  # sorted: cut before ok
    assert isinstance(ok, RawDocument) and ok.kind == "html" and "xxxx" in ok.content
    assert cut == ReadFailure(str(tmp_path / "cut.htm.gz"), "truncated gzip")


# --- JSON records -----------------------------------------------------------------------


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"id": 7, "text": ARTICLE, "title": "Harbour", "published": "March 3, 2021"}),
        "{not json",
        "",
        json.dumps({"title": "no body"}),
        json.dumps({"html": "<p>Body</p>", "url": "https://www.example.org/a", "published": "x"}),
        json.dumps(["a list"]),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    first, bad, empty, html, listed = read(path)
    assert isinstance(first, RawDocument)
    assert (first.id, first.published, first.locator) == ("7", "2021-03-03", f"{path}:1")
    assert isinstance(bad, ReadFailure) and bad.locator == f"{path}:2"
    assert bad.reason.startswith("invalid JSON")
    assert empty == ReadFailure(f"{path}:4", "record has neither 'text' nor 'html'")
    assert isinstance(html, RawDocument)
    assert (html.kind, html.published, html.outlet) == ("html", None, "example.org")
    assert isinstance(listed, ReadFailure) and listed.locator == f"{path}:6"


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "c.ndjson"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "fine"}\n')
    bad, good = read(path)
    assert bad == ReadFailure(f"{path}:1", "invalid UTF-8")
    assert isinstance(good, RawDocument) and good.content == "fine"


def test_json_list_and_single_record(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(json.dumps([{"text": "one"}, {"nope": 1}]))
    (tmp_path / "one.json").write_text(json.dumps({"text": "single", "outlet": "Gazette"}))
    (tmp_path / "broken.json").write_text("[{")
    broken, one, two, single = read(tmp_path)
    assert isinstance(broken, ReadFailure) and broken.reason.startswith("invalid JSON")
    assert isinstance(one, RawDocument) and one.locator == f"{tmp_path / 'list.json'}#item1"
    assert isinstance(two, ReadFailure) and two.locator.endswith("list.json#item2")
    assert isinstance(single, RawDocument) and single.outlet == "Gazette"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-05-01", "2016-05-01"),
        ("2016-05-01T22:10:00Z", "2016-05-01"),
        ("Sun, 01 May 2016 10:00:00 GMT", "2016-05-01"),
        ("not a date", None),
        ("2016-13-40", None),
        ("yesterday", None),
        (None, None),
        (20160501, None),
    ],
)
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_outlet_from_url() -> None:
    assert outlet_from_url("https://www.news.example.com/x?y=1") == "news.example.com"
    assert outlet_from_url("not a url") is None


# --- feeds ------------------------------------------------------------------------------

RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Port Elsin Gazette</title><link>https://www.gazette.example/</link>
<item><title>Pier vote</title><link>https://www.gazette.example/pier</link>
<pubDate>Tue, 02 Mar 2021 08:00:00 GMT</pubDate><author>desk@gazette.example (Ana Fell)</author>
<description>The council delayed the vote.</description></item>
<item><title>Ferry</title>
<content:encoded><![CDATA[<p>Ferry <b>resumes</b>.</p>]]></content:encoded></item>
<item><title>Empty</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Elsin Times</title>
<entry><title>Harbour</title><link href="https://elsin.example/h"/><updated>2021-03-04T10:00:00Z</updated>
<summary>Harbour dues rise.</summary></entry></feed>"""


def test_rss_entries(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    path.write_text(RSS)
    first, second, empty = read(path)
    assert isinstance(first, RawDocument)
    assert (first.kind, first.title, first.url) == (
        "text",
        "Pier vote",
        "https://www.gazette.example/pier",
    )
    assert (first.published, first.outlet, first.author) == (
        "2021-03-02",
        "gazette.example",
        "Ana Fell",
    )
    assert first.locator == f"{path}#item1"
    assert isinstance(second, RawDocument) and second.kind == "html" and "<b>" in second.content
    assert isinstance(empty, ReadFailure) and empty.locator == f"{path}#item3"


def test_atom_feed_as_xml(tmp_path: Path) -> None:
    path = tmp_path / "f.xml"
    path.write_text(ATOM)
    doc = document(read(path))
    assert (doc.title, doc.published, doc.outlet) == ("Harbour", "2021-03-04", "Elsin Times")


def test_malformed_and_non_feeds(tmp_path: Path) -> None:
    (tmp_path / "bad.rss").write_text("<rss><channel><title>x</ti")
    (tmp_path / "map.xml").write_text('<?xml version="1.0"?><urlset><url>x</url></urlset>')
    bad, sitemap = read(tmp_path / "bad.rss", tmp_path / "map.xml")
    assert isinstance(bad, ReadFailure) and bad.reason.startswith("malformed feed")
    assert sitemap == ReadFailure(str(tmp_path / "map.xml"), "not an RSS or Atom feed")


# --- WARC -------------------------------------------------------------------------------


def make_warc(compress: bool) -> bytes:
    pages = [("text/html; charset=utf-8", "200 OK"), ("image/png", "200 OK")]
    pages += [("text/html", "404 Not Found"), ("text/html", "200 OK")]
    return warc_of(
        (
            (
                f"https://www.elsin.example/{number}",
                content_type,
                status,
                f"<html><body><p>Page {number} {'z' * 3000}</p></body></html>".encode(),
            )
            for number, (content_type, status) in enumerate(pages)
        ),
        compress,
        warcinfo=True,
    )


@pytest.mark.parametrize("name", ["a.warc", "a.warc.gz"])
def test_warc_html_responses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(make_warc(name.endswith(".gz")))
    first, last = read(path)
    assert isinstance(first, RawDocument) and isinstance(last, RawDocument)
    assert (first.locator, first.url, first.outlet) == (
        f"{path}#record2",
        "https://www.elsin.example/0",
        "elsin.example",
    )
    assert last.locator == f"{path}#record5" and "Page 3" in last.content


@pytest.mark.parametrize("name", ["a.warc", "a.warc.gz"])
def test_truncated_warc_keeps_records_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data = make_warc(name.endswith(".gz"))
    path.write_bytes(data[:-200])
    first, cut = read(path)
    assert isinstance(first, RawDocument) and first.locator.endswith("#record2")
    assert isinstance(cut, ReadFailure) and cut.locator == f"{path}#record5"
    assert "truncated WARC" in cut.reason


def test_garbage_warc(tmp_path: Path) -> None:
    path = tmp_path / "g.warc"
    path.write_bytes(b"not a warc at all\r\n\r\n")
    assert "WARC" in failure(read(path)).reason


# --- dispatch ---------------------------------------------------------------------------


def test_directory_walk_is_sorted_recursive_and_skips_unknown(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("zed")
    (tmp_path / "a.txt").write_text("ay")
    (tmp_path / "notes.docx").write_bytes(b"\x00")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    items = read(tmp_path)
    assert [i.locator for i in items] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "z.txt")]


def test_unknown_explicit_missing_and_too_large(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "big.txt").write_text("x" * 100)
    small = Settings(max_input_bytes=10)
    unknown, missing, big = read(
        tmp_path / "notes.docx", tmp_path / "nope.txt", tmp_path / "big.txt", settings=small
    )
    assert unknown == ReadFailure(str(tmp_path / "notes.docx"), "unsupported file type")
    assert missing == ReadFailure(str(tmp_path / "nope.txt"), "no such file or directory")
    assert big == ReadFailure(str(tmp_path / "big.txt"), "file too large (100 bytes > limit 10)")


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 10_000))
    reason = failure(read(tmp_path / "bomb.txt.gz", settings=Settings(max_input_bytes=1000))).reason
    assert reason.startswith("file too large")


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize(
    ("data", "kind", "locator"),
    [
        (b'{"text": "From a pipe."}\n', "text", "<stdin>:1"),
        (b"<!doctype html><html><body><p>Hi</p></body></html>", "html", "<stdin>"),
        (b"Plain words from a pipe.\n", "text", "<stdin>"),
        (gzip.compress(b"Zipped words.\n"), "text", "<stdin>"),
        (RSS.encode(), "text", "<stdin>#item1"),
    ],
)
def test_stdin_is_sniffed(
    monkeypatch: pytest.MonkeyPatch, data: bytes, kind: str, locator: str
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(data))
    doc = read("-")[0]
    assert isinstance(doc, RawDocument) and (doc.kind, doc.locator) == (kind, locator)


def test_stdin_warc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(make_warc(True)))
    assert [i.locator for i in read("-")] == ["<stdin>#record2", "<stdin>#record5"]


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared")
def test_polnear_corpus_reads_completely() -> None:
    items = read(SHARED / "corpus" / "polnear.jsonl")
    assert len(items) == 924
    assert all(isinstance(i, RawDocument) and i.title and i.published for i in items)


def test_text_file_named_by_date_gets_that_publication_date(tmp_path: Path) -> None:
    dated = tmp_path / "2025-03-10_meridian_story.txt"
    dated.write_text("Headline\n\nBody of the story about the river crossing.\n")
    undated = tmp_path / "story-2025-03-10.txt"
    undated.write_text("Headline\n\nBody of the story about the river crossing.\n")
    bad = tmp_path / "2025-13-40_story.txt"
    bad.write_text("Headline\n\nBody of the story about the river crossing.\n")
    docs = {Path(d.locator).name: d for d in read_inputs([str(tmp_path)], Settings())}
    assert docs[dated.name].published == "2025-03-10"  # type: ignore[union-attr]
    assert docs[undated.name].published is None  # type: ignore[union-attr]
    assert docs[bad.name].published is None  # type: ignore[union-attr]


def test_directory_walk_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text("Headline\n\nHidden body text here.\n")
    (tmp_path / ".draft.txt").write_text("Headline\n\nHidden body text here.\n")
    (tmp_path / "visible.txt").write_text("Headline\n\nVisible body text here.\n")
    names = [Path(d.locator).name for d in read_inputs([str(tmp_path)], Settings())]
    assert names == ["visible.txt"]
