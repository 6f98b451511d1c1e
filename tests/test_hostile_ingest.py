"""One bad record never costs the rest: hostile strings, names and sizes through ingest."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest
from tests.warcdata import warc_of

from newstrace.api import Store
from newstrace.cli.main import main
from newstrace.errors import StoreError
from newstrace.ingest.pipeline import extraction_results, store_results
from newstrace.models import Article, RawDocument, ReadFailure, Record
from newstrace.settings import Settings
from newstrace.sources import read_inputs
from newstrace.store import Store as WriteStore
from newstrace.store import WriteInfo

BODY = "Headline {n}\n\nThe harbour board of Port Elsin met on Tuesday to vote on pier {n}.\n"


def newstrace(db: str, *args: str) -> int:
    return main(["--db", db, *args])


def summary(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out: dict[str, object] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return out


def record_line(n: int, **fields: str) -> str:
    text = f"The ferry board of Port Elsin met on day {n} to vote on berth {n}."
    return json.dumps({"id": f"r{n}", "text": text, **fields})


def test_a_lone_surrogate_in_a_record_costs_nothing(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``"T \\udcff"`` in a title raised UnicodeEncodeError in the store: exit 1, rest lost."""
    lines = [record_line(1, title="T \udcff"), record_line(2, author="\ud800x"), record_line(3)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY.format(n=9))
    args = ("ingest", "--no-extract", "--json", str(tmp_path / "a.jsonl"), str(tmp_path / "b.txt"))
    assert newstrace(store_url, *args) == 0
    assert summary(capsys)["new"] == 4
    with Store.open(store_url) as store:
        assert store.article("r1").article.title == "T \ufffd"


