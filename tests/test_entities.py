"""Entities: gazetteer corrections, alias resolution, roles, metonymy."""

from __future__ import annotations

import re

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

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


def _tagged(nlp: Language, text: str, *ents: tuple[str, str] | tuple[str, str, int]) -> Doc:
    """`text` parsed, with exactly the entities given, as spaCy sometimes tags them: each
    (name, label), or (name, label, offset) for the first occurrence from that offset."""
    doc = nlp(text)
    doc.ents = [_span(doc, text, *ent) for ent in ents]
    return doc


@pytest.mark.model
def test_mrs_after_the_only_woman_named_so_far_is_her(nlp: Language) -> None:
    """ "Mrs. Vantor" said after Odile Vantor alone was named is her, though her husband
    is named later; "Mr. Vantor" is not."""
    text = (
        "Odile Vantor opened a school in Hadra. Mrs. Vantor said it would teach 400 "
        "children. Her husband, Corwin Vantor, did not attend. Mr. Vantor was away."
    )
    entities = extract_entities(_people(nlp, text, "Odile Vantor", "Corwin Vantor", "Vantor"))
    odile = _by_name(entities, "Odile Vantor")
    assert "Mrs. Vantor" in odile.aliases and "Mr. Vantor" not in odile.aliases


@pytest.mark.model
def test_mr_keeps_the_person_an_earlier_mr_was(nlp: Language) -> None:
    """Once "Mr. Halbrook" has been Edric (the only Halbrook named then), a later "Mr.
    Halbrook" after his cousin is named is Edric still."""
    text = (
        "Edric Halbrook hosts the morning show. Mr. Halbrook said he loved it. His cousin "
        "Corwin Halbrook runs a bank. Mr. Halbrook laughed at the idea of joining him."
    )
    entities = extract_entities(_people(nlp, text, "Edric Halbrook", "Corwin Halbrook", "Halbrook"))
    assert _aliases_of(entities, "Mr. Halbrook") == [("Edric Halbrook", "Mr. Halbrook")]
    assert len(_by_name(entities, "Edric Halbrook").mentions) == 3


@pytest.mark.model
def test_stance_words_addresses_and_markup_are_no_entities(nlp: Language) -> None:
    text = (
        "The pro-Vantor crowd cheered. See https://example.org/vantor and </tweet> us. "
        "VantorASSOCIATED PRESSLisk"
    )
    doc = _tagged(
        nlp,
        text,
        ("pro-Vantor", "PERSON"),
        ("https://example.org/vantor", "PERSON"),
        ("us", "GPE"),
        ("VantorASSOCIATED PRESSLisk", "ORG"),
    )
    assert extract_entities(doc) == []


@pytest.mark.model
def test_names_with_a_prefix_or_a_slash_are_entities(nlp: Language) -> None:
    text = "The Non-Aligned Movement met in Lisk. AC/DC played in the Mid-Atlantic town."
    doc = _tagged(
        nlp, text, ("Non-Aligned Movement", "ORG"), ("AC/DC", "ORG"), ("Mid-Atlantic", "LOC")
    )
    names = sorted(e.name for e in extract_entities(doc))
    assert {"AC/DC", "Mid-Atlantic", "Non-Aligned Movement"} <= set(names)


@pytest.mark.model
def test_two_names_joined_by_and_are_two_people(nlp: Language) -> None:
    text = "Halden Brisk and Jory Brisk appeared together in Fenland on Tuesday."
    doc = _tagged(nlp, text, ("Halden Brisk and Jory Brisk", "ORG"))
    people = [e.name for e in extract_entities(doc) if e.type == "PERSON"]
    assert people == ["Halden Brisk", "Jory Brisk"]


