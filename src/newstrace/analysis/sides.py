"""Who stands on which side of a disagreement, and the words that explain it.

A member's *side* comes from its actor, never from the outlet that printed it: the
canonical entity it resolves to (metonymy resolved at extraction: "Karsk City" acts as
Karsk), else the names in its speaker and its source chain's origin. Two members are on
one side when they share that entity or a name word ("Fenland" and "Fenland's foreign
ministry"); a member credited to no one in particular ("officials") shares a side only
with a member of its own article credited the same way.

A *reason* says in one line who disagrees with whom about what: "Fenland denies:
Eastmarch says Fenland troops had crossed the border near Tamsk".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newstrace.analysis.groups import Member, name_words
from newstrace.analysis.text import name_key, words

NEGATIONS = frozenset(["not", "no", "never", "none", "nobody", "nothing", "neither", "nor"])
CONTRACTED = "n't"
REASON_WORDS = 18

VERBS = {
    "denial": "denies",
    "dispute": "disputes",
    "retraction": "retracts",
    "negation": "says the opposite",
    "figure": "gives another figure",
}


def resolved(m: Member) -> bool:
    """Does a member's actor stand for its speaker? Not when the speaker joins two or
    more ("she and another reporter") and names none of the actor's words: one person
    resolved from a pair is a guess ("Trump and his attorneys" stays Trump's)."""
    if not (m.actor_id and m.actor_name):
        return False
    speaker = m.speaker or ""
    if " and " not in f" {speaker.lower()} ":
        return True
    return bool(name_words(speaker) & name_words(m.actor_name))


def actor(m: Member) -> str:
    """The name a member's side is shown by: its resolved actor (`resolved`), else its
    speaker, else the origin of its source chain ("" when credited to no one)."""
    if resolved(m) and m.actor_name:
        return m.actor_name
    if m.chain:
        return m.chain[-1]
    return m.speaker or ""


def side_names(m: Member) -> set[str]:
    """The name words that place a member on a side (its actor's, speaker's and source
    chain's origin's)."""
    found = name_words(m.speaker or "")
    if resolved(m):
        found |= name_words(m.actor_name or "")
    if m.chain:
        found |= name_words(m.chain[-1])
    return found


def same_side(a: Member, b: Member) -> bool:
    """Are two members on one side: one actor, a shared name word, or the same unnamed
    speaker of one article?"""
    if a.actor_id and a.actor_id == b.actor_id and resolved(a) and resolved(b):
        return True
    names_a, names_b = side_names(a), side_names(b)
    if names_a & names_b:
        return True
    if names_a or names_b:
        return False
    return a.article_id == b.article_id and name_key(a.speaker or "") == name_key(b.speaker or "")


# words of a description that tie a speaker to whoever it names ("Sanders campaign
# manager Jeff Weaver", "counsel for the Trump Organization"); not "rival", "critic"
AFFILIATION_ROLES = frozenset([
    "campaign", "manager", "chairman", "chairwoman", "spokesman", "spokeswoman",
    "spokesperson", "aide", "aides", "adviser", "advisers", "advisor", "counsel",
    "attorney", "attorneys", "lawyer", "lawyers", "strategist", "surrogate", "staffer",
    "chief",
])  # fmt: skip


def descriptions(members: Iterable[Member]) -> dict[str, list[Member]]:
    """article -> its members whose speaker describes someone with a word of
    `AFFILIATION_ROLES` ("Sanders campaign manager Jeff Weaver")."""
    found: dict[str, list[Member]] = {}
    for m in members:
        if name_words(m.speaker or "") and AFFILIATION_ROLES & set(words(m.speaker or "")):
            found.setdefault(m.article_id, []).append(m)
    return found


def ties(m: Member, described: Sequence[Member]) -> set[str]:
    """The names that descriptions of `m`'s actor in its article tie it to: "Sanders
    campaign manager Jeff Weaver" ties Weaver (one actor, or, unresolved, a speaker
    whose name words are all in the description) to Sanders."""
    own = name_words(m.speaker or "") | name_words(m.actor_name or "")
    found: set[str] = set()
    for d in described:
        names = name_words(d.speaker or "")
        if (m.actor_id and m.actor_id == d.actor_id) or (
            not (m.actor_id and d.actor_id) and own and name_words(m.speaker or "") <= names
        ):
            found |= names - own - name_words(d.actor_name or "")
    return found


def actors(members: Sequence[Member]) -> list[str]:
    """The distinct actors of one side, in order of first appearance ("" left out)."""
    return list(dict.fromkeys(a for a in (actor(m) for m in members) if a))


def polarity(text: str) -> bool:
    """True for a negated statement (an odd number of negation words)."""
    found = words(text)
    count = sum(1 for w in found if w in NEGATIONS or w.endswith(CONTRACTED))
    return count % 2 == 1


def said(m: Member, limit: int = REASON_WORDS) -> str:
    """What a member states, cut to `limit` words ("..." when cut)."""
    text = " ".join((m.content or m.figure_text or "").split())
    parts = text.split(" ")
    if len(parts) > limit:
        return " ".join(parts[:limit]) + " ..."
    return text.rstrip(".")


def _who(m: Member) -> str:
    return actor(m) or "an unnamed source"


def reason(kind: str, asserted: Sequence[Member], disputed_by: Sequence[Member]) -> str:
    """The one-line reason of a contradiction: "Fenland denies: Eastmarch says ..."."""
    a, b = asserted[0], disputed_by[0]
    if kind == "figure":
        return f"figures differ: {_who(a)} says {said(a)}; {_who(b)} says {said(b)}"
    if kind == "negation":
        return f"{_who(b)} says {said(b)}; {_who(a)} says {said(a)}"
    if kind == "retraction":
        return f"{_who(b)} retracts what it said: {said(a)}"
    return f"{_who(b)} {VERBS.get(kind, 'denies')}: {_who(a)} says {said(a)}"
