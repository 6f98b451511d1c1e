"""Ingest jobs started from the browser, run one at a time out of process.

The web layer never imports the NLP: each job runs
``python -m newstrace --db DB ingest --json --quiet [--allow-private] -- INPUTS``
in a subprocess (the same private-address guard and error handling as the CLI)
and the page polls `/api/jobs/{id}` for its status. Progress while it runs is the
number of articles the store has gained since the job started.
"""

from __future__ import annotations

import itertools
import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from newstrace.store import Store
from newstrace.web.config import WebConfig

Status = Literal["queued", "running", "done", "failed"]
JOB_TIMEOUT = 3600.0
KEEP_JOBS = 100


@dataclass
class Job:
    """One ingest request and what became of it."""

    id: str
    label: str
    inputs: list[str]
    published: str | None = None
    workdir: Path | None = None
    status: Status = "queued"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    articles_before: int = 0
    articles_now: int = 0
    summary: dict[str, Any] | None = None
    error: str | None = None

    @property
    def elapsed(self) -> float:
        """Seconds it has run (or ran)."""
        if self.started is None:
            return 0.0
        return (self.finished or time.time()) - self.started

    @property
    def stored(self) -> int:
        """Articles the store gained while it ran."""
        return max(0, self.articles_now - self.articles_before)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "inputs": len(self.inputs),
            "status": self.status,
            "elapsed": round(self.elapsed, 1),
            "articles_stored": self.stored,
            "summary": self.summary,
            "error": self.error,
        }


class JobQueue:
    """Ingest jobs, run in order by one worker thread."""

    def __init__(
        self, config: WebConfig, store: Store, after: Callable[[], None] | None = None
    ) -> None:
        self.config = config
        self.store = store
        self.after = after  # run when a job has finished (brings the analysis up to date)
        self.jobs: dict[str, Job] = {}
        self._counter = itertools.count(1)
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(
        self, label: str, inputs: list[str], workdir: Path | None, published: str | None
    ) -> Job:
        """Queue a job; the worker starts on first use."""
        job = Job(f"j{next(self._counter)}", label, inputs, published, workdir)
        with self._lock:
            self.jobs[job.id] = job
            self._forget_old()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._work, name="newstrace-ingest", daemon=True
                )
                self._worker.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job, with its progress refreshed while it runs."""
        job = self.jobs.get(job_id)
        if job is not None and job.status == "running":
            job.articles_now = self.store.count_articles()
        return job

    def recent(self) -> list[Job]:
        """Jobs, newest first."""
        return sorted(self.jobs.values(), key=lambda j: j.created, reverse=True)

    def _forget_old(self) -> None:
        finished = [j for j in self.recent() if j.status in ("done", "failed")]
        for job in finished[KEEP_JOBS:]:
            self.jobs.pop(job.id, None)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                self.run(job)
            finally:
                self._queue.task_done()

    def command(self, job: Job) -> list[str]:
        """The command line of the ingest subprocess."""
        cfg = self.config
        cmd = [cfg.python, "-m", "newstrace", "--db", cfg.db]
        if cfg.model:
            cmd += ["--model", cfg.model]
        if cfg.config_path:
            cmd += ["--config", cfg.config_path]
        cmd += ["ingest", "--json", "--quiet"]
        if cfg.allow_private:
            cmd.append("--allow-private")
        if job.published:
            cmd += ["--published", job.published]
        return [*cmd, "--", *job.inputs]

    def run(self, job: Job) -> None:
        """Run one job to completion, recording its summary or error; the job is marked
        done only once the analysis has caught up with what it stored."""
        job.status = "running"
        job.started = time.time()
        job.articles_before = job.articles_now = self.store.count_articles()
        status: Status = "failed"
        try:
            done = subprocess.run(
                self.command(job), capture_output=True, text=True, timeout=JOB_TIMEOUT, check=False
            )
            job.summary = _last_json(done.stdout)
            job.error = _last_line(done.stderr) if done.returncode else None
            status = "done" if done.returncode == 0 else "failed"
        except (OSError, subprocess.SubprocessError) as exc:
            job.error = f"ingest could not run: {exc}"
        finally:
            job.articles_now = self.store.count_articles()
            if job.workdir is not None:
                shutil.rmtree(job.workdir, ignore_errors=True)
            if self.after is not None:  # cheap when nothing changed
                self.after()
            job.status, job.finished = status, time.time()


def _last_json(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        return value if isinstance(value, dict) else None
    return None


def _last_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "ingest failed"
