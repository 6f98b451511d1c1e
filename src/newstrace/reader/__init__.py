"""The one read entry point: `Reader`, used by the command line, the web and notebooks.

It never writes (so it serves a read-only SQLite file or a read-only PostgreSQL role)
and never loads spaCy or the ingest pipeline: writing lives in `newstrace.api.Store`,
which is a `Reader` that can also ingest, load and correct. The analysis it reads is
brought up to date when data is written.
"""

from __future__ import annotations

from collections import Counter
from os import PathLike
from typing import Self, TypeVar

from newstrace.analysis import list_entities
from newstrace.analysis.contradictions import Contradiction, stored_contradictions
from newstrace.analysis.group_pages import GroupView
from newstrace.analysis.group_pages import group as group_view
from newstrace.analysis.groups import ClaimGroup, Member, group_listing
from newstrace.analysis.history import HISTORY_LIMIT, FigurePoint, figure_history
from newstrace.analysis.history import timeline as build_timeline
from newstrace.analysis.network import Network, build_network
from newstrace.analysis.series import SeriesCount, find_series, list_series
from newstrace.errors import NotFoundError
from newstrace.models import Record, Stance, numbered
from newstrace.reader.results import EntitySummary, Results, Row
from newstrace.settings import Settings, load_settings
from newstrace.store import ArticleSummary, ClaimRow
from newstrace.store import Store as Database
from newstrace.store import alerts as alert_queries
from newstrace.store.alerts import AlertFilter, AlertRule, Delivery
from newstrace.store.contradictions import (
    ContradictionFilter,
    contradiction_count,
    contradiction_tallies,
)
from newstrace.store.events_queries import (
    EventCell,
    EventCount,
    EventFilter,
    EventRow,
    event_counts,
    events_page,
    find_cell,
)
from newstrace.store.filters import ArticleFilter, ClaimFilter, Page, check_range
from newstrace.store.items import GroupQuery
from newstrace.store.reads.articles import list_articles, short_ids
from newstrace.store.reads.claims import list_claims
from newstrace.store.reads.entities import EntityDetail, entity_by_ref, entity_detail
from newstrace.store.reads.facets import Facet, counted
from newstrace.store.reads.search import ArticleHit, ClaimHit, ranked_articles, ranked_claims
from newstrace.store.watch import WatchSource, find_source, list_sources

T = TypeVar("T", bound=Row)


def _results(page: Page[T]) -> Results[T]:
    """A store page as the `Results` of a listing."""
    return Results(page.items, total=page.total, offset=page.offset)


