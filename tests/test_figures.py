"""Figures: numerals, number words, qualifiers, ranges and units."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newstrace.extract.figures import extract_figures
from newstrace.extract.numbers import parse_number
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(Settings())


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["14,000"], 14000),
        (["1.2", "million"], 1_200_000),
        (["ten", "-", "thousand"], 10_000),
        (["two", "hundred", "fifty"], 250),
        (["a", "dozen"], 12),
    ],
)
def test_parse_number(words: list[str], value: float) -> None:
    assert parse_number(words) == value


def _one(nlp: Language, text: str) -> tuple[object, ...]:
    figures = extract_figures(nlp(text))
    assert len(figures) == 1, figures
    f = figures[0]
    assert text[f.start : f.end] == f.text
    return (f.text, f.value, f.low, f.high, f.qualifier, f.unit)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "As many as 4,000 troops crossed the river.",
            ("As many as 4,000", 4000, None, 4000, "as many as", "troops"),
        ),
        (
            "About ten-thousand soldiers were deployed.",
            ("About ten-thousand", 10000, None, None, "about", "soldiers"),
        ),
        (
            "More than 14,000 homes were destroyed.",
            ("More than 14,000", 14000, 14000, None, "more than", "homes"),
        ),
        ("Nearly 500 tanks were lost.", ("Nearly 500", 500, None, 500, "nearly", "tanks")),
        ("At least 40 civilians died.", ("At least 40", 40, 40, None, "at least", "civilians")),
        ("Up to 12 drones were shot down.", ("Up to 12", 12, None, 12, "up to", "drones")),
        (
            "Officials counted 1.2 million refugees.",
            ("1.2 million", 1_200_000, 1_200_000, 1_200_000, None, "refugees"),
        ),
        (
            "Several thousand shells fell.",
            ("Several thousand", None, 3000, 9000, "several", "shells"),
        ),
        (
            "Millions of people fled the fighting.",
            ("Millions", None, 2_000_000, None, "millions of", "people"),
        ),
        (
            "Tens of thousands of protesters marched.",
            ("Tens of thousands", None, 20000, 99999, "tens of thousands of", "protesters"),
        ),
        (
            "Between 3,000 and 5,000 soldiers died.",
            ("3,000 and 5,000", 4000, 3000, 5000, None, "soldiers"),
        ),
        (
            "The army lost 3,000 to 5,000 soldiers.",
            ("3,000 to 5,000", 4000, 3000, 5000, None, "soldiers"),
        ),
        ("Support rose to 40 percent.", ("40 percent", 40, 40, 40, None, "percent")),
        ("The aid package is worth $2 billion.", ("$2 billion", 2e9, 2e9, 2e9, None, "dollars")),
        ("They recruited 300 or more men.", ("300 or more", 300, 300, None, "or more", "men")),
    ],
)
def test_figure(nlp: Language, text: str, expected: tuple[object, ...]) -> None:
    assert _one(nlp, text) == expected


@pytest.mark.model
def test_skips_years_dates_times_and_ordinals(nlp: Language) -> None:
    doc = nlp("In 2024, the first convoy left on March 3 at 10:30 a.m., the third in a row.")
    assert extract_figures(doc) == []
