"""Reported speech from the dependency parse: "X said (that) Y", "Y, X said",
"according to X, Y", "X was quoted as saying Y", "X's statement said Y", "citing X".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newstrace.extract.claims.cues import cue_lexicon

_CONTENT_DEPS = frozenset({"ccomp", "parataxis"})
_XCOMP_LEMMAS = frozenset(
    {"claim", "deny", "threaten", "promise", "vow", "pledge", "admit", "expect"}
)
_DOBJ_LEMMAS = frozenset(
    {
        *("deny", "dispute", "confirm", "reject", "acknowledge", "announce", "claim", "dismiss"),
        *("refute", "contest", "challenge", "question", "estimate", "report", "predict"),
        *("reveal", "disclose"),
    }
)
_DIRECTIVE_LEMMAS = frozenset({"tell", "ask", "urge", "order", "encourage", "advise", "instruct"})
_INHERIT_DEPS = frozenset({"advcl", "conj", "xcomp"})
_DASHES = frozenset({"-", "--", "–", "—"})
_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]*(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?:,? [A-Z][A-Za-z.]*)* \([A-Za-z]+\)\s*"
)
_NOT_SPEAKERS = frozenset({"me", "him", "us", "them", "who", "which", "that", "what", "there"})


@dataclass
class Cue:
    """One reporting act found in a sentence (token indices are inclusive ranges)."""

    token: Token
    cue: tuple[int, int]
    speaker: Token | None
    content: tuple[int, int] | None
    kind: str = "indirect"
    outer: list[Token] = field(default_factory=list)
    cited: list[Token] = field(default_factory=list)


def find_cues(sent: DocSpan, in_quote: Callable[[int], bool]) -> list[Cue]:
    """Reporting acts in `sent` whose cue word is not itself inside a quotation."""
    lex = cue_lexicon()
    cues: list[Cue] = []
    consumed: set[int] = set()
    for token in sent:
        if token.i in consumed or in_quote(token.idx):
            continue
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            cue = _according_to(token)
        elif token.lemma_ in lex.quote_verbs and token.pos_ == "VERB":
            cue = _quoted_as_saying(token, consumed)
        elif lex.is_cue(token.lemma_) and token.pos_ == "VERB":
            cue = _speech_verb(token)
        else:
            cue = None
        if cue is not None:
            cues.append(cue)
    return cues


def _according_to(token: Token) -> Cue | None:
    doc = token.doc
    to = doc[token.i + 1]
    if to.lower_ != "to":
        return None
    sources = [c for c in to.children if c.dep_ == "pobj"]
    if not sources:
        return None
    head = token.head if token.head is not token else None
    content = _clause_without(head, token) if head is not None else None
    return Cue(token, (token.i, to.i), sources[0], content, kind="according_to")


def _quoted_as_saying(token: Token, consumed: set[int]) -> Cue | None:
    """ "lawmakers quoted the spy agency as saying Y" / "X was quoted as saying Y"."""
    saying = _find_saying(token)
    if saying is None:
        return None
    consumed.add(saying.i)
    subj = _child(token, "nsubj")
    obj = _child(token, "dobj")
    passive = _child(token, "nsubjpass")
    agent = _agent(token)
    content = _content(saying)
    speaker: Token | None = obj
    outer = [subj] if subj is not None else []
    if obj is None:
        speaker, outer = passive or subj, [agent] if agent is not None else []
    return Cue(token, (token.i, saying.i), speaker, content, outer=outer)


def _find_saying(token: Token) -> Token | None:
    for node in token.subtree:
        if node.lemma_ == "say" and node.tag_ == "VBG" and node.i > token.i:
            return node
    return None


def _agent(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "agent":
            return _child(child, "pobj")
    return None


def _speech_verb(token: Token) -> Cue | None:
    speaker = _speaker_of(token)
    if speaker is None:
        return None
    speaker = _statement_source(speaker)
    if _after_dateline(token.doc, token.sent.start, token.sent.end - 1) > speaker.i:
        return None  # "LOS ANGELES (AP) — ...": the dateline is no speaker
    content = _content(token)
    if _counted(speaker):
        speaker, content = _trailing_speaker(token, speaker, content)
    cue = Cue(token, (token.i, token.i), speaker, content)
    cue.cited = _cited(token)
    return cue


def _counted(speaker: Token) -> bool:
    """ "nearly 4,500 troops": a counted noun phrase is a misparse, not who spoke."""
    return speaker.like_num or any(c.dep_ == "nummod" for c in speaker.children)


def _trailing_speaker(
    token: Token, speaker: Token, content: tuple[int, int] | None
) -> tuple[Token, tuple[int, int] | None]:
    """ "Y has 4,500 troops near Lisk, the agency said" misparsed with the troops as subject:
    the phrase after the subject's last comma speaks, and what comes before it is said."""
    doc, head = token.doc, token.head
    commas = [t.i for t in doc[speaker.i : token.i] if t.text == ","]
    if head.i > token.i or not commas or commas[-1] + 1 >= token.i:
        return speaker, content
    segment = range(commas[-1] + 1, token.i)
    heads = [doc[i] for i in segment if doc[i].head.i not in segment]
    if len(heads) != 1 or heads[0].pos_ not in ("PROPN", "NOUN"):
        return speaker, content
    return heads[0], _trimmed(doc, head.left_edge.i, commas[-1] - 1)


