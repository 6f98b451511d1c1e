"""Stored figure series summaries (`store.series_summaries`): each series' counts and
names, and each claim group's series, kept up to date as articles are added and changed
(synthetic records, no spaCy), on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from analysis_helpers import make_record, save
from newstrace.analysis import ensure_analysed
from newstrace.analysis.history import figure_history
from newstrace.analysis.series import list_series
from newstrace.models import Record
from newstrace.store import Store, group_summaries
from newstrace.store.items import GroupQuery


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def _counted(article_id: str, holder: str, number: str, unit: str, published: str) -> Record:
    """An article where an official says `holder` counted `number` `unit`."""
    text = f"An official said {holder} counted {number} {unit} on Monday."
    return make_record(
        article_id, text, published=published, holder=holder,
        claims=(("An official", f"{holder} counted {number} {unit}", "assert",
                 f"{number} {unit}|{number}|{unit}"),),
    )  # fmt: skip


def _series(store: Store, about: str | None = None) -> dict[str, tuple[int, int, str, str]]:
    return {
        s.key: (s.points, s.articles, s.first or "", s.last or "")
        for s in list_series(store, about)
    }


def _groups_of_series(store: Store, series: str) -> int:
    with store.reading() as conn:
        return group_summaries.group_page(conn, GroupQuery(1, series=series), None)[1]


def test_series_counts_and_names_follow_each_change(store: Store) -> None:
    save(store, _counted("a1", "Karsk", "300", "troops", "2025-01-02"))
    save(store, _counted("a2", "Karsk", "320", "troops", "2025-01-05"))
    save(store, _counted("a3", "Orn", "40", "arrests", "2025-01-03"))
    ensure_analysed(store)
    assert _series(store) == {
        "karsk|troops||total": (2, 2, "2025-01-02", "2025-01-05"),
        "orn|arrests||total": (1, 1, "2025-01-03", "2025-01-03"),
    }
    assert list(_series(store, "KARSK")) == ["karsk|troops||total"]  # by holder, any case
    assert list(_series(store, "arrest|nothing")) == ["orn|arrests||total"]  # by measure
    assert _groups_of_series(store, "troops") == 2 and _groups_of_series(store, "orn") == 1
    # a2 written again: its figure is Orn's arrests now; Karsk's series shrinks, its last
    # report is a1's, and the groups holding troops are one fewer
    save(store, _counted("a2", "Orn", "45", "arrests", "2025-01-05"))
    ensure_analysed(store)
    assert _series(store) == {
        "orn|arrests||total": (2, 2, "2025-01-03", "2025-01-05"),
        "karsk|troops||total": (1, 1, "2025-01-02", "2025-01-02"),
    }
    assert _groups_of_series(store, "troops") == 1 and _groups_of_series(store, "orn") == 2
    # the last troop count gone: the series and its names with it
    save(store, _counted("a1", "Orn", "50", "arrests", "2025-01-02"))
    ensure_analysed(store)
    assert list(_series(store)) == ["orn|arrests||total"]
    assert _series(store, "Karsk") == {} and _groups_of_series(store, "troops") == 0


def test_a_figure_search_reads_a_rare_series_whole(store: Store) -> None:
    """A search naming few figures reads them through their articles: the same history
    as a search reading every figure, first reports and repeats included."""
    for n in range(12):
        holder = "Karsk" if n % 4 == 0 else "Orn"
        save(store, _counted(f"b{n}", holder, str(100 + n % 8), "troops", f"2025-02-{n + 1:02}"))
    ensure_analysed(store)
    whole = figure_history(store, "Karsk", limit=None)
    assert [p.member.article_id for p in whole] == ["b0", "b4", "b8"]
    assert [p.first_report for p in whole] == [True, True, False]  # b8 repeats b0's 100
    assert figure_history(store, "Karsk", limit=2) == whole[-2:]
    assert figure_history(store, "Karsk", first_only=True, limit=5) == whole[:2]
