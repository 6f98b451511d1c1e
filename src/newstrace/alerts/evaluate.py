"""What each kind of rule matches, through the read layer (`Reader`), as evidence keys.

Every match has a key naming its evidence, so that a match found again (by the next
ingest, a restarted runner, a copy of the story) is the same alert and fires once:

- series: ``move:SERIES:GROUP``, one per reported count (a claim group: every copy and
  repeat of one report is one group) that moves from the count before it;
- contradiction: ``KIND:ROOT:SOURCE:WORDS``, one per disputing claim (a denial, a
  dispute, a clashing figure) of one story: its copies, and the same words extracted
  twice, or disputing two propositions at once, are one alert;
- claim: ``claim:SPEAKER:WORDS``, one per speaker and wording (copies say it again);
- search: ``article:ROOT``, one per story (the earliest copy's id).

The payload of an alert is only built for keys not seen before (`Match.build`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import newstrace.paths as paths
from newstrace.analysis.contradictions import Contradiction, one_count
from newstrace.analysis.groups import Member
from newstrace.analysis.history import FigurePoint
from newstrace.analysis.series import by_series
from newstrace.analysis.text import content_words
from newstrace.models import series_label
from newstrace.reader import Reader
from newstrace.store import ArticleSummary, ClaimRow
from newstrace.store.alerts import AlertRule
from newstrace.store.search import parse_search


@dataclass(frozen=True)
class Match:
    """One thing a rule matched: its evidence key, article, and how to build its alert."""

    key: str
    article_id: str | None
    build: Callable[[], dict[str, Any]]


class Reads:
    """The reads of one alert run, each made once for all its rules (every
    contradiction rule filters one list of contradictions)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self._contradictions: list[Contradiction] | None = None

    def contradictions(self) -> list[Contradiction]:
        """Every contradiction in the store (read at the first call)."""
        if self._contradictions is None:
            self._contradictions = list(self.reader.contradictions())
        return self._contradictions


def matches(reads: Reads, rule: AlertRule) -> list[Match]:
    """Everything `rule` matches in the store now (old and new: the caller keeps the
    keys it has not seen)."""
    if rule.kind == "contradiction":
        return list(_contradiction_matches(reads, rule))
    finders = {"series": _series_matches, "claim": _claim_matches, "search": _search_matches}
    return list(finders[rule.kind](reads.reader, rule))


def link(base_url: str, href: str) -> str:
    """The absolute address of a page of `newstrace serve` at `base_url`."""
    return base_url.rstrip("/") + href


def _payload(
    rule: AlertRule, kind: str, summary: str, article_id: str | None, href: str
) -> dict[str, Any]:
    return {
        "rule": {"id": rule.id, "name": rule.name, "kind": rule.kind},
        "kind": kind,
        "summary": summary,
        "article_id": article_id,
        "href": href,
    }


# --- series ---------------------------------------------------------------------------


def is_count(m: Member) -> bool:
    """A figure that states one count a series can move from or to: it gives a value
    (not a vague "several thousand"), is no two-sided range ("3,000 to 5,000"), and is
    no change, projection, poll reading or figure repeated inside a denial."""
    two_sided = m.low is not None and m.high is not None and m.low != m.high
    return m.value is not None and not two_sided and one_count(m)


def change_pct(before: float, after: float) -> float | None:
    """The change from `before` to `after` in percent (None from zero)."""
    return None if before == 0 else (after - before) / abs(before) * 100


def _series_terms(rule: AlertRule) -> str:
    about = rule.params.get("about")
    if about:
        return str(about)
    holder, measure, *_ = [*str(rule.params["series"]).split("|"), "", ""]
    return "|".join(t for t in (holder, measure) if t)


def _series_matches(reader: Reader, rule: AlertRule) -> Iterator[Match]:
    points = reader.figures(_series_terms(rule), include_repeats=False, limit=None)
    wanted = rule.params.get("series")
    threshold = rule.params.get("change")
    for key, found in by_series(points).items():
        if not key or (wanted and key != wanted):
            continue
        counts = [p for p in found if is_count(p.member)]
        previous: FigurePoint | None = None
        for point in counts:
            if _moves(previous, point, threshold):
                yield _move_match(rule, key, previous, point)
            previous = point


def _moves(previous: FigurePoint | None, point: FigurePoint, threshold: Any) -> bool:
    """Without a threshold, any new value moves (the first count too); with one, a
    change of more than `threshold` percent from the count before."""
    value = point.member.value
    if previous is None or previous.member.value is None or value is None:
        return threshold is None
    if threshold is None:
        return value != previous.member.value
    change = change_pct(previous.member.value, value)
    return change is not None and abs(change) > float(threshold)


