"""Cross-article entity resolution: merges that must not happen, and those that must.

Every name here is made up. Each article is a list of people given as (name, type,
aliases); the text is the aliases one after another, so that each alias is a mention.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from analysis_helpers import save
from newstrace.analysis import ensure_analysed, list_entities
from newstrace.models import Article, Entity, Record, Span
from newstrace.store import Store, schema

Person = tuple[str, str, tuple[str, ...]]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def _article(article_id: str, *people: Person) -> Record:
    """A record whose entities are `people`, each alias mentioned once in the text."""
    text, entities = "", []
    for n, (name, type_, aliases) in enumerate(people, 1):
        spans = []
        for alias in aliases:
            spans.append(Span(len(text), len(text) + len(alias), alias))
            text += alias + " spoke. "
        entities.append(Entity(f"e{n}", name, type_, aliases, mentions=tuple(spans)))  # type: ignore[arg-type]
    return Record(Article(article_id, text, title=article_id), tuple(entities))


def _analyse(store: Store, *records: Record) -> None:
    for record in records:
        save(store, record)
    ensure_analysed(store)


def _canonical(
    store: Store, article_id: str, entity_id: str = "e1", column: str = "canonical_id"
) -> str:
    """The canonical id (or the `column` "actor_id") linked to an article's entity."""
    links = schema.entity_links.c
    query = select(links[column]).where(
        (links.article_id == article_id) & (links.entity_id == entity_id)
    )
    with store.reading() as conn:
        found = conn.execute(query).scalar_one()
    assert isinstance(found, str)
    return found


def _aliases(store: Store, canonical_id: str) -> list[str]:
    for entity in list_entities(store):
        if entity["id"] == canonical_id:
            aliases: list[str] = entity["aliases"]
            return aliases
    raise AssertionError(canonical_id)


def test_mr_never_joins_a_person_known_as_mrs(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Ada Kestrel", "PERSON", ("Ada Kestrel", "Mrs. Kestrel"))),
        _article("a2", ("Kestrel", "PERSON", ("Mr. Kestrel", "Kestrel"))),
        _article("a3", ("Kestrel", "PERSON", ("Ms. Kestrel",))),
    )
    ada = _canonical(store, "a1")
    assert _canonical(store, "a2") != ada
    assert _canonical(store, "a3") == ada


def test_mrs_never_joins_a_person_known_as_mr(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Tobias Kestrel", "PERSON", ("Tobias Kestrel", "Mr. Kestrel"))),
        _article("a2", ("Kestrel", "PERSON", ("Mrs. Kestrel",))),
        _article("a3", ("Kestrel", "PERSON", ("Kestrel", "Mr. Kestrel"))),
    )
    tobias = _canonical(store, "a1")
    assert _canonical(store, "a2") != tobias
    assert _canonical(store, "a3") == tobias
    assert "Mrs. Kestrel" not in _aliases(store, tobias)


def test_mr_never_joins_a_person_whose_given_name_is_a_womans(store: Store) -> None:
    """ "Laura Kestrel" (never called "Mrs.") is no "Mr. Kestrel"; "Mrs. Kestrel" may be her."""
    _analyse(
        store,
        _article("a1", ("Laura Kestrel", "PERSON", ("Laura Kestrel",))),
        _article("a2", ("Kestrel", "PERSON", ("Mr. Kestrel",))),
        _article("a3", ("Kestrel", "PERSON", ("Mrs. Kestrel",))),
    )
    laura = _canonical(store, "a1")
    assert _canonical(store, "a2") != laura
    assert _canonical(store, "a3") == laura
    assert "Mr. Kestrel" not in _aliases(store, laura)


def test_honorific_picks_the_person_of_that_sex_among_two(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Ada Kestrel", "PERSON", ("Ada Kestrel", "Mrs. Kestrel"))),
        _article("a2", ("Tobias Kestrel", "PERSON", ("Tobias Kestrel", "Mr. Kestrel"))),
        _article("a3", ("Kestrel", "PERSON", ("Mr. Kestrel",))),
    )
    assert _canonical(store, "a3") == _canonical(store, "a2")


def test_a_lone_mrs_is_not_absorbed_by_a_man_seen_later(store: Store) -> None:
    _analyse(store, _article("a1", ("Kestrel", "PERSON", ("Mrs. Kestrel",))))
    _analyse(store, _article("a2", ("Tobias Kestrel", "PERSON", ("Tobias Kestrel", "Mr. Kestrel"))))
    assert _canonical(store, "a1") != _canonical(store, "a2")


