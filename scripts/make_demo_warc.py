"""Build examples/archive.warc.gz from the HTML pages in scripts/demo_warc_pages/.

Each page becomes one WARC "response" record holding an HTTP/1.1 200 response
with Content-Type text/html.  The target URI is taken from the page's
<link rel="canonical">, and the capture date is set a few hours after the
page's article:published_time, so the output is deterministic.

Usage (from the repository root):
    . .venv/bin/activate
    python examples/make_warc.py
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "demo_warc_pages"
OUT = HERE.parent / "examples" / "archive.warc.gz"

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
PUBLISHED = re.compile(r'<meta property="article:published_time" content="([^"]+)"')


def warc_date(published: str) -> str:
    captured = datetime.fromisoformat(published) + timedelta(hours=3)
    return captured.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'newstrace-examples/' + name)}>"


def main() -> None:
    pages = sorted(SRC.glob("*.html"))
    if not pages:
        raise SystemExit(f"no HTML pages in {SRC}")
    with OUT.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            OUT.name,
            {
                "software": "newstrace examples/make_warc.py (warcio)",
                "format": "WARC File Format 1.0",
                "description": "Fictional demo pages written for newstrace",
            },
        )
        info.rec_headers.replace_header("WARC-Date", "2025-04-23T00:00:00Z")
        info.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo"))
        writer.write_record(info)
        for page in pages:
            html = page.read_bytes()
            text = html.decode("utf-8")
            url = CANONICAL.search(text).group(1)
            published = PUBLISHED.search(text).group(1)
            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(html))),
                    ("Server", "nginx"),
                ],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(html),
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Date": warc_date(published),
                    "WARC-Record-ID": record_id(page.name),
                },
            )
            writer.write_record(record)
            print(f"wrote {url}")
    print(f"-> {OUT}")


if __name__ == "__main__":
    main()
