"""Claim matching: grouping statements of the same proposition across articles.

A claim becomes one *item* per figure it carries (a claim without figures is one item;
a figure no claim carries is an item of its own, worded by its sentence). Items are
matched lexically (rapidfuzz over normalised content words) with the figure's bounds and
counted unit as a hard constraint:

- figure items: the same value and bounds, and either the same unit with three other
  shared content words and token-set similarity >= 60, or (units differ or are missing,
  or the count is small) the rule for other items;
- other items: three shared content words and token-sort similarity >= 75 (reworded),
  or token-set similarity >= 90 with five shared words (one quote inside a longer one).

Candidates come from blocking keys stored per item (the figure's bounds, or the three
longest content words), so adding articles compares them with a few rows, never with
the whole store.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from newstrace.analysis.text import content_words, unit_key
from newstrace.models import Claim, Figure, Record
from newstrace.store import Transaction
from newstrace.store import analysis_queries as q

SMALL_COUNT = 12
CANDIDATE_LIMIT = 400
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Item:
    """One proposition-sized piece of a claim, as stored in `claim_items`."""

    article_id: str
    claim_id: str
    figure_id: str
    words: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    group_id: str = ""

    @property
    def is_figure(self) -> bool:
        return bool(self.figure_id)

    def bounds_key(self) -> str:
        return "|".join(_num(x) for x in (self.value, self.low, self.high))

    def keys(self) -> list[str]:
        """Blocking keys: items sharing none of these are never compared."""
        if self.is_figure and not _is_small(self):
            return ["f:" + self.bounds_key()]
        longest = sorted(set(self.words.split()), key=lambda w: (-len(w), w))
        return ["w:" + w for w in longest[:3] if len(w) >= 4]


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _is_small(item: Item) -> bool:
    best = item.value if item.value is not None else item.high
    return best is not None and abs(best) <= SMALL_COUNT


def _figure_item(article_id: str, claim_id: str, figure: Figure, words: str) -> Item:
    return Item(
        article_id,
        claim_id,
        figure.id,
        words,
        figure.value,
        figure.low,
        figure.high,
        unit_key(figure.unit),
    )


def _countable(figure: Figure) -> bool:
    return any(x is not None for x in (figure.value, figure.low, figure.high))


def claim_figures(record: Record, claim: Claim) -> list[Figure]:
    """The figures a claim carries (listed in the claim or pointing at it)."""
    wanted = set(claim.figure_ids)
    return [f for f in record.figures if (f.id in wanted or f.claim_id == claim.id)]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` containing [start, end)."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : right + 1].strip()


def record_items(record: Record) -> list[Item]:
    """The items of one article's claims and unattached figures."""
    aid = record.article.id
    items: list[Item] = []
    attached: set[str] = set()
    text = record.article.text
    for claim in record.claims:
        words = content_words(claim.content.text)
        figures = [f for f in claim_figures(record, claim) if _countable(f)]
        attached.update(f.id for f in figures)
        items.extend(
            _figure_item(aid, claim.id, f, _with_sentence(words, text, f)) for f in figures
        )
        if not figures:
            items.append(Item(aid, claim.id, "", " ".join(words)))
    for figure in record.figures:
        if figure.id not in attached and _countable(figure):
            sentence = sentence_around(record.article.text, figure.start, figure.end)
            items.append(_figure_item(aid, "", figure, " ".join(content_words(sentence))))
    return items


def _with_sentence(words: list[str], text: str, figure: Figure) -> str:
    """A figure's claim words plus those of the sentence it stands in."""
    sentence = content_words(sentence_around(text, figure.start, figure.end))
    return " ".join(dict.fromkeys([*words, *sentence]))


def _shared(a: Item, b: Item) -> int:
    return len(set(a.words.split()) & set(b.words.split()) - _digits(a.words))


def _digits(words: str) -> set[str]:
    return {w for w in words.split() if w.replace(",", "").replace(".", "").isdigit()}


def similarity(a: Item, b: Item) -> float:
    """0-100 when `a` and `b` state the same proposition, else 0."""
    if a.is_figure != b.is_figure:
        return 0.0
    shared = _shared(a, b)
    if a.is_figure:
        if a.bounds_key() != b.bounds_key():
            return 0.0
        if a.unit and a.unit == b.unit and not _is_small(a):
            set_ratio = fuzz.token_set_ratio(a.words, b.words)
            unit_free = shared - len({a.unit, a.unit + "s"} & set(a.words.split()))
            return 50.0 + set_ratio / 2 if unit_free >= 3 and set_ratio >= 60 else 0.0
    return _text_similarity(a, b, shared)


def _text_similarity(a: Item, b: Item, shared: int) -> float:
    if shared < 3:
        return 0.0
    sort_ratio = fuzz.token_sort_ratio(a.words, b.words)
    if sort_ratio >= 75:
        return float(sort_ratio)
    set_ratio = fuzz.token_set_ratio(a.words, b.words)
    return float(set_ratio) if set_ratio >= 90 and shared >= 5 else 0.0


def group_id_for(item: Item) -> str:
    """The id of the group an unmatched item founds."""
    raw = f"{item.article_id}\x1f{item.claim_id}\x1f{item.figure_id}"
    return "G" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def _candidates(conn: Transaction, keys: list[str]) -> Iterator[Item]:
    if not keys:
        return
    for row in q.candidate_items(conn, keys, CANDIDATE_LIMIT):
        yield Item(*row)


def assign_group(conn: Transaction, item: Item) -> Item:
    """`item` with the group of its best-matching stored item (or a new group).

    When it matches items of several groups, those groups are merged into the best one.
    """
    scores: dict[str, float] = {}
    for candidate in _candidates(conn, item.keys()):
        score = similarity(item, candidate)
        if score > scores.get(candidate.group_id, 0.0):
            scores[candidate.group_id] = score
    if not scores:
        return Item(**{**item.__dict__, "group_id": group_id_for(item)})
    best = max(sorted(scores), key=lambda g: scores[g])
    others = [g for g in scores if g != best]
    if others:
        q.merge_groups(conn, others, best)
    return Item(**{**item.__dict__, "group_id": best})


def match_records(conn: Transaction, records: Iterable[Record]) -> int:
    """Group the items of `records` with what is stored; returns the number of items."""
    count = 0
    for record in records:
        for item in record_items(record):
            placed = assign_group(conn, item)
            _insert(conn, placed)
            count += 1
    return count


def _insert(conn: Transaction, item: Item) -> None:
    q.insert_item(conn, item.__dict__, item.keys())