@pytest.mark.model
def test_a_name_ends_before_a_headline_verb_or_a_hyphenated_word(nlp: Language) -> None:
    text = (
        "Corwin Vantor Wins a Second Term.\n\nCorwin Vantor thanked voters. "
        "The Jory Brisk-funded campaign lost. Telling Ilse Varga What to Do: a column. "
        "Ilse Varga and George W. Holm replied; W. Holm was brief. Filip De Wilde spoke. "
        "Later De Wilde left."
    )
    doc = _tagged(
        nlp,
        text,
        ("Corwin Vantor Wins", "PERSON"),
        ("Corwin Vantor", "PERSON", 20),
        ("Jory Brisk-funded", "PERSON"),
        ("Telling Ilse Varga", "PERSON"),
        ("Ilse Varga", "PERSON", 130),
        ("George W. Holm", "PERSON"),
        ("W. Holm", "PERSON", 170),
        ("Filip De Wilde", "PERSON"),
        ("De Wilde", "PERSON", text.index("Later")),
    )
    names = sorted(e.name for e in extract_entities(doc))
    assert names == [
        "Corwin Vantor",
        "De Wilde",
        "Filip De Wilde",
        "George W. Holm",
        "Ilse Varga",
        "Jory Brisk",
        "W. Holm",
    ]


def _span(doc: Doc, text: str, name: str, label: str, after: int = 0) -> DocSpan:
    """The first occurrence of `name` in `text` from `after` on, labelled `label`."""
    start = text.index(name, after)
    span = doc.char_span(start, start + len(name), label=label)
    assert span is not None, name
    return span


@pytest.mark.model
def test_a_surname_or_given_name_spacy_missed_is_the_person(nlp: Language) -> None:
    """ "Vantor" opening a sentence, untagged, and "Ilse" tagged a place are the person
    named in full; the "May" of a date is no Ada May, and a known place ("Georgia") is
    no given name."""
    text = (
        "Ilse Vantor met Ada May and Georgia Holm in Georgia. Vantor this week said the "
        "talks in May went well. Ilse smiled. Ada Will agreed. Will voters care?"
    )
    doc = _tagged(
        nlp,
        text,
        ("Ilse Vantor", "PERSON"),
        ("Ada May", "PERSON"),
        ("Georgia Holm", "PERSON"),
        ("Georgia", "GPE", 40),
        ("May", "DATE", 60),
        ("Ilse", "GPE", 80),
        ("Ada Will", "PERSON"),
    )
    entities = extract_entities(doc)
    ilse = _by_name(entities, "Ilse Vantor")
    assert {m.text for m in ilse.mentions} == {"Ilse Vantor", "Vantor"}
    assert _by_name(entities, "Ilse").type == "PERSON"
    assert [m.text for m in _by_name(entities, "Ada May").mentions] == ["Ada May"]
    assert [m.text for m in _by_name(entities, "Ada Will").mentions] == ["Ada Will"]
    assert _by_name(entities, "Georgia").type == "GPE"


@pytest.mark.model
def test_a_party_word_refers_to_the_party_its_article_names(nlp: Language) -> None:
    text = (
        "The Unionist Party met in Hadra. Unionists said the vote was close, and a "
        "Unionist senator agreed. Fenlanders disagreed."
    )
    doc = _tagged(
        nlp,
        text,
        ("Unionist Party", "ORG"),
        ("Unionists", "NORP"),
        ("Unionist", "NORP", 60),
        ("Fenlanders", "NORP"),
    )
    entities = extract_entities(doc)
    party = _by_name(entities, "Unionist Party")
    assert _by_name(entities, "Unionists").refers_to == party.id
    assert _by_name(entities, "Unionist").refers_to == party.id
    assert _by_name(entities, "Fenlanders").refers_to is None


@pytest.mark.model
def test_an_acronym_tagged_once_is_tagged_everywhere_in_its_article(nlp: Language) -> None:
    text = (
        "The Northern Ports Authority (NPA) sued on Saturday. The NPA runs the port of "
        "Lisk. A spokesman for the NPA said the contracts were sound."
    )
    doc = _tagged(nlp, text, ("Northern Ports Authority", "ORG"), ("NPA", "ORG", 90))
    npa = _by_name(extract_entities(doc), "NPA")
    assert len(npa.mentions) == 3


