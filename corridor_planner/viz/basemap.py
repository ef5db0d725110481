"""The map frame: projection, country outlines, extent, graticule, scale bar, title, credit, labels, legends."""

from __future__ import annotations

import contextlib
import json
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError
from ..model.dataset import default_data_dir
from .labels import place_labels
from .projection import MapProjection, choose_projection
from .style import (
    BORDER_MARKER,
    INK,
    LAND_COLOR,
    MODE_COLORS,
    OTHER_COLOR,
    OUTLINE_COLOR,
    SEA_COLOR,
    TRANSFER_MARKER,
    new_axes,
    tex_escape,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from shapely.geometry.base import BaseGeometry


CREDIT = "Data: corridor_planner dataset, Natural Earth"
"""The source line under every static map (``credit=`` replaces it, ``""`` leaves it out)."""

SCALE_TOLERANCE = 0.10
"""A scale bar is drawn only if the scale varies by at most this fraction across the map."""


# --------------------------------------------------------------------------- the base map


@lru_cache(maxsize=1)
def _countries() -> tuple[BaseGeometry, ...]:
    """The Natural Earth 1:110m country polygons shipped with the dataset (empty, with a warning, if missing)."""
    from shapely.geometry import shape

    path = default_data_dir() / "naturalearth" / "countries_110m.geojson"
    try:
        with path.open(encoding="utf-8") as f:
            collection = json.load(f)
    except OSError as exc:
        warnings.warn(f"no country outlines for the map background: {exc}", stacklevel=3)
        return ()
    return tuple(shape(feature["geometry"]) for feature in collection["features"])


def _rings_lonlat() -> list[list[Any]]:
    """Each country polygon as a list of (n, 2) ring arrays in degrees."""
    import numpy as np

    return [
        [np.asarray(r.coords)[:, :2] for r in (poly.exterior, *poly.interiors)]
        for geom in _countries()
        for poly in getattr(geom, "geoms", [geom])
    ]


@lru_cache(maxsize=8)
def _projected_paths(proj: MapProjection) -> tuple[Any, ...]:
    """Country outlines in a projection: cut to the half-turn either side of its centre, densified, projected."""
    import numpy as np
    import shapely
    from matplotlib.path import Path as MplPath
    from shapely.affinity import translate
    from shapely.geometry import box

    window = box(proj.lon_0 - 179.9, -89.9, proj.lon_0 + 179.9, 89.9)
    paths = []
    for geom in _countries():
        for turn in (-360.0, 0.0, 360.0):
            part = translate(geom, turn, 0.0)
            if not part.intersects(window):
                continue
            part = shapely.segmentize(part.intersection(window), 1.0)
            for poly in getattr(part, "geoms", [part]):
                if poly.geom_type != "Polygon" or poly.is_empty:
                    continue
                rings = []
                for ring in (poly.exterior, *poly.interiors):
                    xy = np.asarray(ring.coords)[:, :2]
                    x, y = proj.forward(xy[:, 0], xy[:, 1])
                    rings.append(MplPath(np.column_stack([x, y]), closed=True))
                paths.append(MplPath.make_compound_path(*rings))
    return tuple(paths)


def draw_countries(ax: Axes, proj: MapProjection) -> None:
    """Land and sea under the map; on a lon/lat map a view past ±180° longitude shows the land a turn east or west."""
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D

    ax.set_facecolor(SEA_COLOR)
    style: dict[str, Any] = {"facecolors": LAND_COLOR, "edgecolors": OUTLINE_COLOR, "linewidths": 0.6, "zorder": 0}
    if not proj.is_lonlat:
        ax.add_collection(PathCollection(list(_projected_paths(proj)), gid="countries", **style), autolim=False)
        return
    paths = [MplPath.make_compound_path(*(MplPath(r, closed=True) for r in rings)) for rings in _rings_lonlat()]
    x0, x1 = sorted(ax.get_xlim())
    for turn in range(math.floor((x0 + 180.0) / 360.0), math.floor((x1 + 180.0) / 360.0) + 1):
        ax.add_collection(
            PathCollection(
                paths, transform=Affine2D().translate(360.0 * turn, 0.0) + ax.transData, gid="countries", **style
            ),
            autolim=False,
        )


def fit_extent(
    ax: Axes, proj: MapProjection, points: Sequence[tuple[float, float]], margin: float, min_span_km: float = 300.0
) -> tuple[float, float, float, float]:
    """View the projected ``points`` with a margin; the axes keep an equal aspect (lon/lat: of the middle latitude).

    The box is set as data limits (not fixed view limits), so matplotlib widens
    one side to fill the axes at the right aspect instead of cutting the map.
    """
    import numpy as np

    xs, ys = proj.forward([p[0] for p in points], [p[1] for p in points])
    minx, maxx, miny, maxy = float(np.min(xs)), float(np.max(xs)), float(np.min(ys)), float(np.max(ys))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    min_span = min_span_km / 111.0 if proj.is_lonlat else min_span_km * 1000.0
    w = max(maxx - minx, min_span) * (1 + 2 * margin)
    h = max(maxy - miny, min_span) * (1 + 2 * margin)
    y0, y1 = cy - h / 2, cy + h / 2
    if proj.is_lonlat:
        y0, y1 = max(y0, -89.0), min(y1, 89.0)
    ax.update_datalim([(cx - w / 2, y0), (cx + w / 2, y1)])
    ax.set_xmargin(0.0)
    ax.set_ymargin(0.0)
    ax.autoscale(True)
    aspect = 1.0 / math.cos(math.radians(min(abs(cy), 80.0))) if proj.is_lonlat else 1.0
    ax.set_aspect(aspect, adjustable="datalim")
    return cx - w / 2, y0, cx + w / 2, y1


def settle_axes(ax: Axes) -> None:
    """Run the figure's layout once, so the view limits and transforms are final before placing labels."""
    with contextlib.suppress(Exception):  # an exotic canvas: fall back to the aspect alone
        ax.figure.draw_without_rendering()  # type: ignore[union-attr]
    ax.apply_aspect()


def degree_axes(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    def lon(x: float, _: Any) -> str:
        x = -((-x + 180.0) % 360.0 - 180.0)  # a map across the antimeridian runs past ±180: 190 is 170°W
        return f"{abs(x):g}°{'E' if 0 < x < 180 else 'W' if x < 0 else ''}"

    def lat(y: float, _: Any) -> str:
        return f"{abs(y):g}°{'N' if y > 0 else 'S' if y < 0 else ''}"

    ax.xaxis.set_major_formatter(FuncFormatter(lon))
    ax.yaxis.set_major_formatter(FuncFormatter(lat))
    ax.tick_params(labelsize=8, colors="#555555")
    ax.grid(True, color="white", linewidth=0.6, alpha=0.8, zorder=0.5)


def _view_lonlat(ax: Axes, proj: MapProjection) -> tuple[float, float, float, float]:
    """The (lon, lat) box the current view covers, from points along its edges."""
    import numpy as np

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    t = np.linspace(0.0, 1.0, 21)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full_like(t, x1), x0 + (x1 - x0) * t, np.full_like(t, x0)])
    ys = np.concatenate([np.full_like(t, y0), y0 + (y1 - y0) * t, np.full_like(t, y1), y0 + (y1 - y0) * t])
    lon, lat = proj.inverse(xs, ys)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():  # pragma: no cover - a view off the globe
        return -180.0, -90.0, 180.0, 90.0
    rel = (lon[ok] - proj.lon_0 + 180.0) % 360.0 - 180.0 + proj.lon_0
    return float(rel.min()), float(lat[ok].min()), float(rel.max()), float(lat[ok].max())


