"""Pictures of routes and networks: static maps and timelines (matplotlib), web maps (folium).

The plotting libraries are optional: ``pip install "corridor_planner[plot]"``.
They are imported only when a picture is drawn, so ``import corridor_planner``
never imports them; without them, drawing raises
:class:`~corridor_planner.errors.MissingDependencyError` (an ``ImportError``)
saying what to install. When no matplotlib backend has been chosen and there is
no screen, the non-interactive ``Agg`` backend is used.

Colours are fixed, so pictures read the same everywhere: one colour per mode
(:data:`MODE_COLORS`, also used by the timeline's moving segments), one per
stop component (:data:`COMPONENT_COLORS`) and a cycle for comparing routes
(:data:`ROUTE_COLORS`). The palettes are Paul Tol's colour-blind-safe
"vibrant" and "muted" schemes.

Maps are drawn in lon/lat (EPSG:4326) over the Natural Earth 1:110m country
outlines shipped with the dataset (``data/naturalearth/``, public domain),
with the aspect ratio of the map's middle latitude and a scale bar whose
length is computed on the WGS84 ellipsoid at the latitude where it is drawn.

Examples
--------
>>> import corridor_planner as cp
>>> cp.plot.MODE_COLORS["rail"], cp.plot.MODE_COLORS["sea"]
('#CC3311', '#0077BB')
>>> net = cp.load_network()
>>> train = net.plan("Beijing", "Baku", avoid_modes=["road"], as_of=2025)
>>> ax = train.plot(figsize=(8, 6))                      # a matplotlib Axes
>>> ax.figure.savefig("beijing_baku.png", dpi=100)       # doctest: +SKIP
>>> cp.plot.close(ax)
"""

from __future__ import annotations

import contextlib
import html
import importlib
import json
import math
import os
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, cast

from .costs import COMPONENTS
from .errors import InvalidQueryError, MissingDependencyError
from .io import default_data_dir

if TYPE_CHECKING:  # pragma: no cover
    import folium
    from matplotlib.axes import Axes
    from shapely.geometry.base import BaseGeometry

    from .network import Network
    from .route import Route

__all__ = [
    "COMPONENT_COLORS",
    "INSTALL_HINT",
    "MODE_COLORS",
    "ROUTE_COLORS",
    "close",
    "explore_network",
    "explore_route",
    "plot_network",
    "plot_route",
    "plot_routes",
    "timeline",
    "timeline_segments",
]

INSTALL_HINT = 'pip install "corridor_planner[plot]"'
"""The command that installs the plotting libraries."""

MODE_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "rail": "#CC3311",  # red
        "road": "#EE7733",  # orange
        "sea": "#0077BB",  # blue
        "air": "#EE3377",  # magenta
        "pipeline": "#009988",  # teal
    }
)
"""The colour of each mode, on maps and for the moving segments of timelines (Tol "vibrant")."""

COMPONENT_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "rest": "#BBBBBB",  # grey: a truck driver's rest
        "border": "#332288",  # indigo
        "gauge_change": "#999933",  # olive
        "transfer": "#DDCC77",  # sand
        "transshipment": "#117733",  # green
        "waiting": "#AA4499",  # purple
        "port_dwell": "#88CCEE",  # light blue
        "port_call": "#882255",  # wine
        "canal_transit": "#664400",  # brown
    }
)
"""The colour of each stop component of :data:`corridor_planner.costs.COMPONENTS` (Tol "muted"); ``moving`` takes the mode's colour."""

ROUTE_COLORS: tuple[str, ...] = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#555555")
"""The colours of the routes compared by :func:`plot_routes` (Tol "bright"), in order."""

ROUTE_LINESTYLES: tuple[Any, ...] = ("-", (0, (6, 2)), (0, (6, 2, 1.5, 2)), (0, (1.5, 1.5)))
"""The line styles of the routes compared by :func:`plot_routes`, in order."""

TRANSFER_COMPONENTS = frozenset({"transfer", "gauge_change", "transshipment"})
"""Stop components that make a hub a transfer point on maps."""

OTHER_COLOR = "#777777"
LAND_COLOR = "#F3F1EC"
SEA_COLOR = "#E4EEF5"
OUTLINE_COLOR = "#A8A8A8"
INK = "#222222"
TRANSFER_MARKER = {"marker": "D", "color": "#DDCC77"}
BORDER_MARKER = {"marker": "X", "color": "#332288"}

# --------------------------------------------------------------------------- optional libraries


def _require(module: str, what: str) -> ModuleType:
    """Import an optional library, or raise :class:`MissingDependencyError` saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(
            f"{what} need the optional library {module!r}, which is not installed; install the plotting extras "
            f"with: {INSTALL_HINT}",
            name=module,
        ) from exc


def _headless() -> bool:
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def _backend_unset(mpl: ModuleType) -> bool:
    if os.environ.get("MPLBACKEND"):
        return False
    try:
        sentinel = mpl.rcsetup._auto_backend_sentinel
        return dict.__getitem__(mpl.rcParams, "backend") is sentinel  # type: ignore[no-any-return]
    except (AttributeError, KeyError):  # pragma: no cover - a matplotlib without the sentinel
        return False


def _pyplot() -> ModuleType:
    """matplotlib.pyplot, with the Agg backend when no backend is chosen and there is no screen."""
    mpl = _require("matplotlib", "maps and timelines")
    if "matplotlib.pyplot" not in sys.modules and _backend_unset(mpl) and _headless():
        mpl.use("Agg")
    return importlib.import_module("matplotlib.pyplot")


def close(ax_or_fig: Any) -> None:
    """Close the figure of an Axes (or a Figure) that a plotting function created, freeing its memory.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> ax = cp.load_network().plan("Beijing", "Baku").timeline()
    >>> cp.plot.close(ax)
    """
    plt = _pyplot()
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    plt.close(fig)


def _new_axes(ax: Axes | None, figsize: tuple[float, float], dpi: float | None) -> Axes:
    if ax is not None:
        return ax
    plt = _pyplot()
    fig = plt.figure(figsize=figsize, dpi=dpi, layout="constrained")
    new: Axes = fig.add_subplot()
    return new


def _tex(text: str) -> str:
    """Text from data, safe from matplotlib's mathtext (``$`` would start a formula)."""
    return str(text).replace("$", r"\$")