@pytest.mark.model
def test_a_name_the_article_tags_once_is_a_mention_wherever_it_is_written(nlp: Language) -> None:
    """An article-level gazetteer: a name spaCy tags once ("Pate", "Corwin Vantor") is a
    mention where spaCy missed it or took it for a law or a date ("beat Vantor 46 to
    40"), with the title before it ("Mr. Pate"); never inside a longer name ("Pate
    Foundation"), glued to a hyphen ("anti-Vantor"), nor a lower-case word ("state")."""
    text = (
        "How Corwin Vantor Could Win.\n\nCorwin Vantor met Ilse Pate in the state "
        "capital. Pate said Vantor would beat Varga 46 to 40. The Pate Foundation paid "
        "for an anti-Vantor ad in the state. Mr. Pate left in May with Vantor."
    )
    doc = _tagged(
        nlp,
        text,
        ("Corwin Vantor", "PERSON", 20),
        ("Pate", "PERSON", 60),
        ("state", "ORG"),
        ("Vantor would beat Varga 46", "LAW"),
        ("May", "DATE"),
    )
    entities = extract_entities(doc)
    vantor = _by_name(entities, "Corwin Vantor")
    starts = sorted(m.start for m in vantor.mentions)
    assert starts == [4, 30, text.index("Vantor would"), text.rindex("Vantor")]
    # "Ilse Pate", untagged, is named in full by the given name before the tagged
    # surname; "Mr. Pate" is a man, no Ilse.
    ilse = _by_name(entities, "Ilse Pate")
    assert [m.text for m in ilse.mentions] == ["Ilse Pate", "Pate"]
    assert [m.text for m in _by_name(entities, "Pate").mentions] == ["Mr. Pate"]
    assert len(_by_name(entities, "state").mentions) == 1
    assert all("Foundation" not in m.text for e in entities for m in e.mentions)


@pytest.mark.model
def test_a_bare_surname_is_the_person_of_that_name_named_last_in_its_paragraph(
    nlp: Language,
) -> None:
    """A bare surname is the person
    of that surname named in full last in its paragraph; in the next paragraph, or as a
    modifier ("the Vantor team"), or against a pronoun of the other sex in its sentence,
    it is the first one named."""
    text = (
        "Odile Vantor won the primary on Tuesday.\n\nIn 2000, the governor distanced "
        "himself from Peter Vantor. Vantor had a high approval rating. Critics said the "
        "Vantor team erred, and Vantor defended herself.\n\nVantor thanked her voters."
    )
    doc = _tagged(nlp, text, ("Odile Vantor", "PERSON"), ("Peter Vantor", "PERSON"))
    entities = extract_entities(doc)
    peter = _by_name(entities, "Peter Vantor")
    odile = _by_name(entities, "Odile Vantor")
    assert [m.start for m in peter.mentions] == [text.index("Peter"), text.index("Vantor had")]
    assert text.index("Vantor defended") in [m.start for m in odile.mentions]
    assert text.rindex("Vantor") in [m.start for m in odile.mentions]


@pytest.mark.model
def test_agency_acronyms_events_ending_in_a_name_and_initials(nlp: Language) -> None:
    """ "(UPI)" taken for a group of people is the agency; "Liar of the Year Corwin
    Vantor", an EVENT to spaCy, is the person ("Vantor" of the article); a person
    written "C. Aldo Vantor" and "Corwin Vantor" is named "Corwin Vantor"."""
    text = (
        "HADRA, March 3 (UPI) — Critics called him the Liar of the Year Corwin Vantor. "
        "Vantor said C. Aldo Vantor was his legal name."
    )
    doc = _tagged(
        nlp,
        text,
        ("UPI", "NORP"),
        ("the Liar of the Year Corwin Vantor", "EVENT"),
        ("Vantor", "PERSON", text.index("Vantor said")),
        ("C. Aldo Vantor", "PERSON"),
    )
    entities = extract_entities(doc)
    assert _by_name(entities, "UPI").type == "ORG"
    vantor = _by_name(entities, "Corwin Vantor")
    assert vantor.type == "PERSON"
    assert {m.text for m in vantor.mentions} == {"Corwin Vantor", "Vantor", "C. Aldo Vantor"}


