"""Entities: spaCy NER corrected with gazetteers, aliases resolved within the article.

`extract_entities(doc)` returns one `Entity` per actor or place, each with every
mention as an exact span. Corrections on top of spaCy:

* places from the gazetteer are never people ("Kursk", "Sumy"); country names are
  GPE, demonyms NORP ("North Korean" -> refers_to the North Korea entity);
* personal names are grouped by surname with compatible given names, so "Mr. Putin",
  "Putin" and "Vladimir V. Putin" are one entity named by the longest form; "Mr. Holm"
  and "Mrs. Holm" are never one person, a "Mr."/"Mrs." surname joins a full name only
  when that is the only full name with the surname named so far, and differing middle
  initials ("George W." / "George H.W.") or a "Jr." keep full names apart;
* person names end before scores ("Holm 42-40") and at a possessive ("Obama’s
  agenda"), and start after "a"/"the"; a "person" whose last word names a building or
  an institution ("Obama White House", "Trump Tower") is an organisation;
* a name takes an editor's brackets ("Jeb (Bush)" is Jeb Bush, "[Ada] Holm" Ada Holm);
  a "person" ending in an initial ("Donald J." of "Trump, Donald J.") or made of one
  name and a common noun ("Twitter junkie") is none, nor a pronoun not in capitals
  ("Us" of a headline); "the Party" is the one organisation of the article ending in
  that word; a well-known organisation's one-word name ("Twitter") is never a person;
  a place no gazetteer knows that the article also tags a person ("Obama’s cabinet"
  beside "Obama said") is that person;
* "Washington state" and "the state of Washington" are the state, "Washington" the city
  (``data/places.json``); "the state Senate" and "the Iowa House" are a state's
  chambers, never the U.S. "Senate" or "House", and so is a bare "the House" of an
  article about a state's legislature that never names Congress;
* roles come from appositions and title prefixes (see `roles.py`);
* metonymy: a seat of power ("the Kremlin") always, and a capital used as an actor
  ("Moscow denied ..."), get ``refers_to`` = the id of the country's entity.
  Decision: ``refers_to`` is set only when that country is itself mentioned in the
  article, because every emitted entity must point at evidence; otherwise it is null.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan
from spacy.util import filter_spans

from newstrace.extract.claims.speaker_words import speaker_words
from newstrace.extract.gazetteer import Gazetteer, load_gazetteer, place_words
from newstrace.extract.names import (
    TitleLexicon,
    compatible,
    honorific_sex,
    is_initial,
    middle_initials,
    name_tokens,
    title_lexicon,
)
from newstrace.extract.roles import roles_for
from newstrace.extract.spans import tokens_span
from newstrace.extract.timeparts import MONTHS, SEASONS, WEEKDAYS
from newstrace.language import (
    NAME_WORDS,
    acronym_expansions,
    fold_word,
    given_name_sex,
    party_names,
)
from newstrace.models import Entity, EntityType, Span

_LABELS: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
}
_AGENT_DEPS = frozenset({"nsubj", "poss", "agent"})


@dataclass
class _Mention:
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    type: EntityType
    span: Span
    words: list[str]
    name: str
    country: str | None = None
    seat: bool = False
    agentive: bool = False


@dataclass
class _Group:
    type: EntityType
    mentions: list[_Mention] = field(default_factory=list)
    country: str | None = None
    metonym: bool = False
    sex: str | None = None  # from honorifics ("Mr.", "Mrs."), people only


def extract_entities(doc: Doc) -> list[Entity]:
    """The entities of `doc`, ids ``e1``, ``e2``... in order of first mention."""
    gaz = load_gazetteer()
    ents = _qualified_places(doc, [part for ent in doc.ents for part in _split_pair(ent)])
    mentions = [m for m in (_mention(ent, gaz) for ent in ents) if m is not None]
    mentions.extend(_missed_places(doc, gaz, {i for m in mentions for i in range(m.start, m.end)}))
    mentions.sort(key=lambda m: m.start)
    _cut_headline_names(doc, mentions)
    mentions.extend(_missed_names(doc, mentions))
    mentions.sort(key=lambda m: m.start)
    _state_chambers(doc, mentions)
    _cut_headline_words(doc, mentions)
    _people_ending_events(doc, mentions)
    groups = _group(doc, mentions)
    return _build(doc, groups)


def _split_pair(ent: DocSpan) -> list[DocSpan]:
    """ "Halden Brisk and Jory Brisk", one entity to spaCy, is two people: an entity made
    of two names of two or three capitalised words joined by "and" is split in two
    (never a one-word pair, "Marks and Spencer", nor one ending in an institution word,
    "Ada Holm and Ivo Holm Foundation")."""
    words = [t.text for t in ent]
    if words.count("and") != 1:
        return [ent]
    cut = words.index("and")
    halves = (words[:cut], words[cut + 1 :])
    if not all(_name_shaped(h) for h in halves) or NAME_WORDS.ends_non_person(words):
        return [ent]
    doc, first = ent.doc, ent.start
    return [
        DocSpan(doc, first, first + cut, label="PERSON"),
        DocSpan(doc, first + cut + 1, ent.end, label="PERSON"),
    ]


def _qualified_places(doc: Doc, ents: list[DocSpan]) -> list[DocSpan]:
    """Names whose bare form is another place or body (``data/places.json``): "Washington
    state" is the state, not the city "Washington"; "the state Senate" and "the Iowa
    House" (spaCy's "Iowa" and "House") are a US state's chamber, not the U.S. one."""
    words = place_words()
    out: list[DocSpan] = []
    for ent in ents:
        key = ent.text.lower().removeprefix("the ")
        prev = out[-1] if out else None
        if ent.label_ == "ORG" and key in words.chambers:
            if prev is not None and prev.end == ent.start and prev.text.lower() in words.us_states:
                out[-1] = DocSpan(doc, prev.start, ent.end, label="ORG")
                continue
            first = ent.start + (ent[0].lower_ == "the")
            if first > 0 and doc[first - 1].text == "state":
                ent = DocSpan(doc, first - 1, ent.end, label="ORG")
        elif ent.label_ == "GPE" and key in words.city_states:
            ent = _state_of(doc, ent)
        out.append(ent)
    return out


def _state_chambers(doc: Doc, mentions: list[_Mention]) -> None:
    """A bare "House" or "Senate" of an article about a state's legislature, which never
    names Congress ("the legislature passed it ... the House voted"), is that state's
    chamber: named "state House", an actor of its article only, as "the state House" is."""
    words = place_words()
    bare = [
        m
        for m in mentions
        if m.type == "ORG" and " ".join(m.words).lower().removeprefix("the ") in words.chambers
    ]
    if not bare or not words.state_chambers(doc.text):
        return
    for m in bare:
        m.words = ["state", *(m.words[1:] if m.words[0].lower() == "the" else m.words)]
        m.name = "state " + m.name.removeprefix("the ")


def _state_of(doc: Doc, ent: DocSpan) -> DocSpan:
    """ "Washington state" or "the state of Washington" as one place (see
    `_qualified_places`); a bare "Washington" as it is."""
    if ent.end < len(doc) and doc[ent.end].text == "state":
        return DocSpan(doc, ent.start, ent.end + 1, label="GPE")
    if ent.start >= 2 and doc[ent.start - 1].lower_ == "of" and doc[ent.start - 2].text == "state":
        return DocSpan(doc, ent.start - 2, ent.end, label="GPE")
    return ent


