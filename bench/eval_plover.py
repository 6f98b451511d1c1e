"""Score the PLOVER event coder against the gold-standard records of the PLOVER project.

Run:  python bench/eval_plover.py [PATH] [--json]

PATH defaults to ../shared/eval/plover/PLOVER_GSR_CAMEO.json (322 sentences from the
CAMEO manual recoded in PLOVER 0.5b1, CC BY-SA 4.0). The gold uses four older type
names, mapped to the current manual: DEMAND -> REQUEST, DISAPPROVE and INVESTIGATE ->
ACCUSE, FIGHT -> ASSAULT. Reported:

* type accuracy: the sentence's main event (the trigger highest in the parse) has the
  gold type; "any" accuracy: some event of the sentence has it;
* micro precision/recall/F1 over (sentence, type) pairs, and per type;
* source/target match by country code, over sentences where the gold type was found and
  the gold actor has a code.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace.extract.claims import extract_claims
from newstrace.extract.entities import extract_entities
from newstrace.extract.events import extract_events
from newstrace.extract.figures import extract_figures
from newstrace.extract.times import extract_times
from newstrace.models import Event
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

GOLD = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "eval"
    / "plover"
    / ("PLOVER_GSR_CAMEO.json")
)
OLD_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


@dataclass
class Scores:
    """Counts gathered over the gold sentences."""

    sentences: int = 0
    main_correct: int = 0
    any_correct: int = 0
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    actor_hits: Counter[str] = field(default_factory=Counter)
    actor_total: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        per_type = {t: _f1(self.tp[t], self.fp[t], self.fn[t]) for t in sorted(self.tp | self.fn)}
        return {
            "sentences": self.sentences,
            "type_accuracy": round(self.main_correct / max(self.sentences, 1), 3),
            "type_accuracy_any": round(self.any_correct / max(self.sentences, 1), 3),
            **_f1(tp, fp, fn),
            "source_match": _ratio(self.actor_hits["source"], self.actor_total["source"]),
            "target_match": _ratio(self.actor_hits["target"], self.actor_total["target"]),
            "per_type": per_type,
        }


def _f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _ratio(hits: int, total: int) -> dict[str, float | int]:
    return {"match": round(hits / total, 3) if total else 0.0, "of": total}


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The coded sentences of the gold file (its DOCUMENT header left out)."""
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return [r for r in records if r.get("event") != "DOCUMENT" and r.get("text")]


def code_sentences(texts: Iterable[str]) -> list[list[Event]]:
    """Events of each text, through the same extractors as `extract_record`."""
    nlp = load_pipeline(Settings())
    out: list[list[Event]] = []
    for doc in nlp.pipe(texts, batch_size=64):
        entities = extract_entities(doc)
        claims = extract_claims(doc, entities)
        events = extract_events(
            doc, entities, claims, extract_figures(doc), extract_times(doc, None)
        )
        depth = {e.id: _depth(doc, e) for e in events}
        out.append(sorted(events, key=lambda e: depth[e.id]))
    return out


def _depth(doc: Any, event: Event) -> int:
    token = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")[0]
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def score(gold: list[dict[str, Any]], predicted: list[list[Event]]) -> Scores:
    """Compare predicted events with the gold records, sentence by sentence."""
    scores = Scores()
    for record, events in zip(gold, predicted, strict=True):
        scores.sentences += 1
        want = OLD_TYPES.get(record["event"], record["event"])
        got = {e.type for e in events if not e.negated}
        main = next((e for e in events if not e.negated), None)
        scores.main_correct += main is not None and main.type == want
        scores.any_correct += want in got
        scores.tp[want] += want in got
        scores.fn[want] += want not in got
        for other in got - {want}:
            scores.fp[other] += 1
        match = next((e for e in events if e.type == want and not e.negated), None)
        if match is not None:
            _score_actors(scores, record, match)
    return scores


def _score_actors(scores: Scores, record: dict[str, Any], event: Event) -> None:
    for role, actor in (("source", event.source), ("target", event.target)):
        codes = {a.get("code") for a in (record.get(role) or []) if isinstance(a, dict)}
        codes.discard(None)
        if not codes:
            continue
        scores.actor_total[role] += 1
        scores.actor_hits[role] += actor is not None and actor.country in codes


def evaluate(path: Path = GOLD) -> dict[str, Any]:
    """Run the coder over the gold file and return the summary scores."""
    gold = load_gold(path)
    return score(gold, code_sentences(r["text"] for r in gold)).summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=GOLD)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    result = evaluate(args.path)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        if key != "per_type":
            print(f"{key:>18}: {value}")
    for kind, s in result["per_type"].items():
        print(f"{kind:>18}: P {s['precision']:.2f}  R {s['recall']:.2f}  F1 {s['f1']:.2f}")


if __name__ == "__main__":
    main()