@pytest.mark.model
def test_a_person_known_by_an_initial_keeps_the_full_name(nlp: Language) -> None:
    """ "J. Edric Halbrook" and "Halbrook": the name is the full one, though it opens
    with an initial (a given name is preferred only over an initial's full form)."""
    text = "J. Edric Halbrook ran the Hadra port. Halbrook said the cranes were old."
    doc = _tagged(nlp, text, ("J. Edric Halbrook", "PERSON"), ("Halbrook", "PERSON", 30))
    halbrook = _by_name(extract_entities(doc), "J. Edric Halbrook")
    assert {m.text for m in halbrook.mentions} == {"J. Edric Halbrook", "Halbrook"}


@pytest.mark.model
def test_a_titled_surname_several_people_carry_is_no_first_lady(nlp: Language) -> None:
    """In an article about the former first lady Odile Vantor that names George (W.
    Vantor) and Jory (Vantor) too, "President Vantor" is not her, the first Vantor
    named: no Vantor of the article carries the title, so it is a person of its own
    (the cross-article resolution decides by roles); the bracketed surname ("Jory
    (Vantor)") is part of the name."""
    text = (
        "Former first lady Odile Vantor wrote the introduction.\n\nWhen George (W. Vantor) "
        "was president, George marveled at the port.\n\nQ: You stayed on the sidelines, "
        "and so has President Vantor.\n\nA: We got off the sidelines for Jory (Vantor)."
    )
    doc = _tagged(
        nlp,
        text,
        ("Odile Vantor", "PERSON"),
        ("George (W. Vantor", "PERSON"),
        ("Vantor", "PERSON", text.index("Vantor.")),
        ("Jory", "PERSON"),
    )
    entities = extract_entities(doc)
    odile = _by_name(entities, "Odile Vantor")
    assert [m.text for m in odile.mentions] == ["Odile Vantor"]
    assert _by_name(entities, "George W. Vantor").aliases == ("George W. Vantor",)
    jory = _by_name(entities, "Jory Vantor")
    assert [m.text for m in jory.mentions] == ["Jory (Vantor)"]
    assert jory.aliases == ("Jory Vantor",)
    president = _by_name(entities, "Vantor")
    assert president.roles == ("President",)


@pytest.mark.model
def test_a_bare_surname_in_the_next_paragraph_keeps_the_person_it_meant(nlp: Language) -> None:
    """ "Bill Holm ... Holm was popular" and, in the next paragraph, "distance himself
    from Holm": still Bill (the writer's bare "Holm" meant him); two paragraphs on, the
    first Holm named (Hillary) again."""
    text = (
        "Hillary Holm won the primary in Karsk. Holm thanked her voters.\n\nIn 2000, Al Gore "
        "distanced himself from then-president Bill Holm. This was tricky, because Holm was "
        "popular.\n\nGore tried to distance himself from Holm, and he lost.\n\nIn 2008, "
        "Holm ran herself."
    )
    entities = extract_entities(_people(nlp, text, "Hillary Holm", "Bill Holm", "Holm", "Al Gore"))
    bill = _by_name(entities, "Bill Holm")
    hillary = _by_name(entities, "Hillary Holm")
    assert text.index("Holm, and") in [m.start for m in bill.mentions]
    assert text.rindex("Holm") in [m.start for m in hillary.mentions]


