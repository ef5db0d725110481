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
from .style import (
    BORDER_MARKER,
    INK,
    MODE_COLORS,
    OTHER_COLOR,
    ROUTE_COLORS,
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


def route_stops(route: Route) -> tuple[list[str], list[tuple[float, float, str]]]:
    """The route's transfer hubs (ids, in order) and border crossings (lon, lat, name)."""
    transfers: list[str] = []
    borders: list[tuple[float, float, str]] = []
    from shapely.geometry import LineString

    points = route_hub_points(route)
    for leg, line in zip(route.legs, route_lines(route), strict=True):
        for stop in leg.stops:
            if stop.component in TRANSFER_COMPONENTS and stop.hub in points and stop.hub not in transfers:
                transfers.append(stop.hub)
            elif stop.component == "border":  # marked at the middle of the leg that crosses
                mid = LineString(line).interpolate(0.5, normalized=True)
                borders.append((float(mid.x), float(mid.y), stop.note or stop.hub))
    return transfers, borders


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
    >>> default_label(cp.load_network().plan("Beijing", "Baku", avoid_modes=["road"], as_of=2025))
    'Beijing (Fangshan) → Baku by rail+sea, 14.9 days'
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


def _draw_stop_markers(ax: Axes, routes: Sequence[Route]) -> tuple[bool, bool, list[tuple[float, float, str, bool]]]:
    """Hub, transfer and border markers of the routes; returns whether each kind was drawn and the labels to place."""
    hub_xy: dict[str, tuple[float, float, str]] = {}
    transfer_xy: dict[str, tuple[float, float, str]] = {}
    border_xy: list[tuple[float, float, str]] = []
    ends: list[tuple[float, float, str, bool]] = []
    for route in routes:
        points = route_hub_points(route)
        hub_xy.update(points)
        transfers, borders = route_stops(route)
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
    >>> cp.viz.close(ax)
    """
    load_pyplot()  # or MissingDependencyError
    ax = open_map(ax, route_bounds([route]), margin, figsize, dpi)
    for leg, line in zip(route.legs, route_lines(route), strict=True):
        ax.plot(
            *zip(*line, strict=True),
            color=MODE_COLORS.get(leg.mode, OTHER_COLOR),
            linewidth=linewidth,
            solid_capstyle="round",
            solid_joinstyle="round",
            zorder=3,
            gid=f"leg-{leg.mode}",
        )
    has_transfers, has_borders, hub_labels = _draw_stop_markers(ax, [route])
    return close_map(
        ax,
        title,
        f"{_route_name(route)}: {route.transit_days:.1f} days, {route.distance_km:,.0f} km by {'+'.join(route.modes)}",
        handles=mode_handles(route.modes, linewidth) + marker_handles(transfers=has_transfers, borders=has_borders)
        if legend
        else None,
        countries=countries,
        scale_bar=scale_bar,
        labels=hub_labels if labels else (),
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
    >>> cp.viz.close(ax)
    """
    load_pyplot()  # or MissingDependencyError
    from matplotlib.lines import Line2D

    listed = as_routes(routes)
    names = labels_for(listed, labels)
    ax = open_map(ax, route_bounds(listed), margin, figsize, dpi)
    n = len(listed)
    handles = []
    for i, (route, name) in enumerate(zip(listed, names, strict=True)):
        color = ROUTE_COLORS[i % len(ROUTE_COLORS)]
        style = ROUTE_LINESTYLES[i % len(ROUTE_LINESTYLES)]
        width = 2.0 + 1.8 * (n - 1 - i)
        for line in route_lines(route):
            ax.plot(
                *zip(*line, strict=True),
                color=color,
                linestyle=style,
                linewidth=width,
                solid_capstyle="round",
                dash_capstyle="butt",
                zorder=3 + i * 0.01,
                gid=f"route-{i}",
            )
        handles.append(Line2D([], [], color=color, linestyle=style, linewidth=max(width, 2.5), label=tex_escape(name)))
    has_transfers, has_borders, hub_texts = _draw_stop_markers(ax, listed)
    return close_map(
        ax,
        title,
        f"{n} route{'s' if n > 1 else ''} compared",
        handles=handles + marker_handles(transfers=has_transfers, borders=has_borders) if legend else None,
        countries=countries,
        scale_bar=scale_bar,
        labels=hub_texts if hub_labels else (),
    )


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
    >>> cp.viz.close(ax)
    """
    load_pyplot()  # or MissingDependencyError
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    year, lines, bounds, modes = network_parts(network, as_of)
    links = network.dataset.links
    hubs = network.dataset.hubs
    ax = open_map(ax, bounds, margin, figsize, dpi)
    groups: dict[tuple[str, bool], list[Any]] = {}
    for link, line in zip(links, lines, strict=True):
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
    handles = mode_handles(modes, 2.5)
    if n_closed:
        handles.append(Line2D([], [], color=INK, linestyle=(0, (4, 2.5)), linewidth=1.6, label=f"not open in {year}"))
    ranked = sorted(shown, key=lambda h: (h.kind not in ("city", "port"), h.name))
    return close_map(
        ax,
        title,
        f"Network in {year}: {len(hubs)} hubs, {len(links)} links"
        + (f" ({n_closed} not yet open, dashed)" if n_closed else ""),
        handles=handles + marker_handles() if legend else None,
        legend_loc="lower right",
        countries=countries,
        scale_bar=scale_bar,
        labels=[(h.lon, h.lat, h.name, False) for h in ranked] if labels else (),
        fontsize=7,
    )
