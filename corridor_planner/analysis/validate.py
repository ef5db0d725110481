"""Validation against published end-to-end trips (``validation/observations.csv``), never used to fit anything.

For each observation whose ends name places (hubs, gazetteer cities or coordinates),
:func:`validate` plans the fastest route (as of the trip's year) whose modes follow the
row's mode mix, and compares the observed days with the model's p50 and p10-p90 interval
(:meth:`Route.percentiles`, from the route's first departure to its last arrival:
:meth:`Route.from_departure`, :meth:`Route.to_arrival`); rows it cannot model are
kept with the reason. ``python -m corridor_planner.analysis.validate`` (``make validate``)
prints the report as Markdown, with the route modelled for every row.

Ends: ``origin_hub`` / ``destination_hub`` (a hub id), else ``origin_place`` /
``destination_place`` (a city of the gazetteer, or ``lon lat`` coordinates, joined to the
network by :meth:`Network.plan`'s first- and last-mile road legs). A row with neither (a
country, "China (various)") is not modelled.

Mode mixes (:class:`ModeMix`): the mix is the sequence of the main haul's modes. A route
matches it when its legs, consecutive legs of one mode collapsed, run exactly those modes in
that order, except for *carriage* before the first and after the last haul leg: road drayage
within :data:`DRAYAGE_KM` of the end when the mix does not start (end) with road; and for a
``sea`` mix, road or rail pre- and on-carriage within :data:`HINTERLAND_KM` (a sea trip from
or to an inland city; a port end is sailed from or to when a ship can reach it). A city or
point end may always be left by its nearest joined hub. Plan options cannot say this
(``only_modes=["rail", "road"]`` lets the planner choose one of them), so :func:`pattern_search`
finds the fastest path over the routing graph's states (node, position in the mix), under the
query's constraints, and :meth:`ModeMix.matches` checks the route it gives.
A middle-corridor or TIR trip with a sea part must cross the Caspian
(``require_chokepoints="caspian"``), which is what those corridors are; a ``via`` column
names hubs the source says the trip passed (``require_hubs``); ``aktau|kuryk`` is one of them
(the source names a port pair, "Aktau/Kuryk"): every choice is modelled and the fastest kept;
``aktau:sea`` asks for a leg of that mode at the hub (the ferry from Aktau, not a train past it).
A ``crew`` column (1 or 2 drivers, from the source; empty: one) is the trucks' ``crew=``.
"""

from __future__ import annotations

import csv
import heapq
import itertools
import math
import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import CorridorPlannerError, InvalidQueryError
from ..model.records import Mode

if TYPE_CHECKING:  # pragma: no cover
    from ..network import Network
    from ..routing.query import Query
    from ..routing.route import Leg, Route
    from ..routing.router import Router

