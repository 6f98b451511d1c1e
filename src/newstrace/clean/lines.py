"""Line-level helpers shared by the text and HTML cleaners."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")
# A final period, also when a closing quote or bracket follows it ("... Nature.’").
_FINAL_PERIOD = re.compile(r"\.+(?=[\"'’”»)\]]*$)")


def normalise_line(line: str) -> str:
    """One line in NFC with runs of whitespace collapsed and no leading/trailing spaces."""
    return unicodedata.normalize("NFC", " ".join(line.split()))


def title_key(text: str) -> str:
    """`text` compared as a title: case, whitespace and a final period ignored."""
    squeezed = _SPACES.sub("", unicodedata.normalize("NFC", text))
    return _FINAL_PERIOD.sub("", squeezed).casefold()


def same_title(line: str, title: str | None) -> bool:
    """True when `line` repeats `title` (see `title_key`)."""
    return bool(title) and title_key(line) == title_key(title or "") != ""


def join_paragraphs(lines: Iterable[str | None]) -> str:
    """Lines joined with newlines, a `None` marking a paragraph break (one blank line)."""
    out: list[str] = []
    for line in lines:
        if line is None:
            if out and out[-1] != "":
                out.append("")
        else:
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
