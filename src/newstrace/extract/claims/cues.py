"""The cue lexicon (``data/cues.json``): reporting verbs, stance, hedges."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newstrace.models import Stance


@dataclass(frozen=True)
class CueLexicon:
    """Reporting verbs with the stance they imply, plus hedge and verification phrases."""

    stances: dict[str, Stance]
    hedged_verbs: frozenset[str]
    quote_verbs: frozenset[str]
    cite_verbs: frozenset[str]
    statement_nouns: frozenset[str]
    hedge_words: frozenset[str]
    hedge_phrases: tuple[str, ...]
    unconfirmed_phrases: tuple[str, ...]
    speaker_pronouns: dict[str, str]
    withholding_verbs: frozenset[str]

    def is_cue(self, lemma: str) -> bool:
        """Whether `lemma` is a reporting (speech or cognition) verb."""
        return lemma in self.stances


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    """The cue lexicon, read once from the package data."""
    path = resources.files("newstrace.extract.data").joinpath("cues.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    verbs: dict[str, dict[str, object]] = raw["speech_verbs"]
    stances: dict[str, Stance] = {}
    for lemma, info in verbs.items():
        stance = info.get("stance")
        stances[lemma] = (
            "deny" if stance == "deny" else "dispute" if stance == "dispute" else "assert"
        )
    return CueLexicon(
        stances=stances,
        hedged_verbs=frozenset(k for k, v in verbs.items() if v.get("hedged")),
        quote_verbs=frozenset(raw["quote_verbs"]),
        cite_verbs=frozenset(raw["cite_verbs"]),
        statement_nouns=frozenset(raw["statement_nouns"]),
        hedge_words=frozenset(raw["hedge_words"]),
        hedge_phrases=tuple(raw["hedge_phrases"]),
        unconfirmed_phrases=tuple(raw["unconfirmed_phrases"]),
        speaker_pronouns=dict(raw["speaker_pronouns"]),
        withholding_verbs=frozenset(raw["withholding_verbs"]),
    )
