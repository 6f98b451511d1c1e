"""Attribution: newstrace claims scored against annotated attributions (PolNeAR-style).

Extraction runs on the data set's own text, unchanged (no cleaning), so the claims'
offsets are offsets into the annotated text. A claim maps to an attribution as
speaker -> source (absent when the speaker has no offsets), cue -> cue,
content -> content; the claims of one cue and speaker (the two parts of a split quote,
"“A,” she said. “B.”") are one attribution, their contents one discontinuous span.

Metrics, each as precision/recall/F1 summed over the corpus (micro):

* ``{role}_*`` (token overlap): the ``\\w+`` words given that role by any gold
  attribution against those given it by any claim;
* ``exact_{role}_*``: spans equal after trimming whitespace, quotation marks and
  punctuation at both ends (a discontinuous gold span counts as its extent);
* ``partial_{role}_*``: spans matched one-to-one when they share at least one word;
* ``relation_*``: attributions matched one-to-one when their contents' overlap ratio
  (shared words / words of the longer content) is at least 0.5 and their sources share
  a word or are both absent. The cue is not required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.evaluation.brat import ROLES, AttributionDoc, read_attribution_data
from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import (
    CharSpan,
    Counts,
    WordIndex,
    context,
    extent,
    overlap_ratio,
    trimmed,
)
from newstrace.extract import extract_records
from newstrace.models import Article, Claim
from newstrace.settings import Settings

MIN_CONTENT_OVERLAP = 0.5


@dataclass(frozen=True)
class _Item:
    """One attribution (gold or predicted) as word sets and trimmed spans per role."""

    words: dict[str, frozenset[int]]
    spans: dict[str, CharSpan | None]


@dataclass
class _Tally:
    token: dict[str, Counts]
    exact: dict[str, Counts]
    partial: dict[str, Counts]
    relation: Counts

    @classmethod
    def empty(cls) -> _Tally:
        def per_role() -> dict[str, Counts]:
            return {role: Counts() for role in ROLES}

        return cls(per_role(), per_role(), per_role(), Counts())

    def metrics(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for role in ROLES:
            found |= self.token[role].metrics(f"{role}_")
            found |= self.exact[role].metrics(f"exact_{role}_")
            found |= self.partial[role].metrics(f"partial_{role}_")
        return found | self.relation.metrics("relation_")


def evaluate_attribution(
    path: Path, split: str, limit: int | None, settings: Settings
) -> EvalResult:
    """Score newstrace's claims on the attribution data at `path`."""
    docs = read_attribution_data(path, split, limit)
    tally = _Tally.empty()
    errors: list[dict[str, Any]] = []
    for doc, claims in _extract(docs, settings):
        errors += score_document(doc, claims, tally)
    return EvalResult(
        "attribution",
        str(path),
        split if path.is_dir() else None,
        len(docs),
        tally.metrics() | {"n_gold": tally.relation.tp + tally.relation.fn},
        errors,
    )


def _extract(
    docs: Sequence[AttributionDoc], settings: Settings
) -> Iterator[tuple[AttributionDoc, tuple[Claim, ...]]]:
    articles = (Article(id=d.id, text=d.text, published=d.published) for d in docs)
    for doc, record in zip(docs, extract_records(articles, settings), strict=True):
        yield doc, record.claims


