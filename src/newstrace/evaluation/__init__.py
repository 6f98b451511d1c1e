"""newstrace.evaluation: measured accuracy on public annotated corpora.

One module per task, each reading its data set's own format, running the real
extraction on the data set's text and scoring the result:

* `attribution` — claims vs PolNeAR-style attributions (source, cue, content);
* `timex` — time expressions vs TimeML (TempEval-3 Task A);
* `article` — article bodies from HTML vs the Zyte benchmark (4-gram shingles);
* `ner` — entities vs CoNLL-2003 PER/ORG/LOC, raw spaCy and newstrace's corrected.

`evaluate(task, path, split, limit, settings)` runs one; `compare_to_baseline` checks
the result against pinned floors (the accuracy gate).
"""

from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.run import (
    TASKS,
    compare_to_baseline,
    evaluate,
    floors_for,
    load_baseline,
)

__all__ = [
    "TASKS",
    "EvalResult",
    "compare_to_baseline",
    "evaluate",
    "floors_for",
    "load_baseline",
]
