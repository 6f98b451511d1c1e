"""The trained attribution tagger: windows, decoding, integrity checks, and its claims."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language
from tokenizers import Tokenizer

from newstrace.errors import ModelError
from newstrace.extract.claims import extract_claims
from newstrace.extract.claims.model import (
    _Attribution,
    _colon_cues,
    _cue_has_subject,
    _joined,
    _link,
    _nearest_source,
    _sentence_finder,
    _trimmed_content,
    _with_rules_back_off,
    extract_claims_with_model,
)
from newstrace.models import Claim, Span, Speaker
from newstrace.nlp import load_pipeline
from newstrace.nlp.attribution_model import (
    MAX_WORDPIECES,
    MODEL_DIR,
    AttributionTagger,
    TaggedSpan,
    decode,
    make_windows,
)
from newstrace.settings import Settings


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    found = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    found.no_truncation()
    found.no_padding()
    return found


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(Settings())


_WORDS = st.sampled_from(
    ["Karsk", "said", "the", "minister", "“We", "will", "not", "retreat,”", "2,500", "troops."]
)
_PARAGRAPH = st.lists(_WORDS, min_size=1, max_size=160).map(" ".join)


@given(st.lists(_PARAGRAPH, min_size=1, max_size=6))
def test_windows_cover_every_word_in_order_and_fit(paragraphs: list[str]) -> None:
    tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tok.no_truncation()
    text = "\n\n".join(paragraphs)
    windows = make_windows(text, tok)
    offsets = [o for w in windows for o in w.offsets]
    assert all(len(w.ids) <= MAX_WORDPIECES for w in windows)
    assert all(len(w.ids) == len(w.offsets) + 2 for w in windows)
    assert offsets == sorted(offsets)
    covered = {i for a, b in offsets for i in range(a, b)}
    assert all(i in covered for i, ch in enumerate(text) if ch.isalnum())


_SEPARATORS = st.sampled_from(["\n", "\n\n", "\r\n", " \n \n"])
_ACCENTED = st.sampled_from(["Café", "Łódź", "naïve", "Mr.", "—", "“Yes.”", "U.S.-led"])


@given(st.lists(st.tuples(_PARAGRAPH, _ACCENTED), min_size=1, max_size=5), _SEPARATORS)
def test_windows_hold_the_pieces_of_each_paragraph_encoded_alone(
    paragraphs: list[tuple[str, str]], separator: str
) -> None:
    """The text is encoded once; its pieces are those of encoding each paragraph by
    itself (as the windows were cut when the model was trained)."""
    tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tok.no_truncation()
    text = separator.join(f"{words} {extra}" for words, extra in paragraphs)
    expected: list[tuple[int, tuple[int, int]]] = []
    start = 0
    for part in text.split("\n"):
        encoding = tok.encode(part, add_special_tokens=False)
        expected += [
            (i, (start + a, start + b))
            for i, (a, b) in zip(encoding.ids, encoding.offsets, strict=True)
        ]
        start += len(part) + 1
    found = [
        (i, o) for w in make_windows(text, tok) for i, o in zip(w.ids[1:-1], w.offsets, strict=True)
    ]
    assert found == expected


def _probs(labels: list[tuple[int, int, int]]) -> np.ndarray:
    probs = np.full((len(labels), 3, 3), 0.05)
    for i, per_role in enumerate(labels):
        for r, label in enumerate(per_role):
            probs[i, r, label] = 0.9
    return probs


def test_decode_gives_whole_word_spans_per_role() -> None:
    text = "Orsk said the guns arrived"
    offsets = [(0, 2), (2, 4), (5, 9), (10, 13), (14, 18), (19, 26)]  # "Orsk" is two pieces
    labels = [(1, 0, 0), (0, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 2), (0, 0, 2)]
    spans = decode(offsets, _probs(labels), text)
    assert [(s.role, text[s.start : s.end]) for s in spans] == [
        ("source", "Orsk"),
        ("cue", "said"),
        ("content", "the guns arrived"),
    ]


def test_decode_keeps_nested_roles() -> None:
    """A word can be the source of one attribution and inside another's content."""
    text = "Aides said Brec denied it"
    offsets = [(0, 5), (6, 10), (11, 15), (16, 22), (23, 25)]
    labels = [(1, 0, 0), (0, 1, 0), (1, 0, 1), (0, 1, 2), (0, 0, 2)]
    spans = {(s.role, text[s.start : s.end]) for s in decode(offsets, _probs(labels), text)}
    assert {("source", "Brec"), ("content", "Brec denied it"), ("cue", "denied")} <= spans


