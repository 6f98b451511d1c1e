"""Near-duplicate signatures and the LSH index."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conftest import OTHER_STORY, WIRE_STORY, scraped_copy
from newstrace.dedup import (
    DuplicateIndex,
    shingles,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)


def test_shingles_are_lowercased_word_five_grams() -> None:
    assert shingles("One two three four five six") == {
        b"one two three four five",
        b"two three four five six",
    }


def test_short_text_is_one_shingle_and_empty_text_none() -> None:
    assert shingles("Hello there") == {b"hello there"}
    assert shingles("  ,. ") == set()


def test_scraped_copy_matches_and_other_story_does_not() -> None:
    index = DuplicateIndex(threshold=0.5)
    index.add("wire", signature(WIRE_STORY))
    index.add("grain", signature(OTHER_STORY))
    matches = index.matches(signature(scraped_copy(WIRE_STORY)))
    assert [m.article_id for m in matches] == ["wire"]
    assert matches[0].similarity > 0.7


def test_trimmed_wire_copy_still_matches() -> None:
    trimmed = WIRE_STORY.rsplit("\n\n", 1)[0]  # last paragraph cut, as outlets do
    index = DuplicateIndex(threshold=0.5)
    index.add("wire", signature(WIRE_STORY))
    assert [m.article_id for m in index.matches(signature(trimmed))] == ["wire"]


def test_exclude_and_remove() -> None:
    index = DuplicateIndex()
    sig = signature(WIRE_STORY)
    index.add("wire", sig)
    assert index.matches(sig, exclude="wire") == []
    index.remove("wire")
    assert "wire" not in index
    assert index.matches(sig) == []


@given(st.text(max_size=300))
def test_signature_survives_the_store_round_trip(text: str) -> None:
    sig = signature(text)
    assert signature_from_bytes(signature_to_bytes(sig)).jaccard(sig) == 1.0
