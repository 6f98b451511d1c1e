"""The `Store`: one object over the database, with one transaction per article written."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    case,
    delete,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from newstrace.errors import NotFoundError, StoreBusyError, StoreError
from newstrace.models import (
    Article,
    Claim,
    Entity,
    Event,
    Figure,
    Record,
    TimeExpression,
    domain_of,
)
from newstrace.store import records, schema
from newstrace.store.contradictions import mark_items
from newstrace.store.engine import StoreVersion, create_store_engine, is_locked
from newstrace.store.filters import ArticleFilter, ClaimFilter
from newstrace.store.listings import (
    ArticleSummary,
    ClaimRow,
    article_listing,
    claim_page,
    claim_row,
    summary,
    summary_select,
)

Transaction: TypeAlias = Connection
"""An open connection of the store (from `Store.reading` or `Store.writing`), handed back
to the store's query functions: only `store` builds or runs SQL (an import contract)."""


STATISTICS_SAMPLE = 1000  # index rows ANALYZE reads per index (exact counts are not needed)


def sqlite_table_rows(conn: Connection, table: str) -> int | None:
    """The rows SQLite's statistics hold for `table` (None: never analysed)."""
    has_stats = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if has_stats is None:
        return None
    found = conn.exec_driver_sql(
        "SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", (table,)
    ).scalar()
    return int(str(found).split()[0]) if found else None


CREDIT_CHARS = 400  # the opening and closing characters where a wire credit stands


@dataclass(frozen=True)
class CopyEvidence:
    """What one copy of a story says of when and where it was first published."""

    id: str
    published: str | None  # ISO date, or date and time
    seq: int  # when it was stored
    outlet: str | None
    author: str | None
    url: str | None
    ends: str  # its first and last CREDIT_CHARS characters
    outlet_name: str | None = None  # the name a wire credit gives ("Valdoria Wire Service")


@dataclass(frozen=True)
class WriteInfo:
    """What the ingest knows about an article besides its record."""

    content_hash: str
    signature: bytes | None = None
    similarity: float | None = None


