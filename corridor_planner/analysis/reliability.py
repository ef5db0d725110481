"""Choosing a route by its reliability: the best 90th percentile of transit time among the alternatives.

The search minimises sums of typical values; a percentile of a sum is not a sum of
percentiles, so ``optimize="p90_time"`` is answered here, in the analysis layer: the
genuinely different alternatives for time (:func:`~corridor_planner.analysis.alternatives.alternatives`)
are drawn by Monte Carlo (:meth:`Route.distribution <corridor_planner.routing.route.Route.distribution>`)
and the one with the lowest 90th percentile wins (ties: the lower typical time).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InvalidQueryError
from .alternatives import alternatives

if TYPE_CHECKING:  # pragma: no cover
    from ..routing.query import Query
    from ..routing.route import Route
    from ..routing.router import Router

P90_TIME = "p90_time"
"""The ``optimize`` value that picks the alternative with the best 90th percentile of transit days."""
RELIABILITY_CANDIDATES = 5
"""How many alternatives (by typical time) ``optimize="p90_time"`` compares."""


def quantile_days(route: Route, quantile: float) -> float:
    """The ``quantile`` of the route's transit days (the cached default draw for 0.1, 0.5 and 0.9)."""
    if not isinstance(quantile, (int, float)) or isinstance(quantile, bool) or not 0 < quantile < 1:
        raise InvalidQueryError(f"quantile must be a number strictly between 0 and 1, not {quantile!r}")
    cached = {0.1: "p10_days", 0.5: "p50_days", 0.9: "p90_days"}.get(float(quantile))
    if cached is not None:
        return float(getattr(route, cached))
    return float(np.quantile(route.distribution(), quantile))


def rank_by_reliability(routes: list[Route], quantile: float = 0.9) -> list[Route]:
    """``routes`` sorted by their ``quantile`` of transit days, then by typical days."""
    return sorted(routes, key=lambda r: (quantile_days(r, quantile), r.transit_days))


def most_reliable(router: Router, q: Query, *, k: int = RELIABILITY_CANDIDATES, quantile: float = 0.9) -> Route:
    """Among up to ``k`` alternatives for time, the route with the lowest ``quantile`` of transit days.

    Raises
    ------
    NoRouteError
        No route satisfies ``q``.
    """
    candidates = alternatives(router, replace(q, optimize="time"), k)
    best = rank_by_reliability(candidates, quantile)[0]
    return replace(best, optimize=P90_TIME if quantile == 0.9 else f"p{quantile * 100:g}_time")