MODES = ("rail", "road", "sea", "air")
CASPIAN_CORRIDORS = frozenset({"middle_corridor", "tir_road"})
DRAYAGE_KM = 200.0
"""How far from its end (geodesic, km) road drayage may run, in the end's country, when the mix does not start
(end) with road: 200 km geodesic is 260-300 km by road with the circuity factors of ``data/circuity.csv`` (1.3-1.5),
about a day's trucking, the ride from a factory to a rail terminal or port; road beyond that is a
haul of its own."""
HINTERLAND_KM = 1_000.0
"""How far from its end (geodesic, km) the road or rail pre- and on-carriage of a ``sea`` trip may run:
a port's hinterland (a day or two by rail); beyond it the land leg is a haul of its own, so a ``sea``
row is not modelled as a train to the Caspian and a ferry across it."""
LAND = frozenset({"road", "rail"})


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine on a 6,371 km sphere: to compare with a radius, not to route)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class ModeMix:
    """A row's mode mix: the main haul's modes in order, and the carriage allowed before and after it."""

    text: str
    haul: tuple[str, ...]
    carriage: frozenset[str]
    """Modes allowed before the first and after the last haul leg."""
    radius_km: float
    """Carriage stays within this distance of its end (the approximate first- and last-mile legs of a
    city or point end always may)."""
    domestic: bool = False
    """Carriage stays in the end's country (road drayage: a truck across a border is a haul of its own)."""

    def step(self, position: int, mode: str, approximate: bool, near_start: bool, near_end: bool) -> int | None:
        """The position after a leg of ``mode`` from ``position`` (``None``: the leg breaks the mix).

        Position 0 is before the haul, ``i`` in ``1..len(haul)`` on its ``i``-th mode,
        ``len(haul) + 1`` after it. ``near_start`` / ``near_end``: both ends of the leg lie within
        :attr:`radius_km` of the route's origin / destination.
        """
        k = len(self.haul)
        pre = mode in self.carriage and (approximate or near_start)
        post = mode in self.carriage and (approximate or near_end)
        if position == 0:
            if mode == self.haul[0]:
                return 1
            return 0 if pre else None
        if position <= k:
            if mode == self.haul[position - 1]:
                return position
            if position < k and mode == self.haul[position]:
                return position + 1
            return k + 1 if position == k and post else None
        return k + 1 if post else None

    def done(self, position: int) -> bool:
        return position >= len(self.haul)

    def matches(self, legs: Sequence[Leg]) -> bool:
        """Whether the legs follow the mix (the check of every route the harness models)."""
        if not legs:
            return False
        ends = [(leg.geometry.coords[0], leg.geometry.coords[-1]) for leg in legs]
        start, stop = ends[0][0], ends[-1][1]
        position = 0
        first, last = legs[0].countries[:1], legs[-1].countries[-1:]
        for leg, (a, b) in zip(legs, ends, strict=True):
            near_start = max(_km(start, a), _km(start, b)) <= self.radius_km
            near_end = max(_km(stop, a), _km(stop, b)) <= self.radius_km
            if self.domestic:
                near_start = near_start and set(leg.countries) <= set(first)
                near_end = near_end and set(leg.countries) <= set(last)
            after = self.step(position, leg.mode, leg.approximate, near_start, near_end)
            if after is None:
                return False
            position = after
        return self.done(position)


def parse_mix(text: str) -> ModeMix | str:
    """The :class:`ModeMix` of ``text`` (``"rail-sea-rail"``), or why it is not one."""
    tokens = [m for m in text.strip().lower().split("-") if m]
    unknown = [m for m in tokens if m not in MODES]
    if not tokens or unknown:
        return f"mode mix {text!r} names no known mode"
    haul = collapsed(tokens)
    if haul == ("sea",):
        return ModeMix(text, haul, LAND, HINTERLAND_KM)
    return ModeMix(text, haul, frozenset({"road"}), DRAYAGE_KM, domestic=True)


def collapsed(modes: Iterable[str]) -> tuple[str, ...]:
    """Modes with consecutive repeats collapsed: ``rail, rail, sea, rail`` -> ``rail, sea, rail``."""
    out: list[str] = []
    for mode in modes:
        if not out or out[-1] != mode:
            out.append(mode)
    return tuple(out)