def _short(name: str, limit: int = 26) -> str:
    """A hub name short enough for a map label: a long name loses its parenthesis, then its tail.

    Examples
    --------
    >>> _short("Alat (Baku International Sea Trade Port)"), _short("Beijing (Fangshan)")
    ('Alat', 'Beijing (Fangshan)')
    """
    if len(name) > limit and "(" in name:
        name = name.split("(", 1)[0].strip() or name
    return name if len(name) <= limit + 4 else name[: limit + 3].rstrip() + "…"


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


def _draw_countries(ax: Axes) -> None:
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


def _fit_extent(ax: Axes, bounds: tuple[float, float, float, float], margin: float, min_span_deg: float = 3.0) -> None:
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


def _settle(ax: Axes) -> None:
    """Run the figure's layout once, so the view limits and transforms are final before placing labels."""
    with contextlib.suppress(Exception):  # an exotic canvas: fall back to the aspect alone
        ax.figure.draw_without_rendering()  # type: ignore[union-attr]
    ax.apply_aspect()


def _degree_axes(ax: Axes) -> None:
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
    from .geo import _geod

    return float(_geod().line_length([0.0, 1.0], [lat, lat])) / 1000.0


def _scale_bar(ax: Axes, fraction: float = 0.22) -> float:
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


def _place_labels(ax: Axes, items: Sequence[tuple[float, float, str, bool]], fontsize: float = 8) -> list[Any]:
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
                _tex(_short(text)),
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


def _mode_handles(modes: Iterable[str], linewidth: float = 3.0) -> list[Any]:
    from matplotlib.lines import Line2D

    return [Line2D([], [], color=MODE_COLORS.get(m, OTHER_COLOR), linewidth=linewidth, label=_tex(m)) for m in modes]


def _marker_handles(*, hubs: bool = True, transfers: bool = False, borders: bool = False) -> list[Any]:
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


def _title(ax: Axes, title: str | None, default: str) -> None:
    text = default if title is None else title
    if text:
        ax.set_title(_tex(text), fontsize=11, loc="left")


# --------------------------------------------------------------------------- what a route shows


def _unwrapped(line: BaseGeometry, near: float | None = None) -> list[tuple[float, float]]:
    """A line's (lon, lat) points with no step in longitude over 180°, so a line across the antimeridian
    stays in one piece (running past ±180); moved by whole turns to start near longitude ``near``."""
    import numpy as np

    xy = np.asarray(line.coords, dtype=float)[:, :2]
    lons = np.unwrap(xy[:, 0], period=360.0)
    if near is not None:
        lons += 360.0 * round((near - lons[0]) / 360.0)
    return list(zip(lons.tolist(), xy[:, 1].tolist()))


def _route_lines(route: Route) -> list[list[tuple[float, float]]]:
    """The points of each leg, unwrapped along the whole route (see :func:`_unwrapped`)."""
    lines: list[list[tuple[float, float]]] = []
    for leg in route.legs:
        lines.append(_unwrapped(leg.geometry, lines[-1][-1][0] if lines else None))
    return lines


def _hub_points(route: Route) -> dict[str, tuple[float, float, str]]:
    """Hub id -> (lon, lat, name) for every hub of the route, from the legs' geometry."""
    points: dict[str, tuple[float, float, str]] = {}
    for leg, line in zip(route.legs, _route_lines(route)):
        points.setdefault(leg.origin, (*line[0], leg.origin_name))
        points.setdefault(leg.destination, (*line[-1], leg.destination_name))
    return points


def _route_stops(route: Route) -> tuple[list[str], list[tuple[float, float, str]]]:
    """The route's transfer hubs (ids, in order) and border crossings (lon, lat, name)."""
    transfers: list[str] = []
    borders: list[tuple[float, float, str]] = []
    from shapely.geometry import LineString

    points = _hub_points(route)
    for leg, line in zip(route.legs, _route_lines(route)):
        for stop in leg.stops:
            if stop.component in TRANSFER_COMPONENTS and stop.hub in points and stop.hub not in transfers:
                transfers.append(stop.hub)
            elif stop.component == "border":  # marked at the middle of the leg that crosses
                mid = LineString(line).interpolate(0.5, normalized=True)
                borders.append((float(mid.x), float(mid.y), stop.note or stop.hub))
    return transfers, borders


