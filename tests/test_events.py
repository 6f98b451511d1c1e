"""PLOVER events: types, passives, nominalisations, metonymy, negation, reported events,
magnitudes, and span integrity. Sentences are fictional, written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newstrace.extract.claims import extract_claims
from newstrace.extract.entities import extract_entities
from newstrace.extract.events import extract_events
from newstrace.extract.events.lexicon import load_lexicon
from newstrace.extract.figures import extract_figures
from newstrace.extract.pipeline import extract_record, link
from newstrace.extract.times import extract_times
from newstrace.models import (
    Article,
    Claim,
    Entity,
    Event,
    Figure,
    Record,
    TimeExpression,
    record_from_dict,
)
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(Settings())


Parsed = tuple[list[Event], list[Entity], list[Claim], list[Figure], list[TimeExpression]]


def _parse(nlp: Language, text: str, published: str = "2025-04-28") -> Parsed:
    doc = nlp(text)
    entities = extract_entities(doc)
    claims = extract_claims(doc, entities)
    figures, times = extract_figures(doc), extract_times(doc, published)
    claims, figures = link(doc, claims, figures, times)
    events = extract_events(doc, entities, claims, figures, times)
    for e in events:
        assert text[e.trigger.start : e.trigger.end] == e.trigger.text
        for actor in (e.source, e.target):
            if actor is not None and actor.start is not None:
                assert text[actor.start : actor.end] == actor.text
    return events, entities, claims, figures, times


def _events(nlp: Language, text: str) -> list[Event]:
    return _parse(nlp, text)[0]


def _one(nlp: Language, text: str, kind: str) -> Event:
    found = [e for e in _events(nlp, text) if e.type == kind]
    assert found, (text, _events(nlp, text))
    return found[0]


def _name(entities: list[Entity], eid: str | None) -> str | None:
    return next((e.name for e in entities if e.id == eid), None)


def test_lexicon_uses_only_plover_types() -> None:
    lex = load_lexicon()
    for table in (lex.verbs, lex.nouns):
        for entries in table.values():
            assert {e.type for e in entries} <= PLOVER_TYPES


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kind", "mode"),
    [
        ("Valdoria and Karsk agreed to reopen the border crossing.", "AGREE", None),
        ("The Karsk foreign minister met his Valdorian counterpart in Geneva.", "CONSULT", None),
        ("Premier Ansel Dorn praised the Karsk soldiers for their discipline.", "SUPPORT", None),
        ("The Valdorian government apologized for the border incident.", "CONCEDE", None),
        ("Valdoria sent food and medicine to the refugees in Eastmark.", "AID", None),
        ("Karsk withdrew its troops from the east bank of the river.", "RETREAT", "withdraw"),
        ("The rebels released twelve hostages on Friday.", "RETREAT", "release"),
        ("Valdoria urged Karsk to pull back its armour.", "REQUEST", None),
        ("The ministry accused Karsk of shelling the village.", "ACCUSE", "allege"),
        ("Karsk's defence ministry rejected the figure.", "REJECT", None),
        ("Karsk threatened to attack the bridge.", "THREATEN", "violence"),
        ("Thousands of students protested outside the parliament in Valdor.", "PROTEST", "demo"),
        ("Valdoria expelled two Karsk diplomats on Monday.", "SANCTION", "expel"),
        ("Karsk deployed 3,000 troops near Lisk.", "MOBILIZE", "troops"),
        ("Police arrested forty protesters in Valdor.", "COERCE", "arrest"),
        ("Karsk artillery shelled the town of Orn overnight.", "ASSAULT", "heavy-weapons"),
        ("Investigators from Valdoria will investigate the shooting.", "ACCUSE", "investigate"),
        ("The two navies cooperated on patrols in the Ostra estuary.", "COOPERATE", None),
    ],
)
def test_each_type(nlp: Language, text: str, kind: str, mode: str | None) -> None:
    event = _one(nlp, text, kind)
    assert event.mode == mode


@pytest.mark.model
def test_passive_agent_is_source(nlp: Language) -> None:
    events, entities, *_ = _parse(nlp, "Troops were deployed by North Korea near Kursk.")
    event = next(e for e in events if e.type == "MOBILIZE")
    assert event.source is not None and event.source.country == "PRK"
    assert _name(entities, event.source.entity_id) == "North Korea"


@pytest.mark.model
def test_nominalisation_of_troops(nlp: Language) -> None:
    event = _one(nlp, "The deployment of North Korean troops alarmed Seoul.", "MOBILIZE")
    assert event.trigger.text == "deployment"
    assert event.source is not None
    assert (event.source.country, event.source.sector) == ("PRK", "MIL")


@pytest.mark.model
def test_light_verb_nominal(nlp: Language) -> None:
    event = _one(nlp, "Karsk forces carried out an attack on the bridge.", "ASSAULT")
    assert event.trigger.text == "attack" and event.source is not None
    assert event.source.sector == "MIL"


@pytest.mark.model
def test_metonymy_capital_resolves_to_country(nlp: Language) -> None:
    text = "Russia has denied the report. Moscow criticized Ukraine on Friday."
    events, entities, *_ = _parse(nlp, text)
    event = next(e for e in events if e.type == "ACCUSE")
    assert event.source is not None and event.source.text == "Moscow"
    assert _name(entities, event.source.entity_id) == "Russia"
    assert (event.source.country, event.source.sector) == ("RUS", "GOV")
    assert event.target is not None and event.target.country == "UKR"


@pytest.mark.model
def test_group_actor_from_demonym(nlp: Language) -> None:
    event = _one(nlp, "Ukrainian forces shelled Russian positions near Sumy.", "ASSAULT")
    assert event.source is not None
    assert (event.source.country, event.source.sector) == ("UKR", "MIL")
    assert event.target is not None and event.target.country == "RUS"
    assert event.location is not None


@pytest.mark.model
def test_negation(nlp: Language) -> None:
    event = _one(nlp, "Karsk did not attack the bridge.", "ASSAULT")
    assert event.negated
    assert not _one(nlp, "Karsk attacked the bridge.", "ASSAULT").negated


@pytest.mark.model
def test_reported_event_carries_hedged_claim(nlp: Language) -> None:
    text = "Officials said North Korea may have sent as many as 14,000 troops to Russia."
    events, _, claims, figures, _ = _parse(nlp, text)
    event = next(e for e in events if e.type == "MOBILIZE")
    claim = next(c for c in claims if c.id == event.claim_id)
    assert claim.hedged
    assert event.source is not None and event.source.country == "PRK"
    size = next(f for f in figures if f.id == event.size)
    assert size.value == 14000


@pytest.mark.model
def test_denial_is_reject_with_its_claim(nlp: Language) -> None:
    text = "Karsk's foreign ministry denied that it had massed troops near Lisk."
    events, _, claims, *_ = _parse(nlp, text)
    reject = next(e for e in events if e.type == "REJECT")
    assert reject.source is not None and reject.source.sector == "GOV"
    mobilize = next(e for e in events if e.type == "MOBILIZE")
    claim = next(c for c in claims if c.id == mobilize.claim_id)
    assert claim.stance == "deny"


@pytest.mark.model
def test_dead_and_event_time(nlp: Language) -> None:
    text = "On Saturday, Karsk shelling killed 12 soldiers near Orn."
    events, _, _, figures, times = _parse(nlp, text)
    event = next(e for e in events if e.type == "ASSAULT" and e.dead)
    assert next(f for f in figures if f.id == event.dead).value == 12
    kill = next(e for e in events if e.trigger.text == "killed")
    assert kill.time_id is not None
    assert next(t for t in times if t.id == kill.time_id).value == "2025-04-26"


@pytest.mark.model
def test_future_cooperation_is_agree(nlp: Language) -> None:
    assert _one(nlp, "Valdoria will meet Karsk envoys next week.", "AGREE")
    assert _one(nlp, "Karsk announced it would withdraw its troops.", "CONCEDE")


@pytest.mark.model
def test_speech_is_not_an_event(nlp: Language) -> None:
    assert _events(nlp, "The spokesman said the talks went well.") == []
    assert not _events(nlp, "The ministry declined to comment.")


@pytest.mark.model
def test_record_round_trip_and_validation(nlp: Language) -> None:
    from newstrace.extract.pipeline import extract_record
    from newstrace.extract.validate import validate_record

    text = "Karsk moved artillery toward Lisk. Valdoria condemned the move on Monday."
    record = extract_record(Article("a1", text, published="2025-04-28"), nlp(text))
    assert record.events and validate_record(record) == []
    assert record_from_dict(record.to_dict()) == record
    assert record_from_dict({**record.to_dict(), "events": []}).events == ()
    data = record.to_dict()
    data.pop("events")
    assert record_from_dict(data) == Record(**{**record.__dict__, "events": ()})


YARDSTICK = (
    "Gen. Ana Varga, the army's chief of staff, said on Saturday that \"the bridgehead has "
    'been fully cleared." Officials in the capital disputed the claim, insisting that their '
    "units still held positions there. As many as 2,500 fighters have been killed or wounded "
    "since last June, according to two Western officials who spoke on condition of anonymity. "
    "Mr. Kosta told reporters the deal could collapse, Reuters reported, citing a senior aide."
)


def test_yardstick_passage_events_link_to_their_claims(nlp: Language) -> None:
    """The extraction issue's passage: the dispute is a REJECT by the officials, tied to
    their claim; the casualties are an ASSAULT whose dead figure is the 2,500 and whose
    evidence is the two Western officials' claim."""
    article = Article(id="y", text=YARDSTICK, published="2025-03-10")
    record = extract_record(article, nlp(YARDSTICK))
    claims = {c.id: c for c in record.claims}
    reject = next(e for e in record.events if e.type == "REJECT")
    assert reject.source is not None and reject.source.text.startswith("Officials")
    assert reject.claim_id and claims[reject.claim_id].stance == "dispute"
    assault = next(e for e in record.events if e.type == "ASSAULT" and e.dead)
    figure = next(f for f in record.figures if f.id == assault.dead)
    assert figure.value == 2500
    assert assault.claim_id and claims[assault.claim_id].speaker.text == "two Western officials"


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "released"),
    [
        ("Karsk released 40 prisoners on Tuesday.", True),
        ("Rebels freed two hostages near Lisk.", True),
        ("The institute released a poll on Monday showing Quist ahead.", False),
        ("The ministry released its annual report.", False),
    ],
)
def test_only_people_are_released(nlp: Language, text: str, released: bool) -> None:
    """Releasing a poll or a report is not PLOVER's RETREAT (release of detainees)."""
    assert any(e.type == "RETREAT" for e in _events(nlp, text)) is released
