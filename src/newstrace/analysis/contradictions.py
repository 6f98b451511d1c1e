"""Contradictions: where sources disagree about one proposition.

Each lists both sides with their evidence spans, the reason in words ("Fenland denies:
Eastmarch says Fenland troops had crossed the border"), a confidence (0-1: how sure the
rule that found it is) and the actors of each side (`analysis.sides`: from resolved
entities and the names in speakers and source chains, never from outlets). Never a
contradiction: one side repeating a claim, or quoting what it rejects (the same actor or
a shared name word, `sides.same_side`); identical content; a proposal rejected ("Brask
rejected the plan": a disagreement about what to do).

- ``denial`` / ``dispute`` (by the stance of the denying claim): a proposition asserted
  by one side is denied or disputed by another, either inside one claim group, or
  through a deny/dispute claim whose content only refers back ("denied the report",
  "disputed the claim"); such a claim is linked to the claim of the same article it
  most plausibly refers to: the preceding claim by another side whose actor the
  reference names ("the NID report"), then sharing most word stems with the reference,
  then, for a proposal ("the plan"), one that proposes or asks for something, else one
  with figures; then the nearest. A denial of a whole proposition whose group holds no
  other side's assertion is linked to the claim of another side sharing its words: in
  its article, else elsewhere holding every word stem it denies and published within
  `DENIAL_WINDOW_DAYS` of it (or undated).
- ``negation``: a claim and its negation by different sides ("the water was safe" /
  "... was not safe").
- ``retraction``: the source of an assertion later denies it.
- ``figure``: two sources disagreeing about one count, not one figure changing:
  non-overlapping figures of the same series (holder, measure, predicate and part,
  decided at extraction: `Figure.series_key`), each given by a claim (attributed), about
  the same time (within `FIGURE_WINDOW_DAYS` of each other, each dated by the time it
  describes (`as_of`), else the day its claim names, else its publication day; and the
  longer periods both name, if any, overlap: "in May" is not "in April"), from different
  sources (`same_source`: not copies of one story, not one named source, source chain or
  actor, not a source and a part of it, not the same unnamed speaker of one outlet), and
  not in one sentence (and, in one article, their claims worded alike). A series with
  neither holder nor predicate ("|people||total"; a figure extraction put in no series
  is in its unit's) says little about what is counted: its figures must also be worded
  alike (three shared words besides the unit, token-set similarity >= 75). Only figures
  that state one count take part (`one_count`, from the kind flags set at extraction):
  not a change ("up from", "rose to", "compared with"), a projection ("could reach"), a
  poll's reading, or a figure repeated inside a denial.

A later, different figure from the same named source is an update, not a contradiction:
`figure_revisions` lists those (kind ``revision``, same rules but a change word is
allowed) and `find_contradictions` leaves them out.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from newstrace.analysis.groups import Member, groups_by_id, load_members, name_words
from newstrace.analysis.sides import (
    NEGATIONS,
    actors,
    descriptions,
    polarity,
    reason,
    same_side,
    side_names,
    ties,
)
from newstrace.analysis.text import content_words, name_key, words
from newstrace.models import CURRENCY_UNITS, stable_id
from newstrace.store import Store, Transaction
from newstrace.store import analysis_queries as q
from newstrace.store import contradictions as cq
from newstrace.store.contradictions import ContradictionFilter
from newstrace.store.filters import in_chunks
from newstrace.store.items import ItemFilter

NEGATIVE = ("deny", "dispute")
FIGURE_WINDOW_DAYS = 7
REVISION_LOOKAHEAD = 50
REFERENCE_WORDS = 4
REFERENCE_REACH = 600  # characters back that "the report" may point to, naming no one
REFERENCE_NOUNS = frozenset(
    [
        "report",
        "reports",
        "claim",
        "claims",
        "figure",
        "figures",
        "estimate",
        "estimates",
        "account",
        "accounts",
        "finding",
        "findings",
        "remark",
        "remarks",
        "statement",
        "statements",
        "allegation",
        "allegations",
        "accusation",
        "accusations",
        "view",
        "views",
        "plan",
        "plans",
        "proposal",
        "proposals",
        "assessment",
        "story",
        "stories",
        "number",
        "numbers",
        "comment",
        "comments",
        "charge",
        "charges",
        "suggestion",
        "assertion",
        "assertions",
        "characterization",
        "reporting",
        "version",
        "idea",
        "conclusion",
        "conclusions",
        "data",
        "count",
    ]
)
APPROXIMATE = 0.1
PROPOSAL_NOUNS = frozenset(["plan", "plans", "proposal", "proposals"])
_PROPOSING = re.compile(
    r"\b(?:ask|propos|plan|call|urg|suggest|offer|seek|sought|want|intend)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Contradiction:
    """Two sides that cannot both be right, with the reason in words and how sure the
    rule that found them is (0-1)."""

    kind: str
    group_id: str
    asserted: tuple[Member, ...]
    disputed_by: tuple[Member, ...]
    reason: str = ""
    confidence: float = 0.0
    scope: str = ""  # what it was found within (a group, a copy group, a negation key)
    # as read from the store: the size of each side, and the date (`date`)
    sizes: tuple[int, int] | None = field(default=None, compare=False)
    stored_date: str | None = field(default=None, compare=False)

    @property
    def side_totals(self) -> tuple[int, int]:
        """The members of each side (more than `asserted`, `disputed_by` when a page
        read only the first few)."""
        return self.sizes or (len(self.asserted), len(self.disputed_by))

    @property
    def id(self) -> str:
        """A stable id: its scope, kind and both sides' claim items."""
        items = [
            f"{side}:{m.article_id}:{m.claim_id}:{m.figure_id}"
            for side, members in (("a", self.asserted), ("b", self.disputed_by))
            for m in members
        ]
        return stable_id("X", self.scope, self.kind, *items)

    @property
    def side_a_actors(self) -> list[str]:
        """Who asserts (resolved actors, else speakers), in order."""
        return actors(self.asserted)

    @property
    def side_b_actors(self) -> list[str]:
        """Who denies, disputes or gives the other figure."""
        return actors(self.disputed_by)

    @property
    def date(self) -> str | None:
        """When the disagreement arose: the later of the two sides' first publications
        (the denial, the retraction, the second figure)."""
        if self.sizes is not None:
            return self.stored_date
        firsts = [
            min((m.published for m in side if m.published), default=None)
            for side in (self.asserted, self.disputed_by)
        ]
        return max((d for d in firsts if d), default=None)

    def head(self) -> dict[str, Any]:
        """Everything but the members: kind, group, reason, confidence, date, actors."""
        return {
            "kind": self.kind,
            "group_id": self.group_id,
            "reason": self.reason,
            "confidence": self.confidence,
            "date": self.date,
            "side_a_actors": self.side_a_actors,
            "side_b_actors": self.side_b_actors,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "side_a": [m.to_dict() for m in self.asserted],
            "side_b": [m.to_dict() for m in self.disputed_by],
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat-able row per member of either side (the long form of a table):
        ``kind``, ``group_id``, ``reason``, ``confidence``, ``side`` ("a" asserts, "b"
        disputes) and the member."""
        head = {k: self.head()[k] for k in ("kind", "group_id", "reason", "confidence")}
        return [
            {**head, "side": side, **m.to_dict()}
            for side, members in (("a", self.asserted), ("b", self.disputed_by))
            for m in members
        ]


def rank(found: Contradiction) -> tuple[float, str, str, str]:
    """The order of a listing by confidence: most certain first, then oldest, by group."""
    return (-found.confidence, found.date or "", found.group_id, found.id)


def contradiction(
    kind: str,
    group_id: str,
    asserted: Sequence[Member],
    disputed_by: Sequence[Member],
    confidence: float,
    scope: str,
) -> Contradiction:
    """A contradiction with its reason in words, found within `scope`."""
    return Contradiction(
        kind,
        group_id,
        tuple(asserted),
        tuple(disputed_by),
        reason(kind, asserted, disputed_by),
        round(confidence, 2),
        scope,
    )


def find_contradictions(store: Store) -> list[Contradiction]:
    """Every contradiction in the store, found anew from its claim items: denials,
    disputes, retractions, negations and figure disagreements (not revisions: see
    `figure_revisions`), most certain first. (What the analysis stored, the same list:
    `stored_contradictions`.)"""
    with store.reading() as conn:
        return _unique(_everything(conn, _asserted(conn), _figure_members(conn)))


def _asserted(conn: Transaction, items: ItemFilter | None = None) -> list[Member]:
    return load_members(conn, replace(items or ItemFilter(), stances=("assert",), claims_only=True))


def _figure_members(conn: Transaction, group_ids: Collection[str] | None = None) -> list[Member]:
    """The figure items the figure rules compare (of these groups): those of a series,
    and the claims' figures of none."""
    groups = None if group_ids is None else tuple(group_ids)
    members = load_members(conn, ItemFilter(in_series=True, group_ids=groups))
    figures = load_members(conn, ItemFilter(figures_only=True, claims_only=True, group_ids=groups))
    return members + [m for m in figures if not m.series]


def _everything(
    conn: Transaction, asserted: list[Member], figures: list[Member]
) -> list[Contradiction]:
    found = _group_denials(conn)
    found += _reference_denials(conn)
    found += negations(asserted)
    found += figure_disagreements(figures, lambda ids: article_texts(conn, ids))
    return _unaffiliated(conn, found)


def _unaffiliated(conn: Transaction, found: list[Contradiction]) -> list[Contradiction]:
    """Leave out of each denial the assertions of the side its denier's article ties
    it to ("Sanders campaign manager Jeff Weaver" does not deny Sanders: `sides.ties`),
    and the denial when what it answers first is one of them."""
    deniers = [b for c in found if c.kind in ("denial", "dispute") for b in c.disputed_by]
    if not deniers:
        return found
    described = descriptions(load_members(conn, ItemFilter(article_ids=_articles(deniers))))
    kept = []
    for c in found:
        tied = set().union(*(ties(b, described.get(b.article_id, [])) for b in c.disputed_by))
        side = [a for a in c.asserted if not tied & side_names(a)]
        if c.kind not in ("denial", "dispute") or len(side) == len(c.asserted):
            kept.append(c)
        elif side and side[0] == c.asserted[0]:
            kept.append(
                contradiction(c.kind, c.group_id, side, c.disputed_by, c.confidence, c.scope)
            )
    return kept


def _articles(members: Iterable[Member]) -> tuple[str, ...]:
    return tuple(sorted({m.article_id for m in members}))


def _unique(found: Iterable[Contradiction]) -> list[Contradiction]:
    """Each contradiction once (by id, the first found), in `rank` order."""
    return sorted(_once(found), key=rank)


def _once(found: Iterable[Contradiction]) -> list[Contradiction]:
    """Each contradiction once (by id, the first found)."""
    return list({c.id: c for c in reversed(list(found))}.values())


def _key(m: Member) -> str:
    return m.source_key or "root:" + m.root


def _kind(m: Member) -> str:
    return "dispute" if m.stance == "dispute" else "denial"


_NOT_DONE = re.compile(
    r"\b(?:rather than|instead of|without|refus\w*|declin\w*|not|never|no longer)\b|n't\b",
    re.IGNORECASE,
)
CUE_REACH = 40  # characters before the cue (in its clause) where "rather than", "not" undo it


def voiced(denials: Sequence[Member], texts: Mapping[str, str]) -> list[Member]:
    """The denials that were made: not those whose sentence says they were not ("rather
    than publicly challenging Trump's claims", "declined to dispute")."""
    found = []
    for m in denials:
        text = texts.get(m.article_id, "")
        start = m.content_start or 0
        before = text[max(0, start - len(m.cue or "") - CUE_REACH) : start]
        before = re.split(r"[.!?,;][\"'”’)]*\s", before)[-1]
        if not _NOT_DONE.search(before):
            found.append(m)
    return found


def _texts(conn: Transaction, members: Iterable[Member]) -> dict[str, str]:
    return q.article_texts(conn, {m.article_id for m in members})


def _group_denials(
    conn: Transaction, group_ids: Collection[str] | None = None
) -> list[Contradiction]:
    """Denials inside claim groups (of `group_ids`, when given)."""
    found = []
    read: dict[str, str] = {}
    ids = q.groups_with_stance(conn, NEGATIVE, group_ids)
    for group in groups_by_id(conn, ids):
        asserted = [m for m in group.members if m.stance == "assert" and m.claim_id]
        negative = [m for m in group.members if m.stance in NEGATIVE]
        negative = voiced(negative, _texts(conn, negative))
        found.extend(_sides(group.id, asserted, negative, lambda aid: _text(conn, aid, read)))
    return found


def _text(conn: Transaction, article_id: str, read: dict[str, str]) -> str:
    """An article's text, read once into `read`."""
    if article_id not in read:
        read.update(q.article_texts(conn, {article_id}))
    return read.get(article_id, "")


def _sides(
    group_id: str,
    asserted: list[Member],
    negative: list[Member],
    text_of: Callable[[str], str] = lambda _: "",
) -> list[Contradiction]:
    """One contradiction per denying source (copies of one story count once): against
    the assertions of other sides (a denial, or a dispute), or, when the source itself
    asserted it earlier, a retraction. Assertions of the denier's own side are no
    contradiction (one side repeating, or quoting what it rejects)."""
    found = []
    scope = "g:" + group_id
    seen: set[tuple[str, str]] = set()
    for denier in negative:
        if (_key(denier), denier.root) in seen or is_reference(denier):
            continue  # a pointer ("the report") is answered through its referent
        if not (denies_a_claim(denier) and states(denier)):
            continue
        seen.add((_key(denier), denier.root))
        targets = [
            a
            for a in asserted
            if _opposed(a, denier) and _worded_as(a, denier) and not _strangers(a, denier, text_of)
        ]
        own = [a for a in targets if _key(a) == _key(denier) and _earlier(a, denier)]
        others = [a for a in targets if not same_side(a, denier)]
        if others:
            confidence = 0.9 - 0.15 * (denier.hedged or all(a.hedged for a in others))
            found.append(
                contradiction(_kind(denier), group_id, others, [denier], confidence, scope)
            )
        elif own:
            found.append(contradiction("retraction", group_id, own, [denier], 0.8, scope))
    return found


CLAUSE_WORDS = 8
_AUXILIARIES = frozenset(
    [
        "had",
        "has",
        "have",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
        "did",
        "does",
        "do",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
    ]
)
_RECOMMENDING = re.compile(r"\b(?:should|ought to|must)\b")
_QUESTION = re.compile(r"^(?:whether|why|how|what|who|when|where|if)\b", re.IGNORECASE)


def denies_a_claim(m: Member) -> bool:
    """Does a deny/dispute claim deny something that can be true or false: a proposition
    ("denied that it had massed troops") or a claim it points to ("denied the report")?
    Not an action, a person or a policy ("dismissed Obama's actions", "rejected the
    self-described socialist"), nor a question ("questioned whether ...")."""
    content = (m.content or "").strip().lower()
    if _QUESTION.match(content) or "question" in (m.cue or "").lower():
        return False
    return is_reference(m) or states(m)


def states(m: Member) -> bool:
    """Is a claim's content a statement ("that it had massed troops", "its troops had
    crossed"), not a bare noun phrase ("mishandling classified information") or a
    recommendation ("Trump should release them")?"""
    content = (m.content or "").strip().lower()
    if _RECOMMENDING.search(content):
        return False
    return content.startswith("that ") or bool(_AUXILIARIES & set(words(content)[:CLAUSE_WORDS]))


def _opposed(asserted: Member, denier: Member) -> bool:
    """Denying "X" opposes asserting "X", not asserting "not X" (both say no)."""
    return polarity(asserted.content or "") == polarity(denier.content or "")


def _worded_as(asserted: Member, denier: Member) -> bool:
    """Does an assertion of the denier's group state what is denied in its words (a
    group joins claims of one meaning; a denial must repeat its target): at least
    `MIN_SHARED_SHARE` of the denied content's word stems, names aside, and two; all of
    them when it has `SHORT_DENIAL` or fewer (in "denied that she mishandled classified
    information", two of three are the topic's words, the third what is denied)."""
    wanted = _plain_stems(denier)
    shared = len(wanted & _stems(asserted.content or ""))
    if len(wanted) <= SHORT_DENIAL and shared < len(wanted):
        return False
    return (
        states(asserted) and shared >= MIN_SHARED_STEMS and shared >= MIN_SHARED_SHARE * len(wanted)
    )


SHORT_DENIAL = 3
# "he ...", "that she ...", "the notion that he ...": a content whose subject is a pronoun
_PRONOUN_SUBJECT = re.compile(
    r"^(?:(?:the\s+\w+\s+)?that\s+)?(?:he|she|they|it|i|we)\b", re.IGNORECASE
)


PRONOUN_REACH = 300  # characters before a claim where the one its "he" is may be named


def _strangers(a: Member, b: Member, text_of: Callable[[str], str]) -> bool:
    """Are two claims of different stories both about a "he" or "she" that nothing
    links ("he was part of the establishment", said by two candidates of themselves)?
    The assertion's article naming the denier just before it (`PRONOUN_REACH`: "The
    Harbour Daily said Mara Quist ... that she had hired") links them."""
    lead = _PRONOUN_SUBJECT.match
    if a.root == b.root or not (
        lead((a.content or "").strip()) and lead((b.content or "").strip())
    ):
        return False
    start = a.content_start or 0
    before = text_of(a.article_id)[max(0, start - PRONOUN_REACH) : start]
    return not name_words(before) & side_names(b)


def _earlier(a: Member, b: Member) -> bool:
    return bool(a.published and b.published and a.published < b.published)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in content_words(text)}