def test_a_span_carries_on_over_a_word_the_tagger_is_less_sure_of() -> None:
    """A content word at P(I) 0.4 continues the content before it, but begins none."""
    text = "Brec said the guns arrived late and Lisk"
    offsets = [(0, 4), (5, 9), (10, 13), (14, 18), (19, 26), (27, 31), (32, 35), (36, 40)]
    labels = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 2), (0, 0, 2), (0, 0, 0), (0, 0, 0)]
    probs = _probs([*labels, (0, 0, 0)])
    for word in (5, 7):  # "late" right after the content, "Lisk" after a word outside it
        probs[word, 2] = (0.6, 0.0, 0.4)
    spans = [(s.role, text[s.start : s.end]) for s in decode(offsets, probs, text)]
    assert ("content", "the guns arrived late") in spans
    assert not any("Lisk" in words for _, words in spans)


def test_a_span_carried_on_never_crosses_a_line_break() -> None:
    """A content word at P(I) 0.4 after a line break neither continues the content of
    the paragraph before nor begins one of its own."""
    text = "Brec said the guns arrived\nlate"
    offsets = [(0, 4), (5, 9), (10, 13), (14, 18), (19, 26), (27, 31)]
    labels = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 2), (0, 0, 2), (0, 0, 0)]
    probs = _probs(labels)
    probs[5, 2] = (0.6, 0.0, 0.4)  # "late", the next paragraph's first word
    spans = [(s.role, text[s.start : s.end]) for s in decode(offsets, probs, text)]
    assert ("content", "the guns arrived") in spans
    assert not any("late" in words for _, words in spans)


def _copy_model(tmp_path: Path) -> Path:
    folder = tmp_path / "attribution"
    shutil.copytree(MODEL_DIR, folder)
    return folder


def test_corrupt_model_file_is_refused(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    card = json.loads((folder / "model-card.json").read_text(encoding="utf-8"))
    model = folder / card["file"]
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="corrupt"):
        AttributionTagger(folder)


