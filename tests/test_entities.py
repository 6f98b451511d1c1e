"""Entities: gazetteer corrections, alias resolution, roles, metonymy."""

from __future__ import annotations

import re

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newstrace.extract.entities import extract_entities
from newstrace.extract.names import compatible, honorific_sex, middle_initials
from newstrace.models import Entity
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(Settings())


def _by_name(entities: list[Entity], name: str) -> Entity:
    for e in entities:
        if e.name == name:
            return e
    raise AssertionError(f"{name} not in {[e.name for e in entities]}")


@pytest.mark.model
def test_person_aliases_resolve_to_longest_form(nlp: Language) -> None:
    text = "Vladimir V. Putin arrived late. Mr. Putin spoke briefly. Putin then left."
    putin = _by_name(extract_entities(nlp(text)), "Vladimir V. Putin")
    assert putin.type == "PERSON"
    assert {"Mr. Putin", "Putin"} <= set(putin.aliases)
    assert len(putin.mentions) == 3
    for m in putin.mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.model
def test_rank_variants_are_one_person(nlp: Language) -> None:
    text = "General Gerasimov spoke first. Later, Gen. Gerasimov repeated the claim."
    people = [e for e in extract_entities(nlp(text)) if e.type == "PERSON"]
    assert len(people) == 1 and people[0].name == "Gerasimov"


@pytest.mark.model
def test_places_are_never_people(nlp: Language) -> None:
    entities = extract_entities(nlp("Putin left for Kursk and Sumy on Friday."))
    assert _by_name(entities, "Kursk").type in ("GPE", "LOC")
    assert _by_name(entities, "Sumy").type in ("GPE", "LOC")


@pytest.mark.model
def test_apposition_role_and_person_correction(nlp: Language) -> None:
    text = (
        "Hong Min, a North Korea expert at the Korea Institute for National Unification, disagreed."
    )
    hong = _by_name(extract_entities(nlp(text)), "Hong Min")
    assert hong.type == "PERSON"
    assert "North Korea expert at the Korea Institute for National Unification" in hong.roles


@pytest.mark.model
def test_title_prefix_role(nlp: Language) -> None:
    rubio = _by_name(
        extract_entities(nlp("Secretary of State Marco Rubio flew to Riyadh.")), "Marco Rubio"
    )
    assert "Secretary of State" in rubio.roles


@pytest.mark.model
def test_demonym_refers_to_country(nlp: Language) -> None:
    entities = extract_entities(nlp("North Korea sent troops. North Korean soldiers arrived."))
    country = _by_name(entities, "North Korea")
    norp = _by_name(entities, "North Korean")
    assert norp.type == "NORP" and norp.refers_to == country.id


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "metonym", "country"),
    [
        ("Russia massed troops. Moscow denied any plan to attack.", "Moscow", "Russia"),
        ("Russia massed troops. The Kremlin denied any plan to attack.", "Kremlin", "Russia"),
        ("Ukraine was shelled overnight. Kyiv said it would respond.", "Kyiv", "Ukraine"),
    ],
)
def test_metonymy(nlp: Language, text: str, metonym: str, country: str) -> None:
    entities = extract_entities(nlp(text))
    assert _by_name(entities, metonym).refers_to == _by_name(entities, country).id


@pytest.mark.model
def test_metonymy_without_country_mention_stays_null(nlp: Language) -> None:
    entities = extract_entities(nlp("The Kremlin denied the report."))
    assert _by_name(entities, "Kremlin").refers_to is None


@pytest.mark.model
def test_country_variants_are_one_entity(nlp: Language) -> None:
    text = "The United States imposed sanctions. The U.S. said more would follow."
    us = [e for e in extract_entities(nlp(text)) if e.type == "GPE"]
    assert len(us) == 1 and len(us[0].mentions) == 2


# --- people who share a surname (made-up names; entities set by hand, not by spaCy) ----


def _people(nlp: Language, text: str, *names: str) -> Doc:
    """`text` parsed, with every occurrence of `names` (and only those) as PERSON."""
    doc = nlp(text)
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    spans = [doc.char_span(m.start(), m.end(), label="PERSON") for m in re.finditer(pattern, text)]
    doc.ents = [s for s in spans if s is not None]
    return doc


def _aliases_of(entities: list[Entity], alias: str) -> list[tuple[str, ...]]:
    return [e.aliases for e in entities if alias in e.aliases]


def test_names_compatible_only_with_matching_middles_and_suffix() -> None:
    assert compatible(["George", "W.", "Halbrook"], ["George", "Halbrook"])
    assert not compatible(["George", "W.", "Halbrook"], ["George", "H.W.", "Halbrook"])
    assert compatible(["George", "HW", "Halbrook"], ["George", "H.W.", "Halbrook"])
    assert not compatible(["Samuel", "Okoro", "Jr."], ["Samuel", "Okoro"])
    assert compatible(["Okoro"], ["Samuel", "Okoro", "Jr."])
    assert middle_initials(["Ada", "Lyn", "Holm"]) == "l"


def test_honorific_sex() -> None:
    assert honorific_sex(["Mr.", "Holm"]) == "m"
    assert honorific_sex(["Mrs.", "Holm"]) == honorific_sex(["Ms", "Holm"]) == "f"
    assert honorific_sex(["Sen.", "Holm"]) is None
    assert honorific_sex(["Holm"]) is None


