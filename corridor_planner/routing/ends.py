"""Any place as a route's end: a ``(lon, lat)`` point or a gazetteer city joined to nearby hubs by road.

A route may start or end where no hub is. Such an end gets a first-mile (or
last-mile) road leg to each of its ``k`` nearest suitable hubs (hubs with rail,
road or sea links, within :data:`MAX_RADIUS_KM`), whose distance is the WGS84
geodesic times a road circuity factor (``data/circuity.csv``) and whose time
follows from the road mode's speed and driving hours like any road link. The
legs are flagged ``approximate``. The end and its legs are added to a *new*
network built for the query (:meth:`Network.extend`); the network planned on is
never changed, so planning from points is safe from several threads.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..errors import InvalidQueryError, NetworkValidationError, Problem
from ..model import quantities
from ..model.dataset import default_data_dir
from ..model.geo import wgs84
from ..text import shown

if TYPE_CHECKING:  # pragma: no cover
    from ..model.records import Hub, Source

DEFAULT_K = 3
"""How many nearby hubs a point end is joined to."""

MAX_RADIUS_KM = 500.0
"""How far (geodesic km) a point end may lie from the hubs it is joined to."""

SNAP_KM = 1.0
"""A point within this distance of a suitable hub is that hub (no first-mile leg)."""

END_MODES = frozenset({"rail", "road", "sea"})
"""A hub is a suitable first or last hub when it has a link of one of these modes."""

CIRCUITY_FILE = "circuity.csv"
CIRCUITY_FIELDS = ("region", "factor", "source", "note")
CIRCUITY_RANGE = quantities.Range(1.0, 3.0, "(road km per geodesic km)")


class NearHub(NamedTuple):
    """A hub and its geodesic distance from a point (what :meth:`Network.nearest` returns)."""

    hub: Hub
    distance_km: float


@dataclass(frozen=True)
class PointEnd:
    """A route end that is not a hub: a point, or a city of the gazetteer."""

    id: str
    name: str
    lon: float
    lat: float
    country: str | None = None
    """The gazetteer's country code (``None`` for a bare point: the nearest hub's country is used)."""


# --------------------------------------------------------------------------- circuity
@dataclass(frozen=True)
class Circuity:
    """Road circuity factors: road km per geodesic km, by country (``*``: everywhere else)."""

    factors: Mapping[str, float]
    sources: Mapping[str, tuple[str, ...]]

    def factor(self, country: str | None) -> float:
        if country is not None and country in self.factors:
            return self.factors[country]
        return self.factors["*"]

    def source(self, country: str | None) -> tuple[str, ...]:
        key = country if country is not None and country in self.factors else "*"
        return self.sources[key]


def read_circuity(path: Path, known_sources: Mapping[str, Source] | None = None) -> Circuity:
    """Read and check ``circuity.csv`` (``region``: ISO code or ``*``, ``factor`` in 1..3, ``source`` ids).

    Raises
    ------
    NetworkValidationError
        Listing every problem of the file (a ``*`` row is required; sources must exist when known).
    """
    from ..io.validate import read_csv

    problems: list[Problem] = []
    rows = read_csv(path, problems) or []
    factors: dict[str, float] = {}
    sources: dict[str, tuple[str, ...]] = {}
    for i, row in enumerate(rows, start=2):
        region = (row.get("region") or "").strip()
        record = region or f"line {i}"
        for name in row:
            if name not in CIRCUITY_FIELDS:
                problems.append(Problem(path.name, record, str(name), "is not a field of circuity.csv"))
        if region != "*" and not re.fullmatch(r"[A-Z]{2}", region):
            problems.append(Problem(path.name, record, "region", "must be '*' or an ISO 3166 alpha-2 code"))
            continue
        if region in factors:
            problems.append(Problem(path.name, record, "region", "appears twice"))
            continue
        try:
            factor = quantities.number(row.get("factor") or "", CIRCUITY_RANGE)
        except quantities.NumberError as exc:
            problems.append(Problem(path.name, record, "factor", str(exc)))
            continue
        cited = tuple(s.strip() for s in (row.get("source") or "").split(";") if s.strip())
        if not cited:
            problems.append(Problem(path.name, record, "source", "is required"))
        for source in cited:
            if known_sources is not None and source not in known_sources:
                problems.append(Problem(path.name, record, "source", f"{source!r} is not in sources.csv"))
        factors[region], sources[region] = factor, cited
    if rows and "*" not in factors and not problems:
        problems.append(Problem(path.name, "", "region", "needs a '*' row (the factor everywhere else)"))
    if not rows and not problems:
        problems.append(Problem(path.name, "", "", "has no rows"))
    if problems:
        raise NetworkValidationError(problems, path.name)
    return Circuity(factors, sources)


@lru_cache(maxsize=8)
def _circuity_at(path: Path, mtime: float) -> Circuity:
    return read_circuity(path)


def circuity_for(origin: str, known_sources: Mapping[str, Source] | None) -> Circuity:
    """The circuity table of a dataset folder (``origin``), else the shipped one; sources checked when known."""
    folder = Path(origin)
    path = folder / CIRCUITY_FILE if (folder / CIRCUITY_FILE).is_file() else default_data_dir() / CIRCUITY_FILE
    table = _circuity_at(path, path.stat().st_mtime)
    if known_sources is not None and path.parent == folder:
        missing = [
            Problem(path.name, region, "source", f"{s!r} is not in sources.csv")
            for region, cited in table.sources.items()
            for s in cited
            if s not in known_sources
        ]
        if missing:
            raise NetworkValidationError(missing, path.name)
    return table


# --------------------------------------------------------------------------- points
def check_point(value: Any, what: str) -> tuple[float, float]:
    """``value`` as a ``(lon, lat)`` pair of finite degrees in range, or :class:`InvalidQueryError` naming the field."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InvalidQueryError(f"{what} must be a place name or a (lon, lat) pair, not {shown(value)}")
    coords = []
    for field, item, limit in (("lon", value[0], 180.0), ("lat", value[1], 90.0)):
        if isinstance(item, bool) or not isinstance(item, Real):
            raise InvalidQueryError(f"{what}: {field} must be a number of degrees, not {shown(item)}")
        number = float(item)
        if not math.isfinite(number):
            raise InvalidQueryError(f"{what}: {field}={number} is not a finite number of degrees")
        if not -limit <= number <= limit:
            raise InvalidQueryError(f"{what}: {field}={number:g} is out of range, must lie in -{limit:g}..{limit:g}")
        coords.append(number)
    return coords[0], coords[1]


def point_end(lon: float, lat: float) -> PointEnd:
    """The end at a bare point: id ``point_<lon>_<lat>`` (4 decimals, ``m`` for minus)."""

    def part(x: float) -> str:
        return f"{x:.4f}".replace("-", "m").replace(".", "_")

    return PointEnd(f"point_{part(lon)}_{part(lat)}", f"({lon:g}, {lat:g})", lon, lat)


def place_id(name: str, country: str) -> str:
    """A hub id for a gazetteer city: ``samarkand_uz``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    return f"place_{slug}_{country.lower()}" if slug else f"place_{country.lower()}"


def distances_km(lon: float, lat: float, hubs: list[Hub]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """WGS84 geodesic distances from a point to each hub, in km."""
    if not hubs:
        return np.zeros(0)
    lons = np.fromiter((h.lon for h in hubs), dtype=float, count=len(hubs))
    lats = np.fromiter((h.lat for h in hubs), dtype=float, count=len(hubs))
    _, _, metres = wgs84().inv(np.full_like(lons, lon), np.full_like(lats, lat), lons, lats)
    return np.asarray(metres, dtype=float) / 1000.0