def draw_graticule(ax: Axes, proj: MapProjection) -> float:
    """Meridians and parallels (white, under the routes) on a projected map, a degree label at each edge it meets;
    no axis ticks (map metres mean nothing to a reader). Returns the spacing in degrees."""
    import numpy as np
    from matplotlib.collections import LineCollection

    lon0, lat0, lon1, lat1 = _view_lonlat(ax, proj)
    span = max(lon1 - lon0, lat1 - lat0)
    step = 20.0 if span > 80 else 10.0 if span > 30 else 5.0 if span > 12 else 2.0
    lines = []
    for lon in np.arange(math.floor(lon0 / step) * step, lon1 + step, step):
        lats = np.linspace(max(lat0 - step, -89.0), min(lat1 + step, 89.0), 60)
        lines.append(np.column_stack(proj.forward(np.full_like(lats, lon), lats)))
    for lat in np.arange(math.floor(lat0 / step) * step, lat1 + step, step):
        if abs(lat) > 89:
            continue
        lons = np.linspace(lon0 - step, lon1 + step, 120)
        lines.append(np.column_stack(proj.forward(lons, np.full_like(lons, lat))))
    ax.add_collection(
        LineCollection(lines, colors="white", linewidths=0.6, alpha=0.8, zorder=0.5, gid="graticule"), autolim=False
    )
    ax.set_xticks([])
    ax.set_yticks([])
    return step


