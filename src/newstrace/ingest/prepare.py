"""Cleaning and identifying one document before extraction (every engine does this)."""

from __future__ import annotations

from functools import cache

from newstrace.clean import clean_document
from newstrace.errors import NewstraceError
from newstrace.ingest.budget import OverBudget, time_budget
from newstrace.ingest.identity import article_id, content_hash
from newstrace.ingest.worker import Prepared
from newstrace.language.detect import detect_language
from newstrace.models import Article, CleanedDocument, RawDocument, ReadFailure, domain_of
from newstrace.settings import Settings
from newstrace.sources.metadata import outlet_from_url
from newstrace.store import Store


def prepare_article(
    raw: RawDocument, published: str | None = None, settings: Settings | None = None
) -> Article | ReadFailure:
    """Clean one raw document into an `Article` (or a failure naming the reason).

    With `settings`, its per-document budget applies: cleaning may take at most
    `document_timeout` seconds and the text may hold at most `max_document_chars`.
    """
    budget = settings.document_timeout if settings else 0.0
    if budget:
        _warm_up()
    with time_budget(budget, "cleaning"):
        cleaned = clean_document(raw)
    if not cleaned.text.strip():
        return ReadFailure(raw.locator, "no article text found")
    if settings and len(cleaned.text) > settings.max_document_chars:
        return ReadFailure(
            raw.locator,
            f"article text too long ({len(cleaned.text):,} characters > "
            f"max_document_chars {settings.max_document_chars:,})",
        )
    name, evidence = outlet_name(raw, cleaned)
    return Article(
        id=article_id(raw),
        text=cleaned.text,
        title=raw.title or cleaned.title,
        url=raw.url or cleaned.url,
        outlet=outlet_key(raw, cleaned),
        outlet_name=name,
        outlet_evidence=evidence,
        published=raw.published or cleaned.published or published,
        author=raw.author or cleaned.author,
        removed=cleaned.removed,
        locator=raw.locator,
        raw=raw.content,
        raw_kind=raw.kind,
        language=detect_language(cleaned.text),
    )


# How strongly an article's own source names its outlet (`Article.outlet_evidence`):
# the store keeps, per outlet key, the name of the strongest (then earliest) evidence.
SITE_METADATA = 3  # og:site_name or the publisher in JSON-LD (trafilatura's sitename)
RECORD_FIELD = 2  # an "outlet" field that is a name ("Valdoria Wire Service")
FEED_TITLE = 1  # the title of the feed the entry came from, its section cut off


def outlet_key(raw: RawDocument, cleaned: CleanedDocument) -> str | None:
    """The outlet's key: the web domain of the article's URL when known, so one site is
    one outlet whether it came as a page, a feed entry, a WARC record or a JSON Lines
    record; else the outlet as the source gave it (a domain lower-cased)."""
    given = raw.outlet or cleaned.outlet
    return outlet_from_url(raw.url or cleaned.url) or domain_of(given) or given


def outlet_name(raw: RawDocument, cleaned: CleanedDocument) -> tuple[str | None, int]:
    """The outlet's name as this article's source gives it, with how strong that
    evidence is (a domain is no name: trafilatura falls back to the host)."""
    for name, evidence in (
        (cleaned.site_name, SITE_METADATA),
        (raw.outlet, RECORD_FIELD),
        (raw.feed_title, FEED_TITLE),
    ):
        if name and name.strip() and not domain_of(name):
            return name.strip(), evidence
    return None, 0


def prepare_document(
    item: RawDocument | ReadFailure,
    store: Store,
    published: str | None,
    extract: bool,
    settings: Settings | None = None,
) -> Prepared | ReadFailure | str:
    """Clean and identify one document: a `Prepared` article to extract, a failure, or
    the article id when the store already holds this exact input (unchanged)."""
    if isinstance(item, ReadFailure):
        return item
    result = prepare_alone(item, published, settings)
    if isinstance(result, ReadFailure):
        return result
    try:
        digest = content_hash(item, published, extract)
        stored = store.content_hash(result.id)
    except Exception as exc:  # the failure boundary of one document: it fails alone
        return ReadFailure(item.locator, failure_reason("cannot prepare", exc))
    if stored == digest:
        return result.id
    return Prepared(result, digest, is_update=stored is not None)


def prepare_alone(
    raw: RawDocument, published: str | None, settings: Settings | None
) -> Article | ReadFailure:
    """`prepare_article` as the failure boundary of one document: past its budget, or
    on any error, the document fails alone."""
    try:
        return prepare_article(raw, published, settings)
    except OverBudget as exc:
        return ReadFailure(raw.locator, str(exc))
    except Exception as exc:  # the failure boundary of one document: it fails alone
        return ReadFailure(raw.locator, failure_reason("cannot prepare", exc))


def failure_reason(step: str, exc: Exception) -> str:
    """The reason a document failed at `step`, for its one-line failure."""
    if isinstance(exc, NewstraceError):
        return str(exc)
    return f"{step} ({exc.__class__.__name__}: {exc})"


@cache
def _warm_up() -> None:
    """Clean a tiny page once, outside any budget: what cleaning imports and loads on
    first use must not count against the first document's time."""
    page = "<html><body><article><p>The pier reopened on Monday.</p></article></body></html>"
    clean_document(RawDocument(locator="warm-up", kind="html", content=page))
