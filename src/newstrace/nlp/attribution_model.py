"""The trained attribution tagger: source, cue and content spans from a small encoder.

The model is a MiniLM-L6 encoder fine-tuned on PolNeAR train (``scripts/train_attribution.py``)
with three BIO heads, one per role, so that a word can be the source of one attribution and
part of another's content at once (nested attributions). It runs on onnxruntime with the
``tokenizers`` library: no torch at inference. The model file, its tokenizer and its model
card (with the file's SHA-256, checked at load) live in ``newstrace/nlp/data/attribution/``.

Texts are cut into windows of whole paragraphs (at most `MAX_WORDPIECES` wordpieces); a
paragraph longer than that is cut at sentence ends. The same cutting serves training and
inference, so the model sees at run time what it saw in training.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newstrace.nlp.model_files import load_tokenizer, onnx_session, read_card, verify

__all__ = [
    "LABELS",
    "MAX_WORDPIECES",
    "MODEL_DIR",
    "ROLES",
    "AttributionTagger",
    "TaggedSpan",
    "Window",
    "load_tagger",
    "make_windows",
]

ROLES = ("source", "cue", "content")
LABELS = ("O", "B", "I")  # per role; the model emits len(ROLES) * len(LABELS) logits per piece
MAX_WORDPIECES = 128
MODEL_DIR = Path(__file__).parent / "data" / "attribution"
MODEL_FILE = "model.int8.onnx"
_WHAT = "attribution model"
# per role (source, cue, content): P(B) + P(I) above which a word is in a span; a
# source at 0.4: +0.004 relation F1 on PolNeAR dev (cue, content: lower or higher lost)
_INSIDE = np.array([0.4, 0.5, 0.5])
# per role: P(B) + P(I) above which a word carries on a span the word before it is in
# (hysteresis: a span begins above `_INSIDE` and ends below this). Sources at 0.3 and
# contents at 0.35 on PolNeAR dev: relation F1 0.677 -> 0.682, source F1 0.801 -> 0.807,
# content 0.869 -> 0.870 (0.2 for contents lost 0.001);
# cues kept at `_INSIDE` (0.4 raised cue F1 but lowered exact cue matches)
_CARRY_ON = np.array([0.3, 0.5, 0.35])
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s")


@dataclass(frozen=True)
class Window:
    """Wordpieces of one stretch of text: ids with [CLS]/[SEP], and each piece's offsets."""

    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]  # per piece between [CLS] and [SEP]


@dataclass(frozen=True)
class TaggedSpan:
    """A span the tagger gave one role, with its mean label probability."""

    role: str
    start: int
    end: int
    score: float


def make_windows(
    text: str,
    tokenizer: Any,
    max_pieces: int = MAX_WORDPIECES,
    cls_id: int = 101,
    sep_id: int = 102,
) -> list[Window]:
    """Cut `text` into windows of whole paragraphs, encoded by a `tokenizers.Tokenizer`."""
    budget = max_pieces - 2
    windows: list[Window] = []
    ids: list[int] = []
    offsets: list[tuple[int, int]] = []
    for para_ids, para_offsets in _paragraph_pieces(text, tokenizer, budget):
        if ids and len(ids) + len(para_ids) > budget:
            windows.append(_window(ids, offsets, cls_id, sep_id))
            ids, offsets = [], []
        ids.extend(para_ids)
        offsets.extend(para_offsets)
    if ids:
        windows.append(_window(ids, offsets, cls_id, sep_id))
    return windows


def _window(ids: list[int], offsets: list[tuple[int, int]], cls_id: int, sep_id: int) -> Window:
    return Window((cls_id, *ids, sep_id), tuple(offsets))