def _name_shaped(words: list[str]) -> bool:
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)


def _mention(ent: DocSpan, gaz: Gazetteer) -> _Mention | None:
    doc = ent.doc
    start, end = _trim_tokens(ent)
    if start >= end or _inside_title(doc, start, end) or _no_actor(doc[start:end]):
        return None
    text = doc[start:end].text
    label = _LABELS.get(ent.label_)
    if label is None:
        if not gaz.is_place(text):
            return None
        label = "GPE"
    mislabelled = label in ("GPE", "LOC", "ORG", "NORP", "FAC") and not gaz.is_place(text)
    named = _cut_at_of(doc, start, end)
    if mislabelled and (
        _has_person_apposition(ent)
        or _after_personal_title(doc, start, named)
        or (label in ("ORG", "FAC") and _given_name_shaped(doc, start, end))
    ):
        label, end = "PERSON", named
        text = doc[start:end].text
    etype, country, seat = _classify(text, label, gaz)
    if (etype == "NORP" and _agency_acronym(text)) or (
        etype == "PERSON" and NAME_WORDS.is_organisation(text)
    ):
        etype = "ORG"
    if etype == "PERSON":
        end = _cut_at_possessive(
            doc, start, _cut_at_hyphen(doc, start, _cut_at_of(doc, start, end))
        )
        if NAME_WORDS.ends_non_person([t.text for t in doc[start:end]]):
            etype = "ORG"
    if etype == "PERSON":
        start = _extend_honorific(doc, start)
        end = _close_bracket(doc, start, _drop_trailing_numbers(doc, start, end))
        end = _cut_common_tail(doc, start, end)
        if end <= start or _no_surname(doc, start, end):
            return None
    span = tokens_span(doc, start, end - 1, strip=" \t\r\n,;:")
    if span is None:
        return None
    text = doc[start:end].text
    person = etype == "PERSON"
    words = [
        t.text
        for t in doc[start:end]
        if t.text not in _BRACKETS or not (person or _unbalanced(text))
    ]
    name = _clean_form(doc[start + len(words) - len(name_tokens(words)) : end].text, person)
    if words[:2] == ["state", "of"] and etype == "GPE":  # "the state of Washington"
        words = [*words[2:], "state"]
        name = " ".join(words)
    root = doc[start:end].root
    agentive = root.dep_ in _AGENT_DEPS or (root.dep_ == "pobj" and root.head.lower_ == "to")
    return _Mention(start, end, etype, span, words, name, country, seat, agentive)


_BRACKETS = frozenset("()[]")


def _clean_form(text: str, person: bool) -> str:
    """A name as written without an editor's brackets: a person's ("Jeb (Bush)" -> "Jeb
    Bush") or an unclosed one ("Ada] Holm" of "[Ada] Holm"); "Nordic Port Authority
    (NPA)" keeps its acronym."""
    if not (person or _unbalanced(text)):
        return text
    return " ".join(re.sub(r"[()\[\]]", " ", text).split())


def _unbalanced(text: str) -> bool:
    return text.count("(") != text.count(")") or text.count("[") != text.count("]")


def _close_bracket(doc: Doc, start: int, end: int) -> int:
    """A name whose last part an editor put in brackets ("Jeb (Bush)", "George (W.
    Bush)") takes the bracketed words: spaCy stops before or inside the brackets. Only
    after a one-word name and never a place ("Ada (Karsk)", "Ada Holm (Valdoria)")."""
    words = [t.text for t in doc[start:end]]
    if "(" in words and ")" not in words and end < len(doc) and doc[end].text == ")":
        return end + 1
    if end + 2 >= len(doc) or doc[end].text != "(" or len(name_tokens(words)) != 1:
        return end  # "Ada Holm (Karsk)" is a name and where she is from
    close = next((i for i in range(end + 1, min(end + 4, len(doc))) if doc[i].text == ")"), 0)
    inside = doc[end + 1 : close]
    if close > end + 1 and all(t.text[:1].isupper() for t in inside):
        return end if load_gazetteer().is_place(inside.text) else close + 1
    return end


def _no_surname(doc: Doc, start: int, end: int) -> bool:
    """A "person" ending in an initial names no one: "Donald J." of "Trump, Donald J."."""
    words = name_tokens([t.text for t in doc[start:end] if t.text not in _BRACKETS])
    return len(words) > 1 and is_initial(words[-1])


def _cut_common_tail(doc: Doc, start: int, end: int) -> int:
    """A person's name ends before lower-case words ("Ada Holm supporters" names Ada
    Holm); a one-word name before them is a common-noun phrase, no person ("Twitter
    junkie", "Holm supporters"): `start` then. Surname particles stay ("de")."""
    cut = end
    while cut > start and _common_word(doc[cut - 1].text):
        cut -= 1
    if cut == end:
        return end
    return cut if len(name_tokens([t.text for t in doc[start:cut]])) > 1 else start


def _common_word(word: str) -> bool:
    return word.isalpha() and word.islower() and word not in _SURNAME_PARTICLES


_GLUED = re.compile(r"[a-z][A-Z]{2,}")
_STANCE_PREFIXES = frozenset({"pro", "anti", "non", "post", "pre", "neo"})
# A web address or a path ("https://example.org/holm", "www.x.org", "/holm"), not "AC/DC".
_ADDRESS = re.compile(r"://|www\.|\w\.\w+/|^/|/$")


def _no_actor(words: DocSpan) -> bool:
    """Text that spaCy tags but that names no actor: a stance or a time made of a name
    ("pro-Holm", "anti-Karsk", "post-Lisk"), a web address, a handle or markup
    ("https://example.org/holm", "@holm", "</tweet>"), words a page glued together
    ("HolmASSOCIATED PRESSKarsk": a lower-case letter before capitals, never "DeSantis"),
    a pronoun not written in capitals ("Us" of "Tell Us What You Think"), or lower-case
    words without a noun ("n’t", "us", "next")."""
    text = words.text
    if _GLUED.search(text):
        return True
    head, _, rest = text.partition("-")
    if rest and head.lower() in _STANCE_PREFIXES and " " not in rest:
        return True  # "pro-Holm", never "Non-Aligned Movement"
    if _ADDRESS.search(text) or any(c in text for c in "@<>"):
        return True
    if _pronoun_like(text):
        return True
    return not any(c.isupper() for c in text) and not any(
        t.pos_ in ("NOUN", "PROPN") for t in words
    )


def _pronoun_like(text: str) -> bool:
    """A pronoun not written in capitals ("Us" of a title-cased headline; "US" is a
    country)."""
    return text.lower() in speaker_words().pronouns and not text.isupper()


def _cut_at_hyphen(doc: Doc, start: int, end: int) -> int:
    """A person's name ends before a hyphen that joins it to a lower-case word ("Holm-
    spent money", a compound adjective); "Resnick-Day" is a name."""
    for i in range(start + 1, end - 1):
        if doc[i].text == "-" and doc[i + 1].text[:1].islower():
            return i
    return end