def is_reference(member: Member) -> bool:
    """Is this claim's content only a pointer ("the report", "Varga's remarks"), or led
    by a demonstrative one ("that suggestion as a sign of disarray")?"""
    return pointer_noun(member) is not None


_DEMONSTRATIVE = re.compile(r"^(?:that|this|these|those)\s", re.IGNORECASE)


# "that that was the case", "that it was true": a proposition that only points back
_POINTING_CLAUSE = re.compile(
    r"^(?:that\s+)?(?:that|this|it|any of (?:that|this|it))\s+(?:was|is|were|had been|has been)"
    r"\s+(?:(?:ever|really|actually)\s+)?(?:the case|true|accurate|correct)\b",
    re.IGNORECASE,
)


def pointer_noun(member: Member) -> str | None:
    """The noun a pointer points with ("report"; "case" for a clause that only points
    back: "that that was the case", "that it was true"), or None for other content."""
    if _POINTING_CLAUSE.match((member.content or "").strip()):
        return "case"
    found = content_words(member.content or "")
    if 0 < len(found) <= REFERENCE_WORDS and found[-1] in REFERENCE_NOUNS:
        return found[-1]
    lead = (member.content or "").strip()
    if found and found[0] in REFERENCE_NOUNS and _DEMONSTRATIVE.match(lead):
        return found[0]
    return None


