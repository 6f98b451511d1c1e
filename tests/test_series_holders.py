"""Figure series keyed by the canonical holder across articles (synthetic records, no
spaCy): one actor's figures are one series however each article names the actor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from analysis_helpers import make_record, save
from newstrace.analysis import ensure_analysed, list_entities, merge_entities
from newstrace.analysis.series import list_series
from newstrace.models import Record
from newstrace.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def _won(article_id: str, holder: str | None, number: str, *, tagged: bool = True) -> Record:
    """An article where `holder` (an entity of it when `tagged`, else a name only; None:
    nobody said) has won `number` delegates, as her campaign said."""
    name = holder or "Nobody"
    text = f"{name} has won {number} delegates, the campaign said."
    people = ((name, "PERSON"),) if tagged and holder else ()
    record = make_record(
        article_id, text, people=people, holder=holder or "",
        claims=(("the campaign", f"{name} has won {number} delegates", "assert",
                 f"{number} delegates|{number}|delegates"),),
    )  # fmt: skip
    figures = tuple(
        replace(f, holder=("e1" if people else None), holder_name=holder, predicate="won")
        for f in record.figures
    )
    return replace(record, figures=figures)


def _series(store: Store) -> dict[str, int]:
    return {s.key: s.points for s in list_series(store)}


def test_one_actor_named_three_ways_is_one_series(store: Store) -> None:
    save(store, _won("a1", "Brix", "280"))  # analysed alone first: a surname-only entity
    ensure_analysed(store)
    assert _series(store) == {"brix|delegates|won|total": 1}
    save(store, _won("a2", "Ada Brix", "300"))
    save(store, _won("a3", "Ada M. Brix", "320"))
    ensure_analysed(store)
    people = [e["name"] for e in list_entities(store) if e["type"] == "PERSON"]
    assert len(people) == 1
    assert _series(store) == {f"{people[0].lower()}|delegates|won|total": 3}


def test_a_merge_joins_the_series_and_an_unknown_holder_joins_none(store: Store) -> None:
    save(store, _won("b1", "Ada Brix", "300"))
    save(store, _won("b2", "Petra Holm", "120"))
    save(store, _won("b3", None, "40"))  # whose: not said
    save(store, _won("b4", "Ines Kova", "75", tagged=False))  # a name the tagger missed
    ensure_analysed(store)
    assert _series(store) == {
        "ada brix|delegates|won|total": 1,
        "petra holm|delegates|won|total": 1,
        "ines kova|delegates|won|total": 1,
    }
    ids = {e["name"]: e["id"] for e in list_entities(store)}
    merge_entities(store, ids["Ada Brix"], ids["Petra Holm"])
    assert _series(store) == {
        "ada brix|delegates|won|total": 2,
        "ines kova|delegates|won|total": 1,
    }


def test_a_figure_given_another_series_key_makes_its_group_changed(store: Store) -> None:
    """A series key changed after its article was analysed (a fuller canonical name seen
    later) marks the figure's claim group changed: its stored contradictions and first
    figure report (by series) are found again, not kept under the old key."""
    from sqlalchemy import select

    from newstrace.store import analysis_queries as q
    from newstrace.store import schema
    from newstrace.store.contradictions import changed_groups

    save(store, _won("c1", "Brix", "280"))
    ensure_analysed(store)
    with store.writing() as conn:
        i = schema.claim_items.c
        article, figure, group = conn.execute(
            select(i.article_id, i.figure_id, i.group_id).where(i.figure_id != "")
        ).one()
        assert group not in changed_groups(conn)
        q.set_series(conn, [(article, figure, "ada brix|delegates|won|total")])
        assert group in changed_groups(conn)