def score_document(
    doc: AttributionDoc, claims: Sequence[Claim], tally: _Tally
) -> list[dict[str, Any]]:
    """Add one document's counts to `tally`; return its errors."""
    index = WordIndex(doc.text)
    gold = [_gold_item(doc.text, index, a.role) for a in doc.attributions]
    pred = [_claims_item(doc.text, index, group) for group in _by_cue(claims)]
    for role in ROLES:
        _score_role(role, gold, pred, tally)
    pairs = _match(gold, pred, _relation_score)
    tally.relation.add(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    return _errors(doc, gold, pred, pairs)


def _gold_item(text: str, index: WordIndex, role_of: Callable[[str], Any]) -> _Item:
    words, spans = {}, {}
    for role in ROLES:
        fragments: tuple[CharSpan, ...] = role_of(role)
        words[role] = index.tokens(fragments)
        spans[role] = trimmed(text, *extent(fragments)) if fragments else None
    return _Item(words, spans)


def _by_cue(claims: Sequence[Claim]) -> list[list[Claim]]:
    """Claims grouped by their cue and speaker: the parts of a split quote ("“A,” she
    said. “B.”", two claims of one cue) are one attribution, as the data annotates it."""
    groups: dict[tuple[Any, ...], list[Claim]] = {}
    for n, claim in enumerate(claims):
        cue = (claim.cue.start, claim.cue.end) if claim.cue else n
        key = (cue, claim.speaker.start, claim.speaker.text)
        groups.setdefault(key, []).append(claim)
    return list(groups.values())


def _claims_item(text: str, index: WordIndex, claims: list[Claim]) -> _Item:
    """One attribution from the claims of one cue: their content words together, and
    their contents' extent as the content span."""
    first, last = claims[0], claims[-1]
    speaker = first.speaker
    found: dict[str, CharSpan | None] = {
        "source": (speaker.start, speaker.end)
        if speaker.start is not None and speaker.end is not None
        else None,
        "cue": (first.cue.start, first.cue.end) if first.cue else None,
        "content": (first.content.start, last.content.end),
    }
    pieces: dict[str, list[CharSpan]] = {
        role: [span] if span else [] for role, span in found.items()
    }
    pieces["content"] = [(c.content.start, c.content.end) for c in claims]
    words = {role: index.tokens(spans) for role, spans in pieces.items()}
    spans = {role: trimmed(text, *span) if span else None for role, span in found.items()}
    return _Item(words, spans)


def _score_role(role: str, gold: list[_Item], pred: list[_Item], tally: _Tally) -> None:
    gold_words = frozenset().union(*(g.words[role] for g in gold))
    pred_words = frozenset().union(*(p.words[role] for p in pred))
    shared = len(gold_words & pred_words)
    tally.token[role].add(shared, len(pred_words) - shared, len(gold_words) - shared)
    gold_spans = {g.spans[role] for g in gold} - {None}
    pred_spans = {p.spans[role] for p in pred} - {None}
    hits = len(gold_spans & pred_spans)
    tally.exact[role].add(hits, len(pred_spans) - hits, len(gold_spans) - hits)
    having = [g for g in gold if g.words[role]], [p for p in pred if p.words[role]]
    pairs = _match(*having, lambda g, p: len(g.words[role] & p.words[role]))
    tally.partial[role].add(len(pairs), len(having[1]) - len(pairs), len(having[0]) - len(pairs))


def _relation_score(gold: _Item, pred: _Item) -> float:
    """The content overlap ratio when the pair matches as a relation, else 0."""
    share = overlap_ratio(gold.words["content"], pred.words["content"])
    if share < MIN_CONTENT_OVERLAP or not _same_source(gold, pred):
        return 0.0
    return share


def _same_source(gold: _Item, pred: _Item) -> bool:
    g, p = gold.words["source"], pred.words["source"]
    return bool(g & p) if g and p else not g and not p


def _match(
    gold: Sequence[_Item], pred: Sequence[_Item], score: Callable[[_Item, _Item], float]
) -> dict[int, int]:
    """One-to-one pairs gold index -> predicted index, best-scoring first (score > 0)."""
    scored = sorted(
        (
            (s, gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(pred)
            if (s := score(g, p)) > 0
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in scored:
        if gi not in pairs and pi not in used:
            pairs[gi] = pi
            used.add(pi)
    return pairs


def _errors(
    doc: AttributionDoc, gold: list[_Item], pred: list[_Item], pairs: dict[int, int]
) -> list[dict[str, Any]]:
    used = set(pairs.values())
    errors = [_error("miss", doc, g, pred) for gi, g in enumerate(gold) if gi not in pairs]
    errors += [_error("false_alarm", doc, p, gold) for pi, p in enumerate(pred) if pi not in used]
    return errors


def _error(kind: str, doc: AttributionDoc, item: _Item, others: list[_Item]) -> dict[str, Any]:
    """One miss or false alarm, with why the closest attribution on the other side failed."""
    closest = max(
        others,
        key=lambda o: overlap_ratio(item.words["content"], o.words["content"]),
        default=None,
    )
    share = overlap_ratio(item.words["content"], closest.words["content"]) if closest else 0.0
    if share == 0 or closest is None:
        reason = "no_overlap"
    elif share < MIN_CONTENT_OVERLAP:
        reason = "content_boundary"
    else:
        reason = "source"
    error: dict[str, Any] = {"kind": kind, "doc": doc.id, "reason": reason}
    error |= _roles_text(doc.text, item)
    content = item.spans["content"] or (0, 0)
    error["context"] = context(doc.text, *content)
    if closest is not None and share > 0:
        error["closest"] = _roles_text(doc.text, closest) | {"content_overlap": round(share, 3)}
    return error


def _roles_text(text: str, item: _Item) -> dict[str, str | None]:
    return {role: text[span[0] : span[1]] if (span := item.spans[role]) else None for role in ROLES}
