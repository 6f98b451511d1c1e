"""What the claims of every extractor go through: split quotes cut at their
attribution, reported contents of two coordinated that-clauses cut in two, and cues
that withhold an answer dropped.

An extractor may give a quote split by its cue ("“A,” she said. “B.”") as one content
running over the cue, as PolNeAR annotates it. Shown to a reader, that content holds its
own attribution ("…,” Trump said at a rally. “It’s…"), so the record has two claims of
the same cue and speaker instead, one each side of the attribution.

"The minister declined to say how many troops..." and "He would not say whether..."
report that nothing was said: no claim.

"The chairman said the dam was sound and that the polytechnic had measured the wrong
wall" reports two propositions, each of which another article may state alone: the
record has two claims of the cue and speaker, "the dam was sound" and "the polytechnic
had measured the wrong wall" (only where both clauses complement the cue itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from newstrace.extract.claims.cues import cue_lexicon
from newstrace.extract.claims.quotes import Quote, find_quotes
from newstrace.extract.spans import char_span, doc_text
from newstrace.models import Claim, Span

_STRIP = " \t\r\n,;:—–-"


def split_at_attribution(doc: Doc, claims: Sequence[Claim]) -> list[Claim]:
    """`claims` with each content that holds its own cue between two quotations cut in
    two there, and those of a withholding cue dropped; ids renumbered ``c1``, ``c2``...
    in text order."""
    text = doc_text(doc)
    quotes = find_quotes(text)
    out: list[Claim] = []
    for claim in claims:
        if _withheld_claim(doc, claim):
            continue
        parts = [p for part in _parts(text, quotes, claim) for p in _clauses(doc, claim, part)]
        out.extend(replace(claim, content=part) for part in parts)
    out = _one_per_content(out)
    return [replace(c, id=f"c{n}") for n, c in enumerate(out, 1)]


def _one_per_content(claims: list[Claim]) -> list[Claim]:
    """One claim per quoted content, in text order: of two cues given the same quote, the
    one nearer to it ("“A,” said X" over a "he said" a sentence before)."""
    best: dict[tuple[int, int] | int, Claim] = {}
    for n, claim in enumerate(claims):
        quoted = claim.kind == "direct_quote"
        key = (claim.content.start, claim.content.end) if quoted else n
        if key not in best or _distance(claim) < _distance(best[key]):
            best[key] = claim
    return sorted(best.values(), key=lambda c: (c.content.start, c.content.end))  # stable


def _distance(claim: Claim) -> int:
    cue, content = claim.cue, claim.content
    if cue is None:
        return 10**9
    return max(content.start - cue.end, cue.start - content.end, 0)


def _parts(text: str, quotes: Sequence[Quote], claim: Claim) -> list[Span]:
    """The content before the attribution and the content after it, or the content."""
    content, cue = claim.content, claim.cue
    if cue is None or not content.start < cue.start < cue.end < content.end:
        return [content]
    gap_start, gap_end = _attribution(claim)
    inside = [q for q in quotes if content.start - 1 <= q.start and q.end <= content.end + 1]
    before = [q for q in inside if q.end <= gap_start]
    after = [q for q in inside if q.start >= gap_end]
    if not before or not after:
        return [content]
    first = char_span(text, content.start, before[-1].end, _STRIP)
    second = char_span(text, after[0].start, content.end, _STRIP)
    return [first, second] if first is not None and second is not None else [content]


def _clauses(doc: Doc, claim: Claim, content: Span) -> list[Span]:
    """The that-clauses a reported content coordinates ("X and that Y": X, Y), or the
    content: only where each clause complements the claim's own cue."""
    if claim.kind == "direct_quote" or claim.cue is None:
        return [content]
    text = doc_text(doc)
    cuts = [t for t in _tokens(doc, content) if _second_clause(t, claim.cue)]
    if not cuts:
        return [content]
    found: list[Span] = []
    start = content.start
    for mark in cuts:
        joiner = doc[mark.i - 1]
        found.append(char_span(text, start, joiner.idx, _STRIP) or content)
        start = mark.idx + len(mark.text)
    found.append(char_span(text, start, content.end, _STRIP) or content)
    return found if all(part is not content for part in found) else [content]


def _tokens(doc: Doc, content: Span) -> list[Token]:
    found = doc.char_span(content.start, content.end, alignment_mode="expand")
    return list(found) if found is not None else []


def _second_clause(token: Token, cue: Span) -> bool:
    """Whether `token` is the "that" opening a clause coordinated ("and that") with a
    clause the cue's verb governs."""
    if token.lower_ != "that" or token.dep_ != "mark" or token.i < 1:
        return False
    joiner, verb = token.doc[token.i - 1], token.head
    if joiner.lower_ not in ("and", "but") or verb.dep_ != "conj":
        return False
    governor = verb.head.head
    return cue.start <= governor.idx < cue.end


def _attribution(claim: Claim) -> tuple[int, int]:
    """Where the attribution lies: the cue, with the speaker when it sits inside too."""
    assert claim.cue is not None
    start, end = claim.cue.start, claim.cue.end
    speaker = claim.speaker
    s_start, s_end = speaker.start, speaker.end
    if s_start is None or s_end is None:
        return start, end
    if claim.content.start < s_start < s_end < claim.content.end:
        start, end = min(start, s_start), max(end, s_end)
    return start, end


def withholds(cue: Token, opener: Token | None) -> bool:
    """Whether reporting verb `cue`, whose content starts with `opener` (None: no content),
    reports an answer withheld: "declined to say how many", "would not say whether"."""
    refused = cue.dep_ == "xcomp" and cue.head.lemma_.lower() in cue_lexicon().withholding_verbs
    negated = any(c.dep_ == "neg" for c in cue.children)
    if not (refused or negated):
        return False
    if opener is None:
        return True
    return opener.lower_ in ("whether", "if") or opener.tag_ in ("WDT", "WP", "WRB")


def _withheld_claim(doc: Doc, claim: Claim) -> bool:
    if claim.cue is None:
        return False
    cue = doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
    opener = doc.char_span(claim.content.start, claim.content.end, alignment_mode="expand")
    if cue is None or opener is None:
        return False
    verbs = [t for t in cue if t.pos_ in ("VERB", "AUX")] or [cue.root]
    return withholds(verbs[-1], opener[0])
