"""Articles not in English are detected, stored with their language, listed, and not run
through English extraction; the ingest summary counts them with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import OTHER_STORY, WIRE_STORY

from newstrace.api import Store
from newstrace.cli.main import main
from newstrace.language.detect import detect_language, is_english
from newstrace.settings import Settings

# Fictional, like every article in the tests.
FRENCH = """Karsk déplace son artillerie vers le passage de la Lisk

Karsk a déplacé au moins quarante pièces d'artillerie à moins de dix kilomètres du \
passage de la rivière Lisk, selon deux hauts responsables valdoriens qui ont parlé \
sous couvert d'anonymat. Le ministère des affaires étrangères de Karsk a démenti lundi.
"""
GERMAN = """Getreidepreise steigen auf den Märkten von Valdor

Die Brotpreise in der Hauptstadt sind die dritte Woche in Folge gestiegen, sagten \
Händler am Freitag, weil die Bauern ihre Vorräte vor der Aussaat zurückhalten.
"""


def test_languages_are_told_and_short_text_is_left_unknown() -> None:
    assert detect_language(WIRE_STORY) == "en"
    assert detect_language(FRENCH) == "fr"
    assert detect_language(GERMAN) == "de"
    assert detect_language("Orn, 12 March.") is None  # too short to tell
    assert is_english(None) and is_english("en") and not is_english("fr")


def test_other_languages_are_stored_listed_and_not_extracted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, text in (("wire.txt", WIRE_STORY), ("fr.txt", FRENCH), ("de.txt", GERMAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "s.db")
    settings = Settings(db=db, extractor="rules")
    with Store.open(settings=settings, create=True) as store:
        report = store.ingest([str(tmp_path / n) for n in ("wire.txt", "fr.txt", "de.txt")])
        assert len(report.new) == 3
        assert sorted(lang for _, lang in report.not_english) == ["de", "fr"]
        by_lang = {a.language: a for a in store.articles()}
        assert set(by_lang) == {"en", "fr", "de"}
        assert by_lang["en"].claims > 0
        assert by_lang["fr"].claims == 0  # the English extractors never ran on it
        french = store.article(by_lang["fr"].id)
        assert french.article.language == "fr" and not french.entities and not french.figures
    (tmp_path / "it.txt").write_text(
        "Il ministero ha detto martedì che dodici ponti sarebbero stati riaperti entro la "
        "fine del mese, secondo fonti ufficiali della capitale.",
        encoding="utf-8",
    )
    assert main(["--db", db, "ingest", "-q", str(tmp_path / "it.txt")]) == 0
    out = capsys.readouterr().out
    assert "not English (stored, not extracted)" in out and "language it, not English" in out
    assert main(["--db", db, "ingest", "--json", str(tmp_path / "it.txt")]) == 0
    assert json.loads(capsys.readouterr().out)["not_english"] == []  # unchanged: not counted
    assert main(["--db", db, "articles", "--json"]) == 0
    langs = sorted(json.loads(line)["language"] for line in capsys.readouterr().out.splitlines())
    assert langs == ["de", "en", "fr", "it"]


def test_listings_filter_by_language_on_both_backends(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One read layer: the API, the CLI's --language, /api/articles?language= and the
    Articles page's language facet select the same articles."""
    from fastapi.testclient import TestClient

    from newstrace.errors import FilterError
    from newstrace.web import WebConfig, create_app

    texts = {"wire.txt": WIRE_STORY, "grain.txt": OTHER_STORY, "fr.txt": FRENCH, "de.txt": GERMAN}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Store.open(settings=Settings(db=store_url, extractor="rules")) as store:
        store.ingest([str(tmp_path / name) for name in texts])
        english = {a.id for a in store.articles() if a.language == "en"}
        assert len(english) == 2
        assert {a.id for a in store.articles(language="EN")} == english  # any case
        (french,) = store.articles(language="fr")
        assert french.title and french.title.startswith("Karsk déplace")
        assert store.articles(language="it").total == 0
        assert store.articles(language="de", search="Brotpreise").total == 1
        with pytest.raises(FilterError, match="ISO 639-1"):
            store.articles(language="french")

    assert main(["--db", store_url, "articles", "--language", "de", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["language"], r["title"].split()[0]) for r in rows] == [("de", "Getreidepreise")]
    assert main(["--db", store_url, "articles", "--language", "1"]) != 0
    assert "ISO 639-1" in capsys.readouterr().err

    client = TestClient(create_app(WebConfig(db=store_url, read_only=True)))
    api = client.get("/api/articles", params={"language": "en"}).json()
    assert {a["id"] for a in api["items"]} == english and api["total"] == 2
    assert client.get("/api/articles", params={"language": "e1"}).status_code == 400
    page = client.get("/articles").text
    facet = page.split("<summary>language</summary>", 1)[1].split("</details>", 1)[0]
    assert "?language=en" in facet and ">2</span>" in facet and "?language=fr" in facet
    narrowed = client.get("/articles", params={"language": "fr"}).text
    assert "Karsk déplace" in narrowed and "Grain prices" not in narrowed
