"""Ingest from the browser: paste text, upload files or give URLs; watch the job run.

Inputs are written to a temporary folder and handed to `python -m newstrace ingest`
in a subprocess (see `web.jobs`); URLs are passed through, so the CLI's guard against
private addresses applies unless the server was started with `--allow-private`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from newstrace.web.config import WebConfig
from newstrace.web.jobs import Job, JobQueue
from newstrace.web.rendering import render
from newstrace.web.security import BODY_OVERHEAD

router = APIRouter()
CHUNK = 1 << 16
TEXT_CHARS = 5_000_000  # the longest pasted text, as the form and the API say
TEXT_BYTES = 4 * TEXT_CHARS  # the same in UTF-8 at worst
MAX_FILES = 100
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class IngestRequest(BaseModel):
    """Text and/or URLs to ingest."""

    text: str | None = Field(default=None, max_length=TEXT_CHARS)
    title: str | None = Field(default=None, max_length=1000)
    urls: list[str] = Field(default_factory=list, max_length=100)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


def _jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


def _config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def _writable(request: Request) -> None:
    if _config(request).read_only:
        raise HTTPException(403, "this server is read-only (started with --read-only)")


def check_urls(urls: list[str]) -> list[str]:
    """Only http(s) URLs: anything else could name a file on the server."""
    kept = [u.strip() for u in urls if u.strip()]
    for url in kept:
        if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
            raise HTTPException(400, f"{url[:200]}: not an http(s) URL")
    return kept


def check_date(value: str | None) -> str | None:
    """A YYYY-MM-DD publication date, or None."""
    if not value or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise HTTPException(400, f"{value[:40]}: not a date in the form YYYY-MM-DD") from None


def _write_text(folder: Path, text: str, title: str | None) -> Path:
    path = folder / "pasted.txt"
    body = f"{title.strip()}\n\n{text}" if title and title.strip() else text
    path.write_text(body, encoding="utf-8")
    return path


def safe_filename(name: str | None, index: int) -> str:
    """A harmless file name that keeps the extension (the reader goes by it)."""
    base = Path(name or "upload").name
    cleaned = SAFE_NAME.sub("_", base).lstrip(".") or "upload"
    return f"{index:03d}-{cleaned[-120:]}"


async def _save_upload(folder: Path, upload: UploadFile, index: int, room: int) -> Path:
    """Copy one upload into `folder`; 413 once it passes the `room` left of the limit."""
    path = folder / safe_filename(upload.filename, index)
    size = 0
    with path.open("wb") as handle:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > room:
                raise HTTPException(413, "uploads larger than max_input_bytes together")
            handle.write(chunk)
    return path


def _label(texts: int, files: int, urls: int) -> str:
    parts = [
        f"{n} {what}"
        for n, what in ((texts, "pasted text"), (files, "file(s)"), (urls, "URL(s)"))
        if n
    ]
    return ", ".join(parts)


@router.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
def ingest_page(request: Request) -> HTMLResponse:
    """The form, and recent jobs."""
    return render(request, "ingest.html", jobs=_jobs(request).recent(), job=None)


@router.post("/ingest", include_in_schema=False)
async def ingest_form(request: Request) -> RedirectResponse:
    """Start a job from the form; the job page shows its progress.

    The body is read here, not by FastAPI: after the read-only check, through a
    counter that stops it at `max_input_bytes` (uploads spool to anonymous temporary
    files, so nothing is left behind), and with room for a pasted text as long as the
    form allows (Starlette's default stops a field at 1 MB).
    """
    _writable(request)
    limit = _config(request).max_input_bytes
    limited = Request(request.scope, _bounded_receive(request.receive, limit))
    async with limited.form(max_files=MAX_FILES, max_part_size=TEXT_BYTES) as form:
        text, title = _field(form, "text", TEXT_CHARS), _field(form, "title", 1000)
        url_list = check_urls(_field(form, "urls", 100_000).splitlines())
        date = check_date(_field(form, "published", 40))
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not text.strip() and not url_list and not uploads:
            raise HTTPException(400, "nothing to ingest: paste text, choose files or give a URL")
        folder = Path(tempfile.mkdtemp(prefix="newstrace-web-"))
        try:
            inputs = [str(_write_text(folder, text, title))] if text.strip() else []
            for index, upload in enumerate(uploads):  # the limit holds for all together
                room = limit - sum(Path(i).stat().st_size for i in inputs)
                inputs.append(str(await _save_upload(folder, upload, index, room)))
        except BaseException:  # a refused or broken upload leaves no folder behind
            shutil.rmtree(folder, ignore_errors=True)
            raise
    inputs.extend(url_list)
    label = _label(1 if text.strip() else 0, len(uploads), len(url_list))
    job = _jobs(request).submit(label, inputs, folder, date)
    return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)


def _field(form: FormData, name: str, max_chars: int) -> str:
    value = form.get(name)
    text = value if isinstance(value, str) else ""
    if len(text) > max_chars:
        raise HTTPException(413, f"{name}: longer than {max_chars:,} characters")
    return text


def _bounded_receive(receive: Receive, limit: int) -> Receive:
    """`receive`, refusing (413) a request body past `limit` bytes as it arrives."""
    size = 0

    async def bounded() -> Message:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if size > limit + BODY_OVERHEAD:
            raise HTTPException(413, f"request larger than {limit:,} bytes")
        return message

    return bounded


@router.get("/ingest/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    """One job: status, polled by static/app.js until it finishes."""
    return render(request, "ingest.html", jobs=_jobs(request).recent(), job=_job(request, job_id))


def _job(request: Request, job_id: str) -> Job:
    job = _jobs(request).get(job_id)
    if job is None:
        raise HTTPException(404, f"{job_id}: no such ingest job")
    return job


@router.post("/api/ingest", status_code=202, tags=["ingest"])
def api_ingest(request: Request, body: IngestRequest) -> dict[str, Any]:
    """Queue an ingest of pasted text and/or URLs; poll `/api/jobs/{id}`."""
    _writable(request)
    url_list = check_urls(body.urls)
    has_text = bool(body.text and body.text.strip())
    if not has_text and not url_list:
        raise HTTPException(400, "nothing to ingest: give text or urls")
    folder = Path(tempfile.mkdtemp(prefix="newstrace-web-"))
    inputs = [str(_write_text(folder, body.text or "", body.title))] if has_text else []
    job = _jobs(request).submit(
        _label(int(has_text), 0, len(url_list)), [*inputs, *url_list], folder, body.published
    )
    return job.to_dict()


@router.get("/api/jobs", tags=["ingest"])
def api_jobs(request: Request) -> list[dict[str, Any]]:
    """Recent ingest jobs, newest first."""
    return [j.to_dict() for j in _jobs(request).recent()]


@router.get("/api/jobs/{job_id}", tags=["ingest"])
def api_job(request: Request, job_id: str) -> dict[str, Any]:
    """One ingest job: status, elapsed seconds, articles stored so far, summary."""
    return _job(request, job_id).to_dict()
