"""`newstrace eval groups`: claim groups and contradictions against labelled claims.

The data is a folder:

- ``articles.jsonl`` (optional): fictional articles, one a line: ``id``, ``split`` (``dev`` or
  ``test``), ``published``, ``outlet``, ``url`` (optional), ``text`` and ``claims``, each
  ``{"text": ..., "prop": ...}`` with the content of a claim as written (the n-th claim
  of a text is its n-th occurrence) and the proposition it states;
- ``references.jsonl`` (optional): claims of real articles, by reference only (their
  text is never copied): ``corpus`` (a name of ``corpora.json``, which gives the path of
  its JSON Lines file relative to the folder), ``article`` (its id there), ``split`` and
  ``claims``, each ``{"start": ..., "end": ..., "prop": ...}``, offsets of the content in
  the article's ``text``. A corpus that is absent is skipped (an error says so).

A proposition is ``topic/name``. Every pair of labelled claims of one split is a pair:
*same* (one proposition), *related* (one topic, different propositions) or *unrelated*.
A claim may carry ``contradicts``: the propositions it cannot be true with; each such
pair of propositions is one gold contradiction. Every claim of a fictional article that
takes part in a contradiction is labelled, so the labels are exhaustive there.

The articles of a split are extracted as they are (no cleaning), stored in a temporary
store and analysed as an ingest would. A gold claim is the predicted claim of its
article whose content shares most of its words (at least half of the longer,
`MIN_OVERLAP`); a gold claim without one is missed. Two gold claims are predicted the
same when one of their items shares a group.

- ``pair_*``: precision, recall and F1 of predicted *same* pairs against gold *same*
  (related and unrelated pairs are negatives; a missed claim is in no pair);
- ``contradiction_*``: a listed contradiction is right when one of its sides holds a
  claim of one proposition and the other a claim of a proposition it contradicts;
  recall is the share of gold contradictions some listed contradiction covers. A side
  holds the gold claims matched to its members, and a gold claim whose span one of its
  members' content covers for the most part (`SPAN_HELD` of the gold claim's span: a
  content run on past the labelled claim points to it all the same). A fragment lying
  inside a longer labelled claim does not hold it: it may leave out the very predicate
  that is denied.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from newstrace.analysis.contradictions import Contradiction, find_contradictions
from newstrace.analysis.groups import Member, load_members
from newstrace.analysis.update import update_analysis
from newstrace.errors import InputError
from newstrace.evaluation import scoring
from newstrace.evaluation.result import EvalResult
from newstrace.extract import extract_records
from newstrace.ingest.vectors import embed_claims
from newstrace.models import Article
from newstrace.settings import Settings
from newstrace.store import Store, WriteInfo
from newstrace.store.items import ItemFilter

RELATIONS = ("same", "related", "unrelated")


@dataclass(frozen=True)
class GoldClaim:
    """One labelled claim: where its content is, and what it states."""

    article_id: str
    start: int
    end: int
    prop: str
    contradicts: tuple[str, ...] = ()

    @property
    def topic(self) -> str:
        """The part of the proposition before its ``/``."""
        return self.prop.partition("/")[0]


@dataclass(frozen=True)
class GoldSet:
    """The articles and labelled claims of one split."""

    articles: tuple[Article, ...]
    claims: tuple[GoldClaim, ...]
    skipped: tuple[dict[str, Any], ...] = ()

    def contradictions(self) -> set[frozenset[str]]:
        """The gold contradictions: pairs of propositions."""
        return {frozenset((c.prop, other)) for c in self.claims for other in c.contradicts}


def relation(a: GoldClaim, b: GoldClaim) -> str:
    """same, related or unrelated."""
    if a.prop == b.prop:
        return "same"
    return "related" if a.topic == b.topic else "unrelated"


def _check_claims(where: str, item: dict[str, Any]) -> None:
    for claim in item["claims"]:
        if "/" not in str(claim.get("prop", "")):
            raise InputError(where, f"claim without a topic/name proposition: {claim}")
    if item.get("split") not in ("dev", "test"):
        raise InputError(where, f"split must be dev or test, not {item.get('split')!r}")


def _article(item: dict[str, Any]) -> Article:
    get = item.get
    return Article(
        id=item["id"], text=item["text"], title=get("title"), outlet=get("outlet"),
        url=get("url"), published=get("published"),
    )  # fmt: skip


def _nth(text: str, wanted: str, n: int, where: str) -> int:
    start = -1
    for _ in range(n + 1):
        start = text.find(wanted, start + 1)
        if start < 0:
            raise InputError(where, f"claim {wanted!r} occurs fewer times than labelled")
    return start


def _fictional(path: Path, split: str) -> Iterator[tuple[Article, list[GoldClaim]]]:
    if not path.is_file():
        return
    keys = ("id", "split", "text", "claims")
    for item in scoring.read_gold_lines(path, keys, None, _check_claims):
        if item["split"] != split:
            continue
        article = _article(item)
        seen: dict[str, int] = {}
        claims = []
        for claim in item["claims"]:
            n = seen.get(claim["text"], 0)
            seen[claim["text"]] = n + 1
            start = _nth(article.text, claim["text"], n, f"{path}:{item['id']}")
            claims.append(_gold(article.id, start, start + len(claim["text"]), claim))
        yield article, claims


def _gold(article_id: str, start: int, end: int, claim: dict[str, Any]) -> GoldClaim:
    return GoldClaim(article_id, start, end, claim["prop"], tuple(claim.get("contradicts", ())))


def _referenced(folder: Path, split: str) -> Iterator[tuple[Article, list[GoldClaim]] | str]:
    """Articles and claims of ``references.jsonl``; the name of an absent corpus instead."""
    path = folder / "references.jsonl"
    if not path.is_file():
        return
    corpora: dict[str, dict[str, dict[str, Any]] | None] = {}
    keys = ("corpus", "article", "split", "claims")
    for item in scoring.read_gold_lines(path, keys, None, _check_claims):
        if item["split"] != split:
            continue
        if item["corpus"] not in corpora:
            corpora[item["corpus"]] = scoring.read_corpus(folder, item["corpus"])
        found = corpora[item["corpus"]]
        if found is None:
            yield item["corpus"]
            continue
        if item["article"] not in found:
            raise InputError(str(path), f"{item['article']}: not in corpus {item['corpus']}")
        article = _article(found[item["article"]])
        yield article, [_gold(article.id, c["start"], c["end"], c) for c in item["claims"]]


def read_groups_gold(folder: Path, split: str) -> GoldSet:
    """The labelled articles and claims of one split of the folder `folder`."""
    if not folder.is_dir():
        raise InputError(str(folder), "expected a folder with articles.jsonl or references.jsonl")
    articles: list[Article] = []
    claims: list[GoldClaim] = []
    missing: dict[str, int] = {}
    parts = [*_fictional(folder / "articles.jsonl", split), *_referenced(folder, split)]
    for part in parts:
        if isinstance(part, str):
            missing[part] = missing.get(part, 0) + 1
            continue
        articles.append(part[0])
        claims.extend(part[1])
    skipped = tuple(
        {"kind": "corpus_missing", "doc": name, "articles": n} for name, n in missing.items()
    )
    return GoldSet(tuple(articles), tuple(claims), skipped)


# --- predictions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Predicted:
    """What the analysis made of the gold articles."""

    members: tuple[Member, ...]
    contradictions: tuple[Contradiction, ...]


def analyse(articles: Sequence[Article], settings: Settings) -> Predicted:
    """Extract, store and analyse `articles` in a temporary store."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "eval.db"), create=True)
        try:
            for record in extract_records(articles, settings):
                store.save(record, WriteInfo(content_hash=record.article.id))
            embed_claims(store, [a.id for a in articles])
            update_analysis(store, [a.id for a in articles])
            with store.reading() as conn:
                members = load_members(conn, ItemFilter())
            found = find_contradictions(store)
        finally:
            store.close()
    return Predicted(tuple(members), tuple(found))


