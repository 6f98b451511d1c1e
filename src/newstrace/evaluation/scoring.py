"""Scoring helpers shared by the tasks: counts, P/R/F1, word tokens and span overlap.

Tokens here are the regex ``\\w+`` words of a text (Unicode), identified by their
character offsets, so scores do not depend on spaCy's tokenisation and punctuation
(quotation marks, full stops) never counts as agreement or disagreement.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.errors import InputError

WORD = re.compile(r"\w+")
_EDGE = " \t\r\n\"'“”‘’«».,;:!?—–-()[]"

CharSpan = tuple[int, int]
MIN_OVERLAP = 0.5  # share of the longer span's words that makes two spans one (partial match)


@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 over them."""

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, tp: float = 0, fp: float = 0, fn: float = 0) -> None:
        """Add to the counts."""
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0 when nothing was predicted."""
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0 when there was nothing to find."""
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return f1_of(self.precision, self.recall)

    def metrics(self, prefix: str) -> dict[str, float]:
        """``{prefix}precision``, ``{prefix}recall``, ``{prefix}f1`` rounded to 4 places."""
        return {
            f"{prefix}precision": round(self.precision, 4),
            f"{prefix}recall": round(self.recall, 4),
            f"{prefix}f1": round(self.f1, 4),
        }


def ratio(num: float, den: float) -> float:
    """`num` / `den`, or 0 when `den` is 0."""
    return num / den if den else 0.0


def f1_of(precision: float, recall: float) -> float:
    """Harmonic mean of `precision` and `recall` (0 when both are 0)."""
    return ratio(2 * precision * recall, precision + recall)


def word_offsets(text: str) -> list[CharSpan]:
    """Character spans of the ``\\w+`` words of `text`."""
    return [m.span() for m in WORD.finditer(text)]


class WordIndex:
    """The words of one text, to turn character spans into sets of word numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = word_offsets(text)

    def tokens(self, spans: Iterable[CharSpan]) -> frozenset[int]:
        """Numbers of the words that lie (at least partly) inside any of `spans`."""
        found: set[int] = set()
        for start, end in spans:
            found.update(self._between(start, end))
        return frozenset(found)

    def _between(self, start: int, end: int) -> range:
        words = self.words
        lo, hi = 0, len(words)
        while lo < hi:  # first word whose end is after `start`
            mid = (lo + hi) // 2
            if words[mid][1] <= start:
                lo = mid + 1
            else:
                hi = mid
        first = lo
        while lo < len(words) and words[lo][0] < end:
            lo += 1
        return range(first, lo)


def trimmed(text: str, start: int, end: int) -> CharSpan:
    """(start, end) with whitespace, quotation marks and punctuation trimmed off both ends."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return (start, end)


def extent(spans: Sequence[CharSpan]) -> CharSpan:
    """The smallest single span covering every span in `spans` (a discontinuous span's extent)."""
    return (min(s for s, _ in spans), max(e for _, e in spans))


def overlap_ratio(gold: frozenset[int], pred: frozenset[int]) -> float:
    """Shared words / words of the longer of the two; 1 only for identical word sets.

    ``>= 0.5`` means at least half of each side lies in the other.
    """
    return ratio(len(gold & pred), max(len(gold), len(pred)))


def context(text: str, start: int, end: int, width: int = 80) -> str:
    """`text` around ``[start, end)`` with the span marked ``[[...]]``, on one line."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


LineCheck = Callable[[str, dict[str, Any]], None]


def read_gold_lines(
    path: Path,
    required: Sequence[str],
    limit: int | None = None,
    check: LineCheck | None = None,
) -> list[dict[str, Any]]:
    """The JSON objects of the JSON Lines file `path` (blank lines skipped), the first
    `limit` when given; raises `InputError` naming ``path:line`` for a line that is not
    JSON, lacks a `required` key, or fails `check` (called with that place and the item)."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"not JSON: {exc.msg}") from exc
        if not isinstance(item, dict):
            raise InputError(where, "not a JSON object")
        missing = [k for k in required if k not in item]
        if missing:
            raise InputError(where, f"missing {', '.join(missing)}")
        if check is not None:
            check(where, item)
        items.append(item)
    return items[:limit] if limit else items


def read_corpus(folder: Path, name: str) -> dict[str, dict[str, Any]] | None:
    """The articles of the corpus `name` of ``folder/corpora.json`` (which gives the path
    of its JSON Lines file relative to `folder`), by id; None when the file is absent.
    Labelled sets refer to real articles by id and offsets, never copying their text."""
    places = json.loads((folder / "corpora.json").read_text(encoding="utf-8"))
    if name not in places:
        raise InputError(str(folder / "corpora.json"), f"no corpus named {name!r}")
    path = folder / places[name]
    if not path.is_file():
        return None
    return {item["id"]: item for item in read_gold_lines(path, ("id", "text"))}