def test_a_folder_with_undecodable_and_escape_file_names_is_stored_whole(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file named ``bad\\xffname.txt`` stopped the walk: 5 of 13 files were stored."""
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    names = [b"%02d.txt" % n for n in range(11)] + [b"06bad\xffname.txt", b"07\x1b[31mred.txt"]
    for n, name in enumerate(names):
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(BODY.format(n=f"{n} {'alpha beta gamma delta' * (n % 3)}"))
    assert newstrace(store_url, "ingest", "--no-extract", "--json", os.fsdecode(folder)) == 0
    result = summary(capsys)
    assert result["failed"] == [] and result["new"] == 13
    with Store.open(store_url) as store:
        locators = {store.article(a.id).article.locator for a in store.articles(limit=None)}
    assert any(loc and loc.endswith("06bad\\xffname.txt") for loc in locators)
    assert any(loc and loc.endswith("07\\x1b[31mred.txt") for loc in locators)


def test_failure_lines_cannot_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.path.join(os.fsencode(tmp_path), b"\x1b]0;owned\x07\xff.txt")
    with open(name, "wb") as handle:
        handle.write(b"\x00\x01binary")
    db = str(tmp_path / "t.db")
    assert newstrace(db, "ingest", "--no-extract", os.fsdecode(name)) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]0;owned\\x07\\xff.txt: binary file, not text" in err


def test_the_store_turns_any_write_error_into_a_store_error(store_url: str) -> None:
    bad = Record(Article(id="s1", text="Text of the pier vote.", title="T \udcff"))
    with WriteStore.open(store_url) as store:
        with pytest.raises(StoreError, match="s1: cannot write article"):
            store.save(bad, WriteInfo("h1"))
        assert store.save(Record(Article(id="s2", text="Text of the pier vote.")), WriteInfo("h2"))
        assert not store.save(Record(Article(id="s2", text="Text, again.")), WriteInfo("h3"))
        assert store.count_articles() == 1


def test_json_lines_limit_is_per_record_not_per_file(tmp_path: Path) -> None:
    """60 MB of normal records gave exit 1 and no article: the file was refused whole."""
    lines = [record_line(n) for n in range(400)]
    lines[7] = record_line(7, html="<p>" + "x" * 3000 + "</p>")
    data = ("\n".join(lines) + "\n").encode()
    (tmp_path / "big.jsonl").write_bytes(data)
    (tmp_path / "big.jsonl.gz").write_bytes(gzip.compress(data))
    limit = Settings(max_input_bytes=1000)  # the files are 30x the limit, records below it
    for name in ("big.jsonl", "big.jsonl.gz"):
        items = list(read_inputs([str(tmp_path / name)], limit))
        assert len(items) == 400
        failures = [i for i in items if isinstance(i, ReadFailure)]
        assert failures == [
            ReadFailure(f"{tmp_path / name}:8", "record too large (over 1000 bytes)")
        ]


def test_json_lines_on_standard_input_stream_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = ("\n".join(record_line(n) for n in range(300)) + "\n").encode()

    class Stdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", Stdin)
    items = list(read_inputs(["-"], Settings(max_input_bytes=2000)))
    assert len(items) == 300 and all(isinstance(i, RawDocument) for i in items)


def warc_file(pages: list[int], gzipped: bool) -> bytes:
    return warc_of(
        (
            (
                f"https://elsin.example/{number}",
                "text/html",
                "200 OK",
                f"<html><body><p>Page {number} {'z' * size}</p></body></html>".encode(),
            )
            for number, size in enumerate(pages)
        ),
        gzipped,
    )


@pytest.mark.parametrize("name", ["a.warc", "a.warc.gz"])
def test_warc_limit_is_per_record(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(warc_file([500] * 20 + [5000] + [500] * 5, name.endswith("gz")))
    items = list(read_inputs([str(tmp_path / name)], Settings(max_input_bytes=2000)))
    assert len(items) == 26
    (big,) = [i for i in items if isinstance(i, ReadFailure)]
    assert big.locator.endswith("#record21") and "record too large" in big.reason


def test_a_plain_warc_cut_anywhere_reports_truncation_not_an_attribute_error(
    tmp_path: Path,
) -> None:
    """A truncated plain .warc said "'NoneType' object has no attribute 'startswith'"."""
    data = warc_file([300, 300, 300], False)
    path = tmp_path / "cut.warc"
    for cut in range(40, len(data) - 1, 37):
        path.write_bytes(data[:cut])
        items = list(read_inputs([str(path)], Settings()))
        reasons = [i.reason for i in items if isinstance(i, ReadFailure)]
        assert len(reasons) == 1 and "WARC" in reasons[0], (cut, reasons)
        assert "NoneType" not in reasons[0]


def test_small_input_mistakes_are_named(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n")
    (tmp_path / "nul.jsonl").write_text(record_line(1).replace('"r1"', '"r\\u0000x"') + "\n")
    os.symlink(tmp_path / "loop-b.txt", tmp_path / "loop-a.txt")
    os.symlink(tmp_path / "loop-a.txt", tmp_path / "loop-b.txt")
    inputs = ["empty.jsonl", "blank.jsonl", "nul.jsonl", "loop-a.txt"]
    items = list(read_inputs([str(tmp_path / i) for i in inputs], Settings()))
    items += list(read_inputs(["file:///etc/hostname", "gopher://elsin.example/1"], Settings()))
    assert [getattr(i, "reason", None) for i in items] == [
        "empty file",
        "empty file",
        "record id contains a control character (NUL, newline...)",
        "cannot read (Too many levels of symbolic links)",
        "unsupported URL scheme 'file' (use http or https)",
        "unsupported URL scheme 'gopher' (use http or https)",
    ]


def test_two_concurrent_ingests_do_not_both_call_an_article_new(
    store_url: str, tmp_path: Path
) -> None:
    """Both ingests prepare the articles before either writes (the interleaving of two
    concurrent runs); they both reported every article as new."""
    for n in range(6):
        (tmp_path / f"{n}.txt").write_text(BODY.format(n=f"{n} " + "lorem ipsum " * n * 3))
    settings = Settings(db=store_url)
    with WriteStore.open(store_url) as first, WriteStore.open(store_url) as second:
        prepared = [
            list(extraction_results([str(tmp_path)], settings, store, None, False))
            for store in (first, second)
        ]
        reports = [
            store_results(results, settings, store)
            for results, store in zip(prepared, (first, second), strict=True)
        ]
    assert [len(r.new) for r in reports] == [6, 0]
    assert len(reports[1].updated) == 6


def test_rss_descriptions_are_unescaped_text(tmp_path: Path) -> None:
    """``AT&amp;T`` in a description was stored literally."""
    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>Elsin Post</title>
<link>https://post.elsin.example/</link>
<item><title>AT&amp;T buys the pier</title><link>https://post.elsin.example/1</link>
<description>AT&amp;T bought the pier &amp; the quay; 3 &lt; 4 berths.</description></item>
<item><title>Markup</title><link>https://post.elsin.example/2</link>
<description>&lt;p&gt;Fish &amp;amp; chips &lt;b&gt;again&lt;/b&gt;&lt;/p&gt;</description></item>
</channel></rss>"""
    (tmp_path / "f.rss").write_text(feed)
    text, page = read_inputs([str(tmp_path / "f.rss")], Settings())
    assert isinstance(text, RawDocument) and text.kind == "text"
    assert (text.title, text.content) == (
        "AT&T buys the pier",
        "AT&T bought the pier & the quay; 3 < 4 berths.",
    )
    assert isinstance(page, RawDocument) and page.kind == "html" and "&amp;" in page.content