_TITLED = "President Hadra spoke on Monday. Voters in Hadra cheered as Hadra promised jobs."
_TAGGED = "Hadra said on Monday the port would reopen. Voters in Hadra doubted Hadra’s cabinet."


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "first"),
    [(_TITLED, ("Hadra", "GPE")), (_TAGGED, ("Hadra", "PERSON"))],
    ids=["titled", "tagged a person"],
)
def test_a_surname_tagged_a_place_is_the_person_of_the_article(
    nlp: Language, text: str, first: tuple[str, str]
) -> None:
    """ "President Hadra ... as Hadra promised", or "Hadra said ... Hadra’s cabinet":
    spaCy's place "Hadra" (a town it knows, no gazetteer's) acting as a person is the
    president, or the person it tagged in "Hadra said"; "voters in Hadra" stay in the
    town."""
    town = text.index("Hadra", text.index("Voters"))
    doc = _tagged(nlp, text, first, ("Hadra", "GPE", town), ("Hadra", "GPE", text.rindex("Hadra")))
    entities = extract_entities(doc)
    person = next(e for e in entities if e.type == "PERSON")
    place = next(e for e in entities if e.type == "GPE")
    assert [m.start for m in person.mentions] == [text.index("Hadra"), text.rindex("Hadra")]
    assert [m.start for m in place.mentions] == [town]


@pytest.mark.model
def test_state_places_and_chambers_are_not_the_city_or_the_us_ones(nlp: Language) -> None:
    """ "Washington" is the city; "Washington state" and "the state of Washington" are the
    state; "the state Senate" and "the Iowa House" (spaCy's "Iowa" and "House") are a US
    state's chambers, apart from "the Senate"."""
    text = (
        "The rally in Washington drew 400 people. In Washington state, Ivo Lisk, the "
        "governor of the state of Washington, said the state Senate and the Iowa House "
        "would vote. The Senate passed the bill."
    )
    doc = _tagged(
        nlp,
        text,
        ("Washington", "GPE"),
        ("Washington", "GPE", text.index("Washington state")),
        ("Washington", "GPE", text.index("Washington,")),
        ("Ivo Lisk", "PERSON"),
        ("Senate", "ORG"),
        ("Iowa", "GPE"),
        ("House", "ORG"),
        ("Senate", "ORG", text.rindex("Senate")),
    )
    entities = extract_entities(doc)
    assert [m.text for m in _by_name(entities, "Washington").mentions] == ["Washington"]
    state = _by_name(entities, "Washington state")
    assert [m.text for m in state.mentions] == ["Washington state", "state of Washington"]
    assert [m.text for m in _by_name(entities, "state Senate").mentions] == ["state Senate"]
    assert _by_name(entities, "Iowa House").type == "ORG"
    assert [m.start for m in _by_name(entities, "Senate").mentions] == [text.rindex("Senate")]


@pytest.mark.model
def test_junk_aliases_and_common_noun_people_are_no_names(nlp: Language) -> None:
    """ "The Party" is the article's Republican Party; "[Mara] Quist" is "Mara Quist";
    "Here’s Quist" is Quist; "Quist, Donald J." names no "Donald J."; "Us" of a
    title-cased headline is no country ("US" is); "Twitter junkie" is no person."""
    text = (
        "Tell Us What You Think. The Republican Party met in the US. The Party's leaders "
        "said [Mara] Quist would win. See Quist, Donald J. for more. Here’s Quist in 1992. "
        "Mara Quist is a Twitter junkie."
    )
    doc = _tagged(
        nlp,
        text,
        ("The Republican Party", "ORG"),
        ("US", "GPE"),
        ("Party", "ORG", text.index("Party's")),
        ("Mara] Quist", "PERSON"),
        ("Donald J.", "PERSON"),
        ("’s Quist", "PERSON"),
        ("Mara Quist", "PERSON", text.rindex("Mara")),
        ("Twitter junkie", "PERSON"),
    )
    entities = extract_entities(doc)
    party = _by_name(entities, "Republican Party")
    assert [m.text for m in party.mentions] == ["Republican Party", "Party"]
    quist = _by_name(entities, "Mara Quist")
    assert set(quist.aliases) == {"Mara Quist", "Quist"}
    assert [e.name for e in entities if e.type == "GPE"] == ["US"]
    assert not [e for e in entities if "Donald" in e.name or "Twitter" in e.name]


