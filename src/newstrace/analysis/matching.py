"""Claim matching: grouping statements of the same proposition across articles.

A claim becomes one *item* per figure it carries (a claim without figures is one item;
a figure no claim carries is an item of its own, worded by its sentence). Two items
state one proposition when:

- text items (no figure): their sentence vectors (`newstrace.nlp.embedding`, stored at
  ingest, each wording embedded alone) are close (cosine >= `SAME_MEANING`), or fairly
  close (>= `NEAR_MEANING`) with three shared content words; without vectors, three
  shared content words and token-sort similarity >= 75 (reworded), or token-set
  similarity >= 90 with five shared words (one quote inside a longer one); words are
  shared by their stem
  ("damaged", "damage"). Never when the names each content mentions are disjoint
  ("Clinton leads" is not "Sanders leads"), when one is negated and the other not, when
  one is on a condition and the other not ("a strike if members vote for one"), nor
  when one says what will be and the other what has been ("would finish on
  Wednesday", "had finished"): `claim_marks`, from `language/data/claim_words.json`.
- figure items: the same value and bounds, and a compatible *profile* (what the figure
  counts: the same measure, pollster and part; holder and predicate equal or missing on
  one side). Figures of different series or polls never match, whatever their text. A
  figure that says what it counts (a measure, not a small count, not a bare share or
  sum, not a vague amount of no one: "1,237 delegates") matches on that alone; a bare
  one ("6", "five", "$200", "15 percent" of no one, "thousands of people") only with
  the text rule above, so bare numbers never make a group by themselves. A count of
  people of any kind ("3,000 people") and one of a kind of people ("3,000 residents"),
  all else compatible, match by the text rule too. A pollster is also compatible with
  no pollster where that claim names it (the pollster speaking).

An item joins a group only when it is also close to the group as a whole: its mean
cosine with the group's wordings is at least `GROUP_MEANING` (average link; the same
count of the same thing joins whatever its wording). Linked to any one member, claims
that only share a topic chained into one group.

Sentences that one outlet prints in `BOILERPLATE_ARTICLES` or more of its articles
(different copy groups) are boilerplate (editor's notes, disclaimers, standing
background): their items are left out of the analysis, and those already stored are
removed when the count is reached.

Candidates come from blocking keys stored per item (the figure's bounds, the longest
content words, bands of the vector's random-hyperplane signature), those under the
figure's own key always among them, so adding articles compares them with a few rows
(and a sample of each linked group), never with the whole store.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
from rapidfuzz import fuzz

from newstrace.analysis.text import STOPWORDS, content_words, stem, unit_key, words
from newstrace.language import claim_mark_words
from newstrace.models import SERIES_PREDICATES, Claim, Figure, Record, stable_id
from newstrace.store import Transaction
from newstrace.store import analysis_queries as q
from newstrace.store.vectors import text_hash, unpack_many, vectors_for

SMALL_COUNT = 12
CANDIDATE_LIMIT = 150  # those sharing most blocking keys
SAME_MEANING = 0.80
NEAR_MEANING = 0.62
MERGE_SCORE = 92.0
GROUP_MEANING = 0.70  # mean cosine of a joining item with a group's wordings
GROUP_SAMPLE = 64  # wordings of a group it is compared with
GROUPS_CHECKED = 5  # best-linked groups checked as a whole
MIN_WORDS = 3
BOILERPLATE_ARTICLES = 3
BOILERPLATE_WORDS = 6  # shorter sentences ("He said no.") are never boilerplate
BANDS, BITS = 12, 12
BARE_MEASURES = frozenset(
    ["percent", "percentage", "point", "points", "time", "times", "number", "dollar",
     "dollars", "year", "years", "month", "months", "day", "days", "%"]
)  # fmt: skip
_PARTS = ("rejected", "projection", "increment", "change")
_NEGATORS = frozenset(["not", "no", "never", "nor", "n't", "cannot"])
FUTURE, DONE, CONDITIONAL = "~will", "~done", "~if"
MARKS = frozenset(["not", FUTURE, DONE, CONDITIONAL])  # added to a claim's content words
_PLANES = np.random.default_rng(20261202).standard_normal((BANDS * BITS, 384)).astype(np.float32)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]+")


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
    text_hash: str | None = None
    profile: str | None = None  # "measure|holder|predicate|part|pollster" of a figure
    names: str | None = None
    group_id: str = ""

    @property
    def is_figure(self) -> bool:
        return bool(self.figure_id)

    def bounds_key(self) -> str:
        """The figure's value and bounds, an exact figure's bounds (its value) left out:
        "About 4,000" and "4,000" agree, "at least 4,000" does not."""
        low, high = self.low, self.high
        if low == high == self.value:
            low = high = None
        return "|".join(_num(x) for x in (self.value, low, high))

    def keys(self, vector: np.ndarray | None = None) -> list[str]:
        """Blocking keys: items sharing none of these are never compared."""
        found = []
        if self.is_figure and _anchored(self):
            found.append("f:" + self.bounds_key())
        elif self.is_figure and _profile_parts(self)[0]:
            found.append(f"f:{self.bounds_key()}:{_profile_parts(self)[0]}")
        longest = sorted(set(self.words.split()) - MARKS, key=lambda w: (-len(w), w))
        found.extend("w:" + w for w in longest[:4] if len(w) >= 4)
        if vector is not None:
            found.extend(_bands(vector))
        return found


def _bands(vector: np.ndarray) -> list[str]:
    bits = (_PLANES @ vector > 0).reshape(BANDS, BITS)
    return [
        f"e{b}:{int(''.join('1' if x else '0' for x in row), 2):x}" for b, row in enumerate(bits)
    ]


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _is_small(item: Item) -> bool:
    best = item.value if item.value is not None else item.high
    return best is not None and abs(best) <= SMALL_COUNT


def _profile_parts(item: Item) -> tuple[str, ...]:
    return _split_profile(item.profile or "")


# The helpers below are asked of the same few stored strings once per candidate (up to
# CANDIDATE_LIMIT for each new item): kept, they are split once.
@lru_cache(maxsize=4096)
def _split_profile(profile: str) -> tuple[str, ...]:
    return tuple([*profile.split("|"), "", "", "", "", ""][:5])


@lru_cache(maxsize=8192)
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _anchored(item: Item) -> bool:
    """Whether a figure says what it counts well enough to match on its own: a measure,
    not a bare one, and a count that is not small. A vague amount (bounds, no value:
    "thousands of people", an order of magnitude said of every crowd) also needs the
    holder it counts ("several thousand Karsk troops")."""
    measure, holder = _profile_parts(item)[:2]
    if not measure or measure in BARE_MEASURES or (item.value is None and not holder):
        return False
    return not _is_small(item)


def compatible(a: Item, b: Item, measures: bool = True) -> bool:
    """Whether two figures may count the same thing: the same measure (or one naming a
    kind of the other: "dockworkers", "workers"; not compared when `measures` is
    false), pollster (or one named by the other claim: "Civic Watch said 58 percent")
    and part; the same predicate where both are known; and holders that do not conflict
    (equal, one unknown, or one named by the other claim: a holder is often read off a
    neighbouring name)."""
    ma, ha, pa, part_a, poll_a = _profile_parts(a)
    mb, hb, pb, part_b, poll_b = _profile_parts(b)
    ma, mb = _singular(ma), _singular(mb)
    if measures and not (ma.endswith(mb) or mb.endswith(ma)):
        return False
    if part_a != part_b or not _same_poll(a, poll_a, b, poll_b):
        return False
    if pa and pb and pa != pb:
        return False
    return not ha or not hb or ha == hb or _names(a, hb) or _names(b, ha)


def _same_poll(a: Item, poll_a: str, b: Item, poll_b: str) -> bool:
    """Equal pollsters, or a named one and none where that claim names it (the pollster
    speaking: "Civic Watch said 58 percent of voters..."); an unnamed poll ("?") is
    none other."""
    if poll_a == poll_b:
        return True
    if "?" in (poll_a, poll_b) or (poll_a and poll_b):
        return False
    return _names(a, poll_b) if poll_b else _names(b, poll_a)


def _people_of_a_kind(a: Item, b: Item) -> bool:
    """Whether one figure counts people of any kind and the other people of one kind
    (or anything else), all else compatible: "3,000 people" and "3,000 residents" may
    be one count, which their wordings then decide."""
    ma, mb = _profile_parts(a)[0], _profile_parts(b)[0]
    general = claim_mark_words().general_measures
    return (ma in general) != (mb in general) and compatible(a, b, measures=False)


def _singular(measure: str) -> str:
    """A measure's last word without a plural "s": "delegates" and "delegate" agree."""
    return measure[:-1] if measure.endswith("s") and not measure.endswith("ss") else measure


