"""Claims from the trained attribution tagger (`newstrace.nlp.attribution_model`).

The tagger marks source, cue and content spans; this module turns them into claims:

* it runs on every window of the text: running only the windows that hold a quotation
  mark or a cue-lexicon word (92% of the wordpieces of PolNeAR dev) cost 0.005 relation
  F1 and 0.013 cue F1 on dev, as the tagger finds attributions with no cue word ("have
  long debated", "is propounding", a colon);
* content spans at most five words apart in one sentence, with no cue, source or verb
  between them, no quotation opening or closing there and no comma closing the first,
  are one content (the tagger often begins a second span inside one: "blasted
  [Oversight] [for failing to ...]", "[how X] and [whether Y]"; +0.016 relation F1 on
  PolNeAR dev); a source the tagger half-marked runs on to the noun its last word
  modifies ("The" -> "The Ostra River ... Mission");
* a content that opens its cue's complement clause ("reported [that X -- which is ...,
  though] ... -- [missed its targets]") takes the content spans the tagger marked further
  inside that clause (the parse's ``ccomp``): relation F1 on PolNeAR dev unchanged
  (.7003), a polnear denial's target whole;
* each cue takes the nearest content span, one after it first (a split quote around
  the cue is one content, as PolNeAR annotates it) and the source in its sentence that
  holds the subject of the cue's verb (or of the verb a participle cue hangs from), else
  the nearest one (+0.003 relation F1), none when that one is the verb's passive
  subject; a cue with no content is dropped, and so is a claim left with no source
  whose cue verb has a subject;
* a cue inside another claim's content makes that claim's speaker the head of its source
  chain (outermost first);
* a content is cut at the end of its cue's sentence (outside quotation marks), loses a
  leading object of its cue ("told reporters the deal ..."), and a content with fewer than
  two content words ("that", "Mr.") is dropped, unless it is one noun or name after a cue
  the tagger is sure of ("attacked [Machado]");
* a tagged source followed by a colon and tagged content ("Pat Caddell: Democrat Voters
  ...", headlines and transcripts) makes the colon a cue (+0.002 relation F1); a
  quotation of two words or more is a content however few content words it has
  ("“I love you,” he said");
* the rules' own claims back it off: a tagged claim with the same cue as a rule claim
  takes the rule claim's source chain and, for a direct quote, its quotation; each rule
  claim whose content no tagged claim overlaps, and the tagger marked a part of as
  content, is kept (the best combination measured on PolNeAR dev);
* the rules supply what the tagger does not: the speaker's entity (pronouns and role
  nouns resolved to a named antecedent), the claim kind from the quotation marks, stance
  and hedging from the cue lexicon.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newstrace.extract.claims import extract_claims
from newstrace.extract.claims.cues import cue_lexicon
from newstrace.extract.claims.quotes import Quote, find_quotes
from newstrace.extract.claims.speakers import EntityIndex, resolve_speaker
from newstrace.extract.claims.stance import is_hedged, stance_of
from newstrace.extract.spans import char_span, doc_text
from newstrace.language import NAME_WORDS, fold_word
from newstrace.models import ChainLink, Claim, ClaimKind, Entity, Span, Speaker
from newstrace.nlp.attribution_model import TaggedSpan, load_tagger

__all__ = ["extract_claims_with_model"]

_CONTENT_STRIP = ' \t\r\n,;:—–-"“”‘’«»'  # as the rules give content: no quotation marks
_SPEAKER_STRIP = " \t\r\n,;:.—–-"
_QUOTE_CHARS = '"“”«»„'
_MAX_CONTENT_GAP = 80  # characters between a cue and its content
_DIRECT_COVER = 0.6
_MIN_INNER_WORDS = 3
_OTHER_SENTENCE = 1000  # a content in the cue's own sentence comes first
# a content after the cue comes before one as near before it ("[...], Quist said on
# Monday [that ...]"): 10-20 characters, +0.002 relation F1 on PolNeAR dev (3-5: +0.000,
# 60 and more: +0.001)
_BEFORE_CUE = 10
_MIN_CONTENT_WORDS = 2  # "that", "Mr.", "the claim" alone: +0.028 relation F1 on dev
_MIN_QUOTED_WORDS = 2  # a quotation needs no content words: "“I love you,” he said"
# a one-word content that is a noun or a name is kept when its cue's mean probability is
# at least this ("Trump [attacked] [Machado]", "[echo] [her concerns]"): +0.011 source F1
# and +0.012 cue F1 on PolNeAR dev, relation F1 unchanged (any such cue: -0.002)
_SURE_CUE = 0.6
_NOUNS = frozenset({"NOUN", "PROPN"})
_CUE_OBJECTS = frozenset({"dobj", "dative", "iobj"})
_SUBJECTS = frozenset({"nsubj", "csubj"})
# a cue verb with no subject of its own takes the subject of the verb (or of the object's
# verb) it hangs from: "[They] sent a letter ... opposing", "[it] issued a paper welcoming"
_SUBJECT_OF_HEAD = frozenset({"advcl", "conj", "acl", "dobj"})
_CLIMB = 4
_JOIN_GAP = re.compile(r"[^.!?()—–\n]{0,40}")  # no sentence end, no dateline "(VWS) -"
_OPENING = '"“«-—–'
_CLOSING = '"”».!?,'  # nor after a sentence end or a comma (+0.002 relation F1)
_JOIN_WORDS = 5
_COLON = re.compile(r" ?: *")  # a source's colon, and the spaces before its content
_MODIFIERS = frozenset({"det", "compound", "amod", "poss", "nummod", "nmod"})
_CUE_CHAIN = frozenset({"xcomp", "aux", "auxpass", "neg", "prt", "advmod"})


@dataclass
class _Attribution:
    cue: TaggedSpan
    content: tuple[int, int] | None = None
    source: TaggedSpan | None = None
    outer: list[_Attribution] = field(default_factory=list)


def extract_claims_with_model(
    doc: Doc, entities: Sequence[Entity] = (), model: str | None = None
) -> list[Claim]:
    """Claims of `doc` from the trained tagger (the packaged one, or the one in the folder
    `model`), ids ``c1``, ``c2``... in text order."""
    text = doc_text(doc)
    tagger = load_tagger(model) if model else load_tagger()
    spans = tagger.tag(text)
    found = _claims(doc, text, _link(doc, spans), list(entities))
    return _with_rules_back_off(doc, found, extract_claims(doc, entities), spans)


def _with_rules_back_off(
    doc: Doc, found: list[Claim], rules: list[Claim], spans: Sequence[TaggedSpan]
) -> list[Claim]:
    """The tagger's claims, each completed by the rule claim of the same cue, plus each
    rule claim whose content none of them overlaps and the tagger marked a part of as a
    content (measured on PolNeAR dev, this beats either alone; a rule claim the tagger saw
    no content in was right 1 time in 28: +0.006 relation F1), numbered in text order.
    A claim left with no source, whose cue verb has a subject of its own, is dropped: the
    tagger missed its source (20 of 22 such claims on dev were wrong; +0.003 relation F1).
    """
    found = [_completed(c, rules) for c in found if not _inside_a_denial(c, rules)]
    found = [c for c in found if not _missed_source(doc, c)]
    tagged = [(s.start, s.end) for s in _by_role(list(spans), "content")]
    extra = [
        r
        for r in rules
        if not any(_overlap(r.content, c.content) for c in found)
        and any(r.content.start < end and start < r.content.end for start, end in tagged)
    ]
    ordered = sorted([*found, *extra], key=lambda c: (c.content.start, c.content.end))
    return [replace(c, id=f"c{n}") for n, c in enumerate(ordered, 1)]


def _missed_source(doc: Doc, claim: Claim) -> bool:
    """Whether `claim` is reported speech with no source where its cue verb has a
    subject: the tagger missed the source. A quotation stays ("A sign reads: “...”")."""
    return not claim.speaker.text and claim.kind != "direct_quote" and _cue_has_subject(doc, claim)


def _cue_has_subject(doc: Doc, claim: Claim) -> bool:
    """Whether the verb of the claim's cue has an active subject other than "it" (the
    dummy subject of "it was unclear whether ...", which has no source)."""
    cue = claim.cue
    found = doc.char_span(cue.start, cue.end, alignment_mode="expand") if cue else None
    return found is not None and any(
        c.dep_ in _SUBJECTS and c.lower_ != "it" for h in _cue_heads(found) for c in h.children
    )


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _inside_a_denial(claim: Claim, rules: Sequence[Claim]) -> bool:
    """A tagged claim whose cue lies in the content of a rule claim that denies or
    disputes it ("the ministry dismissed [a claim that 12,500 troops had crossed]"): the
    tagger read the denied claim as the speaker's own; the rule claim is kept instead."""
    cue = claim.cue
    return cue is not None and any(
        r.stance != "assert" and r.content.start <= cue.start and cue.end <= r.content.end
        for r in rules
    )


