"""The public Python API: every name documented and typed, and what it does."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import newstrace
from newstrace import InputError, NotFoundError, Results, Store, extract_article
from newstrace.api.extraction import sniff_kind
from newstrace.api.results import flatten_rows

PASSAGE = """Valdor says Karsk moved 40 guns to the Lisk crossing

Karsk has moved at least 40 artillery pieces to the Lisk crossing, according to two \
senior Valdorian officials. Karsk's foreign ministry denied the report on Monday.
"""


def _public_names() -> list[str]:
    return [name for name in newstrace.__all__ if not name.startswith("_")]


def _callables(obj: Any) -> list[tuple[str, Callable[..., Any]]]:
    """The function itself, or a class's own public methods (inherited ones are tested
    where they are defined)."""
    if inspect.isfunction(obj):
        return [(obj.__qualname__, obj)]
    if not inspect.isclass(obj):
        return []
    found = []
    for name, member in vars(obj).items():
        if name.startswith("_") and name != "__init__":
            continue
        func = member.__func__ if isinstance(member, classmethod | staticmethod) else member
        if isinstance(func, property):
            func = func.fget
        if inspect.isfunction(func) and func.__module__.startswith("newstrace"):
            found.append((f"{obj.__name__}.{name}", func))
    return found


def _unannotated(func: Callable[..., Any]) -> list[str]:
    sig = inspect.signature(func)
    missing = [
        p.name
        for p in sig.parameters.values()
        if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty
    ]
    if sig.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


@pytest.mark.parametrize("name", _public_names())
def test_public_name_is_documented_and_typed(name: str) -> None:
    obj = getattr(newstrace, name)
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return  # constants: __version__, SETTINGS, EXPORT_FORMATS
    assert inspect.getdoc(obj), f"{name} has no docstring"
    for qualname, func in _callables(obj):
        assert not _unannotated(func), f"{qualname}: no type hints for {_unannotated(func)}"


def test_api_methods_have_docstrings() -> None:
    for cls in (Store, Results, newstrace.EntitySummary):
        for qualname, func in _callables(cls):
            assert inspect.getdoc(func), f"{qualname} has no docstring"


def test_sniff_kind() -> None:
    assert sniff_kind("<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff_kind("  <article><p>Karsk denied it.</p></article>") == "html"
    assert sniff_kind("Karsk denied it.\n<b>not a page</b>") == "text"


def test_extract_rejects_empty_text() -> None:
    with pytest.raises(InputError):
        extract_article("   \n\n  ")


@pytest.mark.model
def test_extract_one_passage() -> None:
    record = extract_article(PASSAGE, published="2025-02-03", url="https://wire.example/lisk-guns")
    assert record.article.title == "Valdor says Karsk moved 40 guns to the Lisk crossing"
    assert record.article.outlet == "wire.example"
    assert record.article.published == "2025-02-03"
    figures = [f for f in record.figures if f.value == 40]
    assert figures and figures[0].qualifier == "at least"
    stances = {c.stance for c in record.claims}
    assert "deny" in stances
    for claim in record.claims:
        assert record.article.text[claim.content.start : claim.content.end] == claim.content.text


def test_store_ingest_and_queries_without_extraction(store_url: str, story_dir: Path) -> None:
    seen: list[str] = []
    with Store.open(store_url) as store:
        report = store.ingest(story_dir, extract=False, progress=lambda o, _loc: seen.append(o))
        assert len(report.new) == 3 and len(report.duplicates) == 1
        assert sorted(seen) == ["new", "new", "new"]
        again = store.ingest([str(story_dir)], extract=False)
        assert len(again.unchanged) == 3
        articles = store.articles()
        assert isinstance(articles, Results) and len(articles) == 3
        found = store.articles("flour prices", limit=5)
        assert store.articles(since="2000") == []  # scraped text without a date
        assert [a.title for a in found] == ["Grain prices rise in Valdor markets"]
        record = store.article(found[0].id[:12])
        assert record.article.id == found[0].id
        copy = next(a for a in articles if a.duplicate_of)
        assert [c.id for c in store.copies(copy.id)] == [copy.duplicate_of]
        assert store.claims() == []
        with pytest.raises(NotFoundError):
            store.article("no-such-article")


def test_results_to_arrow_and_pandas(store_url: str, story_dir: Path) -> None:
    with Store.open(store_url) as store:
        store.ingest(story_dir, extract=False)
        articles = store.articles()
    table = articles.to_arrow()
    assert table.num_rows == 3
    assert table.column_names == list(articles[0].to_dict())
    assert table.to_pylist() == articles.to_dicts()
    pd = pytest.importorskip("pandas")
    frame = articles.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["id"]) == [a.id for a in articles]
    assert str(frame["published"].dtype).startswith("datetime64")
    dates = [None if pd.isna(d) else d.date().isoformat() for d in frame["published"]]
    assert dates == [a.published for a in articles]


def test_parquet_columns_keep_their_types_when_empty(
    store_url: str, story_dir: Path, tmp_path: Path
) -> None:
    """Text files have no URL: articles.url is a string column all the same."""
    pq = pytest.importorskip("pyarrow.parquet")
    with Store.open(store_url) as store:
        store.ingest(story_dir, extract=False)
        store.export("parquet", tmp_path / "pq")
    schema = pq.read_table(tmp_path / "pq" / "articles.parquet").schema
    assert str(schema.field("url").type) == "string"
    assert not [f.name for f in schema if str(f.type) == "null"]


def test_flatten_nested_and_missing_objects() -> None:
    rows = [
        {"id": "c1", "cue": {"text": "said", "start": 3}, "chain": [{"text": "Reuters"}]},
        {"id": "c2", "cue": None, "chain": []},
    ]
    flat = flatten_rows(rows)
    assert flat[0] == {
        "id": "c1",
        "cue_text": "said",
        "cue_start": 3,
        "chain": [{"text": "Reuters"}],
    }
    assert flat[1] == {"id": "c2", "cue_text": None, "cue_start": None, "chain": []}
    table = Results[Any]().to_arrow()
    assert table.num_rows == 0


def test_store_open_uses_settings(tmp_path: Path) -> None:
    settings = newstrace.Settings(db=str(tmp_path / "from-settings.db"))
    with Store.open(settings=settings, create=True) as store:
        assert store.url == settings.db
        assert store.settings is settings
    assert (tmp_path / "from-settings.db").exists()