def test_a_title_and_a_given_name_is_not_a_surname(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Adrian Vell Moss", "PERSON", ("Adrian Vell Moss",))),
        _article("a2", ("Adrian", "PERSON", ("Pope Adrian", "Adrian"))),
        _article("a3", ("Adrian", "PERSON", ("Pope Adrian",))),
        _article("a4", ("Adrian", "PERSON", ("Adrian",))),
    )
    pope = _canonical(store, "a2")
    assert pope != _canonical(store, "a1")
    assert _canonical(store, "a3") == pope
    # A bare "Adrian" could be either: it joins neither.
    assert _canonical(store, "a4") not in (pope, _canonical(store, "a1"))


def test_an_honorific_word_prefers_people_with_that_surname(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Ferris Vane", "PERSON", ("Ferris Vane",))),
        _article("a2", ("Tobias Ferris", "PERSON", ("Tobias Ferris",))),
        _article("a3", ("Ferris", "PERSON", ("Mr. Ferris",))),
    )
    assert _canonical(store, "a3") == _canonical(store, "a2")


def test_an_honorific_word_is_not_the_first_name_of_a_known_mr(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Ferris Vane", "PERSON", ("Ferris Vane", "Mr. Vane"))),
        _article("a2", ("Ferris", "PERSON", ("Mr. Ferris",))),
        _article("a3", ("Ferris", "PERSON", ("Ferris",))),
    )
    assert _canonical(store, "a2") != _canonical(store, "a1")
    # A bare first name still finds the one person who carries it.
    assert _canonical(store, "a3") == _canonical(store, "a1")


def test_a_family_name_written_first_takes_an_honorific(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Tan Weilin", "PERSON", ("Tan Weilin",))),
        _article("a2", ("Tan", "PERSON", ("Mr. Tan",))),
    )
    assert _canonical(store, "a2") == _canonical(store, "a1")


def test_a_regnal_number_is_not_a_first_name(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Adrian Vell", "PERSON", ("Adrian Vell",))),
        _article("a2", ("Adrian IV", "PERSON", ("Adrian IV",))),
    )
    assert _canonical(store, "a2") != _canonical(store, "a1")


def test_full_name_surname_and_honorific_still_merge(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Ada L. Kestrel", "PERSON", ("Ada L. Kestrel", "Mrs. Kestrel"))),
        _article("a2", ("Ada Kestrel", "PERSON", ("Ada Kestrel", "Kestrel"))),
        _article("a3", ("Kestrel", "PERSON", ("Kestrel", "Sen. Kestrel"))),
        _article("a4", ("Ada", "PERSON", ("Ada",))),
    )
    assert len({_canonical(store, a) for a in ("a1", "a2", "a3", "a4")}) == 1


def test_different_middle_initials_are_different_people(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("George W. Halbrook", "PERSON", ("George W. Halbrook",))),
        _article("a2", ("George H.W. Halbrook", "PERSON", ("George H.W. Halbrook",))),
        _article("a3", ("George HW Halbrook", "PERSON", ("George HW Halbrook",))),
        _article("a4", ("George Walker Halbrook", "PERSON", ("George Walker Halbrook",))),
    )
    son, father = _canonical(store, "a1"), _canonical(store, "a2")
    assert son != father
    assert _canonical(store, "a3") == father
    assert _canonical(store, "a4") == son


def test_a_full_name_without_the_middle_initials_that_tell_two_apart_joins_neither(
    store: Store,
) -> None:
    """ "George Halbrook" of an article that names neither George W. (however often named
    elsewhere) nor George H.W. Halbrook is an actor of its article alone, and so is one
    that its article names apart from George W. ("George Halbrook's son, George W.")."""
    son = [
        _article(f"w{n}", ("George W. Halbrook", "PERSON", ("George W. Halbrook",)))
        for n in range(5)
    ]
    _analyse(
        store,
        *son,
        _article("h1", ("George H.W. Halbrook", "PERSON", ("George H.W. Halbrook",))),
        _article("a1", ("George Halbrook", "PERSON", ("George Halbrook",))),
        _article("a2", ("George Halbrook", "PERSON", ("George Halbrook",))),
        _article(
            "a3",
            ("George W. Halbrook", "PERSON", ("George W. Halbrook",)),
            ("George Halbrook", "PERSON", ("George Halbrook",)),
        ),
    )
    george_w, father = _canonical(store, "w0"), _canonical(store, "h1")
    bare = {_canonical(store, "a1"), _canonical(store, "a2")}
    assert len(bare) == 2
    assert not bare & {george_w, father}
    assert _canonical(store, "a3", "e2") not in {george_w, father, *bare}