def _completed(claim: Claim, rules: Sequence[Claim]) -> Claim:
    """`claim` with what the rule claim of its cue knows better: the source chain of a
    nested attribution with its speaker when the rules' chain is longer (they follow "X
    reported, citing Y": Y is the speaker; the tagger can miss X), and the quotation of a
    direct quote when it holds most of the claim's content (the rules' quote boundaries;
    +0.006 content F1 on dev; taking a quotation that holds only a part of it, or another
    one, cost 0.007 relation F1).
    A claim the tagger gave no source ("The Ostra River Monitoring Mission estimated on
    Tuesday that ...": cue and content tagged, the source not) takes the rules' speaker."""
    cue = claim.cue
    rule = next((r for r in rules if cue and r.cue and _overlap(r.cue, cue)), None)
    if rule is None:
        return claim
    if not claim.speaker.text and rule.speaker.text:
        claim = replace(claim, speaker=rule.speaker, source_chain=rule.source_chain)
    if len(rule.source_chain) > len(claim.source_chain):
        claim = replace(claim, source_chain=rule.source_chain, speaker=rule.speaker)
    if rule.kind == "direct_quote" and _covers_most(rule.content, claim.content):
        claim = replace(claim, content=rule.content, kind="direct_quote")
    return claim


def _covers_most(quote: Span, content: Span) -> bool:
    """Whether `quote` holds most of `content`: the rules' quotation replaces the tagger's
    content only then ("called half of X's supporters [“deplorables”]" keeps its words;
    the rules' quote of a cue can be another quotation altogether)."""
    shared = min(quote.end, content.end) - max(quote.start, content.start)
    return shared >= _DIRECT_COVER * (content.end - content.start)


