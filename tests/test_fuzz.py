"""Fuzz targets: every source reader, the decoders, URL handling and the cleaner, fed
generated and mutated input.

Invariants: a reader never raises and never needs its catch-all boundary (a failure
reading "cannot read record (KeyError: ...)" is a bug caught, not a bad input named);
decoders raise only their documented error; documents carry no lone surrogates and
locators name their input; cleaning never raises and is idempotent on its own output.

Marked ``fuzz``: CI runs a few examples each (``NEWSTRACE_FUZZ_EXAMPLES``, default 30,
all in well under a minute); ``scripts/fuzz.py`` runs them for much longer. Each
finding becomes a named regression test below the targets.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.warcdata import warc_of

from newstrace.clean import clean_document, clean_text
from newstrace.errors import FetchError
from newstrace.models import RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources.decoding import NotText, decode_html, decode_text, gunzip, to_utf8
from newstrace.sources.files import read_file
from newstrace.sources.json_stream import NotAnArray, array_elements
from newstrace.sources.stdin import read_stream
from newstrace.sources.url import address_kind, check_url

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("NEWSTRACE_FUZZ_EXAMPLES", "30"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SMALL = Settings(max_input_bytes=4000)  # small enough that the per-record paths run too
_SURROGATE = re.compile("[\ud800-\udfff]")
_BOUNDARY = ("cannot read (", "cannot read record (")
FOLDER = Path(tempfile.mkdtemp(prefix="newstrace-fuzz-"))

# --- inputs -----------------------------------------------------------------------------

words = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Z", "S", "Cc", "Cs")), max_size=60
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        key: words | json_values
        for key in ("id", "text", "html", "title", "url", "published", "outlet", "author")
    },
)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with some bytes changed, a piece inserted, and maybe cut short."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(max_size=40))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def feed_bytes(titles: list[str], bodies: list[str], atom: bool) -> bytes:
    esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

    def x(value: str) -> str:
        return "".join(esc.get(c, c) for c in value)

    if atom:
        items = "".join(
            f'<entry><title>{x(t)}</title><link href="https://e.example/{n}"/>'
            f'<content type="html">{x(b)}</content></entry>'
            for n, (t, b) in enumerate(zip(titles, bodies, strict=False))
        )
        return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{items}</feed>'.encode()
    items = "".join(
        f"<item><title>{x(t)}</title><link>https://e.example/{n}</link>"
        f"<description>{x(b)}</description></item>"
        for n, (t, b) in enumerate(zip(titles, bodies, strict=False))
    )
    return f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


def warc_bytes(bodies: list[bytes], zipped: bool) -> bytes:
    pages = [(f"https://e.example/{n}", "text/html", "200 OK", b) for n, b in enumerate(bodies)]
    return warc_of(pages, zipped)


PAGE = b"<html><head><title>Pier</title></head><body><article><p>%s</p></article></body></html>"
# Built once: record ids and dates differ per build, and a mutated seed must not.
WARC_SEEDS = {zipped: warc_bytes([PAGE % b"pier" * 3] * 2, zipped) for zipped in (False, True)}

# --- the invariants ---------------------------------------------------------------------


def read_named(name: str, data: bytes, limits: Settings = SMALL) -> list[RawDocument | ReadFailure]:
    """Read `data` as a file called `name` and check every reader invariant."""
    path = FOLDER / name
    path.write_bytes(data)
    items = list(read_file(path, limits))
    for item in items:
        assert isinstance(item, RawDocument | ReadFailure)
        assert item.locator.startswith(str(path)), item.locator
        if isinstance(item, ReadFailure):
            assert not item.reason.startswith(_BOUNDARY), item.reason
            assert "\n" not in item.locator
        else:
            fields = (item.content, item.title, item.id, item.url, item.outlet, item.author)
            assert not any(_SURROGATE.search(f) for f in fields if f), item
    return items


# --- targets: readers -------------------------------------------------------------------


@fuzz
@given(st.binary(max_size=3000) | words.map(lambda t: t.encode("utf-8", "surrogatepass")))
@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.json", "a.jsonl", "a.rss", "a.warc"])
def test_any_bytes_in_any_reader(name: str, data: bytes) -> None:
    read_named(name, data)


@fuzz
@given(st.lists(records | json_values, max_size=8), st.booleans(), st.data())
def test_json_lines_and_json(values: list[object], spread: bool, data: st.DataObject) -> None:
    lines = "\n".join(
        json.dumps(v, indent=1 if spread else None).replace("\n", " ") for v in values
    )
    read_named("a.jsonl", data.draw(mutated(lines.encode("utf-8", "surrogatepass"))))
    whole = json.dumps(values).encode("utf-8", "surrogatepass")
    read_named("a.json", data.draw(mutated(whole)))
    read_named("b.json", whole, Settings(max_input_bytes=200))  # the streamed path


@fuzz
@given(st.lists(words, max_size=30))
def test_json_array_elements_are_the_array(values: list[str]) -> None:
    """The splitter agrees with `json.loads` on every array it is given."""
    data = json.dumps(values, ensure_ascii=False).encode("utf-8", "surrogatepass")
    found = [json.loads(e) for e in array_elements(io.BytesIO(data), 10**6)]
    assert found == values


@fuzz
@given(st.binary(max_size=200))
def test_json_array_elements_raise_only_not_an_array(data: bytes) -> None:
    try:
        for element in array_elements(io.BytesIO(data), 50):
            assert element is None or len(element) <= 50
    except NotAnArray:
        pass


@fuzz
@given(st.lists(words, min_size=1, max_size=6), st.lists(words, max_size=6), st.booleans())
def test_feeds(titles: list[str], bodies: list[str], atom: bool) -> None:
    data = feed_bytes(titles, bodies, atom)
    name = "a.atom" if atom else "a.rss"
    read_named(name, data)
    read_named("b" + name[1:], data, Settings(max_input_bytes=120))  # the streamed path


@fuzz
@given(st.data(), st.booleans())
def test_feeds_mutated(data: st.DataObject, atom: bool) -> None:
    seed = feed_bytes(["Pier & <b>vote</b>"] * 3, ["AT&T said so. " * 5] * 3, atom)
    mutant = data.draw(mutated(seed))
    read_named("a.xml", mutant)
    read_named("b.xml", mutant, Settings(max_input_bytes=150))


@fuzz
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=3), st.booleans(), st.data())
def test_warc(bodies: list[bytes], zipped: bool, data: st.DataObject) -> None:
    name = "a.warc.gz" if zipped else "a.warc"
    read_named(name, warc_bytes([PAGE % b for b in bodies], zipped))
    read_named(name, data.draw(mutated(WARC_SEEDS[zipped])))


@fuzz
@given(st.data(), st.sampled_from(["a.txt.gz", "a.html.gz", "a.jsonl.gz", "a.json.gz"]))
def test_gzipped_files(data: st.DataObject, name: str) -> None:
    body = b'{"text": "The pier reopened."}\n' if "json" in name else PAGE % b"pier"
    seed = gzip.compress(body, mtime=0) + gzip.compress(body, mtime=0)
    read_named(name, data.draw(mutated(seed)))


@fuzz
@given(st.binary(max_size=2000))
def test_standard_input(data: bytes) -> None:
    for item in read_stream(io.BytesIO(data), SMALL):
        assert isinstance(item, RawDocument | ReadFailure)
        if isinstance(item, ReadFailure):
            assert not item.reason.startswith(_BOUNDARY), item.reason


# --- targets: decoders and URLs ---------------------------------------------------------


@fuzz
@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "latin-1", "bogus", "utf-16"]))
def test_decoders(data: bytes, charset: str | None) -> None:
    for decode in (decode_text, decode_html):
        with contextlib.suppress(NotText):
            assert not _SURROGATE.search(decode(data, charset))
    try:
        converted = to_utf8(data)
    except NotText:
        return
    if converted != data:  # a wide byte-order mark: now UTF-8 with its mark
        assert converted.startswith(b"\xef\xbb\xbf")
        converted.decode("utf-8")


@fuzz
@given(st.data())
def test_gunzip_raises_only_not_text(data: st.DataObject) -> None:
    body = data.draw(st.binary(max_size=500))
    mutant = data.draw(mutated(gzip.compress(body, mtime=0) * data.draw(st.integers(1, 3))))
    with contextlib.suppress(NotText):
        assert len(gunzip(mutant, 800)) <= 800


@fuzz
@given(st.text(max_size=80) | st.from_regex(r"\Ahttps?://[^/]{0,30}(/.{0,20})?\Z"))
def test_check_url_raises_only_fetch_error(url: str) -> None:
    try:
        check_url(url, allow_private=True)  # no DNS: the parsing alone
    except FetchError as exc:
        assert "\n" not in str(exc) or "\n" in url


@fuzz
@given(st.ip_addresses())
def test_address_kind(address: object) -> None:
    kind = address_kind(str(address))
    assert kind is None or kind in {
        "loopback",
        "link-local",
        "multicast",
        "unspecified",
        "reserved",
        "private",
        "non-global",
    }
    if str(address).startswith("127."):
        assert kind == "loopback"


# --- targets: the cleaner ---------------------------------------------------------------

lines = st.lists(
    words | st.sampled_from(["Advertisement", "Share on Facebook", "By Jane Roe", "", "  "]),
    max_size=12,
)


@fuzz
@given(lines, st.none() | words)
def test_clean_text(parts: list[str], title: str | None) -> None:
    content = "\n".join(parts)
    first = clean_text(content, title)
    assert first.text == first.text.strip()
    assert "\n\n\n" not in first.text
    again = clean_text(first.text, first.title)
    assert again.text == first.text  # idempotent on its own output


@fuzz
@given(st.lists(words, max_size=6), st.data())
def test_clean_html(paragraphs: list[str], data: st.DataObject) -> None:
    body = "".join(f"<p>{p}</p>" for p in paragraphs).encode("utf-8", "surrogatepass")
    page = data.draw(mutated(PAGE % body)).decode("utf-8", "replace")
    cleaned = clean_document(RawDocument(locator="fuzz", kind="html", content=page))
    assert isinstance(cleaned.text, str)


# --- findings, kept as regression tests -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[", "malformed URL (Invalid IPv6 URL)"),
        ("http://e.example:99999/", "malformed URL (Port out of range 0-65535)"),
        (
            "http://e.example:port/",
            "malformed URL (Port could not be cast to integer value as 'port')",
        ),
    ],
)
def test_found_malformed_urls_are_named_not_caught_by_the_boundary(url: str, reason: str) -> None:
    """Found by test_check_url_raises_only_fetch_error: urlsplit's ValueError reached the
    input's catch-all boundary ("cannot read (ValueError: Invalid IPv6 URL)")."""
    with pytest.raises(FetchError) as caught:
        check_url(url, allow_private=False)
    assert caught.value.reason == reason
