"""The map frame: country outlines, extent, degree axes, scale bar, labels, legends."""

from __future__ import annotations

import contextlib
import json
import math
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError
from ..model.dataset import default_data_dir
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
    shorten,
    tex_escape,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from shapely.geometry.base import BaseGeometry


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


def draw_countries(ax: Axes) -> None:
    """Land and sea under the current view; a view past ±180° longitude shows the land a turn east or west."""
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D

    paths = []
    for geom in _countries():
        for poly in getattr(geom, "geoms", [geom]):
            rings = [poly.exterior, *poly.interiors]
            paths.append(
                MplPath.make_compound_path(*(MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings))
            )
    ax.set_facecolor(SEA_COLOR)
    x0, x1 = sorted(ax.get_xlim())
    for turn in range(math.floor((x0 + 180.0) / 360.0), math.floor((x1 + 180.0) / 360.0) + 1):
        ax.add_collection(
            PathCollection(
                paths,
                facecolors=LAND_COLOR,
                edgecolors=OUTLINE_COLOR,
                linewidths=0.6,
                zorder=0,
                transform=Affine2D().translate(360.0 * turn, 0.0) + ax.transData,
            ),
            autolim=False,
        )


def fit_extent(ax: Axes, bounds: tuple[float, float, float, float], margin: float, min_span_deg: float = 3.0) -> None:
    """View ``bounds`` (lon/lat) with a margin; the axes keep the aspect of the middle latitude.

    The box is set as data limits (not fixed view limits), so matplotlib widens
    one side to fill the axes at the right aspect instead of cutting the map.
    """
    minx, miny, maxx, maxy = bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w = max(maxx - minx, min_span_deg) * (1 + 2 * margin)
    h = max(maxy - miny, min_span_deg) * (1 + 2 * margin)
    ax.update_datalim([(cx - w / 2, max(cy - h / 2, -89.0)), (cx + w / 2, min(cy + h / 2, 89.0))])
    ax.set_xmargin(0.0)
    ax.set_ymargin(0.0)
    ax.autoscale(True)
    ax.set_aspect(1.0 / math.cos(math.radians(min(abs(cy), 80.0))), adjustable="datalim")


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


def draw_scale_bar(ax: Axes, fraction: float = 0.22) -> float:
    """A two-part scale bar in km at the lower left; returns its length in km."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    w, h = x1 - x0, y1 - y0
    lon = x0 + 0.04 * w
    lat = min(max(y0 + 0.06 * h, -85.0), 85.0)  # a wide map's view can reach past the poles
    per_deg = km_per_degree_lon(lat)
    km = _nice_length(fraction * w * per_deg)
    length = km / per_deg
    bar_h = 0.014 * h
    ax.add_patch(
        FancyBboxPatch(
            (lon - 0.015 * w, lat - 0.03 * h),
            length + 0.06 * w,
            0.10 * h,
            boxstyle="round,pad=0,rounding_size=0.3",
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
                (lon + i * length / 2, lat),
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
    ax.text(lon, lat + 1.6 * bar_h, "0", ha="center", **style)
    ax.text(lon + length / 2, lat + 1.6 * bar_h, f"{km / 2:,g}", ha="center", **style)
    ax.text(lon + length, lat + 1.6 * bar_h, f"{km:,g} km", ha="left", gid="scale-bar-label", **style)
    return km


def _halo() -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.5, foreground="white")]


def place_labels(ax: Axes, items: Sequence[tuple[float, float, str, bool]], fontsize: float = 8) -> list[Any]:
    """Label points greedily in order (most important first), skipping labels that would overlap placed ones.

    ``items`` are ``(lon, lat, text, bold)``. Returns the Text artists kept.
    """
    kept: list[Any] = []
    boxes: list[Any] = []
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    offsets = ((5, 4, "left", "bottom"), (-5, 4, "right", "bottom"), (5, -4, "left", "top"), (-5, -4, "right", "top"))
    seen: set[tuple[float, float, str]] = set()
    for lon, lat, text, bold in items:
        key = (round(lon, 4), round(lat, 4), text)
        if key in seen or not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        seen.add(key)
        for dx, dy, ha, va in offsets:
            artist = ax.annotate(
                tex_escape(shorten(text)),
                (lon, lat),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                fontweight="bold" if bold else "normal",
                color=INK,
                zorder=8,
                path_effects=_halo(),
                annotation_clip=True,
            )
            artist.set_in_layout(False)
            try:
                box = artist.get_window_extent()
            except Exception:  # pragma: no cover - a backend without a renderer: keep every label
                kept.append(artist)
                break
            axes_box = ax.get_window_extent()
            inside = box.x0 >= axes_box.x0 and box.x1 <= axes_box.x1 and box.y0 >= axes_box.y0 and box.y1 <= axes_box.y1
            if inside and not any(box.overlaps(b) for b in boxes):
                boxes.append(box)
                kept.append(artist)
                break
            artist.remove()
    return kept


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


def open_map(
    ax: Axes | None,
    bounds: tuple[float, float, float, float],
    margin: float,
    figsize: tuple[float, float],
    dpi: float | None,
) -> Axes:
    """The frame every map starts with: axes (new or given), fitted to ``bounds`` with a margin, degree ticks."""
    ax = new_axes(ax, figsize, dpi)
    fit_extent(ax, bounds, margin)
    degree_axes(ax)
    return ax


def close_map(
    ax: Axes,
    title: str | None,
    default_title: str,
    *,
    handles: list[Any] | None,
    legend_loc: Any = "best",
    countries: bool,
    scale_bar: bool,
    labels: Sequence[tuple[float, float, str, bool]] = (),
    fontsize: float = 8,
) -> Axes:
    """What every map ends with: title, legend (unless ``handles`` is None), extent settled, countries, scale bar, labels."""
    set_title(ax, title, default_title)
    if handles is not None:
        add_legend(ax, handles, loc=legend_loc)
    settle_axes(ax)
    if countries:
        draw_countries(ax)
    if scale_bar:
        draw_scale_bar(ax)
    if labels:
        place_labels(ax, labels, fontsize=fontsize)
    return ax