ClaimKey = tuple[str, str]  # (article id, claim id)


def match_claims(
    gold: Sequence[GoldClaim], members: Iterable[Member], texts: dict[str, str]
) -> dict[GoldClaim, ClaimKey]:
    """Each gold claim's predicted claim: the one of its article whose content shares the
    most words with it (at least `MIN_OVERLAP` of the longer); unmatched claims are left
    out."""
    spans: dict[str, dict[ClaimKey, tuple[int, int]]] = {}
    for m in members:
        if m.claim_id and m.content_start is not None and m.content_end is not None:
            spans.setdefault(m.article_id, {})[(m.article_id, m.claim_id)] = (
                m.content_start,
                m.content_end,
            )
    found: dict[GoldClaim, ClaimKey] = {}
    indexes = {aid: scoring.WordIndex(text) for aid, text in texts.items()}
    for claim in gold:
        index = indexes[claim.article_id]
        want = index.tokens([scoring.trimmed(index.text, claim.start, claim.end)])
        best, score = None, 0.0
        for key, (start, end) in sorted(spans.get(claim.article_id, {}).items()):
            got = index.tokens([scoring.trimmed(index.text, start, end)])
            ratio = scoring.overlap_ratio(want, got)
            if ratio > score:
                best, score = key, ratio
        if best is not None and score >= scoring.MIN_OVERLAP:
            found[claim] = best
    return found


# --- scoring --------------------------------------------------------------------------


def _snippet(gold: GoldSet, claim: GoldClaim) -> str:
    text = next(a.text for a in gold.articles if a.id == claim.article_id)
    return text[claim.start : claim.end]


def score_pairs(
    gold: GoldSet, matched: dict[GoldClaim, ClaimKey], groups: dict[ClaimKey, set[str]]
) -> tuple[scoring.Counts, dict[str, int], list[dict[str, Any]]]:
    """Pair counts of the grouping, the number of gold pairs of each relation, errors."""
    counts = scoring.Counts()
    relations = dict.fromkeys(RELATIONS, 0)
    errors: list[dict[str, Any]] = []
    for a, b in combinations(gold.claims, 2):
        rel = relation(a, b)
        relations[rel] += 1
        ka, kb = matched.get(a), matched.get(b)
        together = bool(ka and kb and groups.get(ka, set()) & groups.get(kb, set()))
        gold_same = rel == "same"
        counts.add(tp=int(together and gold_same), fp=int(together and not gold_same))
        counts.add(fn=int(gold_same and not together))
        if together != gold_same:
            kind = "wrong_merge" if together else "missed_merge"
            errors.append(
                {"kind": kind, "doc": a.article_id, "relation": rel,
                 "a": _snippet(gold, a), "b": _snippet(gold, b), "b_doc": b.article_id}
            )  # fmt: skip
    return counts, relations, errors