def pattern_search(
    router: Router,
    q: Query,
    mix: ModeMix,
    once: Sequence[str] = (),
    carriage_at_ports: bool = True,
    legs_at: Sequence[tuple[str, str]] = (),
) -> list[int] | None:
    """Edge ids of the fastest path for ``q`` whose legs follow ``mix`` (``None``: there is none).

    Dijkstra over (routing-graph node, position in the mix, requirements met, *once* hubs
    left) with the query's edge mask and lexicographic weights, as
    :func:`corridor_planner.routing.search.search` does over (node, via, requirements, once);
    ``q.via`` is not supported (give hubs as requirements). ``once``: hubs the path may not
    come back to after leaving them (see :func:`simple_pattern_search`). ``carriage_at_ports=False``:
    a mix that starts (ends) with sea starts (ends) on a ship at an end that is a port (has sea links).
    ``legs_at``: (hub, mode) pairs the path must have a leg of that mode from or to (``("aktau", "sea")``:
    the ship sails from or to Aktau; passing Aktau by train does not count).

    Carriage must lie within :attr:`ModeMix.radius_km` of its end; the radius of a city or
    point end is widened to its nearest joined hub when that is farther (the approximate
    first- and last-mile legs of :meth:`Network.plan`), so every end can be left.
    """
    if q.via:
        raise InvalidQueryError("pattern_search: give the hubs to pass as require_hubs, not via")
    graph = router.graph
    allowed = router.mask(q.constraints)
    c0, c1, c2, c3 = router.weight_lists((q.optimize, q.crew))
    bits = router.requirement_bits(q.require)
    if legs_at:
        bits = list(bits)
        none = np.empty(0, dtype=np.int64)
        for i, (hub_id, mode) in enumerate(legs_at, start=len(q.require)):
            at_hub = graph.edges_by("hub").get(hub_id, none)
            for e in np.intersect1d(at_hub, graph.edges_by("mode").get(mode, none)).tolist():
                bits[e] |= 1 << i
    full = (1 << (len(q.require) + len(legs_at))) - 1
    approximate = router.approximate_links
    hubs, links = router.hubs, router.links
    ends = {"o": hubs[q.origin], "t": hubs[q.destination]}

    def km_to(hub_id: str, end: str) -> float:
        there, at = hubs[hub_id], ends[end]
        return _km((there.lon, there.lat), (at.lon, at.lat))

    radius = {}
    for end, hub_id in (("o", q.origin), ("t", q.destination)):
        joins = [km_to(link.to_hub if link.from_hub == hub_id else link.from_hub, end)
                 for link_id in approximate if hub_id in ((link := links[link_id]).from_hub, link.to_hub)]  # fmt: skip
        radius[end] = max([mix.radius_km, *([min(joins) + 1e-6] if joins else [])])
        by_sea = mix.haul[0 if end == "o" else -1] == "sea"
        if not carriage_at_ports and by_sea and Mode.SEA in graph.modes_at(hub_id):
            radius[end] = -1.0
    near: dict[tuple[str, str], bool] = {}

    def within(hub_id: str, end: str) -> bool:
        key = (hub_id, end)
        if key not in near:
            near[key] = km_to(hub_id, end) <= radius[end] and (
                not mix.domestic or hubs[hub_id].country == ends[end].country
            )
        return near[key]

    steps: dict[tuple[int, int], int | None] = {}

    def step(position: int, e: int) -> int | None:
        key = (position, e)
        if key not in steps:
            link = graph.info[e].link
            assert link is not None
            a, b = link.from_hub, link.to_hub
            steps[key] = mix.step(
                position,
                link.mode.value,
                link.id in approximate,
                within(a, "o") and within(b, "o"),
                within(a, "t") and within(b, "t"),
            )
        return steps[key]

    marks = {hub: 1 << i for i, hub in enumerate(once)}
    node_hub = graph.node_hub
    State = tuple[int, int, int, int]  # node, position, requirements met, once hubs left
    start: State = (graph.node(q.origin, "o"), 0, 0, 0)
    goal = graph.node(q.destination, "t")
    best: dict[State, tuple[float, ...]] = {start: (0.0, 0.0, 0.0, 0.0)}
    pred: dict[State, tuple[State, int]] = {}
    done: set[State] = set()
    heap: list[tuple[tuple[float, ...], State]] = [((0.0, 0.0, 0.0, 0.0), start)]
    while heap:
        label, state = heapq.heappop(heap)
        if state in done:
            continue
        done.add(state)
        node, position, met, left = state
        if node == goal and met == full and mix.done(position):
            edges: list[int] = []
            while state != start:
                state, e = pred[state]
                edges.append(e)
            return edges[::-1]
        here = node_hub[node]
        for v, e in graph.adjacency[node]:
            if not allowed[e]:
                continue
            nxt_position = position if graph.info[e].link is None else step(position, e)
            if nxt_position is None:
                continue
            nxt_left = left
            if marks:
                there = node_hub[v]
                if there != here:
                    if marks.get(there, 0) & left:
                        continue  # back to a hub the path has left
                    nxt_left |= marks.get(here, 0)
            nxt = (v, nxt_position, met | bits[e], nxt_left)
            if nxt in done:
                continue
            cand = (label[0] + c0[e], label[1] + c1[e], label[2] + c2[e], label[3] + c3[e])
            old = best.get(nxt)
            if old is None or cand < old:
                best[nxt] = cand
                pred[nxt] = (state, e)
                heapq.heappush(heap, (cand, nxt))
    return None


MAX_ONCE = 8
"""At most this many hubs are kept from repeating (each doubles the states), as in the router's search."""


