"""Time normalisation: a table of relative cases (no model) and extraction from Docs."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from newstrace.extract.times import extract_times, normalize_time
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

PUB = date(2025, 3, 10)  # a Monday


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(Settings())


@pytest.mark.parametrize(
    ("text", "tense", "value", "granularity"),
    [
        ("Saturday", "past", "2025-03-08", "day"),
        ("on Saturday", "past", "2025-03-08", "day"),
        ("Monday", "past", "2025-03-10", "day"),
        ("Monday", "future", "2025-03-17", "day"),
        ("Thursday", "future", "2025-03-13", "day"),
        ("last Monday", "past", "2025-03-03", "day"),
        ("next Friday", "past", "2025-03-14", "day"),
        ("Friday night", "past", "2025-03-07", "day"),
        ("yesterday", "past", "2025-03-09", "day"),
        ("today", "present", "2025-03-10", "day"),
        ("tomorrow", "future", "2025-03-11", "day"),
        ("since last June", "past", "2024-06", "month"),
        ("last June", "past", "2024-06", "month"),
        ("in June", "past", "2024-06", "month"),
        ("in June", "future", "2025-06", "month"),
        ("in February", "past", "2025-02", "month"),
        ("next March", "future", "2026-03", "month"),
        ("June 5", "past", "2024-06-05", "day"),
        ("late last year", "past", "2024", "year"),
        ("earlier this year", "past", "2025", "year"),
        ("next year", "future", "2026", "year"),
        ("this week", "past", "2025-W11", "week"),
        ("last week", "past", "2025-W10", "week"),
        ("last month", "past", "2025-02", "month"),
        ("earlier this month", "past", "2025-03", "month"),
        ("since 2022", "past", "2022", "year"),
        ("in 2023", "past", "2023", "year"),
        ("April 26, 2025", "past", "2025-04-26", "day"),
        ("26 April 2025", "past", "2025-04-26", "day"),
        ("March 2024", "past", "2024-03", "month"),
        ("the fourth quarter of 2024", "past", "2024-Q4", "quarter"),
        ("last quarter", "past", "2024-Q4", "quarter"),
        ("last summer", "past", "2024-SU", "season"),
        ("the 1990s", "past", "199", "decade"),
        ("two weeks ago", "past", "2025-W09", "week"),
        ("three days ago", "past", "2025-03-07", "day"),
        ("a year ago", "past", "2024", "year"),
        ("recently", "past", "PAST_REF", "unknown"),
        ("in recent weeks", "past", "PAST_REF", "unknown"),
        ("in the coming months", "future", "FUTURE_REF", "unknown"),
        ("currently", "present", "PRESENT_REF", "unknown"),
        ("the third quarter", "past", "2024-Q3", "quarter"),
        ("the first quarter", "past", "2025-Q1", "quarter"),
        ("third-quarter", "past", "2024-Q3", "quarter"),
        ("the quarter", "past", "2024-Q4", "quarter"),
        ("the latest quarter", "past", "2024-Q4", "quarter"),
        ("two weeks", "past", "P2W", "week"),
        ("the past six months", "past", "P6M", "month"),
        ("a week", "past", "P1W", "week"),
        ("14 days", "past", "P14D", "day"),
        ("two-year", "past", "P2Y", "year"),
        ("several months", "past", "PXM", "month"),
        ("five hours", "past", "PT5H", "unknown"),
        ("Oct. 23", "present", "2024-10-23", "day"),
        ("May 2", "present", "2025-05-02", "day"),
    ],
)
def test_normalize_relative(text: str, tense: str, value: str, granularity: str) -> None:
    assert normalize_time(text, PUB, tense) == (value, granularity)  # type: ignore[arg-type]


# (phrase, publication date, tense, value): the season and weekend rules of extract.times
SEASONS_AND_WEEKENDS = [
    ("the start of last spring", date(2015, 12, 8), "past", "2015-SP"),  # issue 18
    ("last spring", date(2016, 4, 8), "past", "2015-SP"),  # in spring: the one before
    ("last spring", date(2015, 2, 8), "past", "2014-SP"),
    ("last fall", date(1999, 5, 7), "past", "1998-FA"),  # TimeBank APW19990507
    ("last fall", date(1998, 2, 6), "past", "1997-FA"),  # TimeBank NYT19980206
    ("this summer", date(1998, 3, 22), "present", "1998-SU"),  # TimeBank APW19980322
    ("this summer", date(1989, 11, 1), "past", "1989-SU"),  # TimeBank wsj_0348
    ("this spring", date(2015, 12, 8), "future", "2016-SP"),
    ("next spring", date(2015, 4, 1), "future", "2016-SP"),
    ("last winter", date(2016, 3, 1), "past", "2015-WI"),  # December 2015 to February
    ("last winter", date(2016, 1, 10), "past", "2014-WI"),  # it is winter 2015 now
    ("this weekend", date(2015, 12, 1), "future", "2015-W49-WE"),  # a Tuesday: issue 18
    ("this weekend", date(2015, 12, 1), "present", "2015-W49-WE"),
    ("the weekend", date(2015, 12, 1), "past", "2015-W48-WE"),  # the one just gone
    ("this weekend", date(2015, 12, 5), "past", "2015-W49-WE"),  # a Saturday: this one
    ("last weekend", date(2015, 12, 1), "past", "2015-W48-WE"),
    ("last weekend", date(2015, 12, 6), "past", "2015-W48-WE"),  # a Sunday
    ("next weekend", date(2015, 12, 1), "future", "2015-W50-WE"),
]


@pytest.mark.parametrize(("text", "published", "tense", "value"), SEASONS_AND_WEEKENDS)
def test_seasons_and_weekends(text: str, published: date, tense: str, value: str) -> None:
    found = normalize_time(text, published, tense)  # type: ignore[arg-type]
    assert found is not None and found[0] == value


def test_the_season_and_weekend_table_of_the_docs_is_what_extraction_does() -> None:
    """Each row of the table in docs/explanation/extraction.md (phrase, publication
    date, tense, value) is what `normalize_time` gives."""
    import re
    from pathlib import Path

    doc = Path(__file__).resolve().parents[1] / "docs" / "explanation" / "extraction.md"
    row = re.compile(r"^\| ([a-z ]+) \| (\d{4}-\d\d-\d\d)[^|]* \| (\w+) \| `([^`]+)` \|$")
    rows = [m.groups() for line in doc.read_text().splitlines() if (m := row.match(line))]
    assert len(rows) >= 12
    for text, published, tense, value in rows:
        found = normalize_time(text, date.fromisoformat(published), tense)  # type: ignore[arg-type]
        assert found is not None and found[0] == value, (text, published, tense)


def test_absolute_dates_resolve_without_publication_date() -> None:
    assert normalize_time("April 26, 2025", None) == ("2025-04-26", "day")
    assert normalize_time("in 2023", None) == ("2023", "year")


def test_relative_dates_need_publication_date() -> None:
    assert normalize_time("Saturday", None) == (None, "day")
    assert normalize_time("last June", None) == (None, "month")


@pytest.mark.model
def test_weekday_past_verb(nlp: Language) -> None:
    doc = nlp("The minister resigned on Tuesday.")
    times = extract_times(doc, "2025-03-10")
    assert [(t.text, t.value) for t in times] == [("Tuesday", "2025-03-04")]


@pytest.mark.model
def test_weekday_future_verb(nlp: Language) -> None:
    doc = nlp("The leaders will meet on Thursday in Geneva.")
    times = extract_times(doc, "2025-03-10")
    assert [(t.text, t.value) for t in times] == [("Thursday", "2025-03-13")]


@pytest.mark.model
def test_month_future_verb(nlp: Language) -> None:
    doc = nlp("The new law will take effect in June.")
    assert [t.value for t in extract_times(doc, "2025-03-10")] == ["2025-06"]


@pytest.mark.model
def test_since_is_kept_in_span(nlp: Language) -> None:
    doc = nlp("Prices have doubled since last June.")
    times = extract_times(doc, "2025-03-10")
    assert [(t.text, t.value, t.granularity) for t in times] == [
        ("since last June", "2024-06", "month")
    ]


@pytest.mark.model
def test_ages_are_not_times(nlp: Language) -> None:
    doc = nlp("The 55-year-old farmer left yesterday.")
    assert [t.text for t in extract_times(doc, "2025-03-10")] == ["yesterday"]


@pytest.mark.model
def test_now_is_present_ref(nlp: Language) -> None:
    doc = nlp("The bakery now sells bread on the harbour front.")
    times = extract_times(doc, "2025-03-10")
    assert [(t.text, t.value) for t in times] == [("now", "PRESENT_REF")]


@pytest.mark.model
def test_weekday_after_plan_is_future(nlp: Language) -> None:
    doc = nlp("The council plans to vote on Thursday.")
    times = extract_times(doc, "2025-03-10")
    assert [(t.text, t.value) for t in times] == [("Thursday", "2025-03-13")]


@pytest.mark.model
def test_weekday_after_would_is_future(nlp: Language) -> None:
    doc = nlp("The mayor said the ferry would sail on Thursday.")
    times = extract_times(doc, "2025-03-10")
    assert [(t.text, t.value) for t in times] == [("Thursday", "2025-03-13")]
