"""Reader of CoNLL-2003 NER files (``token POS chunk NER``, ``-DOCSTART-`` between documents).

Each document becomes one text: tokens joined by single spaces, sentences by a
newline, so gold entities get exact character offsets. Tags may be IOB1 or IOB2: an
entity starts at a ``B-`` tag or where the type changes after ``O`` or another type.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newstrace.errors import InputError


@dataclass(frozen=True)
class GoldEntity:
    """One annotated entity: character offsets into the document text and its type."""

    start: int
    end: int
    type: str


@dataclass(frozen=True)
class NerDoc:
    """A CoNLL document as plain text with its gold entities."""

    id: str
    text: str
    entities: tuple[GoldEntity, ...]


def conll_file(path: Path, split: str) -> Path:
    """`path` itself, or the ``*_<split>.txt`` / ``<split>.txt`` file in the folder `path`."""
    if path.is_file():
        return path
    found = sorted(path.glob(f"*{split}.txt"))
    if not found:
        raise InputError(str(path), f"no CoNLL file for split {split!r} (*{split}.txt)")
    return found[0]


def read_conll(path: Path, limit: int | None = None) -> list[NerDoc]:
    """The documents of the CoNLL file at `path`; the first `limit` of them."""
    docs: list[NerDoc] = []
    sentences: list[list[tuple[str, str]]] = [[]]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split()
        if not fields:
            sentences.append([])
        elif fields[0] == "-DOCSTART-":
            _close(docs, sentences, path)
            sentences = [[]]
        elif len(fields) < 2:
            raise InputError(f"{path}:{number}", "expected 'token ... NER-tag' columns")
        else:
            sentences[-1].append((fields[0], fields[-1]))
        if limit is not None and len(docs) >= limit:
            return docs[:limit]
    _close(docs, sentences, path)
    return docs[:limit] if limit is not None else docs


def _close(docs: list[NerDoc], sentences: list[list[tuple[str, str]]], path: Path) -> None:
    sentences = [s for s in sentences if s]
    if sentences:
        docs.append(build_doc(f"{path.stem}#{len(docs) + 1}", sentences))


def build_doc(doc_id: str, sentences: list[list[tuple[str, str]]]) -> NerDoc:
    """A `NerDoc` from sentences of (token, tag) pairs."""
    parts: list[str] = []
    entities: list[GoldEntity] = []
    offset = 0
    for n, sentence in enumerate(sentences):
        if n:
            parts.append("\n")
            offset += 1
        open_entity: tuple[int, int, str] | None = None
        previous = "O"
        for i, (token, tag) in enumerate(sentence):
            if i:
                parts.append(" ")
                offset += 1
            kind = tag[2:] if tag != "O" else ""
            starts = tag.startswith("B-") or (kind and kind != previous[2:])
            if open_entity and (not kind or starts):
                entities.append(GoldEntity(*open_entity))
                open_entity = None
            if kind and open_entity is None:
                open_entity = (offset, offset, kind)
            parts.append(token)
            offset += len(token)
            if open_entity:
                open_entity = (open_entity[0], offset, kind)
            previous = tag
        if open_entity:
            entities.append(GoldEntity(*open_entity))
    return NerDoc(doc_id, "".join(parts), tuple(entities))
