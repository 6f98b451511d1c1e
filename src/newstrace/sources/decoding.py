"""Bytes to text: a byte-order mark first, then UTF-8, a single-byte fallback only for
bytes that look like text."""

from __future__ import annotations

import codecs
import io
import re
import zlib
from typing import BinaryIO

# Control bytes that never occur in text files (tab, newline, form feed and carriage
# return do); more than this share of them marks a file as binary.
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}
_MAX_CONTROL_RATIO = 0.05
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 14
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class NotText(ValueError):
    """The bytes are not text; the message is the reason a source reports."""


def bom_codec(data: bytes) -> tuple[str, int] | None:
    """The codec a byte-order mark at the start of `data` names, and the mark's length.

    UTF-16 and UTF-32 text is full of NUL bytes, so this is asked before `looks_binary`.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def to_utf8(data: bytes) -> bytes:
    """UTF-16/UTF-32 bytes with a byte-order mark as UTF-8 (with the UTF-8 mark, so the
    readers still see that the encoding is known); other bytes unchanged.

    Raises `NotText` when the bytes after the mark are not valid in that encoding.
    """
    found = bom_codec(data)
    if found is None or found[0] == "utf-8":
        return data
    codec, size = found
    try:
        return codecs.BOM_UTF8 + data[size:].decode(codec).encode("utf-8", "surrogatepass")
    except UnicodeDecodeError as exc:
        raise NotText(f"invalid {codec.upper()} after its byte-order mark ({exc.reason})") from exc


def looks_binary(data: bytes) -> bool:
    """True for bytes with a NUL or a high share of control characters."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls > _MAX_CONTROL_RATIO * max(len(sample), 1)


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Decode text bytes: the given charset, else UTF-8 (BOM allowed), else cp1252/latin-1.

    Raises `NotText` for binary or empty input.
    """
    found = bom_codec(data)
    if found is not None:  # a byte-order mark outranks a declared charset
        text = data[found[1] :].decode(found[0], errors="replace")
    elif looks_binary(data):
        raise NotText("binary file, not text")
    else:
        text = _decode(data, charset)
    if not text.strip():
        raise NotText("empty file")
    return text


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode an HTML page: its byte-order mark, else the given charset, else its meta tag,
    else UTF-8 with replacement (the order the HTML standard gives)."""
    found = bom_codec(data)
    if found is not None:
        text = data[found[1] :].decode(found[0], errors="replace")
    elif looks_binary(data):
        raise NotText("binary file, not text")
    else:
        declared = _known_codec(charset) or _known_codec(_meta_charset(data)) or "utf-8"
        text = data.decode(declared, errors="replace")
    if not text.strip():
        raise NotText("empty file")
    return text


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip bytes (every member), refusing output over `limit` bytes.

    zlib rather than the gzip module, so the size cap holds while decompressing.
    Raises `NotText` for damaged, truncated or oversized data.
    """
    out = bytearray()
    problem = _inflate(io.BytesIO(data), limit, out)[1]
    if problem:
        raise NotText(problem)
    return bytes(out)


def gzip_head(data: bytes, size: int = 64) -> bytes:
    """The first `size` uncompressed bytes of gzip data (empty when it is not gzip)."""
    try:
        return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(data[: size * 1024], size)
    except zlib.error:
        return b""


def complete_gzip_prefix(data: bytes | BinaryIO) -> int:
    """How many leading bytes of `data` (bytes, or a stream read to its end) form whole
    gzip members (the whole length when intact).

    Decompresses member by member, discarding the output, so a truncated or corrupt
    tail is found without holding the uncompressed data.
    """
    return _inflate(io.BytesIO(data) if isinstance(data, bytes) else data, None, None)[0]


def _inflate(source: BinaryIO, limit: int | None, out: bytearray | None) -> tuple[int, str | None]:
    """Decompress every gzip member read from `source` into `out` (None: discard it).

    Returns where the last whole member ends and what went wrong (None when nothing
    did). Each member is fed pieces that start small and double, so what zlib copies
    after a member's end (its ``unused_data``) stays in proportion to the member: the
    work is linear in the input however many members it has (handing each member the
    whole rest, as before, made 10 MB of small members take two minutes).
    """
    chunk, at, base = memoryview(b""), 0, 0  # the block read, the position in it, its offset
    while True:
        if at >= len(chunk):
            base, chunk, at = base + len(chunk), memoryview(source.read(_CHUNK)), 0
            if not chunk:
                return base, None
        member, step, start = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS), 256, base + at
        while not member.eof:
            if at >= len(chunk):
                base, chunk, at = base + len(chunk), memoryview(source.read(_CHUNK)), 0
                if not chunk:
                    return start, "truncated gzip"
            piece = chunk[at : at + step]
            room = 0 if limit is None or out is None else limit + 1 - len(out)
            try:
                produced = member.decompress(piece, room)
            except zlib.error as exc:
                return start, f"corrupt gzip ({exc})"
            if out is not None:
                out += produced
                if limit is not None and len(out) > limit:
                    return start, f"file too large (over {limit} bytes uncompressed)"
            at += len(piece) - len(member.unused_data)
            step = min(step * 2, _CHUNK)


def split_content_type(header: str) -> tuple[str, str | None]:
    """The lower-case MIME type and the charset (if any) of a Content-Type header."""
    mime, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower(), charset


def is_gzip(data: bytes) -> bool:
    """True when the bytes start with the gzip magic number."""
    return data[:2] == b"\x1f\x8b"


def _decode(data: bytes, charset: str | None) -> str:
    codec = _known_codec(charset)
    if codec:
        return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
