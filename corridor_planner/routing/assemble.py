"""Turning a path of routing-graph edges into a :class:`~corridor_planner.routing.route.Route`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from ..model.geo import reverse
from .route import Leg, Route, Stop

if TYPE_CHECKING:  # pragma: no cover
    from .emissions import EmissionItem
    from .query import Query
    from .router import Router


@dataclass(frozen=True)
class EdgePieces:
    """What :func:`build_route` takes from one edge whatever the query: made once per edge (:func:`edge_pieces`)."""

    stops: tuple[Stop, ...]
    """Its parts other than moving and rest, as stops."""
    chokepoints: tuple[str, ...]
    """Its chokepoints, sorted."""
    emissions: tuple[EmissionItem, ...]
    leg: Leg | None
    """For a link edge, its leg with no stops before it (time and cost: the edge's own, for one driver)."""
    moving_h: float = 0.0


def _copy(leg: Leg, **changes: Any) -> Leg:
    """``dataclasses.replace(leg, **changes)`` without the re-run of ``__init__`` (a route has many legs, a matrix
    many routes): :class:`Leg` has no ``__post_init__`` and its fields are plain values."""
    new = object.__new__(Leg)
    new.__dict__.update(leg.__dict__)
    new.__dict__.update(changes)
    return new


class EdgePiecesCache:
    """The :class:`EdgePieces` of every edge of a router's graph, each made when first asked for.

    A route reads a few dozen edges; making the pieces of all of them (reversing the geometry of every
    backward link edge) at once cost about 35 ms a network, which a sweep of scenario overlays paid per
    value. Threads may make one edge's pieces twice: the values are equal.
    """

    def __init__(self, router: Router) -> None:
        self._router = router
        self._pieces: list[EdgePieces | None] = [None] * len(router.graph.info)

    def __len__(self) -> int:
        return len(self._pieces)

    def __getitem__(self, e: int) -> EdgePieces:
        piece = self._pieces[e]
        if piece is None:
            piece = self._pieces[e] = _edge_piece(self._router, e)
        return piece

    def __iter__(self) -> Iterator[EdgePieces]:
        return (self[e] for e in range(len(self._pieces)))


def edge_pieces(router: Router) -> EdgePiecesCache:
    """Per edge of the router's graph, the pieces of a leg (:class:`EdgePieces`), made on first use."""
    return EdgePiecesCache(router)


def _edge_piece(router: Router, e: int) -> EdgePieces:
    """The :class:`EdgePieces` of edge ``e``; a backward link edge's geometry reversed once."""
    graph = router.graph
    hubs = router.hubs
    info = graph.info[e]
    stops = tuple(
        Stop(p.hub, p.component, p.time_h.typ, p.time_h.min, p.time_h.max, p.cost_usd, p.note, p.group, p.timetable)
        for p in info.parts
        if p.component not in ("moving", "rest")
    )
    chokepoints = tuple(sorted(graph.edge_chokepoints[e]))
    emissions = tuple(graph.emission_items[e])
    link = info.link
    if link is None:
        return EdgePieces(stops, chokepoints, emissions, None)
    a, b = (link.from_hub, link.to_hub) if info.forward else (link.to_hub, link.from_hub)
    service = router.costs.services.get(link.service) if link.service else None
    moving = [p.time_h for p in info.parts if p.component == "moving"]
    moving_h = sum(r.typ for r in moving)
    leg = Leg(
        link_id=link.id,
        mode=link.mode.value,
        origin=a,
        destination=b,
        origin_name=hubs[a].name,
        destination_name=hubs[b].name,
        distance_km=float(graph.distance_km[e]),
        moving_h=moving_h,
        time_h=float(graph.time_h[e]),
        cost_usd=float(graph.cost_usd[e]),
        co2_kg=float(graph.co2_kg[e]),
        corridors=link.corridors,
        countries=tuple(dict.fromkeys([hubs[a].country, *link.countries, hubs[b].country])),
        layer=link.layer,
        geometry=link.geometry if info.forward else reverse(link.geometry),
        stops_before=stops,
        moving_h_min=sum(r.min for r in moving),
        moving_h_max=sum(r.max for r in moving),
        approximate=link.id in router.approximate_links,
        late_arrival=None if service is None else service.late_arrival,
    )
    return EdgePieces(stops, chokepoints, emissions, leg, moving_h)


def build_route(router: Router, q: Query, edges: Sequence[int]) -> Route:
    """Turn a path of edge ids into a :class:`Route` with legs and stops."""
    graph = router.graph
    pieces = router.edge_pieces
    legs: list[Leg] = []
    pending: list[Stop] = []
    pending_emissions: list[EmissionItem] = []
    chokepoints: list[str] = []
    time_h = graph.time_h if q.crew == 1 else graph.time_h_for(q.crew)
    rest_h = graph.rest_h[q.crew]
    for e in edges:
        piece = pieces[e]
        chokepoints.extend(piece.chokepoints)
        pending_emissions.extend(piece.emissions)
        leg = piece.leg
        if leg is None:
            pending.extend(piece.stops)
            continue
        before = tuple(pending)
        pending = []
        driving = None
        if rest_h[e] > 0:
            driving = router.costs.modes[graph.info[e].link.mode].driving_hours(q.crew)  # type: ignore[union-attr]
        leg = _copy(
            leg,
            time_h=float(time_h[e]) + sum(s.time_h for s in before),
            cost_usd=leg.cost_usd + sum(s.cost_usd for s in before),
            stops_before=router.with_seasons(before + piece.stops, leg.mode),
            emissions=tuple(pending_emissions),
            driving_h_per_day=None if driving is None else (driving.min, driving.typ, driving.max),
        )
        legs.append(leg)
        pending_emissions = []
    if pending and legs:
        last = legs[-1]
        legs[-1] = replace(
            last,
            time_h=last.time_h + sum(s.time_h for s in pending),
            cost_usd=last.cost_usd + sum(s.cost_usd for s in pending),
            stops_after=tuple(pending),
            emissions=last.emissions + tuple(pending_emissions),
        )
    query = {
        "via": [h if m is None else (h, m) for h, m in q.via], "avoid_countries": sorted(q.avoid_countries), "avoid_modes": sorted(q.avoid_modes),
        "avoid_hubs": sorted(q.avoid_hubs), "avoid_chokepoints": sorted(q.avoid_chokepoints),
        "avoid_corridors": sorted(q.avoid_corridors), "within": None if q.within is None else sorted(q.within),
        "require": [f"{kind}:{name}" for kind, name in q.require], "cargo": q.cargo, "as_of": q.as_of, "crew": q.crew,
    }  # fmt: skip
    return Route(
        q.origin,
        q.destination,
        tuple(legs),
        q.objective_label,
        query,
        tuple(dict.fromkeys(chokepoints)),
        scenarios=router.dataset.scenarios,
        unit=router.emissions.default_unit(q.cargo),
        unit_sizes=router.emissions.units_for(q.cargo),
    )


class PathTotals(NamedTuple):
    """The totals, hubs and link ids of the :class:`Route` a path makes (:func:`path_totals`)."""

    time_h: float
    distance_km: float
    cost_usd: float
    co2_kg: float
    co2e_kg: float
    hubs: tuple[str, ...]
    link_ids: tuple[str, ...]


class EdgeFigures(NamedTuple):
    """The figures of one edge :func:`path_totals` adds (:func:`edge_figures`)."""

    stop_h: tuple[float, ...]
    """Hours of its stops (a link edge has none of its own: its leg's stops are those before it)."""
    stop_usd: tuple[float, ...]
    wtw_kg: tuple[float, ...]
    """Well-to-wheel kg CO2e of its emission items."""
    leg: tuple[float, float, float, str, str] | None
    """For a link edge: its leg's distance, co2 and cost (one driver), destination hub and link id."""


def edge_figures(router: Router) -> list[EdgeFigures]:
    """Per edge, its :class:`EdgeFigures` (from :attr:`Router.edge_pieces <.router.Router.edge_pieces>`)."""
    out = []
    for piece in router.edge_pieces:
        leg = piece.leg
        out.append(
            EdgeFigures(
                tuple(s.time_h for s in piece.stops),
                tuple(s.cost_usd for s in piece.stops),
                tuple(i.wtw_kg for i in piece.emissions),
                None if leg is None else (leg.distance_km, leg.co2_kg, leg.cost_usd, leg.destination, leg.link_id),
            )
        )
    return out


def path_totals(router: Router, q: Query, edges: Sequence[int], origin: str | None = None) -> PathTotals:
    """What ``build_route(router, q, edges)`` totals, without building the route (a matrix needs many).

    Each figure is added in the order :func:`build_route` and the :class:`Route` properties add it
    (a leg: its edge, then the stops before it; the stops after the last leg go to it; then the
    legs in order), so it is the same floating-point number. ``origin``: where the path starts, when
    not ``q.origin`` (a matrix totals the paths of many origins under one query).
    """
    figures = router.edge_figures
    time_h = router.graph.time_h if q.crew == 1 else router.graph.time_h_for(q.crew)
    times: list[float] = []
    costs: list[float] = []
    distances: list[float] = []
    co2: list[float] = []
    co2e: list[float] = []
    hubs = [q.origin if origin is None else origin]
    links: list[str] = []
    pending_h: list[float] = []
    pending_usd: list[float] = []
    pending_kg: list[float] = []
    for e in edges:
        f = figures[e]
        pending_kg.extend(f.wtw_kg)
        leg = f.leg
        if leg is None:
            pending_h.extend(f.stop_h)
            pending_usd.extend(f.stop_usd)
            continue
        times.append(float(time_h[e]) + sum(pending_h))
        costs.append(leg[2] + sum(pending_usd))
        distances.append(leg[0])
        co2.append(leg[1])
        co2e.append(sum(pending_kg))
        hubs.append(leg[3])
        links.append(leg[4])
        pending_h, pending_usd, pending_kg = [], [], []
    if pending_h and times:
        # the stops after the last leg join it (their emissions too: the sum goes on from the leg's own)
        times[-1] = times[-1] + sum(pending_h)
        costs[-1] = costs[-1] + sum(pending_usd)
        co2e[-1] = sum(pending_kg, co2e[-1])
    return PathTotals(sum(times), sum(distances), sum(costs), sum(co2), sum(co2e), tuple(hubs), tuple(links))
