"""`newstrace eval quotes`: direct quotes and their resolved speakers.

The data is JSON Lines, one article a line: ``id``, ``text`` and ``quotes``, each quote
with ``start``/``end`` (the words inside the quotation marks, without the comma or
full stop that closes them before an attribution: ``“We will win,” she said`` gives
``We will win``; a quote running over paragraphs is one span) and ``speaker``, the name
it resolves to (null: no one is named or meant, the claim's speaker must resolve to no
name).

A predicted quote is the content of a ``direct_quote`` claim. Quotes are matched one to
one when their spans, trimmed of whitespace, quotation marks and punctuation at both
ends, are equal (``quote_*``) or share most of their words (``partial_quote_*``: overlap
of at least half the words of the longer). ``speaker_accuracy`` is the share of gold
quotes matched (partially) by a quote whose speaker's name equals the gold name (case
and whitespace folded); ``matched_speaker_accuracy`` the same among matched quotes only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newstrace.errors import InputError
from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import (
    MIN_OVERLAP,
    Counts,
    WordIndex,
    overlap_ratio,
    read_gold_lines,
    trimmed,
)
from newstrace.extract import extract_records
from newstrace.models import Article, Claim, Record
from newstrace.settings import Settings


def read_quote_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The labelled articles of `path`; raises `InputError` for a malformed line."""
    return read_gold_lines(path, ("id", "text", "quotes"), limit, _check_quotes)


def _check_quotes(where: str, item: dict[str, Any]) -> None:
    for quote in item["quotes"]:
        if not 0 <= quote.get("start", -1) < quote.get("end", -1) <= len(item["text"]):
            raise InputError(where, f"quote offsets out of the text: {quote}")


def evaluate_quotes(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """Score direct quotes and their speakers' names on the articles at `path`."""
    del split  # one file, no splits
    gold = read_quote_gold(path, limit)
    articles = (Article(id=item["id"], text=item["text"]) for item in gold)
    exact, partial = Counts(), Counts()
    right = n_matched = n_gold = 0
    errors: list[dict[str, Any]] = []
    for item, record in zip(gold, extract_records(articles, settings), strict=True):
        found = _score_article(item, record)
        exact.add(*found["exact"])
        partial.add(*found["partial"])
        right += found["right"]
        n_matched += found["matched"]
        n_gold += len(item["quotes"])
        errors += found["errors"]
    metrics = exact.metrics("quote_") | partial.metrics("partial_quote_")
    metrics |= {
        "speaker_accuracy": round(right / n_gold, 4) if n_gold else 0.0,
        "matched_speaker_accuracy": round(right / n_matched, 4) if n_matched else 0.0,
        "n_quotes": n_gold,
    }
    return EvalResult("quotes", str(path), None, len(gold), metrics, errors)


def _quote_claims(record: Record) -> list[Claim]:
    return [c for c in record.claims if c.kind == "direct_quote"]


def _score_article(item: dict[str, Any], record: Record) -> dict[str, Any]:
    text = item["text"]
    index = WordIndex(text)
    gold: list[dict[str, Any]] = item["quotes"]
    claims = _quote_claims(record)
    gold_spans = [trimmed(text, q["start"], q["end"]) for q in gold]
    pred_spans = [trimmed(text, c.content.start, c.content.end) for c in claims]
    hits = len(set(gold_spans) & set(pred_spans))
    gold_words = [index.tokens([(q["start"], q["end"])]) for q in gold]
    pred_words = [index.tokens([(c.content.start, c.content.end)]) for c in claims]
    pairs = _match(gold_words, pred_words)
    errors: list[dict[str, Any]] = []
    right = 0
    for gi, quote in enumerate(gold):
        pi = pairs.get(gi)
        got = claims[pi].speaker.name if pi is not None else None
        if pi is not None and _same_name(quote["speaker"], got):
            right += 1
            continue
        errors.append(_error(item, quote, claims[pi] if pi is not None else None))
    used = set(pairs.values())
    errors += [_false_alarm(item, c) for pi, c in enumerate(claims) if pi not in used]
    return {
        "exact": (hits, len(set(pred_spans)) - hits, len(set(gold_spans)) - hits),
        "partial": (len(pairs), len(claims) - len(pairs), len(gold) - len(pairs)),
        "right": right,
        "matched": len(pairs),
        "errors": errors,
    }


def _match(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> dict[int, int]:
    """One-to-one pairs gold -> predicted by word overlap, best first."""
    scored = sorted(
        ((overlap_ratio(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for share, gi, pi in scored:
        if share >= MIN_OVERLAP and gi not in pairs and pi not in used:
            pairs[gi] = pi
            used.add(pi)
    return pairs


def _same_name(gold: str | None, got: str | None) -> bool:
    def fold(name: str | None) -> str:
        return " ".join((name or "").lower().split())

    return fold(gold) == fold(got)


def _error(item: dict[str, Any], quote: dict[str, Any], claim: Claim | None) -> dict[str, Any]:
    text = item["text"]
    error: dict[str, Any] = {
        "kind": "miss" if claim is None else "speaker",
        "doc": item["id"],
        "quote": text[quote["start"] : quote["end"]],
        "speaker": quote["speaker"],
    }
    if claim is not None:
        error["got"] = {"speaker": claim.speaker.text, "name": claim.speaker.name}
    return error


def _false_alarm(item: dict[str, Any], claim: Claim) -> dict[str, Any]:
    return {
        "kind": "false_alarm",
        "doc": item["id"],
        "quote": claim.content.text,
        "got": {"speaker": claim.speaker.text, "name": claim.speaker.name},
    }
