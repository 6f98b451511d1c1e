"""Extraction without a store: one text or page, or files and URLs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from newstrace.errors import InputError
from newstrace.ingest import ExtractBatch, Prepared, prepare_alone
from newstrace.models import Article, RawDocument, RawKind, ReadFailure, Record
from newstrace.settings import Settings, load_settings

STRING_LOCATOR = "<string>"
_HTML_START = re.compile(
    r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|[a-z][a-z0-9]*)[\s>/]", re.I | re.S
)


def sniff_kind(text_or_html: str) -> RawKind:
    """``"html"`` when the string starts with markup (a doctype or a tag), else ``"text"``."""
    return "html" if _HTML_START.match(text_or_html) else "text"


def extract_article(
    text_or_html: str,
    *,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    settings: Settings | None = None,
) -> Record:
    """Extract entities, claims, figures and dates from one article, without a store.

    `text_or_html` is either a saved web page (HTML, recognised by its leading tag) or
    scraped text, whose first non-empty line is the headline unless `title` is given.
    It is cleaned exactly as a file would be. `published` (``YYYY-MM-DD``) is the
    publication date when the page carries none; relative dates ("on Saturday") are
    resolved against it. Loads the spaCy model on first use.

    Raises `InputError` when no article text is left after cleaning.
    """
    raw = RawDocument(
        locator=url or STRING_LOCATOR,
        kind=sniff_kind(text_or_html),
        content=text_or_html,
        url=url,
        title=title,
    )
    chosen = settings or load_settings()
    article = prepare_alone(raw, published, chosen)
    if isinstance(article, ReadFailure):
        raise InputError(article.locator, article.reason)
    return _extract_one(article, chosen)


def _extract_one(article: Article, settings: Settings) -> Record:
    from newstrace.extract import extract_records

    return next(iter(extract_records([article], settings)))


def extract_inputs(
    inputs: str | Iterable[str],
    *,
    published: str | None = None,
    settings: Settings | None = None,
) -> Iterator[Record | ReadFailure]:
    """Read and extract files, folders, URLs or ``-`` (standard input), without a store.

    Yields one `Record` per article, in input order, and a `ReadFailure` for every
    input or document that could not be read (the rest go on). Failures come as soon
    as they are found; records follow their extraction batch.
    """
    from newstrace.sources import read_inputs

    chosen = settings or load_settings()
    values = [inputs] if isinstance(inputs, str) else list(inputs)
    failures: list[ReadFailure] = []

    def articles() -> Iterator[Prepared]:
        for item in read_inputs(values, chosen):
            result = (
                item if isinstance(item, ReadFailure) else prepare_alone(item, published, chosen)
            )
            if isinstance(result, ReadFailure):
                failures.append(result)
            else:
                yield Prepared(result, content_hash="", is_update=False)

    # The ingest's extraction step, so the same per-document budget applies: a document
    # past `document_timeout` fails alone and its batch goes on.
    worker, pending = ExtractBatch(chosen), articles()
    while batch := list(islice(pending, max(1, chosen.batch_size))):
        yield from _drain(failures)
        for result in worker.process(batch):
            yield result if isinstance(result, ReadFailure) else result.record
    yield from _drain(failures)


def _drain(failures: list[ReadFailure]) -> Iterator[ReadFailure]:
    while failures:
        yield failures.pop(0)
