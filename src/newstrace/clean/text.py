"""Cleaning scraped plain text line by line, recording every line taken out and why.

The junk rules below are hand-written: the extraction libraries (trafilatura,
jusText, readability) work on HTML trees, and none cleans already-scraped plain
text line by line while reporting what it removed. Each rule must match a whole
line, so a real sentence that merely mentions an advertisement, a related story or
cookies survives; when in doubt a rule is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.clean.lines import join_paragraphs, normalise_line, title_key
from newstrace.models import Removed

# A first line longer than this is a paragraph, not a headline.
MAX_HEADLINE_CHARS = 250
REPEATED_TITLE = "repeated title"
_MAX_TITLE_LINES = 3

_MENU_ITEM = r"[\w&'’.+-]+(?: [\w&'’.+-]+){0,2}"
_SHARE_WORD = (
    r"(?:share|tweet|email|e-mail|print|facebook|twitter|x|linkedin|whatsapp|pinterest"
    r"|reddit|copy link|comment|save)"
)
_SEP = r"\s*[|•·,/]?\s*"
_NAME = r"[A-Z][\w.'’-]*"
_NAMES = rf"{_NAME}(?: {_NAME}){{0,3}}"


def _rule(
    reason: str, *alternatives: str, flags: int = re.IGNORECASE
) -> tuple[re.Pattern[str], str]:
    """One table row: a line matching any alternative as a whole is junk for `reason`."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives), flags), reason


JUNK_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    _rule(
        "advertisement",
        r"(?:advertisement|advertising|advert|ads?)[.:]?",
        r"story continues below(?: advertisement)?",
        r"continue reading(?: the main story| below)?",
        r"skip (?:this )?ad",
    ),
    _rule(
        "share buttons",
        rf"(?:share|share this(?: article| story| page)?|share on)[:.]?(?:{_SEP}{_SHARE_WORD})*",
        rf"{_SHARE_WORD}(?:{_SEP}{_SHARE_WORD})*[.:]?",
    ),
    _rule(
        "comment footer",
        r"(?:leave a (?:comment|reply)|post a comment|add a comment)[.:!]?",
        r"\d[\d,]* comments?",
        r"(?:view|show|load|read|see) (?:all )?(?:\d+ )?comments",
        r"comments? \(\d+\)",
        r"no comments(?: yet)?",
        r"join the (?:conversation|discussion)[.:!]?",
    ),
    _rule(
        "related links",
        r"[\"“]?(?:related(?: stories| articles| coverage| content)?|read more|see also"
        r"|more on this|also read|read next|you (?:may|might) also like|recommended(?: for you)?"
        r"|more from [\w .&'’-]{1,40})\s*(?:[:»>|–—-].*)?",
    ),
    _rule(
        "cookie notice",
        r"(?:we|this (?:web)?site|our (?:web)?site|by (?:continuing|using)\b)"
        r".{0,120}\bcookies?\b.*",
        r"(?:accept|reject|manage)(?: all)? cookies",
        r"cookie (?:policy|settings|preferences)",
    ),
    _rule(
        "navigation menu",
        rf"{_MENU_ITEM}(?:\s*[|•·]\s*{_MENU_ITEM}){{2,}}",
        rf"home(?:\s*[>›»]\s*{_MENU_ITEM})+",
    ),
    _rule("bare url", r"(?:https?://|www\.)\S+"),
    _rule("photo credit", r"(?:getty(?: images)?|ap photo|afp|shutterstock)(?:/[\w ]+)*[.:]?"),
    _rule(
        "section label",
        # Known labels only: other capitalised lines are subheadings, which are content.
        r"(?:ABSTRACT|FULL TEXT|CORRECTION(?: APPENDED)?|LETTERS|EDITOR'S NOTE)[.:]?",
        flags=0,
    ),
    _rule("separator", r"[\W_]*\w?[\W_]*"),
    _rule(
        "code residue",
        r"[^{}]{0,80}\{",
        r"\}[.;]?",
        r"[a-z-]+: ?[^\s;]+(?: [^\s;]+){0,4};",
        flags=0,
    ),
    _rule(
        "tracking link",
        # A link with at most three words around it; a sentence citing a link stays.
        r"(?:\S+ ){0,3}\S*(?:[?&]utm_[a-z]+=|\bbit\.ly/)\S*(?: \S+){0,3}",
        r"click here\b.*",
        r"sponsored(?: content| links?| by .*)?[.:]?",
        r"(?:sign up|subscribe)(?: now)?(?: for| to)? (?:our|the) .{0,40}newsletters?\b.{0,80}",
    ),
    _rule(
        "byline/dateline residue",
        # Case-sensitive names: "By Jane Roe and John Doe", not "By the time it ended, ...".
        rf"(?:[Bb]y|BY|Posted by|Written by) {_NAMES}(?:(?:,| and) {_NAMES})*",
        r"(?:Published|Updated|Posted|Last updated)(?: on)?:? [\w ,:./-]{0,40}\d[\w ,:./-]{0,40}",
        flags=0,
    ),
)


