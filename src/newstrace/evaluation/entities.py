"""`newstrace eval entities`: cross-article actors, scored as clusters of mentions (B-cubed).

The data is JSON Lines, one article a line, in a file or in a folder of
``<name>_<split>.jsonl`` files (``--split dev`` reads every ``*_dev.jsonl``). A line is
an article written for the set (``id``, ``text``, ``published`` and ``mentions``, each
``{"text": ..., "actor": ...}``: the n-th gold mention of a text is its n-th occurrence)
or an article of a corpus kept outside the repository (``id``, ``corpus``: a name of the
folder's ``corpora.json``, which gives the path of its JSON Lines file, ``mentions`` each
``{"start", "end", "actor", "check"}``: character offsets into the corpus article's text
and the first 8 hex digits of the SHA-1 of the mention, so that a changed corpus is
refused, never scored; no text of the article is stored). ``actor`` is the label of the
real-world actor the mention refers to, the same across articles.

The articles are extracted, stored in a temporary store and resolved across articles as
an ingest would; each gold mention then belongs to the cross-article entity of the
article entity whose mention covers it, or to a cluster of its own when no entity does
(a missed name).

B-cubed (Bagga and Baldwin, 1998) over the gold mentions: a mention's precision is the
share of its predicted cluster that shares its actor, its recall the share of its actor
that shares its predicted cluster; both are averaged over mentions, and F1 is their
harmonic mean. A wrong merge costs precision ("Mrs. Holm" with "Mr. Holm"), a wrong
split recall ("Obama" apart from "Barack Obama"). *Speaker accuracy*: of the claims whose
speaker as written overlaps a gold mention (where it names whom it resolves to: the
mention of its entity inside it, so that "RNC Chief of Staff Katie Walsh" is no claim of
the RNC), the share whose speaker resolves to the cross-article entity that holds most
of that actor's mentions.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newstrace.analysis.update import update_analysis
from newstrace.errors import InputError
from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import read_corpus, read_gold_lines
from newstrace.extract.pipeline import extract_record
from newstrace.models import Article, Record
from newstrace.nlp import pipe_with_context
from newstrace.settings import Settings
from newstrace.store import Store, WriteInfo
from newstrace.store.reads.entities import article_canonicals

Key = tuple[str, int]  # (article id, index of the gold mention in the article)
Spans = list[tuple[int, int, str]]  # (start, end, label)


def gold_files(path: Path, split: str) -> list[Path]:
    """The files of `split` when `path` is a folder (``*_<split>.jsonl``), else `path`."""
    if not path.is_dir():
        return [path]
    found = sorted(path.glob(f"*_{split}.jsonl"))
    if not found:
        raise InputError(str(path), f"no *_{split}.jsonl file")
    return found


def read_actor_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The labelled articles of `path` (corpus articles with their text filled in from
    the corpus); raises `InputError` naming ``path:line`` for a malformed line, an
    absent corpus or a corpus that changed."""
    corpora: dict[str, dict[str, dict[str, Any]]] = {}

    def complete(where: str, item: dict[str, Any]) -> None:
        if "corpus" in item:
            item.update(_from_corpus(where, item, _corpus(path.parent, item["corpus"], corpora)))
        if "text" not in item:
            raise InputError(where, "missing text (or corpus)")
        _check_mentions(where, item)

    return read_gold_lines(path, ("id", "mentions"), limit, complete)


def _corpus(
    folder: Path, name: str, cache: dict[str, dict[str, dict[str, Any]]]
) -> dict[str, dict[str, Any]]:
    """The articles of corpus `name` (``corpora.json`` of `folder`), read once."""
    if name not in cache:
        found = read_corpus(folder, name)
        if found is None:
            raise InputError(str(folder / "corpora.json"), f"corpus {name!r} is absent")
        cache[name] = found
    return cache[name]


def mention_check(text: str) -> str:
    """The check of a corpus mention: the first 8 hex digits of its SHA-1."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _from_corpus(
    where: str, item: dict[str, Any], corpus: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A corpus line with the article's text and each mention's text filled in."""
    article = corpus.get(item.get("id", ""))
    if article is None:
        raise InputError(where, f"{item.get('id')!r} is not in corpus {item['corpus']!r}")
    text = article["text"]
    mentions = []
    for m in item.get("mentions", []):
        written = text[m["start"] : m["end"]]
        if mention_check(written) != m.get("check"):
            raise InputError(
                where, f"mention at {m['start']}-{m['end']} no longer matches its check"
            )
        mentions.append({**m, "text": written})
    published = item.get("published", article.get("published"))
    return {**item, "text": text, "published": published, "mentions": mentions}


def _check_mentions(where: str, item: dict[str, Any]) -> None:
    seen: Counter[str] = Counter()
    for m in item["mentions"]:
        if "start" in m:
            continue
        seen[m["text"]] += 1
        if item["text"].count(m["text"]) < seen[m["text"]]:
            raise InputError(where, f"mention {m['text']!r} occurs fewer times than labelled")


