"""Model files shipped in the package: the model card (JSON, with the file's SHA-256) and
the check that refuses a missing or altered model file. Shared by every ONNX model that
``newstrace.nlp`` loads (the attribution tagger, the sentence encoder)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from newstrace.errors import ModelError

CARD_FILE = "model-card.json"


def read_card(folder: Path, what: str) -> dict[str, Any]:
    """The model card in `folder`; `what` names the model in errors ("attribution model")."""
    path = folder / CARD_FILE
    try:
        card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{what} card {path} is missing") from exc
    except ValueError as exc:
        raise ModelError(f"{what} card {path} is not valid JSON: {exc}") from exc
    return card


def verify(path: Path, expected: str, what: str) -> None:
    """Refuse a missing or altered model file (its SHA-256 is in the model card)."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError as exc:
        raise ModelError(f"{what} file {path} is missing") from exc
    if digest != expected:
        raise ModelError(
            f"{what} file {path} is corrupt: SHA-256 {digest[:12]}… does not match "
            f"the model card's {expected[:12]}…"
        )


def onnx_session(path: Path, what: str) -> Any:
    """An onnxruntime CPU session of `path`, one thread (workers run in parallel)."""
    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ModelError(f"{what} needs onnxruntime: {exc}") from exc
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own unexported error types
        raise ModelError(f"{what} {path} cannot be loaded: {exc}") from exc


def load_tokenizer(folder: Path, what: str) -> Any:
    """The `tokenizers.Tokenizer` in `folder`/tokenizer.json, without padding or truncation."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ModelError(f"{what} needs tokenizers: {exc}") from exc
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer
