"""The public `Store`: open a database, ingest into it, and query it."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from os import PathLike
from pathlib import Path
from typing import Literal

from newstrace.analysis import (
    ensure_analysed,
    list_entities,
    merge_entities,
    split_entity,
    update_analysis,
)
from newstrace.analysis.contradictions import Contradiction, find_contradictions
from newstrace.analysis.export import export as export_store
from newstrace.analysis.groups import ClaimGroup, Member, largest_groups
from newstrace.analysis.history import HISTORY_LIMIT, FigurePoint, figure_history
from newstrace.analysis.history import timeline as build_timeline
from newstrace.analysis.network import Network, build_network
from newstrace.analysis.series import SeriesCount, list_series
from newstrace.api.results import EntitySummary, Results
from newstrace.ingest import IngestReport, Progress
from newstrace.ingest import ingest as run_ingest
from newstrace.ingest.parquet import ingest_to_parquet, load_rows
from newstrace.models import Record, Stance
from newstrace.settings import Settings, load_settings
from newstrace.store import ArticleSummary, ClaimRow
from newstrace.store import Store as Database
from newstrace.store.filters import until_bound

ExportFormat = Literal["jsonl", "csv", "parquet"]
Inputs = str | PathLike[str] | Iterable[str | PathLike[str]]


class Store:
    """A newstrace store: articles, their extraction records and the cross-article
    analysis, in SQLite (a file) or PostgreSQL.

    Open one with `Store.open` and use it as a context manager:

    ```python
    with Store.open("news.db") as store:
        store.ingest("examples/")
        for row in store.claims(stance="deny"):
            print(row.claim.speaker.text, row.claim.content.text)
    ```
    """

    def __init__(self, database: Database, settings: Settings) -> None:
        """Wrap an open internal database; use `Store.open` instead."""
        self._db = database
        self._settings = settings

    @classmethod
    def open(
        cls, url: str | PathLike[str] | None = None, *, settings: Settings | None = None
    ) -> Store:
        """Open (creating and migrating if needed) the store at `url`.

        `url` is a SQLite file path, a ``sqlite:///`` URL or a ``postgresql://`` URL;
        without it, the ``db`` setting is used (``NEWSTRACE_DB``, ``newstrace.toml``,
        else ``./newstrace.db``). `settings` defaults to `load_settings()`.
        """
        chosen = settings or load_settings()
        if url is not None:
            chosen = chosen.with_overrides(db=str(url))
        return cls(Database.open(chosen.db), chosen)

    @property
    def settings(self) -> Settings:
        """The settings this store was opened with (used by `ingest`)."""
        return self._settings

    @property
    def url(self) -> str:
        """The path or URL of the database."""
        return self._db.db

    def close(self) -> None:
        """Release the database connections."""
        self._db.close()

    def __enter__(self) -> Store:
        """Use the store in a ``with`` block; it is closed at the end."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the store."""
        self.close()

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

        `inputs` is one or several files, folders, http(s) URLs or ``-`` (standard input).
        `published` (``YYYY-MM-DD``) dates inputs that carry no date. With
        ``extract=False`` only cleaned, deduplicated articles are stored. `progress` is
        called as ``progress(outcome, locator)`` once per document. With `out`, the
        results are written as Parquet files into that folder instead (see `load`).
        A bad input is reported in the returned report and skipped.
        """
        values = _input_list(inputs)
        run = run_ingest if out is None else partial(ingest_to_parquet, out_dir=Path(out))
        report = run(
            values, self._settings, self._db, published=published, extract=extract,
            progress=progress,
        )  # fmt: skip
        update_analysis(self._db, [*report.new, *report.updated])
        return report

    def load(
        self, directory: str | PathLike[str], *, progress: Progress | None = None
    ) -> IngestReport:
        """Load Parquet results written by ``ingest(..., out=DIR)``, linking copies.

        Rows already stored unchanged are skipped, so loading twice changes nothing.
        """
        return load_rows(Path(directory), self._settings, self._db, progress)

    def merge_entities(self, keep: str, other: str) -> None:
        """Merge entity `other` into `keep` (ids or exact names); the correction is
        stored and re-applied after every re-analysis."""
        ensure_analysed(self._db)
        merge_entities(self._db, keep, other)

    def split_entity(self, entity: str, alias: str) -> str:
        """Move the mentions of `entity` named `alias` to an entity of their own;
        returns the new entity's id. The correction survives re-analysis."""
        ensure_analysed(self._db)
        return split_entity(self._db, entity, alias)

    def export(self, format: ExportFormat, out: str | PathLike[str]) -> dict[str, int]:
        """Export the store: ``jsonl`` (one extraction record per article, into the file
        `out`), or ``csv``/``parquet`` (one file per table in the folder `out`).
        Returns the number of rows written per table."""
        ensure_analysed(self._db)
        return export_store(self._db, format, Path(out))

    # --- articles and claims --------------------------------------------------------

    def articles(
        self,
        search: str | None = None,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> Results[ArticleSummary]:
        """Stored articles, newest first.

        `search` is full-text (all words must match), `outlet` a substring of the
        outlet, `since`/`until` publication dates (``YYYY``, ``YYYY-MM`` or
        ``YYYY-MM-DD``, both inclusive).
        """
        found = self._db.articles(search, outlet, since, until_bound(until), limit)
        return Results(found)

    def article(self, article_id: str) -> Record:
        """The extraction record of one article; `article_id` may be a unique prefix.
        Raises `NotFoundError` when no (or more than one) article matches."""
        return self._db.record(self._db.resolve_article_id(article_id))

    def copies(self, article_id: str) -> Results[ArticleSummary]:
        """The other copies of an article's story (earliest copy first)."""
        return Results(self._db.copies(self._db.resolve_article_id(article_id)))

    def claims(
        self,
        *,
        speaker: str | None = None,
        about: str | None = None,
        stance: Stance | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> Results[ClaimRow]:
        """Claims across articles, newest first: `speaker` and `about` match the speaker
        and the claim's content (case-insensitive substrings), `stance` is exact,
        `since`/`until` bound the publication date (inclusive)."""
        rows = self._db.claims(speaker, about, stance, since, until_bound(until), limit)
        return Results(rows)

    # --- cross-article analysis ----------------------------------------------------

    def entities(
        self, search: str | None = None, *, limit: int | None = None
    ) -> Results[EntitySummary]:
        """Actors resolved across articles, most cited first; `search` matches a name
        or alias (case-insensitive)."""
        ensure_analysed(self._db)
        rows = list_entities(self._db, search)[:limit]
        return Results(EntitySummary.from_dict(row) for row in rows)

    def figures(
        self, about: str, *, include_repeats: bool = False, limit: int | None = HISTORY_LIMIT
    ) -> Results[FigurePoint]:
        """How a reported number changed over time: the points of the figure series
        whose measure or holder matches `about` (``"troops"``, ``"Karsk"``, or several
        terms: ``"troops|soldiers"``), in publication order; each point knows its
        series (`FigurePoint.member.series`). Repeats of an earlier
        report of the same figure are left out unless `include_repeats`. `limit` keeps
        the most recent points (1,000 by default; None for all of them)."""
        ensure_analysed(self._db)
        return Results(figure_history(self._db, about, first_only=not include_repeats, limit=limit))

    def series(self, about: str | None = None, *, limit: int | None = 50) -> list[SeriesCount]:
        """Figure series (holder, measure, predicate) by number of reported points;
        `about` matches measure or holder names ("troops", "Karsk")."""
        ensure_analysed(self._db)
        return list_series(self._db, about, limit=limit or 1_000_000)

    def timeline(
        self,
        about: str | None = None,
        *,
        entity: str | None = None,
        limit: int | None = HISTORY_LIMIT,
    ) -> Results[Member]:
        """Claims about a topic (`about`, a substring of the content) and/or an entity
        (`entity`, an id from `entities`), ordered by the date of what happened, else
        the publication date. `limit` keeps the claims whose date is the most recent
        (1,000 by default; None for all of them)."""
        ensure_analysed(self._db)
        return Results(build_timeline(self._db, about, entity, limit=limit))

    def groups(self, *, limit: int | None = 20, min_items: int = 2) -> Results[ClaimGroup]:
        """Claims that state one proposition across articles, largest first, with their
        outlets and independent sources."""
        ensure_analysed(self._db)
        return Results(largest_groups(self._db, limit, min_items))

    def contradictions(self) -> Results[Contradiction]:
        """Where sources disagree: denials, retractions and conflicting figures."""
        ensure_analysed(self._db)
        return Results(find_contradictions(self._db))

    def network(self) -> Network:
        """The actor network: who speaks about, disputes and cites whom, with counts."""
        ensure_analysed(self._db)
        return build_network(self._db)


def _input_list(inputs: Inputs) -> list[str]:
    if isinstance(inputs, str | PathLike):
        return [str(inputs)]
    return [str(item) for item in inputs]
