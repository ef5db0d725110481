"""Why a query has no route: which constraint alone blocks it, or which links are missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import NoRouteError
from ..model.records import Status
from .assemble import build_route
from .graph import AFTER_EVERYTHING
from .query import ANY_CARGO
from .search import search as search_path

if TYPE_CHECKING:  # pragma: no cover
    from .query import Query
    from .router import Router


def diagnose(
    router: Router,
    q: Query,
    find: Callable[[Query], list[int] | None] | None = None,
    connected: Callable[[Query], bool] | None = None,
) -> NoRouteError:
    """Explain why ``q`` has no route: which constraint, alone, blocks it, or which links are missing.

    ``find(relaxed)``, when given, answers the searches of relaxed queries instead of
    :func:`~corridor_planner.routing.search.search` (it must give the same paths: a matrix answers
    them for many pairs at once, :class:`~corridor_planner.routing.matrix.BatchSearch`).
    ``connected(query)``, when given, tells whether any path joins the query's ends under its
    constraints (``via`` and requirements aside); when even the query with every constraint lifted
    has none, no relaxation is searched (each would find nothing).
    """
    everything = q.changed(
        avoid_countries=frozenset(), avoid_modes=frozenset(), avoid_hubs=frozenset(),
        avoid_chokepoints=frozenset(), avoid_corridors=frozenset(), within=None, via=(), require=(),
        cargo=ANY_CARGO, as_of=AFTER_EVERYTHING,
    )  # fmt: skip
    if connected is not None and not connected(everything):
        search: Callable[[Query], list[int] | None] = lambda relaxed: None  # each relaxation lifts less
    elif find is None:
        search = lambda relaxed: search_path(router, relaxed)
    else:
        search = find

    reasons: list[str] = []
    relaxations: list[tuple[str, dict[str, Any], Any]] = [
        ("avoid_countries", {"avoid_countries": frozenset()}, q.avoid_countries),
        ("avoid_modes", {"avoid_modes": frozenset()}, q.avoid_modes),
        ("avoid_hubs", {"avoid_hubs": frozenset()}, q.avoid_hubs),
        ("avoid_chokepoints", {"avoid_chokepoints": frozenset()}, q.avoid_chokepoints),
        ("avoid_corridors", {"avoid_corridors": frozenset()}, q.avoid_corridors),
        ("within", {"within": None}, q.within or frozenset()),
        ("via", {"via": ()}, tuple(h if m is None else f"{h} by {m}" for h, m in q.via)),
        ("require", {"require": ()}, tuple(f"{kind}:{name}" for kind, name in q.require)),
        ("cargo", {"cargo": ANY_CARGO}, q.cargo),
    ]
    for name, change, active in relaxations:
        if not active:
            continue
        relaxed = q.changed(**change)  # made only for the constraints in force (a matrix diagnoses many pairs)
        path = search(relaxed)
        if path is not None:
            route = build_route(router, relaxed, path)
            value: object = (
                sorted(active)
                if isinstance(active, frozenset)
                else (list(active) if isinstance(active, tuple) else q.cargo)
            )
            if name == "within":
                value = f"{len(active)} countries"
            if name == "cargo":
                carried = sorted({c for leg in route.legs for c in router.links[leg.link_id].cargo})
                reasons.append(
                    f"cargo={q.cargo!r} is not carried by the links that connect them (they carry {', '.join(carried)})"
                )
                continue
            reasons.append(
                f"{name}={value!r} blocks every route (without it: {route.transit_days:.1f} days via "
                f"{', '.join(route.hubs[1:-1][:5]) or 'a direct link'})"
            )
    anytime = q.changed(as_of=AFTER_EVERYTHING)
    path = search(anytime)
    if path is not None:
        route = build_route(router, anytime, path)
        links = router.links
        needed = [links[i] for i in route.link_ids if not links[i].is_open(q.as_of)]
        later = [k for k in needed if k.status is not Status.CLOSED]
        closed = [k for k in needed if k.status is Status.CLOSED]
        if later:
            names = ", ".join(f"{k.id} ({k.status.value}{f', opens {k.opens}' if k.opens else ''})" for k in later)
            reasons.append(f"as_of={q.as_of}: the route would need links not open yet: {names}")
        if closed:
            by = f" (scenarios applied: {', '.join(router.dataset.scenarios)})" if router.dataset.scenarios else ""
            names = ", ".join(k.id for k in closed[:6]) + (", ..." if len(closed) > 6 else "")
            reasons.append(f"the route would need closed links{by}: {names}")
    for kind, name in q.require:
        if len(router.graph.edges_by(kind).get(name, ())) == 0:
            reasons.append(f"require: no link or hub of this network belongs to {kind} {name!r}")
    if not reasons:
        if search(everything) is not None:
            reasons.append("the constraints together block every route, though none does alone")
        else:
            reasons.append(
                f"no links connect them at all (modes at {q.origin}: "
                f"{', '.join(sorted(m.value for m in router.graph.modes_at(q.origin))) or 'none'}; "
                f"at {q.destination}: {', '.join(sorted(m.value for m in router.graph.modes_at(q.destination))) or 'none'})"
            )
    return NoRouteError(q.origin, q.destination, reasons)