def test_a_generational_suffix_is_another_person(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Samuel Okoro", "PERSON", ("Samuel Okoro",))),
        _article("a2", ("Samuel Okoro Jr.", "PERSON", ("Samuel Okoro Jr.",))),
        _article("a3", ("Samuel T. Vance Jr.", "PERSON", ("Samuel T. Vance Jr.",))),
    )
    assert len({_canonical(store, a) for a in ("a1", "a2", "a3")}) == 3


def test_a_title_word_inside_a_name_is_part_of_it(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Ada King", "PERSON", ("Ada King",))),
        _article("a2", ("Ada Pope", "PERSON", ("Ada Pope",))),
    )
    assert _canonical(store, "a1") != _canonical(store, "a2")


def test_scores_are_not_aliases(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Vane Kestrel", "PERSON", ("Vane Kestrel",))),
        _article("a2", ("Kestrel 42-40", "PERSON", ("Kestrel 42-40",))),
    )
    vane = _canonical(store, "a1")
    assert _canonical(store, "a2") == vane
    assert not any(c.isdigit() for alias in _aliases(store, vane) for c in alias)


def test_an_acronym_labelled_person_joins_no_full_name(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Norvale NPF", "PERSON", ("Norvale NPF",))),
        _article("a2", ("NPF", "PERSON", ("NPF",))),
    )
    assert _canonical(store, "a1") != _canonical(store, "a2")


def test_an_organisation_never_joins_a_place_by_initials(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("United Realms", "GPE", ("United Realms", "UR"))),
        _article("a2", ("Union of Riveters", "ORG", ("Union of Riveters",))),
    )
    assert _canonical(store, "a1") != _canonical(store, "a2")


def test_an_acronym_joins_a_long_name_only_where_an_article_shows_both(store: Store) -> None:
    # "Institute for Science and International Security (ISIS)" in one article does not
    # make every "ISIS" elsewhere that institute.
    _analyse(
        store,
        _article(
            "a1",
            ("Bell Street Bank", "ORG", ("Bell Street Bank",)),
            ("BSB", "ORG", ("BSB",)),
        ),
        _article("a2", ("BSB", "ORG", ("BSB",))),
        _article("a3", ("Blue Sky Brigade", "ORG", ("Blue Sky Brigade",))),
    )
    bank = _canonical(store, "a1")
    assert _canonical(store, "a1", "e2") == bank
    assert _canonical(store, "a2") != bank
    assert _canonical(store, "a3") != bank


def test_an_acronym_is_the_one_long_name_of_its_initials(store: Store) -> None:
    # "LRC" of an article that does not spell it out is the "Lisk River Commission" of
    # another; "ISIS" of many articles is not the institute one article spells out.
    _analyse(
        store,
        _article("a1", ("Lisk River Commission", "ORG", ("Lisk River Commission",))),
        _article("a2", ("LRC", "ORG", ("LRC",))),
        _article("i1", ("Isle Steel Iron Syndicate", "ORG", ("Isle Steel Iron Syndicate",))),
        *(_article(f"i{n}", ("ISIS", "ORG", ("ISIS",))) for n in range(2, 8)),
    )
    assert _canonical(store, "a2") == _canonical(store, "a1")
    assert _canonical(store, "i2") != _canonical(store, "i1")


def test_an_organisation_in_a_place_is_the_organisation(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Lisk Herald", "ORG", ("Lisk Herald",))),
        _article("a2", ("Lisk Herald in Karsk", "ORG", ("Lisk Herald in Karsk",))),
    )
    assert _canonical(store, "a2") == _canonical(store, "a1")


def test_a_bare_surname_joins_the_one_named_beside_its_company(store: Store) -> None:
    # Neither Vantor is named four times as often; only Corwin is named beside Flint.
    flint = ("Teodor Flint", "PERSON", ("Teodor Flint",))
    _analyse(
        store,
        _article("a1", ("Corwin Vantor", "PERSON", ("Corwin Vantor",)), flint),
        _article("a2", ("Odile Vantor", "PERSON", ("Odile Vantor",))),
        _article("a3", ("Vantor", "PERSON", ("Vantor",)), flint),
        _article("a4", ("Vantor", "PERSON", ("Vantor",))),
    )
    assert _canonical(store, "a3") == _canonical(store, "a1")
    assert _canonical(store, "a4") not in (_canonical(store, "a1"), _canonical(store, "a2"))


def test_a_well_known_acronym_is_its_expansion_everywhere(store: Store) -> None:
    _analyse(
        store,
        _article("a1", ("Associated Press", "ORG", ("Associated Press",))),
        _article("a2", ("AP", "ORG", ("AP",))),
    )
    assert _canonical(store, "a2") == _canonical(store, "a1")


