"""The spaCy loader: caching and the error for a missing model."""

from __future__ import annotations

import pytest

from newstrace.errors import ModelError
from newstrace.nlp import load_pipeline, pipe_docs
from newstrace.settings import Settings


def test_missing_model_names_it() -> None:
    with pytest.raises(ModelError, match="no_such_model_xyz"):
        load_pipeline(Settings(model="no_such_model_xyz"))


@pytest.mark.model
def test_pipeline_is_cached_and_pipes_lazily() -> None:
    settings = Settings()
    assert load_pipeline(settings) is load_pipeline(settings)
    docs = pipe_docs(iter(["One text.", "Another text."]), settings)
    assert [d.text for d in docs] == ["One text.", "Another text."]


@pytest.mark.model
def test_a_name_like_a_contraction_stays_whole() -> None:
    nlp = load_pipeline(Settings())
    words = [t.text for t in nlp("Cannot say, Foreign Minister Ivo Darent said. Dont go.")]
    assert "Darent" in words and "Dont" in words
    assert words[:2] == ["Can", "not"]  # a real word written as one stays split