class Reader:
    """Reads of a newstrace store: articles, their extraction records, events and the
    cross-article analysis, in SQLite (a file) or PostgreSQL.

    ```python
    with Reader.open("news.db", read_only=True) as store:
        for row in store.claims(stance="deny"):
            print(row.claim.speaker.text, row.claim.content.text)
    ```
    """

    def __init__(self, database: Database, settings: Settings) -> None:
        """Wrap an open internal database; use `open` instead."""
        self._db = database
        self._settings = settings

    @classmethod
    def open(
        cls,
        url: str | PathLike[str] | None = None,
        *,
        settings: Settings | None = None,
        read_only: bool = False,
        create: bool = False,
    ) -> Self:
        """Open the store at `url` (a SQLite file path, a ``sqlite:///`` URL or a
        ``postgresql://`` URL; without it, the ``db`` setting). `settings` defaults to
        `load_settings()`. `read_only` opens an existing store without writing to it at
        all (not even a migration). A store that is not there (a SQLite file that does
        not exist, a database without newstrace's schema) is refused with
        `NoSuchStoreError`, creating nothing (a mistyped path must not read as an empty
        store), unless `create`: then a new, empty store is made."""
        chosen = settings or load_settings()
        if url is not None:
            chosen = chosen.with_overrides(db=str(url))
        return cls(Database.open(chosen.db, read_only=read_only, create=create), chosen)

    @property
    def settings(self) -> Settings:
        """The settings this store was opened with."""
        return self._settings

    @property
    def url(self) -> str:
        """The path or URL of the database."""
        return self._db.db

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only."""
        return self._db.read_only

    def close(self) -> None:
        """Release the database connections."""
        self._db.close()

    def __enter__(self) -> Self:
        """Use the store in a ``with`` block; it is closed at the end."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the store."""
        self.close()

    def count_articles(self) -> int:
        """How many articles the store holds."""
        return self._db.count_articles()

    def watch_sources(self) -> list[WatchSource]:
        """The sources `newstrace watch` follows, with their health and counts."""
        return list_sources(self._db)

    def watch_source(self, ref: str) -> WatchSource:
        """The watched source whose id (``W3``), URL or name is `ref`; `NotFoundError`
        when there is none."""
        return find_source(self._db, ref)

    # --- articles and claims --------------------------------------------------------

    def articles(
        self,
        search: str | None = None,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Results[ArticleSummary]:
        """Stored articles, newest first: `limit` of them (None: all, at most `MAX_LIMIT`
        otherwise) after `offset`, knowing their `total`.

        `search` is full-text (all words must match), `outlet` a substring of the
        outlet, `since`/`until` publication dates (``YYYY``, ``YYYY-MM`` or
        ``YYYY-MM-DD``, both inclusive), `language` the detected language (an ISO
        639-1 code: ``en``, ``fr``).
        """
        filters = ArticleFilter(search, outlet, since, until, language)
        return _results(list_articles(self._db, filters, limit, offset))

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
        entity: str | None = None,
        offset: int = 0,
    ) -> Results[ClaimRow]:
        """Claims across articles, newest first: `speaker` and `about` match the speaker
        and the claim's content (case-insensitive substrings), `stance` is exact,
        `since`/`until` bound the publication date (inclusive), `entity` (an id, name
        or alias, see `entity_id`) is the actor who speaks. Each row carries the
        speaker's cross-article entity id (`speaker_canonical_id`). Paged as `articles`."""
        entity_id = self.entity_id(entity) if entity else None
        filters = ClaimFilter(
            speaker, about, stance, article=ArticleFilter(since=since, until=until),
            entity=entity_id,
        )  # fmt: skip
        return _results(list_claims(self._db, filters, limit=limit, offset=offset))

    def search(self, q: str, *, limit: int | None = None, offset: int = 0) -> Results[ArticleHit]:
        """Articles matching `q`, most relevant first, each with its best passage and
        the matched words marked in it. `q` in the one search syntax: all words
        (``Karsk troops``), ``"a phrase"``, ``A OR B``, ``-word`` or ``NOT word``,
        ``prefix*``. Paged as `articles`."""
        return _results(ranked_articles(self._db, q, limit, offset))

    def search_claims(
        self, q: str, *, limit: int | None = None, offset: int = 0
    ) -> Results[ClaimHit]:
        """Claims worded with the words `q` requires, in the most relevant matching
        articles, by their article's relevance, with the matched words marked."""
        return _results(ranked_claims(self._db, q, limit, offset))

    def short_ids(self, article_ids: list[str]) -> dict[str, str]:
        """For each article id, the shortest prefix that is no other's (what listings
        show, and `article` and ``newstrace show`` accept)."""
        return short_ids(self._db, article_ids)

    def entity(self, entity_id: str) -> EntityDetail | None:
        """One cross-article entity (by id): its names, the articles it appears in, what it
        said and what was said about it; None when no entity has this id."""
        return entity_detail(self._db, entity_id)

    def group(self, group_id: str) -> GroupView | None:
        """One claim group (by id) with its members and counts; None when there is none."""
        return group_view(self._db, group_id)

    def entity_id(self, ref: str) -> str:
        """The cross-article entity that `ref` (an id, a name or an alias) stands for: the
        only one, or the one with four times the articles of any other. Raises
        `AmbiguousError` listing the candidates, or `NotFoundError`."""
        return entity_by_ref(self._db, ref)

    # --- cross-article analysis ----------------------------------------------------

    def entities(
        self, search: str | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Results[EntitySummary]:
        """Actors resolved across articles, most cited first; `search` matches a name
        or alias (case-insensitive). Paged as `articles`."""
        rows = list_entities(self._db, search)
        return Results(EntitySummary.from_dict(row) for row in rows).page(limit, offset)

    def figures(
        self,
        about: str | None = None,
        *,
        entity: str | None = None,
        series: str | None = None,
        include_repeats: bool = False,
        limit: int | None = HISTORY_LIMIT,
    ) -> Results[FigurePoint]:
        """How a reported number changed over time: the points of the figure series
        whose measure or holder matches `about` (``"troops"``, ``"Karsk"``, or several
        terms: ``"troops|soldiers"``) and/or of an entity (`entity`, an id, name or alias
        as in `entity_id`: the figures it holds, gives or whose claim names it), in
        publication order; each point knows its series (`FigurePoint.member.series`);
        `series` (a series key, or the id `series` lists) keeps one series' points.
        Repeats of an earlier report of the same figure are left out unless
        `include_repeats`. `limit` keeps the most recent points (1,000 by default; None
        for all of them)."""
        entity_id = self.entity_id(entity) if entity else None
        found = find_series(self._db, series) if series else None
        key = found.key if found else series
        return Results(
            figure_history(
                self._db, about, not include_repeats, limit, entity_id=entity_id, series=key
            )
        )

    def series(self, about: str | None = None, *, limit: int | None = 50) -> list[SeriesCount]:
        """Figure series (holder, measure, predicate) by number of reported points;
        `about` matches measure or holder names ("troops", "Karsk")."""
        return list_series(self._db, about, limit=limit or 1_000_000)

    def one_series(self, series_id: str) -> SeriesCount | None:
        """The figure series with this id (`SeriesCount.id`, what `series` lists and
        ``newstrace show`` opens); None when there is none."""
        return find_series(self._db, series_id)

    def timeline(
        self,
        about: str | None = None,
        *,
        entity: str | None = None,
        limit: int | None = HISTORY_LIMIT,
    ) -> Results[Member]:
        """Claims about a topic (`about`, a substring of the content) and/or an entity
        (`entity`, an id, name or alias as in `entity_id`), ordered by the date of what
        happened, else the publication date. `limit` keeps the claims whose date is the
        most recent (1,000 by default; None for all of them)."""
        entity_id = self.entity_id(entity) if entity else None
        return Results(build_timeline(self._db, about, entity_id, limit=limit))

    def groups(
        self,
        *,
        limit: int | None = 20,
        min_items: int = 2,
        entity: str | None = None,
        stance: str | None = None,
        series: str | None = None,
        sort: str = "size",
        offset: int = 0,
    ) -> Results[ClaimGroup]:
        """Claims that state one proposition across articles, largest first, with their
        outlets and independent sources; with `entity` (an id, name or alias as in
        `entity_id`), the groups where it speaks or that name it; with `stance`, those
        with a member of that stance (deny: denied by somebody); with `series`, those
        with a figure whose series key holds that text; `sort` ``date``: newest first.
        Paged as `articles`."""
        entity_id = self.entity_id(entity) if entity else None
        query = GroupQuery(min_items, stance, series, entity=entity_id, sort=sort)
        return _results(group_listing(self._db, query, limit, offset))

    def contradictions(
        self,
        kind: str | None = None,
        *,
        stance: str | None = None,
        entity: str | None = None,
        series: str | None = None,
        min_confidence: float = 0.0,
        sort: str = "confidence",
        limit: int | None = None,
        offset: int = 0,
        max_members: int | None = None,
    ) -> Results[Contradiction]:
        """Where sources disagree: denials, disputes, retractions, negations and
        conflicting figures, each with its reason, confidence and both sides' evidence,
        as the analysis stored them. `kind`, the `stance` of the disputing side, an
        `entity` (id, name or alias, as in `entity_id`) on either side, text of a figure
        `series` and `min_confidence` narrow; `sort` is ``confidence`` (most certain
        first) or ``date`` (newest); `max_members`: at most this many members a side
        (`Contradiction.side_totals` has the sides' sizes)."""
        entity_id = self.entity_id(entity) if entity else None
        wanted = ContradictionFilter(kind, stance, entity_id, series, min_confidence, sort)
        return self.contradictions_of(wanted, limit, offset, max_members)

    def contradictions_of(
        self,
        wanted: ContradictionFilter,
        limit: int | None = None,
        offset: int = 0,
        max_members: int | None = None,
    ) -> Results[Contradiction]:
        """`contradictions` by its filter."""
        with self._db.reading() as conn:
            total = contradiction_count(conn, wanted)
            found = stored_contradictions(conn, wanted, limit, offset, max_members)
        return Results(found, total=total, offset=offset)

    def contradiction_facets(self, wanted: ContradictionFilter) -> list[Facet]:
        """The kinds and the disputing side's stances of the contradictions `wanted`
        keeps, with their counts."""
        with self._db.reading() as conn:
            tallies = contradiction_tallies(conn, wanted)
        kinds: Counter[str] = Counter()
        stances: Counter[str] = Counter()
        for kind, stance, n in tallies:
            kinds[kind] += n
            stances[stance] += n
        return [counted("kind", kinds), counted("stance", stances)]

    def network(
        self, *, entity: str | None = None, since: str | None = None, until: str | None = None
    ) -> Network:
        """The actor network: who speaks about, disputes and cites whom, with counts;
        with `entity` (an id, name or alias as in `entity_id`), its edges only; with
        `since`/`until`, of the claims of articles published then (both inclusive)."""
        check_range(since, until)
        net = build_network(self._db, since, until)
        return net.around(self.entity_id(entity)) if entity else net

    # --- alerts ---------------------------------------------------------------------

    def alert_rules(self) -> list[AlertRule]:
        """The alert rules set (`newstrace alert add`), oldest first."""
        with self._db.reading() as conn:
            return alert_queries.rules(conn)

    def alert_rule(self, ref: str) -> AlertRule:
        """The alert rule named (or numbered) `ref`; `NotFoundError` when there is none."""
        with self._db.reading() as conn:
            rule = alert_queries.rule_by_ref(conn, ref)
        if rule is None:
            raise NotFoundError(f"alert {ref!r}: no such rule (see `newstrace alert list`)")
        return rule

    def alert(self, ref: str) -> Delivery:
        """The alert whose id is `ref` (``A17``, as `alert history` shows it, or 17);
        `NotFoundError` when there is none."""
        number = numbered(ref, "A")
        with self._db.reading() as conn:
            found = None if number is None else alert_queries.delivery(conn, number)
        if found is None:
            raise NotFoundError(f"{ref}: no such alert (see `newstrace alert history`)")
        return found

    def alert_history(
        self,
        *,
        rule: str | None = None,
        status: str | None = None,
        unread: bool = False,
        limit: int | None = 50,
        offset: int = 0,
    ) -> Page[Delivery]:
        """Alerts fired, newest first, with their delivery state: of one `rule` (name
        or id), in one `status` (pending, sending, delivered, failed), or `unread`."""
        rule_id = self.alert_rule(rule).id if rule else None
        filters = AlertFilter(rule_id, status, unread)
        with self._db.reading() as conn:
            return alert_queries.history(conn, filters, limit, offset)

    # --- events ---------------------------------------------------------------------

    def events(
        self,
        event_type: str | None = None,
        *,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        entity: str | None = None,
        offset: int = 0,
        article: str | None = None,
        counted: str | None = None,
    ) -> Results[EventRow]:
        """PLOVER events, newest first: `actor` matches the source's or target's name or
        text, or their country code; `entity` (an id, name or alias as in `entity_id`)
        is the cross-article entity of the source or target; `since`/`until` bound the
        event's date (inclusive); `article` (an id or unique prefix) keeps one article's;
        `counted` (the id of a row of `event_counts`) keeps the events it counts.
        Paged as `articles`."""
        entity_id = self.entity_id(entity) if entity else None
        article_id = self._db.resolve_article_id(article) if article else None
        cell = self.counted(counted) if counted else None
        if counted and cell is None:
            raise NotFoundError(f"{counted}: no event count has this id")
        filters = EventFilter(
            event_type, actor, since, until, article_id=article_id, entity_id=entity_id,
            cell=cell,
        )  # fmt: skip
        return _results(events_page(self._db, filters, limit, offset))

    def event_counts(
        self,
        since: str | None = None,
        until: str | None = None,
        *,
        event_type: str | None = None,
        actor: str | None = None,
        entity: str | None = None,
        role: str = "source",
        period: str | None = "month",
    ) -> Results[EventCount]:
        """Events counted per actor (`role` "source": what actors did; "target": what was
        done to them), type and `period` ("month", "year", "day" or None), negated events
        left out, filtered as `events` is; each count's `id` opens the events it counts
        (`counted`, ``events(counted=)``, ``newstrace show``)."""
        entity_id = self.entity_id(entity) if entity else None
        filters = EventFilter(event_type, actor, since, until, entity_id=entity_id)
        return Results(event_counts(self._db, role, period, since, until, filters))

    def counted(self, count_id: str) -> EventCell | None:
        """What the row of `event_counts` with this id (`EventCount.id`) counts: its
        actor, role, type and period; None when no count has this id."""
        return find_cell(self._db, count_id)
