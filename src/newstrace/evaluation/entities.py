"""`newstrace eval entities`: cross-article actors, scored as clusters of mentions (B-cubed).

The data is JSON Lines, one article a line: ``id``, ``text``, ``published`` and
``mentions``, each ``{"text": ..., "actor": ...}``: a name as written and the label of
the real-world actor it refers to (the same label across articles for the same actor).
The n-th gold mention of a text in an article is its n-th occurrence. The articles are
extracted, stored in a temporary store and resolved across articles as an ingest would;
each gold mention then belongs to the cross-article entity of the article entity whose
mention covers it, or to a cluster of its own when no entity does (a missed name).

B-cubed (Bagga and Baldwin, 1998) over the gold mentions: a mention's precision is the
share of its predicted cluster that shares its actor, its recall the share of its actor
that shares its predicted cluster; both are averaged over mentions, and F1 is their
harmonic mean. A wrong merge costs precision ("Mrs. Holm" with "Mr. Holm"), a wrong
split recall ("Obama" apart from "Barack Obama").
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newstrace.analysis.update import update_analysis
from newstrace.errors import InputError
from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import read_gold_lines
from newstrace.extract.pipeline import extract_record
from newstrace.models import Article, Record
from newstrace.nlp import pipe_with_context
from newstrace.settings import Settings
from newstrace.store import Store, WriteInfo
from newstrace.store.reads.entities import article_canonicals

Key = tuple[str, int]  # (article id, index of the gold mention in the article)


def read_actor_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The labelled articles of `path`; raises `InputError` for a malformed line."""
    return read_gold_lines(path, ("id", "text", "mentions"), limit, _check_mentions)


def _check_mentions(where: str, item: dict[str, Any]) -> None:
    seen: Counter[str] = Counter()
    for m in item["mentions"]:
        seen[m["text"]] += 1
        if item["text"].count(m["text"]) < seen[m["text"]]:
            raise InputError(where, f"mention {m['text']!r} occurs fewer times than labelled")


def gold_spans(item: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, actor) of each gold mention: the n-th mention of a text is its n-th
    occurrence in the article."""
    found, seen = [], Counter[str]()
    for m in item["mentions"]:
        start = -1
        for _ in range(seen[m["text"]] + 1):
            start = item["text"].index(m["text"], start + 1)
        seen[m["text"]] += 1
        found.append((start, start + len(m["text"]), m["actor"]))
    return found


def b_cubed(gold: dict[Key, str], predicted: dict[Key, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of the `predicted` clusters against `gold`
    (both: mention -> cluster label, over the same mentions)."""
    by_gold = Counter(gold.values())
    by_pred = Counter(predicted.values())
    both = Counter((gold[k], predicted[k]) for k in gold)
    precision = sum(both[(gold[k], predicted[k])] / by_pred[predicted[k]] for k in gold)
    recall = sum(both[(gold[k], predicted[k])] / by_gold[gold[k]] for k in gold)
    n = max(len(gold), 1)
    p, r = precision / n, recall / n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _records(gold: list[dict[str, Any]], settings: Settings) -> Iterable[Record]:
    pairs = (
        (item["text"], Article(id=item["id"], text=item["text"], published=item.get("published")))
        for item in gold
    )
    for doc, article in pipe_with_context(pairs, settings):
        yield extract_record(article, doc)


def _resolved(store: Store, records: list[Record]) -> dict[str, list[tuple[int, int, str]]]:
    """article id -> (start, end, canonical id) of every entity mention, once resolved."""
    for record in records:
        store.save(record, WriteInfo(content_hash=record.article.id))
    update_analysis(store, [r.article.id for r in records])
    found = {}
    for r in records:
        links = article_canonicals(store, r.article.id)
        spans = [(m.start, m.end, links[e.id]) for e in r.entities for m in e.mentions]
        found[r.article.id] = spans
    return found


def _predicted(item: dict[str, Any], spans: list[tuple[int, int, str]]) -> list[str | None]:
    """The canonical id of each gold mention: of the entity mention that covers it."""
    found: list[str | None] = []
    for start, end, _ in gold_spans(item):
        covering = [c for s, e, c in spans if s <= start and end <= e]
        found.append(covering[0] if covering else None)
    return found


def evaluate_entities(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """B-cubed precision, recall and F1 of cross-article actors on the articles at `path`."""
    del split  # one file, no splits
    gold_items = read_actor_gold(path, limit)
    records = list(_records(gold_items, settings))
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "eval.db"))
        try:
            resolved = _resolved(store, records)
        finally:
            store.close()
    gold: dict[Key, str] = {}
    predicted: dict[Key, str] = {}
    errors: list[dict[str, Any]] = []
    for item in gold_items:
        spans = gold_spans(item)
        for n, ((start, end, actor), cid) in enumerate(
            zip(spans, _predicted(item, resolved[item["id"]]), strict=True)
        ):
            key = (item["id"], n)
            gold[key] = actor
            predicted[key] = cid or f"missed:{item['id']}:{n}"
            if cid is None:
                text = item["text"][start:end]
                errors.append({"kind": "missed", "doc": item["id"], "text": text})
    errors += _confusions(gold, predicted, gold_items)
    metrics = b_cubed(gold, predicted)
    metrics["missed"] = sum(1 for e in errors if e["kind"] == "missed") / max(len(gold), 1)
    return EvalResult("entities", str(path), None, len(gold_items), metrics, errors)


def _confusions(
    gold: dict[Key, str], predicted: dict[Key, str], items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One error per predicted cluster holding several actors (a wrong merge) and per
    actor spread over several clusters (a wrong split), with the names involved."""
    texts = {(item["id"], n): m["text"] for item in items for n, m in enumerate(item["mentions"])}
    errors: list[dict[str, Any]] = []
    for kind, outer, inner in (("merge", predicted, gold), ("split", gold, predicted)):
        groups: dict[str, dict[str, set[str]]] = {}
        for key, label in outer.items():
            groups.setdefault(label, {}).setdefault(inner[key], set()).add(texts[key])
        for label, parts in sorted(groups.items()):
            if len(parts) > 1:
                names = {k: sorted(v) for k, v in sorted(parts.items())}
                errors.append({"kind": f"wrong_{kind}", "doc": label, "parts": names})
    return errors
