"""Claims: quotes, reported speech, speakers, source chains, stance and hedging."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newstrace.extract.claims import extract_claims
from newstrace.extract.claims.common import split_at_attribution
from newstrace.extract.claims.quotes import find_quotes
from newstrace.extract.entities import extract_entities
from newstrace.models import Claim
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(Settings())


def _claims(nlp: Language, text: str) -> list[Claim]:
    doc = nlp(text)
    claims = split_at_attribution(doc, extract_claims(doc, extract_entities(doc)))
    for c in claims:
        assert text[c.content.start : c.content.end] == c.content.text
    return claims


def _only(nlp: Language, text: str) -> Claim:
    claims = _claims(nlp, text)
    assert len(claims) == 1, claims
    return claims[0]


def test_quotes_straight_curly_and_across_paragraphs() -> None:
    text = 'He said "yes." She said “no.”\n\n“First part,\n\n“second part,” he said.'
    found = [text[q.start : q.end] for q in find_quotes(text)]
    assert found == ["yes.", "no.", "First part,\n\n“second part,"]


def test_unclosed_quote_skips_only_its_paragraph() -> None:
    text = 'He said "this never closes.\n\nShe said "fine."'
    assert [text[q.start : q.end] for q in find_quotes(text)] == ["fine."]


@pytest.mark.model
def test_direct_quote_after_cue(nlp: Language) -> None:
    c = _only(nlp, 'The mayor, Lena Ortiz, said on Friday that "the water is safe to drink."')
    assert c.kind == "direct_quote" and c.cue is not None and c.cue.text == "said"
    assert c.content.text == "the water is safe to drink."
    assert c.speaker.text == "The mayor" or "Lena Ortiz" in c.speaker.text


@pytest.mark.model
def test_direct_quote_before_cue_curly(nlp: Language) -> None:
    c = _only(nlp, "“We will not retreat,” Colonel Dara Fenn said.")
    assert c.kind == "direct_quote" and c.content.text == "We will not retreat"
    assert "Dara Fenn" in c.speaker.text and c.speaker.entity_id is not None


@pytest.mark.model
def test_split_quote_is_two_claims_of_one_cue(nlp: Language) -> None:
    text = "“The ceasefire is holding,” the envoy said, “but it is fragile.”"
    claims = _claims(nlp, text)
    assert [c.content.text for c in claims] == ["The ceasefire is holding", "but it is fragile."]
    assert {(c.kind, c.speaker.text, c.cue.text if c.cue else None) for c in claims} == {
        ("direct_quote", "the envoy", "said")
    }


@pytest.mark.model
def test_two_coordinated_that_clauses_are_two_claims_of_one_cue(nlp: Language) -> None:
    """Each clause is a proposition another article may state alone; a clause inside
    another's ("knew that A and that B") and a pronoun "that" ("and that was final")
    are not cut."""
    text = (
        "Ilse Varn said the ferry had been overloaded and that its captain had ignored the "
        "storm warning. Teo Brandl said the port was closed and that was final."
    )
    claims = _claims(nlp, text)
    assert [c.content.text.rstrip(".") for c in claims] == [
        "the ferry had been overloaded",
        "its captain had ignored the storm warning",
        "the port was closed and that was final",
    ]
    assert claims[0].cue is not None and claims[1].cue is not None
    assert claims[0].cue.start == claims[1].cue.start
    assert claims[0].speaker.text == claims[1].speaker.text == "Ilse Varn"


@pytest.mark.model
def test_quote_after_colon(nlp: Language) -> None:
    claims = _claims(nlp, "Mr. Tal told the council: “The budget is already spent.”")
    assert any(
        c.kind == "direct_quote" and "budget is already spent" in c.content.text for c in claims
    )


@pytest.mark.model
def test_partial_quote_is_mixed(nlp: Language) -> None:
    c = _only(nlp, 'The minister said the offensive had achieved "complete success" in the east.')
    assert c.kind == "mixed" and "complete success" in c.content.text


@pytest.mark.model
def test_continuing_quote_keeps_speaker(nlp: Language) -> None:
    text = (
        "“We lost the bridge,” said Pavel Orlan, a local commander. "
        "“The town is next unless reinforcements arrive.”"
    )
    claims = _claims(nlp, text)  # the quote after the cue's sentence goes on with Orlan
    assert [c.speaker.text for c in claims] == ["Pavel Orlan", "Pavel Orlan"]
    assert claims[1].content.text == "The town is next unless reinforcements arrive."


@pytest.mark.model
def test_scare_quotes_are_not_claims(nlp: Language) -> None:
    assert _claims(nlp, 'The so-called "peace plan" was published on Monday.') == []


@pytest.mark.model
def test_author_statement_is_not_a_claim(nlp: Language) -> None:
    assert _claims(nlp, "The river rose two meters overnight and flooded the village.") == []


@pytest.mark.model
def test_indirect_reported_speech(nlp: Language) -> None:
    c = _only(nlp, "The spokesman said the talks would resume next week.")
    assert c.kind == "indirect" and c.content.text == "the talks would resume next week"


@pytest.mark.model
def test_cue_after_content(nlp: Language) -> None:
    c = _only(nlp, "The convoy was hit near the border, military officials said.")
    assert c.content.text == "The convoy was hit near the border"
    assert c.speaker.text == "military officials" and c.speaker.entity_id is None


@pytest.mark.model
def test_according_to(nlp: Language) -> None:
    c = _only(nlp, "According to the health ministry, 40 patients were evacuated.")
    assert c.kind == "according_to" and c.speaker.text == "the health ministry"
    assert c.content.text == "40 patients were evacuated"


@pytest.mark.model
def test_statement_said(nlp: Language) -> None:
    c = _only(nlp, "The ministry's statement said the strike hit a fuel depot.")
    assert c.speaker.text == "The ministry" and c.content.text == "the strike hit a fuel depot"


@pytest.mark.model
def test_pronoun_speaker_resolves(nlp: Language) -> None:
    claims = _claims(nlp, "Marta Ilic visited the front. She said the soldiers were exhausted.")
    assert claims[0].speaker.text == "She" and claims[0].speaker.entity_id is not None


@pytest.mark.model
def test_definite_role_speaker_resolves(nlp: Language) -> None:
    text = "Yuri Bel met the press. The official said supplies were running low."
    c = _only(nlp, text)
    assert c.speaker.text == "The official" and c.speaker.entity_id is not None


@pytest.mark.model
def test_quoted_as_saying_chain(nlp: Language) -> None:
    c = _only(nlp, "Lawmakers quoted the spy agency as saying that the troops had been sent.")
    assert c.speaker.text == "the spy agency"
    assert [link.text for link in c.source_chain] == ["Lawmakers", "the spy agency"]


@pytest.mark.model
def test_state_media_said_kim_said(nlp: Language) -> None:
    c = _only(nlp, "State media said Kim said the missile test was a success.")
    assert c.content.text == "the missile test was a success"
    assert [link.text for link in c.source_chain] == ["State media", "Kim"]


@pytest.mark.model
def test_citing(nlp: Language) -> None:
    claims = _claims(nlp, "The talks have stalled, Reuters reported, citing two U.S. officials.")
    chains = [[link.text for link in c.source_chain] for c in claims]
    assert ["Reuters", "two U.S. officials"] in chains


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The army denied that it had shelled the market.", "deny"),
        ("The government rejected the report.", "deny"),
        ("Local officials disputed the figure.", "dispute"),
        (
            "Rebels said they had captured the airport. "
            "The claim could not be independently verified.",
            "unconfirmed",
        ),
        (
            "The ministry declined to confirm the report, which said 30 soldiers died.",
            "unconfirmed",
        ),
        ("The governor confirmed that the dam had burst.", "assert"),
    ],
)
def test_stance(nlp: Language, text: str, stance: str) -> None:
    claims = _claims(nlp, text)
    assert claims and claims[0].stance == stance


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("The spokesman said the bridge may reopen soon.", True),
        ("Analysts estimated that the losses exceeded the gains.", True),
        ("Officials said the attackers were reportedly foreign.", True),
        ("Officials said the general is believed to have fled.", True),
        ("The spokesman said the bridge reopened.", False),
    ],
)
def test_hedging(nlp: Language, text: str, hedged: bool) -> None:
    claims = _claims(nlp, text)
    assert claims and claims[0].hedged is hedged


@pytest.mark.model
def test_cue_interrupting_the_clause(nlp: Language) -> None:
    c = _only(nlp, "The orchard, the farmer said, would recover by spring.")
    assert c.speaker.text == "the farmer"
    assert c.content.text == "The orchard, the farmer said, would recover by spring"


@pytest.mark.model
def test_nested_cues_keep_the_outer(nlp: Language) -> None:
    c = _only(nlp, "The bakery says the owner will announce new prices Friday.")
    assert c.speaker.text == "The bakery"
    assert c.content.text == "the owner will announce new prices Friday"


@pytest.mark.model
def test_told_someone_to_do_something(nlp: Language) -> None:
    c = _only(nlp, "The coach told her players to rest before the final.")
    assert c.speaker.text == "The coach" and c.cue is not None and c.cue.text == "told"
    assert c.content.text == "her players to rest before the final"


@pytest.mark.model
def test_urged_object_is_not_the_speaker(nlp: Language) -> None:
    c = _only(nlp, "The mayor urged residents to conserve water.")
    assert c.speaker.text == "The mayor" and c.cue is not None and c.cue.text == "urged"


@pytest.mark.model
def test_belief_and_evidence_cues(nlp: Language) -> None:
    c = _only(nlp, "The survey found that most cyclists wear helmets.")
    assert c.speaker.text == "The survey"
    assert c.content.text == "most cyclists wear helmets"


@pytest.mark.model
def test_dateline_cue_after_content(nlp: Language) -> None:
    text = (
        "MERIDA, Feb 3 (NTW) - Tolvia has moved about 2,000 sheep to the north bank of "
        "the Arlen River near the village of Pell, Tolvia's farming ministry said on Monday."
    )
    c = _only(nlp, text)
    assert c.speaker.text == "Tolvia's farming ministry"
    assert c.content.text.startswith("Tolvia has moved about 2,000 sheep")


@pytest.mark.model
def test_counted_subject_is_not_the_speaker(nlp: Language) -> None:
    text = (
        "Tolvia now has nearly 4,500 soldiers stationed near the border town of Pell, "
        "Tolvia's National Defence Office (NDO) said on Monday."
    )
    c = _only(nlp, text)
    assert c.speaker.text == "Tolvia's National Defence Office"
    assert c.content.text.startswith("Tolvia now has nearly 4,500 soldiers")


@pytest.mark.model
def test_split_quote_across_sentences_stops_before_its_attribution(nlp: Language) -> None:
    text = "“The tide came in fast,” the harbour master said. “Nobody saw it coming.”"
    claims = _claims(nlp, text)
    assert [c.content.text for c in claims] == ["The tide came in fast", "Nobody saw it coming."]
    assert {c.speaker.text for c in claims} == {"the harbour master"}


@pytest.mark.model
def test_dateline_with_em_dash(nlp: Language) -> None:
    text = "PORT ELLIS, Sept. 28 (NTW) — The harbour authority said the ferry would sail on Friday."
    c = _only(nlp, text)
    assert c.speaker.text == "The harbour authority"
    assert c.content.text == "the ferry would sail on Friday"


@pytest.mark.model
def test_dash_signed_quotes(nlp: Language) -> None:
    text = "“The ferry is always late. Nobody cares.” ― Ana Roy “I love this town.” ― Pavel Orlan"
    claims = _claims(nlp, text)
    assert [(c.speaker.text, c.content.text) for c in claims] == [
        ("Ana Roy", "The ferry is always late. Nobody cares."),
        ("Pavel Orlan", "I love this town."),
    ]
    assert claims[0].cue is not None and claims[0].cue.text == "―"