def test_a_bare_surname_never_shares_an_entity_with_a_mrs(store: Store) -> None:
    # Two full names with the surname, so neither a bare "Vantor" nor "Mrs. Vantor" can
    # be resolved; they stay apart, and the bare one never carries "Mrs.".
    _analyse(
        store,
        _article("a1", ("Corwin Vantor", "PERSON", ("Corwin Vantor", "Mr. Vantor"))),
        _article("a2", ("Odile Vantor", "PERSON", ("Odile Vantor",))),
        _article("a3", ("Vantor", "PERSON", ("Vantor",))),
        _article("a4", ("Vantor", "PERSON", ("Mrs. Vantor",))),
    )
    bare, mrs = _canonical(store, "a3"), _canonical(store, "a4")
    assert bare != mrs
    assert "Mrs. Vantor" not in _aliases(store, bare)
    assert mrs != _canonical(store, "a1")


def test_a_bare_surname_joins_the_person_seen_later_in_the_batch(store: Store) -> None:
    # The order of the articles does not decide: the full names of the whole batch are
    # known before one-word names are resolved.
    _analyse(
        store,
        _article("a1", ("Vantor", "PERSON", ("Vantor",))),
        _article("c1", ("Odile Vantor", "PERSON", ("Odile Vantor",))),
        *(_article(f"b{n}", ("Corwin Vantor", "PERSON", ("Corwin Vantor",))) for n in range(5)),
    )
    assert _canonical(store, "a1") == _canonical(store, "b0")


def test_a_distinctive_role_picks_among_people_with_one_surname(store: Store) -> None:
    def person(article_id: str, name: str, role: str) -> Record:
        record = _article(article_id, (name, "PERSON", (name,)))
        entity = record.entities[0]
        return Record(record.article, (replace(entity, roles=(role,)),))

    _analyse(
        store,
        person("a1", "Corwin Vantor", "former governor of Eastmarch"),
        person("a2", "Halden Vantor", "former president"),
        person("a3", "Vantor", "governor of Eastmarch"),
    )
    assert _canonical(store, "a3") == _canonical(store, "a1")


def test_a_shortened_name_does_not_join_two_organisations(store: Store) -> None:
    """ "Post" is the short name of both the "Northgate Post" and the "Lisk Post": an
    article of the second saying "Post" too does not make it the first."""
    _analyse(
        store,
        _article("a1", ("Northgate Post", "ORG", ("Northgate Post", "Post"))),
        _article("a2", ("Lisk Post", "ORG", ("Lisk Post", "Post"))),
        _article("a3", ("Northgate Post", "ORG", ("Northgate Post",))),
        _article("a4", ("Post", "ORG", ("Post", "Lisk Post"))),  # named by its short form
    )
    assert _canonical(store, "a2") != _canonical(store, "a1")
    assert _canonical(store, "a4") == _canonical(store, "a2")
    assert _canonical(store, "a3") == _canonical(store, "a1")


def test_a_bare_surname_joins_the_person_its_company_names(store: Store) -> None:
    """An article that names Corwin Vantor in full and says "Vantor" apart (spaCy gave
    them two entities) means him, though Odile Vantor is far better known elsewhere."""
    _analyse(
        store,
        _article(
            "a1",
            ("Corwin Vantor", "PERSON", ("Corwin Vantor",)),
            ("Vantor", "PERSON", ("Vantor",)),
        ),
        *(_article(f"b{n}", ("Odile Vantor", "PERSON", ("Odile Vantor",))) for n in range(5)),
    )
    assert _canonical(store, "a1", "e2") == _canonical(store, "a1")


