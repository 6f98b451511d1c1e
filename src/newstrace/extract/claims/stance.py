"""Stance (assert/deny/dispute/unconfirmed) and hedging of a claim."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

from newstrace.extract.claims.cues import cue_lexicon
from newstrace.models import Stance


def stance_of(cue_lemma: str | None, sentence: DocSpan, following: DocSpan | None) -> Stance:
    """The cue's stance, or "unconfirmed" when the sentence or the next says it is not verified."""
    lex = cue_lexicon()
    for sent in (sentence, following):
        if sent is not None and _has_phrase(sent.text.lower(), lex.unconfirmed_phrases):
            return "unconfirmed"
    if cue_lemma is None:
        return "assert"
    return lex.stances.get(cue_lemma, "assert")


def is_hedged(doc: Doc, first: int, last: int, cue_lemma: str | None, sentence: DocSpan) -> bool:
    """Whether the content (tokens `first`..`last`) or its cue is hedged."""
    lex = cue_lexicon()
    if cue_lemma in lex.hedged_verbs:
        return True
    if any(t.lower_ in lex.hedge_words and (t.tag_ in ("MD", "RB", "JJ")) for t in sentence):
        return True
    return _has_phrase(doc[first : last + 1].text.lower(), lex.hedge_phrases)


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    return any(phrase in text for phrase in phrases)