@dataclass(frozen=True)
class CleanedText:
    """The result of cleaning plain text: the body, its headline, and what was taken out."""

    text: str
    title: str | None
    removed: tuple[Removed, ...]


def junk_reason(line: str) -> str | None:
    """Why a (normalised) line is junk, or None for a line to keep."""
    for pattern, reason in JUNK_RULES:
        if pattern.fullmatch(line):
            return reason
    return None


def clean_text(content: str, title: str | None = None) -> CleanedText:
    """Clean scraped text: drop junk lines, find the headline, normalise whitespace.

    Without `title`, a short first line (with more text after it) is the headline.
    Leading lines repeating the title are dropped from the body. Paragraphs come
    out separated by exactly one blank line; lines inside a paragraph are kept.
    """
    lines = [normalise_line(line) for line in content.splitlines()]
    reasons = [junk_reason(line) if line else None for line in lines]
    title = normalise_line(title) if title and title.strip() else None
    title, headline_at = _find_headline(lines, reasons, title)
    _mark_repeated_title(lines, reasons, title, headline_at)
    body = [
        line or None
        for i, (line, reason) in enumerate(zip(lines, reasons, strict=True))
        if reason is None and i != headline_at
    ]
    removed = [Removed(line, reason) for line, reason in zip(lines, reasons, strict=True) if reason]
    return CleanedText(join_paragraphs(body), title, tuple(removed))


def _content_indexes(lines: list[str], reasons: list[str | None]) -> list[int]:
    return [i for i, line in enumerate(lines) if line and reasons[i] is None]


def _find_headline(
    lines: list[str], reasons: list[str | None], title: str | None
) -> tuple[str | None, int | None]:
    """The title, and the index of the line it was taken from (None when given or absent)."""
    if title is not None:
        return title, None
    content = _content_indexes(lines, reasons)
    if len(content) < 2 or len(lines[content[0]]) > MAX_HEADLINE_CHARS:
        return None, None
    return lines[content[0]], content[0]


def _mark_repeated_title(
    lines: list[str], reasons: list[str | None], title: str | None, headline_at: int | None
) -> None:
    """Mark the leading content lines that repeat the title (after the headline, if any).

    A repeat may span up to three lines ("Headline; " then "deck.", as some outlets
    print "Headline; deck" titles).
    """
    target = title_key(title or "")
    pending: list[int] = []
    joined = ""
    for i in _content_indexes(lines, reasons):
        if i == headline_at or not target:
            continue
        pending.append(i)
        joined += title_key(lines[i])
        if joined == target:
            for j in pending:
                reasons[j] = REPEATED_TITLE
            pending, joined = [], ""
        elif not target.startswith(joined) or len(pending) >= _MAX_TITLE_LINES:
            return
