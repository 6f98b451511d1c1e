"""Bytes to text: UTF-8 first, a single-byte fallback only for bytes that look like text."""

from __future__ import annotations

import codecs
import re
import zlib

# Control bytes that never occur in text files (tab, newline, form feed and carriage
# return do); more than this share of them marks a file as binary.
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}
_MAX_CONTROL_RATIO = 0.05
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 14
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class NotText(ValueError):
    """The bytes are not text; the message is the reason a source reports."""


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
    if looks_binary(data):
        raise NotText("binary file, not text")
    text = _decode(data, charset)
    if not text.strip():
        raise NotText("empty file")
    return text


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode an HTML page: the given charset, else its meta tag, else UTF-8 with replacement."""
    if looks_binary(data):
        raise NotText("binary file, not text")
    declared = _known_codec(charset) or _known_codec(_meta_charset(data)) or "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        declared = "utf-8-sig"
    text = data.decode(declared, errors="replace")
    if not text.strip():
        raise NotText("empty file")
    return text


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip bytes (every member), refusing output over `limit` bytes.

    zlib rather than the gzip module, so the size cap holds while decompressing.
    Raises `NotText` for damaged, truncated or oversized data.
    """
    out, rest = bytearray(), data
    while rest:
        member = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += member.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise NotText(f"corrupt gzip ({exc})") from exc
        if len(out) > limit:
            raise NotText(f"file too large (over {limit} bytes uncompressed)")
        if not member.eof:
            raise NotText("truncated gzip")
        rest = member.unused_data
    return bytes(out)


def gzip_head(data: bytes, size: int = 64) -> bytes:
    """The first `size` uncompressed bytes of gzip data (empty when it is not gzip)."""
    try:
        return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(data[: size * 1024], size)
    except zlib.error:
        return b""


def complete_gzip_prefix(data: bytes) -> int:
    """How many leading bytes of `data` form whole gzip members (``len(data)`` when intact).

    Decompresses member by member in small chunks, discarding the output, so a
    truncated or corrupt tail is found without holding the uncompressed data.
    """
    view, end = memoryview(data), 0
    while end < len(data):
        member, pos = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS), end
        try:
            while not member.eof and pos < len(data):
                member.decompress(view[pos : pos + _CHUNK])
                pos += _CHUNK
        except zlib.error:
            return end
        if not member.eof:
            return end
        end = min(pos, len(data)) - len(member.unused_data)
    return end


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
