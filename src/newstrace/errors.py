"""Exception types. Library code raises these; only `cli` and `web` turn them into
messages for people, in one place.

Every message names the input it is about and says what went wrong, on one line.
"""

from __future__ import annotations


class NewstraceError(Exception):
    """Base class of every error newstrace raises on purpose."""

    exit_code = 1


class InputError(NewstraceError):
    """One input (a file, a record, a URL) cannot be read or understood."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class FetchError(InputError):
    """A URL could not be fetched (network, size cap, content type, private address)."""


class HTTPStatusError(FetchError):
    """A server answered with an error status; `retry_after` is its Retry-After header
    (seconds or an HTTP date) when it sent one."""

    def __init__(self, source: str, status: int, reason: str, retry_after: str | None) -> None:
        super().__init__(source, f"HTTP {status} {reason}".rstrip())
        self.status = status
        self.retry_after = retry_after


class SettingsError(NewstraceError):
    """A setting has an invalid value."""

    exit_code = 2


class FilterError(NewstraceError):
    """A listing's filter cannot mean anything (a date that does not exist, a reversed
    date range)."""

    exit_code = 2


class AmbiguousError(FilterError):
    """A name given for an entity names several; the message lists the candidates."""

    exit_code = 2

    def __init__(self, name: str, candidates: list[str]) -> None:
        shown = "; ".join(candidates)
        super().__init__(f"{name}: names {len(candidates)} entities, give one id: {shown}")
        self.name = name
        self.candidates = candidates


class StoreError(NewstraceError):
    """The store cannot be opened, migrated or written."""

    exit_code = 3


class NoSuchStoreError(StoreError):
    """A store to read is not there (a mistyped ``--db``): nothing was found to read, so
    the exit code is that of `NotFoundError`; nothing is created."""

    exit_code = 4


class StoreBusyError(StoreError):
    """Another process holds the store's write lock longer than the busy timeout (an
    ingest writing a SQLite store)."""


class NotFoundError(NewstraceError):
    """A requested article, entity or claim is not in the store."""

    exit_code = 4


class ModelError(NewstraceError):
    """A model cannot be loaded: the spaCy pipeline or the attribution model file."""

    exit_code = 5


class ExtractionError(NewstraceError):
    """Extraction was handed inconsistent inputs (a parse of some other text)."""


class ExportError(NewstraceError):
    """An export cannot be written."""


class AllInputsFailed(NewstraceError):
    """Every input failed: the command as a whole did nothing."""


class BelowBaseline(NewstraceError):
    """An evaluation metric fell below its pinned floor."""
