"""Claims: who said what, on whose authority, with what stance.

`extract_claims(doc, entities)` combines quotation marks (`quotes.py`) with
reported speech from the dependency parse (`reported.py`):

* a quotation inside or around a cue's content is a ``direct_quote`` (split quotes
  around the cue make one claim whose content runs from the first quoted word to the
  last, also when the second quote opens the next sentence: "“A,” she said. “B.”";
  the pipeline then cuts it in two at its attribution, `common.py`); a partial
  quotation inside reported speech makes it ``mixed``;
* a cue whose speaker withholds an answer ("declined to say how many", "would not
  say whether") makes no claim;
* a quotation with no cue in its sentence continues the previous quoted speaker's
  words when one spoke within the last two sentences; otherwise it is the author's
  (scare quotes) and not a claim. This runs after every cue has taken its quotes, so
  a quotation whose attribution comes after it ("“A. B,” said X") is X's;
* cues nested in another cue's content become a source chain, outermost first
  ("Reuters reported, citing a senior aide" -> Reuters -> a senior aide -> Mr. Kosta);
* the author's own statements have no cue and are never claims.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newstrace.extract.claims.common import withholds
from newstrace.extract.claims.cues import cue_lexicon
from newstrace.extract.claims.quotes import find_quotes
from newstrace.extract.claims.reported import Cue, find_cues
from newstrace.extract.claims.speakers import EntityIndex, resolve_speaker
from newstrace.extract.claims.stance import is_hedged, stance_of
from newstrace.extract.spans import char_span, doc_text, tokens_span
from newstrace.models import ChainLink, Claim, ClaimKind, Entity, Span, Speaker

__all__ = ["extract_claims"]

_DIRECT_COVER = 0.6
_MIN_CONTINUATION_WORDS = 4
_CONTENT_STRIP = " \t\r\n,;:—–-"
_BYLINE = re.compile(r"[.,!?]?[\"”’']?\s*[―—]\s*")


@dataclass
class _Draft:
    kind: ClaimKind
    speaker: Speaker
    content: Span
    sent: int
    cue: Span | None = None
    cue_lemma: str | None = None
    chain: list[ChainLink] = field(default_factory=list)
    entity: Entity | None = None


class _Quotes:
    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes = find_quotes(text)
        quotes = self.quotes
        self.starts = [q.start for q in quotes]
        self.used: set[int] = set()

    def inside(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and self.quotes[i].start <= offset < self.quotes[i].end

    def overlapping(self, start: int, end: int) -> list[int]:
        hi = bisect.bisect_left(self.starts, end)
        return [i for i in range(max(0, hi - 20), hi) if self.quotes[i].end > start]


def extract_claims(doc: Doc, entities: Sequence[Entity] = ()) -> list[Claim]:
    """Claims of `doc`, ids ``c1``, ``c2``... in text order; `entities` resolve speakers."""
    quotes = _Quotes(doc_text(doc))
    index = EntityIndex(list(entities))
    by_id = {e.id: e for e in entities}
    sents = list(doc.sents)
    drafts: list[_Draft] = []
    for n, sent in enumerate(sents):
        last = drafts[-1].entity if drafts else None
        for cue in _innermost(find_cues(sent, quotes.inside)):
            for draft in _from_cue(doc, cue, n, sent, quotes, index, last, by_id):
                drafts.append(draft)
                last = draft.entity
        drafts.extend(_bylines(doc, sent, n, quotes, index, by_id))
    return _finish(doc, _with_continuations(sents, quotes, drafts), sents)


def _innermost(cues: list[Cue]) -> list[Cue]:
    """Cues whose content holds no other cue; outer cues become their chain."""
    cues = [c for c in cues if not any(_swallowed(c, other) for other in cues)]
    with_content = [c for c in cues if c.content is not None]
    result: list[Cue] = []
    for cue in cues:
        if any(_holds(cue, other) for other in with_content if other is not cue):
            continue
        outers = sorted((c for c in with_content if _holds(c, cue)), key=_width, reverse=True)
        for outer in outers:
            if outer.speaker is not None:
                cue.outer = [*cue.outer, outer.speaker, *outer.cited]
        result.append(cue)
    return result


def _swallowed(inner: Cue, outer: Cue) -> bool:
    """Each cue's content holds the other ("X says Y will announce Z"): the dependent one
    took its head's clause as content, so it is dropped and the head cue is kept."""
    return (
        outer is not inner
        and _holds(outer, inner)
        and _holds(inner, outer)
        and outer.token in inner.token.ancestors
    )


def _holds(outer: Cue, inner: Cue) -> bool:
    return outer.content is not None and outer.content[0] <= inner.token.i <= outer.content[1]


def _width(cue: Cue) -> int:
    return cue.content[1] - cue.content[0] if cue.content else 0