def _inside_title(doc: Doc, start: int, end: int) -> bool:
    """ "State" in "Secretary of State" is part of a title, not an organisation."""
    return (
        end - start == 1
        and start >= 2
        and doc[start - 1].lower_ == "of"
        and doc[start - 2].text in title_lexicon().role_words
    )


def _after_personal_title(doc: Doc, start: int, end: int) -> bool:
    """ "Former President Halden Brisk", "Mrs. Varga": a name after a personal title
    names a person whatever spaCy thought (not "President Hotel": see
    `NAME_WORDS.ends_non_person`)."""
    lex = title_lexicon()
    words = [t.text for t in doc[start:end]]
    if start == 0 or not 1 <= len(words) <= 3 or NAME_WORDS.ends_non_person(words):
        return False
    titled = doc[start - 1].text in lex.honorifics | lex.titles
    return titled and all(w[:1].isupper() for w in words)


def _cut_at_of(doc: Doc, start: int, end: int) -> int:
    """A name ends before "of" and the place or body after it ("Varga of Karsk",
    "Governor Brisk of Fenland"), when a name comes before it that is more than titles
    ("Secretary of State" is a title)."""
    for i in range(start + 1, end - 1):
        if doc[i].text == "of" and doc[i + 1].text[:1].isupper():
            words = [t.text for t in doc[start:i]]
            return i if name_tokens(words) and all(w[:1].isupper() for w in words) else end
    return end


def _given_name_shaped(doc: Doc, start: int, end: int) -> bool:
    """ "Ilse Varga ... Varga said" where spaCy took "Ilse Varga" for an organisation or a
    building (never a place: "Jefferson County"): two capitalised words, a common given
    name (no known place, "Virginia Tech", nor a particle, "Al Qaeda") and a last word
    that the article also writes alone (the writer's reference back to a person: "Sandy
    Hook" or "Rocky Mountains" are never "Hook" or "Mountains"), neither an institution
    word nor a well-known organisation, is a person."""
    words = [t.text for t in doc[start:end]]
    if len(words) != 2 or not _name_shaped(words) or NAME_WORDS.ends_non_person(words):
        return False
    if doc[end - 1].tag_ == "NNPS":
        return False  # "Roman Catholics"
    given, surname = words
    if given_name_sex(given) is None or given.lower() in _SURNAME_PARTICLES:
        return False
    if load_gazetteer().is_place(given) or NAME_WORDS.is_organisation(" ".join(words)):
        return False
    return any(
        t.text == surname and doc[t.i - 1].text != given and not _name_word(doc, t.i + 1)
        for t in doc
        if t.i > 0 and not start <= t.i < end
    )


def _has_person_apposition(ent: DocSpan) -> bool:
    """ "Hong Min, a North Korea expert at ..." names a person whatever spaCy thought."""
    nouns = title_lexicon().person_nouns
    for child in ent.root.children:
        if child.dep_ == "appos" and child.lemma_.lower() in nouns:
            return True
    return False


def _trim_tokens(ent: DocSpan) -> tuple[int, int]:
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and _leading_junk(doc[start]):
        start += 1
    # A name never crosses a line break ("Holm\nDATELINE" joins a byline to a dateline).
    end = next((i for i in range(start, end) if "\n" in doc[i].text), end)
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _leading_junk(token: Token) -> bool:
    """ "the"/"a"/"an", punctuation, white space and a stray possessive ("’s Holm") open no
    name."""
    return (
        token.lower_ == "the"
        or token.text in ("a", "an")
        or token.is_punct
        or token.is_space
        or token.tag_ == "POS"
        or token.text in ("'s", "’s")  # "Here’s Holm": the verb "is"
    )


def _cut_at_possessive(doc: Doc, start: int, end: int) -> int:
    """A person's name ends at a possessive ("Obama’s agenda" names Obama)."""
    return next((i for i in range(start + 1, end) if doc[i].tag_ == "POS"), end)


def _drop_trailing_numbers(doc: Doc, start: int, end: int) -> int:
    """A person's name ends before scores, vote counts and dashes ("Holm 42-40")."""
    while end - start > 1 and not any(c.isalpha() for c in doc[end - 1].text):
        end -= 1
    return end


def _classify(text: str, label: EntityType, gaz: Gazetteer) -> tuple[EntityType, str | None, bool]:
    """Correct spaCy's label with the gazetteer; returns (type, country ISO, is seat)."""
    key = text.lower()
    if key in gaz.seats or ("the " + key) in gaz.seats:
        return ("ORG" if label == "PERSON" else label), gaz.seats.get(key), True
    country = gaz.country_of(text)
    if country is not None:
        return "GPE", country, False
    if key in gaz.demonyms:
        return "NORP", gaz.demonyms[key], False
    if label in ("PERSON", "ORG", "NORP") and gaz.is_place(text) and " " not in text:
        return "GPE", gaz.capitals.get(key), False
    if label in ("GPE", "LOC"):
        return label, gaz.capitals.get(key), False
    return label, None, False


def _extend_honorific(doc: Doc, start: int) -> int:
    lex = title_lexicon()
    if start > 0 and doc[start - 1].text in lex.honorifics | lex.titles:
        prev = doc[start - 1]
        if prev.text.endswith(".") or prev.text in lex.honorifics or prev.text == "General":
            return start - 1
    return start


def _missed_places(doc: Doc, gaz: Gazetteer, taken: set[int]) -> list[_Mention]:
    """Countries, capitals and seats of power that spaCy did not tag."""
    found: list[_Mention] = []
    for token in doc:
        if token.i in taken or token.pos_ != "PROPN" or not token.is_title:
            continue
        text = token.text
        key = text.lower()
        if _pronoun_like(text):
            continue
        if key in gaz.seats:
            etype: EntityType = "ORG"
            country, seat = gaz.seats[key], True
        elif gaz.country_of(text) or key in gaz.capitals:
            etype, country, seat = "GPE", gaz.country_of(text) or gaz.capitals[key], False
        else:
            continue
        span = tokens_span(doc, token.i, token.i)
        if span is not None:
            agentive = token.dep_ in _AGENT_DEPS
            mention = _Mention(token.i, token.i + 1, etype, span, [text], text, country, seat)
            mention.agentive = agentive
            found.append(mention)
    return found


def _cut_headline_words(doc: Doc, mentions: list[_Mention]) -> None:
    """ "Billy Bush Joins a Parade" or "Telling Jeb Bush What to Do", title-cased
    headlines, give spaCy the person "Billy Bush Joins" or "Telling Jeb Bush": a person
    name that is another person name of the article of two words or more plus one word
    after it (not a suffix, "Ada Holm Jr.") or before it (not a title or an honorific,
    "Sen. Ada Holm", nor a given name before an initial, "George W. Holm") is that name."""
    names = {tuple(m.words) for m in mentions if m.type == "PERSON"}
    full = [(m, w) for m in mentions if m.type == "PERSON" and len(w := name_tokens(m.words)) > 1]
    lex = title_lexicon()
    for m in mentions:
        words = m.words
        if m.type != "PERSON" or len(words) < 2:
            continue
        others: set[tuple[str, ...]] = {(w[-1],) for x, w in full if x.words != words}
        if _common_opening(doc, m, others, lex):
            _drop_first_word(doc, m)
        elif len(words) < 3:
            continue
        elif tuple(words[:-1]) in names and not NAME_WORDS.is_suffix(words[-1]):
            span = tokens_span(doc, m.start, m.end - 2)
            if span is not None:
                m.end, m.span, m.words = m.end - 1, span, words[:-1]
                m.name = m.name.rsplit(" ", 1)[0]
        elif tuple(words[1:]) in names and not _name_opening(words, lex):
            _drop_first_word(doc, m)