def _bounds(points: Iterable[tuple[float, float]], empty: str) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of lon/lat points; :class:`InvalidQueryError` saying ``empty`` if there are none."""
    listed = list(points)
    if not listed:
        raise InvalidQueryError(f"nothing to draw: {empty}")
    xs, ys = [p[0] for p in listed], [p[1] for p in listed]
    return min(xs), min(ys), max(xs), max(ys)


def _route_bounds(routes: Iterable[Route]) -> tuple[float, float, float, float]:
    return _bounds([p for route in routes for line in _route_lines(route) for p in line], "the route has no legs")


def _ordered_modes(modes: Iterable[str]) -> list[str]:
    """The distinct modes, in the order of :data:`MODE_COLORS` (any other after them, sorted)."""
    present = set(modes)
    return [m for m in MODE_COLORS if m in present] + sorted(present - set(MODE_COLORS))


def _network_parts(
    network: Network, as_of: int | None
) -> tuple[int, list[list[tuple[float, float]]], tuple[float, float, float, float], list[str]]:
    """What both network maps need: the year, each link's points (unwrapped), the bounds and the modes."""
    from .network import current_year

    year = (network.dataset.as_of or current_year()) if as_of is None else as_of
    lines = [_unwrapped(link.geometry) for link in network.dataset.links]
    points = [p for line in lines for p in line] + [(h.lon, h.lat) for h in network.dataset.hubs]
    modes = _ordered_modes(link.mode.value for link in network.dataset.links)
    return year, lines, _bounds(points, "the network is empty"), modes


def _route_name(route: Route) -> str:
    if not route.legs:
        return f"{route.origin} → {route.destination}"
    return f"{route.legs[0].origin_name} → {route.legs[-1].destination_name}"


def default_label(route: Route) -> str:
    """How a route is labelled when no label is given: ends, modes and days.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> default_label(cp.load_network().plan("Beijing", "Baku", avoid_modes=["road"], as_of=2025))
    'Beijing (Fangshan) → Baku by rail+sea, 13.1 days'
    """
    return f"{_route_name(route)} by {'+'.join(route.modes)}, {route.transit_days:.1f} days"