def _same_side(a: Member, b: Member) -> bool:
    """Do two speakers share a name ("Karsk City" and "Karsk's foreign ministry")?"""
    if a.actor_id and a.actor_id == b.actor_id:
        return True
    return bool(name_words(a.speaker or "") & name_words(b.speaker or ""))


REFERENT_WORDS = 2


def says_something(m: Member) -> bool:
    """Can a claim be what a denial refers to ("denied that idea")? It states a figure or
    at least `REFERENT_WORDS` content words: never an interjection ("But, come on.")."""
    return bool(m.figure_id) or len(content_words(m.content or "")) >= REFERENT_WORDS


Score = tuple[int, int, int, int, int, int]
OPINION_NOUNS = frozenset(["view", "views", "characterization", "idea", "suggestion"])
OPINION_NOUNS |= frozenset(["assessment", "conclusion", "conclusions", "remark", "comment"])


def referent(denial: Member, claims: Sequence[Member]) -> Member | None:
    """The claim of the same article that a referring denial most plausibly targets: the
    preceding claim by another side whose actor the reference names ("the NID report":
    the first of that actor's claims, one with a figure first), then sharing most word
    stems with the reference, then for a proposal ("rejected the plan") one that
    proposes or asks for something, else (not for an opinion: "rejected that view") one
    with figures, then the nearest."""
    found = scored_referent(denial, claims)
    return found[0] if found else None


def _initials(text: str) -> set[str]:
    """Acronyms of the runs of capitalised words in `text` ("National Intelligence
    Directorate" -> "nid"), and of their tails of three words or more (a leading owner:
    "Valdoria's National Intelligence Directorate" -> "vnid", "nid"), and every name
    word."""
    found = name_words(text)
    for run in re.findall(r"(?:[A-Z][\w'’]*\s+(?:(?:of|for|and|the)\s+)?)+[A-Z][\w'’]*", text):
        letters = "".join(w[0] for w in run.split() if w[:1].isupper())
        if len(letters) >= 2:
            found.add(letters.lower())
        # "Valdoria's National Intelligence Directorate" is the NID too
        found.update(letters[i:].lower() for i in range(1, len(letters) - 2))
    return found


def _names_of(m: Member) -> set[str]:
    return _initials(f"{m.speaker or ''} {m.actor_name or ''} {' '.join(m.chain)}")


