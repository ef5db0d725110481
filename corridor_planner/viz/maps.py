"""Static maps of routes and networks (matplotlib)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError
from ..routing.route import Route
from .basemap import (
    bounds_of,
    close_map,
    marker_handles,
    mode_handles,
    open_map,
    unwrapped_coords,
)
from .projection import MapProjection
from .style import (
    BORDER_MARKER,
    INK,
    MODE_COLORS,
    OTHER_COLOR,
    ROUTE_LINESTYLES,
    TRANSFER_COMPONENTS,
    TRANSFER_MARKER,
    load_pyplot,
    tex_escape,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..network import Network


def route_lines(route: Route) -> list[list[tuple[float, float]]]:
    """The points of each leg, unwrapped along the whole route (see :func:`unwrapped_coords`)."""
    lines: list[list[tuple[float, float]]] = []
    for leg in route.legs:
        lines.append(unwrapped_coords(leg.geometry, lines[-1][-1][0] if lines else None))
    return lines


def route_hub_points(route: Route) -> dict[str, tuple[float, float, str]]:
    """Hub id -> (lon, lat, name) for every hub of the route, from the legs' geometry."""
    points: dict[str, tuple[float, float, str]] = {}
    for leg, line in zip(route.legs, route_lines(route), strict=True):
        points.setdefault(leg.origin, (*line[0], leg.origin_name))
        points.setdefault(leg.destination, (*line[-1], leg.destination_name))
    return points


BORDER_SNAP_KM = 40.0
"""A border crossing is drawn at a border station named by its rule if one is this close to where the line
leaves the country; otherwise at that point."""


