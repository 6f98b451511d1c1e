"""The analysis of the demo corpus, as a reader of examples/README.md would state it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newstrace.analysis.contradictions import find_contradictions
from newstrace.analysis.groups import largest_groups
from newstrace.analysis.history import FigurePoint, figure_history
from newstrace.cli.main import main
from newstrace.reader.results import Results
from newstrace.store import Store

pytestmark = pytest.mark.model
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NID_COPIES = {"vws-20250310-nid-estimate", "ngp-20250310-spy-agency-lisk"}


@pytest.fixture(scope="module")
def demo(module_store_url: str) -> Iterator[Store]:
    assert main(["--db", module_store_url, "ingest", "-q", "--json", str(EXAMPLES)]) == 0
    with Store.open(module_store_url) as store:
        yield store


def test_troop_figure_history(demo: Store) -> None:
    points = figure_history(demo, "troops|soldiers", first_only=True)
    texts = [(p.member.figure_text or "").lower() for p in points]
    wanted = ("about 3,000", "nearly 4,500", "at least 4,000", "as many as 6,000")
    order = [texts.index(t) for t in wanted]
    assert order == sorted(order)
    by_text: dict[str, FigurePoint] = {}
    for text, point in zip(texts, points, strict=True):
        by_text.setdefault(text, point)
    assert "Monitoring Mission" in by_text["at least 4,000"].source
    assert "two senior officials" in by_text["as many as 6,000"].source
    assert by_text["nearly 4,500"].member.published == "2025-03-10"
    assert by_text["about 3,000"].member.published == "2025-02-03"
    # the 04-28 recap's "two senior officials ... as many as 6,000" repeats the 04-22 report
    assert texts.count("as many as 6,000") == 1
    # Meridian's "Valdoria's National Intelligence Directorate ... nearly 4,500" (03-14)
    # repeats the NID's report of 03-10: one speaker entity, one value, one series
    assert texts.count("nearly 4,500") == 1
    assert "Monitoring Mission" in by_text["3,000 to 5,000"].source


def test_six_thousand_denied_and_withdrawal_disputed(demo: Store) -> None:
    found = find_contradictions(demo)
    pairs = {
        (c.asserted[0].value, c.disputed_by[0].speaker, c.kind)
        for c in found
        if c.kind in ("denial", "dispute")
    }
    assert (6000.0, "Karsk's foreign ministry", "denial") in pairs
    assert any(v == 1500.0 and kind == "dispute" for v, _, kind in pairs)


# What examples/README.md calls denials, disputes and rejections (its table), the two
# other rejections it tells ("Karsk City rejected the figure", "... rejected that view"),
# and Karsk's own figure against Valdoria's: (kind, who disputes, what is disputed).
DEMO_CONTRADICTIONS = {
    ("denial", "Karsk's foreign ministry", "that it had massed troops near the border town"),
    ("denial", "Karsk's foreign ministry", "the mission's findings."),
    ("denial", "Karsk's foreign ministry", "the NID report."),
    ("denial", "Karsk's foreign ministry", "the report"),
    ("dispute", "Officials in Valdor", "the Karsk account."),
    ("dispute", "Officials in the capital", "the claim"),
    ("denial", "Karsk's defence ministry", "Varga's remarks."),
    ("denial", "Karsk City", "the figure"),
    ("denial", "Karsk City", "that view"),
    ("figure", "Valdoria's defence ministry", "about 3,000"),
}


def test_the_demo_flags_its_denials_and_disputes_with_reasons_and_nothing_else(
    demo: Store,
) -> None:
    found = find_contradictions(demo)
    got = set()
    for c in found:
        for b in c.disputed_by:
            said = (b.figure_text if c.kind == "figure" else b.content) or ""
            wanted = [w for k, who, w in DEMO_CONTRADICTIONS if k == c.kind and who == b.speaker]
            got.add((c.kind, b.speaker, next((w for w in wanted if said.startswith(w)), said)))
        assert c.reason and "None" not in c.reason
        assert c.date is not None and 0 < c.confidence <= 1
    assert got == DEMO_CONTRADICTIONS
    # Karsk denies the 3,000 twice in one article ("denied that it had massed troops",
    # "Karsk City rejected the figure again"): one disagreement, both denials its side B
    massed = [c for c in found if any(b.content == "the figure" for b in c.disputed_by)]
    assert len(massed) == 1 and len(massed[0].disputed_by) == 2
    assert massed[0].reason.startswith("Karsk denies: Valdoria's defence ministry says")
    varga = next(c for c in found if (c.disputed_by[0].content or "").startswith("Varga"))
    assert varga.reason.startswith("Karsk denies: Ana Varga says")
    nid = next(c for c in found if c.disputed_by[0].content == "the NID report.")
    assert "4,500" in (nid.asserted[0].content or "")


def test_wire_story_in_three_copies_is_one_source(demo: Store) -> None:
    groups = largest_groups(demo, None)
    wire = [g for g in groups if {m.article_id for m in g.members} >= NID_COPIES]
    assert wire
    for group in wire:
        roots = {m.root for m in group.members if m.article_id in NID_COPIES}
        copies = {m.article_id for m in group.members if m.root in roots}
        assert len(roots) == 1 and len(copies) == 3
    exact = [g for g in wire if len(g.members) == 3]
    assert exact and all(g.sources == 1 and g.outlets == 3 for g in exact)


def test_exports_round_trip(demo: Store, tmp_path: Path) -> None:
    jsonl = tmp_path / "out.jsonl"
    assert main(["--db", demo.db, "export", "--format", "jsonl", "--out", str(jsonl)]) == 0
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(records) == demo.count_articles()
    claims = sum(len(r["claims"]) for r in records)
    folder = tmp_path / "pq"
    assert main(["--db", demo.db, "export", "--format", "parquet", "--out", str(folder)]) == 0
    assert pq.read_table(folder / "claims.parquet").num_rows == claims
    assert pq.read_table(folder / "articles.parquet").num_rows == len(records)
    first = records[0]
    assert {"article", "entities", "claims", "figures", "times"} <= set(first)
    assert first == demo.record(first["article"]["id"]).to_dict()


def test_commands_run(demo: Store, tmp_path: Path) -> None:
    db = ["--db", demo.db]
    png, graphml = tmp_path / "f.png", tmp_path / "n.graphml"
    assert main([*db, "figures", "--about", "troops", "--plot", str(png), "--json"]) == 0
    assert png.stat().st_size > 1000
    assert main([*db, "network", "--json", "--graphml", str(graphml)]) == 0
    assert "<graphml" in graphml.read_text()
    assert main([*db, "timeline", "--about", "Lisk", "--json"]) == 0
    assert main([*db, "entities", "--search", "Holm", "--json"]) == 0
    assert main([*db, "groups", "--json"]) == 0
    assert main([*db, "contradictions", "--json"]) == 0


def test_contradictions_as_a_table_have_one_row_per_member(demo: Store) -> None:
    pd = pytest.importorskip("pandas")
    found = Results(find_contradictions(demo))
    frame = found.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == sum(len(c.asserted) + len(c.disputed_by) for c in found)
    assert set(frame["side"]) == {"a", "b"}
    assert "side_a" not in frame.columns and "speaker" in frame.columns
    assert str(frame["published"].dtype).startswith("datetime64")
