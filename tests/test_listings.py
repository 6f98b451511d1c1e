"""One listing convention for every CLI listing: a page of the ``page_size`` setting
with "N more" below it, ``--limit``/``--offset``/``--all``, ``--format`` (and
``--json``/``--csv``/``--tsv``), tables that fit 80 columns and wider with ids whole,
and every id a row shows accepted by ``newstrace show``."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from newstrace.cli.main import cli

pytestmark = pytest.mark.model

# each listing, and the heading of the column whose ids lead to `show`
LISTINGS: list[tuple[list[str], str]] = [
    (["articles"], "id"),
    (["articles"], "copy of"),
    (["claims"], "article"),
    (["events"], "article"),
    (["events", "--counts"], "id"),
    (["entities"], "id"),
    (["groups"], r"re:^(G[0-9a-f]{12})  "),
    (["groups"], r"re:  (\S+#[cf]\d+)  "),
    (["contradictions"], r"re:  [AB] \S+  (\S+#[cf]\d+)  "),
    (["figures", "--about", "troops"], "article"),
    (["figures", "--series"], "id"),
    (["timeline", "--about", "troops"], "article"),
    (["network"], "source"),
    (["search", "Karsk troops"], "id"),
    (["search", "Lisk", "--claims"], "article"),
    (["alert", "history"], "article"),
    (["alert", "history"], "id"),
    (["alert", "list"], "id"),
    (["watch", "list"], "id"),
]
WIDTHS = (80, 120, 200)


@pytest.fixture(scope="module")
def demo(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo corpus, extracted by the rules (conftest's `demo_url`), with the alerts
    of a rule following the deployment series (recorded, not delivered), two more rules
    and three watched sources (never fetched)."""
    target = tmp_path_factory.mktemp("alerts") / "alerts.jsonl"
    rule = ["alert", "add", "deploy", "series", "--series", "karsk|troops|deployed|total"]
    run(demo_url, *rule, "--backfill", "--deliver", "file", "--target", str(target))
    run(demo_url, "alert", "add", "lisk", "search", "--query", "Lisk")
    run(demo_url, "alert", "add", "denials", "contradiction", "--entity", "Karsk")
    for n in range(3):
        feed = f"http://127.0.0.1:9/feed{n}.xml"  # port 9: nothing is fetched here
        run(demo_url, "watch", "add", feed, "--kind", "feed", "--allow-private")
    return demo_url