@pytest.mark.model
def test_a_place_in_brackets_after_a_name_is_no_part_of_it(nlp: Language) -> None:
    """ "Ivo Lisk (Norway) beat Jory (Chile)": where each is from, not their names."""
    text = "Ivo Lisk (Norway) beat Jory (Chile) 6-4 6-3 in Hadra."
    doc = _tagged(nlp, text, ("Ivo Lisk", "PERSON"), ("Jory", "PERSON"))
    assert [e.name for e in extract_entities(doc) if e.type == "PERSON"] == ["Ivo Lisk", "Jory"]


@pytest.mark.model
def test_a_platform_tagged_a_person_is_an_organisation(nlp: Language) -> None:
    """ "Mara Quist said on Twitter": spaCy's person "Twitter" is the organisation
    (``language/data/names.json`` organisations)."""
    text = "Mara Quist said on Twitter that the Karsk port would reopen."
    doc = _tagged(nlp, text, ("Mara Quist", "PERSON"), ("Twitter", "PERSON"))
    entities = extract_entities(doc)
    assert _by_name(entities, "Twitter").type == "ORG"
    assert [e.name for e in entities if e.type == "PERSON"] == ["Mara Quist"]


@pytest.mark.model
def test_a_title_of_no_holder_is_the_one_holder_of_no_other_office(nlp: Language) -> None:
    """ "Former Secretary Holm" of an article naming Ada Holm and then-President Ivo Holm
    is Ada, the Holm the article gives no office; with a first lady among them it is
    nobody's (see test_a_titled_surname_several_people_carry_is_no_first_lady)."""
    text = (
        "Ada Holm won the Karsk primary. Her husband, then-President Ivo Holm, stayed in "
        "Lisk.\n\nThe envoy wrote former Secretary Holm a memo about the port."
    )
    doc = _tagged(
        nlp,
        text,
        ("Ada Holm", "PERSON"),
        ("Ivo Holm", "PERSON"),
        ("Holm", "PERSON", text.index("Holm a memo")),
    )
    entities = extract_entities(doc)
    ada = _by_name(entities, "Ada Holm")
    assert text.index("Holm a memo") in [m.start for m in ada.mentions]
    assert [e.name for e in entities if e.type == "PERSON"] == ["Ada Holm", "Ivo Holm"]


@pytest.mark.model
def test_a_bare_chamber_of_an_article_about_a_state_legislature_is_the_states(
    nlp: Language,
) -> None:
    """ "The legislature passed the bill ... the House": in an article that never names
    Congress, the bare "House" is the state's ("state House", an actor of its article);
    where Congress is named it stays "House"."""
    state = "The legislature in Karsk passed the port bill. The House voted 60 to 40."
    federal = state + " Congress has not acted."
    names = []
    for text in (state, federal):
        entities = extract_entities(_tagged(nlp, text, ("House", "ORG")))
        names.append([(e.name, [m.text for m in e.mentions]) for e in entities])
    assert names == [[("state House", ["House"])], [("House", ["House"])]]