def _move_match(
    rule: AlertRule, key: str, previous: FigurePoint | None, point: FigurePoint
) -> Match:
    m = point.member

    def build() -> dict[str, Any]:
        before = previous.member if previous else None
        change = change_pct(before.value, m.value) if before and before.value and m.value else None
        moved = f"{before.figure_text} -> " if before else "first count: "
        shown = f" ({change:+.0f}%)" if change is not None else ""
        summary = f"{series_label(key)}: {moved}{m.figure_text}{shown}, {point.source}"
        href = paths.article_href(m.article_id, m.figure_id or m.claim_id or None)
        found = _payload(rule, "series_move", summary, m.article_id, href)
        found["evidence"] = {
            "series": {"key": key, "label": series_label(key)},
            "figure": point.to_dict(),
            "previous": previous.to_dict() if previous else None,
            "change_pct": change,
        }
        return found

    return Match(f"move:{key}:{m.group_id}", m.article_id, build)


# --- contradictions -------------------------------------------------------------------


def _source(m: Member) -> str:
    return m.source_key or "root:" + m.root


def _contradiction_matches(reads: Reads, rule: AlertRule) -> Iterator[Match]:
    series = rule.params.get("series")
    entity = rule.params.get("entity")
    entity_id = reads.reader.entity_id(str(entity)) if entity else None
    seen: set[str] = set()
    for found in reads.contradictions():
        members = (*found.asserted, *found.disputed_by)
        if series and not any(m.series == series for m in members):
            continue
        if entity_id and not any(m.actor_id == entity_id for m in members):
            continue
        for m in found.disputed_by:
            said = " ".join(content_words(m.content or m.figure_text or ""))
            key = f"{found.kind}:{m.root}:{_source(m)}:{said}"
            if key not in seen:
                seen.add(key)
                yield _contradiction_match(rule, key, found, m)


def _said(m: Member) -> str:
    what = m.figure_text if m.figure_text and not m.content else m.content
    return f"{m.speaker or m.outlet_shown}: {what or ''}".strip()


def _contradiction_match(rule: AlertRule, key: str, found: Contradiction, m: Member) -> Match:
    def build() -> dict[str, Any]:
        first = found.asserted[0] if found.asserted else None
        against = f" (against {_said(first)})" if first else ""
        summary = f"{found.kind}: {_said(m)}{against}"
        href = paths.article_href(m.article_id, m.claim_id or m.figure_id or None)
        payload = _payload(rule, "contradiction", summary, m.article_id, href)
        payload["evidence"] = {"contradiction": found.to_dict(), "by": m.to_dict()}
        return payload

    return Match(key, m.article_id, build)


# --- claims ---------------------------------------------------------------------------


def _claim_matches(reader: Reader, rule: AlertRule) -> Iterator[Match]:
    p = rule.params
    stance = p.get("stance")
    rows = reader.claims(entity=str(p["entity"]), about=p.get("words"), stance=stance, limit=None)
    for row in rows:
        claim = row.claim
        who = row.speaker_canonical_id or claim.speaker.name or claim.speaker.text
        words = " ".join(content_words(claim.content.text))
        yield _claim_match(rule, f"claim:{who}:{words}", row)


def _claim_match(rule: AlertRule, key: str, row: ClaimRow) -> Match:
    def build() -> dict[str, Any]:
        claim = row.claim
        speaker = claim.speaker.name or claim.speaker.text
        summary = f"{speaker} ({claim.stance}): {claim.content.text}"
        href = paths.article_href(row.article_id, claim.id)
        payload = _payload(rule, "claim", summary, row.article_id, href)
        payload["evidence"] = {"claim": row.to_dict()}
        return payload

    return Match(key, row.article_id, build)


# --- searches -------------------------------------------------------------------------


def _search_matches(reader: Reader, rule: AlertRule) -> Iterator[Match]:
    query = str(rule.params["query"])
    for article in reader.articles(query):
        yield _search_match(reader, rule, query, article)


def _search_match(reader: Reader, rule: AlertRule, query: str, article: ArticleSummary) -> Match:
    def build() -> dict[str, Any]:
        text = reader.article(article.id).article.text
        summary = f"{query!r} matches {article.title or article.id} ({article.outlet or '?'})"
        href = paths.article_href(article.id)
        payload = _payload(rule, "search_match", summary, article.id, href)
        payload["evidence"] = {
            "article": article.to_dict(),
            "spans": word_spans(text, parse_search(query).required_words(), article.id),
        }
        return payload

    return Match(f"article:{article.duplicate_of or article.id}", article.id, build)


def word_spans(text: str, words: list[str], article_id: str) -> list[dict[str, Any]]:
    """The first place in `text` each word of a search stands (a whole word, or the
    start of one: searches match prefixes and stems), as evidence spans."""
    spans = []
    for word in dict.fromkeys(w.lower() for w in words):
        found = re.search(r"\b" + re.escape(word), text, re.IGNORECASE)
        if found:
            start, end = found.span()
            spans.append(
                {"article_id": article_id, "start": start, "end": end, "text": text[start:end]}
            )
    return spans
