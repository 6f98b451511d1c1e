"""Limits per record for ``.json`` files and feeds, and `newstrace extract` under the
per-document budget: a file over `max_input_bytes` of normal records is read, the
oversized record fails alone."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest

from newstrace.cli.main import main
from newstrace.models import RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources import read_inputs
from newstrace.sources.json_stream import NotAnArray, array_elements

LIMIT = Settings(max_input_bytes=1500)
LINE = 'The harbour board of Port Elsin met on Tuesday, "said" Mira \\ Tolvan.\n'


def records(count: int, big: int) -> list[dict[str, str]]:
    """`count` fictional records; record `big` is several times the limit."""
    return [
        {"id": f"r{n}", "title": f"Pier {n}", "text": LINE * (100 if n == big else 3)}
        for n in range(1, count + 1)
    ]


def outcome(path: Path) -> list[tuple[str, str]]:
    """Each item read as (locator suffix, id or failure reason)."""
    found = []
    for item in read_inputs([str(path)], LIMIT):
        where = item.locator.removeprefix(str(path))
        found.append((where, item.reason if isinstance(item, ReadFailure) else str(item.id)))
    return found


@pytest.mark.parametrize("name", ["a.json", "a.json.gz"])
def test_a_json_list_over_the_limit_is_read_record_by_record(tmp_path: Path, name: str) -> None:
    """Before: the whole file failed ("file too large"), none of its records read."""
    data = json.dumps(records(8, big=3), indent=1).encode()
    assert len(data) > 3 * LIMIT.max_input_bytes
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    expected = [(f"#item{n}", f"r{n}") for n in range(1, 9)]
    expected[2] = ("#item3", "record too large (over 1500 bytes)")
    assert outcome(tmp_path / name) == expected


def test_a_single_json_record_over_the_limit_fails(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps(records(3, big=3)[2]))
    ((where, reason),) = outcome(tmp_path / "one.json")
    assert where == "" and reason == "file too large (over 1500 bytes) and not a JSON array"


def test_a_truncated_json_list_over_the_limit_keeps_its_whole_records(tmp_path: Path) -> None:
    data = json.dumps(records(16, big=0)).encode()
    (tmp_path / "cut.json").write_bytes(data[: len(data) * 6 // 10])
    *whole, last = outcome(tmp_path / "cut.json")
    assert whole == [(f"#item{n}", f"r{n}") for n in range(1, 10)]
    assert last == (
        "",
        "file too large (over 1500 bytes) and the JSON array ends early (truncated file)",
    )


def test_array_elements_handles_escapes_across_reads() -> None:
    """A backslash at the end of one read escapes the first byte of the next."""
    values = [{"text": "x" * n + '\\"' + "]}," * 3} for n in range(0, 140_000, 9_999)]
    data = json.dumps(values).encode()
    got = [json.loads(e) for e in array_elements(io.BytesIO(data), 10**6) if e is not None]
    assert got == values
    with pytest.raises(NotAnArray):
        list(array_elements(io.BytesIO(b'{"text": "a"}'), 100))


def rss(entries: list[str]) -> str:
    items = "".join(
        f"<item><title>Pier {n}</title><link>https://harbour.example/{n}</link>"
        f"<description>AT&amp;T {body}</description></item>"
        for n, body in enumerate(entries, start=1)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title>'
        f"<link>https://harbour.example/</link>{items}</channel></rss>"
    )


def test_a_feed_over_the_limit_is_read_entry_by_entry(tmp_path: Path) -> None:
    """Before: the whole feed failed ("file too large")."""
    bodies = ["The pier reopened on Monday. " * (300 if n == 4 else 10) for n in range(1, 13)]
    (tmp_path / "f.rss").write_text(rss(bodies))
    items = list(read_inputs([str(tmp_path / "f.rss")], LIMIT))
    assert [i.locator.rsplit("#", 1)[1] for i in items] == [f"item{n}" for n in range(1, 13)]
    assert items[3] == ReadFailure(
        f"{tmp_path / 'f.rss'}#item4", "record too large (over 1500 bytes)"
    )
    documents = [i for i in items if isinstance(i, RawDocument)]
    assert len(documents) == 11
    assert all(d.outlet == "harbour.example" and d.content.startswith("AT&T ") for d in documents)
    assert [d.title for d in documents[3:5]] == ["Pier 5", "Pier 6"]


def test_an_atom_feed_over_the_limit_is_read_entry_by_entry(tmp_path: Path) -> None:
    entries = "".join(
        f'<entry><title>Pier {n}</title><link href="https://harbour.example/{n}"/>'
        f'<content type="html">&lt;p&gt;{"The pier reopened. " * 20}&lt;/p&gt;</content></entry>'
        for n in range(1, 9)
    )
    feed = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour</title>'
        f'<link href="https://harbour.example/"/>{entries}</feed>'
    )
    (tmp_path / "f.atom").write_text(feed)
    items = list(read_inputs([str(tmp_path / "f.atom")], LIMIT))
    assert [(i.title, i.url) for i in items if isinstance(i, RawDocument)] == [
        (f"Pier {n}", f"https://harbour.example/{n}") for n in range(1, 9)
    ]


def test_a_malformed_feed_over_the_limit_keeps_the_entries_before_the_damage(
    tmp_path: Path,
) -> None:
    text = rss(["The pier reopened on Monday. " * 10 for _ in range(10)])
    (tmp_path / "f.rss").write_text(text[: len(text) // 2] + "<oops")
    items = list(read_inputs([str(tmp_path / "f.rss")], LIMIT))
    assert all(isinstance(i, RawDocument) for i in items[:-1]) and len(items) > 3
    assert isinstance(items[-1], ReadFailure) and items[-1].reason.startswith("malformed feed")


@pytest.mark.model
def test_extract_applies_the_per_document_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: `newstrace extract` extracted an article of any length (ingest refused it)."""
    (tmp_path / "a.txt").write_text("Pier\n\nThe harbour board of Port Elsin met on Tuesday.\n")
    (tmp_path / "b.txt").write_text("Long\n\n" + LINE * 200)
    monkeypatch.setenv("NEWSTRACE_MAX_DOCUMENT_CHARS", "5000")
    assert main(["extract", "--json", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["article"]["title"] for line in out.splitlines()] == ["Pier"]
    assert re.fullmatch(
        rf"newstrace: failed: {re.escape(str(tmp_path / 'b.txt'))}: article text too long "
        r"\(\d\d,\d{3} characters > max_document_chars 5,000\)\n",
        err,
    )
