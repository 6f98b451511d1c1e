"""Build tests/data/quotes/dev.jsonl from its source, tests/data/quotes/dev.md.

Each quotation in an article (curly marks; one that runs over paragraphs leaves the
closing mark off and reopens the next paragraph, as news does) becomes a gold quote:
the words inside the marks, without the comma that closes it before an attribution.
Its speaker is the article's next ``>> name`` line (``>> -``: no one). Run from the
repository root: ``python scripts/build_quote_set.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "tests" / "data" / "quotes" / "dev.md"
OUT = REPO / "tests" / "data" / "quotes" / "dev.jsonl"


def quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) inside the marks of each quotation, in text order."""
    found = []
    i = 0
    while (start := text.find("“", i)) >= 0:
        end = _close(text, start)
        inner_end = end
        while text[inner_end - 1] == ",":
            inner_end -= 1
        found.append((start + 1, inner_end))
        i = end + 1
    return found


def _close(text: str, start: int) -> int:
    """Where the quotation opened at `start` closes, paragraph by paragraph."""
    while True:
        para_end = text.find("\n\n", start)
        para_end = len(text) if para_end < 0 else para_end
        end = text.find("”", start, para_end)
        if end >= 0:
            return end
        if not text.startswith("\n\n“", para_end):
            raise ValueError(f"unclosed quotation at {start}: {text[start : start + 40]!r}")
        start = para_end + 2


def articles(source: str) -> list[dict[str, object]]:
    """The articles of the source, each with its gold quotes."""
    out = []
    for block in re.split(r"^## ", source, flags=re.M)[1:]:
        name, _, body = block.partition("\n")
        lines = body.strip("\n").splitlines()
        speakers = [line[3:].strip() for line in lines if line.startswith(">> ")]
        text = "\n".join(line for line in lines if not line.startswith(">> ")).strip()
        spans = quotations(text)
        if len(spans) != len(speakers):
            raise ValueError(f"{name}: {len(spans)} quotations, {len(speakers)} speakers")
        quotes = [
            {"start": s, "end": e, "speaker": None if who == "-" else who, "text": text[s:e]}
            for (s, e), who in zip(spans, speakers, strict=True)
        ]
        out.append({"id": name.strip(), "text": text, "quotes": quotes})
    return out


def main() -> None:
    """Write the JSON Lines file."""
    items = articles(SOURCE.read_text(encoding="utf-8"))
    OUT.write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8"
    )
    n = sum(len(item["quotes"]) for item in items)  # type: ignore[arg-type]
    print(f"{OUT.relative_to(REPO)}: {len(items)} articles, {n} quotes")


if __name__ == "__main__":
    main()
