"""Counting the documents of inputs ahead of reading them (the ingest progress bar)."""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newstrace.api import Store


def test_files_folders_and_json_lines_are_counted(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One story.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>Another.</p>")
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n  \n{"text": "z"}')
    (tmp_path / ".hidden.txt").write_text("skipped by the walk")
    assert Store.count_documents(str(tmp_path)) == 5
    assert Store.count_documents([str(tmp_path / "c.jsonl"), str(tmp_path / "a.txt")]) == 4


def test_what_cannot_be_counted_without_reading_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One story.")
    (tmp_path / "feed.rss").write_text("<rss/>")
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n'))
    assert Store.count_documents(str(tmp_path / "feed.rss")) is None
    assert Store.count_documents(str(tmp_path / "d.jsonl.gz")) is None
    assert Store.count_documents(str(tmp_path)) is None
    assert Store.count_documents("-") is None
    assert Store.count_documents("https://news.example/") is None
    assert Store.count_documents(str(tmp_path / "missing.txt")) is None


@given(st.lists(st.sampled_from(['{"text": "a"}', "", "   ", "not json"]), max_size=30))
def test_json_lines_count_is_the_non_blank_lines(
    tmp_path_factory: object, lines: list[str]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.jsonl"
        path.write_text("\n".join(lines))
        assert Store.count_documents(str(path)) == sum(1 for line in lines if line.strip())


def test_the_count_is_the_number_of_progress_steps_of_the_ingest(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The harbour board of Port Elsin met on Tuesday.")
    (tmp_path / "in" / "b.jsonl").write_text(
        '{"id": "b1", "text": "Mira Tolvan spoke."}\nnot json\n{"id": "b2", "text": "Rain."}\n'
    )
    steps: list[str] = []
    with Store.open(tmp_path / "s.db", create=True) as store:
        expected = store.count_documents(str(tmp_path / "in"))
        store.ingest(str(tmp_path / "in"), extract=False, progress=lambda o, _: steps.append(o))
    assert expected == len(steps) == 4