def scored_referent(denial: Member, claims: Sequence[Member]) -> tuple[Member, Score] | None:
    """`referent` with its score: (names the actor, is about the denier, shared word
    stems, kind matches, not negated, position)."""
    wanted = _stems(denial.content or "")
    named = name_words(denial.content or "")
    earlier = [
        m
        for m in claims
        if m.claim_id
        and (m.content_start or 0) < (denial.content_start or 0)
        and m.stance not in NEGATIVE
        and _key(m) != _key(denial)
        and not _same_side(m, denial)
        and not same_side(m, denial)
        and says_something(m)
    ]

    if _points_back(denial):
        latest = _latest_before(denial, claims)
        earlier = [m for m in earlier if latest is not None and m.claim_id == latest.claim_id]
    head = pointer_noun(denial) or ""
    proposal = head in PROPOSAL_NOUNS
    opinion = head in OPINION_NOUNS
    denier = side_names(denial)

    def score(m: Member) -> Score:
        said = f"{m.speaker or ''} {m.cue or ''} {m.content or ''} {' '.join(m.chain)}"
        acronyms = _names_of(m)
        names = int(bool(named & acronyms))
        plain = int(not polarity(m.content or ""))  # an accusation is said, not unsaid
        # "News Corporation was interested" is about the denier; "he did not sign an
        # agreement with Trump" names the denier too, but says no: it is not what is denied
        about = plain * int(bool(denier & name_words(m.content or "")))
        if proposal:
            kind = int(bool(_PROPOSING.search(f"{m.cue or ''} {m.content or ''}")))
        else:
            kind = int(not opinion and bool(m.figure_id))
        start = m.content_start or 0
        # a named source's report is its first claim (a figure first); else the nearest
        # an actor's initials count as its words ("the NID report": "Valdoria's National
        # Intelligence Directorate said ..." as much as "NID director Oskar Brandt said")
        shared = len(wanted & (_stems(said) | acronyms))
        return (names, about, shared, kind, plain, -start if names else start)

    noun = {head[:5]} if head else set()

    def near(m: Member) -> bool:
        """A reference that names no one, nor the cue ("the report": "reported"), points
        back a few sentences at most."""
        gap = (denial.content_start or 0) - (m.content_end or m.content_start or 0)
        if gap <= REFERENCE_REACH or named & _names_of(m):
            return True
        return bool(noun & _stems(m.cue or ""))

    best = max((m for m in earlier if near(m)), key=score, default=None)
    return None if best is None else (best, score(best))


def _points_back(denial: Member) -> bool:
    """Is a denial's content a demonstrative pointer ("that idea", "this report", "that
    that was the case"), which answers the statement just before it?"""
    return pointer_noun(denial) is not None and bool(_DEMONSTRATIVE.match(denial.content or ""))


def _latest_before(denial: Member, claims: Sequence[Member]) -> Member | None:
    """The last claim of the article before the denial that says something, whoever
    said it."""
    start = denial.content_start or 0
    before = [
        m
        for m in claims
        if m.claim_id and m.claim_id != denial.claim_id and (m.content_start or 0) < start
    ]
    before = [m for m in before if says_something(m)]
    return max(before, key=lambda m: m.content_start or 0, default=None)


def _reference_confidence(score: Score) -> float:
    """How sure a referring denial's target is: the reference names its actor, shares
    words with it, is of its kind (a figure for "the figure"), or is only the nearest."""
    names, _, shared, kind, _, _ = score
    if names:
        return 0.8
    if shared >= 2:
        return 0.75
    if shared == 1 or kind:
        return 0.65
    return 0.5


def _reference_denials(
    conn: Transaction, roots: Collection[str] | None = None
) -> list[Contradiction]:
    """Denials that only refer back ("denied the report"), and denials whose group holds
    no assertion of another side, each against its referent in its own article; a
    proposal rejected ("rejected the plan") is a disagreement about what to do, not
    about what is true, and is left out. One per denial of a copy group (the original
    article's first). With `roots`, the denials of these copy groups' articles only."""
    wanted = ItemFilter(stances=NEGATIVE)
    if roots is not None:
        wanted = replace(wanted, article_ids=tuple(cq.articles_of_roots(conn, roots)))
    loaded = load_members(conn, wanted)
    loaded = voiced(loaded, _texts(conn, loaded))
    alone = _unanswered(conn, loaded)
    negatives = [
        m
        for m in loaded
        if denies_a_claim(m) and ((is_reference(m) and not _proposal(m)) or m in alone)
    ]
    negatives.sort(key=lambda m: (m.article_id != m.root, m.published or "", m.article_id))
    by_article: dict[str, list[Member]] = {}
    found: list[Contradiction] = []
    answering: dict[tuple[str, str, str], list[int]] = {}
    done: set[tuple[str, int]] = set()
    for denial in negatives:
        if denial.article_id not in by_article:
            articles = ItemFilter(article_ids=(denial.article_id,))
            by_article[denial.article_id] = load_members(conn, articles)
        claims = by_article[denial.article_id]
        if denial in alone:
            scored = _target(denial, claims) or _elsewhere(conn, denial)
        else:
            scored = scored_referent(denial, claims)
        key = (denial.root, _position(denial, claims))
        if scored is None or key in done or _RECOMMENDING.search(scored[0].content or ""):
            continue
        done.add(key)
        _add_answer(found, answering, _against(conn, denial, *scored))
    return found


def _add_answer(
    found: list[Contradiction],
    answering: dict[tuple[str, str, str], list[int]],
    new: Contradiction,
) -> None:
    """Add a referring denial's contradiction to `found`, or, when one side of an
    article already denies that target ("Karsk denied that it had massed troops ...
    Karsk City rejected the figure again"), join the denial to it: one disagreement.
    `answering` gives the places in `found` of each (scope, target)."""
    target = new.asserted[0]
    key = (new.scope, target.article_id, target.claim_id)
    for n in answering.get(key, []):
        known = found[n]
        if same_side(known.disputed_by[0], new.disputed_by[0]):
            deniers = (*known.disputed_by, *new.disputed_by)
            sure = max(known.confidence, new.confidence)
            found[n] = contradiction(
                known.kind, known.group_id, known.asserted, deniers, sure, known.scope
            )
            return
    answering.setdefault(key, []).append(len(found))
    found.append(new)


def _position(denial: Member, claims: Sequence[Member]) -> int:
    """The denial's place among the negative claims of its article (the same in copies)."""
    negatives = [m for m in claims if m.stance in NEGATIVE and m.claim_id]
    ids = list(dict.fromkeys(m.claim_id for m in negatives))
    return ids.index(denial.claim_id) if denial.claim_id in ids else -1


def _against(conn: Transaction, denial: Member, target: Member, score: Score) -> Contradiction:
    group = groups_by_id(conn, [target.group_id])[0]
    asserted = [
        m
        for m in group.members
        if m.stance == "assert"
        and m.claim_id
        and not same_side(m, denial)
        and (is_reference(denial) or _opposed(m, denial))
        and _repeats(m, target)
    ]
    sides = [target, *(m for m in asserted if m != target)]  # what it answers first
    confidence = _reference_confidence(score) - 0.1 * denial.hedged
    return contradiction(_kind(denial), group.id, sides, [denial], confidence, "r:" + denial.root)


