"""Interactive web maps (folium): routes and networks with escaped popups and tooltips."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from ..text import html_text
from .maps import network_parts, route_bounds, route_hub_points, route_lines, route_stops
from .style import BORDER_MARKER, INK, MODE_COLORS, OTHER_COLOR, TRANSFER_MARKER, require_module

if TYPE_CHECKING:  # pragma: no cover
    import folium

    from ..network import Network
    from ..routing.route import Route


# --------------------------------------------------------------------------- web maps (folium)


def _esc(value: Any) -> str:
    """Text from data made safe for folium's popups, tooltips and legend: :func:`corridor_planner.text.html_text`.

    HTML, JavaScript template-literal and Jinja syntax are all neutralised
    (folium renders the page's scripts as a Jinja template).

    Examples
    --------
    >>> _esc("<script>alert(1)</script> `${x}` {{7*7}}")
    '&lt;script&gt;alert(1)&lt;/script&gt; &#96;&#36;&#123;x&#125;&#96; &#123;&#123;7*7&#125;&#125;'
    """
    return html_text(value)


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
    >>> fmap = net.plan("Beijing", "Baku", within=["CN", "KZ", "AZ"], as_of=2025).explore(network=net)
    >>> "Alashankou" in fmap.get_root().render()
    True
    >>> fmap.save("beijing_baku.html")   # doctest: +SKIP
    """
    folium = require_module("folium", "web maps")
    fmap = _new_map(folium, route_bounds([route]), dict(kw))
    for i, (leg, line) in enumerate(zip(route.legs, route_lines(route), strict=True), start=1):
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
    points = route_hub_points(route)
    transfers, borders = route_stops(route)
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
    folium = require_module("folium", "web maps")
    year, lines, bounds, modes = network_parts(network, as_of)
    links = network.dataset.links
    hubs = {h.id: h for h in network.dataset.hubs}
    fmap = _new_map(folium, bounds, dict(kw))
    layers = {m: folium.FeatureGroup(name=_esc(m)).add_to(fmap) for m in modes}
    costs = network.router.costs
    for link, line in zip(links, lines, strict=True):
        mode = link.mode.value
        a, b = hubs.get(link.from_hub), hubs.get(link.to_hub)
        a_name, b_name = (a.name if a else link.from_hub), (b.name if b else link.to_hub)
        is_open = link.is_open(year)
        status = (
            link.status.value
            + (f", opens {link.opens}" if link.opens else "")
            + (f", since {link.closes}" if link.closes else "")
        )
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
