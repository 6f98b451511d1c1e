"""Readers of gold attributions: PolNeAR folders (brat standoff) and generic JSON Lines.

PolNeAR layout: ``data/<split>/text/<name>.txt`` and
``data/<split>/attributions/<name>_<annotator>.ann``, with ``data/metadata.tsv``
giving each article's publication date and annotators.

Several annotators: some articles (agreement sets) have one ``.ann`` file per
annotator. Exactly one is used, deterministically: the first annotator listed for
the article in ``metadata.tsv`` (column ``annotators``, ``|``-separated) that has a
file, else the alphabetically first file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newstrace.errors import InputError
from newstrace.evaluation.scoring import CharSpan

ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution; each role is a list of fragments (empty when absent)."""

    source: tuple[CharSpan, ...]
    cue: tuple[CharSpan, ...]
    content: tuple[CharSpan, ...]

    def role(self, name: str) -> tuple[CharSpan, ...]:
        """The fragments of role `name` (``source``, ``cue`` or ``content``)."""
        spans: tuple[CharSpan, ...] = getattr(self, name)
        return spans


@dataclass(frozen=True)
class AttributionDoc:
    """A text as the data set gives it, its date, and its gold attributions."""

    id: str
    text: str
    published: str | None
    attributions: tuple[GoldAttribution, ...]


def bio_labels(offsets: Sequence[CharSpan], doc: AttributionDoc) -> np.ndarray:
    """(units, roles) BIO labels (0 O, 1 B, 2 I per `ROLES`) of text units (wordpieces or
    tokens) at `offsets`, from the document's gold attributions: training data for taggers."""
    labels = np.zeros((len(offsets), len(ROLES)), dtype=np.int64)
    for r, role in enumerate(ROLES):
        spans = sorted({s for a in doc.attributions for s in a.role(role)})
        starts = {s for s, _ in spans}
        for i, (a, b) in enumerate(offsets):
            if not any(s < b and a < e for s, e in spans):
                continue
            prev_end = offsets[i - 1][1] if i else -1
            begins = any(prev_end <= s < b for s in starts) or i == 0 or labels[i - 1, r] == 0
            labels[i, r] = 1 if begins else 2
    return labels


def read_attribution_data(path: Path, split: str, limit: int | None) -> list[AttributionDoc]:
    """Documents of a PolNeAR-style folder (the `split` compartment) or a JSON Lines file."""
    docs = _read_jsonl(path) if path.is_file() else _read_polnear(path, split)
    return docs[:limit] if limit is not None else docs


def _read_polnear(root: Path, split: str) -> list[AttributionDoc]:
    data = root / "data" if (root / "data").is_dir() else root
    texts = sorted((data / split / "text").glob("*.txt"))
    if not texts:
        raise InputError(str(data / split / "text"), "no .txt files: not a PolNeAR-style folder")
    meta = _read_metadata(data / "metadata.tsv")
    docs = []
    for text_path in texts:
        name = text_path.stem
        ann = _pick_annotation(data / split / "attributions", name, meta.get(name, {}))
        text = text_path.read_text(encoding="utf-8")
        attributions = parse_brat(ann.read_text(encoding="utf-8")) if ann else ()
        published = meta.get(name, {}).get("publication_date") or None
        docs.append(AttributionDoc(name, text, published, attributions))
    return docs


def _read_metadata(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _pick_annotation(folder: Path, name: str, meta: dict[str, str]) -> Path | None:
    for annotator in (meta.get("annotators") or "").split("|"):
        candidate = folder / f"{name}_{annotator}.ann"
        if annotator and candidate.is_file():
            return candidate
    files = sorted(folder.glob(f"{name}_*.ann"))
    return files[0] if files else None


def parse_brat(ann: str) -> tuple[GoldAttribution, ...]:
    """The attributions (``E`` lines) of one brat standoff file, in file order."""
    spans: dict[str, tuple[CharSpan, ...]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            spans[fields[0]] = _fragments(fields[1])
        elif line.startswith("E") and len(fields) >= 2:
            args = (arg.split(":", 1) for arg in fields[1].split() if ":" in arg)
            events.append({role.lower(): ref for role, ref in args})
    return tuple(
        GoldAttribution(*(spans.get(event.get(role, ""), ()) for role in ROLES)) for event in events
    )


def _fragments(kind_and_offsets: str) -> tuple[CharSpan, ...]:
    _, _, offsets = kind_and_offsets.partition(" ")
    found = []
    for piece in offsets.split(";"):
        start, _, end = piece.strip().partition(" ")
        found.append((int(start), int(end)))
    return tuple(found)


def _read_jsonl(path: Path) -> list[AttributionDoc]:
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            docs.append(_doc_from_json(json.loads(line), number))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}:{number}", f"not a generic attribution record: {exc}"
            ) from exc
    return docs


def _doc_from_json(data: dict[str, Any], number: int) -> AttributionDoc:
    attributions = tuple(
        GoldAttribution(*(_json_spans(item.get(role)) for role in ROLES))
        for item in data.get("attributions", [])
    )
    return AttributionDoc(
        str(data.get("id", number)), data["text"], data.get("published"), attributions
    )


def _json_spans(value: Any) -> tuple[CharSpan, ...]:
    """A span ``{"start", "end"}``, a list of them (discontinuous), or null."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple((int(item["start"]), int(item["end"])) for item in items)
