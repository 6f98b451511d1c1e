"""Running one ingest: read, clean, identify, extract, link copies, store."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from newstrace.clean import clean_document
from newstrace.dedup import DuplicateIndex, signature, signature_from_bytes, signature_to_bytes
from newstrace.errors import NewstraceError
from newstrace.ingest.identity import article_id, content_hash
from newstrace.ingest.linking import link_copies
from newstrace.models import Article, RawDocument, ReadFailure, Record
from newstrace.settings import Settings
from newstrace.sources.metadata import outlet_from_url
from newstrace.store import Store, WriteInfo

# Articles handed to spaCy at a time; a failing chunk is retried article by article.
CHUNK_SIZE = 64

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

    @property
    def stored(self) -> int:
        return len(self.new) + len(self.updated)

    @property
    def seen(self) -> int:
        return self.stored + len(self.unchanged) + len(self.failed)

    def to_dict(self) -> dict[str, object]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "near_duplicates": [
                {"id": a, "duplicate_of": b, "similarity": s} for a, b, s in self.duplicates
            ],
            "failed": [{"input": f.locator, "reason": f.reason} for f in self.failed],
        }


@dataclass(frozen=True)
class Prepared:
    """An article ready for extraction, with what the store needs to know about it."""

    article: Article
    content_hash: str
    is_update: bool


def prepare_article(raw: RawDocument, published: str | None = None) -> Article | ReadFailure:
    """Clean one raw document into an `Article` (or a failure naming the reason)."""
    cleaned = clean_document(raw)
    if not cleaned.text.strip():
        return ReadFailure(raw.locator, "no article text found")
    return Article(
        id=article_id(raw),
        text=cleaned.text,
        title=raw.title or cleaned.title,
        url=raw.url or cleaned.url,
        # Outlets are named by web domain when one is known, so one outlet is one
        # name whether it came from a WARC, a saved page or a feed.
        outlet=raw.outlet or outlet_from_url(raw.url or cleaned.url) or cleaned.outlet,
        published=raw.published or cleaned.published or published,
        author=raw.author or cleaned.author,
        removed=cleaned.removed,
        locator=raw.locator,
        raw=raw.content,
        raw_kind=raw.kind,
    )


def ingest(
    inputs: Iterable[str],
    settings: Settings,
    store: Store,
    *,
    published: str | None = None,
    extract: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every document in `inputs` into `store`; never stops on one bad document."""
    from newstrace.sources import read_inputs  # sources pull in parsers; import when used

    report = IngestReport()
    notify = progress or (lambda _outcome, _locator: None)
    index = DuplicateIndex(settings.dedup_threshold, settings.dedup_num_perm)
    index.add_all((aid, signature_from_bytes(sig)) for aid, sig in store.signatures())
    documents = read_inputs(inputs, settings)
    pending = _pending(documents, store, published, extract, report, notify)
    for prepared, record in _extracted(pending, settings, extract, report, notify):
        _write(prepared, record, store, index, report, notify)
    return report


def _pending(
    documents: Iterable[RawDocument | ReadFailure],
    store: Store,
    published: str | None,
    extract: bool,
    report: IngestReport,
    notify: Progress,
) -> Iterator[Prepared]:
    seen: set[str] = set()
    for item in documents:
        if isinstance(item, ReadFailure):
            _fail(report, notify, item)
            continue
        try:
            result = prepare_article(item, published)
        except NewstraceError as exc:  # defensive: cleaning is total, but say so if not
            result = ReadFailure(item.locator, str(exc))
        if isinstance(result, ReadFailure):
            _fail(report, notify, result)
            continue
        digest = content_hash(item, published, extract)
        stored = store.content_hash(result.id)
        if stored == digest or result.id in seen:
            report.unchanged.append(result.id)
            notify("unchanged", item.locator)
            continue
        seen.add(result.id)
        yield Prepared(result, digest, is_update=stored is not None)


def _extracted(
    pending: Iterator[Prepared],
    settings: Settings,
    extract: bool,
    report: IngestReport,
    notify: Progress,
) -> Iterator[tuple[Prepared, Record]]:
    if not extract:
        for prepared in pending:
            yield prepared, Record(prepared.article)
        return
    while chunk := list(itertools.islice(pending, CHUNK_SIZE)):
        yield from _extract_chunk(chunk, settings, report, notify)


def _extract_chunk(
    chunk: list[Prepared], settings: Settings, report: IngestReport, notify: Progress
) -> Iterator[tuple[Prepared, Record]]:
    from newstrace.extract import extract_records  # loads spaCy: only when extracting

    try:
        records = list(extract_records([p.article for p in chunk], settings))
    except NewstraceError:
        raise  # a model that cannot load fails the whole command
    except Exception:  # one bad article must not cost the chunk: retry one by one
        if len(chunk) == 1:
            raise
        for prepared in chunk:
            try:
                yield from _extract_chunk([prepared], settings, report, notify)
            except Exception as exc:
                reason = f"extraction failed ({exc.__class__.__name__}: {exc})"
                _fail(report, notify, ReadFailure(prepared.article.locator or "?", reason))
        return
    yield from zip(chunk, records, strict=True)


def _write(
    prepared: Prepared,
    record: Record,
    store: Store,
    index: DuplicateIndex,
    report: IngestReport,
    notify: Progress,
) -> None:
    article = prepared.article
    sig = signature(article.text, index.num_perm)
    link = link_copies(store, index, article.id, article.published, sig)
    record = replace(record, article=replace(article, duplicate_of=link.duplicate_of))
    info = WriteInfo(prepared.content_hash, signature_to_bytes(sig), link.similarity)
    try:
        store.save(record, info, link.relink)
    except NewstraceError as exc:
        _fail(report, notify, ReadFailure(article.locator or article.id, str(exc)))
        return
    index.add(article.id, sig)
    (report.updated if prepared.is_update else report.new).append(article.id)
    if link.duplicate_of:
        report.duplicates.append((article.id, link.duplicate_of, link.similarity))
    for member, root in link.relink.items():
        report.duplicates.append((member, root, None))
    notify("updated" if prepared.is_update else "new", article.locator or article.id)


def _fail(report: IngestReport, notify: Progress, failure: ReadFailure) -> None:
    report.failed.append(failure)
    notify("failed", failure.locator)
