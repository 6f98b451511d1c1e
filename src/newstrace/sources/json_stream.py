"""A top-level JSON array split into the raw bytes of its elements, one at a time.

No JSON streaming library is a dependency; this splitter only tracks strings and
nesting (a regular expression finds the next byte that matters), so a ``.json`` file
of any size is read in bounded memory and `max_input_bytes` limits each element.
The elements themselves are decoded by `json.loads`, which judges their validity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

_CHUNK = 1 << 16
_IN_STRING = re.compile(rb'["\\]')
_OUTSIDE = re.compile(rb'["\[\]{},]')
_OPEN, _CLOSE, _QUOTE, _COMMA = frozenset(b"[{"), frozenset(b"]}"), ord('"'), ord(",")


class NotAnArray(ValueError):
    """The stream does not hold a JSON array (or ends inside it)."""


@dataclass
class _Element:
    """The element being read: its bytes while within the limit, and its full size."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    size: int = 0

    def add(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size <= self.limit:
            self.data += piece

    def take(self) -> bytes | None:
        """The element's bytes (None when over the limit); the element starts afresh."""
        value = bytes(self.data) if self.size <= self.limit else None
        self.data, self.size = bytearray(), 0
        return value


@dataclass
class _Splitter:
    """Scanning state carried from one chunk to the next."""

    element: _Element
    depth: int = 1
    in_string: bool = False
    skip: int = 0  # bytes of the next chunk still escaped by a backslash
    done: bool = False

    def feed(self, chunk: bytes) -> Iterator[bytes | None]:
        """The elements completed in `chunk`."""
        i = start = self.skip
        self.skip = 0
        while i < len(chunk) and not self.done:
            i, end = self._step(chunk, i)
            if end is not None:
                self.element.add(chunk[start:end])
                start = end + 1
                yield self.element.take()
        if not self.done:
            self.element.add(chunk[start:])
            self.skip = max(0, i - len(chunk))

    def _step(self, chunk: bytes, i: int) -> tuple[int, int | None]:
        """The next scan position, and the end of an element when one ends here."""
        found = (_IN_STRING if self.in_string else _OUTSIDE).search(chunk, i)
        if found is None:
            return len(chunk), None
        j, byte = found.start(), chunk[found.start()]
        if self.in_string:
            self.in_string = byte != _QUOTE
            return (j + 2 if self.in_string else j + 1), None  # a backslash escapes one
        if byte == _QUOTE:
            self.in_string = True
        elif byte in _OPEN:
            self.depth += 1
        elif byte in _CLOSE:
            self.depth -= 1
            self.done = self.depth == 0
            return j + 1, j if self.done else None
        elif byte == _COMMA and self.depth == 1:
            return j + 1, j
        return j + 1, None


def array_elements(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The raw bytes of each element of the JSON array in `stream`; None stands for an
    element over `limit` bytes. Raises `NotAnArray` when the stream holds no array or
    ends inside it."""
    first = stream.read(_CHUNK).removeprefix(b"\xef\xbb\xbf").lstrip()
    if not first.startswith(b"["):
        raise NotAnArray("not a JSON array")
    splitter = _Splitter(_Element(limit))
    chunk = first[1:]
    while chunk and not splitter.done:
        for element in splitter.feed(chunk):
            if element is None or element.strip():  # "[]" and "[ ]" hold nothing
                yield element
        chunk = stream.read(_CHUNK)
    if not splitter.done:
        raise NotAnArray("the JSON array ends early (truncated file)")
