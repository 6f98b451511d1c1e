"""Cleaning: raw documents in, body text plus metadata out (`clean_document`).

Plain text is cleaned line by line with every removal recorded (`clean.text`);
HTML goes through trafilatura (`clean.html`). Metadata the source gave
(``raw.title``, ``raw.published``, ...) wins over what is found in the page.
An empty `text` in the result means no article text was found.
"""

from __future__ import annotations

from newstrace.clean.html import extract_page
from newstrace.clean.text import clean_text
from newstrace.models import CleanedDocument, RawDocument

__all__ = ["clean_document", "clean_text", "extract_page"]


def clean_document(raw: RawDocument) -> CleanedDocument:
    """The cleaned body and metadata of one raw document; never raises."""
    if raw.kind == "html":
        return _clean_html(raw)
    cleaned = clean_text(raw.content, raw.title)
    return CleanedDocument(
        text=cleaned.text,
        title=cleaned.title,
        removed=cleaned.removed,
        url=raw.url,
        published=raw.published,
        outlet=raw.outlet,
        author=raw.author,
    )


def _clean_html(raw: RawDocument) -> CleanedDocument:
    page = extract_page(raw.content, url=raw.url, title=raw.title)
    return CleanedDocument(
        text=page.text,
        title=raw.title or page.title,
        url=raw.url or page.url,
        published=raw.published or page.published,
        outlet=raw.outlet or page.outlet,
        author=raw.author or page.author,
        site_name=page.outlet,
    )