def _by_role(spans: list[TaggedSpan], role: str) -> list[TaggedSpan]:
    return [s for s in spans if s.role == role]


def _link(doc: Doc, spans: list[TaggedSpan]) -> list[_Attribution]:
    """Cues paired with their content (greedy, nearest first) and their source.

    A cue inside a content span is a nested attribution: the content belongs to the cue
    outside it, and the inner cue takes the part of it after itself (or before itself
    when nothing follows: "..., she said"). A content span no cue took is dropped
    (keeping it with its nearest source lowered relation F1 on PolNeAR dev).
    """
    text = doc_text(doc)
    cues = [*_by_role(spans, "cue"), *_colon_cues(text, spans)]
    contents = _joined(doc, _by_role(spans, "content"), [*cues, *_by_role(spans, "source")])
    sources = _by_role(spans, "source")
    found = [_Attribution(cue) for cue in cues]
    sentence_of = _sentence_finder(doc)
    pairs = sorted(
        (_pairing_cost(a.cue, c, gap, sentence_of), i, j)
        for i, a in enumerate(found)
        for j, c in enumerate(contents)
        if (gap := _gap(a.cue, c)) <= _MAX_CONTENT_GAP
        and not _inside(a.cue, (c.start, c.end))
        and _same_paragraph(text, a.cue, c)
    )
    taken: set[int] = set()
    for _, i, j in pairs:
        if found[i].content is None and j not in taken:
            taken.add(j)
            found[i].content = (contents[j].start, contents[j].end)
    for attribution in found:
        attribution.source = _nearest_source(doc, sentence_of, attribution.cue, sources)
        if attribution.content is not None:
            attribution.content = _with_split_part(text, attribution, contents, taken)
            attribution.content = _with_clause_rest(doc, attribution, contents, taken)
        else:
            attribution.content = _inner_content(doc, attribution, contents)
    linked = [a for a in found if a.content is not None]
    for a in linked:
        a.outer = [o for o in linked if o is not a and _inside(a.cue, o.content)]
    return linked