def simple_pattern_search(
    router: Router, q: Query, mix: ModeMix, legs_at: Sequence[tuple[str, str]] = ()
) -> list[int] | str | None:
    """:func:`pattern_search` repeated with the hubs a path comes back to marked *once*, until it is
    simple (``None``: no path follows the mix; a string: why no simple one was found).

    A port end of a mix that starts (ends) with sea is sailed from (to) when any route does so
    (Shanghai - Rotterdam is not a ship to Trieste and a train); else, as for Baku on the Caspian,
    which no ocean ship reaches, carriage within the hinterland.
    """
    from ..routing.search import repeated_hubs

    by_sea = "sea" in (mix.haul[0], mix.haul[-1])
    carriage = not (by_sea and pattern_search(router, q, mix, (), False, legs_at) is not None)
    once: tuple[str, ...] = ()
    while True:
        path = pattern_search(router, q, mix, once, carriage, legs_at)
        if path is None:
            return None if not once else f"every route following the mode mix comes back to {', '.join(once)}"
        repeated = repeated_hubs(router, q.origin, path)
        if not repeated:
            return path
        once = tuple(dict.fromkeys([*once, *repeated]))
        if len(once) > MAX_ONCE:
            return f"the fastest routes following the mode mix come back to {', '.join(once)}"


@dataclass(frozen=True)
class Result:
    """One observation and the model's answer (``reason`` says why a row was not modelled)."""

    id: str
    origin: str
    destination: str
    corridor: str
    mode_mix: str
    year: int | None
    observed_days: float
    observed_km: float | None
    p10: float | None = None
    p50: float | None = None
    p90: float | None = None
    typical_days: float | None = None
    model_km: float | None = None
    route: str = ""
    """The route modelled: its mode runs with their ends and km, and the land borders crossed."""
    reason: str = ""
    lower_bound: bool = False
    """The observed days are a lower bound ("more than 20 days"): the trip took at least that long."""

    @property
    def modelled(self) -> bool:
        return self.p50 is not None

    @property
    def inside(self) -> bool:
        """The observation lies within p10-p90 (a lower bound: p90 reaches it, the interval overlaps what was seen)."""
        if self.p10 is None or self.p90 is None:
            return False
        if self.lower_bound:
            return self.observed_days <= self.p90
        return self.p10 <= self.observed_days <= self.p90

    @property
    def error_days(self) -> float:
        """p50 - observed days (a lower bound: only the shortfall of a p50 below it counts)."""
        assert self.p50 is not None
        if self.lower_bound:
            return min(0.0, self.p50 - self.observed_days)
        return self.p50 - self.observed_days


def _year(row: dict[str, str]) -> int | None:
    year = re.match(r"\s*(\d{4})", row["trip_date"])
    return int(year.group(1)) if year else None


def _list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def plan_options(row: dict[str, str]) -> dict[str, Any] | str:
    """The plan options of a row besides its mode mix (year, Caspian crossing, hubs passed), or why there are none."""
    mix = parse_mix(row["mode_mix"])
    if isinstance(mix, str):
        return mix
    options: dict[str, Any] = {}
    if "sea" in mix.haul and mix.haul != ("sea",) and row["corridor"] in CASPIAN_CORRIDORS:
        options["require_chokepoints"] = ["caspian"]
    via = _list(row.get("via"))
    for entry in (choice for item in via for choice in item.split("|")):
        hub_id, _, mode = entry.partition(":")
        if not hub_id.strip() or (mode and mode.strip() not in MODES):
            return f"via entry {entry!r} is not a hub id or hub:mode (mode one of {', '.join(MODES)})"
    if via:
        options["require_hubs"] = via
    crew = (row.get("crew") or "").strip()
    if crew:
        if crew not in ("1", "2"):
            return f"crew {crew!r} is not 1 or 2 drivers"
        options["crew"] = int(crew)
    year = _year(row)
    if year is not None:
        options["as_of"] = year
    return options


