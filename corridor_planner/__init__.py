"""corridor_planner: freight routes across the Eurasian transport corridors of the SCO region.

Examples
--------
>>> import corridor_planner as cp
>>> net = cp.load_network()
>>> route = net.plan("Beijing", "Baku")
>>> route.transit_days > 10
True
"""

from .analysis.compare import compare, sweep
from .analysis.montecarlo import percentiles
from .analysis.scenario import Scenario, list_scenarios, load_scenario
from .errors import (
    CorridorPlannerError,
    InvalidQueryError,
    MissingDependencyError,
    NetworkValidationError,
    NoRouteError,
    Problem,
    ScenarioError,
    UnknownLocationError,
)
from .io.baselayer import read_layer
from .model.baselayer import BaseLayer
from .model.records import SCO_FAMILY, SCO_MEMBERS, CountryGroup, Hub, Link, Mode, Status
from .network import Network, load_network
from .routing.costs import COMPONENTS, TONNES_PER_TEU
from .routing.query import OBJECTIVES, Query
from .routing.route import Leg, Route, Stop
from .viz import plot_routes, timeline

__version__ = "0.1.0"

__all__ = [
    "COMPONENTS",
    "OBJECTIVES",
    "SCO_FAMILY",
    "SCO_MEMBERS",
    "TONNES_PER_TEU",
    "BaseLayer",
    "CorridorPlannerError",
    "CountryGroup",
    "Hub",
    "InvalidQueryError",
    "Leg",
    "Link",
    "MissingDependencyError",
    "Mode",
    "Network",
    "NetworkValidationError",
    "NoRouteError",
    "Problem",
    "Query",
    "Route",
    "Scenario",
    "ScenarioError",
    "Status",
    "Stop",
    "UnknownLocationError",
    "compare",
    "list_scenarios",
    "load_network",
    "load_scenario",
    "percentiles",
    "plot_routes",
    "read_layer",
    "sweep",
    "timeline",
]
