"""Near-duplicate detection: MinHash signatures over word shingles and an LSH index (datasketch).

Syndicated wire copies and scraped republications share most of their word 5-grams even
when a headline changes, a paragraph is trimmed or an ad line is added. Signatures are
computed from the cleaned text, stored with each article, and loaded into an in-memory
`DuplicateIndex` at the start of an ingest.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from datasketch import LeanMinHash

# datasketch is imported where a signature or an index is made, not with this module:
# its LSH imports scipy (about half a second), which the read commands never need.

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
    from datasketch import LeanMinHash, MinHash

    minhash = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return LeanMinHash(minhash)


def signature_to_bytes(sig: LeanMinHash) -> bytes:
    """Serialise a signature's hash values for the store."""
    return np.asarray(sig.hashvalues, dtype=np.uint64).tobytes()


def signature_from_bytes(data: bytes) -> LeanMinHash:
    """Inverse of `signature_to_bytes`."""
    from datasketch import LeanMinHash

    values = np.frombuffer(data, dtype=np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


@dataclass(frozen=True)
class Match:
    """An indexed article similar to the query, with the estimated Jaccard similarity."""

    article_id: str
    similarity: float


SignatureLookup = Callable[[str], "LeanMinHash | None"]


class DuplicateIndex:
    """MinHash LSH over the articles seen so far; `matches` verifies each candidate.

    In memory by default. With a datasketch `storage_config` (Redis) the index is shared
    by every process that opens it, and signatures added by other processes are fetched
    through `lookup` (from the store) to verify candidates.
    """

    def __init__(
        self,
        threshold: float = 0.5,
        num_perm: int = 128,
        storage_config: dict[str, Any] | None = None,
        lookup: SignatureLookup | None = None,
    ) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.shared = storage_config is not None
        self._lsh = MinHashLSH(
            threshold=threshold, num_perm=num_perm, storage_config=storage_config
        )
        self._signatures: dict[str, LeanMinHash] = {}
        self._lookup = lookup

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures or bool(self._lsh.__contains__(article_id))

    def is_empty(self) -> bool:
        """True when nothing is indexed (by this process or, when shared, any other)."""
        return bool(self._lsh.is_empty())

    def add(self, article_id: str, sig: LeanMinHash) -> None:
        """Index `sig` under `article_id` (re-adding an id replaces its signature)."""
        if article_id in self:
            self.remove(article_id)
        with contextlib.suppress(ValueError):  # a concurrent process indexed it just now
            self._lsh.insert(article_id, sig)
        self._signatures[article_id] = sig

    def add_all(self, items: Iterable[tuple[str, LeanMinHash]]) -> None:
        """Index many (id, signature) pairs."""
        for article_id, sig in items:
            self.add(article_id, sig)

    def remove(self, article_id: str) -> None:
        """Forget `article_id`."""
        if self._lsh.__contains__(article_id):
            self._lsh.remove(article_id)
        self._signatures.pop(article_id, None)

    def matches(self, sig: LeanMinHash, exclude: str | None = None) -> list[Match]:
        """Indexed articles whose estimated similarity to `sig` reaches the threshold."""
        found = []
        for candidate in self._lsh.query(sig):
            other = self._signature(candidate)
            if candidate == exclude or other is None:
                continue
            similarity = float(sig.jaccard(other))
            if similarity >= self.threshold:
                found.append(Match(candidate, similarity))
        return sorted(found, key=lambda m: (-m.similarity, m.article_id))

    def _signature(self, article_id: str) -> LeanMinHash | None:
        if article_id in self._signatures:
            return self._signatures[article_id]
        return self._lookup(article_id) if self._lookup else None
