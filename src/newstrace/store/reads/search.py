"""Search, fast on a large store: the full-text index finds and ranks the articles
(FTS5 bm25 on SQLite, ts_rank on PostgreSQL) with their best passage; claims are looked
for only in the most relevant of those; entities come from the small table of canonical
entities (`reads.entities.find_entities`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, select, text, tuple_

from newstrace.store import ArticleSummary, ClaimRow, Store, fulltext_condition, schema
from newstrace.store.filters import (
    ClaimFilter,
    Page,
    capped_count,
    clamp,
    ilike,
    in_chunks,
    one_page,
)
from newstrace.store.listings import (
    claim_listing,
    claim_row,
    newest_articles,
    summary,
    summary_select,
)
from newstrace.store.search import (
    SearchQuery,
    fts5_match_text,
    parse_search,
    term_pattern,
    to_tsquery_text,
)

CLAIM_ARTICLES = 200


def _worded(article_ids: list[str], q: str, dialect: str) -> ColumnElement[bool]:
    c = schema.claims.c
    return and_(c.article_id.in_(article_ids), *_contains_words(c.content, q, dialect))


def _contains_words(column: ColumnElement[str], q: str, dialect: str) -> list[ColumnElement[bool]]:
    """The claim holds every word the search requires (a search of only OR or NOT
    terms requires none: its articles' claims are listed)."""
    return [ilike(column, f"%{word}%", dialect) for word in parse_search(q).required_words()]


# --- ranked search --------------------------------------------------------------------

MARK = ("\x02", "\x03")  # around a matched word in a snippet as the database returns it
SNIPPET_WORDS = 24
NO_PASSAGE = "''"  # in place of the passage, where only the ranking is wanted


@dataclass(frozen=True)
class ArticleHit:
    """An article that matches a search: its relevance (higher first: FTS5's bm25 with
    titles weighted 5 to 1, negated; PostgreSQL's ts_rank) and its best passage, with
    the matched words at `marks` (start and end offsets into `snippet`)."""

    article: ArticleSummary
    score: float
    snippet: str
    marks: list[tuple[int, int]]

    def to_dict(self) -> dict[str, Any]:
        """The article's summary with ``score``, ``snippet`` and ``marks``."""
        return {
            **self.article.to_dict(),
            "score": round(self.score, 6),
            "snippet": self.snippet,
            "marks": [list(m) for m in self.marks],
        }


@dataclass(frozen=True)
class ClaimHit:
    """A claim whose wording matches a search, in an article that does (claims are
    ordered by their article's relevance), with the matched words at `marks` (offsets
    into the claim's content)."""

    row: ClaimRow
    score: float
    marks: list[tuple[int, int]]

    def to_dict(self) -> dict[str, Any]:
        """The claim row with ``score`` and ``marks``."""
        return {
            **self.row.to_dict(),
            "score": round(self.score, 6),
            "marks": [list(m) for m in self.marks],
        }


def unmark(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet as the database marked it: the plain text and the marked spans."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    at, start = 0, -1
    for ch in snippet:
        if ch == MARK[0]:
            start = at
        elif ch == MARK[1] and start >= 0:
            marks.append((start, at))
            start = -1
        else:
            plain.append(ch)
            at += 1
    return "".join(plain), marks


def word_marks(text: str, q: str) -> list[tuple[int, int]]:
    """Where the words `q` looks for appear in `text` (for a claim's wording)."""
    pattern = term_pattern(parse_search(q))
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def ranked_articles(
    store: Store, q: str, limit: int | None = 20, offset: int = 0, total: int | None = None
) -> Page[ArticleHit]:
    """Articles matching `q` (the syntax of `store.search`), most relevant first (then
    newest), each with its best passage; and how many match (`total`: what
    `count_matches` gave for `q`, when the caller kept it)."""
    limit, offset = clamp(limit, offset)
    with store.reading() as conn:
        if total is None:
            total = _count_matches(conn, store.dialect, q)
        found = _ranked(conn, store.dialect, q, limit, offset)
        summaries = {r["id"]: summary(r) for r in _summaries(conn, [f[0] for f in found])}
    hits = [
        ArticleHit(summaries[i], score, *unmark(snip)) for i, score, snip in found if i in summaries
    ]
    return Page(hits, total, limit, offset)


def count_matches(store: Store, q: str) -> int:
    """How many articles match `q` (`capped_count`): the total of `ranked_articles`."""
    with store.reading() as conn:
        return _count_matches(conn, store.dialect, q)


def _count_matches(conn: Connection, dialect: str, q: str) -> int:
    return capped_count(conn, select(schema.articles.c.id).where(fulltext_condition(dialect, q)))


Ranked = list[tuple[str, float, str]]  # (article id, score, marked snippet)


def _ranked(
    conn: Connection, dialect: str, q: str, limit: int | None, offset: int, passages: bool = True
) -> Ranked:
    """The articles matching `q`, most relevant first; without `passages`, with empty
    snippets (the ranking alone is much cheaper)."""
    query = parse_search(q)
    if dialect == "postgresql":
        return _ranked_postgresql(conn, to_tsquery_text(query), limit, offset, passages)
    return _ranked_sqlite(conn, query, q, limit, offset, passages)


def _ranked_sqlite(
    conn: Connection,
    query: SearchQuery,
    q: str,
    limit: int | None,
    offset: int,
    passages: bool,
) -> Ranked:
    match = fts5_match_text(query)
    if match is None:  # only exclusions: no relevance to rank by, newest first
        return _excluded_only(conn, q, limit, offset)
    sql = text(
        f"SELECT article_id, -bm25(articles_fts, 0.0, 5.0, 1.0) AS score, {NO_PASSAGE} "
        "FROM articles_fts WHERE articles_fts MATCH :q "
        "ORDER BY bm25(articles_fts, 0.0, 5.0, 1.0) LIMIT :limit OFFSET :offset"
    )
    params = {"q": match, "limit": -1 if limit is None else limit, "offset": offset}
    ranked = [(str(r[0]), float(r[1]), "") for r in conn.execute(sql, params)]
    if not passages or not ranked:
        return ranked
    # The passages of the page's articles alone, in a query of their own: beside the
    # ranking, SQLite made one for every matching article before sorting (7 of the 8 ms
    # of a search matching 209 of 300 articles).
    passage = text(
        "SELECT article_id, snippet(articles_fts, 2, :m0, :m1, '…', :words) "
        "FROM articles_fts WHERE articles_fts MATCH :q AND article_id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    snippets: dict[str, str] = {}
    for ids in in_chunks([i for i, _, _ in ranked]):  # `search --all`: every match
        found = conn.execute(
            passage,
            {"q": match, "m0": MARK[0], "m1": MARK[1], "words": SNIPPET_WORDS, "ids": ids},
        )
        snippets.update((str(r[0]), str(r[1] or "")) for r in found)
    return [(i, score, snippets.get(i, "")) for i, score, _ in ranked]


def _ranked_postgresql(
    conn: Connection, tsquery: str, limit: int | None, offset: int, passages: bool
) -> Ranked:
    options = (
        f"StartSel={MARK[0]}, StopSel={MARK[1]}, MaxWords={SNIPPET_WORDS}, MinWords=10, "
        "MaxFragments=1"
    )
    headline = "ts_headline('english', a.text, to_tsquery('english', :q), :options)"
    sql = text(
        f"SELECT r.id, r.score, {headline if passages else NO_PASSAGE} "
        "FROM (SELECT id, ts_rank(search, to_tsquery('english', :q)) AS score, published, seq "
        "FROM articles WHERE search @@ to_tsquery('english', :q) "
        "ORDER BY score DESC, published DESC NULLS LAST, seq DESC "
        "LIMIT :limit OFFSET :offset) AS r JOIN articles AS a ON a.id = r.id "
        "ORDER BY r.score DESC, r.published DESC NULLS LAST, r.seq DESC"
    )
    params = {"q": tsquery, "options": options, "limit": limit, "offset": offset}
    return [(str(r[0]), float(r[1]), str(r[2] or "")) for r in conn.execute(sql, params)]


def _excluded_only(conn: Connection, q: str, limit: int | None, offset: int) -> Ranked:
    a = schema.articles.c
    query = one_page(
        select(a.id, a.text).where(fulltext_condition("sqlite", q)).order_by(*newest_articles()),
        limit, offset,
    )  # fmt: skip
    return [
        (str(r.id), 0.0, " ".join(str(r.text).split()[:SNIPPET_WORDS])) for r in conn.execute(query)
    ]


def _summaries(conn: Connection, ids: list[str]) -> list[Any]:
    a = schema.articles.c
    return [
        r._mapping
        for chunk in in_chunks(ids)
        for r in conn.execute(summary_select().where(a.id.in_(chunk)))
    ]


@dataclass(frozen=True)
class ClaimMatches:
    """Every claim a search finds (`ranked_claims`), in its order, by key alone: what
    the pages of one search share."""

    keys: list[tuple[str, str]]  # (article id, claim id), in order
    score: dict[str, float]  # each article's relevance


def claim_matches(store: Store, q: str) -> ClaimMatches:
    """The claims worded with every word `q` requires, in the CLAIM_ARTICLES most
    relevant articles that match it, by their article's relevance, then in text order:
    the articles ranked without their passages, the claims ordered from their keys."""
    with store.reading() as conn:
        ranked = _ranked(conn, store.dialect, q, CLAIM_ARTICLES, 0, passages=False)
        score = {article_id: value for article_id, value, _ in ranked}
        place = {article_id: n for n, article_id in enumerate(score)}
        c = schema.claims.c
        worded = _worded(list(score), q, store.dialect)
        keys = list(conn.execute(select(c.article_id, c.id, c.content_start).where(worded)))
    keys.sort(key=lambda k: (-score[k[0]], place[k[0]], k[2]))
    return ClaimMatches([(str(k[0]), str(k[1])) for k in keys], score)


def ranked_claims(
    store: Store,
    q: str,
    limit: int | None = 20,
    offset: int = 0,
    matches: ClaimMatches | None = None,
) -> Page[ClaimHit]:
    """Claims worded with every word `q` requires, in the CLAIM_ARTICLES most relevant
    articles that match it, by their article's relevance (then in text order), with the
    matched words marked (`matches`: what `claim_matches` gave for `q`, when the caller
    kept it).

    Only the page is read whole: a common word matches hundreds of claims in 200
    articles, and building each in full cost more than the rest of the search together."""
    limit, offset = clamp(limit, offset)
    if matches is None:
        matches = claim_matches(store, q)
    end = None if limit is None else offset + limit
    shown = matches.keys[offset:end]
    c = schema.claims.c
    found: list[ClaimRow] = []
    with store.reading() as conn:
        for chunk in in_chunks(shown, columns=3):  # each pair, and its article apart
            page = claim_listing(ClaimFilter(), store.dialect).where(
                c.article_id.in_(sorted({k[0] for k in chunk})),  # looked up by the key's index:
                tuple_(c.article_id, c.id).in_(chunk),  # a row-value IN alone is not
            )
            found.extend(claim_row(r._mapping) for r in conn.execute(page))
    rows = {(r.article_id, r.claim.id): r for r in found}
    score = matches.score
    hits = [  # a claim gone since `matches` were read (a commit between) is left out
        ClaimHit(rows[k], score[k[0]], word_marks(rows[k].claim.content.text, q))
        for k in shown
        if k in rows
    ]
    return Page(hits, len(matches.keys), limit, offset)
