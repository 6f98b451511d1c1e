"""Near-duplicate detection: MinHash signatures over word shingles and an LSH index (datasketch).

Syndicated wire copies and scraped republications share most of their word 5-grams even
when a headline changes, a paragraph is trimmed or an ad line is added. Signatures are
computed from the cleaned text, stored with each article, and loaded into an in-memory
`DuplicateIndex` at the start of an ingest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_WORDS = 5
# Pinned so signatures stored by one datasketch version stay comparable in the next.
SCHEME = "affine32"
SEED = 1
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Lower-cased word n-grams of `text`; a short text yields its whole word sequence."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str, num_perm: int = 128) -> LeanMinHash:
    """The MinHash signature of `text`'s shingles."""
    minhash = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return LeanMinHash(minhash)


def signature_to_bytes(sig: LeanMinHash) -> bytes:
    """Serialise a signature's hash values for the store."""
    return np.asarray(sig.hashvalues, dtype=np.uint64).tobytes()


def signature_from_bytes(data: bytes) -> LeanMinHash:
    """Inverse of `signature_to_bytes`."""
    values = np.frombuffer(data, dtype=np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


@dataclass(frozen=True)
class Match:
    """An indexed article similar to the query, with the estimated Jaccard similarity."""

    article_id: str
    similarity: float


class DuplicateIndex:
    """MinHash LSH over the articles seen so far; `matches` verifies each candidate."""

    def __init__(self, threshold: float = 0.5, num_perm: int = 128) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def add(self, article_id: str, sig: LeanMinHash) -> None:
        """Index `sig` under `article_id` (re-adding an id replaces its signature)."""
        if article_id in self._signatures:
            self.remove(article_id)
        self._lsh.insert(article_id, sig)
        self._signatures[article_id] = sig

    def add_all(self, items: Iterable[tuple[str, LeanMinHash]]) -> None:
        """Index many (id, signature) pairs."""
        for article_id, sig in items:
            self.add(article_id, sig)

    def remove(self, article_id: str) -> None:
        """Forget `article_id`."""
        if article_id in self._signatures:
            self._lsh.remove(article_id)
            del self._signatures[article_id]

    def matches(self, sig: LeanMinHash, exclude: str | None = None) -> list[Match]:
        """Indexed articles whose estimated similarity to `sig` reaches the threshold."""
        found = []
        for candidate in self._lsh.query(sig):
            if candidate == exclude:
                continue
            similarity = float(sig.jaccard(self._signatures[candidate]))
            if similarity >= self.threshold:
                found.append(Match(candidate, similarity))
        return sorted(found, key=lambda m: (-m.similarity, m.article_id))