def _repeats(m: Member, target: Member) -> bool:
    """Does a member of the target's group report what the target says: in another
    article, or in its own as the same claim or from the target's side (a claim of its
    article by someone else answers it or says something else: "Trump University was a
    professionally run company", from the company's counsel, is no part of the
    lawsuits' accusation it denies)?"""
    if m.article_id != target.article_id or m.claim_id == target.claim_id:
        return True
    return same_side(m, target)


def _proposal(m: Member) -> bool:
    return pointer_noun(m) in PROPOSAL_NOUNS


def _unanswered(conn: Transaction, negatives: Sequence[Member]) -> list[Member]:
    """Denials of a whole proposition ("denied that it had massed troops") whose group
    holds no assertion by another side: their target is looked for in their article."""
    full = [
        m
        for m in negatives
        if not is_reference(m) and denies_a_claim(m) and len(_plain_stems(m)) >= MIN_SHARED_STEMS
    ]
    groups = {g.id: g for g in groups_by_id(conn, {m.group_id for m in full})}
    return [
        m
        for m in full
        if not any(a.stance == "assert" and not same_side(a, m) for a in groups[m.group_id].members)
    ]


MIN_SHARED_STEMS = 2
MIN_SHARED_SHARE = 0.4  # of the denied content's stems


def _plain_stems(m: Member) -> set[str]:
    """The word stems of a claim's content, names aside."""
    text = m.content or ""
    return _stems(text) - {w[:5] for w in name_words(text)}


def _target(denial: Member, claims: Sequence[Member]) -> tuple[Member, Score] | None:
    """The statement of another side in the denial's article sharing the most word stems
    with what is denied (at least `MIN_SHARED_STEMS` and `MIN_SHARED_SHARE` of them,
    names aside), before or after it."""
    wanted = _plain_stems(denial)
    best: tuple[Member, Score] | None = None
    for m in claims:
        if not m.claim_id or m.stance in NEGATIVE or same_side(m, denial):
            continue
        if not _opposed(m, denial) or not states(m):
            continue
        shared = len(wanted & _stems(m.content or ""))
        if shared < MIN_SHARED_SHARE * len(wanted):
            continue
        score = (
            0,
            0,
            shared,
            int(bool(m.figure_id)),
            0,
            -abs((m.content_start or 0) - (denial.content_start or 0)),
        )
        if shared >= MIN_SHARED_STEMS and (best is None or score > best[1]):
            best = (m, score)
    return best


DENIAL_WINDOW_DAYS = 30  # days apart that a denial and its target in another article are


def _elsewhere(conn: Transaction, denial: Member) -> tuple[Member, Score] | None:
    """The assertion of another side, in another article within `DENIAL_WINDOW_DAYS`,
    holding every stem of the denied content (at least three: "denied that the cracks
    had widened": "cracks in the spillway had widened by four centimetres"), the one
    with the fewest others first; looked up by stem and day
    (`store.contradictions.claims_holding`)."""
    wanted = _stems(denial.content or "")
    if len(wanted) < 3:
        return None
    since, until = _window(denial)
    claims = {c for c in cq.claims_holding(conn, wanted, since, until) if c[0] != denial.article_id}
    found = [
        m
        for m in _claim_members(conn, claims)
        if not same_side(m, denial) and _opposed(m, denial) and states(m)
    ]
    best = min(found, key=lambda m: (len(_stems(m.content or "")), m.article_id), default=None)
    return None if best is None else (best, (0, 0, len(wanted), 0, 0, 0))


def _claim_members(conn: Transaction, claims: Collection[tuple[str, str]]) -> list[Member]:
    """The claim items of these (article, claim) pairs, oldest first."""
    found = []
    for chunk in in_chunks(sorted(claims), 2):
        found += load_members(conn, ItemFilter(claims=tuple(chunk)))
    return found


def _day(m: Member) -> str:
    """The day a claim was published (YYYY-MM-DD), "" when not known to the day."""
    day = (m.published or "")[:10]
    return day if _ISO_DAY.fullmatch(day) else ""


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _window(m: Member) -> tuple[str, str]:
    """The first and last day of `DENIAL_WINDOW_DAYS` around a claim's (every day when
    its day is not known)."""
    day = _day(m)
    if not day:
        return "", "9999-12-31"
    reach = dt.timedelta(days=DENIAL_WINDOW_DAYS)
    try:
        middle = dt.date.fromisoformat(day)
    except ValueError:  # "2025-13-40"
        return "", "9999-12-31"
    return (middle - reach).isoformat(), (middle + reach).isoformat()


def file_claim_stems(conn: Transaction, article_ids: Sequence[str] | None = None) -> None:
    """File the claims of these articles (of every article, by default) that the
    denials of whole propositions are matched with under their word stems and day: the
    assertions that state something, and those denials (three stems or more, not a
    reference)."""
    wanted = ItemFilter(claims_only=True)
    if article_ids is not None:
        wanted = replace(wanted, article_ids=tuple(article_ids))
    rows: list[dict[str, Any]] = []
    for m in {(m.article_id, m.claim_id): m for m in load_members(conn, wanted)}.values():
        stems = _stems(m.content or "")
        if m.stance == "assert" and states(m):
            role = cq.ASSERTING
        elif m.stance in NEGATIVE and len(stems) >= 3 and not is_reference(m):
            role = cq.DENYING
        else:
            continue
        ident = {"article_id": m.article_id, "claim_id": m.claim_id, "stems": len(stems)}
        rows.extend({"role": role, "stem": s, "day": _day(m), **ident} for s in sorted(stems))
    cq.save_claim_stems(conn, rows)


# --- negations -----------------------------------------------------------------------

NEGATION_CONFIDENCE = 0.75


def negation_key(m: Member) -> tuple[str, ...] | None:
    """The content words of a claim without figures without its negations (None for a
    figure's item, or when too short to say anything: at least three words)."""
    if not m.claim_id or m.figure_id:
        return None
    found = [w for w in content_words(m.content or "") if w not in NEGATIONS]
    return tuple(sorted(set(found))) if len(set(found)) >= 3 else None


def negations(members: Iterable[Member]) -> list[Contradiction]:
    """A claim and its negation by different sides ("the water was safe to drink" and
    "the water was not safe to drink"): the same content words, opposite polarity. One
    contradiction per negated claim, against the other sides' plain claims."""
    by_key: dict[tuple[str, ...], list[Member]] = {}
    for m in members:
        key = negation_key(m)
        if key is not None:
            by_key.setdefault(key, []).append(m)
    found = []
    for key, found_members in by_key.items():
        plain = [m for m in found_members if not polarity(m.content or "")]
        negated = [m for m in found_members if polarity(m.content or "")]
        seen: set[str] = set()
        for denier in negated:
            if denier.root in seen:
                continue
            seen.add(denier.root)
            others = [a for a in plain if not same_side(a, denier)]
            if others:
                confidence = NEGATION_CONFIDENCE - 0.15 * denier.hedged
                group, scope = others[0].group_id, "n:" + " ".join(key)
                found.append(contradiction("negation", group, others, [denier], confidence, scope))
    return found


# --- figures -------------------------------------------------------------------------

Period = tuple[dt.date, dt.date]


