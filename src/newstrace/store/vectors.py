"""Sentence vectors in the store: their compact form (int8 with one float32 scale, 388
bytes for 384 dimensions) and the queries that read and write them. Vectors are keyed
by the hash of the text embedded (`text_hash`), so every copy of a wording shares one."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from sqlalchemy import Connection, select

from newstrace.store import schema


def text_hash(text: str) -> str:
    """The key of a text's vector: SHA-1 of the text with its outer spaces stripped."""
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:20]


def pack(vector: np.ndarray) -> bytes:
    """A float vector as int8 scaled by its largest component (the scale first)."""
    values = np.asarray(vector, dtype=np.float32)
    scale = float(np.abs(values).max()) / 127.0 or 1.0
    quantised = np.clip(np.rint(values / scale), -127, 127).astype(np.int8)
    return bytes(np.float32(scale).tobytes() + quantised.tobytes())


def unpack(blob: bytes) -> np.ndarray:
    """The unit float32 vector that `pack` stored."""
    scale = np.frombuffer(blob[:4], dtype=np.float32)[0]
    values = np.frombuffer(blob[4:], dtype=np.int8).astype(np.float32) * scale
    norm = float(np.linalg.norm(values))
    unit: np.ndarray = values / norm if norm else values
    return unit


def unpack_many(blobs: Sequence[bytes]) -> np.ndarray:
    """The unit float32 vectors (len(blobs), dimensions) that `pack` stored."""
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), -1)
    scales = raw[:, :4].copy().view(np.float32)
    values = raw[:, 4:].copy().view(np.int8).astype(np.float32) * scales
    norms = np.linalg.norm(values, axis=1, keepdims=True)
    found: np.ndarray = values / np.where(norms == 0, 1.0, norms)
    return found


def claim_texts(conn: Connection, article_ids: Sequence[str]) -> dict[str, str]:
    """text hash -> wording of the claims of these articles that have no vector yet."""
    c = schema.claims.c
    found: dict[str, str] = {}
    for start in range(0, len(article_ids), 500):
        rows = conn.execute(
            select(c.content).where(c.article_id.in_(article_ids[start : start + 500]))
        )
        for (content,) in rows:
            found.setdefault(text_hash(content), content)
    known = set(stored_hashes(conn, list(found)))
    return {h: t for h, t in found.items() if h not in known}


def stored_hashes(conn: Connection, hashes: Sequence[str]) -> list[str]:
    """Those of `hashes` that have a vector."""
    v = schema.text_vectors.c
    found: list[str] = []
    for start in range(0, len(hashes), 500):
        query = select(v.text_hash).where(v.text_hash.in_(hashes[start : start + 500]))
        found.extend(row[0] for row in conn.execute(query))
    return found


def save_vectors(conn: Connection, model: str, vectors: Mapping[str, bytes]) -> None:
    """Store packed vectors by text hash (the hashes are new to the store)."""
    rows = [{"text_hash": h, "model": model, "vector": blob} for h, blob in vectors.items()]
    if rows:
        conn.execute(schema.text_vectors.insert(), rows)


def vectors_for(conn: Connection, hashes: Iterable[str]) -> dict[str, np.ndarray]:
    """text hash -> unit vector, for those of `hashes` that have one."""
    v = schema.text_vectors.c
    wanted = list(dict.fromkeys(h for h in hashes if h))
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), 500):
        query = select(v.text_hash, v.vector).where(v.text_hash.in_(wanted[start : start + 500]))
        found.update((h, unpack(blob)) for h, blob in conn.execute(query))
    return found
