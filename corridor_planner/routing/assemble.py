"""Turning a path of routing-graph edges into a :class:`~corridor_planner.routing.route.Route`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..model.geo import reverse
from .route import Leg, Route, Stop

if TYPE_CHECKING:  # pragma: no cover
    from .emissions import EmissionItem
    from .query import Query
    from .router import Router


def build_route(router: Router, q: Query, edges: Sequence[int]) -> Route:
    """Turn a path of edge ids into a :class:`Route` with legs and stops."""
    graph = router.graph
    hubs = router.hubs
    legs: list[Leg] = []
    pending: list[Stop] = []
    pending_emissions: list[EmissionItem] = []
    chokepoints: list[str] = []
    time_h = graph.time_h_for(q.crew)
    for e in edges:
        info = graph.info[e]
        chokepoints.extend(sorted(graph.edge_chokepoints[e]))
        pending_emissions.extend(graph.emission_items[e])
        stops = [
            Stop(p.hub, p.component, p.time_h.typ, p.time_h.min, p.time_h.max, p.cost_usd, p.note, p.group, p.timetable)
            for p in info.parts
            if p.component not in ("moving", "rest")
        ]
        if info.link is None:
            pending.extend(stops)
            continue
        link = info.link
        a, b = (link.from_hub, link.to_hub) if info.forward else (link.to_hub, link.from_hub)
        moving = [p.time_h for p in info.parts if p.component == "moving"]
        moving_h = sum(r.typ for r in moving)
        driving = router.costs.modes[link.mode].driving_hours(q.crew) if graph.rest_h[q.crew][e] > 0 else None
        before = tuple(pending)
        pending = []
        countries = tuple(dict.fromkeys([hubs[a].country, *link.countries, hubs[b].country]))
        legs.append(
            Leg(
                link_id=link.id,
                mode=link.mode.value,
                origin=a,
                destination=b,
                origin_name=hubs[a].name,
                destination_name=hubs[b].name,
                distance_km=float(graph.distance_km[e]),
                moving_h=moving_h,
                time_h=float(time_h[e]) + sum(s.time_h for s in before),
                cost_usd=float(graph.cost_usd[e]) + sum(s.cost_usd for s in before),
                co2_kg=float(graph.co2_kg[e]),
                corridors=link.corridors,
                countries=countries,
                layer=link.layer,
                geometry=link.geometry if info.forward else reverse(link.geometry),
                stops_before=router.with_seasons(before + tuple(stops), link.mode.value),
                emissions=tuple(pending_emissions),
                moving_h_min=sum(r.min for r in moving),
                moving_h_max=sum(r.max for r in moving),
                driving_h_per_day=None if driving is None else (driving.min, driving.typ, driving.max),
                approximate=link.id in router.approximate_links,
            )
        )
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
