"""Opening the near-duplicate index for an ingest: in memory, or shared through Redis."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from newstrace.dedup import DuplicateIndex, signature_from_bytes
from newstrace.errors import SettingsError
from newstrace.settings import Settings
from newstrace.store import Store


def open_index(settings: Settings, store: Store) -> DuplicateIndex:
    """The index of every stored article's signature.

    In memory (built from the store) by default. With ``lsh_url`` set, a MinHash LSH index
    in Redis shared by every ingest process writing to this store, so that copies of a
    story handled by different workers are still linked.
    """
    if not settings.lsh_url:
        index = DuplicateIndex(settings.dedup_threshold, settings.dedup_num_perm)
        index.add_all((aid, signature_from_bytes(sig)) for aid, sig in store.signatures())
        return index
    index = DuplicateIndex(
        settings.dedup_threshold,
        settings.dedup_num_perm,
        storage_config=redis_storage(settings.lsh_url, settings.db),
        lookup=lambda aid: _stored_signature(store, aid),
    )
    if index.is_empty():  # a new Redis index for an existing store: fill it once
        index.add_all((aid, signature_from_bytes(sig)) for aid, sig in store.signatures())
    return index


def redis_storage(lsh_url: str, db: str) -> dict[str, Any]:
    """A datasketch storage config for Redis at `lsh_url`, namespaced by store."""
    parts = urlsplit(lsh_url)
    if parts.scheme != "redis" or not parts.hostname:
        raise SettingsError(f"lsh_url {lsh_url!r}: use redis://host:port/db")
    namespace = hashlib.sha256(db.encode()).hexdigest()[:12]
    return {
        "type": "redis",
        "basename": f"newstrace:{namespace}".encode(),
        "redis": {
            "host": parts.hostname,
            "port": parts.port or 6379,
            "db": int(parts.path.strip("/") or 0),
        },
    }


def _stored_signature(store: Store, article_id: str) -> Any:
    data = store.signature(article_id)
    return None if data is None else signature_from_bytes(data)