def test_missing_model_file_is_refused(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    card = json.loads((folder / "model-card.json").read_text(encoding="utf-8"))
    (folder / card["file"]).unlink()
    with pytest.raises(ModelError, match="missing"):
        AttributionTagger(folder)


STORY = """Karsk denies moving guns

Karsk has moved at least 40 artillery pieces toward the Lisk crossing, two senior Valdorian \
officials said on Monday.

"We have seen nothing of the kind," said Ilan Brec, a spokesman for Karsk's foreign ministry.
"""


def _run_extract(tmp_path: Path, *args: str, model_dir: Path | None = None) -> tuple[int, str]:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    if model_dir is not None:
        env["NEWSTRACE_ATTRIBUTION_MODEL"] = str(model_dir)
    done = subprocess.run(
        [sys.executable, "-m", "newstrace", *args, "extract", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.model
def test_cli_corrupt_model_is_one_line_exit_5_and_rules_still_work(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    (folder / "model.int8.onnx").write_bytes(b"not a model")
    code, output = _run_extract(tmp_path, "--extractor", "model", model_dir=folder)
    assert code == 5
    assert output.strip().count("\n") == 0
    assert "attribution model file" in output and "corrupt" in output
    code, output = _run_extract(tmp_path, "--extractor", "rules", model_dir=folder)
    assert code == 0
    assert '"claims"' in output


def _claims(nlp: Language, text: str) -> list[Claim]:
    return extract_claims_with_model(nlp(text))


@pytest.mark.model
def test_model_finds_quote_source_and_reported_speech(nlp: Language) -> None:
    claims = _claims(nlp, STORY)
    by_speaker = {c.speaker.text.split(",")[0]: c for c in claims}
    quote = by_speaker["Ilan Brec"]
    assert quote.kind == "direct_quote"
    assert quote.content.text.startswith("We have seen nothing")
    assert quote.cue is not None and quote.cue.text == "said"
    reported = by_speaker["two senior Valdorian officials"]
    assert reported.kind == "indirect"
    assert "40 artillery pieces" in reported.content.text
    for claim in claims:
        assert STORY[claim.content.start : claim.content.end] == claim.content.text


@pytest.mark.model
def test_a_cue_the_tagger_gives_no_source_takes_the_rules_speaker(nlp: Language) -> None:
    text = (
        "The Ostra River Monitoring Mission estimated on Tuesday that 3,000 to 5,000 Karsk "
        "soldiers were deployed near the border town of Lisk."
    )
    claims = _claims(nlp, text)
    estimate = next(c for c in claims if c.cue is not None and c.cue.text == "estimated")
    assert estimate.speaker.text == "The Ostra River Monitoring Mission"
    assert all(c.speaker.text for c in claims)


def test_content_spans_broken_by_the_tagger_are_joined_within_a_sentence(
    nlp: Language,
) -> None:
    text = "Officials blasted the agency for failing to act. “It is late,” one said."
    doc = nlp(text)
    spans = [
        TaggedSpan("content", text.index("the agency"), text.index(" for"), 0.9),
        TaggedSpan("content", text.index("failing"), text.index(" act.") + 5, 0.9),
        TaggedSpan("content", text.index("“It"), text.index(" one"), 0.9),
    ]
    cue = TaggedSpan("cue", text.index("said"), text.index("said") + 4, 0.9)
    joined = _joined(doc, spans, [cue])
    assert [text[s.start : s.end] for s in joined] == [
        "the agency for failing to act.",
        "“It is late,”",
    ]
    between = [TaggedSpan("cue", text.index("for"), text.index("for") + 3, 0.9)]
    assert len(_joined(doc, spans[:2], between)) == 2  # a cue between: two contents


def test_content_spans_apart_over_a_verb_or_after_a_comma_stay_apart(nlp: Language) -> None:
    text = (
        "Brec cited wider fears many Karsk farmers have voiced about the new levy. "
        "Holm called the tariff unfair, the port was closed."
    )
    doc = nlp(text)

    def span(words: str) -> TaggedSpan:
        start = text.index(words)
        return TaggedSpan("content", start, start + len(words), 0.9)

    over_a_verb = [span("many Karsk farmers"), span("about the new levy.")]
    after_a_comma = [span("the tariff unfair,"), span("the port was closed.")]
    assert len(_joined(doc, over_a_verb, [])) == 2
    assert len(_joined(doc, after_a_comma, [])) == 2
    nothing_between = [span("wider fears"), span("many Karsk farmers")]
    assert len(_joined(doc, nothing_between, [])) == 1


def test_a_that_clause_runs_on_over_a_parenthesis_the_tagger_lost_its_way_in(
    nlp: Language,
) -> None:
    """The tagger ends the content at "though" and takes up "missed ..." again after the
    dashes, leaving "its freight arm wins awards" out; the parse's complement clause of
    "reported" joins the parts into one content."""
    text = (
        "The Valdoria Ledger reported that Karsk Rail -- which is best known for its night "
        "trains to the coast, though its freight arm wins awards -- missed its sales goals "
        "in 2024 and was lowering its forecasts for this year."
    )

    def tagged(role: str, words: str) -> TaggedSpan:
        start = text.index(words)
        return TaggedSpan(role, start, start + len(words), 0.9)

    spans = [
        tagged("source", "The Valdoria Ledger"),
        tagged("cue", "reported"),
        tagged("content", text[text.index("that Karsk") : text.index(" its freight")]),
        tagged("content", "its sales goals in 2024 and"),
        tagged("content", "lowering its forecasts for this year."),
    ]
    [found] = _link(nlp(text), spans)
    assert found.content == (text.index("that Karsk"), len(text))


_COMET = "Mira Holt said there was no danger. “It will pass far from Earth,” she said."


@pytest.mark.model
def test_a_quote_after_a_reported_claim_keeps_its_own_cue(nlp: Language) -> None:
    claims = _claims(nlp, _COMET)
    quote = next(c for c in claims if c.content.text.startswith("It will pass"))
    assert quote.kind == "direct_quote" and quote.cue is not None
    assert quote.cue.start > _COMET.index("Earth")
    assert all("It will pass" not in c.content.text for c in claims if c is not quote)


@pytest.mark.model
def test_a_quotation_inside_the_content_does_not_replace_it(nlp: Language) -> None:
    text = "At a fundraiser in Valdor, Holm called half of her rival's voters “spoilers.”"
    claims = _claims(nlp, text)
    assert [c.content.text for c in claims] == ["half of her rival's voters “spoilers."]


@pytest.mark.model
def test_a_short_quotation_is_a_claim(nlp: Language) -> None:
    text = "“I love you,” he said. “You saved the ferry,” Mira Holt said."
    claims = _claims(nlp, text)
    assert [(c.speaker.text, c.content.text) for c in claims] == [
        ("he", "I love you"),
        ("Mira Holt", "You saved the ferry"),
    ]


def test_a_colon_between_a_tagged_source_and_its_content_is_the_cue() -> None:
    text = "Mira Holt: Ferries Will Sail Again\n\nThe strike ended: the port reopened."

    def span(role: str, words: str) -> TaggedSpan:
        start = text.index(words)
        return TaggedSpan(role, start, start + len(words), 0.9)

    spans = [
        span("source", "Mira Holt:"),
        span("content", "Ferries Will Sail Again"),
        span("content", "the port reopened."),  # a colon with no source before it
    ]
    cues = _colon_cues(text, spans)
    assert [(c.role, text[c.start : c.end]) for c in cues] == [("cue", ":")]
    assert cues[0].start == text.index(":")
    apart = [span("source", "Mira Holt"), span("content", "Again")]  # content not next to it
    assert _colon_cues(text, apart) == []


_NO_CUE_WORD = "The Valdorian minister is propounding views that pose a threat to the north."


@pytest.mark.model
def test_a_paragraph_with_no_cue_word_or_quotation_is_tagged(nlp: Language) -> None:
    # Every window runs: the tagger finds attributions the cue lexicon does not know.
    claims = _claims(nlp, _NO_CUE_WORD)
    assert [c.speaker.text for c in claims] == ["The Valdorian minister"]
    assert claims[0].content.text.startswith("that pose a threat")


def test_a_one_word_content_needs_a_noun_and_a_sure_cue(nlp: Language) -> None:
    text = "Holm attacked Varga on Tuesday, and Brec denied that."
    doc = nlp(text)
    sent = next(iter(doc.sents))

    def content(cue: str, words: str, score: float) -> str | None:
        start = text.index(cue)
        attribution = _Attribution(TaggedSpan("cue", start, start + len(cue), score))
        attribution.content = (text.index(words), text.index(words) + len(words))
        found = _trimmed_content(doc, text, attribution, sent, [])
        return found.text if found else None

    assert content("attacked", "Varga", 0.9) == "Varga"
    assert content("attacked", "Varga", 0.55) is None  # an unsure cue
    assert content("denied", "that", 0.9) is None  # no noun


def test_a_content_ends_before_the_adverbs_of_its_cue(nlp: Language) -> None:
    text = "Karsk City rejected the estimate of the ministry again."
    doc = nlp(text)
    sent = next(iter(doc.sents))
    start = text.index("rejected")
    attribution = _Attribution(TaggedSpan("cue", start, start + len("rejected"), 0.9))
    attribution.content = (text.index("the estimate"), len(text))
    found = _trimmed_content(doc, text, attribution, sent, [])
    assert found is not None and found.text == "the estimate of the ministry"


def _tagged(text: str, role: str, words: str) -> TaggedSpan:
    start = text.index(words)
    return TaggedSpan(role, start, start + len(words), 0.9)


def test_a_rule_claim_is_kept_only_where_the_tagger_saw_a_content(nlp: Language) -> None:
    text = "Mira Quist said the ferry to Lisk would sail again on Monday."
    doc = nlp(text)
    rules = extract_claims(doc)
    assert [c.speaker.text for c in rules] == ["Mira Quist"]
    content = _tagged(text, "content", "the ferry to Lisk")
    assert len(_with_rules_back_off(doc, [], rules, [content])) == 1
    cue_only = _tagged(text, "cue", "said")
    assert _with_rules_back_off(doc, [], rules, [cue_only]) == []


def test_a_claim_with_no_source_whose_cue_has_a_subject_is_dropped(nlp: Language) -> None:
    text = "Mira Quist refused to release the ferry logs. It was unclear whether it sailed."
    doc = nlp(text)

    def claim(cue: str, content: str) -> Claim:
        start, begin = text.index(cue), text.index(content)
        return Claim(
            id="c1",
            kind="indirect",
            speaker=Speaker(text=""),
            content=Span(begin, begin + len(content), content),
            cue=Span(start, start + len(cue), cue),
        )

    refused = claim("refused", "to release the ferry logs")
    unclear = claim("was unclear", "whether it sailed")
    assert _cue_has_subject(doc, refused)  # the tagger missed "Mira Quist"
    assert not _cue_has_subject(doc, unclear)  # "it" is no source
    kept = _with_rules_back_off(doc, [refused, unclear], [], [])
    assert [c.content.text for c in kept] == ["whether it sailed"]
    quoted = replace(refused, kind="direct_quote")  # a quotation stays: "A sign reads: “...”"
    assert _with_rules_back_off(doc, [quoted], [], []) == [quoted]


def test_a_passive_subject_is_not_the_source(nlp: Language) -> None:
    text = "The peacekeepers have been blamed for the cholera outbreak in Lisk."
    doc = nlp(text)
    sources = [_tagged(text, "source", "The peacekeepers")]
    cue = _tagged(text, "cue", "have been blamed")
    assert _nearest_source(doc, _sentence_finder(doc), cue, sources) is None
    active = "The peacekeepers blamed the cholera outbreak in Lisk on the floods."
    doc = nlp(active)
    cue = _tagged(active, "cue", "blamed")
    found = _nearest_source(doc, _sentence_finder(doc), cue, sources)
    assert found is not None and active[found.start : found.end] == "The peacekeepers"


def test_a_participle_cue_takes_the_subject_of_the_verb_it_hangs_from(nlp: Language) -> None:
    text = "The Valdorian council issued a paper welcoming a plan by the port authority."
    doc = nlp(text)
    sources = [
        _tagged(text, "source", "The Valdorian council"),
        _tagged(text, "source", "the port authority"),  # nearer the cue
    ]
    cue = _tagged(text, "cue", "welcoming")
    found = _nearest_source(doc, _sentence_finder(doc), cue, sources)
    assert found is not None and text[found.start : found.end] == "The Valdorian council"


def test_a_cue_takes_the_content_after_it_before_one_as_near_before_it(nlp: Language) -> None:
    text = "The ferry will sail, Quist said on Monday, that the bridge is closed."
    doc = nlp(text)
    spans = [
        _tagged(text, "content", "The ferry will sail"),  # 8 characters before "said"
        _tagged(text, "cue", "said"),
        _tagged(text, "content", "that the bridge is closed."),  # 12 after it
    ]
    (linked,) = _link(doc, spans)
    assert linked.content is not None
    assert text[linked.content[0] : linked.content[1]] == "that the bridge is closed."
