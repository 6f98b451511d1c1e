"""Whole answers of the listing pages and endpoints, kept while the store and its
analysis are unchanged.

A listing page is the same for every client until something is committed to the store
(by any process) or the analysis is refreshed, yet rendering one costs 3 to 25 ms of
CPU time, and 20 clients asking for it at once on a small box wait for each other far
past the 300 ms the web is meant to answer in (issue 15). So a successful GET of a path
listed in `KEPT_PATHS` is kept as it was sent, under its path and query, the store's
version and the analysis's generation, both read before the page is computed (an answer
computed across a commit is kept under the version before it, and never found again).
One request computes a given answer; those asking for it meanwhile wait for it and are
sent the same bytes. Errors, answers larger than `MAX_KEPT_BYTES` and anything but GET
are computed every time.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The pages and endpoints (under /api too) whose answer depends on the store, its
# analysis and the URL alone: not the ingest, watch and alert pages (jobs and deliveries
# live in the server), not /static (files, with their own validators).
KEPT_PATHS = (
    "/articles",
    "/claims",
    "/contradictions",
    "/entities",
    "/events",
    "/figures",
    "/groups",
    "/network",
    "/search",
    "/timeline",
)
MAX_KEPT_BYTES = 1 << 20  # a larger answer (a long article, a CSV export) is not kept
KEPT_BUDGET = 64 << 20  # the bytes of all kept answers together


def kept_path(path: str) -> bool:
    """Whether the answer to a GET of `path` may be kept (a page or its API)."""
    path = path.removeprefix("/api")
    return any(path == p or path.startswith(p + "/") for p in KEPT_PATHS)


@dataclass
class Answer:
    """What the application sent for one request: its messages, in order."""

    messages: list[Message] = field(default_factory=list)
    size: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)
    kept: bool = False  # complete, successful and small enough to send again


class KeptAnswers:
    """ASGI middleware sending the kept answers of `KEPT_PATHS` while `version()` gives
    what it gave when they were computed: the `keep` most recently asked for, up to
    `KEPT_BUDGET` bytes. `version` is called in a worker thread when `blocking` (it
    asks the database over the network), else on the event loop (a local read)."""

    def __init__(
        self, app: ASGIApp, version: Callable[[], Hashable], keep: int, blocking: bool
    ) -> None:
        self.app = app
        self.version = version
        self.keep = keep
        self.blocking = blocking
        self._kept: OrderedDict[Hashable, Answer] = OrderedDict()
        self._current: Hashable = None  # the version of every answer in `_kept`
        self._bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.keep <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not kept_path(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        version = await self._version()
        key = (scope["path"], scope["query_string"])
        found = self._kept.get(key)
        if found is not None:
            await found.done.wait()
            if found.kept:
                if self._kept.get(key) is found:  # not forgotten while it was computed
                    self._kept.move_to_end(key)
                for message in found.messages:
                    await send(message)
                return
        answer = Answer()
        self._kept[key] = answer
        try:
            await self.app(scope, receive, _recording(answer, send))
        finally:
            answer.done.set()
            self._settle(key, answer, version)

    async def _version(self) -> Hashable:
        """The version now; every answer kept under another is forgotten."""
        if self.blocking:
            version = await anyio.to_thread.run_sync(self.version)
        else:
            version = self.version()
        if version != self._current:
            self._kept.clear()  # answers in progress are sent, not kept
            self._bytes = 0
            self._current = version
        return version

    def _settle(self, key: Hashable, answer: Answer, version: Hashable) -> None:
        """Keep `answer` if it may be, within `keep` and `KEPT_BUDGET`."""
        if self._kept.get(key) is not answer:
            return  # forgotten meanwhile: the store changed
        if not answer.kept or version != self._current:
            del self._kept[key]
            return
        self._bytes += answer.size
        while len(self._kept) > self.keep or self._bytes > KEPT_BUDGET:
            _, oldest = self._kept.popitem(last=False)
            self._bytes -= oldest.size if oldest.done.is_set() and oldest.kept else 0


def _recording(answer: Answer, send: Send) -> Send:
    """`send`, also recording each message into `answer` while it may be kept."""
    recording = True

    async def record(message: Message) -> None:
        nonlocal recording
        if message["type"] == "http.response.start":
            recording = message["status"] == 200
            if recording:  # a copy: the middleware outside adds its headers to `message`
                answer.messages.append({**message, "headers": list(message["headers"])})
        elif message["type"] == "http.response.body" and recording:
            answer.size += len(message.get("body", b""))
            recording = answer.size <= MAX_KEPT_BYTES
            answer.kept = recording and not message.get("more_body", False)
            answer.messages.append(message)
        if not recording:
            answer.messages.clear()
        await send(message)

    return record