def _labels_for(routes: Sequence[Route], labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        return [default_label(r) for r in routes]
    labels = [str(label) for label in labels]
    if len(labels) != len(routes):
        raise InvalidQueryError(f"labels: {len(labels)} label(s) given for {len(routes)} route(s)")
    return labels


def _as_routes(routes: Route | Iterable[Route]) -> list[Route]:
    from .route import Route

    listed = [routes] if isinstance(routes, Route) else list(routes)
    if not listed:
        raise InvalidQueryError("routes: give at least one route")
    for r in listed:
        if not isinstance(r, Route):
            raise InvalidQueryError(f"routes: expected Route objects, got {type(r).__name__}")
    return listed


def _draw_stop_markers(ax: Axes, routes: Sequence[Route]) -> tuple[bool, bool, list[tuple[float, float, str, bool]]]:
    """Hub, transfer and border markers of the routes; returns whether each kind was drawn and the labels to place."""
    hub_xy: dict[str, tuple[float, float, str]] = {}
    transfer_xy: dict[str, tuple[float, float, str]] = {}
    border_xy: list[tuple[float, float, str]] = []
    ends: list[tuple[float, float, str, bool]] = []
    for route in routes:
        points = _hub_points(route)
        hub_xy.update(points)
        transfers, borders = _route_stops(route)
        transfer_xy.update({h: points[h] for h in transfers})
        border_xy.extend(borders)
        for hub_id in (route.hubs[0], route.hubs[-1]):
            if hub_id in points:
                ends.append((*points[hub_id][:2], points[hub_id][2], True))
    plain = [p for h, p in hub_xy.items() if h not in transfer_xy]
    if plain:
        ax.scatter(
            [p[0] for p in plain],
            [p[1] for p in plain],
            s=22,
            facecolor="white",
            edgecolor=INK,
            linewidth=0.9,
            zorder=5,
            gid="hubs",
        )
    if transfer_xy:
        xs = [p[0] for p in transfer_xy.values()]
        ys = [p[1] for p in transfer_xy.values()]
        ax.scatter(
            xs,
            ys,
            s=46,
            marker=TRANSFER_MARKER["marker"],
            facecolor=TRANSFER_MARKER["color"],
            edgecolor=INK,
            linewidth=0.9,
            zorder=6,
            gid="transfer-points",
        )
    if border_xy:
        ax.scatter(
            [p[0] for p in border_xy],
            [p[1] for p in border_xy],
            s=64,
            marker=BORDER_MARKER["marker"],
            facecolor=BORDER_MARKER["color"],
            edgecolor="white",
            linewidth=0.8,
            zorder=6,
            gid="border-points",
        )
    labels = ends + [(*p[:2], p[2], False) for p in transfer_xy.values()]
    labels += [(*p[:2], p[2], False) for h, p in hub_xy.items() if h not in transfer_xy]
    return bool(transfer_xy), bool(border_xy), labels


def _legend(ax: Axes, handles: list[Any], loc: Any = "best", **kw: Any) -> None:
    legend = ax.legend(handles=handles, loc=loc, fontsize=8, framealpha=0.92, **kw)
    legend.set_zorder(9)


def plot_route(
    route: Route,
    ax: Axes | None = None,
    *,
    figsize: tuple[float, float] = (10.0, 7.0),
    dpi: float | None = None,
    title: str | None = None,
    labels: bool = True,
    legend: bool = True,
    scale_bar: bool = True,
    countries: bool = True,
    margin: float = 0.12,
    linewidth: float = 3.0,
) -> Axes:
    """A static map of one route (also :meth:`Route.plot <corridor_planner.Route.plot>`).

    Legs are coloured by mode (:data:`MODE_COLORS`); hubs are white dots,
    transfer points (a stop of component ``transfer``, ``gauge_change`` or
    ``transshipment``) yellow diamonds, border crossings indigo crosses (at
    the middle of the leg that crosses); hubs are labelled where labels do not
    overlap (origin, destination and transfer points first). The extent fits
    the route with a margin; a scale bar in km and a legend are drawn.

    Parameters
    ----------
    route : Route
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure of ``figsize`` inches (and ``dpi``).
    title : str, optional
        Default: ends, days, km and modes; ``""`` for none.
    labels, legend, scale_bar, countries : bool
        Draw hub labels, the legend, the scale bar, the country outlines.
    margin : float
        Space around the route, as a fraction of its extent on each side.
    linewidth : float
        Width of the legs in points.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> route = cp.load_network().plan("Kashgar", "Andijan", avoid_modes=["road"], as_of=2030)
    >>> ax = route.plot(figsize=(6, 4), title="")
    >>> ax.figure.savefig("kashgar_andijan.png")   # doctest: +SKIP
    >>> cp.plot.close(ax)
    """
    _pyplot()  # or MissingDependencyError
    bounds = _route_bounds([route])
    ax = _new_axes(ax, figsize, dpi)
    _fit_extent(ax, bounds, margin)
    _degree_axes(ax)
    for leg, line in zip(route.legs, _route_lines(route)):
        ax.plot(
            *zip(*line),
            color=MODE_COLORS.get(leg.mode, OTHER_COLOR),
            linewidth=linewidth,
            solid_capstyle="round",
            solid_joinstyle="round",
            zorder=3,
            gid=f"leg-{leg.mode}",
        )
    has_transfers, has_borders, hub_labels = _draw_stop_markers(ax, [route])
    _title(
        ax,
        title,
        f"{_route_name(route)}: {route.transit_days:.1f} days, {route.distance_km:,.0f} km by {'+'.join(route.modes)}",
    )
    if legend:
        _legend(
            ax, _mode_handles(route.modes, linewidth) + _marker_handles(transfers=has_transfers, borders=has_borders)
        )
    _settle(ax)
    if countries:
        _draw_countries(ax)
    if scale_bar:
        _scale_bar(ax)
    if labels:
        _place_labels(ax, hub_labels)
    return ax


def plot_routes(
    routes: Route | Iterable[Route],
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    *,
    figsize: tuple[float, float] = (10.0, 7.0),
    dpi: float | None = None,
    title: str | None = None,
    hub_labels: bool = True,
    legend: bool = True,
    scale_bar: bool = True,
    countries: bool = True,
    margin: float = 0.08,
) -> Axes:
    """Several routes on one map, for comparison.

    Each route has its own colour (:data:`ROUTE_COLORS`) and line style; the
    first is drawn widest and underneath, so shared stretches show every route.
    Ends, transfer points and border crossings are marked as in
    :func:`plot_route`; the legend names the routes.

    Parameters
    ----------
    routes : Route or iterable of Route
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure of ``figsize`` inches (and ``dpi``).
    labels : sequence of str, optional
        One legend label per route; default ends, modes and days (:func:`default_label`).
    title : str, optional
        Default: the number of routes compared; ``""`` for none.
    hub_labels, legend, scale_bar, countries : bool
        Draw hub labels, the legend, the scale bar, the country outlines.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import corridor_planner as cp
    >>> net = cp.load_network()
    >>> train = net.plan("Beijing", "Baku", avoid_modes=["road"], as_of=2025)
    >>> sea = net.plan("Beijing", "Baku", via=[("Tianjin", "sea"), ("Poti", "sea")], avoid_countries=["KZ", "KG"], as_of=2025)
    >>> ax = cp.plot_routes([train, sea], labels=["rail-sea-rail", "by sea"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()][:2]
    ['rail-sea-rail', 'by sea']
    >>> cp.plot.close(ax)
    """
    _pyplot()  # or MissingDependencyError
    from matplotlib.lines import Line2D

    listed = _as_routes(routes)
    names = _labels_for(listed, labels)
    bounds = _route_bounds(listed)
    ax = _new_axes(ax, figsize, dpi)
    _fit_extent(ax, bounds, margin)
    _degree_axes(ax)
    n = len(listed)
    handles = []
    for i, (route, name) in enumerate(zip(listed, names)):
        color = ROUTE_COLORS[i % len(ROUTE_COLORS)]
        style = ROUTE_LINESTYLES[i % len(ROUTE_LINESTYLES)]
        width = 2.0 + 1.8 * (n - 1 - i)
        for line in _route_lines(route):
            ax.plot(
                *zip(*line),
                color=color,
                linestyle=style,
                linewidth=width,
                solid_capstyle="round",
                dash_capstyle="butt",
                zorder=3 + i * 0.01,
                gid=f"route-{i}",
            )
        handles.append(Line2D([], [], color=color, linestyle=style, linewidth=max(width, 2.5), label=_tex(name)))
    has_transfers, has_borders, hub_texts = _draw_stop_markers(ax, listed)
    _title(ax, title, f"{n} route{'s' if n > 1 else ''} compared")
    if legend:
        _legend(ax, handles + _marker_handles(transfers=has_transfers, borders=has_borders))
    _settle(ax)
    if countries:
        _draw_countries(ax)
    if scale_bar:
        _scale_bar(ax)
    if hub_labels:
        _place_labels(ax, hub_texts)
    return ax


def plot_network(
    network: Network,
    ax: Axes | None = None,
    *,
    as_of: int | None = None,
    figsize: tuple[float, float] = (12.0, 7.0),
    dpi: float | None = None,
    title: str | None = None,
    labels: bool = True,
    legend: bool = True,
    scale_bar: bool = True,
    countries: bool = True,
    margin: float = 0.04,
    linewidth: float = 1.6,
) -> Axes:
    """A static map of a whole network (also :meth:`Network.plot <corridor_planner.Network.plot>`).

    Every link is drawn coloured by mode; links not open in ``as_of`` (under
    construction, planned, closed) are dashed. Hubs are dots, labelled where
    labels do not overlap (sea waypoints are not labelled).

    Parameters
    ----------
    network : Network
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure of ``figsize`` inches (and ``dpi``).
    as_of : int, optional
        The year deciding which links are open; default the network's year (else the current one).
    title : str, optional
        Default: counts and the year; ``""`` for none.
    labels, legend, scale_bar, countries : bool
        Draw hub labels, the legend, the scale bar, the country outlines.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import corridor_planner as cp
    >>> ax = cp.load_network().plot(as_of=2025, labels=False)
    >>> sorted({c.get_gid() for c in ax.collections if (c.get_gid() or "").startswith("links")})[:2]
    ['links-air-open', 'links-pipeline-open']
    >>> cp.plot.close(ax)
    """
    _pyplot()  # or MissingDependencyError
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    year, lines, bounds, modes = _network_parts(network, as_of)
    links = network.dataset.links
    hubs = network.dataset.hubs
    ax = _new_axes(ax, figsize, dpi)
    _fit_extent(ax, bounds, margin)
    _degree_axes(ax)
    groups: dict[tuple[str, bool], list[Any]] = {}
    for link, line in zip(links, lines):
        groups.setdefault((link.mode.value, link.is_open(year)), []).append(line)
    for (mode, is_open), segments in sorted(groups.items(), key=lambda kv: (not kv[0][1], kv[0][0])):
        ax.add_collection(
            LineCollection(
                segments,
                colors=MODE_COLORS.get(mode, OTHER_COLOR),
                linewidths=linewidth,
                linestyles="solid" if is_open else (0, (4, 2.5)),
                capstyle="round",
                zorder=3 if is_open else 3.5,
                gid=f"links-{mode}-{'open' if is_open else 'not-open'}",
            ),
            autolim=False,
        )
    shown = [h for h in hubs if h.kind != "waypoint"]
    ax.scatter(
        [h.lon for h in shown],
        [h.lat for h in shown],
        s=14,
        facecolor="white",
        edgecolor=INK,
        linewidth=0.8,
        zorder=5,
        gid="hubs",
    )
    n_closed = sum(1 for k in links if not k.is_open(year))
    _title(
        ax,
        title,
        f"Network in {year}: {len(hubs)} hubs, {len(links)} links"
        + (f" ({n_closed} not yet open, dashed)" if n_closed else ""),
    )
    if legend:
        handles = _mode_handles(modes, 2.5)
        if n_closed:
            handles.append(
                Line2D([], [], color=INK, linestyle=(0, (4, 2.5)), linewidth=1.6, label=f"not open in {year}")
            )
        _legend(ax, handles + _marker_handles(), loc="lower right")
    _settle(ax)
    if countries:
        _draw_countries(ax)
    if scale_bar:
        _scale_bar(ax)
    if labels:
        ranked = sorted(shown, key=lambda h: (h.kind not in ("city", "port"), h.name))
        _place_labels(ax, [(h.lon, h.lat, h.name, False) for h in ranked], fontsize=7)
    return ax


# --------------------------------------------------------------------------- timelines


def timeline_segments(route: Route) -> list[dict[str, Any]]:
    """The route as a sequence of timed segments, from departure: moving per mode, and every stop.

    Each segment is a dict with ``start_h``, ``time_h``, ``component`` (one of
    :data:`corridor_planner.costs.COMPONENTS`), ``mode`` (for ``moving`` and
    ``rest``, else ``None``), ``hub`` (the stop's hub id, ``a|b`` for a
    border), ``name`` (readable: hub names, or the stretch travelled),
    ``distance_km`` (moving only), ``color`` and ``note`` (the stop's note, else ``""``). Consecutive moving legs of
    one mode merge into one segment; a leg's stops come before its moving, its
    driver rest after it. The segments tile ``[0, route.time_h]`` exactly.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> route = cp.load_network().plan("Beijing", "Baku", avoid_modes=["road"], as_of=2025)
    >>> [s["component"] for s in timeline_segments(route)][:4]
    ['moving', 'border', 'moving', 'gauge_change']
    >>> round(sum(s["time_h"] for s in timeline_segments(route)) - route.time_h, 6)
    0.0
    """
    names: dict[str, str] = {}
    for leg in route.legs:
        names.setdefault(leg.origin, leg.origin_name)
        names.setdefault(leg.destination, leg.destination_name)

    def hub_name(hub: str) -> str:
        return " / ".join(names.get(h, h) for h in hub.split("|"))

    segments: list[dict[str, Any]] = []
    clock = 0.0

    def add(component: str, hours: float, **info: Any) -> None:
        nonlocal clock
        if hours <= 1e-9:
            return
        last = segments[-1] if segments else None
        if last and last["component"] == component == "moving" and last["mode"] == info.get("mode"):
            last["time_h"] += hours
            last["distance_km"] += info.get("distance_km", 0.0)
            last["name"] = f"{last['name'].split(' → ')[0]} → {info['to']}"
        else:
            mode = info.get("mode")
            color = (
                MODE_COLORS.get(mode or "", OTHER_COLOR)
                if component == "moving"
                else COMPONENT_COLORS.get(component, OTHER_COLOR)
            )
            segments.append(
                {
                    "start_h": clock,
                    "time_h": hours,
                    "component": component,
                    "mode": mode,
                    "hub": info.get("hub"),
                    "name": info.get("name", ""),
                    "distance_km": info.get("distance_km", 0.0),
                    "color": color,
                    "note": info.get("note", ""),
                }
            )
        clock += hours

    for leg in route.legs:
        for stop in leg.stops_before:
            add(stop.component, stop.time_h, hub=stop.hub, name=hub_name(stop.hub), note=stop.note)
        add(
            "moving",
            leg.moving_h,
            mode=leg.mode,
            distance_km=leg.distance_km,
            to=leg.destination_name,
            name=f"{leg.origin_name} → {leg.destination_name}",
        )
        rest = leg.time_h - leg.moving_h - leg.dwell_h
        add("rest", rest, mode=leg.mode, name=f"{leg.origin_name} → {leg.destination_name}")
        for stop in leg.stops_after:
            add(stop.component, stop.time_h, hub=stop.hub, name=hub_name(stop.hub), note=stop.note)
    return segments


def _ink_on(color: str) -> str:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else INK


def timeline(
    routes: Route | Iterable[Route],
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    *,
    figsize: tuple[float, float] | None = None,
    dpi: float | None = None,
    title: str | None = None,
    annotate: bool | None = None,
    legend: bool = True,
) -> Axes:
    """A Gantt-style chart of transit time on a day axis, one row per route.

    Moving segments take the colour of their mode (:data:`MODE_COLORS`),
    stops the colour of their component (:data:`COMPONENT_COLORS`: border,
    gauge change, transfer, transshipment, waiting, port dwell...). Wide
    segments carry their name; each row is labelled above its bar and ends
    with its total days. The segments are those of :func:`timeline_segments`.

    Parameters
    ----------
    routes : Route or iterable of Route
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure (``figsize`` grows with the number of routes).
    labels : sequence of str, optional
        One row label per route; default ends, modes and days (:func:`default_label`).
    title : str, optional
        Default: "Transit time"; ``""`` for none.
    annotate : bool, optional
        Name the hubs of the stops under the bar (with the days stopped there);
        default only for a single route.
    legend : bool
        Draw the legend (modes and components present) under the chart.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import corridor_planner as cp
    >>> net = cp.load_network()
    >>> train = net.plan("Beijing", "Baku", avoid_modes=["road"], as_of=2025)
    >>> sea = net.plan("Beijing", "Baku", via=[("Tianjin", "sea"), ("Poti", "sea")], avoid_countries=["KZ", "KG"], as_of=2025)
    >>> ax = cp.timeline([train, sea], labels=["rail-sea-rail", "by sea"])
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "row-label"]
    ['rail-sea-rail', 'by sea']
    >>> cp.plot.close(ax)
    """
    _pyplot()  # or MissingDependencyError
    from matplotlib.patches import Patch

    listed = _as_routes(routes)
    names = _labels_for(listed, labels)
    n = len(listed)
    if annotate is None:
        annotate = n == 1
    below = 0.55 if annotate else 0.0  # room under each bar for hub names, in row units
    if figsize is None:
        figsize = (11.0, 1.3 + (0.95 + below) * n + (0.55 if legend else 0.0))
    ax = _new_axes(ax, figsize, dpi)
    span_days = max(r.transit_days for r in listed) or 1.0
    used_modes: list[str] = []
    used_components: list[str] = []
    bar_h = 0.5
    pitch = 1.0 + below
    for row, route in enumerate(listed):
        y = row * pitch
        segments = timeline_segments(route)
        for seg in segments:
            start, width = seg["start_h"] / 24.0, seg["time_h"] / 24.0
            ax.broken_barh(
                [(start, width)],
                (y - bar_h / 2, bar_h),
                facecolors=seg["color"],
                edgecolor="white",
                linewidth=0.6,
                zorder=3,
                gid=f"segment-{seg['component']}",
            )
            if seg["component"] == "moving":
                if seg["mode"] not in used_modes:
                    used_modes.append(seg["mode"])
            elif seg["component"] not in used_components:
                used_components.append(seg["component"])
            if width >= 0.07 * span_days:
                text = seg["mode"] if seg["component"] == "moving" else seg["component"].replace("_", " ")
                if seg["component"] == "moving" and width >= 0.16 * span_days:
                    text = f"{text} {seg['distance_km']:,.0f} km"
                ax.text(
                    start + width / 2,
                    y,
                    _tex(text),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color=_ink_on(seg["color"]),
                    zorder=4,
                    clip_on=True,
                )
        ax.text(
            0, y - bar_h / 2 - 0.06, _tex(names[row]), ha="left", va="bottom", fontsize=9, color=INK, gid="row-label"
        )
        ax.text(
            route.transit_days + span_days * 0.01,
            y,
            f"{route.transit_days:.1f} d",
            ha="left",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            color=INK,
            zorder=4,
        )
        if annotate:
            _annotate_stops(ax, segments, y + bar_h / 2 + 0.06, span_days)
    ax.set_yticks([])
    ax.set_ylim((n - 1) * pitch + bar_h / 2 + below + 0.15, -bar_h / 2 - 0.45)
    ax.set_xlim(0, span_days * 1.08)
    ax.set_xlabel("days from departure", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(True, axis="x", color="#DDDDDD", linewidth=0.7, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    _title(ax, title, "Transit time")
    if legend and (used_modes or used_components):  # a route without legs has nothing to explain
        ordered = [c for c in COMPONENTS if c in used_components]
        handles = [Patch(facecolor=MODE_COLORS.get(m, OTHER_COLOR), label=f"{_tex(m)} (moving)") for m in used_modes]
        handles += [Patch(facecolor=COMPONENT_COLORS.get(c, OTHER_COLOR), label=c.replace("_", " ")) for c in ordered]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.5 / figsize[1] - 0.12),
            fontsize=8,
            ncol=math.ceil(len(handles) / math.ceil(len(handles) / 8)),
            frameon=False,
        )
    return ax


def _annotate_stops(ax: Axes, segments: Sequence[Mapping[str, Any]], y: float, span_days: float) -> None:
    """Name the hubs where a route stops, under its bar: consecutive stops at one hub share one name."""
    groups: list[list[Any]] = []  # [start_d, end_d, name]
    for seg in segments:
        if seg["component"] in ("moving", "rest"):
            continue
        start, end = seg["start_h"] / 24.0, (seg["start_h"] + seg["time_h"]) / 24.0
        if groups and groups[-1][2] == seg["name"] and abs(groups[-1][1] - start) < 1e-9:
            groups[-1][1] = end
        else:
            groups.append([start, end, seg["name"]])
    last_x = -math.inf
    level = 0
    for start, end, name in groups:
        if end - start < 0.01 * span_days:
            continue
        x = (start + end) / 2
        level = level + 1 if x - last_x < 0.16 * span_days and level < 2 else 0
        last_x = x
        ax.annotate(
            _tex(f"{_short(name)}\n{end - start:.1f} d"),
            (x, y),
            xytext=(0, -1 - 19 * level),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=7,
            color=INK,
            zorder=4,
            gid="stop-label",
            arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6} if level else None,
        )