def gold_spans(item: dict[str, Any]) -> Spans:
    """(start, end, actor) of each gold mention: its offsets, else the n-th mention of a
    text is its n-th occurrence in the article."""
    found: Spans = []
    seen: Counter[str] = Counter()
    for m in item["mentions"]:
        if "start" in m:
            found.append((m["start"], m["end"], m["actor"]))
            continue
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


class _Resolved:
    """What the extraction and the cross-article resolution made of the gold articles:
    per article, (start, end, canonical id) of every entity mention and of every claim's
    speaker as written."""

    def __init__(self, store: Store, records: list[Record]) -> None:
        for record in records:
            store.save(record, WriteInfo(content_hash=record.article.id))
        update_analysis(store, [r.article.id for r in records])
        self.mentions: dict[str, Spans] = {}
        self.speakers: dict[str, Spans] = {}
        for r in records:
            links = article_canonicals(store, r.article.id)
            self.mentions[r.article.id] = [
                (m.start, m.end, links[e.id]) for e in r.entities for m in e.mentions
            ]
            self.speakers[r.article.id] = [
                (*_speaker_head(r, s.start, s.end, s.entity_id), links.get(s.entity_id or "", ""))
                for s in (c.speaker for c in r.claims)
                if s.start is not None and s.end is not None
            ]


def _speaker_head(record: Record, start: int, end: int, entity_id: str | None) -> tuple[int, int]:
    """Where a speaker as written names whom it resolves to: the first mention of its
    entity inside it ("Katie Walsh" of "RNC Chief of Staff Katie Walsh", who is not the
    RNC a gold mention labels), else the whole speaker."""
    for entity in record.entities:
        if entity.id == entity_id:
            inside = [m for m in entity.mentions if start <= m.start and m.end <= end]
            if inside:
                return inside[0].start, inside[0].end
    return start, end


def _predicted(item: dict[str, Any], spans: Spans) -> list[str | None]:
    """The canonical id of each gold mention: of the entity mention that covers it."""
    found: list[str | None] = []
    for start, end, _ in gold_spans(item):
        covering = [c for s, e, c in spans if s <= start and end <= e]
        found.append(covering[0] if covering else None)
    return found


def _resolve(gold_items: list[dict[str, Any]], settings: Settings) -> _Resolved:
    records = list(_records(gold_items, settings))
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "eval.db"), create=True)
        try:
            return _Resolved(store, records)
        finally:
            store.close()


def evaluate_entities(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """B-cubed precision, recall and F1 of cross-article actors on the articles at `path`
    (a file, or the ``*_<split>.jsonl`` files of a folder), and speaker accuracy."""
    gold_items = [item for f in gold_files(path, split) for item in read_actor_gold(f)]
    gold_items = gold_items[:limit] if limit else gold_items
    resolved = _resolve(gold_items, settings)
    gold: dict[Key, str] = {}
    predicted: dict[Key, str] = {}
    errors: list[dict[str, Any]] = []
    for item in gold_items:
        spans = gold_spans(item)
        for n, ((start, end, actor), cid) in enumerate(
            zip(spans, _predicted(item, resolved.mentions[item["id"]]), strict=True)
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
    metrics["n_mentions"] = float(len(gold))
    speakers = _speaker_scores(gold_items, gold, predicted, resolved)
    metrics.update(speakers.pop("metrics"))
    errors += speakers["errors"]
    return EvalResult("entities", str(path), split, len(gold_items), metrics, errors)


def _speaker_scores(
    items: list[dict[str, Any]],
    gold: dict[Key, str],
    predicted: dict[Key, str],
    resolved: _Resolved,
) -> dict[str, Any]:
    """Speaker accuracy: claims whose speaker (as written) overlaps a gold mention,
    right when the speaker resolves to the entity holding most of that actor's mentions."""
    votes: dict[str, Counter[str]] = {}
    for key, actor in gold.items():
        votes.setdefault(actor, Counter())[predicted[key]] += 1
    main = {actor: c.most_common(1)[0][0] for actor, c in votes.items()}
    right = total = 0
    errors = []
    for item in items:
        spans = gold_spans(item)
        for start, end, cid in resolved.speakers[item["id"]]:
            actors = {a for s, e, a in spans if s < end and start < e}
            if len(actors) != 1:
                continue
            actor = actors.pop()
            total += 1
            if cid == main[actor]:
                right += 1
            else:
                text = item["text"][start:end]
                errors.append({"kind": "speaker", "doc": item["id"], "text": text, "actor": actor})
    accuracy = right / total if total else 0.0
    return {"metrics": {"speaker_accuracy": accuracy, "n_speakers": float(total)}, "errors": errors}


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
