"""The name words are data shared by extraction and analysis: both read a sex from the
same honorifics and a generation from the same suffixes."""

from __future__ import annotations

import pytest

from newstrace.analysis.text import name_suffix, person_sex
from newstrace.extract.names import compatible, honorific_sex
from newstrace.language import NAME_WORDS

# "Mme" tells a sex in both, but extraction's title lexicon (extract/data/titles.json)
# does not take it for a title before a name yet, so a name never opens with it there.
HONORIFICS = [(h, "m") for h in sorted(NAME_WORDS.male)] + [
    (h, "f") for h in sorted(NAME_WORDS.female - {"mme"})
]


@pytest.mark.parametrize(("honorific", "sex"), HONORIFICS)
def test_extraction_and_analysis_read_the_same_sex(honorific: str, sex: str) -> None:
    written = honorific.capitalize() + ("." if honorific in ("mr", "mrs", "ms") else "")
    assert honorific_sex([written, "Holm"]) == sex
    assert person_sex([f"{written} Ada Holm"]) == sex


@pytest.mark.parametrize("suffix", sorted(NAME_WORDS.suffixes))
def test_extraction_and_analysis_read_the_same_suffixes(suffix: str) -> None:
    written = suffix.capitalize() + "." if len(suffix) == 2 else suffix.upper()
    assert not compatible(["Ada", "Holm", written], ["Ada", "Holm"])
    assert name_suffix(f"Ada Holm {written}") == suffix
