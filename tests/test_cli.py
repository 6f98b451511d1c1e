"""The command line: output, --json, one-line errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.cli.main import main


def newstrace(db: str | Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def ingest_stories(db: str | Path, story_dir: Path) -> None:
    assert newstrace(db, "ingest", "--no-extract", "--quiet", str(story_dir)) == 0


def test_ingest_summary_json(
    store_url: str, story_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert newstrace(store_url, "ingest", "--no-extract", "--json", str(story_dir)) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["new"] == 3 and summary["failed"] == []
    assert len(summary["near_duplicates"]) == 1
    assert newstrace(store_url, "ingest", "--no-extract", "--json", str(story_dir)) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["unchanged"] == 3 and again["new"] == 0


def test_articles_listing_search_and_json(
    store_url: str,
    story_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    ingest_stories(store_url, story_dir)
    capsys.readouterr()
    assert newstrace(store_url, "articles", "--search", "flour prices", "--json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["title"] for a in lines] == ["Grain prices rise in Valdor markets"]
    assert newstrace(store_url, "articles") == 0
    table = capsys.readouterr().out
    assert "3 articles" in table and "Karsk moves artillery" in table


def test_show_prints_text_removed_junk_and_copies(
    store_url: str, story_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest_stories(store_url, story_dir)
    capsys.readouterr()
    assert newstrace(store_url, "articles", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    copy = next(r for r in rows if r["duplicate_of"])
    assert newstrace(store_url, "show", copy["id"]) == 0
    out = capsys.readouterr().out
    assert "Lisk river" in out and "removed by cleaning" in out and "copies" in out
    assert newstrace(store_url, "show", copy["id"], "--json") == 0
    record = json.loads(capsys.readouterr().out)
    assert record["article"]["duplicate_of"] == copy["duplicate_of"]
    assert record["copies"][0]["id"] == copy["duplicate_of"]
    assert any(r["text"] == "Advertisement" for r in record["article"]["removed"])


def test_missing_article_is_one_line_and_exit_4(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert newstrace(store_url, "show", "no-such-id") == 4
    err = capsys.readouterr().err
    wanted = "no-such-id: no article, entity, claim group, figure series or event count has this id"
    assert err.strip() == f"newstrace: error: {wanted}"


def test_all_inputs_failing_exits_non_zero(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.txt"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert newstrace(store_url, "ingest", "--no-extract", str(missing), str(empty)) == 1
    err = capsys.readouterr().err
    assert "nope.txt" in err and "empty.txt" in err and "Traceback" not in err


def test_some_inputs_failing_still_exits_zero(
    tmp_path: Path, store_url: str, story_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert newstrace(store_url, "ingest", "--no-extract", str(story_dir), str(empty)) == 0
    assert "empty.txt" in capsys.readouterr().err


def test_bad_date_and_bad_store_are_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "--published", "last tuesday", "x.txt"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 50)
    assert main(["--db", str(junk), "articles"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "junk.db" in err


def test_help_reads_well(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("ingest", "extract", "articles", "show", "claims"):
        assert command in out


@pytest.mark.parametrize(
    "command", [["articles"], ["claims"], ["entities"], ["figures", "--series"], ["groups"]]
)
def test_a_mistyped_store_path_is_refused_not_created(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading commands never create a store: a typo must not read as an empty one."""
    typo = tmp_path / "newstarce.db"
    assert newstrace(typo, *command) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"newstrace: error: {typo}: no such store (a mistyped --db? `newstrace ingest` creates one)"
    ]
    assert not typo.exists()


def test_the_python_api_refuses_a_missing_store_only_when_asked(tmp_path: Path) -> None:
    from newstrace.api import Store
    from newstrace.errors import StoreError
    from newstrace.reader import Reader

    with pytest.raises(StoreError, match="no such store"):
        Reader.open(tmp_path / "missing.db")
    with pytest.raises(StoreError, match="no such store"):
        Store.open(tmp_path / "missing.db", create=False)
    with Store.open(tmp_path / "new.db") as store:  # writing: created on purpose
        assert store.count_articles() == 0
    with Reader.open(tmp_path / "new.db") as reader:
        assert reader.count_articles() == 0


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--since", "2025-04", "--until", "2025-03"], "since 2025-04 is after until 2025-03"),
        (["--since", "2016-13-01"], "'2016-13-01' is not a date"),
    ],
)
def test_impossible_date_ranges_are_refused(
    store_url: str, args: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert newstrace(store_url, "claims", *args) == 2
    assert reason in capsys.readouterr().err
