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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from newstrace.models import Claim, Figure, Record
from newstrace.paths import entity_href

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


def record_marks(record: Record, canonical: Mapping[str, str] | None = None) -> list[Mark]:
    """Every mark of an article: claim parts, entity mentions (linked to their
    cross-article entity in `canonical`, else by name), figures, dates."""
    marks: list[Mark] = []
    for claim in record.claims:
        marks.extend(claim_marks(claim))
    for entity in record.entities:
        title = f"{entity.name} ({entity.type})"
        for mention in entity.mentions:
            attrs = (
                ("class", f"ent ent-{entity.type.lower()}"),
                ("href", entity_href((canonical or {}).get(entity.id, entity.name))),
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
                _figure_attrs(figure),
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


def _figure_attrs(figure: Figure) -> tuple[tuple[str, str], ...]:
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
    """`text` escaped, with `marks` as properly nested elements.

    One sweep over the cut points: at each cut the open elements above the lowest one
    that ends there are closed, the ended ones dropped, the rest reopened and the marks
    starting there opened on top. Marks that start later sort later, so the stack stays
    in mark order without re-sorting, and the work is linear in the text plus the tags
    written (the old per-cut scan of every mark made long quote-heavy articles take
    minutes).
    """
    starting: dict[int, list[Mark]] = {}
    for mark in sorted(marks, key=lambda m: m.order):
        starting.setdefault(mark.start, []).append(mark)
    ends = {m.end for group in starting.values() for m in group}
    cuts = sorted({0, len(text), *starting, *ends})
    out: list[str] = []
    stack: list[Mark] = []
    for left, right in pairwise(cuts):
        keep = next((i for i, m in enumerate(stack) if m.end <= left), len(stack))
        out.extend(m.close_tag() for m in reversed(stack[keep:]))
        reopened = [m for m in stack[keep:] if m.end > left]
        out.extend(m.open_tag(first=False) for m in reopened)
        opened = [m for m in starting.get(left, ()) if m.end > left]
        out.extend(m.open_tag(first=True) for m in opened)
        stack = stack[:keep] + reopened + opened
        out.append(str(escape(text[left:right])))
    out.extend(m.close_tag() for m in reversed(stack))
    return Markup("".join(out))


def highlight_record(record: Record, canonical: Mapping[str, str] | None = None) -> Markup:
    """The article's cleaned text, every claim, entity, figure and date marked; entity
    links go to the cross-article entity of each article entity (`canonical`)."""
    return render_marked(record.article.text, record_marks(record, canonical))