# --------------------------------------------------------------------------- web maps (folium)


def _esc(value: Any) -> str:
    """Text from data made safe for folium's HTML popups and tooltips.

    HTML-escaped, and with the characters that a JavaScript template literal
    interprets (`````, ``$``, ``\\``) replaced by character references, since
    folium embeds popup and tooltip HTML in template literals.

    Examples
    --------
    >>> _esc("<script>alert(1)</script> `${x}`")
    '&lt;script&gt;alert(1)&lt;/script&gt; &#96;&#36;{x}&#96;'
    """
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def _table(title: str, rows: Sequence[tuple[str, Any]]) -> str:
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:8px">{_esc(k)}</th><td>{_esc(v)}</td></tr>' for k, v in rows
    )
    return f'<div style="font-family:sans-serif;font-size:12px"><b>{_esc(title)}</b><table>{cells}</table></div>'


def _legend_html(modes: Sequence[str], extra: Sequence[tuple[str, str]] = ()) -> str:
    items = "".join(
        f'<div><span style="display:inline-block;width:22px;height:4px;margin:0 6px 3px 0;'
        f'background:{_esc(MODE_COLORS.get(m, OTHER_COLOR))}"></span>{_esc(m)}</div>'
        for m in modes
    )
    items += "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 6px 0 6px;'
        f'background:{_esc(color)}"></span>{_esc(label)}</div>'
        for label, color in extra
    )
    return (
        '<div style="position:fixed;bottom:28px;left:12px;z-index:9999;background:rgba(255,255,255,0.92);'
        f'padding:6px 10px;border-radius:4px;font:12px sans-serif;box-shadow:0 0 4px #999">{items}</div>'
    )