def _names(item: Item, holder: str) -> bool:
    return _word_set(holder) <= _word_set(item.words)


def figure_profile(figure: Figure) -> str:
    """What a figure counts, as `compatible` compares it."""
    measure = figure.measure.key if figure.measure else (unit_key(figure.unit) or "")
    holder = " ".join(words(figure.holder_name or ""))
    predicate = SERIES_PREDICATES.get(figure.predicate or "", figure.predicate or "")
    part = next((k for k in _PARTS if k in figure.kind), "total")
    if figure.role == "previous":
        part = "previous"  # "up from 120": the earlier value of a change
    poll = " ".join(words(figure.pollster.text)) if figure.pollster else ""
    if "poll" in figure.kind and not poll:
        poll = "?"  # a poll reading of an unnamed poll matches no other poll
    return "|".join(x.replace("|", " ") for x in (measure, holder, predicate, part, poll))


def _figure_item(
    article_id: str,
    claim_id: str,
    figure: Figure,
    words: str,
    text_hash: str | None = None,
    names: str | None = None,
) -> Item:
    return Item(
        article_id, claim_id, figure.id, words, figure.value, figure.low, figure.high,
        unit_key(figure.unit), text_hash, figure_profile(figure), names,
    )  # fmt: skip


def _countable(figure: Figure) -> bool:
    return any(x is not None for x in (figure.value, figure.low, figure.high))


