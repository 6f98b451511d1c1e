"""Fuse the self-attention of the int8 attribution tagger into MultiHeadAttention nodes.

The tagger's ONNX export (``scripts/train_attribution.py``) spells each layer's attention
out as some twenty small nodes: reshapes and transposes of the query, key and value,
their scaling, QK^T, the mask as a ``Where``, softmax, an ``IsNaN``/``Where`` guard for
fully masked rows, xV and the reshape back. Neither onnxruntime's graph optimiser nor
``onnxruntime.transformers.optimizer`` recognises that pattern (the latter fuses the
layer norms and GELU, which onnxruntime already does at load, and no attention), so this
rewrites it by hand: one ``com.microsoft.MultiHeadAttention`` per layer, on the
projected query, key and value (the int8 projections stay as they are, weights
unchanged), with the attention mask as its key padding mask, and drops the nodes
nothing reads any more. Measured on PolNeAR dev windows, one thread: 11% less CPU in
onnxruntime; labels as before on 99.94% of the pieces (the int8 activations round a
little differently), dev relation F1 0.678 -> 0.677.

    python scripts/fuse_attention.py src/newstrace/nlp/data/attribution/model.int8.onnx

rewrites the file in place and the SHA-256 and size in the model card beside it.
Needs ``onnx`` (the ``[train]`` extra). The re-quantised alternative (dequantise, fuse
into ``Attention``, quantise to ``QAttention``) ran slower than the unfused graph.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

import onnx
from onnx import helper

HEADS = 12  # MiniLM-L6: 384 hidden, 12 heads of 32
_MASK = "attention_mask_int32"


def fuse(model: onnx.ModelProto, heads: int = HEADS) -> int:
    """Rewrite `model`'s attention layers in place; the number of layers fused."""
    graph = model.graph
    layers = sorted(
        {
            int(n)
            for node in graph.node
            for n in re.findall(r"layer\.(\d+)/attention/self", node.name)
        }
    )
    added = [
        helper.make_node(
            "Cast", ["attention_mask"], [_MASK], to=onnx.TensorProto.INT32, name="mask_int32"
        )
    ]
    for layer in layers:
        prefix = f"/encoder/encoder/layer.{layer}/attention/self/"
        qkv = [prefix + f"{role}/Add_output_0" for role in ("query", "key", "value")]
        added.append(
            helper.make_node(
                "MultiHeadAttention",
                [*qkv, "", _MASK],
                [prefix + "Reshape_4_output_0"],
                name=f"MultiHeadAttention_{layer}",
                domain="com.microsoft",
                num_heads=heads,
            )
        )
    replaced = {node.output[0] for node in added}
    nodes = [n for n in graph.node if not set(n.output) & replaced] + added
    ordered = _live_in_order(nodes, graph)
    del graph.node[:]
    graph.node.extend(ordered)
    used = {name for node in graph.node for name in node.input}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return len(layers)


def _live_in_order(nodes: list[onnx.NodeProto], graph: onnx.GraphProto) -> list[onnx.NodeProto]:
    """The nodes the graph's outputs depend on, in an order where inputs come first."""
    producer = {out: node for node in nodes for out in node.output}
    live: set[int] = set()
    stack = [o.name for o in graph.output]
    while stack:
        node = producer.get(stack.pop())
        if node is not None and id(node) not in live:
            live.add(id(node))
            stack.extend(name for name in node.input if name)
    ready = {i.name for i in graph.input} | {i.name for i in graph.initializer}
    pending = [n for n in nodes if id(n) in live]
    ordered: list[onnx.NodeProto] = []
    while pending:
        waiting = []
        for node in pending:
            if all(not name or name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                waiting.append(node)
        if len(waiting) == len(pending):
            raise ValueError("the graph has a cycle or a missing input")
        pending = waiting
    return ordered


def fuse_file(path: Path) -> None:
    """Fuse the model at `path` in place and update the model card beside it, if any."""
    model = onnx.load(str(path))
    if fuse(model) == 0:
        raise SystemExit(f"{path}: no attention layers found (already fused?)")
    onnx.save(model, str(path))
    card_path = path.parent / "model-card.json"
    if card_path.is_file():
        card = json.loads(card_path.read_text(encoding="utf-8"))
        card["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        card["size_bytes"] = path.stat().st_size
        card["graph"] = (
            "self-attention fused into com.microsoft.MultiHeadAttention (scripts/fuse_attention.py)"
        )
        card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    """Fuse the file named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    fuse_file(parser.parse_args().model)


if __name__ == "__main__":
    main()