def via_choices(options: dict[str, Any]) -> list[tuple[dict[str, Any], list[tuple[str, str]]]]:
    """The options once for every choice of the ``via`` alternatives (``aktau|kuryk``: one of them), each with
    the (hub, mode) legs it asks for (``aktau:sea``: a ship from or to Aktau, not a train past it)."""
    hubs = options.get("require_hubs")
    if not hubs:
        return [(options, [])]
    choices = []
    for choice in itertools.product(*(hub.split("|") for hub in hubs)):
        pairs = [[part.strip() for part in entry.split(":", 1)] for entry in choice]
        legs_at = [(pair[0], pair[1]) for pair in pairs if len(pair) == 2]
        choices.append(({**options, "require_hubs": [pair[0] for pair in pairs]}, legs_at))
    return choices


def end(row: dict[str, str], which: str) -> str | tuple[float, float] | None:
    """A row's ``origin`` or ``destination`` as :meth:`Network.plan` takes it: its hub, else its place
    (a gazetteer city, or ``lon lat`` coordinates), else ``None`` (a generic end: a country, a region)."""
    hub = (row.get(f"{which}_hub") or "").strip()
    if hub:
        return hub
    place = (row.get(f"{which}_place") or "").strip()
    point = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)", place)
    if point:
        return float(point.group(1)), float(point.group(2))
    return place or None


def mode_runs(route: Route) -> list[tuple[str, str, str, float]]:
    """The route as runs of one mode: (mode, from hub, to hub, km), consecutive legs of one mode merged."""
    runs: list[tuple[str, str, str, float]] = []
    for leg in route.legs:
        if runs and runs[-1][0] == leg.mode:
            mode, a, _, km = runs[-1]
            runs[-1] = (mode, a, leg.destination, km + leg.distance_km)
        else:
            runs.append((leg.mode, leg.origin, leg.destination, leg.distance_km))
    return runs


def describe(route: Route) -> str:
    """The route in one line: each run of one mode with its ends and km, then the land borders crossed
    (``a/b`` hub pairs)."""
    text = "; ".join(f"{mode} {a}-{b} {km:,.0f} km" for mode, a, b, km in mode_runs(route))
    borders = ", ".join(g.replace("|", "/") for g in route.gateways)  # "|" would split a Markdown cell
    return f"{text}{f' (borders {borders})' if borders else ''}"


def model_route(net: Network, row: dict[str, str]) -> Route | str:
    """The fastest route for a row whose legs follow its mode mix, or why there is none."""
    from ..routing.assemble import build_route

    origin, destination = end(row, "origin"), end(row, "destination")
    if origin is None or destination is None:
        generic = " and ".join(
            f"{w} {row[w]!r}" for w, e in (("origin", origin), ("destination", destination)) if e is None
        )
        names = "name" if origin is None and destination is None else "names"
        return f"the {generic} {names} no place (a country or region): no hub, city or point to route from"
    mix = parse_mix(row["mode_mix"])
    options = plan_options(row)
    if isinstance(mix, str) or isinstance(options, str):
        return str(options if isinstance(options, str) else mix)
    try:
        ends_net, a, b = net.with_ends(origin, destination)
    except CorridorPlannerError as exc:
        return f"no route: {_first(exc)}"
    found: list[Route] = []
    why_not: list[str] = []
    try:  # a misspelt hub in any choice is the row's error, not a choice without a route
        queries = [(ends_net.query(a, b, **choice), legs_at) for choice, legs_at in via_choices(options)]
    except CorridorPlannerError as exc:
        return f"no route: {_first(exc)}"
    for q, legs_at in queries:
        try:
            path = simple_pattern_search(ends_net.router, q, mix, legs_at)
        except CorridorPlannerError as exc:
            why_not.append(f"no route: {_first(exc)}")
            continue
        if isinstance(path, str):
            why_not.append(path)
        elif path is not None:
            route = build_route(ends_net.router, q, path)
            assert mix.matches(route.legs), (row["id"], describe(route))
            found.append(route)
    if found:
        return min(found, key=lambda r: (r.time_h, r.distance_km))
    if why_not:
        return why_not[0]
    try:
        fastest = net.plan(origin, destination, **via_choices(options)[0][0])
        why = f" (the fastest route without the mix runs {'-'.join(collapsed(leg.mode for leg in fastest.legs))}: {describe(fastest)})"
    except CorridorPlannerError as exc:
        why = f" ({_first(exc)})"
    return f"no route follows the mode mix {row['mode_mix']!r} with {options}{why}"