def _from_cue(
    doc: Doc,
    cue: Cue,
    n: int,
    sent: DocSpan,
    quotes: _Quotes,
    index: EntityIndex,
    last: Entity | None,
    by_id: dict[str, Entity],
) -> list[_Draft]:
    """The claims of one cue: one, or one per side of the cue for a split quote."""
    if cue.speaker is None or withheld(cue):
        return []
    contents, kind = _content_and_kind(doc, cue, sent, quotes)
    if not contents:
        return []
    speaker = resolve_speaker(cue.speaker, index, last)
    chain = [_link(t, index, last) for t in cue.outer]
    if chain or cue.cited:
        chain = [*chain, ChainLink(speaker.text, speaker.entity_id)]
        chain += [_link(t, index, last) for t in cue.cited]
    cue_span = tokens_span(doc, cue.cue[0], cue.cue[1], strip=" \t\r\n")
    entity = by_id.get(speaker.entity_id) if speaker.entity_id else None
    lemma = cue.token.lemma_
    return [_Draft(kind, speaker, c, n, cue_span, lemma, _dedupe(chain), entity) for c in contents]


def _link(token: Token, index: EntityIndex, last: Entity | None) -> ChainLink:
    speaker = resolve_speaker(token, index, last)
    return ChainLink(speaker.text, speaker.entity_id)


def _dedupe(chain: list[ChainLink]) -> list[ChainLink]:
    out: list[ChainLink] = []
    for link in chain:
        if not out or out[-1].text.lower() != link.text.lower():
            out.append(link)
    return out if len(out) > 1 else []


def _content_and_kind(
    doc: Doc, cue: Cue, sent: DocSpan, quotes: _Quotes
) -> tuple[list[Span], ClaimKind]:
    if cue.content is None:
        return _quote_for_bare_cue(cue, sent, quotes), "direct_quote"
    first, last = cue.content
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    hits = [i for i in quotes.overlapping(start, end) if i not in quotes.used]
    kind: ClaimKind = "according_to" if cue.kind == "according_to" else "indirect"
    if hits:
        covered = sum(
            min(end, quotes.quotes[i].end) - max(start, quotes.quotes[i].start) for i in hits
        )
        quotes.used.update(hits)
        if covered >= _DIRECT_COVER * (end - start):
            hits = _with_split_tail(cue, sent, quotes, hits)
            return _quoted_extent(quotes, hits), "direct_quote"
        kind = "mixed"
    found = char_span(quotes.text, start, end, _CONTENT_STRIP)
    return ([found] if found is not None else []), kind


def _quoted_extent(quotes: _Quotes, hits: list[int]) -> list[Span]:
    """The content running from the first quote of `hits` to the end of the last (a
    split quote around its cue is cut in two by `split_at_attribution` afterwards)."""
    q0, q1 = quotes.quotes[hits[0]], quotes.quotes[hits[-1]]
    found = char_span(quotes.text, q0.start, q1.end, _CONTENT_STRIP)
    return [found] if found is not None else []


def withheld(cue: Cue) -> bool:
    """ "The minister declined to say how many...", "He would not say whether...": a cue
    whose speaker withholds an answer says nothing that could be a claim."""
    opener = cue.token.doc[cue.content[0]] if cue.content is not None else None
    return withholds(cue.token, opener)


def _with_split_tail(cue: Cue, sent: DocSpan, quotes: _Quotes, hits: list[int]) -> list[int]:
    """ "“A,” she said, “B.”": the quote after the cue continues the one before it."""
    nxt = hits[-1] + 1
    if nxt >= len(quotes.quotes) or nxt in quotes.used:
        return hits
    q = quotes.quotes[nxt]
    before = quotes.quotes[hits[-1]].end <= cue.token.idx
    if (
        before
        and cue.token.idx < q.start
        and _next_to(quotes.text, sent.end_char, q.start)
        and not _attributed_after(cue.token.doc, q.end, quotes)
    ):
        quotes.used.add(nxt)
        return [*hits, nxt]
    return hits


def _attributed_after(doc: Doc, offset: int, quotes: _Quotes) -> bool:
    """Whether a reporting verb follows `offset` (a quotation's end) in its sentence: the
    quotation has an attribution of its own ("“A,” he said. “B,” Mira Holt said": B is
    Mira Holt's, not the rest of his)."""
    found = doc.char_span(offset, min(offset + 1, len(quotes.text)), alignment_mode="expand")
    if not found:
        return False
    lexicon = cue_lexicon()
    after = (t for t in found[0].sent if t.idx >= offset and not quotes.inside(t.idx))
    return any(t.pos_ == "VERB" and lexicon.is_cue(t.lemma_) for t in after)