def _speaker_of(token: Token) -> Token | None:
    """The subject of `token`, inherited through advcl/conj/xcomp from its head verb."""
    node = token
    for _ in range(3):
        subj = _child(node, "nsubj")
        if subj is not None and subj.lower_ in ("who", "which", "that") and node.dep_ == "relcl":
            return node.head
        if subj is not None:
            return None if subj.lower_ in _NOT_SPEAKERS else subj
        if node.dep_ not in _INHERIT_DEPS or node.head is node:
            return None
        if node.dep_ == "xcomp" and _child(node.head, "dobj") is not None:
            return None  # "urged voters to reject": the voters would reject, not the subject
        node = node.head
    return None


def _statement_source(speaker: Token) -> Token:
    """ "the ministry's statement said" -> the ministry; "a statement from X" -> X."""
    if speaker.lemma_.lower() not in cue_lexicon().statement_nouns:
        return speaker
    poss = _child(speaker, "poss")
    if poss is not None:
        return poss
    for prep in speaker.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
            pobj = _child(prep, "pobj")
            if pobj is not None:
                return pobj
    return speaker


def _content(token: Token) -> tuple[int, int] | None:
    """Token range of what was said: a complement clause, or the clause the cue interrupts."""
    for child in token.children:
        if (child.dep_ in _CONTENT_DEPS and child.i > token.i) or child.dep_ == "ccomp":
            return _trimmed(token.doc, child.left_edge.i, child.right_edge.i)
    if token.lemma_ in _XCOMP_LEMMAS:
        xcomp = _child(token, "xcomp")
        if xcomp is not None:
            return _trimmed(token.doc, xcomp.left_edge.i, xcomp.right_edge.i)
    if token.lemma_ in _DIRECTIVE_LEMMAS:
        directive = _directive(token)
        if directive is not None:
            return directive
    if token.dep_ in ("parataxis", "ccomp", "advcl") and token.head.i < token.i:
        return _clause_without(token.head, token)
    if _trailing_conj(token):
        return _clause_without(token.head, token)
    if token.dep_ == "parataxis" and token.head.left_edge.i < token.left_edge.i:
        return _clause_without(token.head, token)  # "A, he said, B": the cue interrupts
    if token.lemma_ in _DOBJ_LEMMAS:
        obj = _child(token, "dobj")
        if obj is not None:
            return _trimmed(token.doc, obj.left_edge.i, obj.right_edge.i)
    return None


def _trailing_conj(token: Token) -> bool:
    """ "Y, the ministry said" parsed as a conjunct of Y's verb with no "and" between."""
    head = token.head
    if token.dep_ != "conj" or head.i > token.i or _child(token, "nsubj") is None:
        return False
    if token.left_edge.i == 0 or token.doc[token.left_edge.i - 1].text != ",":
        return False
    return not any(c.dep_ == "cc" and head.i < c.i < token.i for c in head.children)


def _directive(token: Token) -> tuple[int, int] | None:
    """ "told his advisers to figure out how...": the addressee and what they are to do."""
    obj, xcomp = _child(token, "dobj"), _child(token, "xcomp")
    if obj is None or xcomp is None or xcomp.i < obj.i:
        return None
    return _trimmed(token.doc, obj.left_edge.i, xcomp.right_edge.i)


def _clause_without(head: Token, part: Token) -> tuple[int, int] | None:
    """The clause of `head`, minus the cue's own subtree (which sits at one edge)."""
    first, last = head.left_edge.i, head.right_edge.i
    cut_first, cut_last = part.left_edge.i, part.right_edge.i
    if part.dep_ in ("parataxis", "ccomp") and _child(part, "nsubj") is not None:
        cut_first = min(cut_first, _child(part, "nsubj").left_edge.i)  # type: ignore[union-attr]
    if cut_first <= first:
        first = cut_last + 1
    elif cut_last >= last or part.dep_ != "parataxis":
        last = cut_first - 1
    return _trimmed(head.doc, first, last)


def _trimmed(doc: Doc, first: int, last: int) -> tuple[int, int] | None:
    first = _after_dateline(doc, first, last)
    while first <= last and (
        doc[first].is_punct or (doc[first].lower_ == "that" and doc[first].dep_ == "mark")
    ):
        first += 1
    while last >= first and doc[last].is_punct and doc[last].text not in ("”", '"', "%"):
        last -= 1
    return (first, last) if first <= last else None


def _after_dateline(doc: Doc, first: int, last: int) -> int:
    """The first token after a wire dateline ("VALDOR, Feb 3 (VWS) -") opening the range."""
    if not doc[first].is_upper:
        return first
    for i in range(first, min(last, first + 12) + 1):
        if doc[i].text in _DASHES:
            head = doc[first:i].text_with_ws
            return i + 1 if _DATELINE.fullmatch(head) else first
    return first


def _cited(token: Token) -> list[Token]:
    """Sources named by "..., citing X" attached to a reporting verb."""
    cited: list[Token] = []
    for child in token.children:
        if child.lemma_ in cue_lexicon().cite_verbs and child.dep_ in ("advcl", "xcomp", "conj"):
            obj = _child(child, "dobj")
            if obj is not None:
                cited.append(obj)
    return cited


def _child(token: Token, dep: str) -> Token | None:
    for child in token.children:
        if child.dep_ == dep:
            return child
    return None