def _nice_length(target_km: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``target_km``."""
    exponent = math.floor(math.log10(max(target_km, 1e-9)))
    best = 10.0**exponent
    for step in (1.0, 2.0, 5.0, 10.0):
        if step * 10.0**exponent <= target_km:
            best = step * 10.0**exponent
    return best


def km_per_degree_lon(lat: float) -> float:
    """Length in km of one degree of longitude at latitude ``lat`` on the WGS84 ellipsoid.

    Examples
    --------
    >>> round(km_per_degree_lon(0.0), 1), round(km_per_degree_lon(60.0), 1)
    (111.3, 55.8)
    """
    from ..model.geo import wgs84

    return float(wgs84().line_length([0.0, 1.0], [lat, lat])) / 1000.0


def scale_variation(ax: Axes, proj: MapProjection, at: Sequence[tuple[float, float]] = ()) -> float:
    """How much the map's scale varies: the largest over the smallest km per map unit, along x and y, minus one
    (0.0: one scale everywhere), at the map points ``at`` (what the map shows), default 5 x 5 points over the view."""
    import numpy as np

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    grid = at or [(float(x), float(y)) for x in np.linspace(x0, x1, 5) for y in np.linspace(y0, y1, 5)]
    scales = [proj.km_per_unit(x, y, axis) for x, y in grid for axis in (0, 1)]
    if proj.is_lonlat:  # the y unit (a degree of latitude) is shown 1/cos(middle latitude) times a degree of x
        aspect = ax.get_aspect()
        scales = [s if i % 2 == 0 else s / float(aspect) for i, s in enumerate(scales)]  # type: ignore[arg-type]
    finite = [s for s in scales if math.isfinite(s) and s > 0]
    if len(finite) < len(scales) // 2:
        return math.inf
    return max(finite) / min(finite) - 1.0


def draw_scale_bar(ax: Axes, proj: MapProjection, fraction: float = 0.22) -> float | None:
    """A two-part scale bar in km at the lower left, true at the map's centre (along x); returns its length in km.

    Whether one bar is honest for the map is decided by the caller (:func:`close_map`, with :func:`scale_variation`).
    """
    from matplotlib.patches import FancyBboxPatch, Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    w, h = x1 - x0, y1 - y0
    per_unit = proj.km_per_unit((x0 + x1) / 2, (y0 + y1) / 2, 0)
    if not math.isfinite(per_unit) or per_unit <= 0:  # pragma: no cover - a centre off the globe
        return None
    km = _nice_length(fraction * w * per_unit)
    length = km / per_unit
    bx, by = x0 + 0.04 * w, y0 + 0.06 * h
    bar_h = 0.014 * h
    ax.add_patch(
        FancyBboxPatch(
            (bx - 0.015 * w, by - 0.03 * h),
            length + 0.06 * w,
            0.10 * h,
            boxstyle=f"round,pad=0,rounding_size={0.012 * h}",
            facecolor="white",
            edgecolor="none",
            alpha=0.8,
            zorder=6,
            gid="scale-bar-box",
        )
    )
    for i, face in enumerate((INK, "white")):
        ax.add_patch(
            Rectangle(
                (bx + i * length / 2, by),
                length / 2,
                bar_h,
                facecolor=face,
                edgecolor=INK,
                linewidth=0.8,
                zorder=7,
                gid="scale-bar",
            )
        )
    style: dict[str, Any] = {"fontsize": 8, "color": INK, "zorder": 7, "va": "bottom", "in_layout": False}
    ax.text(bx, by + 1.6 * bar_h, "0", ha="center", **style)
    ax.text(bx + length / 2, by + 1.6 * bar_h, f"{km / 2:,g}", ha="center", **style)
    ax.text(bx + length, by + 1.6 * bar_h, f"{km:,g} km", ha="left", gid="scale-bar-label", **style)
    return km


def mode_handles(modes: Iterable[str], linewidth: float = 3.0) -> list[Any]:
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], color=MODE_COLORS.get(m, OTHER_COLOR), linewidth=linewidth, label=tex_escape(m)) for m in modes
    ]


def marker_handles(*, hubs: bool = True, transfers: bool = False, borders: bool = False) -> list[Any]:
    from matplotlib.lines import Line2D

    kinds = (  # (shown, label, marker, size, face, edge)
        (hubs, "hub", "o", 6, "white", INK),
        (transfers, "transfer point", TRANSFER_MARKER["marker"], 8, TRANSFER_MARKER["color"], INK),
        (borders, "border crossing", BORDER_MARKER["marker"], 9, BORDER_MARKER["color"], "white"),
    )
    return [
        Line2D([], [], linestyle="none", marker=marker, markersize=size, markerfacecolor=face, markeredgecolor=edge,
               label=label)
        for shown, label, marker, size, face, edge in kinds
        if shown
    ]  # fmt: skip


def set_title(ax: Axes, title: str | None, default: str) -> None:
    text = default if title is None else title
    if text:
        ax.set_title(tex_escape(text), fontsize=11, loc="left")


# --------------------------------------------------------------------------- what a route shows


def unwrapped_coords(line: BaseGeometry, near: float | None = None) -> list[tuple[float, float]]:
    """A line's (lon, lat) points with no step in longitude over 180°, so a line across the antimeridian
    stays in one piece (running past ±180); moved by whole turns to start near longitude ``near``."""
    import numpy as np

    xy = np.asarray(line.coords, dtype=float)[:, :2]
    lons = np.unwrap(xy[:, 0], period=360.0)
    if near is not None:
        lons += 360.0 * round((near - lons[0]) / 360.0)
    return list(zip(lons.tolist(), xy[:, 1].tolist(), strict=True))


def bounds_of(points: Iterable[tuple[float, float]], empty: str) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of lon/lat points; :class:`InvalidQueryError` saying ``empty`` if there are none."""
    listed = list(points)
    if not listed:
        raise InvalidQueryError(f"nothing to draw: {empty}")
    xs, ys = [p[0] for p in listed], [p[1] for p in listed]
    return min(xs), min(ys), max(xs), max(ys)


def add_legend(ax: Axes, handles: list[Any], loc: Any = "best", **kw: Any) -> None:
    legend = ax.legend(handles=handles, loc=loc, fontsize=8, framealpha=0.92, **kw)
    legend.set_zorder(9)


@dataclass(frozen=True)
class MapFrame:
    """A map being drawn: its axes, its projection, the box (map coordinates) of what it shows with its margin, and
    up to about 60 of its points (map coordinates) where the scale is checked."""

    ax: Axes
    proj: MapProjection
    box: tuple[float, float, float, float]
    sample: tuple[tuple[float, float], ...] = ()


def open_map(
    ax: Axes | None,
    points: Sequence[tuple[float, float]],
    margin: float,
    figsize: tuple[float, float],
    dpi: float | None,
    projection: str = "auto",
) -> MapFrame:
    """The frame every map starts with: the projection for ``points`` (lon, lat), axes (new or given) fitted to
    them with a margin, degree ticks on a lon/lat map."""
    proj = choose_projection(bounds_of(points, "nothing to show"), projection)
    ax = new_axes(ax, figsize, dpi)
    box = fit_extent(ax, proj, points, margin)
    if proj.is_lonlat:
        degree_axes(ax)
    step = max(1, len(points) // 60)
    xs, ys = proj.forward([p[0] for p in points[::step]], [p[1] for p in points[::step]])
    sample = tuple((float(x), float(y)) for x, y in zip(xs, ys, strict=True))
    return MapFrame(ax, proj, box, sample)


def _credit(ax: Axes, text: str) -> None:
    ax.annotate(
        tex_escape(text),
        (1.0, 0.0),
        xycoords="axes fraction",
        xytext=(0, -3),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=7,
        color="#555555",
        gid="credit",
    )


def _pin_legend(ax: Axes) -> Any:
    """Fix the legend where the layout put it (``loc="best"`` would move it when labels are added) and return its
    box in display pixels, or None without a legend."""
    legend = ax.get_legend()
    if legend is None:
        return None
    box = legend.get_window_extent()
    if hasattr(legend, "set_loc"):
        legend.set_loc(tuple(ax.transAxes.inverted().transform((box.x0, box.y0))))
    return box


def close_map(
    frame: MapFrame,
    title: str | None,
    default_title: str,
    *,
    handles: list[Any] | None,
    legend_loc: Any = "best",
    countries: bool,
    scale_bar: bool,
    credit: str | None = None,
    labels: Sequence[tuple[float, float, str, bool]] = (),
    markers: Sequence[tuple[float, float]] = (),
    fontsize: float = 8,
) -> Axes:
    """What every map ends with: title, legend (unless ``handles`` is None), source line, the extent settled,
    countries, graticule, scale bar (or a note why there is none), labels beside their markers.

    ``labels`` and ``markers`` are in map (projected) coordinates. The scale
    bar is left out, with a note in the source line, when the scale varies by
    more than :data:`SCALE_TOLERANCE` over what the map shows.
    """
    ax, proj = frame.ax, frame.proj
    set_title(ax, title, default_title)
    if handles is not None:
        add_legend(ax, handles, loc=legend_loc)
    credit = CREDIT if credit is None else credit
    settle_axes(ax)
    note = ""
    if scale_bar and scale_variation(ax, proj, frame.sample) > SCALE_TOLERANCE:
        note = f"No scale bar: the scale varies by more than {SCALE_TOLERANCE:.0%} across this map."
    if credit or note:
        _credit(ax, "   ".join(t for t in (note, credit) if t))
        settle_axes(ax)
    if scale_bar and not note:
        draw_scale_bar(ax, proj)
    if countries:
        draw_countries(ax, proj)
    if not proj.is_lonlat:
        draw_graticule(ax, proj)
    legend_box = _pin_legend(ax)
    reserved = [legend_box] if legend_box is not None else []
    reserved += [p.get_window_extent() for p in ax.patches if p.get_gid() == "scale-bar-box"]
    if labels:
        place_labels(ax, labels, markers=markers, reserved=reserved, fontsize=fontsize)
    return ax


def country_shapes() -> tuple[BaseGeometry, ...]:
    """The Natural Earth country outlines (lon/lat), as used for the map background."""
    return _countries()
