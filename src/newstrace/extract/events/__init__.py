"""Political events in the PLOVER ontology: who did what to whom, where, when, and on
whose word.

`extract_events(doc, entities, claims, figures, times)` codes events with rules over
spaCy's dependency parse and the reviewed lexicon ``data/plover_verbs.json``:

* triggers are verbs ("deployed"), phrasal verbs ("pulled out", "called for") and
  nominalisations with an argument or a light verb ("the deployment of North Korean
  troops", "carried out an attack");
* the content of an intent or speech act is folded into it ("agreed to *meet*" is one
  AGREE, "threatened to *attack*" a THREATEN with mode 'violence');
* source and target come from subjects, objects, passive agents ("deployed by North
  Korea") and possessives, resolved to entities through metonymy, with a country code
  and a PLOVER sector (see `actors.py`);
* future cooperation is AGREE, an announced future retreat CONCEDE (PLOVER 3.1, 3.4);
* each event carries the claim that reports it (`claim_id`), so its source, stance and
  hedging are the claim's, plus the place, the time of the event (not of publication)
  and the figures of its clause (`dead`, `injured`, `size`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from newstrace.extract.events.actors import ActorResolver
from newstrace.extract.events.arguments import find_arguments
from newstrace.extract.events.lexicon import load_lexicon
from newstrace.extract.events.links import (
    Attacher,
    future,
    location,
    negated,
    reporting_claim,
)
from newstrace.extract.events.triggers import Trigger, find_triggers, select_triggers
from newstrace.extract.spans import token_record
from newstrace.models import Claim, Entity, Event, EventActor, Figure, TimeExpression

__all__ = ["extract_events"]


def extract_events(
    doc: Doc,
    entities: Sequence[Entity] = (),
    claims: Sequence[Claim] = (),
    figures: Sequence[Figure] = (),
    times: Sequence[TimeExpression] = (),
) -> list[Event]:
    """The events of `doc`, ids ``ev1``, ``ev2``... in text order."""
    lex = load_lexicon()
    triggers = select_triggers(find_triggers(doc, lex), lex)
    if not triggers:
        return []
    actors = ActorResolver(doc, entities)
    attacher = Attacher(doc, triggers)
    time_ids = attacher.times(times)
    magnitudes = attacher.figures(figures)
    events = []
    for n, trigger in enumerate(triggers, 1):
        event = _event(f"ev{n}", trigger, actors, claims)
        sizes = magnitudes.get(trigger.token.i, {})
        events.append(
            replace(
                event,
                time_id=time_ids.get(trigger.token.i),
                dead=sizes.get("dead"),
                injured=sizes.get("injured"),
                size=sizes.get("size"),
            )
        )
    return events


def _event(eid: str, trigger: Trigger, actors: ActorResolver, claims: Sequence[Claim]) -> Event:
    lex = load_lexicon()
    entry = trigger.entry
    kind = entry.type
    if future(trigger) and kind in lex.future:
        kind = lex.future[kind]
    span = token_record(trigger.token)
    args = find_arguments(trigger, actors)
    claim = reporting_claim(span, claims)
    source = args.source
    if source is None and claim is not None and _is_cue(claim, span):
        source = _speaker_actor(claim, actors)
    place = location(trigger, actors)
    return Event(
        id=eid,
        type=kind,
        trigger=span,
        mode=entry.mode,
        context=entry.context,
        source=source,
        target=args.target,
        location=place.id if place else None,
        claim_id=claim.id if claim else None,
        negated=negated(trigger),
    )


def _is_cue(claim: Claim, span: object) -> bool:
    return claim.cue is not None and claim.cue == span


def _speaker_actor(claim: Claim, actors: ActorResolver) -> EventActor | None:
    speaker = claim.speaker
    entity = actors.by_id.get(speaker.entity_id or "")
    if entity is None:
        return None
    return actors.from_entity(entity, speaker.text, speaker.start, speaker.end)
