"""The article text with its claims, entities, figures and dates marked up, safely.

Article text is hostile input. Every piece of it passes through `markupsafe.escape`
before it is joined with the tags built here, and every attribute value is escaped
too; the result is the only `Markup` made from article content.

Spans may overlap (a speaker inside another claim's content, a figure inside a
content span). They are turned into properly nested elements by cutting the text at
every span boundary and, for each piece, closing and reopening only what changed; a
span cut in two keeps its `id` on the first piece only, so `#c3` anchors are unique.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from newstrace.models import Claim, Record
from newstrace.web.paths import entity_href

# Outer elements first when two spans cover the same text.
_RANK = {"content": 0, "speaker": 1, "cue": 1, "entity": 2, "figure": 3, "time": 3}


@dataclass(frozen=True)
class Mark:
    """One element to wrap around `text[start:end]`."""

    start: int
    end: int
    kind: str
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    anchor: str | None = None

    @property
    def order(self) -> tuple[int, int, int]:
        """Earlier and longer spans go outside."""
        return (self.start, -self.end, _RANK.get(self.kind, 9))

    def open_tag(self, first: bool) -> str:
        """The opening tag; the anchor id only on the first piece."""
        attrs = list(self.attrs)
        if first and self.anchor:
            attrs.insert(0, ("id", self.anchor))
        rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs)
        return f"<{self.tag}{rendered}>"

    def close_tag(self) -> str:
        return f"</{self.tag}>"


def record_marks(record: Record) -> list[Mark]:
    """Every mark of an article: claim parts, entity mentions, figures, dates."""
    marks: list[Mark] = []
    for claim in record.claims:
        marks.extend(claim_marks(claim))
    for entity in record.entities:
        title = f"{entity.name} ({entity.type})"
        for mention in entity.mentions:
            attrs = (
                ("class", f"ent ent-{entity.type.lower()}"),
                ("href", entity_href(entity.name)),
            )
            marks.append(
                Mark(mention.start, mention.end, "entity", "a", (*attrs, ("title", title)))
            )
    for figure in record.figures:
        marks.append(
            Mark(
                figure.start,
                figure.end,
                "figure",
                "span",
                _figure_attrs(record, figure.id),
                figure.id,
            )
        )
    for time in record.times:
        title = f"{time.value or 'unresolved'} ({time.granularity})"
        time_attrs = (("class", "time"), ("title", title), ("data-value", time.value or ""))
        marks.append(Mark(time.start, time.end, "time", "time", time_attrs, time.id))
    length = len(record.article.text)
    return [m for m in marks if 0 <= m.start < m.end <= length]


def claim_marks(claim: Claim) -> list[Mark]:
    """Speaker, cue and content of one claim as distinct marks."""
    base = (("data-claim", claim.id),)
    content_cls = f"claim-content stance-{claim.stance}" + (" hedged" if claim.hedged else "")
    title = f"{claim.id}: {claim.kind}, {claim.stance}" + (", hedged" if claim.hedged else "")
    marks = [
        Mark(
            claim.content.start,
            claim.content.end,
            "content",
            "mark",
            (("class", content_cls), ("title", title), *base),
            claim.id,
        )
    ]
    speaker = claim.speaker
    if speaker.start is not None and speaker.end is not None:
        marks.append(
            Mark(speaker.start, speaker.end, "speaker", "mark", (("class", "claim-speaker"), *base))
        )
    if claim.cue is not None:
        marks.append(
            Mark(claim.cue.start, claim.cue.end, "cue", "mark", (("class", "claim-cue"), *base))
        )
    return marks


def _figure_attrs(record: Record, figure_id: str) -> tuple[tuple[str, str], ...]:
    figure = next(f for f in record.figures if f.id == figure_id)
    parts = [f"value {_num(figure.value)}"]
    if figure.low is not None or figure.high is not None:
        parts.append(f"range {_num(figure.low)} to {_num(figure.high)}")
    if figure.qualifier:
        parts.append(f"qualifier “{figure.qualifier}”")
    if figure.unit:
        parts.append(f"unit {figure.unit}")
    return (("class", "figure"), ("title", "; ".join(parts)), ("data-value", _num(figure.value)))


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def render_marked(text: str, marks: Iterable[Mark]) -> Markup:
    """`text` escaped, with `marks` as properly nested elements."""
    ordered = sorted(marks, key=lambda m: m.order)
    cuts = sorted({0, len(text), *(m.start for m in ordered), *(m.end for m in ordered)})
    out: list[str] = []
    stack: list[Mark] = []
    opened: set[int] = set()
    for left, right in pairwise(cuts):
        wanted = [m for m in ordered if m.start <= left and m.end >= right]
        keep = _common_prefix(stack, wanted)
        out.extend(m.close_tag() for m in reversed(stack[keep:]))
        for mark in wanted[keep:]:
            out.append(mark.open_tag(first=id(mark) not in opened))
            opened.add(id(mark))
        stack = wanted
        out.append(str(escape(text[left:right])))
    out.extend(m.close_tag() for m in reversed(stack))
    return Markup("".join(out))


def _common_prefix(a: Sequence[Mark], b: Sequence[Mark]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x is not y:
            break
        n += 1
    return n


def highlight_record(record: Record) -> Markup:
    """The article's cleaned text, every claim, entity, figure and date marked."""
    return render_marked(record.article.text, record_marks(record))
