"""Reader of TimeML (``.tml``) files: the TEXT as plain text, its TIMEX3s and the DCT.

Only the ``<TEXT>`` element is scored, as in TempEval-3; the title and the document
creation time (the DCT, ``functionInDocument="CREATION_TIME"``) are not mentions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from newstrace.errors import InputError


@dataclass(frozen=True)
class GoldTimex:
    """One annotated time expression: character offsets into the plain TEXT."""

    start: int
    end: int
    value: str | None
    type: str | None


@dataclass(frozen=True)
class TimexDoc:
    """A TimeML document: id, plain TEXT, DCT as YYYY-MM-DD, and its TIMEX3s."""

    id: str
    text: str
    dct: str | None
    timexes: tuple[GoldTimex, ...]


def read_timeml_folder(path: Path, limit: int | None) -> list[TimexDoc]:
    """Every ``.tml`` file under `path` (or `path` itself), sorted by path; the first `limit`."""
    files = [path] if path.is_file() else sorted(path.rglob("*.tml"))
    if not files:
        raise InputError(str(path), "no .tml files found")
    return [read_timeml(f) for f in files[:limit]]


def read_timeml(path: Path) -> TimexDoc:
    """One TimeML file; raises `InputError` when it is not well-formed or has no TEXT."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise InputError(str(path), f"not a readable TimeML file: {exc}") from exc
    body = root.find("TEXT")
    if body is None:
        raise InputError(str(path), "no <TEXT> element")
    pieces: list[str] = []
    timexes: list[GoldTimex] = []
    _walk(body, pieces, timexes)
    docid = root.findtext("DOCID") or path.stem.removesuffix(".tml")
    return TimexDoc(docid.strip(), "".join(pieces), _dct(root), tuple(timexes))


def _walk(element: ET.Element, pieces: list[str], timexes: list[GoldTimex]) -> None:
    pieces.append(element.text or "")
    for child in element:
        start = sum(map(len, pieces))
        _walk(child, pieces, timexes)
        if child.tag == "TIMEX3":
            end = sum(map(len, pieces))
            timexes.append(GoldTimex(start, end, child.get("value"), child.get("type")))
        pieces.append(child.tail or "")


def _dct(root: ET.Element) -> str | None:
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            value = timex.get("value") or ""
            return value[:10] if len(value) >= 10 else None
    return None