def haul_trip(route: Route, mix: ModeMix) -> Route:
    """The route as a published trip runs: from its main haul's first departure to the haul's last arrival.

    :meth:`Route.from_departure` and :meth:`Route.to_arrival`, and where drayage runs before (after) the
    haul (carriage within :data:`DRAYAGE_KM` of the end, or a first- or last-mile leg to a city that is no
    hub), the waits and port dwell before the haul's first train or ship (the import dwell at the port
    after its last ship) too: a trip reported "from Mumbai" runs from the sailing at Nhava Sheva, one "from
    Shijiazhuang" from its train, which the model, without a hub there, boards in Beijing. Longer
    carriage (a sea trip from inland Beijing trucked to Qingdao) is part of a door-to-door figure: its
    waits stay. The carriage legs themselves (moving, borders, transfers) stay.
    """
    from dataclasses import replace

    from ..routing.route import AFTER_ARRIVAL, BEFORE_DEPARTURE, without_stops

    trip = route.from_departure().to_arrival()
    legs = list(trip.legs)
    first = next((i for i, leg in enumerate(legs) if leg.mode == mix.haul[0]), 0)
    last = max((i for i, leg in enumerate(legs) if leg.mode == mix.haul[-1]), default=len(legs) - 1)

    def strip(i: int, components: frozenset[str]) -> None:
        legs[i] = without_stops(legs[i], components)[0]

    def drayage(carriage: Sequence[Leg], end: tuple[float, float], haul_end: tuple[float, float]) -> bool:
        return all(leg.approximate for leg in carriage) or _km(end, haul_end) <= DRAYAGE_KM

    if first > 0 and drayage(legs[:first], legs[0].geometry.coords[0], legs[first].geometry.coords[0]):
        strip(first, BEFORE_DEPARTURE)
    if last < len(legs) - 1 and drayage(legs[last + 1 :], legs[-1].geometry.coords[-1], legs[last].geometry.coords[-1]):
        strip(last + 1, AFTER_ARRIVAL)
    return replace(trip, legs=tuple(legs)) if legs != list(trip.legs) else trip