class Store:
    """Articles and their extraction records in SQLite (PostgreSQL later)."""

    def __init__(self, engine: Engine, db: str, read_only: bool = False) -> None:
        self._engine = engine
        self.db = db
        self.read_only = read_only
        self._version = StoreVersion(engine)

    @classmethod
    def open(cls, db: str, read_only: bool = False, *, create: bool = False) -> Store:
        """Open the store at path or URL `db`, migrating it if its schema is behind;
        with `create`, a new store is created when none is there (else that is a
        `NoSuchStoreError`); `read_only`: open an existing store without ever writing
        to it."""
        return cls(create_store_engine(db, read_only, create=create), db, read_only)

    def close(self) -> None:
        """Release the connection pool."""
        self._version.close()
        self._engine.dispose()

    def version(self) -> str:
        """A value that changes whenever a commit to the store, by any process, becomes
        visible to its readers: what a result read from the store is kept under (the
        web's facets and totals). Read it before the result: a result read after a
        commit is then kept under the version before it, never the reverse."""
        return self._version.current()

    @property
    def dialect(self) -> str:
        """The database's dialect: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """An open connection for reads, handed to the store's query functions."""
        with self._engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Transaction]:
        """A transaction, committed when the block ends without an error; a
        `StoreBusyError` when another process keeps the store locked past the busy
        timeout."""
        try:
            with self._engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            if not is_locked(exc):
                raise
            raise StoreBusyError(
                f"{self.db}: the store is busy (another newstrace process is writing it)"
            ) from exc

    def refresh_statistics(self) -> bool:
        """Give SQLite's query planner statistics of the tables (``ANALYZE``, sampled:
        ``analysis_limit``) when it has none or the articles have since doubled or
        halved; True when it did. Without them it ordered the claim ledger by reading
        every claim (5 ms for 6,000 claims) where the article index gives a page at
        once (0.2 ms). PostgreSQL's autovacuum keeps its own statistics."""
        if self.dialect != "sqlite" or self.read_only:
            return False
        with self.reading() as conn:
            stat = sqlite_table_rows(conn, "articles")
            rows = conn.execute(select(func.count()).select_from(schema.articles)).scalar_one()
        if stat is not None and stat // 2 <= rows <= 2 * stat:
            return False
        with self.writing() as conn:
            conn.exec_driver_sql(f"PRAGMA analysis_limit={STATISTICS_SAMPLE}")
            conn.exec_driver_sql("ANALYZE")
        return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- writes -----------------------------------------------------------------

    def save(
        self, record: Record, info: WriteInfo, relink: Mapping[str, str] | None = None
    ) -> bool:
        """Write `record` (replacing any earlier version) in one transaction; True when
        the article was new to the store (decided inside the transaction, so of two
        concurrent ingests of one article only one calls it new).

        `relink` maps other article ids to a new `duplicate_of` (when this article turns
        out to be the earliest copy of a group). Any error is a `StoreError` naming the
        article, and nothing of it is written.
        """
        article_id = record.article.id
        try:
            with self.writing() as conn:
                # The article row first: its upsert takes the row lock, so a concurrent
                # writer of the same article waits here instead of clashing on children.
                inserted = self._upsert_article(conn, record, info)
                self._delete_extraction(conn, article_id)
                self._insert_extraction(conn, record)
                for other, target in (relink or {}).items():
                    mark_items(conn, schema.claim_items.c.article_id == other)  # a new root
                    conn.execute(
                        update(schema.articles)
                        .where(schema.articles.c.id == other)
                        .values(duplicate_of=target)
                    )
        except Exception as exc:  # the boundary of one write: the driver raises more than
            # SQLAlchemyError (UnicodeEncodeError for a lone surrogate, ValueError for NUL)
            cause = getattr(exc, "orig", None) if isinstance(exc, SQLAlchemyError) else None
            reason = (str(cause or exc).splitlines() or [""])[0]
            raise StoreError(
                f"{article_id}: cannot write article ({exc.__class__.__name__}: {reason})"
            ) from exc
        return inserted

    def _next_seq(self, conn: Connection) -> int:
        top = conn.execute(select(func.coalesce(func.max(schema.articles.c.seq), 0))).scalar_one()
        return int(top) + 1

    def _outlet(self, conn: Connection, article: Article) -> tuple[str | None, str | None]:
        """The outlet key and name `article` is stored under, one name per key.

        A key that is only a name ("Northgate Post", no URL) takes the domain of a
        stored site of that name, and a site's domain takes over the articles stored
        under its bare name. The name is the one of the strongest evidence stored for
        the key (the earliest of equals), or the article's own when stronger, which then
        renames the key's other articles.
        """
        a = schema.articles.c
        key, name = article.outlet, article.outlet_name
        if key and domain_of(key) is None:
            known = select(a.outlet).where((a.outlet_name == key) & (a.outlet != key))
            key = next((k for (k,) in conn.execute(known.distinct()) if domain_of(k)), key)
        elif key and name:
            bare = (a.outlet == name) & (a.id != article.id)
            conn.execute(update(schema.articles).where(bare).values(outlet=key))
        if not key:
            return None, name
        others = (a.outlet == key) & (a.id != article.id) & a.outlet_name.is_not(None)
        best = conn.execute(
            select(a.outlet_name, a.outlet_evidence)
            .where(others)
            .order_by(a.outlet_evidence.desc(), a.seq)
            .limit(1)
        ).first()
        if best is not None and (best.outlet_evidence or 0) >= article.outlet_evidence:
            return key, best.outlet_name
        if name:
            renamed = (a.outlet == key) & (a.id != article.id)
            conn.execute(update(schema.articles).where(renamed).values(outlet_name=name))
        return key, name

    def _upsert_article(self, conn: Connection, record: Record, info: WriteInfo) -> bool:
        row = records.to_row(record.article)
        row["outlet"], row["outlet_name"] = self._outlet(conn, record.article)
        row.update(
            content_hash=info.content_hash,
            signature=info.signature,
            similarity=info.similarity,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        seq = self._next_seq(conn)
        insert = dialect_insert(conn)(schema.articles).values(seq=seq, **row)
        changes = {k: insert.excluded[k] for k in row if k != "id"}  # seq is kept
        upsert = insert.on_conflict_do_update(index_elements=["id"], set_=changes)
        if conn.dialect.name == "postgresql":  # xmax is 0 on a row this statement inserted
            inserted = conn.execute(upsert.returning(literal_column("xmax = 0"))).scalar_one()
        else:  # SQLite writes one at a time; an update keeps the row's earlier, smaller seq
            inserted = conn.execute(upsert.returning(schema.articles.c.seq)).scalar_one() == seq
        if conn.dialect.name == "sqlite":
            params = {
                "id": record.article.id,
                "title": record.article.title or "",
                "text": record.article.text,
            }
            conn.execute(text("DELETE FROM articles_fts WHERE article_id = :id"), params)
            conn.execute(
                text(
                    "INSERT INTO articles_fts (article_id, title, text) VALUES (:id, :title, :text)"
                ),
                params,
            )
        return bool(inserted)

    def _delete_extraction(self, conn: Connection, article_id: str) -> None:
        for table in schema.EXTRACTION_TABLES:
            conn.execute(delete(table).where(table.c.article_id == article_id))

    def _insert_extraction(self, conn: Connection, record: Record) -> None:
        aid = record.article.id
        batches = (
            (schema.entities, [records.to_row(e, aid) for e in record.entities]),
            (schema.claims, [records.to_row(c, aid) for c in record.claims]),
            (schema.figures, records.figure_rows(record)),
            (schema.times, [records.to_row(t, aid) for t in record.times]),
            (schema.events, records.event_rows(record)),
        )
        for table, rows in batches:
            if rows:
                conn.execute(table.insert(), rows)

    # --- reads used by ingest ---------------------------------------------------

    def content_hash(self, article_id: str) -> str | None:
        """The stored content hash of `article_id`, or None when it is not stored."""
        with self.reading() as conn:
            value = conn.execute(
                select(schema.articles.c.content_hash).where(schema.articles.c.id == article_id)
            ).scalar()
        return None if value is None else str(value)

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(article id, MinHash signature bytes) of every stored article that has one."""
        query = select(schema.articles.c.id, schema.articles.c.signature).where(
            schema.articles.c.signature.is_not(None)
        )
        with self.reading() as conn:
            for article_id, sig in conn.execute(query):
                yield article_id, bytes(sig)

    def signature(self, article_id: str) -> bytes | None:
        """The stored MinHash signature of one article."""
        query = select(schema.articles.c.signature).where(schema.articles.c.id == article_id)
        with self.reading() as conn:
            value = conn.execute(query).scalar()
        return None if value is None else bytes(value)

    def set_duplicate_of(self, article_id: str, root: str | None) -> None:
        """Point one article at the earliest copy of its group (None: it is the earliest)."""
        with self.writing() as conn:
            conn.execute(
                update(schema.articles)
                .where(schema.articles.c.id == article_id)
                .values(duplicate_of=root)
            )

    def copy_info(self, article_ids: list[str]) -> dict[str, tuple[str | None, int, str | None]]:
        """For each id: (published, seq, duplicate_of), to choose a group's earliest copy."""
        a = schema.articles.c
        query = select(a.id, a.published, a.seq, a.duplicate_of).where(a.id.in_(article_ids))
        with self.reading() as conn:
            return {
                row.id: (row.published, row.seq, row.duplicate_of) for row in conn.execute(query)
            }

    def copy_evidence(self, article_ids: list[str]) -> dict[str, CopyEvidence]:
        """For each id, what tells which copy of a story came first: publication date
        (and time), when stored, outlet, author, URL and the opening and closing words
        (where wire credits stand)."""
        a = schema.articles.c
        size = func.length(a.text)
        from_end = case((size > CREDIT_CHARS, size - CREDIT_CHARS + 1), else_=1)
        head, tail = func.substr(a.text, 1, CREDIT_CHARS), func.substr(a.text, from_end)
        query = select(
            a.id, a.published, a.seq, a.outlet, a.author, a.url, head.label("head"),
            tail.label("tail"), a.outlet_name,
        ).where(a.id.in_(article_ids))  # fmt: skip
        with self.reading() as conn:
            return {
                r.id: CopyEvidence(
                    r.id,
                    r.published,
                    r.seq,
                    r.outlet,
                    r.author,
                    r.url,
                    f"{r.head}\n{r.tail}",
                    r.outlet_name,
                )
                for r in conn.execute(query)
            }

    def group_members(self, root_id: str) -> list[str]:
        """Ids of the articles linked to `root_id` as copies."""
        query = select(schema.articles.c.id).where(schema.articles.c.duplicate_of == root_id)
        with self.reading() as conn:
            return [row[0] for row in conn.execute(query)]

    # --- queries ----------------------------------------------------------------

    def count_articles(self) -> int:
        """Number of stored articles."""
        with self.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.articles)).scalar_one())

    def articles(
        self,
        search: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[ArticleSummary]:
        """Articles, newest first, filtered by full-text search, outlet and date range
        (the web's listing pages through the same query: `reads.articles`)."""
        filters = ArticleFilter(search, outlet, since, until)
        query = article_listing(filters, self.dialect)
        if limit:
            query = query.limit(limit)
        with self.reading() as conn:
            return [summary(row._mapping) for row in conn.execute(query)]

    def record(self, article_id: str) -> Record:
        """The full extraction record of one article (NotFoundError if absent)."""
        with self.reading() as conn:
            row = conn.execute(
                select(schema.articles).where(schema.articles.c.id == article_id)
            ).first()
            if row is None:
                raise NotFoundError(f"{article_id}: no such article in the store")
            parts = [
                [r._mapping for r in conn.execute(select(t).where(t.c.article_id == article_id))]
                for t in schema.EXTRACTION_TABLES
            ]
        ents, clms, figs, tims, evts = (
            sorted(p, key=lambda r: natural_key(r["id"])) for p in parts
        )
        return Record(
            records.from_row(Article, row._mapping),
            tuple(records.from_row(Entity, r) for r in ents),
            tuple(records.from_row(Claim, r) for r in clms),
            tuple(records.from_row(Figure, r) for r in figs),
            tuple(records.from_row(TimeExpression, r) for r in tims),
            tuple(records.from_row(Event, r) for r in evts),
        )

    def resolve_article_id(self, prefix: str) -> str:
        """The full id of the one article whose id is or starts with `prefix`."""
        a = schema.articles.c
        with self.reading() as conn:
            exact = conn.execute(select(a.id).where(a.id == prefix)).scalar()
            if exact is not None:
                return str(exact)
            starts = and_(
                a.id.startswith(prefix, autoescape=True),  # _ and % are no wildcards
                func.substr(a.id, 1, len(prefix)) == prefix,  # LIKE ignores case in SQLite
            )
            found = [r[0] for r in conn.execute(select(a.id).where(starts).limit(3))]
        if len(found) == 1:
            return str(found[0])
        if not found:
            raise NotFoundError(f"{prefix}: no such article in the store")
        raise NotFoundError(f"{prefix}: ambiguous article id (matches {', '.join(found[:2])}, ...)")

    def copies(self, article_id: str) -> list[ArticleSummary]:
        """The other members of this article's copy group (earliest copy first)."""
        a = schema.articles.c
        with self.reading() as conn:
            root = (
                conn.execute(select(a.duplicate_of).where(a.id == article_id)).scalar()
                or article_id
            )
        members = self.articles_by_ids([root, *self.group_members(root)])
        return [m for m in members if m.id != article_id]

    def articles_by_ids(self, ids: list[str]) -> list[ArticleSummary]:
        """Summaries of the given articles, in ingest order."""
        a = schema.articles.c
        query = summary_select().where(a.id.in_(ids)).order_by(a.seq)
        with self.reading() as conn:
            return [summary(row._mapping) for row in conn.execute(query)]

    def duplicate_groups(self) -> dict[str, list[str]]:
        """Earliest copy id -> ids of its copies, for every group with copies."""
        a = schema.articles.c
        query = select(a.duplicate_of, a.id).where(a.duplicate_of.is_not(None)).order_by(a.seq)
        groups: dict[str, list[str]] = {}
        with self.reading() as conn:
            for root, member in conn.execute(query):
                groups.setdefault(root, []).append(member)
        return groups

    def claims(
        self,
        speaker: str | None = None,
        about: str | None = None,
        stance: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        entity: str | None = None,
    ) -> list[ClaimRow]:
        """Claims across articles, newest first, filtered by speaker, content text, stance,
        date and speaking entity (a canonical id) (the web's ledger pages through the
        same query: `reads.claims`)."""
        filters = ClaimFilter(
            speaker, about, stance, article=ArticleFilter(since=since, until=until),
            entity=entity,
        )  # fmt: skip
        query = claim_page(filters, self.dialect, limit=limit or None)
        with self.reading() as conn:
            return [claim_row(row._mapping) for row in conn.execute(query)]

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` result ("ok" when sound); PostgreSQL: "ok"
        when the server answers (it checks its own pages)."""
        with self.reading() as conn:
            if conn.dialect.name != "sqlite":
                return "ok" if conn.execute(text("SELECT 1")).scalar() == 1 else "error"
            return str(conn.execute(text("PRAGMA integrity_check")).scalar())


def dialect_insert(conn: Connection) -> Any:
    """The dialect's INSERT, which has ON CONFLICT support (SQLite and PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def natural_key(identifier: str) -> tuple[str, int]:
    """Sort "c2" before "c10"."""
    match = re.match(r"(\D*)(\d+)$", identifier)
    if match is None:
        return (identifier, 0)
    return (match.group(1), int(match.group(2)))
