"""Speakers and quote boundaries through the real pipeline, on fictional passages."""

from __future__ import annotations

import pytest

from newstrace.extract.pipeline import extract_record
from newstrace.models import Article, Claim, Record
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

pytestmark = pytest.mark.model


def _record(text: str) -> Record:
    doc = load_pipeline(Settings())(text)
    return extract_record(Article(id="a-test", text=text), doc)


def _claims(text: str) -> list[Claim]:
    return list(_record(text).claims)


def _said(text: str) -> list[tuple[str, str]]:
    """(speaker as written, content) of each claim."""
    return [(c.speaker.text, c.content.text) for c in _claims(text)]


def test_declined_to_say_is_no_claim() -> None:
    text = (
        "Holm said the army had been placed on a higher state of readiness. "
        "The minister declined to say how many troops were deployed in the area."
    )
    assert _said(text) == [("Holm", "the army had been placed on a higher state of readiness")]


def test_would_not_say_whether_is_no_claim() -> None:
    text = "The mayor would not say whether the bridge would reopen this year."
    assert _claims(text) == []


def test_quote_goes_to_its_own_attribution_not_the_previous_speaker() -> None:
    text = (
        "Senator Alva Brandt said party officials were trying to protect the front-runner.\n\n"
        '"If she keeps the lead while the others fight, nobody hears from them. '
        'It also means no rival gets any attention," said Ilse Varga, a former campaign aide. '
        '"That is not a problem for her yet."'
    )
    quotes = [(c.speaker.text, c.content.text) for c in _claims(text) if c.kind == "direct_quote"]
    assert quotes == [
        (
            "Ilse Varga",
            "If she keeps the lead while the others fight, nobody hears from them. "
            "It also means no rival gets any attention",
        ),
        ("Ilse Varga", "That is not a problem for her yet."),
    ]


def test_quote_stops_before_its_attribution() -> None:
    text = (
        "“The rules on river tolls are absurd,” Marek Dunn said at a rally this week. "
        "“I have been saying so for years. But I am working for you now.”"
    )
    claims = _claims(text)
    assert [c.content.text for c in claims] == [
        "The rules on river tolls are absurd",
        "I have been saying so for years. But I am working for you now.",
    ]
    assert {(c.speaker.text, c.cue.text if c.cue else None) for c in claims} == {
        ("Marek Dunn", "said")
    }
    assert all("said" not in c.content.text for c in claims)


@pytest.mark.parametrize(
    ("head", "speaker"),
    [
        ("AP\n\nThe ministry", "The ministry"),
        ("11:05 a.m.\n\nMarek Dunn", "Marek Dunn"),
        ("Updated 9:40 a.m.\n\nThe mayor", "The mayor"),
        ("By Ana Roy\n\nThe harbour authority", "The harbour authority"),
        ("Ferry strike ends\n\nThe union", "The union"),
    ],
)
def test_a_line_break_starts_a_sentence(head: str, speaker: str) -> None:
    text = f"{head} said the ferries would sail again on Friday."
    assert _said(text) == [(speaker, "the ferries would sail again on Friday")]