def _pairing_cost(
    cue: TaggedSpan, content: TaggedSpan, gap: int, sentence_of: Callable[[TaggedSpan], _Extent]
) -> int:
    """How far `content` is from `cue` for pairing: characters apart, plus
    `_OTHER_SENTENCE` outside the cue's sentence and `_BEFORE_CUE` before the cue."""
    other = not sentence_of(cue).overlaps(content)
    return gap + _OTHER_SENTENCE * other + _BEFORE_CUE * (content.end <= cue.start)


def _colon_cues(text: str, spans: list[TaggedSpan]) -> list[TaggedSpan]:
    """The colon between a tagged source and the tagged content right after it, as the
    cue the tagger leaves out ("Pat Caddell: Democrat Voters Worried ...", headlines and
    transcripts; PolNeAR annotates the colon as the cue)."""
    contents = [s.start for s in _by_role(spans, "content")]
    found = []
    for source in _by_role(spans, "source"):
        end = source.end - 1 if text[source.end - 1] == ":" else source.end
        match = _COLON.match(text, end)
        if match is None:
            continue
        i = bisect.bisect_left(contents, match.start() + 1)
        if i < len(contents) and contents[i] <= match.end():
            colon = match.start() + match.group().index(":")
            found.append(TaggedSpan("cue", colon, colon + 1, source.score))
    return found


def _joined(doc: Doc, spans: list[TaggedSpan], others: Sequence[TaggedSpan]) -> list[TaggedSpan]:
    """Spans of one role at most `_JOIN_WORDS` words apart in one sentence, with none of
    `others` between them, no quotation opening or closing there and no verb ("blasted
    [Oversight] [for failing to ...]": the tagger began a second span inside one;
    "[there was no danger.] [“It will pass ...,”] he said" stays two, and so does
    "[many voters] have had such reservations about [voting for Trump]": a verb the tagger
    left out between two spans is the predicate of a clause of its own, often another
    attribution's cue; +0.002 relation F1 on PolNeAR dev)."""
    text = doc_text(doc)
    joined: list[TaggedSpan] = []
    for span in sorted(spans, key=lambda s: s.start):
        last = joined[-1] if joined else None
        if (
            last is not None
            and _joinable(text[last.end : span.start])
            and text[span.start] not in _OPENING
            and text[last.end - 1] not in _CLOSING
            and not any(last.end < o.end and o.start < span.start for o in others)
            and not _has_verb(doc, last.end, span.start)
        ):
            joined[-1] = replace(last, end=max(last.end, span.end))
        else:
            joined.append(span)
    return joined


def _has_verb(doc: Doc, start: int, end: int) -> bool:
    found = doc.char_span(start, end, alignment_mode="contract")
    return found is not None and any(t.pos_ == "VERB" for t in found)


def _joinable(gap: str) -> bool:
    return bool(_JOIN_GAP.fullmatch(gap)) and len(gap.split()) <= _JOIN_WORDS


