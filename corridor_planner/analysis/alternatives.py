"""Genuinely different alternative routes.

``k`` shortest paths (Yen) on a corridor network mostly return the same
corridor with one station swapped. An analyst asks another question: *what are
the other ways to go?* -- through other countries, past other chokepoints.

So alternatives are searched over *bans* instead of paths. The best route is
found first; then, for every route found, each country it transits and each
chokepoint it passes is banned in turn (on top of the bans that produced it),
and the best route under those bans becomes a candidate. Candidates are taken
best first; one whose *signature* (its main corridors -- the fewest that carry
85 % of its distance, :attr:`Route.main_corridors` -- and the chokepoints it passes) was already taken is
not a new option (the same corridor with a station or a border swapped) and is
skipped with its bans. The search stops after ``k`` options or ``max_searches`` searches.

Every option is a simple path (:func:`~corridor_planner.routing.search.search`
repairs one that comes back to a hub); one with a detour stage (a ship sailing
far longer than the way between its ends, :func:`~corridor_planner.routing.labels.has_detour`,
e.g. Piraeus to Rotterdam round the Cape) is not offered, though its bans are
explored. The options get labels unique in the set and a one-line reason
(:func:`~corridor_planner.routing.labels.distinguish`).
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import NoRouteError
from ..routing.assemble import build_route
from ..routing.diagnose import diagnose
from ..routing.labels import distinguish, has_detour
from ..routing.search import search

if TYPE_CHECKING:  # pragma: no cover
    from ..routing.query import Query
    from ..routing.route import Route
    from ..routing.router import Router


Ban = tuple[str, str]  # ("country", "RU") or ("chokepoint", "caspian")


def signature(route: Route) -> tuple[frozenset[str], frozenset[str]]:
    """What makes two routes different options: their main corridors and the chokepoints they pass."""
    return frozenset(route.main_corridors), frozenset(route.chokepoints)


def objective_value(route: Route, q: Query) -> float:
    """The route's value of the query's objective (in days, km, USD, kg)."""
    totals = {
        "time": route.transit_days,
        "distance": route.distance_km,
        "cost": route.cost_usd,
        "co2": route.co2_kg,
        "co2e": route.co2e_kg,
    }
    if isinstance(q.optimize, str):
        return totals[q.optimize]
    return sum(w * totals[c] for c, w in q.optimize)


MAX_PER_FAMILY = 2
"""How many alternatives of one family (see :func:`family`) come before a route of another family."""


def family(route: Route) -> frozenset[str]:
    """The way a route goes, coarsely: the chokepoints it passes (none for an overland route).

    Overland through Russia or Mongolia, across the Caspian, or by sea through
    Malacca and Suez are different families; two gateways of the same overland
    way are one. :func:`alternatives` shows at most :data:`MAX_PER_FAMILY` of a
    family before the other families, so an analyst sees the other ways to go.
    """
    return frozenset(route.chokepoints)


def _banned(q: Query, bans: frozenset[Ban]) -> Query:
    return replace(
        q,
        avoid_countries=q.avoid_countries | {name for kind, name in bans if kind == "country"},
        avoid_chokepoints=q.avoid_chokepoints | {name for kind, name in bans if kind == "chokepoint"},
    )


def _features(router: Router, q: Query, route: Route) -> list[Ban]:
    ends = {router.hubs[q.origin].country, router.hubs[q.destination].country}
    required = {name for kind, name in q.require if kind in ("country", "chokepoint")}
    bans: list[Ban] = [("country", c) for c in route.countries if c not in ends and c not in required]
    bans += [("chokepoint", c) for c in route.chokepoints if c not in required]
    return bans


MAX_SEARCHES = 120
"""Route searches one :func:`alternatives` call may run (0.2 s for Beijing -> Duisburg, k=6). With 165 hubs a
route crosses more countries to ban one at a time, and 60 searches no longer reached a sixth way to go."""


def alternatives(router: Router, q: Query, k: int = 5, *, max_searches: int = MAX_SEARCHES) -> list[Route]:
    """Up to ``k`` routes with distinct signatures for ``q``, best first.

    Raises
    ------
    InvalidQueryError
        ``k`` is not a positive integer.
    NoRouteError
        Not even the best route exists (the message says why).
    """
    from ..errors import InvalidQueryError

    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise InvalidQueryError(f"k must be a positive integer, not {k!r}")
    path = search(router, q)
    if path is None:
        raise diagnose(router, q)
    counter = itertools.count()
    first = build_route(router, q, path)
    heap: list[tuple[float, int, Route, frozenset[Ban]]] = [
        (objective_value(first, q), next(counter), first, frozenset())
    ]
    tried: set[frozenset[Ban]] = {frozenset()}
    taken: set[tuple[frozenset[str], frozenset[str]]] = set()
    found: list[Route] = []
    deferred: list[Route] = []
    searches = 1
    while heap and len(found) < k:
        _, _, route, bans = heapq.heappop(heap)
        sig = signature(route)
        if sig in taken:
            continue  # the same option again: its variants were explored from the first of them
        taken.add(sig)
        if not found or not has_detour(route):
            if sum(family(r) == family(route) for r in found) >= MAX_PER_FAMILY:
                deferred.append(route)  # a third variant of one way to go waits behind the other ways
            else:
                found.append(route)
        for ban in _features(router, q, route):
            more = bans | {ban}
            if more in tried or searches >= max_searches:
                continue
            tried.add(more)
            searches += 1
            banned = _banned(q, more)
            path = search(router, banned)
            if path is None:
                continue
            alt = build_route(router, banned, path)
            heapq.heappush(heap, (objective_value(alt, q), next(counter), alt, more))
    found += deferred[: k - len(found)]
    found.sort(key=lambda r: objective_value(r, q))
    if not found:  # pragma: no cover - the first route is always taken
        raise NoRouteError(q.origin, q.destination, ["no alternative found"])
    return distinguish(found, f"the best by {q.objective_label}")