def run(url: str, *args: str, width: int = 80) -> str:
    """What ``newstrace --db URL ARGS`` prints at `width` columns (exit 0 asserted)."""
    result = CliRunner().invoke(cli, ["--db", url, *args], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def column(table: str, heading: str) -> list[str]:
    """The cells of the column headed `heading` in a rich table's rows."""
    lines = table.splitlines()
    head = next(line for line in lines if line.startswith("┃"))
    cells = [c.strip() for c in head.strip("┃").split("┃")]
    if heading not in cells:
        return []
    at = cells.index(heading)
    rows = [line for line in lines if line.startswith("│")]
    return [[c.strip() for c in row.strip("│").split("│")][at] for row in rows]


@pytest.mark.parametrize(
    ("command", "heading"), LISTINGS, ids=lambda x: " ".join(x) if isinstance(x, list) else x
)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_id_a_listing_shows_opens_with_show(
    demo: str, command: list[str], heading: str, width: int
) -> None:
    table = run(demo, *command, "-n", "8", width=width)
    if heading.startswith("re:"):  # lines, not a table: the terminal wraps them
        found_ids = re.findall(heading[3:], table, flags=re.MULTILINE)
    else:
        assert all(len(line) <= width for line in table.splitlines()), "the table fits"
        found_ids = column(table, heading)
    ids = [i for i in found_ids if i and not i.startswith("text:")]
    if heading not in ("copy of",):
        assert ids, f"{command}: the {heading} column is shown at {width} columns"
    for found in dict.fromkeys(i.removesuffix(" (repeat)") for i in ids):
        assert "…" not in found, "ids are never cut"
        shown = run(demo, "show", found, "--json", width=width)
        assert json.loads(shown), found


@pytest.mark.parametrize(
    ("command", "counted", "opened"),
    [
        (["events", "--counts"], "count", "events"),
        (["events", "--counts", "--type", "REJECT"], "count", "events"),
        (["figures", "--series"], "points", "points"),
    ],
    ids=" ".join,
)
def test_a_count_id_opens_what_it_counts(
    demo: str, command: list[str], counted: str, opened: str
) -> None:
    rows = [json.loads(line) for line in run(demo, *command, "-n", "6", "--json").splitlines()]
    assert rows and len({r["id"] for r in rows}) == len(rows), "one id per row"
    for row in rows:
        shown = json.loads(run(demo, "show", row["id"], "--json"))
        assert len(shown[opened]) == row[counted], row
    first = json.loads(run(demo, "show", rows[0]["id"], "--json"))
    if opened == "events":  # the events of that actor, type and month
        cell = first["count"]
        assert {(e["source_name"], e["type"], e["date"][:7]) for e in first["events"]} == {
            (cell["actor"], cell["type"], cell["period"])
        }
    else:  # the whole history of that series
        assert {p["series"]["key"] for p in first["points"]} == {rows[0]["key"]}
    again = [json.loads(line) for line in run(demo, *command, "-n", "6", "--json").splitlines()]
    assert [r["id"] for r in again] == [r["id"] for r in rows], "ids are stable"


@pytest.mark.parametrize(
    ("command", "opened"),
    [(["watch", "list"], "source"), (["alert", "list"], "rule"), (["alert", "history"], "alert")],
    ids=" ".join,
)
def test_a_numbered_id_opens_its_own_row(demo: str, command: list[str], opened: str) -> None:
    """W3, R2, A17: the id a watch or alert listing shows opens that source, rule or
    alert (and the commands that take one accept it)."""
    rows = [json.loads(line) for line in run(demo, *command, "--json").splitlines()]
    shown = column(run(demo, *command, width=80), "id")
    assert rows and len(shown) == len(rows)
    for row, found in zip(rows, shown, strict=True):
        assert re.fullmatch(r"[WRA]\d+", found) and found[1:] == str(row["id"]), found
        assert json.loads(run(demo, "show", found, "--json"))[opened]["id"] == row["id"]
        lower = json.loads(run(demo, "show", found.lower(), "--json"))  # as `alert read` takes it
        assert lower[opened]["id"] == row["id"], found.lower()
    if opened == "alert":
        assert "1 alert(s) marked as read" in run(demo, "alert", "read", shown[0])
        assert json.loads(run(demo, "show", shown[0], "--json"))["alert"]["read"] is True
    if opened == "rule":
        assert json.loads(run(demo, "show", shown[0], "--json"))["rule"]["alerts"]


def test_dates_are_never_wrapped_nor_cut(demo: str) -> None:
    for command, date in ((["articles"], "published"), (["events"], "date")):
        for width in WIDTHS:
            dates = column(run(demo, *command, width=width), date)
            assert dates and all(re.fullmatch(r"\d{4}[0-9A-Z-]*|", d) for d in dates), dates


def test_one_page_with_what_follows(demo: str) -> None:
    everything = [json.loads(line) for line in run(demo, "claims", "--all", "--json").splitlines()]
    assert len(everything) > 50, "the demo has more claims than a page"
    table = run(demo, "claims")
    assert f"claims 1-50 of {len(everything)}; {len(everything) - 50} more: --offset 50" in table
    page = CliRunner().invoke(cli, ["--db", demo, "claims", "-n", "5", "--offset", "5", "--json"])
    assert [json.loads(line) for line in page.stdout.splitlines()] == everything[5:10]
    assert f"claims 6-10 of {len(everything)}" in page.stderr, "the note is on stderr"
    last = run(demo, "claims", "--offset", str(len(everything) - 2))
    assert f"of {len(everything)}" in last and "more" not in last.splitlines()[-1]


def test_page_size_is_the_setting(demo: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", demo, "events", "--json"], env={"NEWSTRACE_PAGE_SIZE": "7"}
    )
    assert len(result.stdout.splitlines()) == 7
    assert "events 1-7 of" in result.stderr


@pytest.mark.parametrize("command", [c for c, _ in LISTINGS[1:]], ids=" ".join)
def test_formats(demo: str, command: list[str]) -> None:
    rows = [json.loads(line) for line in run(demo, *command, "-n", "3", "--json").splitlines()]
    assert rows == [
        json.loads(x) for x in run(demo, *command, "-n", "3", "--format", "json").splitlines()
    ]
    for flag, delimiter in (("--csv", ","), ("--tsv", "\t")):
        text = run(demo, *command, "-n", "3", flag)
        parsed = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
        assert len(rows) == 3 and len(parsed) >= 3  # a contradiction: a row per member
        if command != ["contradictions"]:
            assert len(parsed) == 3
    both = CliRunner().invoke(cli, ["--db", demo, *command, "--json", "--csv"])
    assert both.exit_code == 2 and "choose one output format" in both.output
