"""Web archives written for the tests: one response record per page."""

from __future__ import annotations

import io
from collections.abc import Iterable

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

Page = tuple[str, str, str, bytes]  # url, content type, HTTP status, body


def warc_of(pages: Iterable[Page], compress: bool, warcinfo: bool = False) -> bytes:
    """A WARC (gzipped per record when `compress`) holding a response for each page."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    if warcinfo:
        writer.write_record(writer.create_warcinfo_record("t.warc", {"software": "tests"}))
    for url, content_type, status, body in pages:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()