def _next_to(text: str, sent_end: int, quote_start: int) -> bool:
    """The quote starts in the cue's sentence or opens the next one in the same paragraph."""
    return quote_start <= sent_end or not text[sent_end:quote_start].strip(" \"“‘'")


def _quote_for_bare_cue(cue: Cue, sent: DocSpan, quotes: _Quotes) -> list[Span]:
    """ "“...,” she said, “...”" or "He said: “...”": the quotes around a cue without content."""
    hits = [i for i in quotes.overlapping(sent.start_char, sent.end_char) if i not in quotes.used]
    if not hits and sent.text.rstrip().endswith(":"):
        nxt = sent.end_char
        hits = [i for i in quotes.overlapping(nxt, nxt + 2000)[:1] if i not in quotes.used]
    if not hits:
        return []
    quotes.used.update(hits)
    return _quoted_extent(quotes, _with_split_tail(cue, sent, quotes, hits))


def _bylines(
    doc: Doc, sent: DocSpan, n: int, quotes: _Quotes, index: EntityIndex, by_id: dict[str, Entity]
) -> list[_Draft]:
    """ "“...” ― Ana Roy": a quotation signed with a dash and a name (posts, letters)."""
    out: list[_Draft] = []
    for i in quotes.overlapping(sent.start_char, sent.end_char):
        q = quotes.quotes[i]
        match = _BYLINE.match(quotes.text, q.end)
        name = _byline_name(doc, match.end()) if match else None
        span = char_span(quotes.text, q.start, q.end, _CONTENT_STRIP)
        if i in quotes.used or match is None or name is None or span is None:
            continue
        quotes.used.add(i)
        dash = match.group().strip(" .,!?\"”’'")
        at = quotes.text.index(dash, q.end)
        speaker = resolve_speaker(name, index, None)
        entity = by_id.get(speaker.entity_id) if speaker.entity_id else None
        cue = Span(at, at + len(dash), dash)
        out.append(_Draft("direct_quote", speaker, span, n, cue, None, [], entity))
    return out


def _byline_name(doc: Doc, offset: int) -> Token | None:
    """The last word of the proper name that starts at `offset`, if one does."""
    found = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if found is None or found[0].pos_ != "PROPN":
        return None
    token = found[0]
    while token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN":
        token = doc[token.i + 1]
    return token


def _with_continuations(
    sents: list[DocSpan], quotes: _Quotes, drafts: list[_Draft]
) -> list[_Draft]:
    """`drafts` plus the quotes of cue-less sentences that go on with the previous quoted
    speaker. Run after every cue has taken its quotes, so that a quotation whose own
    attribution follows it ("“A. B,” said X") goes to X, not to the speaker before."""
    out: list[_Draft] = []
    pending = sorted(drafts, key=lambda d: d.sent)
    k = 0
    for n, sent in enumerate(sents):
        while k < len(pending) and pending[k].sent <= n:
            out.append(pending[k])
            k += 1
        out.extend(_continuations(sent, n, quotes, out))
    return out + pending[k:]


def _continuations(sent: DocSpan, n: int, quotes: _Quotes, drafts: list[_Draft]) -> list[_Draft]:
    """Quotes in a cue-less sentence that go on with the previous quoted speaker."""
    prev = next((d for d in reversed(drafts) if d.kind in ("direct_quote", "mixed")), None)
    if prev is None or n - prev.sent > 2:
        return []
    out: list[_Draft] = []
    for i in quotes.overlapping(sent.start_char, sent.end_char):
        q = quotes.quotes[i]
        if i in quotes.used or q.start < sent.start_char - 1:
            continue
        span = char_span(quotes.text, q.start, q.end, _CONTENT_STRIP)
        if span is None or len(span.text.split()) < _MIN_CONTINUATION_WORDS:
            continue
        quotes.used.add(i)
        out.append(
            _Draft("direct_quote", prev.speaker, span, n, None, None, prev.chain, prev.entity)
        )
    return out


def _finish(doc: Doc, drafts: list[_Draft], sents: list[DocSpan]) -> list[Claim]:
    drafts.sort(key=lambda d: (d.content.start, d.content.end))
    claims: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    for d in drafts:
        key = (d.content.start, d.content.end)
        if key in seen:
            continue
        seen.add(key)
        sent = sents[d.sent]
        following = sents[d.sent + 1] if d.sent + 1 < len(sents) else None
        span = doc.char_span(d.content.start, d.content.end, alignment_mode="expand")
        first, last = (span.start, span.end - 1) if span is not None else (sent.start, sent.end - 1)
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                kind=d.kind,
                speaker=d.speaker,
                content=d.content,
                cue=d.cue,
                source_chain=tuple(d.chain),
                stance=stance_of(d.cue_lemma, sent, following),
                hedged=is_hedged(doc, first, last, d.cue_lemma, sent),
            )
        )
    return claims
