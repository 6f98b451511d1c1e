"""Entities: gazetteer corrections, alias resolution, roles, metonymy."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newstrace.extract.entities import extract_entities
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
