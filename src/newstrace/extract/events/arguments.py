"""Who did it and to whom: source and target of a trigger, with passives, nominalisations,
light verbs, inherited subjects ("agreed to ...", conjoined verbs) and pronouns."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from newstrace.extract.events.actors import ActorResolver, is_pronoun
from newstrace.extract.events.triggers import Trigger, theme
from newstrace.models import EventActor

# Types whose object is the recipient ("attacked X", "urged X", "praised X").
_OBJECT_IS_TARGET = frozenset(
    {
        "ASSAULT",
        "COERCE",
        "ACCUSE",
        "REQUEST",
        "SUPPORT",
        "SANCTION",
        "THREATEN",
        "CONSULT",
        "REJECT",
        "AID",
        "COOPERATE",
        "PROTEST",
    }
)
# Types whose object or theme is the actor's own force ("deployed troops", "withdrew troops").
_THEME_IS_SOURCE = frozenset({"MOBILIZE", "RETREAT"})
_TARGET_PREPS = frozenset({"against", "on", "upon", "with", "to"})
_FORCE_PREPS = frozenset({"against"})
_INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl"})
_MAX_HOPS = 4


@dataclass(frozen=True)
class Arguments:
    """The source and target found for one trigger."""

    source: EventActor | None
    target: EventActor | None


def find_arguments(trigger: Trigger, actors: ActorResolver) -> Arguments:
    """Source and target of `trigger`."""
    if trigger.nominal:
        return _nominal(trigger, actors)
    return _verbal(trigger.token, trigger, actors)


def _verbal(verb: Token, trigger: Trigger, actors: ActorResolver) -> Arguments:
    kind = trigger.entry.type
    subject = _child(verb, "nsubj")
    agent = _pobj(_child(verb, "agent"))
    patient = _child(verb, "nsubjpass")
    obj = _child(verb, "dobj")
    source = actors.actor(agent) if agent is not None else _subject_actor(verb, subject, actors)
    target = None
    if kind in _THEME_IS_SOURCE:
        if source is None:
            source = actors.actor(obj or patient)
    elif kind in _OBJECT_IS_TARGET:
        target = actors.actor(obj or patient or _child(verb, "dative"))
    if target is None:
        preps = _FORCE_PREPS if kind in _THEME_IS_SOURCE else _TARGET_PREPS
        target = _prep_actor(verb, actors, source, preps)
    if trigger.entry.host:
        source, target = target, source
    return Arguments(source, target)


def _nominal(trigger: Trigger, actors: ActorResolver) -> Arguments:
    noun = trigger.token
    kind = trigger.entry.type
    source = None
    if trigger.light is not None:
        light = trigger.light
        agent = _pobj(_child(light, "agent"))
        subject = _child(light, "nsubj")
        source = actors.actor(agent) if agent else _subject_actor(light, subject, actors)
    poss = _child(noun, "poss")
    if source is None and poss is not None:
        source = actors.actor(poss) or _pronoun_actor(noun, actors)
    if source is None:
        source = _modifier_actor(noun, actors)
    of_obj = _pobj(_prep(noun, "of"))
    by_obj = _pobj(_prep(noun, "by"))
    if source is None and by_obj is not None:
        source = actors.actor(by_obj)
    target = None
    if of_obj is not None:
        if kind in _THEME_IS_SOURCE and source is None:
            source = actors.actor(of_obj)
        elif kind not in _THEME_IS_SOURCE:
            target = actors.actor(of_obj)
    if target is None:
        preps = _FORCE_PREPS if kind in _THEME_IS_SOURCE else _TARGET_PREPS
        target = _prep_actor(noun, actors, source, preps)
    return Arguments(source, target)


def _subject_actor(verb: Token, subject: Token | None, actors: ActorResolver) -> EventActor | None:
    """The subject's actor; a missing subject is inherited from the governing verb
    ("Karsk agreed to withdraw"), a pronoun from the nearest verb above with a named one."""
    hops = 0
    while subject is None and verb.dep_ in _INHERIT_DEPS and hops < _MAX_HOPS:
        verb = verb.head
        subject = _child(verb, "nsubj") or _pobj(_child(verb, "agent"))
        hops += 1
    if subject is None:
        return None
    if is_pronoun(subject):
        return _pronoun_actor(verb, actors)
    return actors.actor(subject)


def _pronoun_actor(token: Token, actors: ActorResolver) -> EventActor | None:
    """ "The ministry denied that it had massed troops": "it" is the ministry."""
    node = token
    for _ in range(_MAX_HOPS):
        if node.head.i == node.i:
            return None
        node = node.head
        subject = _child(node, "nsubj")
        if subject is not None and not is_pronoun(subject):
            return actors.actor(subject)
    return None


def _modifier_actor(noun: Token, actors: ActorResolver) -> EventActor | None:
    """ "the Russian attack", "North Korean deployment": a national modifier is the source."""
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod") and actors.entity_at(child) is not None:
            entity = actors.entity_at(child)
            if entity is not None and entity.type in ("NORP", "GPE", "ORG"):
                return actors.actor(child)
    return None


def _prep_actor(
    head: Token, actors: ActorResolver, source: EventActor | None, preps: frozenset[str]
) -> EventActor | None:
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            actor = actors.actor(_pobj(child))
            if actor is not None and actor != source and actor.entity_id is not None:
                return actor
    return None


def _child(token: Token, dep: str) -> Token | None:
    return next((c for c in token.children if c.dep_ == dep), None)


def _prep(token: Token, word: str) -> Token | None:
    return next((c for c in token.children if c.dep_ == "prep" and c.lower_ == word), None)


def _pobj(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


__all__ = ["Arguments", "find_arguments", "theme"]
