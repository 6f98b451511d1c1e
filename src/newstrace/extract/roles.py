"""Roles of people: appositions ("Hong Min, a North Korea expert at ...") and title
prefixes ("Secretary of State Marco Rubio").

A role is a title or a description of the person, so a candidate is dropped when it is
a clause fragment or a quantity: it holds a verb or a pronoun other than a possessive
("frontrunner who has inflamed ...", "race between himself"), a number or a time ("7:10
p.m.", "69 million votes"), a line break, or a plural noun (a description of one person
is singular: "rivals", "Syrian refugees President")."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newstrace.extract.names import title_lexicon

_MAX_ROLE_TOKENS = 16
_MAX_TITLE_TOKENS = 6
_LEAD = frozenset({"a", "an", "the"})
_CLAUSE_POS = frozenset({"VERB", "AUX", "NUM"})
_PLURAL = frozenset({"NNS", "NNPS"})
_OPENERS = frozenset({"CCONJ", "SCONJ", "ADP"})


def roles_for(doc: Doc, mentions: list[tuple[int, int]]) -> tuple[str, ...]:
    """Distinct roles found around the given mention token ranges, in order of appearance."""
    found: list[str] = []
    for start, end in mentions:
        for role in (_title_role(doc, start), *_appositions(doc, start, end)):
            if role and role not in found:
                found.append(role)
    return tuple(found)


def _title_role(doc: Doc, start: int) -> str | None:
    """A run of title-cased words right before the name that contains a title word."""
    lex = title_lexicon()
    first = start
    while first > 0 and start - first < _MAX_TITLE_TOKENS:
        prev = doc[first - 1]
        if prev.is_sent_start and not prev.is_title:
            break
        if (
            prev.is_title
            or prev.text in lex.titles
            or (prev.lower_ in ("of", "for") and first < start)
        ):
            first -= 1
            if prev.is_sent_start:
                break
            continue
        break
    while first < start and doc[first].text not in lex.titles and not doc[first].ent_type_:
        first += 1
    words = doc[first:start]
    if not any(t.text in lex.role_words or t.text in lex.titles for t in words):
        return None
    if all(t.text in lex.honorifics for t in words):
        return None
    return words.text if words and plausible_role(words) else None


def plausible_role(words: Span) -> bool:
    """Whether `words` can be a role: no verb, number, time, line break, plural noun or
    pronoun other than a possessive ("her husband"); not opening with a conjunction or
    a preposition ("or for that matter"); one word only when it is a title, a role word
    or a person noun ("President", "spokesman"; not "name")."""
    if not words or any(_unfit(t) for t in words) or words[0].pos_ in _OPENERS:
        return False
    if len(words) == 1:
        lex, word = title_lexicon(), words[0]
        known = lex.titles | lex.role_words
        return word.text in known or word.lower_ in lex.person_nouns or word.lemma_ in known
    return True


def _unfit(token: Token) -> bool:
    if token.pos_ in _CLAUSE_POS or token.tag_ in _PLURAL or "\n" in token.text:
        return True
    if token.pos_ == "PRON" and token.tag_ != "PRP$":
        return True
    if any(c.isdigit() for c in token.text):
        return True
    return token.like_num and token.tag_ != "JJ"  # "first lady" is a role, "69 million" none


def _appositions(doc: Doc, start: int, end: int) -> list[str]:
    root = doc[start:end].root
    roles = [_role_text(doc, child) for child in root.children if child.dep_ == "appos"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        roles.append(_head_role(doc, root.head, start))
    return [r for r in roles if r]


def _role_text(doc: Doc, head: Token) -> str:
    if head.pos_ != "NOUN" or len(head.text) < 3:
        return ""
    first, last = head.left_edge.i, head.right_edge.i
    return _clean(doc, first, last)


def _head_role(doc: Doc, head: Token, name_start: int) -> str:
    return _clean(doc, head.left_edge.i, name_start - 1)


def _clean(doc: Doc, first: int, last: int) -> str:
    while first <= last and (doc[first].lower_ in _LEAD or doc[first].is_punct):
        first += 1
    while last >= first and doc[last].is_punct:
        last -= 1
    if last < first or last - first + 1 > _MAX_ROLE_TOKENS:
        return ""
    words = doc[first : last + 1]
    return words.text if plausible_role(words) else ""
