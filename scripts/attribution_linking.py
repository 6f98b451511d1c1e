"""Score attribution linking variants on PolNeAR dev in seconds, from a cache.

Parsing and tagging are the slow part of ``newstrace eval attribution``; linking the
tagger's spans into claims is not. ``--build`` parses the dev documents once and stores
their spaCy Docs (a DocBin) and the tagger's probabilities for every window (a pickle)
under ``--cache``; every later run re-links from the cache with the code as it stands
and prints the dev figures, so a change to ``extract/claims/model.py`` is measured in
seconds. Dev only: the test split is held back.

    python scripts/attribution_linking.py --build
    python scripts/attribution_linking.py            # figures
    python scripts/attribution_linking.py --errors errors.jsonl
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, DocBin

from newstrace.evaluation import attribution as scoring
from newstrace.evaluation.brat import read_attribution_data
from newstrace.extract.claims import model as claims_model
from newstrace.extract.claims.common import split_at_attribution
from newstrace.extract.claims.speakers import resolve_speakers
from newstrace.extract.entities import extract_entities
from newstrace.nlp import load_pipeline, pipe_with_context
from newstrace.nlp.attribution_model import (
    AttributionTagger,
    TaggedSpan,
    Window,
    decode,
    join_cut_spans,
    load_tagger,
)
from newstrace.settings import Settings

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear"
Probabilities = list[tuple[Window, np.ndarray]]


class CachedTagger:
    """The tagger's interface over cached window probabilities (keyed by text)."""

    def __init__(self, runs: dict[str, Probabilities]) -> None:
        self.runs = runs

    def tag(self, text: str, batch_size: int = 1) -> list[TaggedSpan]:
        """As `AttributionTagger.tag`, from the cache."""
        runs = self.runs[text]
        return join_cut_spans([(w, decode(w.offsets, p, text)) for w, p in runs], text)


def build(cache: Path, settings: Settings) -> None:
    """Parse and tag the dev documents once; store Docs and window probabilities."""
    docs = read_attribution_data(DEV, "dev", None)
    tagger: AttributionTagger = load_tagger()
    parsed = DocBin(store_user_data=True)
    runs: dict[str, Probabilities] = {}
    for doc, _ in pipe_with_context(((d.text, d) for d in docs), settings):
        parsed.add(doc)
        runs[doc.text] = tagger.window_probabilities(doc.text)
    cache.mkdir(parents=True, exist_ok=True)
    parsed.to_disk(cache / "dev.spacy")
    (cache / "probs.pkl").write_bytes(pickle.dumps(runs))


def score(cache: Path, settings: Settings) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The dev figures of the linking code as it stands, from the cache."""
    docs = read_attribution_data(DEV, "dev", None)
    vocab = load_pipeline(settings).vocab
    parsed = list(DocBin().from_disk(cache / "dev.spacy").get_docs(vocab))
    runs: dict[str, Probabilities] = pickle.loads((cache / "probs.pkl").read_bytes())
    tagger = CachedTagger(runs)
    setattr(claims_model, "load_tagger", lambda *_: tagger)  # noqa: B010 (the cache)
    tally = scoring._Tally.empty()
    errors: list[dict[str, Any]] = []
    for doc, parse in zip(docs, parsed, strict=True):
        errors += scoring.score_document(doc, _claims(parse), tally)
    return tally.metrics(), errors


def _claims(doc: Doc) -> list[Any]:
    entities = extract_entities(doc)
    claims = split_at_attribution(doc, claims_model.extract_claims_with_model(doc, entities))
    return resolve_speakers(doc, claims, entities, drop_non_sources=True)


def main() -> None:
    """Build the cache or print the dev figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/attrib-cache"))
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--errors", type=Path)
    args = parser.parse_args()
    settings = Settings()
    if args.build:
        build(args.cache, settings)
    metrics, errors = score(args.cache, settings)
    keys = ("relation", "source", "cue", "content")
    print(
        " ".join(f"{k} {metrics[f'{k}_f1']:.4f}" for k in keys),
        f"(relation P {metrics['relation_precision']:.3f} R {metrics['relation_recall']:.3f})",
    )
    if args.errors:
        args.errors.write_text("".join(json.dumps(e) + "\n" for e in errors))


if __name__ == "__main__":
    main()
