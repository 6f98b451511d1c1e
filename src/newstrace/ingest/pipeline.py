"""Running one ingest: read, clean, identify, extract, link copies, store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from newstrace.dedup import DuplicateIndex, signature, signature_to_bytes
from newstrace.errors import NewstraceError, SettingsError
from newstrace.ingest.index import open_index
from newstrace.ingest.linking import link_copies, settle_group
from newstrace.ingest.prepare import failure_reason, prepare_document
from newstrace.ingest.ray_engine import run_ray
from newstrace.ingest.worker import Extracted, Prepared, Result
from newstrace.language.detect import is_english
from newstrace.models import InputValue, ReadFailure
from newstrace.settings import Settings
from newstrace.store import Store, WriteInfo

Progress = Callable[[str, str], None]
"""Called as progress(outcome, locator) once per document: new/updated/unchanged/failed."""


@dataclass
class IngestReport:
    """What an ingest did, for the summary and the exit code."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, float | None]] = field(default_factory=list)
    failed: list[ReadFailure] = field(default_factory=list)
    not_english: list[tuple[str, str]] = field(default_factory=list)
    """(article id, language) of articles stored without English extraction."""

    @property
    def stored(self) -> int:
        """Articles written (new or updated)."""
        return len(self.new) + len(self.updated)

    def to_dict(self) -> dict[str, object]:
        """The summary as JSON-friendly data."""
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "near_duplicates": [
                {"id": a, "duplicate_of": b, "similarity": s} for a, b, s in self.duplicates
            ],
            "failed": [{"input": f.locator, "reason": f.reason} for f in self.failed],
            "not_english": [{"id": a, "language": lang} for a, lang in self.not_english],
        }


def ingest(
    inputs: Iterable[InputValue],
    settings: Settings,
    store: Store,
    *,
    published: str | None = None,
    extract: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every document in `inputs` into `store`; never stops on one bad document."""
    results = extraction_results(inputs, settings, store, published, extract)
    return store_results(results, settings, store, progress)


def extraction_results(
    inputs: Iterable[InputValue],
    settings: Settings,
    store: Store,
    published: str | None,
    extract: bool,
) -> Iterator[Result | str]:
    """Results of reading and extracting `inputs` on the engine the settings name;
    an article id stands for an input the store already holds unchanged."""
    if settings.engine == "ray":
        return run_ray(input_paths(inputs), settings, published, extract)
    if settings.engine == "local":
        return _local_results(inputs, settings, store, published, extract)
    raise SettingsError(f"engine {settings.engine!r}: use local or ray")


def input_paths(inputs: Iterable[InputValue]) -> list[str]:
    """The inputs as paths and URLs (what Ray's workers read); documents already read
    are refused (they are ingested with the local engine)."""
    values = list(inputs)
    if any(not isinstance(value, str) for value in values):
        raise SettingsError("documents already read ingest with engine local, not ray")
    return [value for value in values if isinstance(value, str)]


def store_results(
    results: Iterable[Result | str],
    settings: Settings,
    store: Store,
    progress: Progress | None = None,
) -> IngestReport:
    """Link and write extraction results (ids mean "unchanged"); the single writer."""
    report = IngestReport()
    notify = progress or (lambda _outcome, _locator: None)
    index = open_index(settings, store)
    seen: set[str] = set()
    for result in results:
        if isinstance(result, str):
            report.unchanged.append(result)
            notify("unchanged", result)
        elif isinstance(result, ReadFailure):
            _fail(report, notify, result)
        elif result.prepared.article.id in seen:  # the same input given twice in one run
            report.unchanged.append(result.prepared.article.id)
            notify("unchanged", result.prepared.article.locator or "")
        else:
            seen.add(result.prepared.article.id)
            try:
                _write(result, store, index, report, notify)
            except Exception as exc:  # the failure boundary of one article: it fails alone
                article = result.prepared.article
                failure = ReadFailure(
                    article.locator or article.id, failure_reason("cannot store", exc)
                )
                _fail(report, notify, failure)
    return report


def _local_results(
    inputs: Iterable[InputValue],
    settings: Settings,
    store: Store,
    published: str | None,
    extract: bool,
) -> Iterator[Result | str]:
    from newstrace.ingest.engines import run_local
    from newstrace.sources import read_inputs  # sources pull in parsers; import when used

    # Articles to extract stream to the engine in batches; failures and unchanged
    # inputs skip it and are passed on as they are met.
    passthrough: list[ReadFailure | str] = []

    def to_extract() -> Iterator[Prepared]:
        for item in read_inputs(inputs, settings):
            outcome = prepare_document(item, store, published, extract, settings)
            if isinstance(outcome, Prepared):
                yield outcome
            else:
                passthrough.append(outcome)

    for result in run_local(to_extract(), settings, extract):
        yield from _drain(passthrough)
        yield result
    yield from _drain(passthrough)


def _drain(items: list[ReadFailure | str]) -> Iterator[ReadFailure | str]:
    while items:
        yield items.pop(0)


def _write(
    extracted: Extracted,
    store: Store,
    index: DuplicateIndex,
    report: IngestReport,
    notify: Progress,
) -> None:
    prepared, record = extracted.prepared, extracted.record
    article = prepared.article
    sig = signature(article.text, index.num_perm)
    link = link_copies(store, index, article, sig)
    record = replace(record, article=replace(article, duplicate_of=link.duplicate_of))
    info = WriteInfo(prepared.content_hash, signature_to_bytes(sig), link.similarity)
    try:
        is_new = store.save(record, info, link.relink)
    except NewstraceError as exc:
        _fail(report, notify, ReadFailure(article.locator or article.id, str(exc)))
        return
    index.add(article.id, sig)
    if index.shared:
        settle_group(store, index, article.id, sig)
    # New or updated as the store's transaction saw it: another ingest running at the
    # same time may have written this article since it was prepared.
    (report.new if is_new else report.updated).append(article.id)
    if not is_english(article.language):
        report.not_english.append((article.id, article.language or ""))
    if link.duplicate_of:
        report.duplicates.append((article.id, link.duplicate_of, link.similarity))
    for member, root in link.relink.items():
        report.duplicates.append((member, root, None))
    notify("new" if is_new else "updated", article.locator or article.id)


def _fail(report: IngestReport, notify: Progress, failure: ReadFailure) -> None:
    report.failed.append(failure)
    notify("failed", failure.locator)
