"""What ties an event to the rest of the record: negation and tense of its trigger, the
place, time and figures in its clause, and the claim that reports it."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from newstrace.extract.events.actors import ActorResolver
from newstrace.extract.events.triggers import Trigger
from newstrace.models import Claim, Entity, Figure, Span, TimeExpression

_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll"})
_PLACE_PREPS = frozenset(
    {
        "in",
        "at",
        "near",
        "into",
        "inside",
        "outside",
        "along",
        "across",
        "around",
        "toward",
        "towards",
        "on",
        "from",
        "over",
        "off",
    }
)
_DESTINATION = frozenset({"to"})
_DEAD_WORDS = frozenset({"kill", "dead", "die", "death", "killed"})
_INJURED_WORDS = frozenset({"wound", "injure", "wounded", "injured", "hurt"})
_PEOPLE = frozenset({"people", "person", "protester", "demonstrator", "civilian", "resident"})
_MAX_HOPS = 6


def negated(trigger: Trigger) -> bool:
    """ "did not attack", "never met", "no units had moved", "denied ... " is not negation."""
    for token in _anchors(trigger):
        for child in token.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ in ("nsubj", "nsubjpass", "dobj") and _has_no(child):
                return True
    return trigger.nominal and _has_no(trigger.token)


def future(trigger: Trigger) -> bool:
    """ "will meet", "would withdraw": PLOVER codes future cooperation as AGREE/CONCEDE."""
    return any(
        c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for t in _anchors(trigger) for c in t.children
    )


def _anchors(trigger: Trigger) -> list[Token]:
    return [trigger.token] if trigger.light is None else [trigger.token, trigger.light]


def _has_no(token: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def location(trigger: Trigger, actors: ActorResolver) -> Entity | None:
    """The place named by a locative phrase of the trigger or of its object."""
    heads = _anchors(trigger)
    heads += [c for t in heads for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
    heads += [g for t in heads for c in t.children if c.dep_ == "agent" for g in c.children]
    preps = _PLACE_PREPS | _DESTINATION if trigger.entry.type == "MOBILIZE" else _PLACE_PREPS
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        place = actors.place_in(pobj)
                        if place is not None:
                            return place
    return None


class Attacher:
    """Hangs times and figures on the trigger whose clause holds them."""

    def __init__(self, doc: Doc, triggers: Sequence[Trigger]) -> None:
        self.doc = doc
        self.owner: dict[int, Trigger] = {}
        for trigger in triggers:
            for anchor in _anchors(trigger):
                self.owner.setdefault(anchor.i, trigger)

    def trigger_of(self, start: int, end: int) -> tuple[Trigger | None, list[Token]]:
        """The trigger governing the text at `start`:`end`, and the path up to it."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None, []
        token = span.root
        path: list[Token] = []
        for _ in range(_MAX_HOPS):
            path.append(token)
            if token.i in self.owner:
                return self.owner[token.i], path
            if token.head.i == token.i or (token.pos_ in ("VERB", "AUX") and len(path) > 1):
                return None, path
            token = token.head
        return None, path

    def times(self, times: Sequence[TimeExpression]) -> dict[int, str]:
        """Trigger token index -> id of the first normalised time in its clause."""
        found: dict[int, str] = {}
        for time in times:
            if time.value is None or not time.value[:1].isdigit():
                continue
            trigger, _ = self.trigger_of(time.start, time.end)
            if trigger is not None:
                found.setdefault(trigger.token.i, time.id)
        return found

    def figures(self, figures: Sequence[Figure]) -> dict[int, dict[str, str]]:
        """Trigger token index -> {"dead"|"injured"|"size": figure id}."""
        found: dict[int, dict[str, str]] = {}
        for figure in figures:
            trigger, path = self.trigger_of(figure.start, figure.end)
            if trigger is None:
                continue
            role = _magnitude(trigger, path, figure)
            if role is not None:
                found.setdefault(trigger.token.i, {}).setdefault(role, figure.id)
        return found


def _magnitude(trigger: Trigger, path: list[Token], figure: Figure) -> str | None:
    words = {t.lemma_.lower() for t in path} | {trigger.token.lemma_.lower()}
    if words & _DEAD_WORDS:
        return "dead"
    if words & _INJURED_WORDS:
        return "injured"
    unit = (figure.unit or "").lower().rstrip("s")
    if trigger.entry.type in ("MOBILIZE", "PROTEST", "RETREAT") or unit in _PEOPLE:
        return "size"
    return None


def reporting_claim(span: Span, claims: Sequence[Claim]) -> Claim | None:
    """The claim whose cue is the trigger (the speech act is the event: a denial), else the
    claim whose content holds it (the event is reported: "officials said ... sent troops")."""
    for claim in claims:
        if claim.cue is not None and claim.cue.start <= span.start < claim.cue.end:
            return claim
    for claim in claims:
        if claim.content.start <= span.start and span.end <= claim.content.end:
            return claim
    return None