def claim_figures(record: Record, claim: Claim) -> list[Figure]:
    """The figures a claim carries (listed in the claim or pointing at it)."""
    wanted = set(claim.figure_ids)
    return [f for f in record.figures if (f.id in wanted or f.claim_id == claim.id)]


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence of `text` containing [start, end)."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return left + 1, right + 1


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` containing [start, end)."""
    left, right = sentence_bounds(text, start, end)
    return text[left:right].strip()


def claim_words(text: str) -> list[str]:
    """The content words of a claim, with "not" added when it is negated (an odd number
    of negations): a negated claim never matches its affirmative; and the marks of its
    tense and condition (`claim_marks`)."""
    folded = words(_expanded(text))
    negations = sum(w in _NEGATORS for w in folded)
    found = content_words(text)
    negated = ["not"] if negations % 2 else []
    return [*found, *negated, *claim_marks(folded)]


def _expanded(text: str) -> str:
    """`text` with its contractions written out: "won't" -> "wo not", "they'll" ->
    "they will", "we've" -> "we have"."""
    text = text.replace("’", "'").replace("n't", " not")
    return text.replace("'ll", " will").replace("'ve", " have")


def _perfect(folded: list[str]) -> bool:
    """Whether the words hold a perfect ("had finished"), not one of a plan ("had
    agreed to pay": what was agreed is still to be)."""
    lists = claim_mark_words()
    padded = [*folded, "", ""]
    return any(
        w in lists.perfect and lists.is_participle(padded[i + 1]) and padded[i + 2] != "to"
        for i, w in enumerate(folded)
    )


def claim_marks(folded: list[str]) -> list[str]:
    """FUTURE when the words say what will be (a plan, a forecast: "would finish"), else
    DONE when a perfect says what has been ("had finished"); CONDITIONAL when a condition
    restricts it ("if members voted for one"). A plan is not the deed, nor a claim on a
    condition the claim without it."""
    lists = claim_mark_words()
    found = []
    if any(w in lists.future for w in folded):
        found.append(FUTURE)
    elif _perfect(folded):
        found.append(DONE)
    if any(w in lists.conditional for w in folded):
        found.append(CONDITIONAL)
    return found


def content_names(text: str) -> str:
    """The folded capitalised words of `text` that are not its first word nor function
    words: what the content names ("Clinton leads in Iowa" -> "iowa")."""
    found = {w for m in _NAME.findall(text) for w in words(m)}
    return " ".join(sorted(found - STOPWORDS))


@dataclass(frozen=True)
class Placed:
    """An item with the sentence it stands in (hashed), for the boilerplate count."""

    item: Item
    sentence: str
    sentence_words: int


def record_items(record: Record) -> list[Placed]:
    """The items of one article's claims and unattached figures."""
    aid = record.article.id
    found: list[Placed] = []
    attached: set[str] = set()
    text = record.article.text
    for claim in record.claims:
        cwords = claim_words(claim.content.text)
        figures = [f for f in claim_figures(record, claim) if _countable(f)]
        attached.update(f.id for f in figures)
        wording = text_hash(claim.content.text)
        names = content_names(claim.content.text)
        sentence = _sentence(text, claim.content.start, claim.content.end)
        found.extend(
            Placed(
                _figure_item(aid, claim.id, f, _with_sentence(cwords, text, f), wording, names),
                *sentence,
            )
            for f in figures
        )
        if not figures:
            item = Item(aid, claim.id, "", " ".join(cwords), text_hash=wording, names=names)
            found.append(Placed(item, *sentence))
    for figure in record.figures:
        if figure.id not in attached and _countable(figure):
            words_of = " ".join(content_words(sentence_around(text, figure.start, figure.end)))
            item = _figure_item(aid, "", figure, words_of)
            found.append(Placed(item, *_sentence(text, figure.start, figure.end)))
    return found


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """(hash, word count) of the folded words of the sentences around [start, end)."""
    left, _ = sentence_bounds(text, start, start)
    _, right = sentence_bounds(text, end, end)
    folded = words(text[left:right])
    return hashlib.sha1(" ".join(folded).encode("utf-8")).hexdigest()[:20], len(folded)


def _with_sentence(claim: list[str], text: str, figure: Figure) -> str:
    """A figure's claim words plus those of the sentence it stands in, less the words of
    the figure itself: "thousands" or "five" is compared by value, never as a word two
    claims share."""
    sentence = content_words(sentence_around(text, figure.start, figure.end))
    own = set(words(figure.text))
    return " ".join(w for w in dict.fromkeys([*claim, *sentence]) if w not in own)


def _shared(a: Item, b: Item) -> int:
    """Content words both share, less numbers, the counted unit and the marks, each
    compared by its stem ("damaged" and "damage" are one word shared)."""
    units = {stem(u) for u in (a.unit, (a.unit or "") + "s", *MARKS) if u}
    return len(_stems(a.words) & _stems(b.words) - _digits(a.words) - units)


@lru_cache(maxsize=8192)
def _unmarked(words: str) -> str:
    """`words` without the tense and condition marks (the negation stays a word)."""
    return " ".join(w for w in words.split() if w == "not" or w not in MARKS)


@lru_cache(maxsize=8192)
def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


@lru_cache(maxsize=4096)
def _digits(words: str) -> frozenset[str]:
    return frozenset(w for w in words.split() if w.replace(",", "").replace(".", "").isdigit())


def similarity(a: Item, b: Item, cosine: float | None = None) -> float:
    """0-100 when `a` and `b` state the same proposition, else 0; `cosine` is that of
    their sentence vectors, when both have one."""
    if a.is_figure and b.is_figure:
        if a.bounds_key() != b.bounds_key():
            return 0.0
        if not compatible(a, b):
            if not _people_of_a_kind(a, b):
                return 0.0  # figures of different series never match
        elif _anchored(a) and _anchored(b):  # one count of one thing: near-certain, also
            # when one claim denies it ("no one is on pace to get 1,237 delegates")
            return MERGE_SCORE + (100.0 - MERGE_SCORE) * max(cosine or 0.0, 0.0)
    if cosine is not None and cosine < NEAR_MEANING:
        return 0.0  # far apart in meaning (most candidates): what follows cannot match
    if _negated(a) != _negated(b):
        return 0.0  # "the dam is sound" and "the dam is not sound" are two propositions
    if _marked(a, CONDITIONAL) != _marked(b, CONDITIONAL) or _plan_and_deed(a, b):
        return 0.0  # "would strike if members voted" is not "would strike"; "would
        # finish on Wednesday" is not "had finished"
    if a.names and b.names and not _word_set(a.names) & _word_set(b.names):
        return 0.0
    if a.is_figure and not b.is_figure:
        return 0.0  # a figure never joins through a claim without one (it would chain
        # the figures of one sentence together, whatever their series)
    if b.is_figure and not a.is_figure and cosine is None:
        return 0.0  # a claim joins a figure's group only by meaning: "widened by 4 cm"
    if _too_short(a) or _too_short(b):
        return 0.0  # "Mr. Trump", "Minimum Wage": a name or topic states nothing
    shared = _shared(a, b)
    if cosine is not None:
        if cosine >= SAME_MEANING or (cosine >= NEAR_MEANING and shared >= 3):
            return 100.0 * cosine
        return 0.0
    return _text_similarity(a, b, shared)


def _too_short(item: Item) -> bool:
    return not item.is_figure and len(_word_set(item.words) - MARKS) < MIN_WORDS


def _negated(item: Item) -> bool:
    return "not" in _word_set(item.words)


def _marked(item: Item, mark: str) -> bool:
    return mark in _word_set(item.words)


def _plan_and_deed(a: Item, b: Item) -> bool:
    """Whether one of `a` and `b` says what will be and the other what has been."""
    return {_marked(a, FUTURE), _marked(b, FUTURE)} == {True, False} and (
        _marked(a, DONE) or _marked(b, DONE)
    )


def _text_similarity(a: Item, b: Item, shared: int) -> float:
    if shared < 3:
        return 0.0
    wa, wb = _unmarked(a.words), _unmarked(b.words)  # the marks are compared apart
    sort_ratio = fuzz.token_sort_ratio(wa, wb)
    if sort_ratio >= 75:
        return float(sort_ratio)
    set_ratio = fuzz.token_set_ratio(wa, wb)
    return float(set_ratio) if set_ratio >= 90 and shared >= 5 else 0.0


def group_id_for(item: Item) -> str:
    """The id of the group an unmatched item founds."""
    return stable_id("G", item.article_id, item.claim_id, item.figure_id)


def _candidates(conn: Transaction, keys: list[str]) -> tuple[list[Item], list[bytes | None]]:
    """The stored items sharing most of `keys`, and those filed under the figure's own
    key (its count) whatever else they share: ranked with the rest, the same count
    of the same thing was crowded out by items sharing words and vector bands."""
    if not keys:
        return [], []
    figure_keys = [k for k in keys if k.startswith("f:")]
    rows = q.candidate_items(conn, figure_keys, CANDIDATE_LIMIT) if figure_keys else []
    seen = {tuple(row[:3]) for row in rows}
    rows += [r for r in q.candidate_items(conn, keys, CANDIDATE_LIMIT) if tuple(r[:3]) not in seen]
    return [Item(*row[:-1]) for row in rows], [row[-1] for row in rows]


def _cosines(vector: np.ndarray | None, blobs: list[bytes | None]) -> list[float | None]:
    """The cosine of `vector` with each stored vector (None where either is missing)."""
    if vector is None:
        return [None] * len(blobs)
    present = [b for b in blobs if b is not None]
    if not present:
        return [None] * len(blobs)
    found = iter((unpack_many(present) @ vector).tolist())
    return [next(found) if b is not None else None for b in blobs]


def assign_group(
    conn: Transaction, item: Item, vector: np.ndarray | None = None
) -> tuple[Item, list[str]]:
    """`item` with the group of its best-matching stored item (or a new group), and its
    blocking keys. A group is joined only when `item` is also close to the group as a
    whole (`_cohesive`); when it matches items of several groups near-certainly, those
    groups are merged into the best one."""
    keys = item.keys(vector)
    candidates, blobs = _candidates(conn, keys)
    scores: dict[str, float] = {}
    mergeable: set[str] = set()  # groups matched near-certainly by an item of its kind
    for candidate, cosine in zip(candidates, _cosines(vector, blobs), strict=True):
        score = similarity(item, candidate, cosine)
        if score > scores.get(candidate.group_id, 0.0):
            scores[candidate.group_id] = score
        if score >= MERGE_SCORE and candidate.is_figure == item.is_figure:
            mergeable.add(candidate.group_id)
    sure = mergeable if item.is_figure else set()  # the same count of the same thing
    ranked = sorted(scores, key=lambda g: (-scores[g], g))[:GROUPS_CHECKED]
    joinable = [g for g in ranked if g in sure or _cohesive(conn, g, vector)]
    if not joinable:
        return replace(item, group_id=group_id_for(item)), keys
    best = joinable[0]
    # Only near-certain matches join groups together (one loose link per item would
    # chain a whole topic into one group), and never through a claim without figures
    # (it would join the groups of different figures of its sentence).
    others = sorted(set(joinable[1:]) & mergeable)
    if others:
        q.merge_groups(conn, others, best)
    return replace(item, group_id=best), keys


def _cohesive(conn: Transaction, group_id: str, vector: np.ndarray | None) -> bool:
    """Whether `vector` is close to group `group_id` as a whole: its mean cosine with
    the group's wordings (a sample of `GROUP_SAMPLE`) is at least `GROUP_MEANING`.
    Linking to any one member (single link) let claims that only share a topic ("her
    use of a private email server" inside a dozen different claims) chain into one
    group; an item without a vector, or a group without one, is judged by its link."""
    if vector is None:
        return True
    blobs = q.group_vectors(conn, group_id, GROUP_SAMPLE)
    if not blobs:
        return True
    return float(np.mean(unpack_many(blobs) @ vector)) >= GROUP_MEANING


# An article with neither a URL nor an outlet name counts as an outlet of its own (its
# copy group), keyed NO_OUTLET + the group's root article id, and is shown as NO_OUTLET_LABEL.
NO_OUTLET = "article:"
NO_OUTLET_LABEL = "(no outlet)"


def outlet_key(url: str | None, outlet: str | None, root: str) -> str:
    """One name per outlet: the web domain, else the outlet name, else the copy group."""
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return (outlet or "").strip().lower() or NO_OUTLET + root


def outlet_label(key: str) -> str:
    """What an outlet key reads as: itself, or NO_OUTLET_LABEL for an article's own key."""
    return NO_OUTLET_LABEL if key.startswith(NO_OUTLET) else key


def match_records(conn: Transaction, records: Iterable[Record]) -> int:
    """Group the items of `records` with what is stored, leaving boilerplate out;
    returns the number of items stored."""
    count = 0
    for record in records:
        placed = record_items(record)
        vectors = vectors_for(conn, [p.item.text_hash or "" for p in placed])
        boiler = _boilerplate(conn, record, placed)
        for p in placed:
            if p.sentence in boiler:
                continue
            vector = vectors.get(p.item.text_hash or "")
            item, keys = assign_group(conn, p.item, vector)
            q.insert_item(conn, item.__dict__, keys)
            count += 1
    return count


def _boilerplate(conn: Transaction, record: Record, placed: list[Placed]) -> set[str]:
    """The sentences of `record` that its outlet repeats in `BOILERPLATE_ARTICLES` copy
    groups (this one included); the stored items in them are removed."""
    article = record.article
    root = article.duplicate_of or article.id
    outlet = outlet_key(article.url, article.outlet, root)
    rows: list[Mapping[str, str]] = []
    found: set[str] = set()
    for p in placed:
        rows.append({
            "article_id": p.item.article_id, "claim_id": p.item.claim_id,
            "figure_id": p.item.figure_id, "outlet": outlet, "sentence": p.sentence,
            "root": root,
        })  # fmt: skip
        if p.sentence_words < BOILERPLATE_WORDS or p.sentence in found:
            continue
        roots = q.sentence_roots(conn, outlet, p.sentence) | {root}
        if len(roots) >= BOILERPLATE_ARTICLES:
            found.add(p.sentence)
            q.drop_sentence_items(conn, outlet, p.sentence)
    q.insert_sentences(conn, rows)
    return found