def _bounds(m: Member) -> tuple[float, float] | None:
    low = m.low if m.low is not None else m.value
    high = m.high if m.high is not None else m.value
    if low is None or high is None:
        return None
    if m.qualifier and m.qualifier.lower() in ("about", "around", "approximately", "roughly"):
        return (low * (1 - APPROXIMATE), high * (1 + APPROXIMATE))
    return (low, high)


NOT_ONE_COUNT = frozenset({"change", "projection", "poll", "rejected"})


def one_count(m: Member) -> bool:
    """Does a figure state one count (its kind flags, set at extraction, say it is no
    change, projection, poll reading or figure repeated inside a denial)?"""
    return not NOT_ONE_COUNT & set(m.kind)


def _period(value: str) -> Period | None:
    """The days a normalised time value covers: "2025-03-10", "2025-03", "2025",
    "2025-W10", "2025-Q1"; None for anything else (durations, "PRESENT_REF", seasons)."""
    try:
        if _DAY.match(value):
            day = dt.date.fromisoformat(value[:10])
            return (day, day)
        if _MONTH.match(value):
            first = dt.date.fromisoformat(value + "-01")
            return (first, (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1))
        if _YEAR.match(value):
            return (dt.date(int(value), 1, 1), dt.date(int(value), 12, 31))
        if match := _WEEK.match(value):
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return (monday, monday + dt.timedelta(days=6))
        if match := _QUARTER.match(value):
            first = dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
            return (first, (first + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1))
    except ValueError:
        return None
    return None


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class _Dated:
    """A figure member with the day it is about and the periods its claim names."""

    day: dt.date
    periods: tuple[Period, ...]
    member: Member


def _dated(m: Member) -> _Dated | None:
    """The day the figure describes (`as_of`), else the claim's own day if it names one,
    else the publication day; None if none."""
    own = _period(m.as_of or "")
    periods = tuple(p for p in (_period(t) for t in m.times) if p is not None)
    if own is not None:
        periods = (own,)
    days = sorted(start for start, end in periods if start == end)
    published = _period(m.published or "")
    if own is not None:
        return _Dated(own[0], periods, m)
    if days:
        return _Dated(days[0], periods, m)
    if published is None:
        return None
    return _Dated(published[0], periods, m)


def _same_time(a: _Dated, b: _Dated, window: dt.timedelta) -> bool:
    """Within `window` of each other, and about overlapping periods when both claims name
    one longer than a day ("in May" is not "in April")."""
    if abs(a.day - b.day) > window:
        return False
    coarse_a = [p for p in a.periods if p[0] != p[1]]
    coarse_b = [p for p in b.periods if p[0] != p[1]]
    if not coarse_a or not coarse_b:
        return True
    return any(pa[0] <= pb[1] and pb[0] <= pa[1] for pa in coarse_a for pb in coarse_b)


def _origin(m: Member) -> str:
    """Who the figure comes from: the last link of the source chain, else the speaker."""
    return m.chain[-1] if m.chain else m.speaker or ""


def same_source(a: Member, b: Member) -> bool:
    """Do two figures come from one source? Copies of one story, one named source or
    source chain, one actor, a source and a part of it (the name of one is all in the
    other's: "Valdoria" and "Valdoria's defence ministry", "Karsk's foreign ministry"
    and "Karsk City"), or the same unnamed speaker ("officials") in one outlet."""
    if a.root == b.root and a.article_id != b.article_id:
        return True
    if a.source_key and a.source_key == b.source_key:
        return True
    if a.actor_id and a.actor_id == b.actor_id:
        return True
    names_a, names_b = name_words(_origin(a)), name_words(_origin(b))
    if names_a and names_b and (names_a <= names_b or names_b <= names_a):
        return True
    if a.source_key or b.source_key or names_a or names_b:
        return False
    return a.outlet_key == b.outlet_key and name_key(_origin(a)) == name_key(_origin(b))


def _comparable(a: Member, b: Member) -> bool:
    """Two figures for the same thing with values that cannot both be right."""
    ba, bb = _bounds(a), _bounds(b)
    if ba is None or bb is None or a.group_id == b.group_id:
        return False
    if a.article_id == b.article_id and a.claim_id == b.claim_id:
        return False
    if ba[1] >= bb[0] and bb[1] >= ba[0]:
        return False
    if (a.series or "").startswith(UNIT_SERIES):
        return a.article_id != b.article_id and _worded_alike(a.content or "", b.content or "", a)
    if a.article_id == b.article_id:  # one article's figures of a series are mostly its parts
        return _worded_alike(a.content or "", b.content or "", a)
    if not _vague_series(a.series or ""):
        return True
    return _worded_alike(a.words, b.words, a)


def _worded_alike(a: str, b: str, m: Member) -> bool:
    """Three shared words besides the unit and numbers, token-set similarity >= 75."""
    shared = set(content_words(a)) & set(content_words(b)) - {m.unit, f"{m.unit}s"}
    shared = {w for w in shared if not w.replace(",", "").replace(".", "").isdigit()}
    return len(shared) >= 3 and fuzz.token_set_ratio(a, b) >= 75


def _vague_series(key: str) -> bool:
    """A series with neither holder nor predicate ("|people||total"), or a sum of money
    with no predicate ("ted cruz|dollars||total": raised, spent, spent against him?)."""
    if key.startswith("poll:"):
        return False
    holder, unit, predicate, *_ = [*key.split("|"), "", "", ""]
    return not predicate and (not holder or unit in CURRENCY_UNITS)


def _by_series(members: Iterable[Member]) -> dict[str, list[_Dated]]:
    found: dict[str, list[_Dated]] = {}
    for m in members:
        dated = _reported(m)
        if dated is not None and m.series:
            found.setdefault(m.series, []).append(dated)
    for dated_list in found.values():
        dated_list.sort(key=_order)
    return found


def _order(d: _Dated) -> tuple[dt.date, str, str, str, str]:
    """Figures of one series in time: by the day they describe, then as published (the
    earlier is side A of a disagreement)."""
    m = d.member
    return (d.day, m.published or "", m.article_id, m.claim_id, m.figure_id)


def _reported(m: Member) -> _Dated | None:
    """A group's first report as the figure rules compare it: a claim's figure of a
    series, dated."""
    return _dated(m) if m.series and m.figure_id and m.claim_id else None


def _clash(a: _Dated, b: _Dated) -> bool:
    """Figures about the same time and thing from different sources that cannot both be
    right (`a` the earlier)."""
    window = dt.timedelta(days=FIGURE_WINDOW_DAYS)
    return (
        _same_time(a, b, window)
        and _comparable(a.member, b.member)
        and not same_source(a.member, b.member)
    )


def first_reports(members: Iterable[Member]) -> list[Member]:
    """The earliest published member of each group: a later article repeating a figure
    ("Karsk said last month that only several hundred soldiers...") recounts it, and
    does not report it anew at its own date."""
    first: dict[str, Member] = {}
    for m in members:
        known = first.get(m.group_id)
        if known is None or (m.published or "") < (known.published or ""):
            first[m.group_id] = m
    return list(first.values())


def _candidate_clashes(members: Iterable[Member]) -> list[tuple[Member, Member]]:
    """Pairs of first reports from different sources for the same series and time that
    differ."""
    window = dt.timedelta(days=FIGURE_WINDOW_DAYS)
    pairs = []
    for dated in _by_series(members).values():
        for n, a in enumerate(dated):
            for b in dated[n + 1 :]:
                if b.day - a.day > window:
                    break
                if _clash(a, b):
                    pairs.append((a.member, b.member))
    return pairs