def _inner_content(
    doc: Doc, attribution: _Attribution, contents: list[TaggedSpan]
) -> tuple[int, int] | None:
    """The content of a cue nested inside another attribution's content span."""
    cue, source = attribution.cue, attribution.source
    outer = next((c for c in contents if _inside(cue, (c.start, c.end))), None)
    if outer is None:
        return None
    after = max(cue.end, source.end if source and source.start >= cue.end else cue.end)
    text = doc_text(doc)
    if len(text[after : outer.end].split()) >= _MIN_INNER_WORDS:
        return after, outer.end
    before = min(cue.start, source.start if source and source.end <= cue.start else cue.start)
    if len(text[outer.start : before].split()) >= _MIN_INNER_WORDS:
        return outer.start, before
    return None


@dataclass(frozen=True)
class _Extent:
    start: int
    end: int

    def overlaps(self, span: TaggedSpan) -> bool:
        return span.start < self.end and self.start < span.end


def _sentence_finder(doc: Doc) -> Callable[[TaggedSpan], _Extent]:
    """`sentence_of(span)`: the extent of the sentence where `span` starts; a line break
    ends a sentence too (the small parser runs a headline into the first paragraph)."""
    text = doc_text(doc)
    bounds = sorted(
        {s.start_char for s in doc.sents} | {m.end() for m in re.finditer(r"\n+", text)}
    )
    ends = [*bounds[1:], len(text)]

    def sentence_of(span: TaggedSpan) -> _Extent:
        i = max(0, bisect.bisect_right(bounds, span.start) - 1)
        return _Extent(bounds[i], ends[i])

    return sentence_of


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def _inside(span: TaggedSpan, region: tuple[int, int] | None) -> bool:
    return region is not None and region[0] <= span.start and span.end <= region[1]


def _with_split_part(
    text: str, attribution: _Attribution, contents: list[TaggedSpan], taken: set[int]
) -> tuple[int, int]:
    """ "“A,” she said, “B.”": a free content span just after the cue, in its paragraph,
    continues the quote before it (one content running over the cue, as the data set
    annotates it; the next paragraph's quote has a speaker of its own: "“A,” Hadley
    said.\n\n“B,” she said"); an unquoted content before the cue does not take one
    ("X, who was not authorised to speak, said Y": +0.002 relation F1 on PolNeAR dev)."""
    assert attribution.content is not None
    start, end = attribution.content
    cue = attribution.cue
    if end > cue.start or text[start:end].rstrip(" ,")[-1:] not in _QUOTE_CHARS:
        return start, end
    for j, other in enumerate(contents):
        near = 0 <= other.start - cue.end <= 40 and "\n" not in text[cue.end : other.start]
        if j not in taken and near:
            taken.add(j)
            return start, other.end
    return start, end


def _with_clause_rest(
    doc: Doc, attribution: _Attribution, contents: list[TaggedSpan], taken: set[int]
) -> tuple[int, int]:
    """ "reported [that Karsk Rail -- which is best known for ..., though] its freight arm
    wins awards -- [missed its sales goals]": a content that opens its cue's complement clause
    ("that", "whether", "if" marking a ``ccomp`` of the cue's verb) takes the free content
    spans the tagger marked further inside that clause, up to the last of them (the
    tagger loses its way in a long parenthesis; the parse knows where the clause ends)."""
    assert attribution.content is not None
    start, end = attribution.content
    opening = doc.char_span(start, end, alignment_mode="expand")
    if opening is None or opening[0].dep_ != "mark" or opening[0].head.dep_ != "ccomp":
        return start, end
    clause = opening[0].head
    if not _in_span(clause.head, attribution.cue):
        return start, end
    clause_end = clause.right_edge.idx + len(clause.right_edge)
    text = doc_text(doc)
    rest = [
        j
        for j, other in enumerate(contents)
        if j not in taken
        and end <= other.start < clause_end
        and not text[clause_end : other.end].strip(_CONTENT_STRIP + ".!?")
    ]
    if not rest:
        return start, end
    taken.update(rest)
    return start, max(contents[j].end for j in rest)