def _first(exc: Exception) -> str:
    """An error's message on one line: its first line, or the problems it lists after a colon."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        return "; ".join(lines[1:])
    return lines[0] if lines else type(exc).__name__


def _number(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


def validate(net: Network, rows: Iterable[dict[str, str]]) -> list[Result]:
    """The model against every row (modelled or with the reason it was not)."""
    results = []
    for row in rows:
        base: dict[str, Any] = {
            "id": row["id"], "origin": row["origin"], "destination": row["destination"], "corridor": row["corridor"],
            "mode_mix": row["mode_mix"], "year": _year(row),
            "observed_days": float(row["days"]), "observed_km": _number(row["km"]),
            "lower_bound": "lower bound" in row.get("days_note", ""),
        }  # fmt: skip
        route = model_route(net, row)
        if isinstance(route, str):
            results.append(Result(**base, reason=route))
            continue
        mix = parse_mix(row["mode_mix"])
        assert not isinstance(mix, str)
        trip = haul_trip(route, mix)  # an observed trip runs from its train's or ship's departure to its arrival
        p = trip.percentiles()
        results.append(
            Result(
                **base,
                p10=p.p10,
                p50=p.p50,
                p90=p.p90,
                typical_days=trip.transit_days,
                model_km=route.distance_km,
                route=describe(route),
            )
        )
    return results


@dataclass(frozen=True)
class Summary:
    """The headline figures of a validation run."""

    modelled: int
    total: int
    mae_days: float
    mape_days: float
    mape_km: float | None
    n_km: int
    inside: float
    bias_by_corridor: dict[str, tuple[int, float]]
    """Corridor -> (observations, median of (p50 - observed) / observed)."""


def summarise(results: Sequence[Result]) -> Summary:
    done = [r for r in results if r.modelled]
    if not done:
        return Summary(0, len(results), float("nan"), float("nan"), None, 0, float("nan"), {})
    km = [r for r in done if r.observed_km and r.model_km is not None]
    corridors: dict[str, list[float]] = {}
    for r in done:
        corridors.setdefault(r.corridor, []).append(r.error_days / r.observed_days)
    return Summary(
        modelled=len(done),
        total=len(results),
        mae_days=statistics.median(abs(r.error_days) for r in done),
        mape_days=statistics.median(abs(r.error_days) / r.observed_days for r in done),
        mape_km=statistics.median(abs(r.model_km - r.observed_km) / r.observed_km for r in km)  # type: ignore[operator]
        if km
        else None,
        n_km=len(km),
        inside=sum(r.inside for r in done) / len(done),
        bias_by_corridor={c: (len(v), statistics.median(v)) for c, v in sorted(corridors.items())},
    )


def _f(value: float | None, fmt: str = ".1f") -> str:
    return "" if value is None else format(value, fmt)


def report(results: Sequence[Result]) -> str:
    """The validation report as Markdown: the table, the summary, the rows not modelled."""
    s = summarise(results)
    lines = [
        "# Validation report",
        "",
        "Generated by `make validate` (`python -m corridor_planner.analysis.validate`) from",
        "`validation/observations.csv`; the model was not fitted to these trips. Model: p10/p50/p90 of",
        "100,000 Monte Carlo draws (seed 0) of the fastest route between the row's ends (hub, gazetteer city",
        "or point) whose legs follow its mode mix: the main haul's modes in order, plus road drayage within",
        f"{DRAYAGE_KM:,.0f} km of an end, and for a `sea` trip road or rail pre- and on-carriage within",
        f"{HINTERLAND_KM:,.0f} km of an end that no ship reaches (a port end is sailed from or to when a ship can);",
        "a trans-Caspian corridor's sea part crosses the Caspian, and hubs in `via` are passed (`aktau:sea`: a ship",
        "from or to Aktau). As of the trip's year, from the first departure to the last arrival as observed trips",
        "are (`haul_trip`: the wait for the first train or sailing and a port's export dwell at the origin, and a",
        "port's import dwell at the destination, left out, also after drayage: a trip from Mumbai runs from the",
        "sailing at Nhava Sheva; longer carriage, as a sea trip from inland Beijing, keeps them: door to door);",
        "`typ` is the sum of its typical values. `route`: each run of one",
        "mode with its ends and km, and the land borders crossed (hub pairs). Observed days marked `>` are lower",
        'bounds ("more than 20 days"): inside when p90 reaches them, an error only when p50 is below them.',
        "",
        "## Summary",
        "",
        f"- observations modelled: {s.modelled} of {s.total}",
        f"- median absolute error of p50: {s.mae_days:.1f} days, {s.mape_days:.0%} of the observed days (target <= 15 %)",
        f"- median absolute error of distance: {_f(None if s.mape_km is None else s.mape_km * 100, '.0f')} % "
        f"over {s.n_km} observations with km (target <= 10 %)",
        f"- observations inside p10-p90: {s.inside:.0%} (target >= 80 %)",
        "- bias by corridor (median of (p50 - observed) / observed; target within +-20 %):",
        "",
        "| corridor | n | bias |",
        "|---|---:|---:|",
        *(f"| {c} | {n} | {b:+.0%} |" for c, (n, b) in s.bias_by_corridor.items()),
        "",
        "## Observations modelled",
        "",
        "| id | from | to | corridor | mix | year | observed days | p10 | p50 | p90 | typ | inside | observed km "
        "| model km | route |",
        "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|:-:|---:|---:|---|",
    ]
    for r in results:
        if r.modelled:
            lines.append(
                f"| {r.id} | {r.origin} | {r.destination} | {r.corridor} | {r.mode_mix} | {r.year or ''} | "
                f"{'>' if r.lower_bound else ''}{r.observed_days:g} | {_f(r.p10)} | {_f(r.p50)} | {_f(r.p90)} | {_f(r.typical_days)} | "
                f"{'yes' if r.inside else 'no'} | {_f(r.observed_km, ',.0f')} | {_f(r.model_km, ',.0f')} | {r.route} |"
            )
    lines += ["", "## Observations not modelled", "", "| id | from | to | mix | reason |", "|---|---|---|---|---|"]
    lines += [
        f"| {r.id} | {r.origin} | {r.destination} | {r.mode_mix} | {r.reason} |" for r in results if not r.modelled
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report for the observations file given (default ``validation/observations.csv``)."""
    from .. import load_network

    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0] if args else "validation/observations.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sys.stdout.write(report(validate(load_network(), rows)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