def _paragraph_pieces(
    text: str, tokenizer: Any, budget: int
) -> Iterable[tuple[list[int], list[tuple[int, int]]]]:
    """Each paragraph's pieces, cut into chunks of at most `budget` at sentence ends.

    The text is encoded once and its pieces split at the paragraphs' offsets: a line
    break is whitespace to the tokenizer, so this gives the pieces of encoding each
    paragraph alone, at a fraction of the calls."""
    encoding = tokenizer.encode(text, add_special_tokens=False)
    all_ids: list[int] = encoding.ids
    all_offsets: list[tuple[int, int]] = encoding.offsets
    starts = [a for a, _ in all_offsets]
    for start, end in _paragraphs(text):
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        ids, offsets = all_ids[first:last], all_offsets[first:last]
        while len(ids) > budget:
            cut = _sentence_cut(text, offsets, budget)
            yield ids[:cut], offsets[:cut]
            ids, offsets = ids[cut:], offsets[cut:]
        if ids:
            yield ids, offsets


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in re.finditer(r"\n+", text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _sentence_cut(text: str, offsets: list[tuple[int, int]], budget: int) -> int:
    """The last piece index <= `budget` that follows a sentence end (else `budget`)."""
    for i in range(budget, budget // 2, -1):
        gap = text[offsets[i - 1][1] : offsets[i][0] + 1]
        if _SENTENCE_END.search(text[offsets[i - 1][0] : offsets[i][0] + 1]) and gap[:1].isspace():
            return i
    return budget


def decode(offsets: Sequence[tuple[int, int]], probs: np.ndarray, text: str) -> list[TaggedSpan]:
    """Spans per role from one window's label probabilities, shape (pieces, roles, labels).

    A word takes the label of its first piece (pieces with no space between them make one
    word), so spans always cover whole words, and no span runs over a line break. A word
    is in a span when B and I together pass the role's threshold (`_INSIDE`: 0.5, more
    likely than O, for cues and contents; measured on PolNeAR dev: fewer broken spans
    than the plain argmax), and begins one when B is likelier than I. A word right after
    a span's last word carries the span on at a lower threshold (`_CARRY_ON`): the
    tagger's probabilities often sag inside a long content ("[the Lisk bridge had] been
    [closed since May]").
    """
    words = _words(offsets, text)
    inside = probs[..., 1] + probs[..., 2]
    labels = np.where(inside > _INSIDE, np.where(probs[..., 1] > probs[..., 2], 1, 2), 0)
    carries_on = inside > _CARRY_ON
    found: list[TaggedSpan] = []
    for r, role in enumerate(ROLES):
        open_span: list[int] | None = None  # [start, end]
        scores: list[float] = []
        for first, start, end in words:
            label = int(labels[first, r])
            if open_span is not None and "\n" in text[open_span[1] : start]:  # +0.006 rel. F1
                found.append(TaggedSpan(role, open_span[0], open_span[1], float(np.mean(scores))))
                open_span = None
            if label == 0 and open_span is not None and carries_on[first, r]:
                label = 2  # after the line break check: a span carried on begins no span
            if label == 0 or (label == 1 and open_span is not None):
                if open_span is not None:
                    found.append(
                        TaggedSpan(role, open_span[0], open_span[1], float(np.mean(scores)))
                    )
                open_span = None
            if label == 0:
                continue
            if open_span is None:
                open_span, scores = [start, end], []
            open_span[1] = end
            scores.append(float(probs[first, r, label]))
        if open_span is not None:
            found.append(TaggedSpan(role, open_span[0], open_span[1], float(np.mean(scores))))
    return found


def join_cut_spans(runs: list[tuple[Window, list[TaggedSpan]]], text: str) -> list[TaggedSpan]:
    """The spans of consecutive windows, with a span that a window boundary cut inside a
    paragraph joined to its continuation (same role, at the window's end and the next
    window's start)."""
    found: list[TaggedSpan] = []
    previous: Window | None = None
    for window, spans in runs:
        cut = (
            previous is not None
            and bool(window.offsets)
            and "\n" not in text[previous.offsets[-1][1] : window.offsets[0][0]]
        )
        for span in spans:
            tail = _tail_of_role(found, span.role, previous) if cut else None
            if tail is not None and span.start == window.offsets[0][0]:
                prev = found[tail]
                found[tail] = TaggedSpan(
                    span.role, prev.start, span.end, min(prev.score, span.score)
                )
            else:
                found.append(span)
        previous = window
    return sorted(found, key=lambda s: (s.start, s.end, s.role))


def _tail_of_role(found: list[TaggedSpan], role: str, window: Window | None) -> int | None:
    if window is None:
        return None
    end = window.offsets[-1][1]
    for i in range(len(found) - 1, -1, -1):
        if found[i].role == role and found[i].end == end:
            return i
        if found[i].end < window.offsets[0][0]:
            break
    return None


def _words(offsets: Sequence[tuple[int, int]], text: str) -> list[tuple[int, int, int]]:
    """(first piece index, start, end) of each run of pieces with no space between them."""
    words: list[tuple[int, int, int]] = []
    for i, (a, b) in enumerate(offsets):
        if words and a == words[-1][2] and not text[a - 1 : a].isspace():
            words[-1] = (words[-1][0], words[-1][1], b)
        else:
            words.append((i, a, b))
    return words


class AttributionTagger:
    """The ONNX attribution tagger and its tokenizer, loaded from a model folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.card = read_card(folder, _WHAT)
        path = folder / self.card.get("file", MODEL_FILE)
        verify(path, str(self.card.get("sha256", "")), _WHAT)
        self.session = onnx_session(path, _WHAT)
        self.tokenizer = load_tokenizer(folder, _WHAT)

    def tag(self, text: str, batch_size: int = 1) -> list[TaggedSpan]:
        """Role spans of `text`."""
        runs = [
            (window, decode(window.offsets, probs, text))
            for window, probs in self.window_probabilities(text, batch_size)
        ]
        return join_cut_spans(runs, text)

    def window_probabilities(
        self, text: str, batch_size: int = 1
    ) -> list[tuple[Window, np.ndarray]]:
        """Each window run, with its label probabilities (pieces, roles, labels).

        One window a run by default. Unpadded, it cost 35% less CPU on PolNeAR than
        batches of 16 padded to their longest window; batches of 4 windows of about the
        same length (sorted by length) cost 5% less than one a run, but the int8 model
        quantises its activations over the whole batch, so a window's labels depend on
        the windows run with it: -0.004 relation F1 on PolNeAR dev."""
        windows = make_windows(text, self.tokenizer)
        found: list[tuple[Window, np.ndarray]] = []
        for i in range(0, len(windows), batch_size):
            batch = windows[i : i + batch_size]
            found.extend(zip(batch, self._probabilities(batch), strict=True))
        return found

    def _probabilities(self, batch: list[Window]) -> list[np.ndarray]:
        width = max(len(w.ids) for w in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, window in enumerate(batch):
            ids[row, : len(window.ids)] = window.ids
            mask[row, : len(window.ids)] = 1
        (logits,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        shaped = logits.reshape(len(batch), width, len(ROLES), len(LABELS))
        exp = np.exp(shaped - shaped.max(-1, keepdims=True))
        probs = exp / exp.sum(-1, keepdims=True)
        return [probs[row, 1 : len(w.ids) - 1] for row, w in enumerate(batch)]


@lru_cache(maxsize=2)
def load_tagger(folder: str = str(MODEL_DIR)) -> AttributionTagger:
    """The attribution tagger in `folder` (the packaged one by default), loaded once."""
    return AttributionTagger(Path(folder))
