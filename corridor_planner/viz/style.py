"""What every picture shares: colours by mode and component, markers, the matplotlib set-up and text helpers."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


INSTALL_HINT = 'pip install "corridor_planner[plot]"'
"""The command that installs the plotting libraries."""

MODE_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "rail": "#CC3311",  # red
        "road": "#EE7733",  # orange
        "sea": "#0077BB",  # blue
        "air": "#EE3377",  # magenta
        "pipeline": "#009988",  # teal
    }
)
"""The colour of each mode, on maps and for the moving segments of timelines (Tol "vibrant")."""

COMPONENT_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "rest": "#BBBBBB",  # grey: a truck driver's rest
        "border": "#332288",  # indigo
        "gauge_change": "#999933",  # olive
        "transfer": "#DDCC77",  # sand
        "transshipment": "#117733",  # green
        "waiting": "#AA4499",  # purple
        "port_dwell": "#88CCEE",  # light blue
        "port_call": "#882255",  # wine
        "canal_transit": "#664400",  # brown
    }
)
"""The colour of each stop component of :data:`corridor_planner.routing.costs.COMPONENTS` (Tol "muted"); ``moving`` takes the mode's colour."""

ROUTE_COLORS: tuple[str, ...] = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#555555")
"""The colours of the routes compared by :func:`plot_routes` (Tol "bright"), in order."""

ROUTE_LINESTYLES: tuple[Any, ...] = ("-", (0, (6, 2)), (0, (6, 2, 1.5, 2)), (0, (1.5, 1.5)))
"""The line styles of the routes compared by :func:`plot_routes`, in order."""

TRANSFER_COMPONENTS = frozenset({"transfer", "gauge_change", "transshipment"})
"""Stop components that make a hub a transfer point on maps."""

OTHER_COLOR = "#777777"
LAND_COLOR = "#F3F1EC"
SEA_COLOR = "#E4EEF5"
OUTLINE_COLOR = "#A8A8A8"
INK = "#222222"
TRANSFER_MARKER = {"marker": "D", "color": "#DDCC77"}
BORDER_MARKER = {"marker": "X", "color": "#332288"}

# --------------------------------------------------------------------------- optional libraries


def require_module(module: str, what: str) -> ModuleType:
    """Import an optional library, or raise :class:`MissingDependencyError` saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(
            f"{what} need the optional library {module!r}, which is not installed; install the plotting extras "
            f"with: {INSTALL_HINT}",
            name=module,
        ) from exc


def _headless() -> bool:
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def _backend_unset(mpl: ModuleType) -> bool:
    if os.environ.get("MPLBACKEND"):
        return False
    try:
        # third-party private: matplotlib has no public way to ask whether a backend was chosen
        sentinel = mpl.rcsetup._auto_backend_sentinel  # third-party private: see above
        return dict.__getitem__(mpl.rcParams, "backend") is sentinel  # type: ignore[no-any-return]
    except (AttributeError, KeyError):  # pragma: no cover - a matplotlib without the sentinel
        return False


def load_pyplot() -> ModuleType:
    """matplotlib.pyplot, with the Agg backend when no backend is chosen and there is no screen."""
    mpl = require_module("matplotlib", "maps and timelines")
    if "matplotlib.pyplot" not in sys.modules and _backend_unset(mpl) and _headless():
        mpl.use("Agg")
    return importlib.import_module("matplotlib.pyplot")


def close(ax_or_fig: Any) -> None:
    """Close the figure of an Axes (or a Figure) that a plotting function created, freeing its memory.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> ax = cp.load_network().plan("Beijing", "Baku").timeline()
    >>> cp.viz.close(ax)
    """
    plt = load_pyplot()
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    plt.close(fig)


def new_axes(ax: Axes | None, figsize: tuple[float, float], dpi: float | None) -> Axes:
    if ax is not None:
        return ax
    plt = load_pyplot()
    fig = plt.figure(figsize=figsize, dpi=dpi, layout="constrained")
    new: Axes = fig.add_subplot()
    return new


def tex_escape(text: str) -> str:
    """Text from data, safe from matplotlib's mathtext (``$`` would start a formula)."""
    return str(text).replace("$", r"\$")


def shorten(name: str, limit: int = 26) -> str:
    """A hub name short enough for a map label: a long name loses its parenthesis, then its tail.

    Examples
    --------
    >>> shorten("Alat (Baku International Sea Trade Port)"), shorten("Beijing (Fangshan)")
    ('Alat', 'Beijing (Fangshan)')
    """
    if len(name) > limit and "(" in name:
        name = name.split("(", 1)[0].strip() or name
    return name if len(name) <= limit + 4 else name[: limit + 3].rstrip() + "…"


def ink_on(color: str) -> str:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else INK