_HEADLINE_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def headline_tokens(doc: Doc) -> frozenset[int]:
    """The tokens of the title-cased lines of `doc` ("Brec Warns Karsk Over Troops at
    Lisk"): a line of three words or more followed by a line break, every word of four
    letters or more capitalised. A headline's capitals say nothing of where a name ends."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    lines = doc.text.split("\n")
    for line in lines[:-1]:
        words = _HEADLINE_WORD.findall(line)
        if len(words) >= 3 and all(w[:1].isupper() for w in words if len(w) >= 4):
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    if not ranges:
        return frozenset()
    return frozenset(t.i for t in doc if any(a <= t.idx < b for a, b in ranges))


def _cut_headline_names(doc: Doc, mentions: list[_Mention]) -> None:
    """A name of a headline that opens with a person the article names elsewhere
    ("Sandel Wins Second Term", "Flint Calls for Vote on Treaty": spaCy runs the name
    on into the headline's words) is that person; a one-word name of the article among
    the words cut off is a mention of its own ("Vantor Meets Sandel")."""
    headline = headline_tokens(doc)
    if not headline:
        return
    people = {
        tuple(name_tokens(m.words))
        for m in mentions
        if m.type == "PERSON" and m.start not in headline
    }
    people |= {(words[-1],) for words in people if len(words) > 1}
    for m in mentions:
        if m.start not in headline or len(m.words) < 2 or m.country or m.seat:
            continue
        cut = next((k for k in range(len(m.words) - 1, 0, -1) if tuple(m.words[:k]) in people), 0)
        if not cut or not _headline_words(m.words[cut:], people):
            continue
        if cut == 1 and len(m.words) == 2:
            continue  # "Paul Smith" may be a name: a surname alone takes two words or more
        span = tokens_span(doc, m.start, m.start + cut - 1)
        if span is None:
            continue
        rest = [m.start + k for k, w in enumerate(m.words) if k >= cut and (w,) in people]
        m.end, m.span, m.words, m.type = m.start + cut, span, m.words[:cut], "PERSON"
        m.name = span.text
        mentions.extend(_one_word_person(doc, i) for i in rest if tokens_span(doc, i, i))
    mentions.sort(key=lambda m: m.start)


def _one_word_person(doc: Doc, i: int) -> _Mention:
    span = tokens_span(doc, i, i)
    assert span is not None
    word = doc[i].text
    return _Mention(i, i + 1, "PERSON", span, [word], word, agentive=doc[i].dep_ in _AGENT_DEPS)


def _headline_words(rest: list[str], people: set[tuple[str, ...]]) -> bool:
    """Whether the words after a person's name in a headline are no part of a name: the
    first no word of a person of the article ("Hillary Clinton" stays whole beside
    "Hillary"; "Vantor Meets Sandel" is Vantor, and Sandel another), an initial, a
    suffix or a particle ("Ahmed al Ashry"), and none an institution word ("Trump Tower
    Rent", "Obama Administration To Expand")."""
    known = {w for name in people for w in name}
    first = rest[0]
    if is_initial(first) or NAME_WORDS.is_suffix(first) or first.lower() in _SURNAME_PARTICLES:
        return False
    return first not in known and not any(NAME_WORDS.ends_non_person(["", w]) for w in rest)


def _drop_first_word(doc: Doc, m: _Mention) -> None:
    span = tokens_span(doc, m.start + 1, m.end - 1)
    if span is not None:
        m.start, m.span, m.words = m.start + 1, span, m.words[1:]
        m.name = m.name.split(" ", 1)[1] if " " in m.name else m.name


# Tags of a common word ("Billionaire", "Floridians", "Neither", "Will" as a verb), never
# of a name spaCy took for one (NNP).
_COMMON_TAGS = frozenset({"NN", "NNS", "NNPS", "JJ", "JJR", "JJS", "VBG", "VB", "VBN"})
_FUNCTION_TAGS = frozenset({"MD", "CC", "DT", "IN", "RB", "WDT", "WRB", "PRP"})


def _common_opening(
    doc: Doc, m: _Mention, surnames: set[tuple[str, ...]], lex: TitleLexicon
) -> bool:
    """Whether a person's name opens with a word of the sentence that is no part of it:
    a common word spaCy tagged as one ("Billionaire Ada Holm", "Floridians Ivo Holm",
    "Neither Holm nor Lisk", "Will Holm's gambit work?"), no title, initial or given name
    (but as a function word: "Will" as a verb), before a full name opening with a given
    name or the surname of another person the article names in full ("Ato Boldon" alone
    is a name spaCy tagged JJ)."""
    first, rest = doc[m.start], m.words[1:]
    tag = first.tag_
    if tag not in _COMMON_TAGS | _FUNCTION_TAGS or _name_opening(m.words, lex):
        return False
    if tag in _COMMON_TAGS and (given_name_sex(first.text) or is_initial(first.text)):
        return False
    if not all(w[:1].isupper() and w.replace(".", "").isalpha() for w in rest):
        return False
    return tuple(rest) in surnames or (len(rest) > 1 and given_name_sex(rest[0]) is not None)


def _people_ending_events(doc: Doc, mentions: list[_Mention]) -> None:
    """ "Liar-of the Year Barack Obama" is an EVENT to spaCy: an event whose last word is
    the surname of a person of the article ("Obama said") and whose word before it is a
    capitalised name word is that person, named by those two words."""
    surnames = {name_tokens(m.words)[-1] for m in mentions if m.type == "PERSON"}
    for m in mentions:
        words = m.words
        if m.type != "EVENT" or len(words) < 3 or words[-1] not in surnames:
            continue
        given = words[-2]
        if not (given.isalpha() and given.istitle()) or is_initial(given):
            continue
        span = tokens_span(doc, m.end - 2, m.end - 1)
        if span is not None:
            m.start, m.span, m.words, m.type = m.end - 2, span, words[-2:], "PERSON"
            m.name = span.text


# Particles that open a surname ("Aravinda de Silva", "Filip De Wilde", "Wilfried Van
# Moer"): the name after a given name is not a name of its own. Hand-written (a few
# common European and Arabic particles), lower-case.
_SURNAME_PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "dos", "du", "el"}
    | {"ibn", "la", "le", "st", "st.", "ten", "ter", "van", "von"}
)


def _name_opening(words: list[str], lex: TitleLexicon) -> bool:
    """Whether the first of `words` belongs to the name after it: a title or honorific
    ("Sen.", "Mr"), or a given name before an initial ("George W. Holm") or a surname
    particle ("Filip De Wilde")."""
    first, second = words[0], words[1]
    if lex.is_prefix(first) or fold_word(first) in NAME_WORDS.prefixes:
        return True
    return is_initial(second) or second.lower() in _SURNAME_PARTICLES


