"""A time budget for one step on one document: past it the step raises, the document
fails alone and the batch goes on.

Hand-written on `signal.setitimer` (no library offers a timeout for in-process,
CPU-bound Python code): the alarm interrupts the step between Python bytecodes, so a
long C call (one huge lxml parse) finishes before the budget takes effect. It works
in a process's main thread, where ingest and the extraction workers run; elsewhere
(a thread) no budget applies.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class OverBudget(BaseException):
    """A step on one document ran past its time budget.

    A BaseException, as KeyboardInterrupt is: libraries catch ``Exception`` broadly
    (trafilatura falls back to another extractor), and the budget must get through
    them. The ingest's failure boundaries catch it by name.
    """


@contextmanager
def time_budget(seconds: float, what: str) -> Iterator[None]:
    """Raise `OverBudget` inside the block once it has run `seconds` (0: no budget)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield  # no budget asked for, not possible here, or one already running outside
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise OverBudget(f"{what} took longer than {seconds:g}s (document_timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