def _candidate_revisions(members: Iterable[Member]) -> list[tuple[Member, Member]]:
    """Pairs of figures of one named source for the same thing, the second later and
    different (each figure compared with the next `REVISION_LOOKAHEAD` of its source)."""
    pairs = []
    for dated in _by_series(members).values():
        by_source: dict[str, list[_Dated]] = {}
        for d in dated:
            key = d.member.actor_id or d.member.source_key
            if key:
                by_source.setdefault(key, []).append(d)
        for series in by_source.values():
            for n, a in enumerate(series):
                for b in series[n + 1 : n + 1 + REVISION_LOOKAHEAD]:
                    if (
                        b.day > a.day
                        and a.member.root != b.member.root
                        and _comparable(a.member, b.member)
                    ):
                        pairs.append((a.member, b.member))
    return pairs


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n+")
_LAST_WORD = re.compile(r"[\w.]+$")
_ABBREVIATION = re.compile(
    r"^(?:mrs?|ms|dr|gen|sen|rep|gov|lt|col|maj|capt|sgt|st|jr|sr|prof|rev|no|vs"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|u\.[skn])$"
)


def sentence_cuts(text: str) -> list[int]:
    """Offsets where the sentences of `text` start (after the first), not cut after an
    abbreviation or an initial ("Mrs. Clinton", "Feb. 3", "Vladimir V. Putin")."""
    cuts = []
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            word = _LAST_WORD.search(text, max(0, match.start() - 12), match.start())
            last = word.group().lower() if word else ""
            if _ABBREVIATION.match(last) or (len(last) == 1 and last.isalpha()):
                continue
        cuts.append(match.end())
    return cuts


@dataclass(frozen=True)
class ArticleText:
    """What the figure rules read of an article: its text."""

    text: str


ArticleLoader = Callable[[Collection[str]], Mapping[str, ArticleText]]


def _sentences(
    members: Collection[Member], load: ArticleLoader | None
) -> dict[tuple[str, str], int | None]:
    """The number of the sentence each figure stands in (None without the text)."""
    articles = load({m.article_id for m in members}) if load else {}
    cuts: dict[str, list[int]] = {}
    found: dict[tuple[str, str], int | None] = {}
    for m in members:
        article = articles.get(m.article_id)
        if article is None or m.figure_start is None:
            found[(m.article_id, m.figure_id)] = None
            continue
        if m.article_id not in cuts:
            cuts[m.article_id] = sentence_cuts(article.text)
        found[(m.article_id, m.figure_id)] = bisect.bisect_right(cuts[m.article_id], m.figure_start)
    return found


def _keep_pairs(
    kind: str, pairs: Sequence[tuple[Member, Member]], load: ArticleLoader | None
) -> list[Contradiction]:
    # only figures of one article can stand in one sentence: only their texts are read
    involved = {
        (m.article_id, m.figure_id): m
        for pair in pairs
        if pair[0].article_id == pair[1].article_id
        for m in pair
    }
    sentence = _sentences(list(involved.values()), load)
    found: dict[tuple[str, str], Contradiction] = {}
    for a, b in pairs:
        if a.article_id == b.article_id:
            sa, sb = sentence[(a.article_id, a.figure_id)], sentence[(b.article_id, b.figure_id)]
            if sa is not None and sa == sb:
                continue
        if kind == "figure" and not (one_count(a) and one_count(b)):
            continue
        if kind == "revision" and not ({"projection", "rejected"}.isdisjoint({*a.kind, *b.kind})):
            continue
        pair = (min(a.group_id, b.group_id), max(a.group_id, b.group_id))
        if pair not in found:
            confidence = _figure_confidence(a, b)
            found[pair] = contradiction(
                kind, a.group_id, [a], [b], confidence, "f:" + (a.series or "")
            )
    return list(found.values())


def _figure_confidence(a: Member, b: Member) -> float:
    """Named sources on both sides, and figures far apart (one over twice the other),
    make a figure disagreement surer."""
    named = sum(1 for m in (a, b) if m.source_key)
    ba, bb = _bounds(a), _bounds(b)
    far = bool(ba and bb and min(ba[1], bb[1]) > 0 and max(ba[0], bb[0]) / min(ba[1], bb[1]) > 2)
    return 0.5 + 0.1 * named + 0.1 * far


def figure_disagreements(
    members: Iterable[Member], load: ArticleLoader | None = None
) -> list[Contradiction]:
    """Pairs of figures from different sources that disagree (see the module
    docstring); `load` gives the articles' texts and figures, without which the
    sentence rules fall back to the claims' own words. A figure that extraction put in
    no series counts in its unit's (``unit:patients``), where only figures of different
    articles whose claims are worded alike compare."""
    firsts = first_reports(map(_with_series, members))
    return _keep_pairs("figure", _candidate_clashes(firsts), load)


UNIT_SERIES = "unit:"


def _with_series(m: Member) -> Member:
    """A figure outside every series counts in its unit's (``unit:patients``), compared
    only with figures of other articles whose claims are worded alike."""
    if m.series or not m.unit:
        return m
    return replace(m, series=f"{UNIT_SERIES}{m.unit}")


def figure_revisions(store: Store) -> list[Contradiction]:
    """Updates, not contradictions: a later figure from the same named source for the
    same thing that differs from its earlier one (kind ``revision``; side A the earlier,
    side B the later figure)."""
    with store.reading() as conn:
        members = load_members(conn, ItemFilter(in_series=True))
        return _keep_pairs(
            "revision", _candidate_revisions(members), lambda ids: article_texts(conn, ids)
        )


def article_texts(conn: Transaction, article_ids: Collection[str]) -> dict[str, ArticleText]:
    """The texts of these articles."""
    return {aid: ArticleText(text) for aid, text in q.article_texts(conn, article_ids).items()}


# --- stored: found when the analysis changes, read with one query -------------------------

FULL_REFRESH = 5000  # changed groups from which finding everything again is quicker


def refresh_contradictions(conn: Transaction) -> int:
    """Bring the stored contradictions up to date with the claim groups changed since
    they were found (`store.contradictions.changed_groups`): those of the changed groups'
    scopes are found again, the rest kept; after a migration or a cleared analysis (or
    many changes) all are. The result equals `find_contradictions`. Returns how many
    contradictions were written."""
    changed, pending = cq.changed_groups(conn), cq.stems_pending(conn)
    if not changed and not pending:
        return 0
    if pending:  # a migration: the stems are filed, and what they match found again
        file_claim_stems(conn)
    if cq.ALL_GROUPS in changed or len(changed) >= FULL_REFRESH:
        cq.clear_contradictions(conn)
        asserted, figures = _asserted(conn), _figure_members(conn)
        _file_negation_keys(conn, asserted)
        _file_reports(conn, first_reports(map(_with_series, figures)))
        found = _everything(conn, asserted, figures)
    else:
        found = _changed(conn, changed) if changed else []
        if pending:
            cq.delete_contradictions(conn, cq.ids_scoped_under(conn, "r:"))
            found += _unaffiliated(conn, _reference_denials(conn))
    found = _once(found)
    _save(conn, found)
    cq.forget_changes(conn)
    return len(found)