@pytest.mark.model
def test_a_common_word_before_a_name_is_no_part_of_it(nlp: Language) -> None:
    """ "Billionaire Ada Holm", "Neither Holm nor Lisk", "Will Holm's plan work?": the
    word before the name is the sentence's, not the person's; "Ivo Holm" keeps his
    given name and "Former President Ada Holm" her title (a role)."""
    text = (
        "Billionaire Ada Holm praised the port. Ivo Holm, her brother, agreed. Neither "
        "Holm nor Lisk spoke. Will Holm's plan work? Former President Ada Holm said yes."
    )
    doc = _tagged(
        nlp,
        text,
        ("Billionaire Ada Holm", "PERSON"),
        ("Ivo Holm", "PERSON"),
        ("Neither Holm", "PERSON"),
        ("Lisk", "PERSON"),
        ("Will Holm", "PERSON"),
        ("Ada Holm", "PERSON", text.rindex("Ada")),
    )
    entities = extract_entities(doc)
    ada = _by_name(entities, "Ada Holm")
    assert ada.mentions[0].text == "Ada Holm"
    assert _by_name(entities, "Ivo Holm").type == "PERSON"
    names = [m.text for e in entities for m in e.mentions]
    assert not [n for n in names if n.split()[0] in ("Billionaire", "Neither", "Will")]


@pytest.mark.model
def test_a_full_name_without_middle_initials_joins_only_the_one_named_before(
    nlp: Language,
) -> None:
    """ "George W. Holm ... George Holm spoke" is one man; "George Holm's son, George W.
    Holm" and "Prescott Holm, George Holm and George W. Holm" are two (a writer who adds
    the initial tells them apart)."""
    later = "George W. Holm opened the port. On Monday George Holm spoke again."
    before = "George Holm's son, George W. Holm, opened the port."
    listed = "The party of Prescott Holm, George Holm and George W. Holm is gone."
    found = []
    for text in (later, before, listed):
        entities = extract_entities(_people(nlp, text, "George W. Holm", "George Holm"))
        found.append(sorted(e.name for e in entities if "George" in e.name))
    two = ["George Holm", "George W. Holm"]
    assert found == [["George W. Holm"], two, two]


@pytest.mark.model
def test_a_headline_name_is_the_person_the_article_names(nlp: Language) -> None:
    """A title-cased headline's capitals say nothing of where a name ends: "Sandel Wins
    Second Term" is Sandel, and an untagged "Brec" before "Warns" is a mention of Brec."""
    text = (
        "Sandel Wins Second Term in Valdoria\n\nThe prime minister, Sandel, won on Saturday. "
        "Mr. Sandel thanked voters.\n\nBrec Warns Karsk Over Troops\n\nMinister Brec spoke."
    )
    doc = _tagged(
        nlp,
        text,
        ("Sandel Wins Second Term", "PERSON"),
        ("Sandel", "PERSON", 40),
        ("Brec", "PERSON", text.index("Minister")),
    )
    entities = extract_entities(doc)
    assert sorted(m.start for m in _by_name(entities, "Sandel").mentions)[0] == 0
    assert text.index("Brec") in [m.start for m in _by_name(entities, "Brec").mentions]
    assert all("Wins" not in e.name for e in entities)


@pytest.mark.model
def test_a_given_name_and_a_surname_written_alone_is_a_person(nlp: Language) -> None:
    """ "Tomas Brec" that spaCy took for a building is a person when the article refers
    back to "Brec"; "Sandy Hook", never "Hook" alone, stays what spaCy said."""
    text = "Mr. Sandel telephoned Tomas Brec on Monday. Brec accepted. He spoke of Sandy Hook."
    doc = _tagged(nlp, text, ("Tomas Brec", "FAC"), ("Sandy Hook", "FAC"))
    entities = extract_entities(doc)
    brec = _by_name(entities, "Tomas Brec")
    assert brec.type == "PERSON" and [m.text for m in brec.mentions] == ["Tomas Brec", "Brec"]
    assert _by_name(entities, "Sandy Hook").type == "FAC"


@pytest.mark.model
def test_an_untagged_given_name_names_the_person_in_full(nlp: Language) -> None:
    """ "Nils Orrin" that spaCy did not tag, before the surname it tagged elsewhere, is
    the person named in full."""
    text = "Fenland treasurer Nils Orrin said on Sunday that taxes would not rise. Orrin spoke."
    doc = _tagged(nlp, text, ("Orrin", "PERSON", 60))
    orrin = _by_name(extract_entities(doc), "Nils Orrin")
    assert [m.text for m in orrin.mentions] == ["Nils Orrin", "Orrin"]


