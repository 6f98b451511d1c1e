"""Which copy of a story came first: dates at the granularity both have, wire credits,
canonical URLs, then the one stored first (never the format it came in)."""

from __future__ import annotations

from newstrace.ingest.linking import before, first_published
from newstrace.store import CopyEvidence


def _copy(cid: str, published: str | None, seq: int, **more: str) -> CopyEvidence:
    return CopyEvidence(
        cid,
        published,
        seq,
        more.get("outlet"),
        more.get("author"),
        more.get("url"),
        more.get("ends", ""),
    )


def test_a_time_of_day_does_not_beat_a_date_alone_of_the_same_day() -> None:
    page = _copy("page", "2025-03-10T09:00:00Z", 1)
    wire = _copy("wire", "2025-03-10", 2)
    assert not before(page, wire) or not before(wire, page)
    assert first_published([page, wire]) == "page"  # a tie: the one stored first
    assert (
        first_published(
            [_copy("late", "2025-03-10T18:00", 1), _copy("early", "2025-03-10T08:00", 2)]
        )
        == "early"
    )
    assert (
        first_published([_copy("next", "2025-03-11T00:10", 1), _copy("day", "2025-03-10", 2)])
        == "day"
    )


def test_undated_copies_come_last() -> None:
    assert first_published([_copy("undated", None, 1), _copy("dated", "2025-03-12", 2)]) == "dated"


def test_a_copy_crediting_the_other_outlet_ran_its_story() -> None:
    wire = _copy("wire", "2025-03-10", 2, outlet="Valdoria Wire Service")
    byline = _copy(
        "paper",
        "2025-03-10T16:05",
        1,
        outlet="Borderlands Daily",
        author="M. Stoll, Valdoria Wire Service",
    )
    dateline = _copy(
        "paper2", "2025-03-10", 1, outlet="Northgate Post", ends="LISK, March 10 (VWS) - Troops ..."
    )
    note = _copy(
        "paper3",
        "2025-03-10",
        1,
        outlet="Northgate Post",
        ends="... Copyright Valdoria Wire Service.",
    )
    for copy in (byline, dateline, note):
        assert first_published([copy, wire]) == "wire"
    assert (
        first_published([_copy("early", "2025-03-09", 3, author="Valdoria Wire Service"), wire])
        == "early"
    )


def test_a_canonical_url_on_the_other_site_points_at_the_original() -> None:
    original = _copy(
        "orig",
        "2025-03-14",
        2,
        outlet="meridianherald.example",
        url="https://meridianherald.example/a",
    )
    scraped = _copy(
        "scraped",
        "2025-03-14",
        1,
        outlet="newsbuzz24.example",
        url="https://meridianherald.example/a",
    )
    assert first_published([scraped, original]) == "orig"
