"""Article bodies from raw HTML, scored as the Zyte article-extraction benchmark does.

Each page in ``html/<id>.html.gz`` goes through newstrace's cleaning (`clean_document`
on an HTML `RawDocument`, as ingest does) and the body is compared with
``ground-truth.json`` by the benchmark's measure: ``\\w+`` tokens, multisets of
4-gram shingles, per-document tp/fp/fn normalised to sum 1, precision and recall
averaged over documents (documents with nothing on that side skipped), F1 the
harmonic mean of the two means; accuracy is the share of documents whose token
sequence equals the gold one.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newstrace.clean import clean_document
from newstrace.errors import InputError
from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import WORD, f1_of
from newstrace.models import RawDocument
from newstrace.settings import Settings

SHINGLE = 4


def evaluate_article(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """Score newstrace's HTML cleaning on the benchmark folder `path` (no splits)."""
    del split, settings  # the benchmark is one set; cleaning takes no settings
    gold = read_ground_truth(path)
    ids = sorted(gold)[:limit]
    predicted = {i: extract_body(path / "html" / f"{i}.html.gz", gold[i].get("url")) for i in ids}
    bodies = {i: gold[i].get("articleBody") or "" for i in ids}
    metrics, per_doc = score_bodies(bodies, predicted)
    errors = [
        {"kind": "document", "doc": i, "url": gold[i].get("url"), **scores}
        for i, scores in sorted(per_doc.items(), key=lambda item: item[1]["f1"])
    ]
    return EvalResult("article", str(path), None, len(ids), metrics, errors)


def read_ground_truth(path: Path) -> dict[str, dict[str, Any]]:
    """``ground-truth.json`` of the benchmark folder: ``{id: {"articleBody", "url"}}``."""
    try:
        data = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"not an article-extraction benchmark folder: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("output"), dict):
        data = data["output"]
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def extract_body(page: Path, url: str | None) -> str:
    """newstrace's cleaned body of one gzipped HTML page."""
    try:
        html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
    except (OSError, EOFError) as exc:
        raise InputError(str(page), f"cannot read the page: {exc}") from exc
    return clean_document(RawDocument(str(page), "html", html, url=url)).text


def score_bodies(
    gold: Mapping[str, str], predicted: Mapping[str, str]
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Benchmark metrics over the documents of `gold`, and each document's own scores."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = 0
    per_doc: dict[str, dict[str, float]] = {}
    for doc_id, body in gold.items():
        tp, fp, fn = shingle_counts(body, predicted.get(doc_id, ""))
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
        same = WORD.findall(body) == WORD.findall(predicted.get(doc_id, ""))
        exact += same
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per_doc[doc_id] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1_of(p, r), 4),
        }
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    metrics = {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1_of(precision, recall), 4),
        "accuracy": round(exact / len(gold), 4) if gold else 0.0,
    }
    return metrics, per_doc


def shingle_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """The (tp, fp, fn) of one document's 4-gram shingles, normalised to sum 1 (or all 0)."""
    g, p = _shingles(gold), _shingles(predicted)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = WORD.findall(text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))
