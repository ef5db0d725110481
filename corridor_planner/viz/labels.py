"""Point labels beside their markers: candidate positions around each point, greedy, with collision checks.

Labels are placed most important first. Each tries positions close to its
point (right, left, above, below, the diagonals), then the same directions
farther out with a leader line back to the point; a position is taken if the
label lies inside the axes and overlaps no placed label, no marker and no
reserved box (legend, scale bar). A label that fits nowhere is left out
rather than drawn where it could be read as another point's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .style import INK, shorten, tex_escape

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

NEAR_PT = 4.0
"""Gap in points between a marker and a label set right beside it (no leader line)."""

LEADER_RINGS_PT = (16.0, 28.0, 42.0)
"""Distances in points at which a displaced label is tried, with a leader line."""

MARKER_RADIUS_PT = 4.5
"""The half-size in points of the box each marker keeps free of labels."""

# (direction x, direction y, horizontal alignment, vertical alignment), best first
_DIRECTIONS = (
    (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
    (0.75, 0.75, "left", "bottom"),
    (-0.75, 0.75, "right", "bottom"),
    (0.75, -0.75, "left", "top"),
    (-0.75, -0.75, "right", "top"),
)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in display pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def grow(self, d: float) -> Box:
        """The box with ``d`` pixels of air on every side."""
        return Box(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def inside(self, other: Box) -> bool:
        return self.x0 >= other.x0 and self.x1 <= other.x1 and self.y0 >= other.y0 and self.y1 <= other.y1


def _box_at(px: float, py: float, w: float, h: float, ha: str, va: str) -> Box:
    x0 = px if ha == "left" else px - w if ha == "right" else px - w / 2
    y0 = py if va == "bottom" else py - h if va == "top" else py - h / 2
    return Box(x0, y0, x0 + w, y0 + h)


def renderer_of(fig: Any) -> Any:
    """The figure's renderer; a bare ``Figure`` (no pyplot, a canvas without one) is given an Agg canvas."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _halo() -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.5, foreground="white")]


def place_labels(
    ax: Axes,
    items: Sequence[tuple[float, float, str, bool]],
    *,
    markers: Sequence[tuple[float, float]] = (),
    reserved: Sequence[Any] = (),
    fontsize: float = 8,
) -> list[Any]:
    """Label points (map coordinates) beside their markers, most important first; returns the annotations drawn.

    ``items`` are ``(x, y, text, bold)``; ``markers`` every drawn point (map
    coordinates) that labels must not cover; ``reserved`` display-space boxes
    (matplotlib ``Bbox``) kept free, e.g. the legend. The axes' view must be
    final (see :func:`corridor_planner.viz.basemap.settle_axes`). Each
    annotation has gid ``hub-label``; one moved away from its point has a
    leader line (``annotation.arrow_patch``).
    """
    import numpy as np

    fig = ax.figure
    renderer = renderer_of(fig)
    px_per_pt = fig.dpi / 72.0  # type: ignore[union-attr]
    a = ax.get_window_extent(renderer)
    frame = Box(a.x0 + 2, a.y0 + 2, a.x1 - 2, a.y1 - 2)
    r = MARKER_RADIUS_PT * px_per_pt
    to_px = ax.transData.transform
    marker_boxes = [Box(x - r, y - r, x + r, y + r) for x, y in (to_px(np.asarray(markers)) if markers else [])]
    taken: list[Box] = [Box(b.x0, b.y0, b.x1, b.y1) for b in reserved]
    kept: list[Any] = []
    seen: set[tuple[float, float, str]] = set()
    for x, y, text, bold in items:
        key = (round(x, 3), round(y, 3), text)
        if key in seen:
            continue
        seen.add(key)
        px, py = (float(v) for v in to_px((x, y)))
        if not (frame.x0 <= px <= frame.x1 and frame.y0 <= py <= frame.y1):
            continue
        artist = ax.annotate(
            tex_escape(shorten(text)),
            (x, y),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=fontsize,
            fontweight="bold" if bold else "normal",
            color=INK,
            zorder=8,
            path_effects=_halo(),
            annotation_clip=True,
            gid="hub-label",
        )
        artist.set_in_layout(False)
        ext = artist.get_window_extent(renderer)
        w, h = ext.width, ext.height
        own = Box(px - r, py - r, px + r, py + r)
        choice = None
        for ring, dist in enumerate((NEAR_PT + MARKER_RADIUS_PT, *LEADER_RINGS_PT)):
            for dx, dy, ha, va in _DIRECTIONS:
                ox, oy = dx * dist, dy * dist
                # a little air on every side, so that neighbours facing each other keep apart too
                box = _box_at(px + ox * px_per_pt, py + oy * px_per_pt, w, h, ha, va).grow(2.0)
                if not box.inside(frame) or box.overlaps(own) or any(box.overlaps(t) for t in taken):
                    continue
                if any(box.overlaps(m) for m in marker_boxes):
                    continue
                choice = (ring, ox, oy, ha, va, box)
                break
            if choice:
                break
        if choice is None:
            artist.remove()
            continue
        ring, ox, oy, ha, va, box = choice
        artist.remove()
        artist = ax.annotate(
            tex_escape(shorten(text)),
            (x, y),
            xytext=(ox, oy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
            fontweight="bold" if bold else "normal",
            color=INK,
            zorder=8,
            path_effects=_halo(),
            annotation_clip=True,
            gid="hub-label",
            arrowprops=None
            if ring == 0
            else {
                "arrowstyle": "-",
                "color": "#555555",
                "linewidth": 0.6,
                "shrinkA": 1.0,
                "shrinkB": MARKER_RADIUS_PT * 0.8,
                "relpos": (0.0 if ha == "left" else 1.0 if ha == "right" else 0.5, 0.5),
            },
        )
        artist.set_in_layout(False)
        taken.append(box)
        kept.append(artist)
    return kept


def label_distance_pt(ax: Axes, artist: Any) -> float:
    """Distance in points from a label's text box to the point it labels (0 when touching it).

    Examples
    --------
    >>> import corridor_planner as cp
    >>> ax = cp.load_network().plan("Kashgar", "Andijan", as_of=2030).plot(figsize=(6, 4))
    >>> ax.figure.canvas.draw()
    >>> all(label_distance_pt(ax, t) < 12 or t.arrow_patch is not None for t in ax.texts if t.get_gid() == "hub-label")
    True
    >>> cp.viz.close(ax)
    """
    from matplotlib.text import Text

    fig = ax.figure
    renderer = renderer_of(fig)
    box = Text.get_window_extent(artist, renderer)  # the text alone, not its leader line
    px, py = ax.transData.transform(artist.xy)
    dx = max(box.x0 - px, 0.0, px - box.x1)
    dy = max(box.y0 - py, 0.0, py - box.y1)
    return math.hypot(dx, dy) * 72.0 / fig.dpi  # type: ignore[union-attr]
