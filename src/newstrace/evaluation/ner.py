"""Named entities scored against CoNLL-2003 PER, ORG and LOC (entity-level, exact spans).

Two systems are scored on the same parses:

* ``spacy_*``: the spaCy pipeline's own entities (``doc.ents``);
* newstrace's (the unprefixed metrics): the mentions of `extract_entities`, i.e. spaCy
  NER corrected with the gazetteers and alias grouping.

Labels are mapped PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC. Dropped: gold MISC
(nationalities, events, works...) and predicted NORP, EVENT and every other label, so
a predicted PER/ORG/LOC over a gold MISC entity counts as a false alarm. An entity is
right when its character span and mapped type both equal a gold entity's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newstrace.evaluation.conll import NerDoc, conll_file, read_conll
from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import Counts, context
from newstrace.extract import extract_entities
from newstrace.nlp import pipe_with_context
from newstrace.settings import Settings

TYPES = ("PER", "ORG", "LOC")
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

Mention = tuple[int, int, str]


class _Tally:
    def __init__(self) -> None:
        self.overall = Counts()
        self.by_type = {t: Counts() for t in TYPES}

    def add(self, gold: set[Mention], pred: set[Mention]) -> None:
        for kind, counts in [(None, self.overall), *self.by_type.items()]:
            g = {m for m in gold if kind in (None, m[2])}
            p = {m for m in pred if kind in (None, m[2])}
            counts.add(len(g & p), len(p - g), len(g - p))

    def metrics(self, prefix: str) -> dict[str, float]:
        found = self.overall.metrics(prefix)
        for kind, counts in self.by_type.items():
            found |= {
                f"{prefix}precision_{kind}": round(counts.precision, 4),
                f"{prefix}recall_{kind}": round(counts.recall, 4),
                f"{prefix}f1_{kind}": round(counts.f1, 4),
            }
        return found


def evaluate_ner(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """Score spaCy's and newstrace's entities on the CoNLL data at `path`."""
    source = conll_file(path, split)
    docs = read_conll(source, limit)
    ours, raw = _Tally(), _Tally()
    errors: list[dict[str, Any]] = []
    for parsed, doc in pipe_with_context(((d.text, d) for d in docs), settings):
        gold = {(e.start, e.end, e.type) for e in doc.entities if e.type in TYPES}
        predicted = newstrace_mentions(parsed)
        ours.add(gold, predicted)
        raw.add(gold, spacy_mentions(parsed))
        errors += _errors(doc, gold, predicted)
    metrics = ours.metrics("") | raw.metrics("spacy_")
    n_gold = ours.overall.tp + ours.overall.fn
    split_used = split if path.is_dir() else None
    return EvalResult(
        "ner", str(source), split_used, len(docs), metrics | {"n_gold": n_gold}, errors
    )


def spacy_mentions(doc: Doc) -> set[Mention]:
    """spaCy's entities with mapped labels (unmapped labels dropped)."""
    return {
        (e.start_char, e.end_char, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP
    }


def newstrace_mentions(doc: Doc) -> set[Mention]:
    """Every mention of newstrace's corrected entities, with mapped types."""
    return {
        (m.start, m.end, LABEL_MAP[e.type])
        for e in extract_entities(doc)
        if e.type in LABEL_MAP
        for m in e.mentions
    }


def _errors(doc: NerDoc, gold: set[Mention], pred: set[Mention]) -> list[dict[str, Any]]:
    by_span = {(s, e): t for s, e, t in pred}
    gold_by_span = {(s, e): t for s, e, t in gold}
    misc = {(e.start, e.end) for e in doc.entities if e.type not in TYPES}
    errors = [_error("miss", doc, m, by_span.get(m[:2])) for m in _sorted(gold - pred)]
    for m in _sorted(pred - gold):
        if m[:2] not in gold_by_span:  # a wrong type is already listed as a miss
            other = "MISC" if m[:2] in misc else None
            errors.append(_error("false_alarm", doc, m, other))
    return errors


def _sorted(mentions: Iterable[Mention]) -> list[Mention]:
    return sorted(mentions)


def _error(kind: str, doc: NerDoc, mention: Mention, other: str | None) -> dict[str, Any]:
    start, end, label = mention
    error = {"kind": kind, "doc": doc.id, "text": doc.text[start:end], "type": label}
    if other:
        error["other_type"] = other
    return error | {"context": context(doc.text, start, end, width=50)}
