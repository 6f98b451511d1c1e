"""What a figure counts: its measure, holder, place, predicate, kind and as-of time.

`describe_figures(doc, figures, entities, claims, times)` decides, once and from the
parse, what each figure of `extract_figures` is about:

* ``measure``: the counted noun phrase ("North Korean troops", "percent of voters")
  and its key: the head noun with its modifiers, lower-cased, without the words that
  name the holder, numbers, determiners and qualifiers, synonyms folded
  ("soldiers" -> "troops"); a figure with no noun of its own ("put the number at
  4,500", "up from about 3,000") takes the measure of the figure it refers back to
  (the nearest in its sentence, else in the two sentences before);
* ``holder``: whose count it is, an entity id: a name or demonym modifying the
  counted noun ("Karsk troops", "North Korean troops" -> North Korea), a possessive
  ("Karsk's soldiers"; "its soldiers" -> the speaker's entity), or the subject of a
  verb that holds or moves the counted things ("Russia has deployed 60,000 troops");
  demonyms and capitals used as actors resolve to the country's entity;
* ``place``: the first place entity in an "in/near/at/to ..." phrase of the noun or
  its verb ("near the border town of Lisk" -> Lisk);
* ``predicate``: the governing verb (or the counted noun: "casualties") mapped to the
  set in `newstrace.models.PREDICATES`;
* ``kind``: ``total`` or ``increment`` ("another 1,500", "3,000 more", "additional"),
  plus ``change`` (with ``role`` "previous" or "current": "up from 3,000",
  "compared with 33 percent last month"), ``projection`` ("could rise to 15,000",
  "plans to send"), ``poll`` (with the ``pollster``), ``cumulative`` ("a total of"),
  ``rejected`` (inside a denial: "calling the estimate of 3,000 'invented'"), ``part``
  (breaking down a total of its sentence: "$45 million, including $12 million on ads");
* ``as_of``: the time the figure describes: the nearest time attached to its verb or,
  walking up, to the verb that reports it ("said on Monday"); durations and "since"
  times are not dates it describes.

The word lists are data: ``data/figure_words.json``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from newstrace.extract.gazetteer import load_gazetteer, place_words
from newstrace.extract.numbers import VAGUE, is_number_word
from newstrace.extract.spans import doc_text, tokens_span
from newstrace.models import (
    CURRENCY_UNITS,
    POLL_MEASURES,
    SERIES_PREDICATES,
    ChainLink,
    Claim,
    Entity,
    Figure,
    Measure,
    TimeExpression,
)

_VAGUE_WORDS = frozenset(w for phrase in VAGUE for w in phrase.split()) | {"several", "few"}
_PERCENT = frozenset({"%", "percent", "per", "pct"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_CORE = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative", "npadvmod", "appos"})
_MODIFIERS = frozenset({"amod", "compound", "nmod", "poss", "npadvmod", "nummod", "quantmod"})
_CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj"})
# where a count is or went ("near Lisk", "sent into Karsk"): data/places.json
_PLACE_PREPS = place_words().prepositions | place_words().motion_prepositions
_PLACE_TYPES = ("GPE", "LOC", "FAC")
_HOLDER_TYPES = frozenset({"GPE", "ORG", "NORP", "PERSON"})
_NOT_MEASURES = frozenset({"DATE", "TIME"})
_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_TIME_NOUNS = frozenset(
    [
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "decade",
        "decades",
        "century",
        "centuries",
        "time",
    ]
)
_MAGNITUDE = 20  # an antecedent's value is within this factor of the figure's
_PRONOUNS = frozenset({"it", "its", "they", "their", "them", "we", "our", "us"})
_DATED = re.compile(r"^\d{4}")
_NOT_AS_OF = frozenset({"since", "until", "before", "after", "from"})
_ANTECEDENT_SENTENCES = 2
_FILLER = frozenset(
    [
        "the",
        "a",
        "an",
        "figure",
        "figures",
        "estimate",
        "estimates",
        "number",
        "numbers",
        "count",
        "its",
        "their",
        "previous",
        "earlier",
        "of",
        "official",
    ]
)


@dataclass(frozen=True)
class _Words:
    verb_predicates: dict[str, str]
    noun_predicates: dict[str, str]
    synonyms: dict[str, str]
    skip: frozenset[str]
    increment: frozenset[str]
    cumulative_before: tuple[str, ...]
    cumulative_after: tuple[str, ...]
    previous_before: tuple[str, ...]
    previous_after: tuple[str, ...]
    change_verbs: frozenset[str]
    change_adverbs: frozenset[str]
    projection_aux: frozenset[str]
    projection_modal: frozenset[str]
    projection_heads: frozenset[str]
    projection_times: tuple[str, ...]
    poll: re.Pattern[str]
    poll_nouns: frozenset[str]
    poll_context_sentences: int
    not_holders: frozenset[str]
    deny_verbs: frozenset[str]
    false_words: frozenset[str]
    rate_words: frozenset[str]
    poll_kinds: frozenset[str]
    result_verbs: frozenset[str]
    state_verbs: frozenset[str]
    force_nouns: frozenset[str]
    vote_nouns: frozenset[str]
    list_links: frozenset[str]
    list_link_words: int
    rival_verbs: frozenset[str]
    contest_after: tuple[str, ...]
    contest_before: tuple[str, ...]
    owning_verbs: frozenset[str]
    counting_verbs: frozenset[str]
    part_markers: tuple[str, ...]
    threshold_measures: frozenset[str]
    threshold_context: frozenset[str]
    threshold_after: tuple[str, ...]
    threshold_before: tuple[str, ...]
    threshold_attained: tuple[str, ...]
    poll_questions: dict[str, str]  # word -> question
    margin_nouns: frozenset[str]
    margin_words: frozenset[str]
    poll_averages: frozenset[str]
    measure_qualifiers: dict[str, dict[str, tuple[str, ...]]]
    purpose_prepositions: frozenset[str]
    not_purposes: frozenset[str]
    kinds_of_bodies: frozenset[str]
    shortfall_after: tuple[str, ...]
    heading_words: int
    heading_paragraphs: int


@lru_cache(maxsize=1)
def figure_words() -> _Words:
    """The word lists of ``data/figure_words.json``, read once."""
    path = resources.files("newstrace.extract.data").joinpath("figure_words.json")
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    poll = "|".join(re.escape(w) for w in sorted(raw["poll_words"], key=len, reverse=True))
    return _Words(
        verb_predicates=raw["verb_predicates"],
        noun_predicates=raw["noun_predicates"],
        synonyms=raw["measure_synonyms"],
        skip=frozenset(raw["measure_skip"]),
        increment=frozenset(raw["increment_words"]),
        cumulative_before=tuple(raw["cumulative_before"]),
        cumulative_after=tuple(raw["cumulative_after"]),
        previous_before=tuple(raw["previous_before"]),
        previous_after=tuple(raw["previous_after"]),
        change_verbs=frozenset(raw["change_verbs"]),
        change_adverbs=frozenset(raw["change_adverbs"]),
        projection_aux=frozenset(raw["projection_aux"]),
        projection_modal=frozenset(raw["projection_modal"]),
        projection_heads=frozenset(raw["projection_heads"]),
        projection_times=tuple(raw["projection_times"]),
        poll=re.compile(rf"\b(?:{poll})\b", re.IGNORECASE),
        poll_nouns=frozenset(raw["poll_nouns"]),
        poll_context_sentences=int(raw["poll_context_sentences"]),
        not_holders=frozenset(raw["not_holders"]),
        deny_verbs=frozenset(raw["deny_verbs"]),
        false_words=frozenset(raw["false_words"]),
        rate_words=frozenset(raw["rate_words"]),
        poll_kinds=frozenset(raw["poll_kinds"]),
        result_verbs=frozenset(raw["result_verbs"]),
        state_verbs=frozenset(raw["state_verbs"]),
        force_nouns=frozenset(raw["force_nouns"]),
        vote_nouns=frozenset(raw["vote_nouns"]),
        list_links=frozenset(raw["list_links"]),
        list_link_words=int(raw["list_link_words"]),
        rival_verbs=frozenset(raw["rival_verbs"]),
        contest_after=tuple(raw["contest_after"]),
        contest_before=tuple(raw["contest_before"]),
        owning_verbs=frozenset(raw["owning_verbs"]),
        counting_verbs=frozenset(raw["counting_verbs"]),
        part_markers=tuple(raw["part_markers"]),
        threshold_measures=frozenset(raw["threshold_measures"]),
        threshold_context=frozenset(raw["threshold_context"]),
        threshold_after=tuple(raw["threshold_after"]),
        threshold_before=tuple(raw["threshold_before"]),
        threshold_attained=tuple(raw["threshold_attained"]),
        poll_questions={w: q for q, ws in raw["poll_questions"].items() for w in ws},
        margin_nouns=frozenset(raw["margin_nouns"]),
        margin_words=frozenset(raw["margin_words"]),
        poll_averages=frozenset(raw["poll_averages"]),
        measure_qualifiers={
            key: {narrow: tuple(phrases) for narrow, phrases in narrower.items()}
            for key, narrower in raw["measure_qualifiers"].items()
        },
        purpose_prepositions=frozenset(raw["purpose_prepositions"]),
        not_purposes=frozenset(raw["not_purposes"]),
        kinds_of_bodies=frozenset(w.lower() for w in raw["kinds_of_bodies"]),
        shortfall_after=tuple(raw["shortfall_after"]),
        heading_words=int(raw["heading_words"]),
        heading_paragraphs=int(raw["heading_paragraphs"]),
    )


@dataclass
class _Context:
    doc: Doc
    entities: dict[str, Entity]
    by_token: dict[int, Entity]
    claims: dict[str, Claim]
    times: dict[int, TimeExpression]
    # ids of the figures that count nothing (`_not_a_count`), found once by `_describe`
    not_counts: set[str] = field(default_factory=set)


def describe_figures(
    doc: Doc,
    figures: Sequence[Figure],
    entities: Sequence[Entity],
    claims: Sequence[Claim],
    times: Sequence[TimeExpression],
) -> list[Figure]:
    """`figures` with measure, holder, place, predicate, kind, role, pollster and as_of."""
    ctx = _Context(
        doc,
        {e.id: e for e in entities},
        _token_entities(doc, entities),
        {c.id: c for c in claims},
        _token_times(doc, times),
    )
    described = [_describe(ctx, f) for f in figures]
    described = _fill_from_article(ctx, _inherit(ctx, described))
    marked = _mark_parts(ctx, _mark_changes(ctx, _score_pairs(ctx, described)))
    return _mark_thresholds(ctx, marked)


def _token_entities(doc: Doc, entities: Iterable[Entity]) -> dict[int, Entity]:
    found: dict[int, Entity] = {}
    for entity in entities:
        for m in entity.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for token in span or ():
                found.setdefault(token.i, entity)
    return found


def _token_times(doc: Doc, times: Iterable[TimeExpression]) -> dict[int, TimeExpression]:
    found: dict[int, TimeExpression] = {}
    for t in times:
        if not (t.value and _DATED.match(t.value)) or t.text.lower().startswith("since"):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or (span.start > 0 and doc[span.start - 1].lower_ in _NOT_AS_OF):
            continue
        for token in span:
            found[token.i] = t
    return found


def _tokens(doc: Doc, figure: Figure) -> list[Token]:
    span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
    return list(span) if span is not None else []


def _anchor(tokens: Sequence[Token]) -> Token | None:
    """The last number word of a figure ("3,000" in "about 3,000", "hundred")."""
    for token in reversed(tokens):
        number = is_number_word(token.lower_) or token.lower_ in _VAGUE_WORDS
        if number and token.lower_ not in ("a", "an", "of"):
            return token
    return tokens[-1] if tokens else None


def _describe(ctx: _Context, figure: Figure) -> Figure:
    tokens = _tokens(ctx.doc, figure)
    anchor = _anchor(tokens)
    if anchor is None or _not_a_count(ctx.doc, figure, tokens):
        ctx.not_counts.add(figure.id)
        return figure
    noun = _counted(ctx.doc, anchor, figure, tokens)
    measure = _measure(ctx, noun, anchor, figure, tokens) if noun is not None else None
    unit = figure.unit
    if measure is None and unit in CURRENCY_UNITS:
        measure = _money(ctx.doc, tokens, unit)
    elif noun is None and unit != "percent":
        unit = None  # "3,000 to 5,000 last month": no counted noun, not "month"
    verb = _verb(noun if noun is not None else anchor)
    holder = _holder(ctx, noun, verb, figure)
    claim = ctx.claims.get(figure.claim_id or "")
    kind = _kind(ctx, figure, tokens, anchor, noun, verb, claim)
    predicate = _predicate(noun, verb, kind)
    literal = predicate is None and (measure is None or not _a_force_key(measure.key))
    holder_id, holder_name = _resolve(ctx, holder, literal=literal)
    pollster = _pollster(ctx, figure, anchor, claim) if "poll" in kind else None
    if pollster is not None and holder_name and holder_name in pollster.text:
        holder_id, holder_name = None, None  # the poll's maker holds none of its shares
    place = _place(ctx, noun, verb)
    narrowed = _narrowed(ctx, tokens, verb, measure, unit, predicate)
    if narrowed is not None and measure is not None and narrowed.key == f"{measure.key} short":
        predicate = None  # what is missing was not won, sent or spent
    return replace(
        figure,
        unit=unit,
        measure=narrowed,
        holder=holder_id,
        holder_name=holder_name,
        place=place.id if place else None,
        place_name=place.name if place else None,
        predicate=predicate,
        kind=kind,
        pollster=pollster,
        as_of=_as_of(ctx, verb if verb is not None else anchor, claim),
    )


# --- the counted noun ---------------------------------------------------------------

_RATIO_PREPS = frozenset({"in", "of", "out"})
_NAMES_WITH_NUMBERS = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"})
_CHAIN = re.compile(r"\d[\d.,%]*(?:[-–]\d[\d.,%]*){2,}")


def _not_a_count(doc: Doc, figure: Figure, tokens: Sequence[Token]) -> bool:
    """A number that counts nothing a history could track: part of a name ("Boeing
    737"), a share written as a ratio ("3 in 10 voters", "nine of 10 Republicans": both
    numbers) or one of a chain of numbers ("a 3-2-1 strategy", a score "76-21-3")."""
    if not tokens:
        return True
    if figure.unit != "percent" and any(t.ent_type_ in _NAMES_WITH_NUMBERS for t in tokens):
        return True  # "Fantastic Four", "Boeing 737", "Super Bowl 50" (no name has a percent)
    if _list_number(doc, figure) or _in_a_title(tokens):
        return True
    first, last = tokens[0], tokens[-1]
    after = doc[last.i + 1 : last.i + 3]
    if len(after) == 2 and after[0].lower_ in _RATIO_PREPS and is_number_word(after[1].lower_):
        return True
    before = doc[max(first.i - 2, 0) : first.i]
    if len(before) == 2 and before[1].lower_ in _RATIO_PREPS and is_number_word(before[0].lower_):
        return True
    text = doc_text(doc)  # doc.text rebuilds the whole text on every access
    chunk_start = text.rfind(" ", 0, figure.start) + 1
    chunk_end = text.find(" ", figure.end)
    chunk = text[chunk_start : chunk_end if chunk_end >= 0 else len(text)]
    return _CHAIN.search(chunk) is not None


def _list_number(doc: Doc, figure: Figure) -> bool:
    """A list's number, not a count: alone in its paragraph ("1", "2." above each item of
    a list), numbering its line ("5. Ten Karsk guards killed."), or opening a headline
    line ("Ten Questions Quist Must Answer", "5 Things to Know"): a line without a full
    stop whose words are mostly capitalised."""
    text = doc_text(doc)  # doc.text rebuilds the whole text on every access
    line_start = text.rfind("\n", 0, figure.start) + 1
    line_end = text.find("\n", figure.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
    if not line.startswith(figure.text):
        return False
    if line[len(figure.text) : len(figure.text) + 2] in (". ", ") "):
        return True  # "5. ELEVEN POLICE KILLED ...": an item's number
    rest = line[len(figure.text) :].strip()
    if rest.strip(".):") == "":
        return True
    words = [w for w in rest.split() if w[:1].isalpha()]
    if len(words) < 2 or rest.endswith((".", "!", "?", '"', "”")):
        return False
    long_words = [w for w in words if len(w) > 3] or words
    return sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.75


def _in_a_title(tokens: Sequence[Token]) -> bool:
    """A number word capitalised after a capitalised word inside a sentence: part of a
    name the tagger missed ("the Fantastic Four reboot", "the Final Four")."""
    word = tokens[-1]
    if not word.is_alpha or not word.is_title or word.is_sent_start or word.i == 0:
        return False
    before = word.doc[word.i - 1]
    return before.is_title and not before.is_sent_start and before.is_alpha


def _money(doc: Doc, tokens: Sequence[Token], unit: str) -> Measure:
    """What a sum counts: the currency, or a rate when a unit of time or of things
    follows it ("$15 an hour" is "dollars per hour", never a point of a total's history)."""
    key = unit
    words = figure_words().rate_words
    i = tokens[-1].i + 1
    while i < len(doc) and doc[i].text == "-":
        i += 1
    if i + 1 < len(doc) and doc[i].lower_ in words:
        per = doc[i + 1] if doc[i + 1].text != "-" else doc[min(i + 2, len(doc) - 1)]
        if per.pos_ == "NOUN":
            key = f"{unit} per {per.lemma_.lower()}"
    return Measure(tokens[0].text, tokens[0].idx, tokens[0].idx + 1, key)


def _counted(doc: Doc, anchor: Token, figure: Figure, tokens: Sequence[Token]) -> Token | None:
    """The noun the figure counts, or None (the measure is then inherited)."""
    if figure.unit == "percent":
        return next((t for t in tokens if t.lower_ in _PERCENT or t.text == "%"), None)
    token = anchor
    inside = {t.i for t in tokens}
    while token.dep_ == "conj" and token.head.i in inside:
        token = token.head  # "two or three thousand troops": "thousand" is a conjunct of "two"
    seen = 0
    while token.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and seen < 4:
        head = token.head
        if head.i <= token.i or head.pos_ not in ("NOUN", "PROPN", "NUM"):
            break
        token = head
        seen += 1
        if not (is_number_word(token.lower_) or token.lower_ in _VAGUE_WORDS):
            return token if _countable(token) else None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and _countable(pobj):
                return pobj
    after = _after(doc, tokens)
    if after is not None and after.pos_ == "NOUN" and _countable(after):
        return after
    return _number_of(anchor)


_NUMBER_NOUNS = frozenset({"number", "figure", "count", "total", "tally", "estimate"})


def _number_of(anchor: Token) -> Token | None:
    """ "The number of Karsk troops rose to 4,500", "put the number of soldiers at 3,000":
    the noun after "number of"."""
    verb = _verb(anchor)
    if verb is None:
        return None
    for child in verb.children:
        if child.dep_ in (*_SUBJECTS, "dobj") and child.lemma_.lower() in _NUMBER_NOUNS:
            noun = _of_object(child)
            if noun is not None and _countable(noun):
                return noun
    return None


def _after(doc: Doc, tokens: Sequence[Token]) -> Token | None:
    i = tokens[-1].i + 1
    while i < len(doc) and doc[i].lower_ in ("more", "additional", "extra", "-"):
        i += 1
    return doc[i] if i < len(doc) else None


def _countable(noun: Token) -> bool:
    return (
        noun.pos_ in ("NOUN", "PROPN")
        and not noun.like_num
        and noun.ent_type_ not in _NOT_MEASURES
        and noun.lower_ not in _TIME_NOUNS
    )


def _measure(
    ctx: _Context, noun: Token, anchor: Token, figure: Figure, tokens: Sequence[Token]
) -> Measure | None:
    words = figure_words()
    figure_ids = {t.i for t in tokens}
    left = [
        t
        for t in _left_modifiers(noun)
        if t.i not in figure_ids and not t.is_punct and not t.like_num
    ]
    key_words = [
        t.lower_
        for t in left
        if _a_group(ctx, ctx.by_token.get(t.i))
        or (
            t.i not in ctx.by_token
            and t.pos_ not in ("DET", "PRON", "PART", "NUM", "ADP", "PROPN")
            and t.dep_ != "poss"
            and t.lower_ not in words.skip
            and not is_number_word(t.lower_)
        )
    ]
    head = words.synonyms.get(noun.lower_, noun.lower_)
    key = " ".join([*key_words, head])
    last = noun
    if head == "percent":
        of = _of_object(noun)
        if of is not None:
            key = f"percent of {_plain_key(ctx, of)}"
            last = of
    key = words.synonyms.get(key, key)
    first = min((t.i for t in left if t.i > anchor.i), default=noun.i)
    first = min(first, noun.i)
    span = tokens_span(ctx.doc, first, last.i, strip=" \t\r\n,;:\"'“”‘’")
    if span is None:
        return None
    return Measure(span.text, span.start, span.end, key)


def _left_modifiers(noun: Token) -> list[Token]:
    """The modifiers left of `noun` with their own modifiers ("North Korean", "armoured")."""
    found: list[Token] = []
    for child in noun.lefts:
        if child.dep_ in _MODIFIERS or child.dep_ in ("det", "predet"):
            found.extend(t for t in child.subtree if t.i < noun.i)
    return sorted(found, key=lambda t: t.i)


def _of_object(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _plain_key(ctx: _Context, noun: Token) -> str:
    words = figure_words()
    mods = [
        t.lower_
        for t in _left_modifiers(noun)
        if t.dep_ in ("amod", "compound")
        and t.i not in ctx.by_token
        and t.lower_ not in words.skip
        and t.pos_ in ("ADJ", "NOUN", "VERB")
    ]
    return " ".join([*mods, words.synonyms.get(noun.lower_, noun.lower_)])


def _narrowed(
    ctx: _Context,
    tokens: Sequence[Token],
    verb: Token | None,
    measure: Measure | None,
    unit: str | None,
    predicate: str | None,
) -> Measure | None:
    """`measure` with its key as narrow as the sentence makes it: a share's question
    ("percent favourable", "percent margin"), what a sum was spent on ("dollars on
    rent"), a `measure_qualifiers` phrase ("pledged delegates")."""
    if measure is None or not tokens:
        return measure
    key = measure.key
    if unit == "percent":
        key = _share_key(ctx.doc, tokens, key)
    elif unit in CURRENCY_UNITS and predicate == "spent" and key == unit:
        key = _purpose_key(ctx, tokens, verb, key)
    elif _a_shortfall(ctx.doc, tokens, measure):
        key = f"{key} short"  # "439 delegates short of the nomination"
    key = _qualified_key(tokens[0].sent, key)
    return measure if key == measure.key else replace(measure, key=key)


def _share_key(doc: Doc, tokens: Sequence[Token], key: str) -> str:
    """A share's key with the question it answers when it is no vote share: a lead
    ("leading by 2.2 percent": "percent margin") or a `poll_questions` word on its way
    up the parse ("her favourability fell to 38 percent": "percent favourable")."""
    if _a_margin(doc, tokens):
        return f"{key} margin"
    question = _question(tokens[-1])
    return f"{key} {question}" if question else key


def _a_margin(doc: Doc, tokens: Sequence[Token]) -> bool:
    """Is the share a lead, not a reading (`margin_nouns`)? "leading by 2.2 percent",
    "ahead by 5 percent", "a lead of 4 percent", "a 4 percent edge"; not a score's "by
    49 percent to 47 percent"."""
    words = figure_words()
    first, last = tokens[0].i, tokens[-1].i
    if last + 2 < len(doc) and doc[last + 1].lower_ in _SCORE_LINKS and doc[last + 2].like_num:
        return False
    if first > 0 and doc[first - 1].lower_ == "by":
        head = doc[first - 1].head
        lemma = head.lemma_.lower()
        return lemma in words.rival_verbs | words.result_verbs or head.lower_ in words.margin_words
    share = next((t for t in tokens if t.lower_ in _PERCENT), tokens[-1])
    head = share.head
    if share.dep_ == "pobj" and head.lower_ == "of":
        return head.head.lemma_.lower() in words.margin_nouns
    return share.dep_ in _MODIFIERS and head.lemma_.lower() in words.margin_nouns


def _question(anchor: Token) -> str | None:
    """The `poll_questions` question a word on the share's way up the parse names: the
    share's own phrase, its verb and the verbs above it with their arguments, not
    another clause."""
    questions = figure_words().poll_questions
    path: set[int] = set()
    node = anchor
    for _ in range(8):
        path.add(node.i)
        for token in _clause_tokens(node, path):
            found = questions.get(token.lower_) or questions.get(token.lemma_.lower())
            if found:
                return found
        if node.head is node:
            break
        node = node.head
    return None


def _clause_tokens(node: Token, path: set[int]) -> Iterable[Token]:
    """`node` and the phrases of its children off `path`, not entering another clause."""
    yield node
    stack = [c for c in node.children if c.i not in path and c.dep_ not in _CLAUSES]
    while stack:
        token = stack.pop()
        yield token
        stack.extend(c for c in token.children if c.dep_ not in _CLAUSES)


def _purpose_key(ctx: _Context, tokens: Sequence[Token], verb: Token | None, key: str) -> str:
    """A spent sum's key with what it was spent on ("paid $110,684 in rent": "dollars on
    rent"; `purpose_prepositions`): the object noun of such a preposition on the sum or
    its verb, no date, place or name."""
    words = figure_words()
    heads = [*tokens, *([verb] if verb is not None else [])]
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in words.purpose_prepositions:
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.pos_ != "NOUN" or pobj.lemma_.lower() in words.not_purposes:
                continue
            if _countable(pobj) and pobj.i not in ctx.by_token:
                return f"{key} on {_plain_key(ctx, pobj)}"
    return key


def _a_shortfall(doc: Doc, tokens: Sequence[Token], measure: Measure) -> bool:
    """Does a `shortfall_after` word follow the count or its noun?"""
    last = tokens[-1].i
    if measure.end > tokens[-1].idx:
        span = doc.char_span(measure.start, measure.end, alignment_mode="expand")
        last = max(last, span[-1].i) if span is not None else last
    return _phrase_after(doc, last, figure_words().shortfall_after)


def _qualified_key(sent: Span, key: str) -> str:
    """The narrower key a `measure_qualifiers` phrase of the sentence names, else `key`."""
    narrower = figure_words().measure_qualifiers.get(key)
    if not narrower:
        return key
    text = sent.text.lower().replace("’", "'")
    return next((n for n, phrases in narrower.items() if any(p in text for p in phrases)), key)


# --- verb, holder, place ------------------------------------------------------------


def _verb(token: Token) -> Token | None:
    """The verb whose argument the counted noun (or the number) is."""
    for _ in range(6):
        dep = token.dep_
        head = token.head
        if head is token:
            return token if token.pos_ in ("VERB", "AUX") else None
        if dep in _CORE or dep in ("nummod", "quantmod", "compound", "amod"):
            if head.pos_ in ("VERB", "AUX") or _has_aux(head):
                return head
            token = head
        elif dep == "pobj":
            prep = head
            if prep.head.pos_ in ("VERB", "AUX"):
                return prep.head
            token = prep.head
        elif dep in ("conj", "prep", "appos", "acl"):
            token = head
        else:
            return head if head.pos_ in ("VERB", "AUX") else None
    return None


def _has_aux(token: Token) -> bool:
    """A verb the tagger took for something else ("44 percent would back" cut off)."""
    return any(c.dep_ in ("aux", "auxpass") for c in token.children)


def _subject(verb: Token) -> Token | None:
    """The subject of `verb`, or of the verb it complements ("plans to send")."""
    for _ in range(3):
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject
        if verb.dep_ in ("xcomp", "conj", "aux") and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def _holder(ctx: _Context, noun: Token | None, verb: Token | None, figure: Figure) -> Entity | None:
    for token in _tokens(ctx.doc, figure):  # "to Karsk's 535": the possessor's, not the verb's
        for child in token.children:
            if child.dep_ == "poss" and child.lower_ not in _PRONOUNS:
                entity = _named(ctx, child)
                if entity is not None and entity.type in _HOLDER_TYPES:
                    return entity
    if noun is not None:
        for token in _left_modifiers(noun):
            if _a_rival(token):
                continue
            entity = _named(ctx, token)
            if entity is not None and entity.type in _HOLDER_TYPES and not _a_group(ctx, entity):
                return entity
            if token.dep_ == "poss" and token.lower_ in _PRONOUNS:
                return _pronoun_entity(ctx, token, figure)
    if noun is None or figure.unit == "percent" or _a_vote_noun(noun):
        if _a_contest_count(ctx.doc, figure, noun):
            return None  # "with 46 delegates at stake", "A candidate needs 1,190 to win"
        listed = _listed_holder(ctx, figure)
        if listed is not None:
            return listed
    if noun is not None and noun.dep_ == "appos" and figure.unit != "percent":
        return _appositive_holder(ctx, noun)
    if noun is not None and figure.unit is not None and _a_place_s(figure, noun):
        place = _place_holder(ctx, noun, verb)
        if place is not None:
            return place
    if verb is None:
        return None
    if figure.unit == "percent":
        return _percent_holder(ctx, noun, verb)
    margin = noun is not None and noun.lower_ in POLL_MEASURES  # "Quist led by 5 points"
    if figure_words().verb_predicates.get(verb.lemma_.lower()) not in _HOLDING and not margin:
        return _holder_before(ctx, figure)
    subject = _subject(verb)
    shown = {t.i for t in _tokens(ctx.doc, figure)}
    if (
        subject is None
        or (noun is not None and noun in subject.subtree)
        or any(t.i in shown for t in subject.subtree)
        or subject.like_num
    ):
        # the figure is (in) the subject: "Her 1,402 (to Tavel's 1,277) are a majority"
        return _holder_before(ctx, figure)
    if subject.lower_ in _PRONOUNS:
        return _pronoun_entity(ctx, subject, figure)
    return _entity_in(ctx, subject)


def _appositive_holder(ctx: _Context, noun: Token) -> Entity | None:
    """A count in apposition says what the noun before it is ("ban all Valdorians — 1.6
    million members of one faith"): the holder that noun names, never the verb's subject."""
    entity = _named(ctx, noun.head)
    if entity is None or entity.type not in _HOLDER_TYPES or _a_group(ctx, entity):
        return None
    return entity


def _a_vote_noun(noun: Token) -> bool:
    return figure_words().synonyms.get(noun.lower_, noun.lower_) in figure_words().vote_nouns


def _a_contest_count(ctx_doc: Doc, figure: Figure, noun: Token | None) -> bool:
    """A count of what a contest hands out, no candidate's: "with 46 delegates at
    stake", "all 129 delegates offered", "A candidate needs 1,190 to win", "a majority
    of the 2,731" (`contest_after`, `contest_before`)."""
    tokens = _tokens(ctx_doc, figure)
    if not tokens:
        return False
    words = figure_words()
    last = noun.i if noun is not None and noun.i > tokens[-1].i else tokens[-1].i
    return _phrase_after(ctx_doc, last, words.contest_after) or _phrase_before(
        ctx_doc, tokens[0].i, words.contest_before
    )


def _a_place_s(figure: Figure, noun: Token) -> bool:
    """Can a place hold this count (a country's billionaires, a city's casinos), not a
    share, a sum, an election's count or a force (whose is who sent it)?"""
    return (
        figure.unit != "percent"
        and figure.unit not in CURRENCY_UNITS
        and not _a_vote_noun(noun)
        and not _a_force(noun, None)
    )


def _place_holder(ctx: _Context, token: Token, verb: Token | None) -> Entity | None:
    """The place an "in" phrase of a count that is no force names, its holder when the
    verb only counts or says they are there ("counted 214 billionaires in Valdoria":
    Valdoria's), unless an owning verb's subject holds it ("Golden Reef has 3 casinos in
    Varna": Golden Reef's)."""
    words = figure_words()
    if verb is not None:
        lemma = verb.lemma_.lower()
        if lemma not in words.state_verbs | words.counting_verbs:
            return None
        if lemma in words.owning_verbs and any(c.dep_ in _SUBJECTS for c in verb.children):
            return None
    heads = [token] if verb is None else [token, verb]
    for child in (c for head in heads for c in head.children):
        if child.dep_ == "prep" and child.lower_ == "in":
            for t in child.subtree:
                entity = ctx.by_token.get(t.i)
                if entity is not None and entity.type in ("GPE", "LOC"):
                    return entity
    return None


# a place or group that scopes a share ("Among Karsk voters, 40 percent"), or the rival
# a lead is over ("a small lead over Tavel, 46 percent to 44 percent")
_POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
_SCOPE_PREPS = _PLACE_PREPS | {"among", "by", "from", "of", "according", "over", "against", "than"}


def _listed_holder(ctx: _Context, figure: Figure) -> Entity | None:
    """The name a share or count is listed right after: "found Quist at 34 percent,
    Tavel at 22 percent and Brack at 11 percent", "Quist has 412, Tavel 267",
    "compared with Tavel, who had 211" (the parse often hangs every item of such a list
    on the first name or on the verb's subject). Not the rival a verb's object names
    ("Quist leads Tavel 46 percent to 44 percent"), a place or group a preposition
    scopes ("Among Karsk voters, 40 percent"), nor the poll's maker."""
    listed = _listed_name(ctx, figure)
    if listed is None:
        return None
    name, entity = listed
    if _an_average(name.sent, entity):
        return None  # "RealClearPolitics showing her ahead 3 points, HuffPollster 4.3"
    pollster = _pollster_in(ctx, name.sent)
    if pollster is not None and pollster.text == entity.name:
        return None
    return entity


def _listed_name(ctx: _Context, figure: Figure) -> tuple[Token, Entity] | None:
    """The name a figure is listed right after (over `list_links` words) and its entity,
    when it can hold it (see `_listed_holder`)."""
    words = figure_words()
    doc = ctx.doc
    tokens = _tokens(doc, figure)
    if not tokens:
        return None
    i, links = tokens[0].i - 1, 0
    start = tokens[0].sent.start
    while i >= start and links < words.list_link_words:
        if doc[i].lower_ not in words.list_links and doc[i].pos_ != "ADV":
            break
        i, links = i - 1, links + 1
    if i < start or doc[i].pos_ != "PROPN":
        return None
    between = doc[i + 1 : tokens[0].i]
    if figure.unit is None and len(between) > 0 and all(t.text == "," for t in between):
        return None  # "said Ilse Moran, 54, who runs a bakery": an age, no one's count
    name = doc[i]
    possessed = any(t.lower_ in _POSSESSIVE_MARKS for t in between)  # "to Tavel’ 844"
    if _a_rival(name):
        return None
    if name.dep_ == "pobj" and name.head.lower_ in _SCOPE_PREPS and not possessed:
        return None
    if name.dep_ in ("dobj", "pobj") and any(t.lower_ == "by" for t in between):
        return None  # "won Lisk by 30 percent": the place won, not a share's holder
    if name.head.lemma_.lower() in words.poll_nouns:
        return None  # "the Orbis poll, 34 percent"
    entity = _named(ctx, name)
    if entity is None and name.ent_type_ in _NOT_NAMES:
        entity = _by_name(ctx, name)  # "Tavel 22 percent" tagged one PERCENT
    if entity is None or entity.type not in _HOLDER_TYPES or _a_group(ctx, entity):
        return None
    return name, entity


_RIVAL_DEPS = frozenset({"dobj", "dative", "npadvmod"})  # "leading Tavel by 7 percent"


def _a_rival(token: Token) -> bool:
    """A rival verb's object ("leads Tavel 46 percent to 44 percent"), or a name the
    parse hung on the share that is that object ("led Tavel 47 percent to 39 percent",
    "Tavel" an nmod of "percent"): the rival, not the holder of the share after it."""
    rivals = figure_words().rival_verbs
    if token.dep_ in _RIVAL_DEPS:
        return token.head.lemma_.lower() in rivals
    share = token.head
    return (
        token.dep_ in ("nmod", "compound")
        and share.lower_ in _PERCENT
        and share.dep_ == "dobj"
        and share.head.lemma_.lower() in rivals
    )


def _an_average(sent: Span, entity: Entity) -> bool:
    """Is `entity` an organisation (or a name the tagger missed, no person or group)
    listed with its reading in a sentence about poll averages (`poll_averages`): the
    average's maker, no holder?"""
    if entity.type in ("PERSON", "NORP"):
        return False
    return any(t.lower_ in figure_words().poll_averages for t in sent)


def _listed_average(ctx: _Context, figure: Figure) -> Entity | None:
    """The average's maker a share or margin is listed after (`_an_average`)."""
    listed = _listed_name(ctx, figure)
    if listed is None or not _an_average(listed[0].sent, listed[1]):
        return None
    return listed[1]


_HOLDING = frozenset(
    {"deployed", "present", "withdrawn", "lost", "planned", "spent", "won", "fired"}
)


def _named(ctx: _Context, token: Token) -> Entity | None:
    """The entity a token names: its mention, else an entity of the article with that
    name or alias (spaCy does not tag every mention of a name); a mention the tagger ran
    on into a number ("Brack 11 percent" as one ORG) names what is before the number."""
    if (
        token.lower_ in figure_words().not_holders
        or token.ent_type_ in _NOT_NAMES
        or not any(c.isalpha() for c in token.text)
        or is_number_word(token.lower_)
    ):
        return None  # "Wednesday", "Western states": a time or a direction owns nothing
    entity = ctx.by_token.get(token.i)
    if entity is not None and token.ent_iob_ != "" and _runs_into_a_number(token):
        return _by_name(ctx, token)
    if entity is not None or token.pos_ != "PROPN" or not token.text[:1].isupper():
        return entity
    return _by_name(ctx, token)


def _runs_into_a_number(token: Token) -> bool:
    """Does the entity tag of `token` go on over a number after it ("Brack 11 percent")?"""
    doc = token.doc
    i = token.i + 1
    while i < len(doc) and doc[i].ent_iob_ == "I":
        if doc[i].like_num:
            return True
        i += 1
    return False


def _by_name(ctx: _Context, token: Token) -> Entity:
    """The entity of the article a proper noun names though it is no mention of it, else
    a holder kept by that name with no entity id."""
    for candidate in ctx.entities.values():
        if token.text == candidate.name or token.text in candidate.aliases:
            return candidate
    by_last_name = [  # "Trump" untagged, "Donald Trump" named: one person of that name
        c for c in ctx.entities.values() if c.type == "PERSON" and c.name.split()[-1] == token.text
    ]
    if len(by_last_name) == 1:
        return by_last_name[0]
    # a name spaCy did not tag: kept by name, with no entity id (see `_resolve`)
    words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    first = words[0].i if words and words[0].i == token.i - len(words) else token.i
    return Entity(id="", name=token.doc[first : token.i + 1].text, type="GPE")


def _holder_before(ctx: _Context, figure: Figure) -> Entity | None:
    """ "Karsk now has nearly 4,500 troops" parsed wrongly: a name right before a
    holding verb right before the figure."""
    doc = ctx.doc
    tokens = _tokens(doc, figure)
    i = tokens[0].i - 1 if tokens else -1
    while i >= 0 and doc[i].pos_ in ("ADV", "AUX") and doc[i].lemma_.lower() != "have":
        i -= 1
    if i < 1 or figure_words().verb_predicates.get(doc[i].lemma_.lower()) not in _HOLDING:
        return None
    j = i - 1
    while j >= 0 and doc[j].pos_ in ("ADV", "AUX"):
        j -= 1
    return _named(ctx, doc[j]) if j >= 0 else None


def _entity_in(ctx: _Context, token: Token) -> Entity | None:
    """The entity named by `token`'s phrase (its own mention first)."""
    entity = _named(ctx, token)
    if entity is not None:
        return entity
    for t in token.subtree:
        entity = _named(ctx, t)
        if entity is not None and entity.type in _HOLDER_TYPES:
            return entity
    return None


def _pronoun_entity(ctx: _Context, pronoun: Token, figure: Figure) -> Entity | None:
    """ "its"/"it": the speaker of the figure's claim, else the nearest named holder before."""
    claim = ctx.claims.get(figure.claim_id or "")
    if claim is not None and claim.speaker.entity_id in ctx.entities:
        return ctx.entities[claim.speaker.entity_id]
    for i in range(pronoun.i - 1, pronoun.sent.start - 1, -1):
        entity = ctx.by_token.get(i)
        if entity is not None and entity.type in ("GPE", "ORG"):
            return entity
    return None


def _percent_holder(ctx: _Context, noun: Token | None, verb: Token) -> Entity | None:
    """Whose share: the subject ("Harris has 48 percent"), else the object ("backed
    Harris"); a voting verb's subject is the voters, never whom they back ("Tavel, while
    1 percent support Brack" misparsed with "Tavel" its subject)."""
    lemma = verb.lemma_.lower()
    reporting = lemma in _FINDING or figure_words().verb_predicates.get(lemma) == "voted"
    for child in verb.children:
        if child.dep_ in _SUBJECTS and (noun is None or child.i != noun.i) and not reporting:
            entity = _entity_in(ctx, child)
            if entity is not None and entity.type in ("PERSON", "ORG", "GPE", "NORP"):
                return entity
    for child in verb.children:
        if child.dep_ in ("dobj", "attr") and (noun is None or child.i != noun.i):
            entity = _entity_in(ctx, child)
            if entity is not None:
                return entity
        if child.dep_ == "prep" and child.lower_ in ("for", "behind"):
            entity = _entity_in(ctx, child)
            if entity is not None:
                return entity
    return _name_after(ctx, verb)


def _name_after(ctx: _Context, verb: Token) -> Entity | None:
    """The person named right after a voting verb the parse left without an object ("44
    percent would back" | "Tavel, while ...", cut into two sentences)."""
    following = verb.i + 1
    if (
        following >= len(ctx.doc)
        or figure_words().verb_predicates.get(verb.lemma_.lower()) != "voted"
    ):
        return None
    entity = _named(ctx, ctx.doc[following])
    return entity if entity is not None and entity.type == "PERSON" else None


def _resolve(
    ctx: _Context, entity: Entity | None, literal: bool = False
) -> tuple[str | None, str | None]:
    """The holder's entity id and name: metonymy (`refers_to`) and demonyms followed;
    a `literal` place (what a place has that no one did anything with: "Lisk has 93
    billionaires") stays the place, not the country its capital acts for."""
    if entity is None or _a_kind_of_body(entity):
        return None, None
    if not entity.id:
        return None, entity.name
    metonymy = not (literal and entity.type in _PLACE_TYPES)
    if metonymy and entity.refers_to and entity.refers_to in ctx.entities:
        target = ctx.entities[entity.refers_to]
        return target.id, target.name
    country = _city_country(ctx, entity)
    if country is not None:
        return country.id, country.name
    if entity.type != "NORP":
        return entity.id, entity.name
    return _norp_country(ctx, entity) or (entity.id, entity.name)


_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")


def _a_kind_of_body(entity: Entity) -> bool:
    """A plural acronym ("PACs", "NGOs"), whatever the tagger made of it, or a
    `kinds_of_bodies` name ("super PAC"): a kind of body, no one body that could hold a
    count or a sum."""
    name = entity.name.lower().removeprefix("the ")
    return _PLURAL_ACRONYM.match(entity.name) is not None or name in figure_words().kinds_of_bodies


def _norp_country(ctx: _Context, entity: Entity) -> tuple[str, str] | None:
    """The country a nationality word names ("North Korean" -> the article's North Korea,
    "French" -> France), or None for a group that is no country ("Democratic" voters)."""
    gaz = load_gazetteer()
    iso = gaz.demonyms.get(entity.name.strip().lower())
    for other in ctx.entities.values():
        if other.type in ("GPE", "ORG") and _names_country(other.name, entity.name, iso):
            return other.id, other.name
    if iso and iso in gaz.country_names:
        return entity.id, gaz.country_names[iso]
    if entity.name.endswith("ian") and len(entity.name) > 5 and entity.name.isalpha():
        return entity.id, entity.name[:-1]  # a country the gazetteer lacks: "Valdorian"
    return None


def _a_group(ctx: _Context, entity: Entity | None) -> bool:
    """A nationality-like word that names no country: a part of what is counted
    ("Democratic primary voters", "evangelical voters"), not its holder."""
    return entity is not None and entity.type == "NORP" and _norp_country(ctx, entity) is None


def _city_country(ctx: _Context, entity: Entity) -> Entity | None:
    """A capital named "<country> City" used as an actor ("Karsk City has said that
    several thousand of its soldiers...", like "Kuwait City"): the country's entity of
    the article, when the gazetteer does not know the capital."""
    if entity.type != "GPE" or not entity.name.endswith(" City"):
        return None
    name = entity.name.removesuffix(" City")
    for other in ctx.entities.values():
        if other.id != entity.id and other.type in ("GPE", "ORG") and other.name == name:
            return other
    return None


def _names_country(name: str, demonym: str, iso: str | None) -> bool:
    """Is `name` the country of `demonym` ("Valdoria" / "Valdorian", "France" / "French")?"""
    if iso and load_gazetteer().country_of(name) == iso:
        return True
    stem = name.lower()[:-1] if len(name) > 4 else name.lower()
    return len(stem) >= 4 and demonym.lower().startswith(stem)


def _place(ctx: _Context, noun: Token | None, verb: Token | None) -> Entity | None:
    """The place a preposition of the counted noun or its verb names ("in Kursk"), else
    the one a sentence opens with ("In Nevada, Quist won at least 19 delegates and Marel
    won at least 15": the parse hangs the second count on a verb of its own)."""
    preps = [c for t in (noun, verb) if t is not None for c in t.children]
    found = _places_in(ctx, preps)
    anchor = noun if noun is not None else verb
    opening = _opening_place(anchor.sent) if anchor is not None and not found else None
    if opening is not None:
        found = _places_in(ctx, [opening])
    for wanted in _PLACE_TYPES:
        for entity in found:
            if entity.type == wanted:
                return entity
    return None


def _places_in(ctx: _Context, preps: Sequence[Token]) -> list[Entity]:
    """The places the place prepositions among `preps` name."""
    return [
        e
        for child in preps
        if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS
        for t in child.subtree
        if (e := ctx.by_token.get(t.i)) and e.type in _PLACE_TYPES
    ]


def _opening_place(sent: Span) -> Token | None:
    """The "In X," a sentence opens with, hanging from its root: the scope of all of it."""
    first = sent[0]
    closed = any(t.text == "," for t in first.subtree) or (
        first.right_edge.i + 1 < sent.end and sent.doc[first.right_edge.i + 1].text == ","
    )
    if first.dep_ == "prep" and first.lower_ == "in" and first.head == sent.root and closed:
        return first
    return None


# --- predicate and kind -------------------------------------------------------------


_NOUN_DECIDES: frozenset[str | None] = frozenset({None, "present", "lost"})
"""Predicates the counted noun overrides ("has 11 delegates": won, not present)."""


def _predicate(noun: Token | None, verb: Token | None, kind: tuple[str, ...]) -> str | None:
    words = figure_words()
    if "poll" in kind and noun is not None and noun.lower_ in _PERCENT:
        return "polled"
    predicate = words.verb_predicates.get(verb.lemma_.lower()) if verb is not None else None
    if (
        verb is not None
        and verb.lemma_ == "take"
        and any(c.lower_ == "part" for c in verb.children)
    ):
        predicate = "present"
    if verb is not None and predicate in ("killed", "wounded") and _killed_or_wounded(verb):
        return "killed-or-wounded"
    if predicate is None and verb is not None and verb.lemma_.lower() in words.change_verbs:
        predicate = "present"  # "the number of troops rose to 4,500"
    if predicate == "present" and not _a_force(noun, verb):
        predicate = None  # "Valdoria had 214 shipyards": there, not deployed
    if noun is not None and predicate in _NOUN_DECIDES:
        by_noun = words.noun_predicates.get(noun.lower_)
        for mod in _left_modifiers(noun):
            by_noun = by_noun or words.noun_predicates.get(mod.lower_)
        if by_noun:
            return by_noun
    return predicate


def _a_force(noun: Token | None, verb: Token | None) -> bool:
    """Can the things `verb` says are there be a force present (troops, ships: a point of
    a deployment series)? A verb that only says they are there ("has", "is", "rose to")
    makes nothing else present: a country's billionaires or a city's casinos."""
    words = figure_words()
    if verb is not None and verb.lemma_.lower() not in (words.state_verbs | words.change_verbs):
        return True  # "stationed", "based", "fighting": the verb says it is a force
    if noun is None:
        return True  # a number with no noun of its own: its antecedent's decides (`_inherit`)
    return _a_force_key(words.synonyms.get(noun.lower_, noun.lower_))


def _a_force_key(key: str) -> bool:
    """Does measure `key` count a force ("troops", "armoured vehicles")?"""
    words = key.split()
    return bool(words) and words[-1] in figure_words().force_nouns


def _killed_or_wounded(verb: Token) -> bool:
    """Killed and wounded said of the same people ("killed or wounded 300"), not of
    others with a subject of their own ("11 guards killed, dozens wounded")."""
    lemmas = {c.lemma_.lower() for c in verb.children if c.dep_ == "conj" and not _subject_of(c)}
    if verb.dep_ == "conj" and not _subject_of(verb):
        lemmas.add(verb.head.lemma_.lower())
    lemmas.add(verb.lemma_.lower())
    return bool(lemmas & {"kill", "die"}) and bool(lemmas & {"wound", "injure"})


def _subject_of(verb: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in verb.children)


def _kind(
    ctx: _Context,
    figure: Figure,
    tokens: Sequence[Token],
    anchor: Token,
    noun: Token | None,
    verb: Token | None,
    claim: Claim | None,
) -> tuple[str, ...]:
    flags = ["increment" if _increment(ctx.doc, tokens, noun) else "total"]
    if _cumulative(ctx.doc, figure, tokens, noun):
        flags.append("cumulative")
    if verb is not None and _projection(ctx.doc, verb, anchor):
        flags.append("projection")
    if _in_a_poll(figure, anchor, verb):
        flags.append("poll")
    if _rejected(anchor, claim, figure):
        flags.append("rejected")
    return tuple(flags)


def _in_a_poll(figure: Figure, anchor: Token, verb: Token | None) -> bool:
    """A poll word in the figure's sentence, or for a share in the sentences just before
    ("A new Marist poll ... Clinton had 48 percent, Sanders 41"); a result told after a
    poll ("Romney won the state by 9 points in 2012") is not one of its findings."""
    words = figure_words()
    if words.poll.search(anchor.sent.text):
        return True
    if verb is not None and verb.lemma_.lower() in words.result_verbs:
        return False
    share = figure.unit == "percent" or anchor.head.lower_ in POLL_MEASURES
    return share and any(words.poll.search(s.text) for s in _sentences_before(anchor))


def _increment(doc: Doc, tokens: Sequence[Token], noun: Token | None) -> bool:
    words = figure_words().increment
    first, last = tokens[0].i, tokens[-1].i
    near = [doc[i] for i in range(max(0, first - 2), min(len(doc), last + 3))]
    if noun is not None:
        near += [*list(noun.lefts), noun]
    return any(t.lower_ in words and t.i not in range(first, last + 1) for t in near)


def _phrase_before(doc: Doc, first: int, phrases: Iterable[str], filler: bool = False) -> bool:
    """Does one of `phrases` end right before token `first` (over filler words)?"""
    end = first
    if filler:
        while end > 0 and first - end < 6 and _filler(doc[end - 1]):
            end -= 1
    for phrase in phrases:
        words = phrase.split()
        start = end - len(words)
        if start >= 0 and [t.lower_ for t in doc[start:end]] == words:
            return True
    return False


def _filler(token: Token) -> bool:
    """Words between "up from" and the number: "the mission's own", "the figure of"."""
    return token.lower_ in _FILLER or token.pos_ in ("PART", "ADJ", "PROPN", "DET")


def _phrase_after(doc: Doc, last: int, phrases: Iterable[str]) -> bool:
    for phrase in phrases:
        words = phrase.split()
        stop = last + 1 + len(words)
        if stop <= len(doc) and [t.lower_ for t in doc[last + 1 : stop]] == words:
            return True
    return False


def _cumulative(doc: Doc, figure: Figure, tokens: Sequence[Token], noun: Token | None) -> bool:
    words = figure_words()
    if figure.qualifier and figure.qualifier.lower() in words.cumulative_before:
        return True
    last = noun.i if noun is not None and noun.i > tokens[-1].i else tokens[-1].i
    return _phrase_before(doc, tokens[0].i, words.cumulative_before) or _phrase_after(
        doc, last, words.cumulative_after
    )


def _projection(doc: Doc, verb: Token, anchor: Token) -> bool:
    words = figure_words()
    lemma = verb.lemma_.lower()
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & words.projection_aux:
        return True
    if aux & words.projection_modal:
        rest = anchor.sent.text.lower()
        if lemma in words.change_verbs or any(p in rest for p in words.projection_times):
            return True
    if lemma in words.projection_heads and lemma not in ("plan",):
        return True
    head = verb
    for _ in range(3):
        if head.dep_ not in ("xcomp", "ccomp", "auxpass", "aux") or head.head is head:
            break
        head = head.head
        if head.lemma_.lower() in words.projection_heads:
            return True
    return False


def _rejected(anchor: Token, claim: Claim | None, figure: Figure) -> bool:
    """Is the figure repeated inside a denial, to be rejected?"""
    if claim is not None and claim.stance in ("deny", "dispute"):
        content = claim.content
        if content.start <= figure.start and figure.end <= content.end:
            return True
    words = figure_words()
    token = anchor
    for _ in range(8):
        if token.dep_ == "conj" or token.head is token:
            return False
        if token.dep_ in _SUBJECTS and token.head.lemma_.lower() in words.deny_verbs:
            return False  # "3,000 residents denied the report": the deniers, not the denied
        token = token.head
        lemma = token.lemma_.lower()
        if lemma == "call":
            if any(t.lower_ in words.false_words for c in token.children for t in c.subtree):
                return True
        elif lemma in words.deny_verbs:
            return True
    return False


# --- pollster, as-of time, inherited measures, changes ------------------------------


def _pollster(
    ctx: _Context, figure: Figure, anchor: Token, claim: Claim | None
) -> ChainLink | None:
    """Who ran the poll: the average a share is listed after ("averages show ...
    HuffPollster 4.3 points"), else named with a poll word in the figure's sentence, else
    an organisation speaking the claim, else the poll named in the sentences just before
    ("A Marist poll out Tuesday ... Clinton had 48 percent"), else the claim's speaker."""
    average = _listed_average(ctx, figure)
    if average is not None:
        return ChainLink(average.name, average.id or None)
    found = _pollster_in(ctx, anchor.sent)
    if found is not None:
        return found
    speaker = claim.speaker if claim is not None and claim.speaker.text else None
    if speaker is not None and (_a_poll_word(speaker.text) or speaker.text[:1].isdigit()):
        speaker = None  # "exit polls showed", "respondents said", "32 percent said": no one
        # who ran the poll
    entity = ctx.entities.get(speaker.entity_id or "") if speaker is not None else None
    if speaker is not None and entity is not None and entity.type == "ORG":
        return ChainLink(speaker.text, speaker.entity_id)
    for sent in _sentences_before(anchor):
        found = _pollster_in(ctx, sent)
        if found is not None:
            return found
    return ChainLink(speaker.text, speaker.entity_id) if speaker is not None else None


def _a_poll_word(text: str) -> bool:
    """ "Exit polls", "respondents", "the survey": a poll or its answers, not its maker
    ("the Gallup poll" names one)."""
    words, lists = text.split(), figure_words()
    if not words or lists.poll.fullmatch(words[-1]) is None:
        return False
    return all(w.lower() in lists.poll_kinds or w.lower() in _ARTICLES for w in words[:-1])


_ARTICLES = frozenset({"the", "a", "an"})


def _pollster_in(ctx: _Context, sent: Span) -> ChainLink | None:
    words = figure_words()
    for token in sent:
        if token.lemma_.lower() not in words.poll_nouns:
            continue
        for t in token.subtree:
            found = _pollster_named(ctx.by_token.get(t.i), ("ORG", "PERSON"))
            if found is not None:
                return found
        if token.dep_ in _SUBJECTS | {"dobj"}:
            subject = _subject(token.head)
            if subject is not None and subject.i != token.i:
                found = _pollster_named(_entity_in(ctx, subject), ("ORG", "PERSON"))
                if found is not None:
                    return found
    for token in sent:
        if token.lemma_.lower() in _FINDING:
            subject = _subject(token)
            found = _pollster_named(_entity_in(ctx, subject) if subject else None, ("ORG",))
            if found is not None:
                return found
    return None


def _pollster_named(entity: Entity | None, types: tuple[str, ...]) -> ChainLink | None:
    """`entity` as the one who ran a poll, unless it names a kind of poll (the tagger's
    "Exit" of "Exit polls showed")."""
    if entity is None or entity.type not in types:
        return None
    if entity.name.lower() in figure_words().poll_kinds:
        return None
    return ChainLink(entity.name, entity.id or None)


def _sentences_before(anchor: Token) -> list[Span]:
    """The sentences just before the figure's, nearest first (`poll_context_sentences`)."""
    found: list[Span] = []
    start = anchor.sent.start
    while start > 0 and len(found) < figure_words().poll_context_sentences:
        sent = anchor.doc[start - 1].sent
        found.append(sent)
        start = sent.start
    return found


_FINDING = frozenset({"find", "show", "suggest", "indicate", "report", "put", "give"})


def _as_of(ctx: _Context, start: Token, claim: Claim | None) -> str | None:
    """The time id the figure describes: the nearest time on the way up from `start`."""
    path = {start.i}
    node = start
    for _ in range(10):
        found = _time_among(ctx, node, path)
        if found is not None:
            return found
        if node.head is node:
            break
        node = node.head
        path.add(node.i)
    if claim is not None and claim.cue is not None:
        cue = ctx.doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
        if cue is not None and cue[0].i not in path:
            return _time_among(ctx, cue[0], path | {cue[0].i})
    return None


def _time_among(ctx: _Context, node: Token, path: set[int]) -> str | None:
    candidates = [node] + [
        c
        for c in node.children
        if c.i not in path and (c.dep_ not in _CLAUSES or _shares_subject(c))
    ]
    for child in candidates:
        tokens = [child] if child is node else child.subtree
        for t in tokens:
            if t.i in ctx.times:
                return ctx.times[t.i].id
    return None


def _shares_subject(clause: Token) -> bool:
    """A conjoined verb with no subject of its own ("killed or wounded in February")."""
    return clause.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in clause.children)


def _inherit(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """A figure with no counted noun takes the measure (holder, predicate) of the figure
    it refers back to: the nearest in its sentence, else in the sentences before."""
    sentence = {f.id: _sentence_index(ctx.doc, f.start) for f in figures}
    out: list[Figure] = []
    for n, figure in enumerate(figures):
        if (
            figure.measure is not None
            or figure.unit not in (None, "percent")
            or figure.id in ctx.not_counts
        ):
            out.append(figure)
            continue
        source = _antecedent(figures, n, sentence)
        if source is None or source.measure is None:
            out.append(figure)
            continue
        holder, holder_name = _inherited_holder(ctx, figure, source)
        out.append(
            replace(
                figure,
                holder=holder,
                holder_name=holder_name,
                measure=_inherited_measure(ctx, figure, source.measure),
                unit=figure.unit or source.unit,
                place=figure.place or source.place,
                place_name=figure.place_name if figure.place else source.place_name,
                predicate=_inherited_predicate(figure, source),
            )
        )
    return out


def _inherited_measure(ctx: _Context, figure: Figure, measure: Measure) -> Measure:
    """The antecedent's `measure` for a figure with no noun of its own: narrowed by the
    heading over it (`_under_heading`); a key a phrase of the antecedent's sentence
    narrowed ("1,163 delegates, based on primaries and caucuses": "pledged delegates")
    holds in another sentence only when a phrase of that one narrows it too."""
    narrowed = {
        narrow: key
        for key, narrower in figure_words().measure_qualifiers.items()
        for narrow in narrower
    }
    base = narrowed.get(measure.key)
    if base is not None and measure.key not in measure.text.lower():
        tokens = _tokens(ctx.doc, figure)
        key = _qualified_key(tokens[0].sent, base) if tokens else base
        measure = replace(measure, key=key)
    return _under_heading(ctx, figure, measure)


def _under_heading(ctx: _Context, figure: Figure, measure: Measure) -> Measure:
    """The inherited `measure`, or the kind of it the heading over the figure names
    ("SUPERDELEGATES." over "Quist: 547." inheriting "delegates"; `heading_words`)."""
    heading = _heading_above(doc_text(ctx.doc), figure.start)
    last = measure.key.split()[-1] if measure.key else ""
    if not heading or not last or heading == measure.key:
        return measure
    return replace(measure, key=heading) if heading.split()[-1].endswith(last) else measure


def _heading_above(text: str, start: int) -> str | None:
    """The nearest heading paragraph before character `start` (a short one in capitals,
    lower-cased, without articles), among the `heading_paragraphs` before it."""
    words = figure_words()
    end = text.rfind("\n", 0, start)
    for _ in range(words.heading_paragraphs):
        if end <= 0:
            return None
        begin = text.rfind("\n", 0, end)
        paragraph = text[begin + 1 : end].strip(" .:\t")
        letters = [c for c in paragraph if c.isalpha()]
        heading = paragraph.split()
        if letters and all(c.isupper() for c in letters) and len(heading) <= words.heading_words:
            return " ".join(w.lower() for w in heading if w.lower() not in _ARTICLES)
        end = begin
    return None


def _inherited_holder(
    ctx: _Context, figure: Figure, source: Figure
) -> tuple[str | None, str | None]:
    """Whose a noun-less figure is: its own holder, else its antecedent's when that is a
    force's ("Karsk has 3,000 troops near Lisk and 500 more in Varna"). A share, a sum or
    an election's count ("Tavel has 481. Winning needs 1,190") is no one's for following
    another's; what a place has is the place's its "in" names ("the Ardent list counted
    214 billionaires in Valdoria, 131 in Karsk"), else the antecedent's only when no
    other name comes between them ("Valdoria had 312 billionaires in 2024 and 600 this
    year", not "Lisk led with 93, while Varna came third with 44")."""
    own = (figure.holder, figure.holder_name)
    key = source.measure.key if source.measure else ""
    if _many_holders(source):
        return own
    if not _a_force_key(key):
        place = _place_after(ctx, figure)
        if place is not None:
            return _resolve(ctx, place, literal=True)
        if figure.holder_name or _name_between(ctx, source, figure):
            return own
    if figure.holder_name:
        return own
    return source.holder, source.holder_name


def _name_between(ctx: _Context, before: Figure, after: Figure) -> bool:
    """Is another sentence or a named holder between two figures (in either order)?"""
    if _sentence_index(ctx.doc, before.start) != _sentence_index(ctx.doc, after.start):
        return True
    first, second = sorted((before, after), key=lambda f: f.start)
    if second.start <= first.end:
        return False
    span = ctx.doc.char_span(first.end, second.start, alignment_mode="expand")
    return any(
        (e := ctx.by_token.get(t.i)) is not None and e.type in _HOLDER_TYPES for t in span or ()
    )


def _place_after(ctx: _Context, figure: Figure) -> Entity | None:
    """The place of an "in" right after a noun-less count ("131 in Karsk")."""
    tokens = _tokens(ctx.doc, figure)
    i = tokens[-1].i + 1 if tokens else len(ctx.doc)
    if i >= len(ctx.doc) or ctx.doc[i].lower_ != "in":
        return None
    for t in ctx.doc[i + 1 : i + 4]:
        entity = ctx.by_token.get(t.i)
        if entity is not None and entity.type in ("GPE", "LOC"):
            return entity
    return None


def _inherited_predicate(figure: Figure, source: Figure) -> str | None:
    """ "Ted Cruz has 11 delegates and Rubio has 10": the 10 are won, as delegates are,
    though "has" alone says present (the counted noun decides, as in `_predicate`);
    "Valdoria had 214 shipyards to Karsk's 188": the 188 are no force present."""
    words = figure_words()
    key = source.measure.key if source.measure else ""
    by_noun = words.noun_predicates.get(key)
    if by_noun and figure.predicate in _NOUN_DECIDES:
        return by_noun
    if figure.predicate == "present" and key and not _a_force_key(key):
        return source.predicate  # "has" said no more than that they are there
    return figure.predicate or source.predicate


def _fill_from_article(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """A figure whose holder (predicate) the parse left open takes the one every other
    figure of its measure in the article has, when they all agree ("soldiers" in a story
    where each stated holder of "troops" is Karsk); when no figure states one, the
    holder the article names for its measure without a number ("the alarm over Karsk
    troops near Lisk"), when it names one. Only a force's holder is filled: a story is
    about whose troops they are, while the counts of anything else an article gives to
    many holders (each candidate's share and delegates, each city's billionaires, each
    owner's casinos)."""
    holders: dict[str, set[tuple[str | None, str | None]]] = {}
    predicates: dict[str, set[str]] = {}
    for f in figures:
        if f.measure is None:
            continue
        if f.holder_name:
            holders.setdefault(f.measure.key, set()).add((f.holder, f.holder_name))
        if f.predicate:
            family = SERIES_PREDICATES.get(f.predicate, f.predicate)
            predicates.setdefault(f.measure.key, set()).add(family)
    out = []
    for f in figures:
        key = f.measure.key if f.measure else ""
        if f.measure is not None and not f.holder_name and key not in holders:
            holders[key] = _unnumbered_holders(ctx, key)
        if (
            f.measure is not None
            and not f.holder_name
            and _a_force_key(key)
            and len(holders.get(key, ())) == 1
        ):
            holder, name = next(iter(holders[key]))
            f = replace(f, holder=holder, holder_name=name)
        if f.measure is not None and not f.predicate and len(predicates.get(key, ())) == 1:
            f = replace(f, predicate=next(iter(predicates[key])))
        out.append(f)
    return out


def _many_holders(figure: Figure) -> bool:
    """A share, a sum, a margin, a rate or an election's count (delegates, votes): an
    article gives them to many holders (each candidate's share and delegates, each
    donor's gift), so a number that refers back to one of them is not its holder's for
    that ("Winning needs 1,190" is not the last-named candidate's)."""
    measure = figure.measure
    return (
        figure.unit == "percent"
        or figure.unit in CURRENCY_UNITS
        or (
            measure is not None
            and (
                measure.key in POLL_MEASURES
                or " per " in measure.key
                or measure.key.split()[-1] in figure_words().vote_nouns
            )
        )
    )


def _unnumbered_holders(ctx: _Context, key: str) -> set[tuple[str | None, str | None]]:
    """The holders named before the nouns of measure `key` that carry no number
    ("Karsk troops", "North Korean soldiers"), resolved like a figure's holder."""
    found: set[tuple[str | None, str | None]] = set()
    for i in _nouns_by_key(ctx).get(key, ()):
        token = ctx.doc[i]
        if any(t.like_num or is_number_word(t.lower_) for t in _left_modifiers(token)):
            continue
        for t in _left_modifiers(token):
            entity = _named(ctx, t)
            if entity is not None and entity.id and entity.type in _HOLDER_TYPES:
                found.add(_resolve(ctx, entity))
                break
    return found


def _nouns_by_key(ctx: _Context) -> dict[str, list[int]]:
    """The token indices of the document's countable nouns by their measure key, computed
    once per document (per measure it cost a quarter of all extraction time on polnear)."""
    cached = ctx.doc.user_data.get("nt_nouns_by_key")
    if isinstance(cached, dict):
        return cached
    found: dict[str, list[int]] = {}
    for token in ctx.doc:
        if token.pos_ == "NOUN" and _countable(token):
            found.setdefault(_plain_key(ctx, token), []).append(token.i)
    ctx.doc.user_data["nt_nouns_by_key"] = found
    return found


def _sentence_index(doc: Doc, start: int) -> int:
    """The number of the sentence holding character `start` (-1 when none does)."""
    starts = doc.user_data.get("nt_sentence_starts")
    if not isinstance(starts, list):
        starts = [sent.start_char for sent in doc.sents]
        doc.user_data["nt_sentence_starts"] = starts
    return bisect.bisect_right(starts, start) - 1


def _antecedent(figures: Sequence[Figure], n: int, sentence: dict[str, int]) -> Figure | None:
    """The figure a noun-less figure refers back to: one of a like size ("two senior
    officials" is not what "nearly 4,500" counts) in its sentence, else in the two
    before, else the measure most figures of a like size in the article count."""
    figure = figures[n]
    here = sentence[figure.id]
    alike = [f for f in figures if f.measure is not None and _alike(f, figure)]
    same = [f for f in alike if sentence[f.id] == here]
    before = [f for f in same if f.start < figure.start]
    if before:
        return before[-1]
    if same:
        return same[0]
    earlier = [
        f
        for f in alike
        if f.start < figure.start and 0 <= here - sentence[f.id] <= _ANTECEDENT_SENTENCES
    ]
    if earlier:
        return earlier[-1]
    counts = Counter(f.measure.key for f in alike if f.measure is not None)
    if not counts:
        return None
    key = counts.most_common(1)[0][0]
    return next(f for f in alike if f.measure is not None and f.measure.key == key)


def _size(f: Figure) -> float | None:
    for v in (f.value, f.high, f.low):
        if v:
            return abs(v)
    return None


def _alike(a: Figure, b: Figure) -> bool:
    sa, sb = _size(a), _size(b)
    if sa is None or sb is None or (a.unit == "percent") != (b.unit == "percent"):
        return False
    return max(sa, sb) / min(sa, sb) <= _MAGNITUDE


_SCORE_LINKS = frozenset({"to", "-", "–", "against"})


def _score_pairs(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """ "Quist leads Tavel 46 percent to 44 percent": the first share is the subject's,
    the second the object's (the parse gives both to the subject, or leaves the second
    without a measure: it counts what the first does)."""
    out = list(figures)
    doc = ctx.doc
    for n in range(1, len(out)):
        first, second = out[n - 1], out[n]
        if first.unit != "percent" or second.unit != "percent" or not first.holder_name:
            continue
        if second.holder_name not in (None, first.holder_name) or first.measure is None:
            continue
        between = doc_text(doc)[first.end : second.start].strip().lower()
        if between not in _SCORE_LINKS:
            continue
        tokens = _tokens(doc, first)
        anchor = _anchor(tokens)
        if anchor is None or _phrase_before(doc, tokens[0].i, ("from",), filler=True):
            continue  # "cut Tavel's lead from 10 percent to 4 percent": a change, no score
        noun = _counted(doc, anchor, first, tokens)
        verb = _verb(noun if noun is not None else anchor)
        other = _object_holder(ctx, verb, first)
        if other is None and second.holder_name == first.holder_name:
            other = (None, None)  # "ahead of the challenger 46 percent to 39 percent"
        if other is None:
            continue
        if second.measure is None:
            second = replace(
                second,
                measure=first.measure,
                predicate=first.predicate,
                kind=first.kind,
                pollster=first.pollster,
                as_of=first.as_of,
            )
        out[n] = replace(second, holder=other[0], holder_name=other[1])
    return out


def _object_holder(
    ctx: _Context, verb: Token | None, figure: Figure
) -> tuple[str | None, str | None] | None:
    """The resolved entity a verb's object names, when it is not `figure`'s holder (the
    name the parse hung on the share that is the object: "led Tavel 47 percent to 39
    percent"), else the name coordinated with the holder ("Quist and Tavel were in a dead
    heat, 44 percent to 43 percent")."""
    if verb is None:
        return None
    shown = {t.i for t in _tokens(ctx.doc, figure)}
    rivals = [
        r
        for c in verb.children
        if c.dep_ in _RIVAL_DEPS
        for r in ([c] if c.i not in shown else [t for t in c.lefts if _a_rival(t)])
    ]
    rivals += [  # "with a lead of 48 percent to 41 percent over Tavel", not "the fight over Lisk"
        pobj
        for t in verb.sent
        if t.dep_ == "prep"
        and t.lower_ in ("over", "against")
        and (t.head == verb or any(x.i in shown for x in t.head.subtree))
        for pobj in t.children
        if pobj.dep_ == "pobj"
    ]
    for child in rivals:
        entity = _entity_in(ctx, child)
        if entity is None and child.pos_ == "PROPN" and child.ent_type_ == "PERCENT":
            entity = _by_name(ctx, child)  # "Tavel 41 percent" tagged one PERCENT
        holder, name = _resolve(ctx, entity)
        if name and name != figure.holder_name:
            return holder, name
    return _coordinated_holder(ctx, verb, figure)


def _coordinated_holder(
    ctx: _Context, verb: Token, figure: Figure
) -> tuple[str | None, str | None] | None:
    """The other name of a coordinated subject holding `figure` ("Quist and Tavel")."""
    for subject in (c for c in verb.children if c.dep_ in _SUBJECTS):
        names = [subject, *(c for c in subject.children if c.dep_ == "conj")]
        if len(names) != 2:
            continue
        resolved = [_resolve(ctx, _named(ctx, t)) for t in names]
        if resolved[0][1] == figure.holder_name and resolved[1][1]:
            return resolved[1]
    return None


def _mark_parts(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """ "The Quist fund spent $45 million, including $12 million on ads and $8 million on
    mail": the figures that break a total of their sentence down (a smaller one of its
    measure and holder after a `part_markers` word) get kind "part"."""
    out = list(figures)
    sentence = {f.id: _sentence_index(ctx.doc, f.start) for f in figures}
    for n, part in enumerate(out):
        whole = next((f for f in out[:n] if _breaks_down(ctx, f, part, sentence)), None)
        if whole is not None:
            out[n] = replace(part, kind=(*part.kind, "part"))
    return out


def _breaks_down(ctx: _Context, whole: Figure, part: Figure, sentence: dict[str, int]) -> bool:
    """Is `part` a smaller figure of `whole`'s measure and holder that follows it in its
    sentence after a word that starts a breakdown ("including", "from ... to")?"""
    if sentence[whole.id] != sentence[part.id] or whole.role or part.role:
        return False
    if "increment" in part.kind:
        return False  # "3,000 troops, with 500 more on the way": an increment's own series
    if whole.unit == "percent" or whole.measure is None or part.measure is None:
        return False
    if "part" in whole.kind or not _a_kind_of(part.measure.key, whole.measure.key):
        return False
    if part.holder_name not in (None, whole.holder_name):
        return False
    big, small = _size(whole), _size(part)
    if big is None or small is None or small >= big:
        return False
    between = doc_text(ctx.doc)[whole.end : part.start].lower()
    words = set(re.findall(r"[a-z]+|[^\sa-z0-9]+", between))
    return any(
        (marker in between) if " " in marker else (marker in words)
        for marker in figure_words().part_markers
    )


def _a_kind_of(key: str, whole: str) -> bool:
    """Is measure `key` the measure `whole` or what a sum of it was spent on ("dollars on
    ads" of "dollars": `_purpose_key`)?"""
    return key == whole or key.startswith(f"{whole} on ")


def _mark_changes(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """ "up from 3,000", "compared with 33 percent last month": the earlier value gets
    role "previous", the other figures of its sentence with its measure "current"."""
    words = figure_words()
    doc = ctx.doc
    roles: dict[str, str] = {}
    for f in figures:
        tokens = _tokens(doc, f)
        if not tokens:
            continue
        verb = _verb(tokens[-1])
        ranged = f.low is not None and f.high is not None and f.low != f.high
        phrases = [
            p
            for p in words.previous_before
            if p != "from" or (verb is not None and verb.lemma_.lower() in words.change_verbs)
        ]
        end = tokens[-1].i
        if f.measure and f.measure.end > tokens[-1].idx:
            measure_span = doc.char_span(f.measure.start, f.measure.end, alignment_mode="expand")
            end = max(end, measure_span[-1].i) if measure_span else end
        if (not ranged and _phrase_before(doc, tokens[0].i, phrases, filler=True)) or (
            f.unit == "percent" and _phrase_after(doc, end, words.previous_after)
        ):
            roles[f.id] = "previous"
    sentence = {f.id: _sentence_index(doc, f.start) for f in figures}
    for f in figures:
        if f.id in roles:
            continue
        for other in figures:
            same = sentence[other.id] == sentence[f.id]
            if roles.get(other.id) == "previous" and same and _same_measure(f, other):
                roles[f.id] = "current"
        if f.id not in roles and _describes_change(doc, f):
            roles[f.id] = "current"
    return [
        replace(f, kind=(*f.kind, "change"), role=roles[f.id]) if f.id in roles else f
        for f in figures
    ]


def _describes_change(doc: Doc, figure: Figure) -> bool:
    """A value reached by a change, with or without the earlier one: "rose to 85",
    "up from the ministry's figure" ("now has 3,500" is a total, not a change)."""
    tokens = _tokens(doc, figure)
    if not tokens:
        return False
    words = figure_words()
    verb = _verb(tokens[-1])
    if verb is not None and (
        verb.lemma_.lower() in words.change_verbs
        or any(c.lower_ in words.change_adverbs for c in verb.children if c.dep_ == "advmod")
    ):
        return True
    sent = tokens[0].sent
    rest = [t.lower_ for t in doc[tokens[-1].i + 1 : sent.end]]
    return any(rest[i : i + 2] in (["up", "from"], ["down", "from"]) for i in range(len(rest) - 1))


def _same_measure(a: Figure, b: Figure) -> bool:
    if a.unit == "percent" or b.unit == "percent":
        return a.unit == b.unit
    if a.measure is not None and b.measure is not None:
        return a.measure.key == b.measure.key
    return a.unit is not None and a.unit == b.unit


# --- a contest's threshold ----------------------------------------------------------

THRESHOLD_MEASURE = "delegates"
THRESHOLD_PREDICATE = "needed"


def _mark_thresholds(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """A contest's threshold, what a candidate needs to win, in one form whatever the
    sentence calls it ("It takes 1,190 delegates to win", "the 1,190 delegates needed to
    clinch", "short of the 1,190 mark", "the magic number of 1,190"): measure
    "delegates", predicate "needed", kind "total", no holder, no poll, no role, so that
    its claims share one series and one group (`threshold_*` words). A number after a
    word of reaching ("reach 1,190", "getting to 1,190") is the threshold only when the
    article names that number a threshold in one of those ways: "projected to reach 800
    delegates" is a candidate's own count."""
    named = [_a_threshold(ctx.doc, f) for f in figures]
    values = {f.value for f, is_named in zip(figures, named, strict=True) if is_named}
    return [
        _as_threshold(f)
        if is_named or (f.value in values and _a_threshold(ctx.doc, f, attained=True))
        else f
        for f, is_named in zip(figures, named, strict=True)
    ]


def _a_threshold(doc: Doc, figure: Figure, attained: bool = False) -> bool:
    """Whether `figure` is named a contest's threshold by the words around it (with
    `attained`, by a word of reaching it instead)."""
    words = figure_words()
    tokens = _tokens(doc, figure)
    if not tokens or "rejected" in figure.kind or figure.value is None:
        return False
    if figure.measure is not None and figure.measure.key not in words.threshold_measures:
        return False
    sentence = tokens[0].sent
    near = [sentence, *_sentences_before(tokens[0])[:1]]
    context = {t.lower_ for s in near for t in s}
    if figure.measure is not None:
        context.add(figure.measure.key)  # "It takes 1,190 to win.", of the delegates before
    if not context & words.threshold_context:
        return False  # "short of the 1,190 mark" of a race of delegates, not of a budget
    if attained:
        return _phrase_before(doc, tokens[0].i, words.threshold_attained)
    ends = {tokens[-1].i}  # "the 1,190 threshold": right after the figure or its noun
    if figure.measure is not None:
        ends.add(max([tokens[-1].i, *(t.i for t in sentence if t.idx < figure.measure.end)]))
    return any(_phrase_after(doc, i, words.threshold_after) for i in ends) or _phrase_before(
        doc, tokens[0].i, words.threshold_before
    )


def _as_threshold(figure: Figure) -> Figure:
    measure = figure.measure or Measure(figure.text, figure.start, figure.end, "")
    return replace(
        figure,
        measure=replace(measure, key=THRESHOLD_MEASURE),
        unit=figure.unit or "delegate",
        holder=None,
        holder_name=None,
        predicate=THRESHOLD_PREDICATE,
        kind=("total",),
        role=None,
        pollster=None,
    )
