"""Geodesic helpers (WGS84 ellipsoid, coordinates as lon/lat in EPSG:4326)."""

from __future__ import annotations

from functools import lru_cache

from pyproj import Geod
from shapely.geometry import LineString

CRS = "EPSG:4326"
"""The coordinate reference system of every geometry in the library."""


@lru_cache(maxsize=1)
def wgs84() -> Geod:
    return Geod(ellps="WGS84")


def geodesic_length_km(line: LineString) -> float:
    """Length of a lon/lat LineString along the WGS84 ellipsoid, in km.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> round(geodesic_length_km(LineString([(0, 0), (1, 0)])), 1)
    111.3
    """
    return float(wgs84().geometry_length(line)) / 1000.0


def great_circle(a: tuple[float, float], b: tuple[float, float], step_km: float = 100.0) -> LineString:
    """The geodesic between two lon/lat points, densified every ``step_km``."""
    geod = wgs84()
    _, _, dist_m = geod.inv(a[0], a[1], b[0], b[1])
    n = max(int(dist_m / 1000.0 / step_km), 0)
    mids = geod.npts(a[0], a[1], b[0], b[1], n) if n else []
    return LineString([a, *mids, b])


def reverse(line: LineString) -> LineString:
    """The same line, walked the other way."""
    return LineString(list(line.coords)[::-1])
