"""corridor_planner: freight routes across the Eurasian transport corridors of the SCO region.

Examples
--------
>>> import corridor_planner as cp
>>> net = cp.load_network()
>>> route = net.plan("Beijing", "Baku")
>>> route.transit_days > 10
True
"""

from .costs import COMPONENTS, TONNES_PER_TEU
from .errors import (
    CorridorPlannerError,
    InvalidQueryError,
    NetworkValidationError,
    NoRouteError,
    Problem,
    ScenarioError,
    UnknownLocationError,
)
from .model import Hub, Link, Mode, Status
from .network import Network, load_network
from .route import Leg, Route, Stop
from .routing import OBJECTIVES, Query

__version__ = "0.1.0"

__all__ = [
    "COMPONENTS",
    "OBJECTIVES",
    "TONNES_PER_TEU",
    "CorridorPlannerError",
    "Hub",
    "InvalidQueryError",
    "Leg",
    "Link",
    "Mode",
    "Network",
    "NetworkValidationError",
    "NoRouteError",
    "Problem",
    "Query",
    "Route",
    "ScenarioError",
    "Status",
    "Stop",
    "UnknownLocationError",
    "load_network",
]
