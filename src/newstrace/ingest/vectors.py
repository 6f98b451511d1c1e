"""Sentence vectors of the claims written: computed once, after extraction, for every
wording the store has no vector of yet (copies of one story share theirs), so that the
cross-article analysis reads them from the store and never loads a model."""

from __future__ import annotations

from collections.abc import Sequence

from newstrace.store import Store
from newstrace.store.vectors import claim_texts, pack, save_vectors

BATCH = 200  # articles per transaction


def embed_claims(store: Store, article_ids: Sequence[str]) -> int:
    """Store the vectors of the claims of these articles that lack one; returns how many
    were computed."""
    ids = list(dict.fromkeys(article_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        with store.reading() as conn:
            texts = claim_texts(conn, ids[start : start + BATCH])
        if not texts:
            continue
        # imported here, when there is a claim to embed: `newstrace.nlp` loads spaCy,
        # which the read commands (that import the api, and open a store, calling this
        # with no article) must not pay for (tests/test_web.py::test_web_imports_no_spacy;
        # `newstrace figures --series`, first call: 640 ms, 0.76 s of it the import)
        from newstrace.nlp.embedding import load_encoder

        encoder = load_encoder()
        vectors = encoder.embed(list(texts.values()))
        model = str(encoder.card.get("sha256", ""))[:16]
        with store.writing() as conn:
            known = set(claim_texts(conn, ids[start : start + BATCH]))
            packed = {h: pack(v) for h, v in zip(texts, vectors, strict=True) if h in known}
            save_vectors(conn, model, packed)
        done += len(texts)
    return done