def _nearest_source(
    doc: Doc,
    sentence_of: Callable[[TaggedSpan], _Extent],
    cue: TaggedSpan,
    sources: list[TaggedSpan],
) -> TaggedSpan | None:
    """The source span holding the subject of the cue's verb (or of the verb it hangs
    from), else the one nearest the cue within the cue's sentence; none when the nearest
    holds the passive subject of the cue's verb and no agent is tagged ("[peacekeepers]
    have been blamed for ...": the one blamed, not the source)."""
    sent = sentence_of(cue)
    inside = [s for s in sources if sent.start <= s.start and s.end <= sent.end]
    found = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if found is None:
        return min(inside, key=lambda s: _gap(cue, s), default=None)
    subjects, passive = _cue_subjects(found)
    by_parse = [s for s in inside if any(s.start <= i < s.end for i in subjects)]
    if not by_parse and any(s.start <= i < s.end for s in inside for i in passive):
        return None
    return min(by_parse or inside, key=lambda s: _gap(cue, s), default=None)


def _cue_heads(cue: DocSpan) -> set[Token]:
    return set(cue) | {t.head for t in cue if t.dep_ in _CUE_CHAIN}


def _cue_subjects(cue: DocSpan) -> tuple[list[int], list[int]]:
    """Offsets of the subjects (and passive agents) of the cue's words, or of the verb it
    hangs from when it has none (`_SUBJECT_OF_HEAD`: +0.002 relation F1 on PolNeAR dev);
    and the offsets of its passive subjects (+0.001)."""
    heads = _cue_heads(cue)
    subjects = [c for h in heads for c in h.children if c.dep_ in _SUBJECTS]
    agents = [g for h in heads for c in h.children if c.dep_ == "agent" for g in c.children]
    passive = [int(c.idx) for h in heads for c in h.children if c.dep_ == "nsubjpass"]
    if not subjects and not agents:
        subjects = _subjects_of_head(cue.root)
    return [int(t.idx) for t in (*subjects, *agents)], passive


def _subjects_of_head(token: Token) -> list[Token]:
    """The subjects of the nearest verb above `token` along `_SUBJECT_OF_HEAD` links
    that has any, stopping at a passive one."""
    for _ in range(_CLIMB):
        if token.dep_ not in _SUBJECT_OF_HEAD or token.head.i == token.i:
            break
        token = token.head
        if any(c.dep_ == "nsubjpass" for c in token.children):
            break
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
        if subjects:
            return subjects
    return []


def _same_paragraph(text: str, a: TaggedSpan, b: TaggedSpan) -> bool:
    """No line break between the two spans (pairing over one cost 0.017 relation F1)."""
    return "\n" not in text[min(a.end, b.end) : max(a.start, b.start)]


def _claims(
    doc: Doc, text: str, attributions: list[_Attribution], entities: list[Entity]
) -> list[Claim]:
    index = EntityIndex(entities)
    quotes = find_quotes(text)
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    claims: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    speakers: dict[int, Speaker] = {}
    last: Entity | None = None
    by_id = {e.id: e for e in entities}
    for a in sorted(attributions, key=lambda x: x.cue.start):
        speaker = _speaker(doc, text, a.source, index, last)
        speakers[id(a)] = speaker
        last = by_id.get(speaker.entity_id or "", last)
    for a in sorted(attributions, key=lambda x: x.content or (0, 0)):
        assert a.content is not None
        n = max(0, bisect.bisect_right(starts, a.cue.start) - 1)
        sent, following = sents[n], sents[n + 1] if n + 1 < len(sents) else None
        content = _trimmed_content(doc, text, a, sent, quotes)
        if content is None or (content.start, content.end) in seen:
            continue
        seen.add((content.start, content.end))
        lemma = _cue_lemma(doc, a.cue)
        first, last_token = _token_range(doc, content, sent)
        speaker = speakers[id(a)]
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                kind=_kind(content, quotes, lemma),
                speaker=speaker,
                content=content,
                cue=Span(a.cue.start, a.cue.end, text[a.cue.start : a.cue.end]),
                source_chain=_chain(a, speakers, speaker),
                stance=stance_of(lemma, sent, following),
                hedged=is_hedged(doc, first, last_token, lemma, sent),
            )
        )
    return claims