def _changed(conn: Transaction, groups: set[str]) -> list[Contradiction]:
    """The contradictions of the scopes the changed `groups` touch, the stored ones of
    those scopes deleted: each group's own denials, the copy groups of its members'
    articles (denials answered in an article), the negation keys of its claims, the
    figure pairs of its first report; and every stored one with a member in them."""
    stale = cq.stale_contradictions(conn, groups)
    members = load_members(conn, ItemFilter(group_ids=tuple(groups)))
    asserted = [m for m in members if m.stance == "assert" and m.claim_id]
    keys = set(_file_negation_keys(conn, asserted))
    keys |= {scope[2:] for scope in stale.values() if scope.startswith("n:")}
    roots = {m.root for m in members} | _denials_answered_by(conn, asserted)
    roots |= {scope[2:] for scope in stale.values() if scope.startswith("r:")}
    scopes = {"g:" + g for g in groups} | {"n:" + k for k in keys} | {"r:" + r for r in roots}
    cq.delete_contradictions(conn, set(stale) | cq.scoped_ids(conn, scopes))
    found = _group_denials(conn, groups)
    found += _reference_denials(conn, roots)
    keyed = cq.negation_keyed(conn, keys)
    found += negations(_asserted(conn, ItemFilter(claims=tuple(keyed))) if keyed else [])
    found += _changed_figures(conn, groups)
    return _unaffiliated(conn, found)


def _file_negation_keys(conn: Transaction, asserted: Iterable[Member]) -> list[str]:
    """File assertions under their negation keys; returns the keys."""
    rows = []
    for m in asserted:
        key = negation_key(m)
        if key is not None:
            ident = {"article_id": m.article_id, "claim_id": m.claim_id, "figure_id": ""}
            rows.append({**ident, "key": " ".join(key)})
    cq.save_negation_keys(conn, rows)
    return [r["key"] for r in rows]


def _denials_answered_by(conn: Transaction, asserted: Sequence[Member]) -> set[str]:
    """The copy groups of the denials of whole propositions that one of these new
    assertions may answer from another article (it holds every stem denied, and is
    within `DENIAL_WINDOW_DAYS` of the denial): looked up by stem and day
    (`store.contradictions.denials_within`)."""
    found: set[tuple[str, str]] = set()
    for m in {(m.article_id, m.claim_id): m for m in asserted if states(m)}.values():
        since, until = _window(m)
        found.update(cq.denials_within(conn, _stems(m.content or ""), since, until))
    return {d.root for d in _claim_members(conn, found)}


def _file_reports(conn: Transaction, firsts: Iterable[Member]) -> list[_Dated]:
    """Store the dated first report of each group (`figure_reports`); returns them."""
    reports = [d for d in map(_reported, firsts) if d is not None]
    rows = [
        {
            "group_id": d.member.group_id, "series": d.member.series or "",
            "day": d.day.isoformat(), "article_id": d.member.article_id,
            "claim_id": d.member.claim_id, "figure_id": d.member.figure_id,
        }
        for d in reports
    ]  # fmt: skip
    cq.save_figure_reports(conn, rows)
    return reports


def _changed_figures(conn: Transaction, groups: set[str]) -> list[Contradiction]:
    """The figure disagreements of the first reports of the changed `groups` with those
    of other groups of their series about the same time (the stored reports)."""
    cq.delete_figure_reports(conn, groups)
    reports = _file_reports(conn, first_reports(map(_with_series, _figure_members(conn, groups))))
    window = dt.timedelta(days=FIGURE_WINDOW_DAYS)
    near = {
        id(a): cq.figure_reports_near(
            conn,
            a.member.series or "",
            (a.day - window).isoformat(),
            (a.day + window).isoformat(),
        )
        for a in reports
    }
    wanted = {key for keys in near.values() for key in keys}
    loaded = load_members(conn, ItemFilter(claims=tuple({(a, c) for a, c, _ in wanted})))
    others = {
        (m.article_id, m.claim_id, m.figure_id): d
        for m in map(_with_series, loaded)
        if (m.article_id, m.claim_id, m.figure_id) in wanted and (d := _reported(m)) is not None
    }
    pairs: dict[tuple[str, str], tuple[Member, Member]] = {}
    for a in reports:
        for key in near[id(a)]:
            b = others.get(key)
            if b is None or b.member.group_id == a.member.group_id:
                continue
            first, second = sorted((a, b), key=_order)
            if _clash(first, second):
                pairs[(first.member.group_id, second.member.group_id)] = (
                    first.member,
                    second.member,
                )
    return _keep_pairs("figure", list(pairs.values()), lambda ids: article_texts(conn, ids))


def _save(conn: Transaction, found: Sequence[Contradiction]) -> None:
    rows: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for c in found:
        ident = c.id
        rows.append({
            "id": ident, "scope": c.scope, "kind": c.kind, "stance": c.disputed_by[0].stance,
            "group_id": c.group_id, "reason": c.reason, "confidence": c.confidence,
            "date": c.date or "", "side_a": len(c.asserted), "side_b": len(c.disputed_by),
        })  # fmt: skip
        for side, listed in (("a", c.asserted), ("b", c.disputed_by)):
            members.extend(
                {
                    "contradiction_id": ident, "side": side, "position": n,
                    "article_id": m.article_id, "claim_id": m.claim_id,
                    "figure_id": m.figure_id, "group_id": m.group_id,
                    "actor_id": m.actor_id, "series": m.series,
                }
                for n, m in enumerate(listed)
            )  # fmt: skip
    cq.save_contradictions(conn, rows, members)


def stored_contradictions(
    conn: Transaction,
    wanted: ContradictionFilter,
    limit: int | None = None,
    offset: int = 0,
    max_members: int | None = None,
) -> list[Contradiction]:
    """One page of the stored contradictions `wanted` keeps, in its order, with their
    members (at most `max_members` a side: the side's total is `side_totals`)."""
    rows = cq.contradiction_rows(conn, wanted, limit, offset)
    listed = cq.member_rows(conn, [r["id"] for r in rows], max_members)
    claims = {(m["article_id"], m["claim_id"]) for m in listed}
    items: dict[tuple[str, str, str], Member] = {}
    for chunk in in_chunks(sorted(claims), 2):
        for m in load_members(conn, ItemFilter(claims=tuple(chunk))):
            items[(m.article_id, m.claim_id, m.figure_id)] = m
    sides: dict[tuple[str, str], list[Member]] = {}
    for row in listed:
        item = items.get((row["article_id"], row["claim_id"], row["figure_id"]))
        if item is not None:
            m = item if item.series == row["series"] else replace(item, series=row["series"])
            sides.setdefault((row["contradiction_id"], row["side"]), []).append(m)
    found = []
    for r in rows:
        side_a, side_b = tuple(sides.get((r["id"], "a"), ())), tuple(sides.get((r["id"], "b"), ()))
        sizes, date = (r["side_a"], r["side_b"]), r["date"] or None
        kind, group, text, sure = r["kind"], r["group_id"], r["reason"], r["confidence"]
        found.append(
            Contradiction(kind, group, side_a, side_b, text, sure, r["scope"], sizes, date)
        )
    return found