@pytest.mark.model
def test_a_name_ends_before_of_and_its_place(nlp: Language) -> None:
    """ "Foreign Minister Varga of Karsk" is Varga; "Governor Brisk of Fenland", an
    organisation to spaCy, is the person Brisk."""
    text = "Foreign Minister Varga of Karsk met Governor Brisk of Fenland on Monday."
    doc = _tagged(nlp, text, ("Varga of Karsk", "PERSON"), ("Brisk of Fenland", "ORG"))
    people = {e.name for e in extract_entities(doc) if e.type == "PERSON"}
    assert people == {"Varga", "Brisk"}


@pytest.mark.model
def test_a_surname_tagged_an_organisation_is_the_person_of_that_name(nlp: Language) -> None:
    """ "Quill said", an organisation to spaCy beside "Quill, the reporter", is Quill."""
    text = "Quill, the reporter, broke the story. Quill said the letter ran to four pages."
    doc = _tagged(nlp, text, ("Quill", "PERSON"), ("Quill", "ORG", 30))
    quill = _by_name(extract_entities(doc), "Quill")
    assert quill.type == "PERSON" and len(quill.mentions) == 2


@pytest.mark.model
def test_a_word_tagged_an_organisation_more_often_than_a_person_stays_one(nlp: Language) -> None:
    """The demo's country "Karsk", tagged a person once ("Karsk said") and an
    organisation more often, stays an organisation where it is tagged one."""
    text = (
        "Karsk said the talks would go on. Karsk wants a monitor at Lisk, and Karsk "
        "troops stay on the border, Karsk officials said."
    )
    doc = _tagged(
        nlp, text, ("Karsk", "PERSON"), ("Karsk", "ORG", 30), ("Karsk", "ORG", 60),
        ("Karsk", "ORG", 90),
    )  # fmt: skip
    found = {e.type: len(e.mentions) for e in extract_entities(doc) if e.name == "Karsk"}
    assert found.get("ORG") == 3


@pytest.mark.model
def test_a_titled_surname_is_not_the_one_named_in_full_with_another_role(nlp: Language) -> None:
    """ "President Vantor" is not "the first lady, Odile Vantor", the one Vantor named in
    full; a headline "Vantor Meets Sandel" names two people."""
    text = (
        "President Vantor Meets Sandel in Hadra\n\nPresident Vantor and Prime Minister "
        "Sandel met in Hadra on Wednesday. Mr. Sandel brought a gift for the first lady, "
        "Odile Vantor. Mrs. Vantor thanked him."
    )
    doc = _tagged(
        nlp,
        text,
        ("Vantor Meets Sandel", "PERSON"),
        ("Vantor", "PERSON", 50),
        ("Sandel", "PERSON", 80),
        ("Odile Vantor", "ORG"),
    )
    entities = extract_entities(doc)
    odile = _by_name(entities, "Odile Vantor")
    assert odile.roles == ("first lady",) and "Vantor" not in odile.aliases
    assert [m.start for m in _by_name(entities, "Vantor").mentions] == [10, 50]
    assert text.index("Sandel") in [m.start for m in _by_name(entities, "Sandel").mentions]


@pytest.mark.model
def test_a_role_is_never_a_lone_common_noun(nlp: Language) -> None:
    """ "never mentioned the name Tomas Vey": "name" is no role of his; "Senator" is."""
    text = (
        "Mourners at the gathering never mentioned the name Tomas Vey. Varga described "
        "a rigged system in terms familiar to followers of Senator Ana Lind."
    )
    entities = extract_entities(nlp(text))
    assert _by_name(entities, "Tomas Vey").roles == ()
    assert _by_name(entities, "Ana Lind").roles == ("Senator",)
