"""Event triggers: verbs and nominalisations from the lexicon, read off the parse.

One walk over the Doc finds every candidate; `select_triggers` then drops the ones
that are the content of another event ("agreed to *meet*", "condemned the *attack*")
and lets that content set the outer event's mode (REQUEST 'meet', THREATEN 'violence').
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from newstrace.extract.events.lexicon import Entry, Lexicon

_VERB_POS = frozenset({"VERB"})
_SKIP_VERB_DEPS = frozenset({"amod", "compound", "acomp"})
_ARG_PREPS = frozenset({"of", "by", "against", "on", "with", "to", "between", "from"})
_CONTENT_DEPS = frozenset({"xcomp", "dobj", "pobj", "ccomp"})
_INTENT_TYPES = frozenset({"AGREE", "REQUEST", "REJECT", "THREATEN", "CONCEDE"})
# "declined to comment" and "refused to confirm" are not political rejections.
_NON_EVENT_CONTENT = frozenset(
    {"comment", "confirm", "say", "elaborate", "specify", "disclose", "speak", "give", "name"}
)
_ARGUMENT_DEPS = frozenset({"dobj", "xcomp", "ccomp", "prep", "dative", "agent", "nsubjpass"})


@dataclass(frozen=True)
class Trigger:
    """A token that evokes an event, with the reading chosen and its light verb if any."""

    token: Token
    entry: Entry
    nominal: bool = False
    light: Token | None = None  # "carried out" in "carried out an attack"


def find_triggers(doc: Doc, lex: Lexicon) -> dict[int, Trigger]:
    """Every candidate trigger of `doc`, keyed by token index."""
    found: dict[int, Trigger] = {}
    for token in doc:
        if token.pos_ in _VERB_POS and token.dep_ not in _SKIP_VERB_DEPS:
            entry = verb_entry(token, lex)
            if entry is not None:
                found[token.i] = Trigger(token, entry)
        elif token.pos_ == "NOUN":
            trigger = _noun_trigger(token, lex)
            if trigger is not None:
                found[token.i] = trigger
    return found


def verb_entry(token: Token, lex: Lexicon) -> Entry | None:
    """The reading of a verb: phrasal forms first ("pull out", "call for"), then the lemma."""
    lemma = token.lemma_.lower()
    keys = [f"{lemma} {c.lower_}" for c in token.children if c.dep_ in ("prt", "prep")]
    for key in (*keys, lemma):
        entries = lex.verbs.get(key)
        if entries:
            entry = _choose(token, entries, lex)
            if entry is not None:
                return entry
    return None


def _choose(token: Token, entries: tuple[Entry, ...], lex: Lexicon) -> Entry | None:
    for entry in entries:
        if entry.object and not _head_in(theme(token), entry.object, lex):
            continue
        if entry.subject and not _head_in(_child(token, "nsubj"), entry.subject, lex):
            continue
        if entry.needs_argument and not any(c.dep_ in _ARGUMENT_DEPS for c in token.children):
            continue
        if entry.needs_no_object and _child(token, "dobj") is not None:
            continue
        xcomp = _child(token, "xcomp")
        if entry.type == "REJECT" and xcomp is not None and xcomp.lemma_ in _NON_EVENT_CONTENT:
            return None
        return entry
    return None


def _head_in(token: Token | None, name: str, lex: Lexicon) -> bool:
    return token is not None and lex.in_class(token.lemma_, name)


def _child(token: Token, dep: str) -> Token | None:
    return next((c for c in token.children if c.dep_ == dep), None)


def theme(token: Token) -> Token | None:
    """What a verb acts on: its object, or the subject of its passive."""
    return _child(token, "dobj") or _child(token, "nsubjpass")


def _noun_trigger(token: Token, lex: Lexicon) -> Trigger | None:
    entries = lex.nouns.get(token.lemma_.lower()) or lex.nouns.get(token.lower_)
    if not entries:
        return None
    entry = _noun_entry(token, entries)
    if entry is None:
        return None
    light = _light_verb(token, lex)
    if light is None and not _has_argument(token):
        return None
    return Trigger(token, entry, nominal=True, light=light)


def _noun_entry(token: Token, entries: tuple[Entry, ...]) -> Entry | None:
    modifiers = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod")}
    for entry in entries:
        if entry.modifier is None or entry.modifier in modifiers:
            return entry
    return None


def _light_verb(token: Token, lex: Lexicon) -> Token | None:
    head = token.head
    if token.dep_ not in ("dobj", "nsubjpass") or head.pos_ not in ("VERB", "AUX"):
        return None
    lemma = head.lemma_.lower()
    particles = [f"{lemma} {c.lower_}" for c in head.children if c.dep_ in ("prt", "prep")]
    if lemma in lex.light_verbs or any(p in lex.light_verbs for p in particles):
        return head
    return None


def _has_argument(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her"):
            return True
        if child.dep_ in ("compound", "amod") and child.ent_type_ in ("NORP", "GPE", "ORG"):
            return True
        if child.dep_ == "prep" and child.lower_ in _ARG_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ or pobj.pos_ in ("PROPN", "NOUN")):
                return True
    return False


def select_triggers(found: dict[int, Trigger], lex: Lexicon) -> list[Trigger]:
    """Drop triggers that are the content of an intent or speech-act trigger; refine modes."""
    kept: dict[int, Trigger] = {}
    inner_of: dict[int, Trigger] = {}
    for i, trigger in found.items():
        outer = _governing(trigger, found)
        if outer is not None:
            inner_of.setdefault(outer.token.i, trigger)
            continue
        kept[i] = trigger
    for i, inner in inner_of.items():
        if i in kept:
            kept[i] = _refine(kept[i], inner, lex)
    return [kept[i] for i in sorted(kept)]


def _governing(trigger: Trigger, found: dict[int, Trigger]) -> Trigger | None:
    """The trigger whose content `trigger` is ("agreed to *meet*"), if any."""
    token = trigger.token
    if token.dep_ not in _CONTENT_DEPS:
        return None
    head = token.head
    if token.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    outer = found.get(head.i)
    if outer is None or outer is trigger:
        return None
    if token.dep_ == "ccomp" and outer.entry.type not in _INTENT_TYPES:
        return None
    if token.dep_ == "ccomp" and outer.entry.type == "REJECT":
        return None  # "denied that it had massed troops": both are coded
    return outer


def _refine(outer: Trigger, inner: Trigger, lex: Lexicon) -> Trigger:
    entry = outer.entry
    if entry.mode is not None:
        return outer
    inner_type = inner.entry.type
    if entry.type == "THREATEN":
        mode = lex.threat_modes.get(inner_type)
    elif entry.type in ("REQUEST", "REJECT", "AGREE"):
        mode = lex.object_modes.get(inner_type)
    else:
        mode = None
    context = entry.context or inner.entry.context
    return replace(outer, entry=replace(entry, mode=mode, context=context))
