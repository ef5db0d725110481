"""Pictures: static maps and timelines (matplotlib), web maps (folium); the ``plot`` extra.

Nothing in the package imports this at module level: ``Route.plot()``,
``Network.explore()`` and friends import it when called, and matplotlib and
folium are imported only when a picture is drawn.
"""

from .maps import plot_network, plot_route, plot_routes
from .style import close
from .timeline import timeline, timeline_segments
from .web import explore_network, explore_route

__all__ = [
    "close",
    "explore_network",
    "explore_route",
    "plot_network",
    "plot_route",
    "plot_routes",
    "timeline",
    "timeline_segments",
]
