"""Article identity: stable ids and content hashes that make re-ingest idempotent."""

from __future__ import annotations

import hashlib
import json

from newstrace.models import RawDocument

# Bump when cleaning or extraction changes what is stored for the same input, so a
# re-ingest updates old articles instead of reporting them unchanged.
PIPELINE_VERSION = "2"  # 2: the article's language is detected


def article_id(raw: RawDocument) -> str:
    """The input's own id, else a digest of its URL, else of its content."""
    if raw.id:
        return raw.id
    basis = raw.url or raw.content
    return "nt-" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def content_hash(raw: RawDocument, published: str | None, extraction: bool) -> str:
    """A digest of everything that determines the stored record for this input."""
    fields = [
        PIPELINE_VERSION,
        str(extraction),
        raw.kind,
        raw.content,
        raw.url,
        raw.title,
        published,
        raw.outlet,
        raw.author,
        # only when set, so the digests of documents from other sources stay as they were
        *([raw.feed_title] if raw.feed_title else []),
    ]
    payload = json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()
