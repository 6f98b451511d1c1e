"""Speakers and quote boundaries through the real pipeline, on fictional passages."""

from __future__ import annotations

import pytest

from newstrace.extract.claims.speakers import resolve_speakers
from newstrace.extract.entities import extract_entities
from newstrace.extract.pipeline import extract_record
from newstrace.models import Article, Claim, Record, Span, Speaker
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

pytestmark = pytest.mark.model


def _record(text: str, settings: Settings | None = None) -> Record:
    doc = load_pipeline(Settings())(text)
    return extract_record(Article(id="a-test", text=text), doc, settings)


def _claims(text: str, settings: Settings | None = None) -> list[Claim]:
    return list(_record(text, settings).claims)


def _said(text: str) -> list[tuple[str, str]]:
    """(speaker as written, content without its final full stop) of each claim."""
    return [(c.speaker.text, c.content.text.rstrip(".")) for c in _claims(text)]


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
    quotes = [
        (c.speaker.text.split(",")[0], c.content.text)
        for c in _claims(text)
        if c.kind == "direct_quote"
    ]
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


def _names(text: str) -> list[tuple[str | None, bool]]:
    """(resolved name, unresolved) of each claim's speaker."""
    return [(c.speaker.name, c.speaker.unresolved) for c in _claims(text)]


def test_pronouns_resolve_by_gender_to_the_named_person() -> None:
    text = (
        "Defence Minister Petra Holm met the envoy, Tomas Brandt, in Valdor on Monday. "
        "She said the border would stay open. "
        "Brandt said the talks had gone well. He said a second round would follow."
    )
    assert _names(text) == [
        ("Petra Holm", False),
        ("Tomas Brandt", False),
        ("Tomas Brandt", False),
    ]


def test_he_never_resolves_to_an_outlet_written_in_capitals_that_spoke_before() -> None:
    """A one-word organisation that spoke ("Warren said") may be the person "he" stands
    for; one written in capitals (an outlet: "NORTHGATE reported") is not."""
    text = (
        "Mayor Tomas Vey faced new questions on Tuesday, after NORTHGATE reported that "
        "three complaints had been filed against him. He denied the charges and accused "
        "his rivals of lying."
    )
    assert _names(text) == [("NORTHGATE", False), ("Tomas Vey", False), ("Tomas Vey", False)]


def test_a_title_resolves_to_the_person_with_that_role() -> None:
    text = (
        "Defence Minister Petra Holm visited the bridge at Lisk on Tuesday. "
        "Two reporters travelled with her. "
        "The minister said the army had been placed on a higher state of readiness."
    )
    assert _names(text) == [("Petra Holm", False)]


def test_it_resolves_to_the_organisation_and_their_to_the_group() -> None:
    text = (
        "The Valdor Port Authority said the ferry would sail on Friday. "
        "It said the strike had cost the port two days of trade."
    )
    claims = _claims(text)
    assert [c.speaker.name for c in claims] == ["Valdor Port Authority"] * 2
    assert claims[1].speaker.text == "It"


def test_nameless_and_unmatched_pronoun_speakers_are_unresolved_never_shown() -> None:
    text = (
        "Reports said the ferry had sunk near the harbour wall. It said the crew had been rescued."
    )
    speakers = [c.speaker for c in _claims(text)]
    assert speakers and all(s.unresolved and s.name is None for s in speakers)
    assert {s.label() for s in speakers} == {"unresolved"}


def test_a_person_known_by_a_last_name_is_shown_by_the_full_name() -> None:
    text = (
        "Lena Orsk, a defence analyst in Valdor, studies the river crossings. "
        "“Bridging equipment is the detail that matters,” Orsk said."
    )
    assert [c.speaker.name for c in _claims(text)] == ["Lena Orsk"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("» Mira Sell said the ferries would sail again on Friday.", "Mira Sell"),
        ("• The ministry said the ferries would sail again on Friday.", "The ministry"),
    ],
)
def test_leading_symbols_are_cut_from_the_speaker(text: str, speaker: str) -> None:
    assert [c.speaker.text for c in _claims(text)] == [speaker]


def test_a_phrase_that_cannot_speak_is_no_source() -> None:
    text = "The way forward, the way said, is a new bridge over the river."
    assert all(c.speaker.text != "the way" for c in _claims(text))


def test_a_sentence_glued_to_an_abbreviation_starts_with_its_own_word() -> None:
    text = "Ana Roy met officials from the U.S.He said the deal would hold."
    claims = _claims(text, Settings(extractor="rules"))
    assert [(c.speaker.text, c.speaker.name) for c in claims] == [("He", "Roy")]


def test_a_speaker_headed_by_a_lone_possessive_mark_keeps_that_token() -> None:
    from newstrace.extract.claims.speakers import speaker_span

    doc = load_pipeline(Settings())("The minister's said the bridge was closed.")
    mark = next((t for t in doc if t.tag_ == "POS"), None)
    assert mark is not None
    first, last = speaker_span(mark)
    assert first <= mark.i <= last


def _resolved_speaker(text: str, speaker: str, at: str) -> Speaker:
    """The speaker `speaker` (first found after `at`) of a claim on the rest of the
    sentence, as `resolve_speakers` resolves it."""
    doc = load_pipeline(Settings())(text)
    start = text.index(speaker, text.index(at))
    end = start + len(speaker)
    claim = Claim(
        id="c1",
        kind="indirect",
        speaker=Speaker(speaker, start, end),
        content=Span(end + 6, len(text) - 1, text[end + 6 : len(text) - 1]),
        cue=Span(end + 1, end + 5, text[end + 1 : end + 5]),
    )
    (resolved,) = resolve_speakers(doc, [claim], extract_entities(doc), drop_non_sources=True)
    return resolved.speaker


def test_a_relative_pronoun_speaker_is_the_noun_it_describes() -> None:
    text = "Reporters called the Valdor Port Authority, which said the ferry would sail."
    speaker = _resolved_speaker(text, "which", "Authority")
    assert (speaker.text, speaker.name) == ("which", "Valdor Port Authority")


def test_a_stray_function_word_speaker_is_never_shown() -> None:
    text = "The ferry sank near Lisk and said the crew had been rescued."
    speaker = _resolved_speaker(text, "and", "Lisk")
    assert speaker.unresolved and speaker.name is None and speaker.label() == "unresolved"


def test_a_pronoun_with_a_clitic_resolves_like_the_pronoun() -> None:
    text = "Defence Minister Petra Holm met the envoy on Monday. She’s said the border is open."
    speaker = _resolved_speaker(text, "She’s", "Monday")
    assert (speaker.name, speaker.unresolved) == ("Petra Holm", False)


@pytest.mark.parametrize("extractor", ["model", "rules"])
def test_a_quote_with_its_own_attribution_is_not_the_previous_quote_s_tail(extractor: str) -> None:
    text = "“I love you,” he said. “You saved the ferry,” Mira Holt said."
    claims = _claims(text, Settings(extractor=extractor))
    assert [(c.speaker.text, c.content.text) for c in claims] == [
        ("he", "I love you"),
        ("Mira Holt", "You saved the ferry"),
    ]


@pytest.mark.parametrize("extractor", ["model", "rules"])
def test_an_acronym_in_brackets_is_dropped_from_the_speaker_not_half_kept(extractor: str) -> None:
    text = "The Institute for Border Studies (IBS), a think tank, said the figure was too high."
    claims = _claims(text, Settings(extractor=extractor))
    assert [c.speaker.text for c in claims] == ["The Institute for Border Studies"]