def _new_map(lib: ModuleType, bounds: tuple[float, float, float, float], kw: dict[str, Any]) -> folium.Map:
    minx, miny, maxx, maxy = bounds
    kw.setdefault("tiles", "OpenStreetMap")
    kw.setdefault("control_scale", True)
    kw.setdefault("location", [(miny + maxy) / 2, (minx + maxx) / 2])
    kw.setdefault("zoom_start", 4)
    fmap: folium.Map = lib.Map(**kw)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def _latlon(line: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(lat, lon) for lon, lat in line]


def explore_route(route: Route, network: Network | None = None, **kw: Any) -> folium.Map:
    """An interactive web map of a route (also :meth:`Route.explore <corridor_planner.Route.explore>`).

    Legs are polylines coloured by mode, with a tooltip and a popup each
    (from, to, mode, km, hours, of which stopped, corridors, link id); hubs
    are circle markers with a popup (name, country, kind, the stops made
    there). Every string that comes from data is HTML-escaped.

    Parameters
    ----------
    route : Route
    network : Network, optional
        The network the route was planned on; it supplies the hubs' kinds and
        exact countries (without it the kind is not shown).
    **kw
        Passed to :class:`folium.Map` (``tiles`` defaults to ``"OpenStreetMap"``,
        ``control_scale`` to True).

    Returns
    -------
    folium.Map
        Save it with ``.save("map.html")``; in a notebook it displays itself.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> net = cp.load_network()
    >>> fmap = net.plan("Beijing", "Baku", avoid_modes=["road"], as_of=2025).explore(network=net)
    >>> "Alashankou" in fmap.get_root().render()
    True
    >>> fmap.save("beijing_baku.html")   # doctest: +SKIP
    """
    folium = _require("folium", "web maps")
    fmap = _new_map(folium, _route_bounds([route]), dict(kw))
    for i, (leg, line) in enumerate(zip(route.legs, _route_lines(route)), start=1):
        rows = [
            ("mode", leg.mode),
            ("km", f"{leg.distance_km:,.0f}"),
            ("hours", f"{leg.time_h:,.1f}"),
            ("of which stopped", f"{leg.dwell_h:,.1f} h"),
            ("corridor", ", ".join(leg.corridors) or "—"),
            ("link", leg.link_id),
        ]
        title = f"{i}. {leg.origin_name} → {leg.destination_name}"
        folium.PolyLine(
            _latlon(line),
            color=MODE_COLORS.get(leg.mode, OTHER_COLOR),
            weight=5,
            opacity=0.9,
            popup=folium.Popup(_table(title, rows), max_width=360),
            tooltip=folium.Tooltip(_esc(f"{title} ({leg.mode}, {leg.distance_km:,.0f} km, {leg.time_h:,.1f} h)")),
        ).add_to(fmap)
    points = _hub_points(route)
    transfers, borders = _route_stops(route)
    stops_at: dict[str, list[str]] = {}
    countries: dict[str, str] = {}
    for leg in route.legs:
        countries.setdefault(leg.origin, leg.countries[0] if leg.countries else "")
        for stop in leg.stops:
            stops_at.setdefault(stop.hub, []).append(f"{stop.component.replace('_', ' ')} {stop.time_h:,.1f} h")
    if route.legs:
        last = route.legs[-1]
        countries.setdefault(last.destination, last.countries[-1] if last.countries else "")
    for hub_id, (lon, lat, name) in points.items():
        hub = None
        if network is not None:
            try:
                hub = network.hub(hub_id)
            except LookupError:
                hub = None
        rows = [("country", hub.country if hub else countries.get(hub_id, ""))]
        if hub is not None:
            rows.append(("kind", hub.kind))
        rows.append(("id", hub_id))
        rows += [("stop", s) for s in stops_at.get(hub_id, [])]
        end = hub_id in (route.hubs[0], route.hubs[-1])
        color = TRANSFER_MARKER["color"] if hub_id in transfers else "white"
        folium.CircleMarker(
            (lat, lon),
            radius=7 if end else 5,
            color=INK,
            weight=1.5,
            fill=True,
            fill_color=color,
            fill_opacity=1.0,
            popup=folium.Popup(_table(name, rows), max_width=360),
            tooltip=folium.Tooltip(_esc(name)),
        ).add_to(fmap)
    for lon, lat, note in borders:
        folium.CircleMarker(
            (lat, lon),
            radius=6,
            color="white",
            weight=1.5,
            fill=True,
            fill_color=BORDER_MARKER["color"],
            fill_opacity=1.0,
            popup=folium.Popup(_table("Border crossing", [("crossing", note)]), max_width=360),
            tooltip=folium.Tooltip(_esc(f"border: {note}")),
        ).add_to(fmap)
    extra = [("hub", "white"), ("transfer point", TRANSFER_MARKER["color"])] if transfers else [("hub", "white")]
    if borders:
        extra.append(("border crossing", BORDER_MARKER["color"]))
    cast(Any, fmap.get_root()).html.add_child(folium.Element(_legend_html(route.modes, extra)))
    return fmap