def _trimmed_content(
    doc: Doc, text: str, a: _Attribution, sent: DocSpan, quotes: Sequence[Quote]
) -> Span | None:
    """The content of `a` as a claim shows it, or None when too little is left."""
    assert a.content is not None
    start, end = a.content
    if a.cue.start <= start < a.cue.end < end:
        start = a.cue.end  # the tagger gave a word both roles: "declined to [confirm]"
    if a.cue.end <= start < sent.end_char < end and not _quoted(sent.end_char, quotes):
        end = sent.end_char  # ran into the next sentence outside quotation marks
    start = _after_cue_object(doc, a.cue, start, end)
    end = _before_cue_adverbs(doc, a.cue, start, end)
    content = char_span(text, start, end, _CONTENT_STRIP)
    if content is None:
        return None
    found = doc.char_span(content.start, content.end, alignment_mode="expand")
    words = [t for t in found or () if not (t.is_stop or t.is_punct or t.is_space)]
    if len(words) >= _MIN_CONTENT_WORDS:
        return content
    if len(words) == 1 and words[0].pos_ in _NOUNS and a.cue.score >= _SURE_CUE:
        return content
    quoted = any(q.start <= content.start < q.end for q in quotes)
    return content if quoted and len(content.text.split()) >= _MIN_QUOTED_WORDS else None


def _before_cue_adverbs(doc: Doc, cue: TaggedSpan, start: int, end: int) -> int:
    """Where a content after its cue ends once the adverbs of the cue verb that close it
    are left out ("rejected [the figure] again": the decoder's carrying on a span over
    words the tagger is less sure of can take them in; exact content F1 +0.0005 on
    PolNeAR dev, the others unchanged; leaving out a cue's trailing npadvmod or prep too
    cost 0.0005 relation F1)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or start < cue.end or len(span) < 2:
        return end
    words = [t for t in span if not t.is_punct]
    kept = len(words)
    while kept > 1 and words[kept - 1].dep_ == "advmod" and _in_span(words[kept - 1].head, cue):
        kept -= 1
    if kept == len(words):
        return end
    last = words[kept - 1]
    return int(last.idx) + len(last.text)


def _in_span(token: Token, span: TaggedSpan) -> bool:
    return span.start <= token.idx < span.end


def _quoted(offset: int, quotes: Sequence[Quote]) -> bool:
    return any(q.start < offset < q.end for q in quotes)


def _after_cue_object(doc: Doc, cue: TaggedSpan, start: int, end: int) -> int:
    """Where the content starts once a leading object of its cue verb is left out, when
    a clause of the cue follows it: "told reporters the deal could collapse" -> "the deal
    could collapse" ("accused the minister of lying" keeps its object)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return start
    first = span[0]
    head = first if first.dep_ in _CUE_OBJECTS else first.head
    verb = head.head
    if head.dep_ not in _CUE_OBJECTS or not cue.start <= verb.idx < cue.end:
        return start
    last = max(t.i for t in head.subtree)
    clause = any(t.head == verb and t.dep_ == "ccomp" and t.i > last for t in span)
    cut = int(doc[last + 1].idx) if clause and last + 1 < span.end else start
    return cut if cut < end else start


