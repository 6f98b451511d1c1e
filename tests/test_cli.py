"""The command line: output, --json, one-line errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import empty_store_url

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
    wanted = (
        "no-such-id: no article, entity, claim group, figure series, event count, "
        "watched source, alert rule or alert has this id"
    )
    assert err.strip() == f"newstrace: error: {wanted}"
    assert newstrace(store_url, "show", "W7") == 4, "a numbered id that is not there"
    assert "W7: no article" in capsys.readouterr().err


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


READ_COMMANDS = [
    ["articles"], ["claims"], ["entities"], ["figures", "--series"], ["groups"],
    ["contradictions"], ["events"], ["events", "--counts"], ["network"],
    ["timeline", "--about", "x"], ["search", "x"], ["show", "nt-1"],
    ["export", "--format", "jsonl", "--out", "out.jsonl"], ["watch", "list"],
    ["watch", "once"], ["alert", "list"], ["alert", "history"], ["alert", "run"],
    ["entities", "merge", "a", "b"], ["serve", "--port", "1"],
]  # fmt: skip


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_a_mistyped_store_path_is_refused_not_created(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Only ingest, load, watch add and alert add create a store: a typo given to any
    other command must not read (or be served, or be watched) as an empty one."""
    typo = tmp_path / "newstarce.db"
    assert newstrace(typo, *command) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"newstrace: error: {typo}: no such store (a mistyped --db? `newstrace ingest` creates one)"
    ]
    assert not typo.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["watch", "add", "http://127.0.0.1:9/rss.xml", "--kind", "feed", "--allow-private"],
        ["alert", "add", "a", "search", "--query", "x"],
    ],
    ids=" ".join,
)
def test_commands_that_set_a_store_up_create_it(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "new.db"
    assert newstrace(db, *command) == 0
    assert newstrace(db, "articles") == 0


def test_a_postgresql_database_without_a_store_is_refused_untouched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A database that holds no newstrace schema is no store: read commands refuse it
    (exit 4) and create no table; `ingest` creates the schema."""
    from sqlalchemy import create_engine, inspect

    from newstrace.store.engine import database_url

    for url in empty_store_url("postgresql", Path()):
        assert newstrace(url, "claims") == 4
        assert "holds no newstrace store" in capsys.readouterr().err
        engine = create_engine(database_url(url))
        assert inspect(engine).get_table_names() == []
        engine.dispose()


def test_the_python_api_refuses_a_missing_store_unless_asked_to_create(tmp_path: Path) -> None:
    from newstrace.api import Store
    from newstrace.errors import NoSuchStoreError
    from newstrace.reader import Reader

    with pytest.raises(NoSuchStoreError, match="no such store"):
        Reader.open(tmp_path / "missing.db")
    with pytest.raises(NoSuchStoreError, match="no such store"):
        Store.open(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
    (tmp_path / "empty.db").touch()  # a file, but no store in it: refused, left as it was
    with pytest.raises(NoSuchStoreError, match="holds no newstrace store"):
        Store.open(tmp_path / "empty.db")
    assert (tmp_path / "empty.db").stat().st_size == 0
    with Store.open(tmp_path / "new.db", create=True) as store:  # created on purpose
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