@pytest.mark.model
def test_mr_and_mrs_with_one_full_name_are_two_people(nlp: Language) -> None:
    text = (
        "Margaret Holloway opened the hearing. Mrs. Holloway said the budget was sound. "
        "Mr. Holloway, her husband, declined to comment. Later Mrs. Holloway left."
    )
    entities = extract_entities(_people(nlp, text, "Margaret Holloway", "Holloway"))
    margaret = _by_name(entities, "Margaret Holloway")
    assert "Mrs. Holloway" in margaret.aliases and "Mr. Holloway" not in margaret.aliases
    assert _aliases_of(entities, "Mr. Holloway") == [("Mr. Holloway",)]


@pytest.mark.model
def test_honorific_joins_the_full_name_when_it_agrees(nlp: Language) -> None:
    text = "Daniel Ferris spoke. Mr. Ferris said the plan was sound. Ferris then left."
    entities = extract_entities(_people(nlp, text, "Daniel Ferris", "Ferris"))
    daniel = _by_name(entities, "Daniel Ferris")
    assert {"Mr. Ferris", "Ferris"} <= set(daniel.aliases)
    assert len([e for e in entities if e.type == "PERSON"]) == 1


@pytest.mark.model
def test_a_given_name_of_the_other_sex_keeps_mr_apart(nlp: Language) -> None:
    """ "Mr. Holloway" in an article naming only "Margaret Holloway" in full is someone
    else (her husband): her given name is a woman's, as "Michelle Obama" is no "Mr. Obama"."""
    text = "Margaret Holloway opened the hearing. Mr. Holloway, who was there, said nothing."
    entities = extract_entities(_people(nlp, text, "Margaret Holloway", "Holloway"))
    assert "Mr. Holloway" not in _by_name(entities, "Margaret Holloway").aliases
    assert _aliases_of(entities, "Mr. Holloway") == [("Mr. Holloway",)]


@pytest.mark.model
def test_gendered_surname_with_two_full_names_stays_apart(nlp: Language) -> None:
    text = "Daniel Ferris and Laura Ferris arrived. Mrs. Ferris spoke first."
    entities = extract_entities(_people(nlp, text, "Daniel Ferris", "Laura Ferris", "Ferris"))
    assert _aliases_of(entities, "Mrs. Ferris") == [("Mrs. Ferris",)]


@pytest.mark.model
def test_middle_initials_and_suffixes_separate_people(nlp: Language) -> None:
    text = (
        "George W. Halbrook met George H.W. Halbrook on Monday. "
        "Samuel Okoro Jr. and Samuel Okoro came later."
    )
    names = ("George W. Halbrook", "George H.W. Halbrook", "Samuel Okoro Jr.", "Samuel Okoro")
    people = [e for e in extract_entities(_people(nlp, text, *names)) if e.type == "PERSON"]
    assert sorted(e.name for e in people) == sorted(names)


@pytest.mark.model
def test_scores_are_not_part_of_a_name(nlp: Language) -> None:
    text = "Ada Delgado led. The tally read Delgado 42-40 at noon."
    entities = extract_entities(_people(nlp, text, "Ada Delgado", "Delgado 42-40"))
    delgado = _by_name(entities, "Ada Delgado")
    assert delgado.aliases == ("Ada Delgado", "Delgado")
    assert all(text[m.start : m.end] == m.text for m in delgado.mentions)


@pytest.mark.model
def test_a_name_stops_at_a_line_break_and_skips_an_article(nlp: Language) -> None:
    text = "A profile of a Lena Marsh fan.\nBy Ada Delgado\nNORVALE CITY — Officials met."
    doc = _people(nlp, text, "a Lena Marsh", "Ada Delgado\nNORVALE")
    names = sorted(e.name for e in extract_entities(doc) if e.type == "PERSON")
    assert names == ["Ada Delgado", "Lena Marsh"]


def _labelled(nlp: Language, text: str, name: str, label: str) -> Doc:
    """`text` parsed, with `name` labelled `label` as spaCy sometimes does (it does so
    for well-known names: "Obama White House" as PERSON)."""
    doc = nlp(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name), label=label)
    assert span is not None
    doc.ents = [span]
    return doc


@pytest.mark.model
def test_a_name_ending_in_a_building_or_institution_is_no_person(nlp: Language) -> None:
    text = "Officials in the Corvin White House said little."
    entities = extract_entities(_labelled(nlp, text, "Corvin White House", "PERSON"))
    assert [(e.name, e.type) for e in entities] == [("Corvin White House", "ORG")]


@pytest.mark.model
def test_a_person_name_ends_at_a_possessive(nlp: Language) -> None:
    text = "Critics attacked Corvin’s agenda on Tuesday."
    entities = extract_entities(_labelled(nlp, text, "Corvin’s agenda", "PERSON"))
    assert [(e.name, e.type) for e in entities] == [("Corvin", "PERSON")]


@pytest.mark.model
def test_roles_are_never_times_quantities_or_clauses(nlp: Language) -> None:
    text = (
        "Senator Aldo Corvin, the Republican frontrunner who has angered many voters, "
        "spoke at 7:10 p.m. on Monday. Corvin, a former governor of Eastmarch, won. "
        "It was a three-person race between himself and Ilse Varga, 69 million votes."
    )
    roles = [r for e in extract_entities(nlp(text)) for r in e.roles]
    assert not [r for r in roles if any(c.isdigit() for c in r) or " who " in f" {r} "]
    assert not [r for r in roles if "himself" in r or "votes" in r]
