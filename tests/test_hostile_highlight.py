"""The article highlighter on long, mark-heavy text: linear, and still exact."""

from __future__ import annotations

import html
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from newstrace.web.highlight import Mark, render_marked

QUOTE = '"The {n} boats left Port Elsin on Tuesday," said Mira Tolvan. '
TAG = re.compile(r"<(/?)(\w+)([^>]*)>")


def quote_heavy(count: int) -> tuple[str, list[Mark]]:
    """`count` quotes, each with content, speaker, cue, figure and date marks."""
    text, marks = "", []
    for n in range(count):
        sentence, at = QUOTE.format(n=n), len(text)
        for part, kind, tag in (
            (sentence[1 : sentence.index(',"')], "content", "mark"),
            ("Mira Tolvan", "speaker", "mark"),
            ("said", "cue", "mark"),
            (str(n), "figure", "span"),
            ("Tuesday", "time", "time"),
        ):
            start = at + sentence.index(part)
            marks.append(
                Mark(start, start + len(part), kind, tag, (("class", kind),), f"m{n}{kind}")
            )
        text += sentence
    return text, marks


def seconds(count: int) -> float:
    text, marks = quote_heavy(count)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        render_marked(text, marks)
        best = min(best, time.perf_counter() - start)
    return best


def test_highlighting_is_linear_in_text_and_marks() -> None:
    """Every cut point used to scan every mark: 190 KB of quotes took 86 s."""
    small, large = seconds(500), seconds(2000)
    assert large < 8 * small  # 4x the marks: about 4x the time (quadratic gives 16x)


def covering(out: str) -> tuple[str, list[set[str]]]:
    """The text of rendered output, and for each character the marks open around it."""
    stack: list[tuple[str, str]] = []
    text, open_at = [], []
    pos = 0
    for match in TAG.finditer(out + "<end>"):
        piece = html.unescape(out[pos : match.start()])
        text.append(piece)
        open_at.extend([{k for _, k in stack}] * len(piece))
        pos = match.end()
        closing, tag, attrs = match.groups()
        if tag == "end":
            break
        if closing:
            assert stack.pop()[0] == tag  # properly nested
        else:
            stack.append((tag, re.search(r'data-k="(\d+)"', attrs).group(1)))  # type: ignore[union-attr]
    assert stack == []
    return "".join(text), open_at


spans = st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted)


@given(
    st.text(alphabet="ab <>&\"'é", max_size=40),
    st.lists(st.tuples(spans, st.sampled_from(["content", "speaker", "figure"])), max_size=12),
)
def test_every_character_sits_inside_exactly_the_marks_covering_it(
    text: str, chosen: list[tuple[list[int], str]]
) -> None:
    marks = [
        Mark(a, b, kind, "span", (("data-k", str(k)),), f"id{k}")
        for k, ((a, b), kind) in enumerate(chosen)
    ]
    out = str(render_marked(text, marks))
    plain, open_at = covering(out)
    assert plain == text
    for pos in range(len(text)):
        assert open_at[pos] == {str(k) for k, m in enumerate(marks) if m.start <= pos < m.end}
    for k, mark in enumerate(marks):
        expected = 1 if mark.start < mark.end else 0
        assert out.count(f'id="id{k}"') == expected