def explore_network(network: Network, *, as_of: int | None = None, **kw: Any) -> folium.Map:
    """An interactive web map of a whole network (also :meth:`Network.explore <corridor_planner.Network.explore>`).

    Links are polylines coloured by mode, one layer per mode (switchable),
    dashed when not open in ``as_of``, with a tooltip and a popup (from, to,
    mode, km, hours at the link's speed, status, corridors, countries); hubs
    are circle markers with a popup (name, country, kind). Every string that
    comes from data is HTML-escaped.

    Parameters
    ----------
    network : Network
    as_of : int, optional
        The year deciding which links are open; default the network's year (else the current one).
    **kw
        Passed to :class:`folium.Map`.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import corridor_planner as cp
    >>> fmap = cp.load_network().explore(as_of=2025)
    >>> "Dostyk" in fmap.get_root().render()
    True
    """
    folium = _require("folium", "web maps")
    year, lines, bounds, modes = _network_parts(network, as_of)
    links = network.dataset.links
    hubs = {h.id: h for h in network.dataset.hubs}
    fmap = _new_map(folium, bounds, dict(kw))
    layers = {m: folium.FeatureGroup(name=_esc(m)).add_to(fmap) for m in modes}
    costs = network._costs
    for link, line in zip(links, lines):
        mode = link.mode.value
        a, b = hubs.get(link.from_hub), hubs.get(link.to_hub)
        a_name, b_name = (a.name if a else link.from_hub), (b.name if b else link.to_hub)
        is_open = link.is_open(year)
        status = link.status.value + (f", opens {link.opens}" if link.opens else "")
        hours = f"{sum(p.time_h.typ for p in costs.link_parts(link)):,.1f}"
        rows = [
            ("mode", mode),
            ("km", f"{link.distance_km:,.0f}"),
            ("hours (no stops)", hours),
            ("status", status),
            ("corridor", ", ".join(link.corridors) or "—"),
            ("countries", ", ".join(link.countries)),
            ("link", link.id),
        ]
        title = f"{a_name} → {b_name}" if not link.two_way else f"{a_name} – {b_name}"
        folium.PolyLine(
            _latlon(line),
            color=MODE_COLORS.get(mode, OTHER_COLOR),
            weight=4 if is_open else 3,
            opacity=0.85,
            dash_array=None if is_open else "8 6",
            popup=folium.Popup(_table(title, rows), max_width=360),
            tooltip=folium.Tooltip(
                _esc(f"{title} ({mode}, {link.distance_km:,.0f} km{'' if is_open else ', not open in ' + str(year)})")
            ),
        ).add_to(layers[mode])
    hub_layer = folium.FeatureGroup(name="hubs").add_to(fmap)
    for hub in hubs.values():
        rows = [("country", hub.country), ("kind", hub.kind), ("id", hub.id)]
        if hub.aliases:
            rows.append(("also", ", ".join(hub.aliases)))
        folium.CircleMarker(
            (hub.lat, hub.lon),
            radius=4 if hub.kind == "waypoint" else 5,
            color=INK,
            weight=1.2,
            fill=True,
            fill_color="white",
            fill_opacity=1.0,
            popup=folium.Popup(_table(hub.name, rows), max_width=360),
            tooltip=folium.Tooltip(_esc(hub.name)),
        ).add_to(hub_layer)
    folium.LayerControl(collapsed=True).add_to(fmap)
    cast(Any, fmap.get_root()).html.add_child(folium.Element(_legend_html(modes, [("hub", "white")])))
    return fmap
