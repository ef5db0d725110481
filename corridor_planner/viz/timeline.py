"""Timelines: a route's days as coloured stages (moving, borders, transfers, waits)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..routing.costs import COMPONENTS
from .basemap import set_title
from .maps import as_routes, labels_for
from .style import COMPONENT_COLORS, INK, MODE_COLORS, OTHER_COLOR, ink_on, load_pyplot, new_axes, shorten, tex_escape

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..routing.route import Route


# --------------------------------------------------------------------------- timelines


def timeline_segments(route: Route) -> list[dict[str, Any]]:
    """The route as a sequence of timed segments, from departure: moving per mode, and every stop.

    Each segment is a dict with ``start_h``, ``time_h``, ``component`` (one of
    :data:`corridor_planner.routing.costs.COMPONENTS`), ``mode`` (for ``moving`` and
    ``rest``, else ``None``), ``hub`` (the stop's hub id, ``a|b`` for a
    border), ``name`` (readable: hub names, or the stretch travelled),
    ``distance_km`` (moving only), ``color`` and ``note`` (the stop's note, else ``""``). Consecutive moving legs of
    one mode merge into one segment; a leg's stops come before its moving, its
    driver rest after it. The segments tile ``[0, route.time_h]`` exactly.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> route = cp.load_network().plan("Beijing", "Baku", within=["CN", "KZ", "AZ"], as_of=2025)
    >>> [s["component"] for s in timeline_segments(route)][:4]
    ['waiting', 'moving', 'border', 'moving']
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
    >>> train = net.plan("Beijing", "Baku", within=["CN", "KZ", "AZ"], as_of=2025)
    >>> sea = net.plan("Beijing", "Baku", via=[("Tianjin", "sea"), ("Poti", "sea")], avoid_countries=["KZ", "KG", "RU", "MN", "PK"], as_of=2025)
    >>> ax = cp.timeline([train, sea], labels=["rail-sea-rail", "by sea"])
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "row-label"]
    ['rail-sea-rail', 'by sea']
    >>> cp.viz.close(ax)
    """
    load_pyplot()  # or MissingDependencyError
    from matplotlib.patches import Patch

    listed = as_routes(routes)
    names = labels_for(listed, labels)
    n = len(listed)
    if annotate is None:
        annotate = n == 1
    below = 0.55 if annotate else 0.0  # room under each bar for hub names, in row units
    if figsize is None:
        figsize = (11.0, 1.3 + (0.95 + below) * n + (0.55 if legend else 0.0))
    ax = new_axes(ax, figsize, dpi)
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
                    tex_escape(text),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color=ink_on(seg["color"]),
                    zorder=4,
                    clip_on=True,
                )
        ax.text(
            0,
            y - bar_h / 2 - 0.06,
            tex_escape(names[row]),
            ha="left",
            va="bottom",
            fontsize=9,
            color=INK,
            gid="row-label",
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
    set_title(ax, title, "Transit time")
    if legend and (used_modes or used_components):  # a route without legs has nothing to explain
        ordered = [c for c in COMPONENTS if c in used_components]
        handles = [
            Patch(facecolor=MODE_COLORS.get(m, OTHER_COLOR), label=f"{tex_escape(m)} (moving)") for m in used_modes
        ]
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
            tex_escape(f"{shorten(name)}\n{end - start:.1f} d"),
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
