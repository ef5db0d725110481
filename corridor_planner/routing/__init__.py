"""From a dataset to routes: costs, emissions (ISO 14083), the routing graph, query options, the Router, search, assembly, diagnosis.

Data flows one way: :class:`~corridor_planner.model.Dataset` ->
:class:`~corridor_planner.routing.router.Router` (owns the
:class:`~corridor_planner.routing.graph.RoutingGraph`) ->
:class:`~corridor_planner.routing.route.Route`.
"""

from .query import OBJECTIVES, REQUIREMENT_KINDS, TIE_BREAK, Query
from .route import Leg, Route, Stop
from .router import Router

__all__ = ["OBJECTIVES", "REQUIREMENT_KINDS", "TIE_BREAK", "Leg", "Query", "Route", "Router", "Stop"]