def test_a_surname_of_several_people_is_pooled_with_no_other(store: Store) -> None:
    """The Halbrooks, as the Bushes: a bare "Halbrook" or "Mr. Halbrook" of an article that
    cannot tell Corwin from Edric joins neither, nor the "Halbrook" of another such article;
    one whose article names Edric in full is Edric; one whose article names both in full
    is neither."""
    _analyse(
        store,
        _article("a1", ("Corwin Halbrook", "PERSON", ("Corwin Halbrook", "Mr. Halbrook"))),
        _article("a2", ("Edric Halbrook", "PERSON", ("Edric Halbrook", "Mr. Halbrook"))),
        _article("a3", ("Halbrook", "PERSON", ("Halbrook",))),
        _article("a4", ("Halbrook", "PERSON", ("Halbrook",))),
        _article("a5", ("Halbrook", "PERSON", ("Mr. Halbrook",))),
        _article("a6", ("Halbrook", "PERSON", ("Mr. Halbrook",))),
        _article(
            "a7",
            ("Edric Halbrook", "PERSON", ("Edric Halbrook",)),
            ("Halbrook", "PERSON", ("Mr. Halbrook",)),
        ),
        _article(
            "a8",
            ("Corwin Halbrook", "PERSON", ("Corwin Halbrook",)),
            ("Edric Halbrook", "PERSON", ("Edric Halbrook",)),
            ("Halbrook", "PERSON", ("Halbrook",)),
        ),
    )
    corwin, edric = _canonical(store, "a1"), _canonical(store, "a2")
    bare = [_canonical(store, a) for a in ("a3", "a4", "a5", "a6")] + [
        _canonical(store, "a8", "e3")
    ]
    assert len(set(bare)) == len(bare)
    assert not set(bare) & {corwin, edric}
    assert _canonical(store, "a7", "e2") == edric


def _members(article_id: str, party: str | None, *words: str) -> Record:
    """An article saying `words` (group words, NORP), linked to the `party` organisation
    it names (entity e1) when there is one."""
    people: list[Person] = [(party, "ORG", (party,))] if party else []
    record = _article(article_id, *people, *((w, "NORP", (w,)) for w in words))
    linked = tuple(
        replace(e, refers_to="e1") if party and e.type == "NORP" else e for e in record.entities
    )
    return Record(record.article, linked)


def _actor(store: Store, article_id: str, entity_id: str) -> str:
    return _canonical(store, article_id, entity_id, column="actor_id")


def test_a_party_word_acts_as_the_party_articles_link_it_to(store: Store) -> None:
    """ "Unionists" linked to the Unionist Party in one article is that party in an
    article that names no party; a group word no article links keeps its own actor."""
    _analyse(
        store,
        _members("a1", "Unionist Party", "Unionists"),
        _members("a2", None, "Unionists", "Fenlanders"),
    )
    party = _canonical(store, "a1")
    assert _actor(store, "a1", "e2") == party
    assert _actor(store, "a2", "e1") == party
    assert _canonical(store, "a2", "e1") != party  # the word keeps its own entity
    assert _actor(store, "a2", "e2") == _canonical(store, "a2", "e2")


def test_a_lone_institution_word_or_a_state_chamber_stays_in_its_article(store: Store) -> None:
    """ "Party" (of "the Party", an article naming no party in full) and "state Senate"
    name no organisation in particular: each is its article's own, and no alias of the
    Unionist Party ("the Party" of its article); "Senate" is one across articles."""
    _analyse(
        store,
        _article("a1", ("Party", "ORG", ("Party",)), ("state Senate", "ORG", ("state Senate",))),
        _article("a2", ("Party", "ORG", ("Party",)), ("state Senate", "ORG", ("state Senate",))),
        _article("a3", ("Senate", "ORG", ("Senate",))),
        _article("a4", ("Senate", "ORG", ("Senate",)), ("Unionist Party", "ORG", ("Party",))),
    )
    assert _aliases(store, _canonical(store, "a4", "e2")) == ["Unionist Party"]
    assert _canonical(store, "a1") != _canonical(store, "a2")
    assert _canonical(store, "a1", "e2") != _canonical(store, "a2", "e2")
    assert _canonical(store, "a3") == _canonical(store, "a4")


def test_a_surname_its_article_cannot_place_joins_a_dominant_one_it_names(store: Store) -> None:
    """ "Holm" of an article naming Hillary and Bill Holm in full, where the article
    could not tell which (no role picks), is Hillary when she is named four times as
    often; with no clear lead it stays the article's own."""
    hillary = ("Hillary Holm", "PERSON", ("Hillary Holm",))
    bill = ("Bill Holm", "PERSON", ("Bill Holm",))
    holm = ("Holm", "PERSON", ("Holm",))
    _analyse(
        store,
        *(_article(f"h{n}", hillary) for n in range(8)),
        _article("b1", bill),
        _article("x1", hillary, bill, holm),
        _article(
            "y1",
            ("Ada Lisk", "PERSON", ("Ada Lisk",)),
            ("Ivo Lisk", "PERSON", ("Ivo Lisk",)),
            ("Lisk", "PERSON", ("Lisk",)),
        ),
    )
    assert _canonical(store, "x1", "e3") == _canonical(store, "h0")
    assert _canonical(store, "y1", "e3") not in {
        _canonical(store, "y1"),
        _canonical(store, "y1", "e2"),
    }
