"""What-if analysis on top of routing: scenarios, comparisons and sweeps, alternatives."""

from .compare import compare, sweep
from .scenario import Scenario, list_scenarios, load_scenario

__all__ = ["Scenario", "compare", "list_scenarios", "load_scenario", "sweep"]
