"""Which language an article is written in (py3langid, a well-kept langid.py fork).

Extraction is for English: an article detected as another language with confidence is
stored with its language and not run through the English extractors. Text too short
to tell, or no language clearly ahead, counts as unknown (None) and is treated as
English, so a terse English article is never skipped.
"""

from __future__ import annotations

from functools import cache
from typing import Any

ENGLISH = "en"
MIN_CHARS = 40
"""Shortest text (letters and spaces) a language is told for."""
MIN_CONFIDENCE = 0.9
"""Probability the detector must give a language for it to count."""
_SAMPLE = 4000


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of `text`'s language ("en", "fr"), or None when it cannot be
    told with confidence (too short, or no language clearly ahead)."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < MIN_CHARS:
        return None
    code, probability = _identifier().classify(sample)
    return str(code) if float(probability) >= MIN_CONFIDENCE else None


def is_english(language: str | None) -> bool:
    """Whether an article of `language` goes through English extraction (unknown does)."""
    return language in (None, ENGLISH)


@cache
def _identifier() -> Any:
    """The detector, loaded once (about two seconds) on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
