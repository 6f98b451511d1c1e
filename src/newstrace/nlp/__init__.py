"""The one place that loads and configures spaCy.

`load_pipeline` loads the pipeline named in the settings once per process and
model name; `pipe_docs` streams texts through it in batches. Custom attributes
are registered here as ``nt_*`` extensions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from newstrace.errors import ModelError
from newstrace.settings import Settings

__all__ = ["load_pipeline", "pipe_docs", "pipe_with_context", "register_extensions"]

T = TypeVar("T")

# Components the extractors read: tags and lemmas (tense, cue verbs), the parse
# (speakers, content, units) and the entities. Nothing else is enabled.
_NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def register_extensions() -> None:
    """Register the ``nt_*`` extensions newstrace sets on Docs (idempotent)."""
    if not Doc.has_extension("nt_published"):
        Doc.set_extension("nt_published", default=None)


def load_pipeline(settings: Settings) -> Language:
    """The spaCy pipeline named by ``settings.model``, loaded once per model name.

    Raises `ModelError` when the model package is not installed.
    """
    return _load(settings.model)


@lru_cache(maxsize=4)
def _load(model: str) -> Language:
    register_extensions()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {model!r} is not installed; install the package or set NEWSTRACE_MODEL"
        ) from exc
    unused = [name for name in nlp.pipe_names if name not in _NEEDED]
    for name in unused:
        nlp.disable_pipe(name)
    _keep_names_whole(nlp)
    _split_glued_sentences(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newstrace_line_breaks", before="parser")
    return nlp


_CLIPPED = frozenset(["nt", "s", "d", "ll", "ve", "re", "m"])  # "Dare|nt", "He|s"


def _clipped(pieces: list[dict[int, str]]) -> bool:
    return len(pieces) > 1 and pieces[-1].get(ORTH, "") in _CLIPPED


def _keep_names_whole(nlp: Language) -> None:
    """Drop the tokenizer's splits of capitalised contractions written without an
    apostrophe ("Darent" -> "Dare" + "nt", "Hes"; "Cannot" and "Gonna" stay split): in
    news such a word is a name far more often than a misspelt "Daren't", and a split
    name loses its end."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    rules = tokenizer.rules or {}
    kept = {
        key: pieces
        for key, pieces in rules.items()
        if not (key[:1].isupper() and key.isalpha() and _clipped(pieces))
    }
    if len(kept) != len(rules):
        tokenizer.rules = kept


# "the U.S.He said": an abbreviation's last full stop glued to the next sentence's word
_GLUED_SENTENCE = r"(?<=[A-Z]\.)(?=[A-Z][a-z]+)"


def _split_glued_sentences(nlp: Language) -> None:
    """Split a capitalised word glued to the full stop of an abbreviation before it (a
    lost space in the source), so the sentence after it starts with its own word."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    infixes = [*(nlp.Defaults.infixes or ()), _GLUED_SENTENCE]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@Language.component("newstrace_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break starts a sentence (set before the parser, which keeps it): a headline,
    dateline, byline or timestamp on its own line never runs into the paragraph after it."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


def pipe_docs(texts: Iterable[str], settings: Settings) -> Iterator[Doc]:
    """Parse `texts` lazily with ``nlp.pipe`` using the batch size and process count set."""
    nlp = load_pipeline(settings)
    yield from nlp.pipe(texts, batch_size=settings.batch_size, n_process=settings.n_process)


def pipe_with_context(
    items: Iterable[tuple[str, T]], settings: Settings
) -> Iterator[tuple[Doc, T]]:
    """Like `pipe_docs`, carrying a context object with each text (streaming)."""
    nlp = load_pipeline(settings)
    pairs = nlp.pipe(
        items, as_tuples=True, batch_size=settings.batch_size, n_process=settings.n_process
    )
    yield from pairs