def _missed_names(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """An article-level gazetteer: a name the article tags somewhere ("Pate said", "the
    NPA said"), or the surname of a person it names in full ("Trump unloaded on Cruz"),
    is a mention wherever else the article writes it and spaCy did not tag it (spaCy
    tags one name differently from sentence to sentence). Matched by spaCy's
    PhraseMatcher on whole tokens with the case as written, and only
    - outside every mention, and where spaCy saw no actor or place but a work, a law, a
      product or a date ("beat Varga 46 to 40" is a LAW to it, "for Varga 2030" a
      DATE), never a calendar word ("in May" is no Ada May);
    - a capitalised form ("state" or "conservatives" tagged once are no names);
    - one word: no function word, whatever else the tagger took it for ("Trump this
      week said" a verb, "only one: Trump" a noun; "Will voters care?" names no Ada
      Will), or an acronym of the article ("The NPA runs the port");
    - standing alone: no capitalised proper noun after it, nor before it unless that is
      a name of its own ("Republican Trump") or a title, which the mention takes ("Mr.
      Trump"): "Ivo Holm" untagged is not Ada Holm's "Holm", "Holm Foundation" no Holm
      (an acronym may stand by any: "the NPA Board"); and no hyphen glued to it
      ("anti-Holm", "Holm-backed")."""
    forms = _article_names(mentions)
    if not forms:
        return []
    matcher = PhraseMatcher(doc.vocab, attr="ORTH")
    keys: dict[int, tuple[str, ...]] = {}
    for n, form in enumerate(forms):
        keys[doc.vocab.strings.add(f"nt_name_{n}")] = form
        matcher.add(f"nt_name_{n}", [Doc(doc.vocab, words=list(form))])
    taken = {i for m in mentions for i in range(m.start, m.end)}
    spans = filter_spans(
        [DocSpan(doc, s, e, label=k) for k, s, e in matcher(doc) if _untagged(doc, s, e, taken)]
    )
    found: list[_Mention] = []
    headline = headline_tokens(doc)
    for match in spans:
        known = forms[keys[match.label]]
        start = _alone(doc, match.start, match.end, taken, known.type, headline)
        span = None if start is None else tokens_span(doc, start, match.end - 1)
        if start is None or span is None:
            continue
        words = [t.text for t in doc[start : match.end]]
        given = start < match.start and not title_lexicon().is_prefix(doc[start].text)
        agentive = doc[match.end - 1].dep_ in _AGENT_DEPS
        found.append(
            _Mention(
                start,
                match.end,
                known.type,
                span,
                words,
                doc[start : match.end].text if given else match.text,
                known.country,
                known.seat,
                agentive,
            )
        )
    return found


@dataclass(frozen=True)
class _Known:
    type: EntityType
    country: str | None
    seat: bool


def _article_names(mentions: list[_Mention]) -> dict[tuple[str, ...], _Known]:
    """The surnames of the people named in full (people, whatever spaCy took one of them
    for elsewhere) and the names of `mentions` (a person's without title: "Trump" of
    "Mr. Trump"), each with the type, country and seat of the first mention of it;
    capitalised forms only, and no generational suffix alone; a surname also as a
    shouted headline writes it ("VANTOR SIGNS WATER DEAL")."""
    forms: dict[tuple[str, ...], _Known] = {}
    for m in mentions:
        name = name_tokens(m.words)
        if m.type == "PERSON" and len(name) > 1:
            forms.setdefault((name[-1],), _Known("PERSON", None, False))
    for m in mentions:
        words = tuple(name_tokens(m.words)) if m.type == "PERSON" else tuple(m.words)
        forms.setdefault(words, _Known(m.type, m.country, m.seat))
    shouted: dict[tuple[str, ...], _Known] = {
        (words[0].upper(),): known
        for words, known in forms.items()
        if known.type == "PERSON" and len(words) == 1 and len(words[0]) > 3
    }
    return {
        words: known
        for words, known in {**shouted, **forms}.items()
        if words[0][:1].isupper() and not (len(words) == 1 and NAME_WORDS.is_suffix(words[0]))
    }


def _untagged(doc: Doc, start: int, end: int, taken: set[int]) -> bool:
    """Whether no token of `start`..`end` is a mention, nor one of spaCy's entities of an
    actor's or a place's type that was left out on purpose, nor a calendar word of a
    date ("in May" is no Ada May); and a one-word match is no function word (an
    acronym may be any)."""
    for token in doc[start:end]:
        if token.i in taken or token.ent_type_ in _LABELS or _calendar_word(token):
            return False
    token = doc[start]
    return end - start > 1 or _acronym_word(token.text) or token.pos_ not in _FUNCTION


def _calendar_word(token: Token) -> bool:
    """A month, weekday or season in one of spaCy's dates or times."""
    if token.ent_type_ not in ("DATE", "TIME"):
        return False
    word = token.lower_.rstrip(".")
    return word in MONTHS or word in WEEKDAYS or word in SEASONS


def _alone(
    doc: Doc, start: int, end: int, taken: set[int], etype: EntityType, headline: frozenset[int]
) -> int | None:
    """Where a matched name at `start`..`end` begins with the title before it ("Mr.
    Trump"), or None when it is part of a longer name or glued to a hyphen (see
    `_missed_names`)."""
    if _glued_hyphen(doc, start - 1, before=True) or _glued_hyphen(doc, end, before=False):
        return None
    if end - start == 1 and _acronym_word(doc[start].text):
        return start  # "the GOP Debate", "the Eurosceptic SVP": an acronym is no part of a name
    if _name_word(doc, end) and end not in headline:
        return None
    if etype == "PERSON" and start > 0 and title_lexicon().is_prefix(doc[start - 1].text):
        return _extend_honorific(doc, start)
    if _name_word(doc, start - 1) and start - 1 not in taken and start - 1 not in headline:
        given = etype == "PERSON" and end - start == 1 and _untagged_given_name(doc, start - 1)
        return start - 1 if given else None
    return start


def _after_common_word(doc: Doc, i: int) -> bool:
    """Whether token `i` comes after a lower-case word that is no determiner ("Fenland
    treasurer Nils Orrin") or a dateline's dash ("HADRA — Teodor Flint"), where a
    capitalised word is a name ("Team Trump", "the Opposition Bloc" are none)."""
    if i == 0:
        return False
    prev = doc[i - 1]
    return prev.text in ("—", "–") or (prev.is_alpha and prev.is_lower and prev.tag_ != "DT")


def _title_cased(words: DocSpan) -> bool:
    """Whether most words of four letters or more are capitalised ("Republicans Won’t
    Renounce Trump."): a headline, whose capitals say nothing of names."""
    long = [t.text for t in words if t.is_alpha and len(t.text) >= 4]
    return len(long) >= 3 and sum(w[:1].isupper() for w in long) >= 0.8 * len(long)


def _untagged_given_name(doc: Doc, i: int) -> bool:
    """Whether token `i`, before a surname of the article that spaCy left untagged,
    is that person's given name ("Fenland treasurer Nils Orrin", where "Orrin said" was
    tagged): a capitalised proper noun spaCy tagged nothing, compounded with the
    surname, no title and no known place. It names a person in full, never the one of
    that surname the article already names ("Ivo Holm" beside Ada Holm is another)."""
    token = doc[i]
    if token.lower_ in MONTHS or _title_cased(token.sent):
        return False
    return (
        (given_name_sex(token.text) is not None or _after_common_word(doc, i))
        and token.ent_type_ == ""
        and token.dep_ == "compound"
        and token.head.i == i + 1
        and token.text.isalpha()
        and token.text.istitle()
        and len(token.text) > 1
        and not title_lexicon().is_prefix(token.text)
        and not load_gazetteer().is_place(token.text)
    )


def _glued_hyphen(doc: Doc, i: int, before: bool) -> bool:
    """Whether token `i` is a hyphen written against the name, before it after a stance
    prefix or a lower-case word ("anti-Holm", "stopping-Holm"), or after it before a
    lower-case word ("Holm-backed"); "Vantor-Holm race" names both."""
    if not 0 < i < len(doc) - 1 or doc[i].text not in ("-", "–"):
        return False
    if before:
        word = doc[i - 1].text
        glued = not doc[i].whitespace_ and not doc[i - 1].whitespace_
        return glued and (word.lower() in _STANCE_PREFIXES or word[:1].islower())
    glued = not doc[i - 1].whitespace_ and not doc[i].whitespace_
    return glued and doc[i + 1].text[:1].islower()


def _agency_acronym(text: str) -> bool:
    """A well-known acronym of an organisation that is no party ("UPI", "FBI"), which
    spaCy sometimes takes for a group of people; "GOP" stays the party word it is."""
    expansions = acronym_expansions(text.lower()) if _acronym_word(text) else ()
    return bool(expansions) and not any(e.endswith(" party") for e in expansions)


def _acronym_word(word: str) -> bool:
    return word.isalpha() and word.isupper() and 2 <= len(word) <= 6


_FUNCTION = frozenset({"AUX", "DET", "PRON", "ADP", "CCONJ", "SCONJ", "PART"})


def _name_word(doc: Doc, i: int) -> bool:
    """Whether token `i` is a capitalised proper noun (part of a longer name)."""
    return 0 <= i < len(doc) and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper()


def _surnames_as_people(doc: Doc, mentions: list[_Mention]) -> None:
    """A name that spaCy took for a place or an organisation but that ends in the
    surname of a person named in full in the same article ("Teodor Flint ... Flint
    said", "Corwin Vantor ... Odile Vantor") is a person; never a country, a capital,
    a seat of power, nor a name ending in an institution word ("Vantor Foundation").
    So is one that is the surname of a person the article names with a title or an
    honorific ("President Holm ... Holm said", "pile on Holm", where spaCy took "Holm"
    for the town of that name), but for the object of a preposition of place ("the
    talks in Holm"),
    and one word that is the given name of a person named in full and no
    known place ("Melania Trump ... Melania said", spaCy's GPE "Melania"; never
    "Georgia")."""
    full = [name_tokens(m.words) for m in mentions if m.type == "PERSON"]
    surnames = {words[-1] for words in full if len(words) > 1}
    titled = {name_tokens(m.words)[-1] for m in mentions if _titled_single(doc, m)}
    given = {words[0] for words in full if len(words) > 1}
    single = {words[0] for words in full if len(words) == 1}
    tagged = Counter((m.type == "PERSON", m.words[0]) for m in mentions if len(m.words) == 1)
    gaz = load_gazetteer()
    for m in mentions:
        if m.type not in ("GPE", "LOC", "ORG", "FAC"):
            continue
        unknown = len(m.words) == 1 and not gaz.is_place(m.words[0])
        first_name = m.words[0] in given and unknown
        by_title = _surname_shaped(m, titled) and not _in_place(doc, m)
        # "Obama’s cabinet" tagged a place where "Obama said" was a person: a place no
        # gazetteer knows that the article also tags a person is that person.
        # So is an organisation of one word that is no acronym nor a known organisation
        # ("Quill said" beside "Quill, the reporter"), unless spaCy takes the word for an
        # organisation more often than for a person: the demo's country "Karsk", tagged
        # a person once ("Karsk said") and an organisation eight times, stays one.
        lone_org = _lone_org_word(m) and tagged[(True, m.words[0])] >= tagged[(False, m.words[0])]
        by_person = (
            (m.type in ("GPE", "LOC") or lone_org) and unknown and _surname_shaped(m, single)
        )
        if (
            _surname_shaped(m, surnames)
            or by_title
            or (by_person and not _in_place(doc, m))
            or (first_name and not m.country and not m.seat)
        ):
            m.type = "PERSON"


def _lone_org_word(m: _Mention) -> bool:
    """An organisation or building of one capitalised word, no acronym ("NPA") nor a
    well-known organisation ("Twitter")."""
    if m.type not in ("ORG", "FAC") or len(m.words) != 1:
        return False
    word = m.words[0]
    return not _acronym_word(word) and not NAME_WORDS.is_organisation(word)


def _head_word(words: list[str]) -> str:
    """The last word of a name, folded, without a possessive ("Party’s" -> "party")."""
    return fold_word(re.split(r"['’]", words[-1])[0])


def _titled_single(doc: Doc, m: _Mention) -> bool:
    """ "Mr. Holm", "President Holm": a one-word person name after a title or honorific."""
    if m.type != "PERSON" or len(name_tokens(m.words)) != 1:
        return False
    return len(m.words) > 1 or (m.start > 0 and title_lexicon().is_prefix(doc[m.start - 1].text))


def _in_place(doc: Doc, m: _Mention) -> bool:
    """Whether a mention is the object of a preposition of place ("in Holm", "near
    Holm"; ``data/places.json``)."""
    head = doc[m.start : m.end].root.head
    return head.lower_ in place_words().prepositions and head.i < m.start


def _surname_shaped(m: _Mention, surnames: set[str]) -> bool:
    if m.country or m.seat or not 1 <= len(m.words) <= 3 or m.words[-1] not in surnames:
        return False
    return all(w[:1].isupper() for w in m.words) and not NAME_WORDS.ends_non_person(m.words)


def _group(doc: Doc, mentions: list[_Mention]) -> list[_Group]:
    _surnames_as_people(doc, mentions)
    groups: list[_Group] = []
    by_key: dict[tuple[str, str], _Group] = {}
    people: list[tuple[list[str], _Group]] = []
    singles: list[_Mention] = []
    for m in mentions:
        if m.type == "PERSON":
            if len(name_tokens(m.words)) > 1:
                _add_person(doc, m, people, groups)
            else:
                singles.append(m)
            continue
        key = _group_key(m)
        group = by_key.get(key)
        if group is None:
            group = by_key[key] = _Group(type=m.type, country=_country_key(m))
            groups.append(group)
        group.mentions.append(m)
        group.metonym = group.metonym or m.seat or (m.agentive and m.type != "NORP")
    _settle_sexes(people, singles)
    for m in singles:
        _add_single(doc, m, people, groups)
    return _join_generic_heads(groups)


def _join_generic_heads(groups: list[_Group]) -> list[_Group]:
    """ "The Party" of an article that names one organisation ending in that word (the
    "Republican Party") is that organisation (`NAME_WORDS.generic_heads`)."""
    out: list[_Group] = []
    for group in groups:
        words = group.mentions[0].words
        if group.type == "ORG" and NAME_WORDS.is_generic_head(" ".join(words)):
            head = _head_word(words)
            fuller = [
                g
                for g in groups
                if g.type == "ORG" and len(g.mentions[0].words) > 1
                if _head_word(g.mentions[0].words) == head
            ]
            if len(fuller) == 1:
                fuller[0].mentions.extend(group.mentions)
                fuller[0].mentions.sort(key=lambda m: m.start)
                continue
        out.append(group)
    return out


def _group_key(m: _Mention) -> tuple[str, str]:
    if m.type == "GPE" and m.country and not m.seat and m.span.text.lower() not in _capital_keys():
        return ("country", m.country)
    if m.type == "NORP" and m.country:
        return ("norp", m.country)
    return ("name", " ".join(m.words).lower().removeprefix("the "))


def _capital_keys() -> dict[str, str]:
    return load_gazetteer().capitals


def _country_key(m: _Mention) -> str | None:
    return m.country


def _add_person(
    doc: Doc, m: _Mention, people: list[tuple[list[str], _Group]], groups: list[_Group]
) -> None:
    words = name_tokens(m.words)
    for known, group in people:
        if compatible(words, known) and _middles_joinable(doc, m, words, known, group):
            group.mentions.append(m)
            return
    group = _Group(type="PERSON", mentions=[m])
    people.append((words, group))
    groups.append(group)


def _middles_joinable(
    doc: Doc, m: _Mention, words: list[str], known: list[str], group: _Group
) -> bool:
    """A full name without the middle initials of one named before ("George W. Holm ...
    George Holm") is that person but in a sentence that names both ("Prescott Holm,
    George Holm and George W. Holm": the writer tells two apart); a name with middle
    initials never joins one named before without them ("George Holm's son, George W.
    Holm")."""
    mine, theirs = bool(middle_initials(words)), bool(middle_initials(known))
    if mine == theirs or is_initial(words[0]) or is_initial(known[0]):
        return True  # "C. Aldo Holm" may be "Corwin Holm"'s legal name
    if mine:
        return False
    sentence = doc[m.start].sent.start
    return all(doc[x.start].sent.start != sentence for x in group.mentions)


def _settle_sexes(people: list[tuple[list[str], _Group]], singles: list[_Mention]) -> None:
    """Give each full-name person the sex its honorifics show: its own ("Mrs. Ada Holm"),
    else the usual sex of its given name ("Michelle Obama" is no "Mr. Obama"), else
    those of one-word references ("Mr. Holm") when it is the only full name with that
    surname (with two Holms, "Mr. Holm" could be either). The majority wins, the
    first on a tie: "Mrs. Holm" in an article about Ada Holm may still be her mother.
    One-word references that disagree as often one way as the other ("Mr. Holm" and
    "Mrs. Holm") tell nothing."""
    votes: dict[int, list[str]] = {}
    for _, group in people:
        for m in group.mentions:
            _vote(votes, group, honorific_sex(m.words))
    hearsay: dict[int, list[str]] = {}
    for m in singles:
        holders = [g for known, g in people if compatible(name_tokens(m.words), known)]
        holders = _named_so_far(holders, m.start)
        if len(holders) == 1:
            _vote(hearsay, holders[0], honorific_sex(m.words))
    for known, group in people:
        given = given_name_sex(known[0]) if len(known) > 1 else None
        sexes = votes.get(id(group)) or ([given] if given else None)
        sexes = sexes or _majority(hearsay.get(id(group), []))
        if sexes:
            group.sex = max(sexes, key=lambda s: (sexes.count(s), -sexes.index(s)))


def _named_so_far(full: list[_Group], start: int) -> list[_Group]:
    """The people of one surname a one-word reference at `start` can mean: all of them
    when there is one or none has been named yet; else the one named in full before it,
    when only one has been ("Odile Holm ... Mrs. Holm ... Corwin Holm": Mrs. Holm is
    Odile), or all of them (two named before: "Mr. Holm" could be either)."""
    if len(full) < 2:
        return full
    before = [g for g in full if min(x.start for x in g.mentions) < start]
    return before if len(before) == 1 else full


def _majority(sexes: list[str]) -> list[str]:
    """Votes of one-word references ("Mr. Holm") count when one sex has more of them: with
    one "Mr. Holm" and one "Mrs. Holm", the one full name may be either."""
    counts = sorted(((sexes.count(s), s) for s in set(sexes)), reverse=True)
    if len(counts) > 1 and counts[0][0] == counts[1][0]:
        return []
    return sexes


def _vote(votes: dict[int, list[str]], group: _Group, sex: str | None) -> None:
    if sex is not None:
        votes.setdefault(id(group), []).append(sex)


def _add_single(
    doc: Doc, m: _Mention, people: list[tuple[list[str], _Group]], groups: list[_Group]
) -> None:
    """A one-word reference ("Holm", "Mrs. Holm") joins a person with that surname: a
    bare one the person of that surname named in full last, when that was in its
    paragraph (`_named_nearby`), else the first one named (a titled one, "President
    Holm", among several named in full, only one whose roles carry the title:
    `_title_fits`); one with a
    gendered honorific only a person of that sex, and a full name only when it is the
    only one with that surname named so far (`_named_so_far`); otherwise it is a
    person of its own."""
    words = name_tokens(m.words)
    sex = honorific_sex(m.words)
    holders = [(known, g) for known, g in people if compatible(words, known)]
    group = _holder_for(doc, holders, m)
    if group is None:
        group = _Group(type="PERSON")
        people.append((words, group))
        groups.append(group)
    group.mentions.append(m)
    group.sex = group.sex or sex


def _holder_for(doc: Doc, holders: list[tuple[list[str], _Group]], m: _Mention) -> _Group | None:
    """The person a one-word reference `m` joins (see `_add_single`); a "Mr. Holm" that
    could be either of two Holms named before it is the one an earlier "Mr. Holm" was
    (a writer keeps one form for one person)."""
    sex = honorific_sex(m.words)
    if sex is None:
        holders = _title_fits(doc, holders, m)
        nearby = _named_nearby(doc, holders, m)
        return nearby or (holders[0][1] if holders else None)
    every = [g for known, g in holders if len(known) > 1]
    full = _named_so_far(every, m.start)
    if len(full) == 1 and full[0].sex == sex:
        return full[0]
    same = [g for g in every if any(x.words == m.words for x in g.mentions)]
    if len(same) == 1:
        return same[0]
    for known, g in holders:
        if len(known) == 1 and g.sex in (None, sex):
            return g
    return None


def _title_fits(
    doc: Doc, holders: list[tuple[list[str], _Group]], m: _Mention
) -> list[tuple[list[str], _Group]]:
    """The holders a titled surname ("President Holm") can be when the article names
    several people of that surname in full: those whose roles in the article carry the
    title (a title and a role agree on their first three letters: "Sen." and
    "senator"), else none ("former first lady Ada Holm", "Ivo Holm" and "Jory Holm"
    tell nothing about "President Holm": the cross-article resolution, which knows the
    roles of each, decides)."""
    before = m.words[: len(m.words) - len(name_tokens(m.words))]
    if m.start > 0 and title_lexicon().is_prefix(doc[m.start - 1].text):
        before = [doc[m.start - 1].text, *before]  # "President" that the name did not take
    titles = {_stem(w) for w in before} - {None}
    full_names = sum(1 for known, _ in holders if len(known) > 1)
    if not titles or full_names == 0:
        return holders
    stems = {
        id(g): {_stem(w) for r in _roles(doc, g) for w in r.split()} - {None} for _, g in holders
    }
    offices = {_stem(w) for w in title_lexicon().role_words}
    if full_names == 1:
        # "President Vantor" is not "the first lady, Odile Vantor", the one Vantor named
        # in full, whose roles here carry no such office: the cross-article resolution,
        # which knows the roles of each, decides.
        only = next(g for k, g in holders if len(k) > 1)
        if titles & offices and stems[id(only)] and not titles & stems[id(only)]:
            return [(k, g) for k, g in holders if g is not only]
        return holders
    fits = [(known, g) for known, g in holders if titles & stems[id(g)]]
    if fits:
        return fits
    # None carries the title: "former Secretary Holm" is not "President Bill Holm", whose
    # roles name another office, so it is the one Holm the article gives no role at all
    # when every other holds an office ("former first lady Ada Holm" is no free one).
    full = [(k, g) for k, g in holders if len(k) > 1]
    free = [(k, g) for k, g in full if not stems[id(g)]]
    held = [g for _, g in full if stems[id(g)] & offices]
    return free if len(free) == 1 and len(held) == len(full) - 1 else []


def _roles(doc: Doc, group: _Group) -> tuple[str, ...]:
    return roles_for(doc, [(x.start, x.end) for x in group.mentions])


def _stem(word: str) -> str | None:
    bare = word.strip(".").lower()
    return bare[:3] if len(bare) >= 3 and bare.isalpha() else None


def _named_nearby(doc: Doc, holders: list[tuple[list[str], _Group]], m: _Mention) -> _Group | None:
    """The person named in full last before `m`, when that was in the paragraph of `m`:
    "Hillary Holm ... In 2000, Al Gore ran away from Bill Holm. Holm had a high approval
    rating" names Bill; a bare "Holm" of the next paragraph is Bill still when that
    paragraph called him "Holm" too (`_bare_since`: "Gore ran from Holm"), else the
    first Holm named again (Hillary), as it is after "her daughter, Chelsea Holm,
    stumped for her.\n\n".
    Never for a surname used as a modifier ("the Holm team", the family's) nor against
    a pronoun of the other sex in its sentence ("Holm's strategy of yoking herself")."""
    last: tuple[int, _Group] | None = None
    for known, group in holders:
        if len(known) < 2:
            continue
        full = [x.start for x in group.mentions if x.start < m.start and _full_name(x)]
        if full and (last is None or max(full) > last[0]):
            last = (max(full), group)
    if last is None or last[1] is holders[0][1] or doc[m.end - 1].dep_ == "compound":
        return None
    if _breaks(doc, last[0], m.start) > 1 or (
        _breaks(doc, last[0], m.start) == 1 and not _bare_since(doc, last, m)
    ):
        return None
    sexes = {_pronoun_sex(t.lower_) for t in doc[m.start].sent} - {None}
    return None if last[1].sex and sexes - {last[1].sex} else last[1]


def _breaks(doc: Doc, start: int, end: int) -> int:
    """Paragraph breaks between tokens `start` and `end` (runs of line breaks)."""
    return sum(1 for t in doc[start:end] if "\n" in t.text_with_ws)


def _bare_since(doc: Doc, last: tuple[int, _Group], m: _Mention) -> bool:
    """Whether the person named in full at `last` was also named by the bare surname in
    that paragraph ("Bill Holm. ... Holm had a high approval rating"), so that the
    writer's "Holm" at the start of the next one still means them."""
    start, group = last
    return any(
        start < x.start < m.start and not _full_name(x) and _breaks(doc, x.start, m.start) == 1
        for x in group.mentions
    )


def _pronoun_sex(word: str) -> str | None:
    """ "m" for "he"/"him"/"his", "f" for "she"/"her"/"hers" (``data/speakers.json``)."""
    pronoun = speaker_words().pronouns.get(word)
    if pronoun is None or pronoun.kind != "PERSON" or pronoun.gender is None:
        return None
    return pronoun.gender[0]


def _full_name(m: _Mention) -> bool:
    return len(name_tokens(m.words)) > 1


def _build(doc: Doc, groups: list[_Group]) -> list[Entity]:
    groups = sorted(groups, key=lambda g: min(m.start for m in g.mentions))
    ids = {id(g): f"e{n}" for n, g in enumerate(groups, 1)}
    country_ids = {
        g.country: ids[id(g)]
        for g in groups
        if g.type == "GPE" and g.country and _group_key(g.mentions[0])[0] == "country"
    }
    parties = _parties(groups, ids)
    entities = [_entity(doc, g, ids[id(g)], country_ids) for g in groups]
    return [_party_member(e, parties) for e in entities]


def _parties(groups: list[_Group], ids: dict[int, str]) -> dict[str, set[str]]:
    """Folded party name -> ids of the organisations of the article that bear it
    ("Republican Party", or "GOP" by its well-known expansion)."""
    found: dict[str, set[str]] = {}
    for g in groups:
        if g.type != "ORG":
            continue
        names = {" ".join(m.words).lower().removeprefix("the ") for m in g.mentions}
        names |= {x for n in names for x in acronym_expansions(n)}
        for n in names:
            if n.endswith(" party"):
                found.setdefault(n, set()).add(ids[id(g)])
    return found


def _party_member(entity: Entity, parties: dict[str, set[str]]) -> Entity:
    """A party word ("Republicans", "Democrat") refers to the one party of the article
    it names ("Republican Party"), as a demonym refers to its country."""
    if entity.type != "NORP" or entity.refers_to is not None:
        return entity
    targets = {i for n in party_names(entity.name) for i in parties.get(n, set())}
    return replace(entity, refers_to=targets.pop()) if len(targets) == 1 else entity


def _entity(doc: Doc, group: _Group, eid: str, country_ids: dict[str, str]) -> Entity:
    forms = [_display(m) for m in group.mentions]
    # The longest form; one opening with an initial only when no full name opens with a
    # given name ("Barack Obama", not "B. Hussein Obama", names him across articles; but
    # "J. Edric Halbrook", not "Halbrook").
    full = any(" " in f and not _opens_with_initial(f) for f in forms)
    name = max(forms, key=lambda f: (not (full and _opens_with_initial(f)), len(f)))
    person = group.type == "PERSON"
    aliases = tuple(dict.fromkeys(_clean_form(m.span.text, person) for m in group.mentions))
    refers_to = None
    if group.country and (group.metonym or group.type == "NORP"):
        target = country_ids.get(group.country)
        refers_to = target if target != eid else None
    roles: tuple[str, ...] = ()
    if group.type == "PERSON":
        roles = _roles(doc, group)
    return Entity(
        id=eid,
        name=name,
        type=group.type,
        aliases=aliases,
        refers_to=refers_to,
        roles=roles,
        mentions=tuple(m.span for m in group.mentions),
    )


def _opens_with_initial(form: str) -> bool:
    return is_initial(form.split(" ", 1)[0])


def _display(m: _Mention) -> str:
    return m.name.removeprefix("the ")
