"""Query results: lists of records that turn into pandas or Arrow tables."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO, TypeVar

from newstrace.store.filters import COUNT_CAP

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pyarrow


class Row(Protocol):
    """Anything with a JSON-friendly `to_dict()`: every record newstrace returns."""

    def to_dict(self) -> dict[str, Any]:
        """The record as plain data (what ``--json`` prints)."""
        ...


T = TypeVar("T", bound=Row)


class Plain(dict[str, Any]):
    """A row that is a plain dict already (a network edge), for `Results`."""

    def to_dict(self) -> dict[str, Any]:
        """The row itself, as a new dict."""
        return dict(self)


class Results(list[T]):
    """A list of records (claims, articles, figure points, ...) as a query returned them.

    It is an ordinary list, plus conversions to tables with one row per item and
    flattened columns: nested objects become ``parent_child`` columns
    (``speaker_text``, ``content_start``), lists stay lists. A listing read one page at
    a time (``limit``/``offset``) knows where it is: `total` matches in all (counted up
    to `COUNT_CAP`, see `capped`), `offset` of its first item, and `more` after it.
    """

    def __init__(
        self, items: Iterable[T] = (), *, total: int | None = None, offset: int = 0
    ) -> None:
        """`items` as read; `total` (default: just these) and `offset` place them in the
        whole listing."""
        super().__init__(items)
        self.offset = offset
        self.total = offset + len(self) if total is None else total

    @property
    def more(self) -> int:
        """How many matches come after these (0 on the last page)."""
        return max(0, self.total - self.offset - len(self))

    @property
    def capped(self) -> bool:
        """Whether `total` is only a lower bound (counting stopped at `COUNT_CAP`)."""
        return self.total > COUNT_CAP

    def page(self, limit: int | None, offset: int = 0) -> Results[T]:
        """One page of a listing computed in full: `limit` items (None: all) from `offset`,
        knowing the total."""
        end = None if limit is None else offset + limit
        return Results(self[offset:end], total=len(self), offset=offset)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Every item as the dict that ``--json`` prints, nested as in the record format."""
        return [item.to_dict() for item in self]

    def to_records(self) -> list[dict[str, Any]]:
        """Every item as one flat dict (the rows of `to_pandas` and `to_arrow`); an item
        made of several rows (a contradiction: one per member of each side) gives each."""
        rows: list[dict[str, Any]] = []
        for item in self:
            to_rows = getattr(item, "to_rows", None)
            rows.extend(to_rows() if callable(to_rows) else [item.to_dict()])
        return flatten_rows(rows)

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame with one row per item (needs ``pip install 'newstrace[pandas]'``);
        publication dates (``published`` columns) are datetimes."""
        pd = _import_pandas()
        rows = self.to_records()
        frame = pd.DataFrame(rows, columns=columns_of(rows))
        for name in frame.columns:
            if name == "published" or name.endswith("_published"):
                frame[name] = pd.to_datetime(frame[name], errors="coerce", format="ISO8601")
        return frame

    def to_arrow(self) -> pyarrow.Table:
        """A pyarrow Table with one row per item (columns as in `to_pandas`)."""
        import pyarrow as pa

        rows = self.to_records()
        return pa.table({name: [row.get(name) for row in rows] for name in columns_of(rows)})


def _import_pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "to_pandas() needs pandas: pip install 'newstrace[pandas]' (or pip install pandas)"
        ) from exc
    return pd


def write_csv(out: TextIO, records: list[dict[str, Any]], delimiter: str = ",") -> None:
    """Flat `records` (`Results.to_records`, `flatten_rows`) as CSV (or TSV) to `out`:
    one header line of every column, lists and dicts as JSON."""
    writer = csv.DictWriter(
        out, fieldnames=columns_of(records), delimiter=delimiter, lineterminator="\n"
    )
    writer.writeheader()
    for record in records:
        writer.writerow(
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
             for k, v in record.items()}
        )  # fmt: skip


def columns_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every key of `rows`, in the order first seen."""
    return list(dict.fromkeys(key for row in rows for key in row))


def flatten_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flatten nested dicts into ``parent_child`` keys. A key that holds a dict in any
    row (``cue``) becomes its child columns in every row, empty where it is null."""
    shapes: dict[str, list[str]] = {}
    for row in rows:
        _collect_shapes(row, "", shapes)
    return [_flatten(row, shapes, "") for row in rows]


def _collect_shapes(row: Mapping[str, Any], prefix: str, shapes: dict[str, list[str]]) -> None:
    """Record, for every dict-valued key path, the union of its child keys."""
    for key, value in row.items():
        if isinstance(value, Mapping):
            path = prefix + key
            known = shapes.setdefault(path, [])
            known.extend(k for k in value if k not in known)
            _collect_shapes(value, path + "_", shapes)


def _flatten(row: Mapping[str, Any], shapes: dict[str, list[str]], prefix: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        path = prefix + key
        if path in shapes:
            child = value if isinstance(value, Mapping) else {}
            filled = {k: child.get(k) for k in shapes[path]}
            flat.update(_flatten(filled, shapes, path + "_"))
        else:
            flat[path] = value
    return flat


@dataclass(frozen=True)
class EntitySummary:
    """One real-world actor resolved across articles, with how often it is cited."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    links: int
    articles: int

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> EntitySummary:
        """From one row of the analysis' entity listing."""
        return cls(
            id=row["id"],
            name=row["name"],
            type=row["type"],
            aliases=tuple(row["aliases"]),
            roles=tuple(row["roles"]),
            links=int(row["links"]),
            articles=int(row["articles"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """The entity as plain data (what ``newstrace entities --json`` prints)."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "roles": list(self.roles),
            "links": self.links,
            "articles": self.articles,
        }