SPAN_HELD = 0.8


def held_claims(
    gold: Sequence[GoldClaim], matched: dict[GoldClaim, ClaimKey], members: Iterable[Member]
) -> dict[ClaimKey, set[str]]:
    """The propositions each predicted claim holds: those of the gold claims matched to
    it, and of those whose span its content covers by `SPAN_HELD` of the gold span."""
    props: dict[ClaimKey, set[str]] = {}
    for claim, key in matched.items():
        props.setdefault(key, set()).add(claim.prop)
    by_article: dict[str, list[GoldClaim]] = {}
    for claim in gold:
        by_article.setdefault(claim.article_id, []).append(claim)
    for m in members:
        if not m.claim_id or m.content_start is None or m.content_end is None:
            continue
        for claim in by_article.get(m.article_id, ()):
            shared = min(claim.end, m.content_end) - max(claim.start, m.content_start)
            labelled = claim.end - claim.start
            if labelled > 0 and shared >= SPAN_HELD * labelled:
                props.setdefault((m.article_id, m.claim_id), set()).add(claim.prop)
    return props


def score_contradictions(
    gold: GoldSet,
    matched: dict[GoldClaim, ClaimKey],
    found: Sequence[Contradiction],
    members: Iterable[Member] = (),
) -> tuple[scoring.Counts, list[dict[str, Any]]]:
    """Listed contradictions right and wrong, gold contradictions missed, and errors (a
    side holds the gold claims `held_claims` gives its members)."""
    props = held_claims(gold.claims, matched, members)
    wanted = gold.contradictions()
    covered: set[frozenset[str]] = set()
    counts = scoring.Counts()
    errors: list[dict[str, Any]] = []
    for item in found:
        side_a = _props(item.asserted, props)
        side_b = _props(item.disputed_by, props)
        hits = {frozenset((x, y)) for x in side_a for y in side_b} & wanted
        covered |= hits
        counts.add(tp=int(bool(hits)), fp=int(not hits))
        if not hits:
            errors.append(
                {"kind": "false_contradiction", "doc": item.asserted[0].article_id,
                 "contradiction_kind": item.kind,
                 "a": _said(item.asserted), "b": _said(item.disputed_by),
                 "b_doc": item.disputed_by[0].article_id}
            )  # fmt: skip
    for pair in sorted(wanted - covered, key=sorted):
        errors.append({"kind": "missed_contradiction", "doc": "", "props": sorted(pair)})
    counts.add(fn=len(wanted - covered))
    return counts, errors


def _props(members: Sequence[Member], props: dict[ClaimKey, set[str]]) -> set[str]:
    return {p for m in members for p in props.get((m.article_id, m.claim_id), set())}


def _said(members: Sequence[Member]) -> str:
    first = members[0]
    return f"{first.speaker or ''}: {first.content or first.figure_text or ''}"


def evaluate_groups(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """Pair precision, recall and F1 of the claim groups, and precision and recall of the
    contradictions, on the split `split` of the labelled folder `path`."""
    gold = read_groups_gold(path, split)
    if limit:
        kept = {a.id for a in gold.articles[:limit]}
        gold = GoldSet(
            tuple(a for a in gold.articles if a.id in kept),
            tuple(c for c in gold.claims if c.article_id in kept),
            gold.skipped,
        )
    predicted = analyse(gold.articles, settings)
    texts = {a.id: a.text for a in gold.articles}
    matched = match_claims(gold.claims, predicted.members, texts)
    groups: dict[ClaimKey, set[str]] = {}
    for m in predicted.members:
        groups.setdefault((m.article_id, m.claim_id), set()).add(m.group_id)
    pairs, relations, errors = score_pairs(gold, matched, groups)
    contradictions, more = score_contradictions(
        gold, matched, predicted.contradictions, predicted.members
    )
    missed = [c for c in gold.claims if c not in matched]
    errors = [
        *gold.skipped,
        *({"kind": "missed_claim", "doc": c.article_id, "text": _snippet(gold, c)} for c in missed),
        *errors,
        *more,
    ]
    metrics = {
        **pairs.metrics("pair_"),
        **contradictions.metrics("contradiction_"),
        "claims_found": round(1 - len(missed) / max(len(gold.claims), 1), 4),
        "n_claims": len(gold.claims),
        "n_pairs": sum(relations.values()),
        **{f"n_{k}": v for k, v in relations.items()},
        "n_contradictions": len(gold.contradictions()),
        "n_listed": len(predicted.contradictions),
    }
    return EvalResult("groups", str(path), split, len(gold.articles), metrics, errors)