def _speaker(
    doc: Doc, text: str, source: TaggedSpan | None, index: EntityIndex, last: Entity | None
) -> Speaker:
    """The tagged source as a `Speaker`, its entity resolved by the rules."""
    if source is None:
        return Speaker(text="")
    source = _tidy_source(doc, text, _with_title(doc, source))
    span = char_span(text, source.start, source.end, _SPEAKER_STRIP)
    found = doc.char_span(source.start, source.end, alignment_mode="expand")
    if span is None or found is None:
        return Speaker(text="")
    resolved = resolve_speaker(found.root, index, last)
    # The span stays as tagged (with an apposition: "Ilan Brec, a spokesman for ...", as
    # PolNeAR annotates sources; the rules' shorter noun phrase cost 0.12 source F1 on
    # dev); the entity carries the name.
    return Speaker(span.text, span.start, span.end, resolved.entity_id)


def _tidy_source(doc: Doc, text: str, source: TaggedSpan) -> TaggedSpan:
    """The source without a trailing preposition ("the ministry on"), running on to the
    noun its last word modifies ("The" -> "The Ostra River Monitoring Mission"), and with
    the closing parenthesis it opened ("Directorate (NID" + ")")."""
    found = doc.char_span(source.start, source.end, alignment_mode="expand")
    if found is not None and len(found) > 1 and found[-1].pos_ == "ADP":
        source = replace(source, end=found[-2].idx + len(found[-2].text))
    last = found[-1] if found is not None else None
    if last is not None and last.dep_ in _MODIFIERS and last.head.i > last.i:
        head = last.head  # "The" of "The Ostra River Monitoring Mission": the whole name
        source = replace(source, end=int(head.idx) + len(head.text))
    inside = text[source.start : source.end]
    if inside.count("(") > inside.count(")") and text[source.end : source.end + 1] == ")":
        source = replace(source, end=source.end + 1)
    return source


def _with_title(doc: Doc, source: TaggedSpan) -> TaggedSpan:
    """The source with an honorific right before it ("Mr." + "Kosta"), which the tagger
    sometimes leaves out."""
    found = doc.char_span(source.start, source.end, alignment_mode="expand")
    if found is None or found.start == 0:
        return source
    before = doc[found.start - 1]
    words = NAME_WORDS
    title = fold_word(before.text)
    titled = title in words.male or title in words.female or title in words.prefixes
    if titled and before.text[:1].isupper() and found[0].pos_ == "PROPN":
        return replace(source, start=before.idx)
    return source


def _chain(
    a: _Attribution, speakers: dict[int, Speaker], speaker: Speaker
) -> tuple[ChainLink, ...]:
    outer = sorted(a.outer, key=lambda o: (o.content or (0, 0))[0])
    links = [_link_of(speakers[id(o)]) for o in outer if speakers[id(o)].text]
    if not links:
        return ()
    return (*links, _link_of(speaker))


def _link_of(speaker: Speaker) -> ChainLink:
    return ChainLink(speaker.text, speaker.entity_id)


def _cue_lemma(doc: Doc, cue: TaggedSpan) -> str | None:
    found = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if found is None:
        return None
    lexicon = cue_lexicon()
    for token in found:
        if token.lemma_.lower() in lexicon.stances:
            return str(token.lemma_.lower())
    return str(found.root.lemma_.lower())


def _token_range(doc: Doc, content: Span, sent: DocSpan) -> tuple[int, int]:
    span = doc.char_span(content.start, content.end, alignment_mode="expand")
    return (span.start, span.end - 1) if span is not None else (sent.start, sent.end - 1)


def _kind(content: Span, quotes: Sequence[Quote], lemma: str | None) -> ClaimKind:
    """direct_quote when quotation marks cover most of the content, mixed when some."""
    covered = 0
    for q in quotes:
        covered += max(0, min(q.end, content.end) - max(q.start, content.start))
    if covered >= _DIRECT_COVER * (content.end - content.start):
        return "direct_quote"
    if covered:
        return "mixed"
    return "according_to" if lemma == "according" else "indirect"
