"""Map projections for the static maps: an equal-area projection centred on the data, chosen automatically.

A regional map (up to about 50° of latitude, not across the equator) uses an
Albers equal-area conic with standard parallels at one sixth and five sixths
of the data's latitude range; a wider map uses the Equal Earth projection
centred on the data's longitude; ``"lonlat"`` keeps plain longitude and
latitude (the x axis stretched by the middle latitude). Coordinates are
transformed with pyproj on arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

PROJECTIONS = ("auto", "albers", "equalearth", "lonlat")
"""The values of the ``projection`` argument of the static maps."""

CONIC_MAX_LAT_SPAN = 50.0
"""A map taller than this many degrees of latitude (or across the equator) gets Equal Earth rather than a conic."""


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


@dataclass(frozen=True)
class MapProjection:
    """A projection from (lon, lat) in degrees to map coordinates (metres, or degrees for ``lonlat``).

    Examples
    --------
    >>> p = choose_projection((49.0, 36.0, 117.0, 48.0))
    >>> p.kind, p.proj4
    ('albers', '+proj=aea +lat_0=42 +lon_0=83 +lat_1=38 +lat_2=46 +ellps=WGS84 +units=m +no_defs')
    >>> x, y = p.forward([83.0], [42.0]); round(float(x[0])), round(float(y[0]))
    (0, 0)
    """

    kind: str
    proj4: str
    lon_0: float = 0.0
    lat_0: float = 0.0
    _transformers: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_lonlat(self) -> bool:
        return self.kind == "lonlat"

    def _transformer(self, direction: str) -> Any:
        if direction not in self._transformers:
            from pyproj import CRS, Transformer

            crs = CRS.from_proj4(self.proj4)
            src, dst = ("EPSG:4326", crs) if direction == "fwd" else (crs, "EPSG:4326")
            self._transformers[direction] = Transformer.from_crs(src, dst, always_xy=True)
        return self._transformers[direction]

    def forward(self, lons: Sequence[float] | np.ndarray, lats: Sequence[float] | np.ndarray) -> tuple[Any, Any]:
        """Map coordinates of points given in degrees (arrays in, arrays out)."""
        import numpy as np

        lon = np.asarray(lons, dtype=float)
        lat = np.clip(np.asarray(lats, dtype=float), -89.999, 89.999)
        if self.is_lonlat:
            return lon.copy(), lat.copy()
        # longitudes relative to the centre, so an unwrapped line past ±180 stays in one piece
        rel = (lon - self.lon_0 + 180.0) % 360.0 - 180.0 + self.lon_0
        x, y = self._transformer("fwd").transform(rel, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def inverse(self, xs: Sequence[float] | np.ndarray, ys: Sequence[float] | np.ndarray) -> tuple[Any, Any]:
        """Degrees of points given in map coordinates (inf where the point is off the globe)."""
        import numpy as np

        x = np.asarray(xs, dtype=float)
        y = np.asarray(ys, dtype=float)
        if self.is_lonlat:
            return x.copy(), y.copy()
        lon, lat = self._transformer("inv").transform(x, y)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def km_per_unit(self, x: float, y: float, axis: int = 0) -> float:
        """Kilometres on the ground per map unit at map point (x, y), along x (``axis=0``) or y (``axis=1``).

        For ``lonlat`` the x unit is a degree of longitude shown stretched by
        the map's aspect, so this is the length of a degree at that latitude.
        """
        import numpy as np

        from ..model.geo import wgs84

        step = 1e-3 if self.is_lonlat else 1000.0
        dx, dy = (step, 0.0) if axis == 0 else (0.0, step)
        lon, lat = self.inverse([x - dx / 2, x + dx / 2], [y - dy / 2, y + dy / 2])
        if not np.all(np.isfinite(lon)) or not np.all(np.isfinite(lat)) or np.any(np.abs(lat) > 89.9):
            return math.nan
        return float(wgs84().inv(lon[0], lat[0], lon[1], lat[1])[2]) / 1000.0 / step


def choose_projection(bounds: tuple[float, float, float, float], kind: str = "auto") -> MapProjection:
    """The projection for a map of ``bounds`` (minlon, minlat, maxlon, maxlat; longitudes may run past ±180).

    Examples
    --------
    >>> choose_projection((-25.0, -35.0, 150.0, 60.0)).kind   # 35 S to 60 N: too tall for a conic
    'equalearth'
    >>> choose_projection((0.0, 0.0, 1.0, 1.0), "lonlat").kind
    'lonlat'
    >>> choose_projection((0.0, 0.0, 1.0, 1.0), "mercator")
    Traceback (most recent call last):
    ...
    corridor_planner.errors.InvalidQueryError: projection: 'mercator' is not one of auto, albers, equalearth, lonlat
    """
    if kind not in PROJECTIONS:
        raise InvalidQueryError(f"projection: {kind!r} is not one of {', '.join(PROJECTIONS)}")
    minx, miny, maxx, maxy = bounds
    lon_0 = round(_wrap((minx + maxx) / 2), 1)
    lat_0 = round((miny + maxy) / 2, 1)
    if kind == "lonlat":
        return MapProjection("lonlat", "+proj=longlat +datum=WGS84 +no_defs", lon_0, lat_0)
    if kind == "auto":
        kind = "albers" if maxy - miny <= CONIC_MAX_LAT_SPAN and (miny >= 0 or maxy <= 0) else "equalearth"
    if kind == "albers":
        span = max(maxy - miny, 2.0)
        lat_1 = round(lat_0 - span / 3, 1)
        lat_2 = round(lat_0 + span / 3, 1)
        if abs(lat_1 + lat_2) < 1.0:  # standard parallels symmetric about the equator: a cylinder, not a cone
            lat_2 += 1.0
        return MapProjection(
            "albers",
            f"+proj=aea +lat_0={lat_0:g} +lon_0={lon_0:g} +lat_1={lat_1:g} +lat_2={lat_2:g} +ellps=WGS84 +units=m +no_defs",
            lon_0,
            lat_0,
        )
    return MapProjection("equalearth", f"+proj=eqearth +lon_0={lon_0:g} +ellps=WGS84 +units=m +no_defs", lon_0, lat_0)
