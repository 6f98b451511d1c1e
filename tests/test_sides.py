"""Who a side is shown by, and who shares a side (analysis.sides), on fictional members."""

from __future__ import annotations

import pytest

from newstrace.analysis.groups import Member
from newstrace.analysis.sides import actor, reason, same_side


def _member(speaker: str, actor_name: str | None, actor_id: str | None = None) -> Member:
    return Member(
        "a1", "c1", "", "G1", None, None, "2025-05-02", "a1", speaker, actor_id, (),
        "assert", False, "the ferry to Karsk had been cancelled", 0, 10, "", None, None,
        None, None, None, None, None, None, actor_name=actor_name,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("speaker", "shown"),
    [
        ("she and another reporter", "she and another reporter"),  # a pair is no one actor
        ("Tavel and his lawyers", "Lisk Tavel"),  # the pair names him
        ("Mr. Tavel", "Lisk Tavel"),
    ],
)
def test_a_side_is_shown_by_its_actor_unless_resolved_from_a_pair(speaker: str, shown: str) -> None:
    m = _member(speaker, "Lisk Tavel", "A1")
    assert actor(m) == shown
    denier = _member("The harbour office", None)
    assert reason("denial", [m], [denier]).endswith(
        f"{shown} says the ferry to Karsk had been cancelled"
    )


def test_a_pair_resolved_to_an_actor_is_not_that_actors_side() -> None:
    """ "she and another reporter", resolved to Tavel, does not put the reporters on
    the side of Tavel's own spokesman."""
    pair = _member("she and another reporter", "Lisk Tavel", "A1")
    spokesman = _member("Lisk Tavel", "Lisk Tavel", "A1")
    assert not same_side(pair, spokesman)
    assert same_side(_member("Tavel and his lawyers", "Lisk Tavel", "A1"), spokesman)
