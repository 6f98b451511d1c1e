"""A per-document budget: a huge or pathological document fails alone, the batch goes on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newstrace.cli.main import main
from newstrace.ingest.worker import ExtractBatch, Prepared
from newstrace.models import Article, ReadFailure
from newstrace.settings import Settings

STORY = "Pier vote {n}\n\nThe harbour board of Port Elsin met on Tuesday to vote on pier {n}.\n"
PARAGRAPH = "<p>The harbour board of Port Elsin met on Tuesday, said Mira Tolvan.</p>\n"
QUOTE = '"The boats left the harbour of Port Elsin on Tuesday," said Mira Tolvan. '


def ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    db = str(tmp_path / "t.db")
    assert main(["--db", db, "ingest", "--no-extract", "--json", str(tmp_path / "in")]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return result


def test_a_page_slow_to_clean_fails_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 20 MB page took 73 s, and a small good file given first waited for it. This
    page of repeated paragraphs takes trafilatura about 3 s on a quiet machine, a dozen
    times the budget (a page of 8,000 took 0.8 s there, under the old 1 s budget)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(STORY.format(n=1))
    slow = "<html><body><article>" + PARAGRAPH * 30000 + "</article></body></html>"
    (tmp_path / "in" / "b.html").write_text(slow)
    (tmp_path / "in" / "c.txt").write_text(STORY.format(n=3))
    monkeypatch.setenv("NEWSTRACE_DOCUMENT_TIMEOUT", "0.25")
    result = ingest(tmp_path, capsys)
    assert result["new"] == 2
    assert result["failed"] == [
        {
            "input": str(tmp_path / "in" / "b.html"),
            "reason": "cleaning took longer than 0.25s (document_timeout)",
        }
    ]


def test_an_overlong_article_fails_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 952 K-character article took 98 s and 3.3 GB to extract."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(STORY.format(n=1))
    (tmp_path / "in" / "b.txt").write_text("Long\n\n" + QUOTE * 200)
    monkeypatch.setenv("NEWSTRACE_MAX_DOCUMENT_CHARS", "10000")
    result = ingest(tmp_path, capsys)
    assert result["new"] == 1
    (failure,) = result["failed"]  # type: ignore[misc]
    assert failure["input"] == str(tmp_path / "in" / "b.txt")
    assert re.fullmatch(
        r"article text too long \(14,\d{3} characters > max_document_chars 10,000\)",
        failure["reason"],
    )


@pytest.mark.model
def test_an_article_slow_to_extract_fails_alone_and_its_batch_goes_on() -> None:
    # The budget is a small fraction of the slow article's parse (several seconds even on
    # a fast machine with a warm pipeline), so the outcome does not depend on load.
    worker = ExtractBatch(Settings(document_timeout=1.0))
    small = Article(
        id="s", text="The harbour board of Port Elsin met on Tuesday, Mira Tolvan said."
    )
    slow = Article(id="b", text=QUOTE * 6000)
    batch = [
        Prepared(small, "h1", False),
        Prepared(slow, "h2", False),
        Prepared(small, "h3", False),
    ]
    first, middle, last = worker.process(batch)
    assert not isinstance(first, ReadFailure) and not isinstance(last, ReadFailure)
    assert middle == ReadFailure("b", "extraction took longer than 1s (document_timeout)")