def _exit_point(line: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Where an (unwrapped) line first leaves the Natural Earth country its start lies in (or is nearest to)."""
    from shapely.geometry import LineString, Point

    from .basemap import country_shapes

    shift = 360.0 * round(line[0][0] / 360.0)
    local = LineString([(x - shift, y) for x, y in line])
    start = Point(local.coords[0])
    best = None
    for shape in country_shapes():
        d = shape.distance(start)
        if d < 0.5 and (best is None or d < best[0]):
            best = (d, shape)
    if best is None:
        return None
    crossing = local.intersection(best[1].boundary)
    pts = [g for g in getattr(crossing, "geoms", [crossing]) if not g.is_empty]
    candidates = sorted(
        (p for g in pts for p in ([g] if g.geom_type == "Point" else [Point(c) for c in g.coords])), key=local.project
    )
    others = [s for s in country_shapes() if s is not best[1]]
    # the first exit into another country (not onto the sea, as a coastal start would)
    first = next((p for p in candidates if any(o.distance(p) < 0.1 for o in others)), None)
    if first is None:
        return None
    return float(first.x) + shift, float(first.y)


def border_point(
    stop_hubs: str, line: list[tuple[float, float]], points: dict[str, tuple[float, float, str]]
) -> tuple[float, float]:
    """Where to mark a border crossing of a leg drawn as ``line``: at the border station of the crossing.

    ``stop_hubs`` names the rule's hubs (``"a|b"``). The crossing is located
    where the leg leaves its first country (Natural Earth outlines); a named
    hub of the route within :data:`BORDER_SNAP_KM` of it is the border
    station drawn; with none that near, the crossing point itself; if the
    line never leaves the outline (a coarse coast), the first named hub of the
    route, else the leg's start.
    """
    from ..model.geo import wgs84

    named = [points[h] for h in stop_hubs.split("|") if h in points]
    exit_at = _exit_point(line)
    if exit_at is None:
        return (named[0][0], named[0][1]) if named else line[0]
    geod = wgs84()
    near = sorted((float(geod.inv(exit_at[0], exit_at[1], p[0], p[1])[2]) / 1000.0, p) for p in named)
    if near and near[0][0] <= BORDER_SNAP_KM:
        return near[0][1][0], near[0][1][1]
    return exit_at


def route_stops(route: Route) -> tuple[list[str], list[tuple[float, float, str]]]:
    """The route's transfer hubs (ids, in order) and border crossings (lon, lat, name) at their border stations."""
    transfers: list[str] = []
    borders: list[tuple[float, float, str]] = []
    points = route_hub_points(route)
    for leg, line in zip(route.legs, route_lines(route), strict=True):
        for stop in leg.stops:
            if stop.component in TRANSFER_COMPONENTS and stop.hub in points and stop.hub not in transfers:
                transfers.append(stop.hub)
            elif stop.component == "border":
                borders.append((*border_point(stop.hub, line, points), stop.note or stop.hub))
    return transfers, borders


def route_points(routes: Iterable[Route]) -> list[tuple[float, float]]:
    """Every point of the routes' legs (unwrapped), for fitting a map; InvalidQueryError if there are none."""
    points = [p for route in routes for line in route_lines(route) for p in line]
    if not points:
        raise InvalidQueryError("nothing to draw: the route has no legs")
    return points


def route_bounds(routes: Iterable[Route]) -> tuple[float, float, float, float]:
    return bounds_of([p for route in routes for line in route_lines(route) for p in line], "the route has no legs")


def _ordered_modes(modes: Iterable[str]) -> list[str]:
    """The distinct modes, in the order of :data:`MODE_COLORS` (any other after them, sorted)."""
    present = set(modes)
    return [m for m in MODE_COLORS if m in present] + sorted(present - set(MODE_COLORS))


def network_parts(
    network: Network, as_of: int | None
) -> tuple[int, list[list[tuple[float, float]]], tuple[float, float, float, float], list[str]]:
    """What both network maps need: the year, each link's points (unwrapped), the bounds and the modes."""
    year = network.as_of if as_of is None else as_of
    lines = [unwrapped_coords(link.geometry) for link in network.dataset.links]
    points = [p for line in lines for p in line] + [(h.lon, h.lat) for h in network.dataset.hubs]
    modes = _ordered_modes(link.mode.value for link in network.dataset.links)
    return year, lines, bounds_of(points, "the network is empty"), modes


def _route_name(route: Route) -> str:
    if not route.legs:
        return f"{route.origin} → {route.destination}"
    return f"{route.legs[0].origin_name} → {route.legs[-1].destination_name}"


def default_label(route: Route) -> str:
    """How a route is labelled when no label is given: ends, modes and days.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> default_label(cp.load_network().plan("Beijing", "Baku", within=["CN", "KZ", "AZ"], as_of=2025))
    'Beijing (Fangshan) → Baku by rail+sea, 15.7 days'
    """
    return f"{_route_name(route)} by {'+'.join(route.modes)}, {route.transit_days:.1f} days"


def labels_for(routes: Sequence[Route], labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        return [default_label(r) for r in routes]
    labels = [str(label) for label in labels]
    if len(labels) != len(routes):
        raise InvalidQueryError(f"labels: {len(labels)} label(s) given for {len(routes)} route(s)")
    return labels


def as_routes(routes: Route | Iterable[Route]) -> list[Route]:
    from ..routing.route import Route

    listed = [routes] if isinstance(routes, Route) else list(routes)
    if not listed:
        raise InvalidQueryError("routes: give at least one route")
    for r in listed:
        if not isinstance(r, Route):
            raise InvalidQueryError(f"routes: expected Route objects, got {type(r).__name__}")
    return listed


def _xy(proj: MapProjection, points: Sequence[Sequence[Any]]) -> tuple[list[float], list[float]]:
    xs, ys = proj.forward([p[0] for p in points], [p[1] for p in points])
    return [float(v) for v in xs], [float(v) for v in ys]


class _Marks:
    """What the stop markers leave for the frame: which kinds were drawn, labels to place, every marker's position."""

    def __init__(self) -> None:
        self.transfers = False
        self.borders = False
        self.labels: list[tuple[float, float, str, bool]] = []
        self.markers: list[tuple[float, float]] = []


def _draw_stop_markers(ax: Axes, proj: MapProjection, routes: Sequence[Route]) -> _Marks:
    """Hub, transfer and border markers of the routes (projected), and the hub labels to place (ends first)."""
    hub_xy: dict[str, tuple[float, float, str]] = {}
    transfer_ids: list[str] = []
    border_xy: list[tuple[float, float, str]] = []
    end_ids: list[str] = []
    for route in routes:
        points = route_hub_points(route)
        hub_xy.update(points)
        transfers, borders = route_stops(route)
        transfer_ids += [h for h in transfers if h not in transfer_ids]
        border_xy.extend(borders)
        end_ids += [h for h in (route.hubs[0], route.hubs[-1]) if h in points and h not in end_ids]
    marks = _Marks()
    projected = dict(zip(hub_xy, zip(*_xy(proj, list(hub_xy.values())), strict=True), strict=True)) if hub_xy else {}
    plain = [projected[h] for h in hub_xy if h not in transfer_ids]
    style: dict[str, Any] = {"edgecolor": INK, "linewidth": 0.9}
    if plain:
        ax.scatter([p[0] for p in plain], [p[1] for p in plain], s=22, facecolor="white", zorder=5, gid="hubs", **style)
    if transfer_ids:
        ax.scatter(
            [projected[h][0] for h in transfer_ids],
            [projected[h][1] for h in transfer_ids],
            s=46,
            marker=TRANSFER_MARKER["marker"],
            facecolor=TRANSFER_MARKER["color"],
            zorder=6,
            gid="transfer-points",
            **style,
        )
    if border_xy:
        bx, by = _xy(proj, border_xy)
        ax.scatter(
            bx,
            by,
            s=64,
            marker=BORDER_MARKER["marker"],
            facecolor=BORDER_MARKER["color"],
            edgecolor="white",
            linewidth=0.8,
            zorder=7,
            gid="border-points",
        )
        marks.markers += list(zip(bx, by, strict=True))
    marks.transfers, marks.borders = bool(transfer_ids), bool(border_xy)
    marks.markers += list(projected.values())
    order = end_ids + [h for h in transfer_ids if h not in end_ids]
    order += [h for h in hub_xy if h not in order]
    marks.labels = [(*projected[h], hub_xy[h][2], h in end_ids) for h in order]
    return marks


def _leg_xy(proj: MapProjection, line: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    return _xy(proj, line)


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
    projection: str = "auto",
    credit: str | None = None,
) -> Axes:
    """A static map of one route (also :meth:`Route.plot <corridor_planner.Route.plot>`).

    Legs are coloured by mode (:data:`MODE_COLORS`); hubs are white dots,
    transfer points (a stop of component ``transfer``, ``gauge_change`` or
    ``transshipment``) yellow diamonds, border crossings indigo crosses at the
    border station (see :func:`border_point`); hubs are labelled beside their
    markers, with a leader line when a label has to stand off, never over
    another label or marker (origin, destination and transfer points first).
    The map is drawn in an equal-area projection centred on the route
    (:func:`corridor_planner.viz.projection.choose_projection`), with a scale
    bar true at the map's centre (left out, with a note, when the scale
    varies by more than 10 % across the map), a legend, a title and a source
    line.

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
    projection : str
        ``"auto"`` (Albers equal-area conic for a regional map, Equal Earth
        for a tall one), ``"albers"``, ``"equalearth"`` or ``"lonlat"``
        (plain degrees, with degree ticks).
    credit : str, optional
        The source line under the map; default :data:`corridor_planner.viz.basemap.CREDIT`; ``""`` for none.

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
    >>> cp.viz.close(ax)
    """
    load_pyplot()  # or MissingDependencyError
    frame = open_map(ax, route_points([route]), margin, figsize, dpi, projection)
    ax, proj = frame.ax, frame.proj
    for leg, line in zip(route.legs, route_lines(route), strict=True):
        ax.plot(
            *_leg_xy(proj, line),
            color=MODE_COLORS.get(leg.mode, OTHER_COLOR),
            linewidth=linewidth,
            solid_capstyle="round",
            solid_joinstyle="round",
            zorder=3,
            gid=f"leg-{leg.mode}",
        )
    marks = _draw_stop_markers(ax, proj, [route])
    return close_map(
        frame,
        title,
        f"{_route_name(route)}: {route.transit_days:.1f} days, {route.distance_km:,.0f} km by {'+'.join(route.modes)}",
        handles=mode_handles(route.modes, linewidth) + marker_handles(transfers=marks.transfers, borders=marks.borders)
        if legend
        else None,
        countries=countries,
        scale_bar=scale_bar,
        credit=credit,
        labels=marks.labels if labels else (),
        markers=marks.markers,
    )


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
    projection: str = "auto",
    credit: str | None = None,
) -> Axes:
    """Several routes on one map, for comparison.

    Legs keep their mode's colour (:data:`MODE_COLORS`, as on every map);
    each route has its own line style (:data:`ROUTE_LINESTYLES`: solid,
    dashed, dash-dot, dotted) and width, the first widest and underneath, so
    shared stretches show every route. A legend of the routes (by line style)
    stands apart from the legend of modes and markers. Ends, transfer points
    and border crossings are marked and hubs labelled as in
    :func:`plot_route`; projection, scale bar and source line as there.

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
        Draw hub labels, the legends, the scale bar, the country outlines.
    projection, credit : str
        As for :func:`plot_route`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import corridor_planner as cp
    >>> net = cp.load_network()
    >>> train = net.plan("Beijing", "Baku", within=["CN", "KZ", "AZ"], as_of=2025)
    >>> sea = net.plan("Beijing", "Baku", via=[("Tianjin", "sea"), ("Poti", "sea")], avoid_countries=["KZ", "KG", "RU", "MN", "PK"], as_of=2025)
    >>> ax = cp.plot_routes([train, sea], labels=["rail-sea-rail", "by sea"])
    >>> [t.get_text() for t in route_legend(ax).get_texts()]
    ['rail-sea-rail', 'by sea']
    >>> cp.viz.close(ax)
    """
    load_pyplot()  # or MissingDependencyError
    from matplotlib.lines import Line2D

    listed = as_routes(routes)
    names = labels_for(listed, labels)
    frame = open_map(ax, route_points(listed), margin, figsize, dpi, projection)
    ax, proj = frame.ax, frame.proj
    n = len(listed)
    route_handles = []
    for i, (route, name) in enumerate(zip(listed, names, strict=True)):
        style = ROUTE_LINESTYLES[i % len(ROUTE_LINESTYLES)]
        width = 2.0 + 1.4 * (n - 1 - i)
        for leg, line in zip(route.legs, route_lines(route), strict=True):
            ax.plot(
                *_leg_xy(proj, line),
                color=MODE_COLORS.get(leg.mode, OTHER_COLOR),
                linestyle=style,
                linewidth=width,
                solid_capstyle="round",
                dash_capstyle="butt",
                zorder=3 + i * 0.01,
                gid=f"route-{i}",
            )
        route_handles.append(Line2D([], [], color=INK, linestyle=style, linewidth=2.0, label=tex_escape(name)))
    modes = _ordered_modes(m for route in listed for m in route.modes)
    marks = _draw_stop_markers(ax, proj, listed)
    if legend:
        routes_legend = ax.legend(
            handles=route_handles, loc="upper left", fontsize=8, framealpha=0.92, title="routes", title_fontsize=8
        )
        routes_legend.set_zorder(9)
        routes_legend.set_gid("routes-legend")
        ax.add_artist(routes_legend)
    return close_map(
        frame,
        title,
        f"{n} route{'s' if n > 1 else ''} compared",
        handles=mode_handles(modes) + marker_handles(transfers=marks.transfers, borders=marks.borders)
        if legend
        else None,
        legend_loc="lower right",
        countries=countries,
        scale_bar=scale_bar,
        credit=credit,
        labels=marks.labels if hub_labels else (),
        markers=marks.markers,
    )


def route_legend(ax: Axes) -> Any:
    """The legend of the routes on a map drawn by :func:`plot_routes` (the other legend shows modes and markers)."""
    from matplotlib.legend import Legend

    return next(a for a in ax.get_children() if isinstance(a, Legend) and a.get_gid() == "routes-legend")


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
    projection: str = "auto",
    credit: str | None = None,
) -> Axes:
    """A static map of a whole network (also :meth:`Network.plot <corridor_planner.Network.plot>`).

    Every link is drawn coloured by mode; links not open in ``as_of`` (under
    construction, planned, closed) are dashed. Hubs are dots, labelled beside
    them where labels fit (cities and ports first, with a leader line when a
    label stands off; sea waypoints are not labelled). Projection, scale bar
    and source line as in :func:`plot_route`.

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
    projection, credit : str
        As for :func:`plot_route`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import corridor_planner as cp
    >>> ax = cp.load_network().plot(as_of=2025, labels=False)
    >>> sorted({c.get_gid() for c in ax.collections if (c.get_gid() or "").startswith("links")})[:2]
    ['links-air-open', 'links-pipeline-open']
    >>> cp.viz.close(ax)
    """
    load_pyplot()  # or MissingDependencyError
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    year, lines, _, modes = network_parts(network, as_of)
    links = network.dataset.links
    hubs = network.dataset.hubs
    points = [p for line in lines for p in line] + [(h.lon, h.lat) for h in hubs]
    frame = open_map(ax, points, margin, figsize, dpi, projection)
    ax, proj = frame.ax, frame.proj
    groups: dict[tuple[str, bool], list[Any]] = {}
    for link, line in zip(links, lines, strict=True):
        groups.setdefault((link.mode.value, link.is_open(year)), []).append(np.column_stack(_leg_xy(proj, line)))
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
    hx, hy = _xy(proj, [(h.lon, h.lat) for h in shown]) if shown else ([], [])
    ax.scatter(hx, hy, s=14, facecolor="white", edgecolor=INK, linewidth=0.8, zorder=5, gid="hubs")
    n_closed = sum(1 for k in links if not k.is_open(year))
    handles = mode_handles(modes, 2.5)
    if n_closed:
        handles.append(Line2D([], [], color=INK, linestyle=(0, (4, 2.5)), linewidth=1.6, label=f"not open in {year}"))
    xy = {h.id: (x, y) for h, x, y in zip(shown, hx, hy, strict=True)}
    ranked = sorted(shown, key=lambda h: (h.kind not in ("city", "port"), h.name))
    return close_map(
        frame,
        title,
        f"Network in {year}: {len(hubs)} hubs, {len(links)} links"
        + (f" ({n_closed} not open in {year}: planned or closed, dashed)" if n_closed else ""),
        handles=handles + marker_handles() if legend else None,
        legend_loc="lower right",
        countries=countries,
        scale_bar=scale_bar,
        credit=credit,
        labels=[(*xy[h.id], h.name, False) for h in ranked] if labels else (),
        markers=list(xy.values()),
        fontsize=7,
    )
