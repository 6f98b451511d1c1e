"""The public `Store`: a `Reader` that can also write (ingest, load, correct, export)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from os import PathLike
from pathlib import Path
from typing import Literal, Self, TextIO

from newstrace.alerts import AlertReport, add_rule, deliver_due, now, run_alerts
from newstrace.analysis import ensure_analysed, merge_entities, split_entity, update_analysis
from newstrace.analysis.export import export as export_store
from newstrace.errors import StoreBusyError, StoreError
from newstrace.ingest import IngestReport, Progress
from newstrace.ingest import ingest as run_ingest
from newstrace.ingest.parquet import ingest_to_parquet, load_rows
from newstrace.ingest.vectors import embed_claims
from newstrace.models import InputValue, RawDocument
from newstrace.reader import Reader
from newstrace.settings import Settings
from newstrace.sources.count import count_documents
from newstrace.store import Store as Database
from newstrace.store import alerts as alert_queries
from newstrace.store.alerts import AlertRule, RuleSpec
from newstrace.store.analysis_queries import stale_article_ids

ExportFormat = Literal["jsonl", "csv", "parquet"]
Inputs = str | PathLike[str] | RawDocument | Iterable[str | PathLike[str] | RawDocument]


class Store(Reader):
    """A newstrace store: articles, their extraction records and the cross-article
    analysis, in SQLite (a file) or PostgreSQL. Every read of `Reader`, plus writing:
    ingest, load, entity corrections and export.

    Open one with `Store.open` (``create=True`` makes a new one) and use it as a
    context manager:

    ```python
    with Store.open("news.db", create=True) as store:
        store.ingest("examples/")
        for row in store.claims(stance="deny"):
            print(row.claim.speaker.text, row.claim.content.text)
    ```
    """

    @classmethod
    def open(
        cls,
        url: str | PathLike[str] | None = None,
        *,
        settings: Settings | None = None,
        read_only: bool = False,
        create: bool = False,
    ) -> Self:
        """Open the store at `url` (a SQLite path, a ``sqlite:///`` or a
        ``postgresql://`` URL; without it, the ``db`` setting: ``NEWSTRACE_DB``,
        ``newstrace.toml``, else ``./newstrace.db``), migrating its schema if it is
        behind, and bring its analysis up to date (articles written by an earlier
        newstrace). A store that is not there is refused with `NoSuchStoreError` (exit
        4 in the CLI), creating nothing, unless ``create=True``: a new, empty store is
        made. `settings` defaults to `load_settings()`. With `read_only` nothing is
        written at all and the writing methods fail."""
        store = super().open(url, settings=settings, read_only=read_only, create=create)
        if not read_only:
            store._catch_up()
        return store

    def _catch_up(self) -> None:
        """Vectors and analysis for articles stored without them (by an earlier
        newstrace, or loaded); skipped while another process writes the store (an
        ingest running: it brings the analysis up to date itself), so reading then
        sees the analysis as it last was instead of failing."""
        try:
            with self._db.reading() as conn:
                stale = stale_article_ids(conn)
            embed_claims(self._db, stale)
            ensure_analysed(self._db)
        except StoreBusyError:
            pass

    @property
    def database(self) -> Database:
        """The internal store under this one, for the writers layered above the API
        (`newstrace.watch` keeps its state there, through `store.watch`)."""
        return self._db

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url}: the store was opened read-only; open it to write")

    # --- writing --------------------------------------------------------------------

    def ingest(
        self,
        inputs: Inputs,
        *,
        published: str | None = None,
        extract: bool = True,
        progress: Progress | None = None,
        out: str | PathLike[str] | None = None,
    ) -> IngestReport:
        """Read, clean, deduplicate, extract and store `inputs`, then update the analysis.

        `inputs` is one or several files, folders, http(s) URLs or ``-`` (standard input),
        or documents already read (`RawDocument`, as `newstrace watch` hands its
        fetched articles over).
        `published` (``YYYY-MM-DD``) dates inputs that carry no date. With
        ``extract=False`` only cleaned, deduplicated articles are stored. `progress` is
        called as ``progress(outcome, locator)`` once per document. With `out`, the
        results are written as Parquet files into that folder instead (see `load`).
        A bad input is reported in the returned report and skipped.
        """
        self._check_writable()
        values = _input_list(inputs)
        run = run_ingest if out is None else partial(ingest_to_parquet, out_dir=Path(out))
        report = run(
            values, self._settings, self._db, published=published, extract=extract,
            progress=progress,
        )  # fmt: skip
        self._analyse([*report.new, *report.updated])
        self.last_alerts = self.run_alerts(check=bool(report.new or report.updated))
        return report

    def count_documents(self, inputs: Inputs) -> int | None:
        """How many documents `inputs` hold, for a progress bar: text and HTML files one
        each, JSON Lines one per non-blank line, WARC archives, feeds, JSON and gzipped
        files as many as their reader yields (read through once, without extraction);
        None for URLs and standard input (read only once)."""
        return count_documents(_input_list(inputs), self._settings)

    def load(
        self, directory: str | PathLike[str], *, progress: Progress | None = None
    ) -> IngestReport:
        """Load Parquet results written by ``ingest(..., out=DIR)``, linking copies.

        Rows already stored unchanged are skipped, so loading twice changes nothing.
        Any other folder (the tables of `export` included) raises `InputError`.
        """
        self._check_writable()
        report = load_rows(Path(directory), self._settings, self._db, progress)
        self._analyse([*report.new, *report.updated])
        self.last_alerts = self.run_alerts(check=bool(report.new or report.updated))
        return report

    def _analyse(self, article_ids: list[str]) -> None:
        """The claims' sentence vectors (computed once per wording), then the analysis."""
        if article_ids:
            embed_claims(self._db, article_ids)
        update_analysis(self._db, article_ids)

    # --- alerts ---------------------------------------------------------------------

    last_alerts: AlertReport | None = None
    """What the alert check at the end of the last `ingest` or `load` did (None: no
    rule is set)."""

    def run_alerts(
        self, *, check: bool = True, deliver: bool = True, out: TextIO | None = None
    ) -> AlertReport | None:
        """Check every alert rule against the store (unless not `check`) and deliver what
        is due (unless not `deliver`); None when no rule is set. Run at the end of every
        `ingest` and `load`, checking the rules when an article was stored. `out`
        receives the alerts of ``stdout`` rules (standard output by default)."""
        self._check_writable()
        out = out or self.alert_out
        return run_alerts(self, self._db, check=check, deliver=deliver, out=out)

    alert_out: TextIO | None = None
    """Where ``stdout`` rules write their alerts (None: standard output)."""

    def add_alert(self, spec: RuleSpec, *, backfill: bool = False) -> AlertRule:
        """Set an alert rule (checked by `alerts.rules.rule_spec`). What it matches now
        is its baseline and never fires, unless `backfill`."""
        self._check_writable()
        return add_rule(self, self._db, spec, backfill)

    def remove_alert(self, ref: str) -> AlertRule:
        """Delete the alert rule named (or numbered) `ref`, with its history."""
        self._check_writable()
        rule = self.alert_rule(ref)
        with self._db.writing() as conn:
            alert_queries.remove_rule(conn, rule.id)
        return rule

    def retry_alerts(self, rule: str | None = None, *, out: TextIO | None = None) -> AlertReport:
        """Queue the failed deliveries (of one rule, or all) again and deliver them."""
        self._check_writable()
        rule_id = self.alert_rule(rule).id if rule else None
        with self._db.writing() as conn:
            alert_queries.retry_failed(conn, rule_id)
        report = AlertReport()
        deliver_due(self._settings, self._db, report, out or self.alert_out)
        return report

    def mark_alerts_read(self, ids: Iterable[int]) -> int:
        """Mark alerts (by id) as read; returns how many were unread."""
        self._check_writable()
        with self._db.writing() as conn:
            return alert_queries.mark_read(conn, list(ids), now())

    def merge_entities(self, keep: str, other: str) -> None:
        """Merge entity `other` into `keep` (ids or exact names); the correction is
        stored and re-applied after every re-analysis."""
        self._check_writable()
        ensure_analysed(self._db)
        merge_entities(self._db, keep, other)

    def split_entity(self, entity: str, alias: str) -> str:
        """Move the mentions of `entity` named `alias` to an entity of their own;
        returns the new entity's id. The correction survives re-analysis."""
        self._check_writable()
        ensure_analysed(self._db)
        return split_entity(self._db, entity, alias)

    def export(self, format: ExportFormat, out: str | PathLike[str]) -> dict[str, int]:
        """Export the store: ``jsonl`` (one extraction record per article, into the file
        `out`), or ``csv``/``parquet`` (one file per table in the folder `out`).
        Returns the number of rows written per table."""
        return export_store(self._db, format, Path(out))


def _input_list(inputs: Inputs) -> list[InputValue]:
    if isinstance(inputs, str | PathLike | RawDocument):
        return [_input_value(inputs)]
    return [_input_value(item) for item in inputs]


def _input_value(item: str | PathLike[str] | RawDocument) -> InputValue:
    return item if isinstance(item, RawDocument) else str(item)
