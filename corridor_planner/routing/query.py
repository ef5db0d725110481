"""The :class:`Query`: a routing request with resolved ids, and the objectives it can minimise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from ..model.dataset import current_year

OBJECTIVES = ("time", "distance", "cost", "co2", "co2e")
"""The criteria a route can be optimised for."""

ANY_CARGO = ""
"""A query cargo that every link carries (diagnosis relaxes ``cargo`` to it)."""

TIE_BREAK = ("time", "cost", "co2", "distance")
"""After the objective, ties go to the better route by these criteria, in this order."""

REQUIREMENT_KINDS = ("hub", "corridor", "chokepoint", "country")
"""What ``require_*`` options can name: a route must use at least one edge of each."""

Objective = str | tuple[tuple[str, float], ...]
"""A single criterion, or (criterion, weight) pairs summed into a generalised cost."""

WEIGHT_SCALE = {"time": 1.0 / 24.0, "distance": 1.0, "cost": 1.0, "co2": 1.0, "co2e": 1.0}
"""Weights apply to route totals in days, km, USD, kg CO2 and kg CO2e (edges carry hours, hence 1/24 for time)."""


@dataclass(frozen=True)
class Query:
    """A routing query with resolved hub ids; every field hashable.

    ``optimize`` is a criterion of :data:`OBJECTIVES` or a tuple of
    ``(criterion, weight)`` pairs (a generalised cost: weights per day, km, USD,
    kg CO2 and kg CO2e). ``within`` is ``None`` (anywhere) or the countries a route may
    enter. ``require`` holds ``(kind, id)`` pairs (kinds in
    :data:`REQUIREMENT_KINDS`): the route must pass each, in any order.
    """

    origin: str
    destination: str
    optimize: Objective = "time"
    via: tuple[tuple[str, str | None], ...] = ()
    avoid_countries: frozenset[str] = frozenset()
    avoid_modes: frozenset[str] = frozenset()
    avoid_hubs: frozenset[str] = frozenset()
    avoid_chokepoints: frozenset[str] = frozenset()
    avoid_corridors: frozenset[str] = frozenset()
    within: frozenset[str] | None = None
    require: tuple[tuple[str, str], ...] = ()
    cargo: str = "container"
    """The cargo class; :data:`ANY_CARGO` lets every link carry it (used when explaining a missing route)."""
    as_of: int = field(default_factory=current_year)
    """The year of the network: links that open later are not used (default: the current year)."""
    crew: int = 1
    """Drivers per truck: 1, or 2 (multi-manning: trucks stop less; only the time of road links changes)."""

    def changed(self, **changes: object) -> Query:
        """``dataclasses.replace(self, **changes)``, cheaper (a matrix makes one query per cell and relaxation).

        The fields are copied instead of passed through ``__init__`` (which checks nothing); the
        :attr:`constraints` made for this query are kept when only the ends, objective, via or
        requirements change.
        """
        unknown = set(changes) - _FIELDS
        if unknown:
            raise TypeError(f"Query has no field {sorted(unknown)[0]!r}")
        state = dict(self.__dict__)
        if not changes.keys() <= _NOT_CONSTRAINTS:
            state.pop("constraints", None)
        state.update(changes)
        new = object.__new__(Query)
        new.__dict__.update(state)
        return new

    @cached_property
    def constraints(self) -> Query:
        """This query without its ends, objective, via and requirements: what decides which edges it may use.

        Made once per query (the caches of the router are keyed by it); not a field, so not compared.
        """
        return replace(self, origin="", destination="", optimize="time", via=(), require=())

    @property
    def objective_label(self) -> str:
        if isinstance(self.optimize, str):
            return self.optimize
        return " + ".join(f"{w:g}*{c}" for c, w in self.optimize)


_FIELDS = frozenset(f.name for f in fields(Query))
_NOT_CONSTRAINTS = frozenset(("origin", "destination", "optimize", "via", "require"))
"""The fields of a query its :attr:`Query.constraints` leave out."""


def objective_column(criteria: Mapping[str, npt.NDArray[np.float64]], optimize: Objective) -> npt.NDArray[np.float64]:
    """Per-edge values of an objective: a criterion's own column, or the weighted sum (weights per day, km, USD, kg)."""
    if isinstance(optimize, str):
        return criteria[optimize]
    return np.asarray(sum(w * WEIGHT_SCALE[c] * criteria[c] for c, w in optimize), dtype=float)


def tie_order(optimize: Objective) -> tuple[str, ...]:
    """The criteria that break ties after the objective."""
    first = optimize if isinstance(optimize, str) else ""
    return tuple(c for c in TIE_BREAK if c != first)[:3]
