"""Synthetic base layers for the scale benchmark and the tests (not a benchmark itself).

:func:`grid_layer_frame` draws a k x k grid of junctions 0.05 degree apart; every grid edge is one line of
three vertices (its middle vertex nudged off the straight line), so the file has 2k(k-1) lines and its
layer 4k(k-1) segment links, half of them merged away by the degree-2 simplification. Rows are rail,
columns alternate road and rail; the west half is in KZ, the east half in UZ.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def side_for(links: int) -> int:
    """The grid side whose layer has about ``links`` segment links."""
    return max(2, round((1 + math.sqrt(1 + links)) / 2))


def grid_layer_frame(k: int, seed: int = 0) -> Any:
    """A GeoDataFrame of the grid's lines (``mode``, ``country``, ``two_way``), vectorised."""
    import geopandas as gpd
    import shapely

    rng = np.random.default_rng(seed)
    step = 0.05
    grid_i, grid_j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    i, j = grid_i.ravel(), grid_j.ravel()
    horizontal = i < k - 1
    vertical = j < k - 1
    a_i = np.concatenate([i[horizontal], i[vertical]])
    a_j = np.concatenate([j[horizontal], j[vertical]])
    b_i = a_i + np.concatenate([np.ones(horizontal.sum(), int), np.zeros(vertical.sum(), int)])
    b_j = a_j + np.concatenate([np.zeros(horizontal.sum(), int), np.ones(vertical.sum(), int)])
    lon0, lat0 = 60.0 + a_i * step, 40.0 + a_j * step
    lon2, lat2 = 60.0 + b_i * step, 40.0 + b_j * step
    nudge = rng.uniform(-0.2, 0.2, len(a_i)) * step
    lon1 = (lon0 + lon2) / 2 + np.where(a_i == b_i, nudge, 0.0)
    lat1 = (lat0 + lat2) / 2 + np.where(a_j == b_j, nudge, 0.0)
    coords = np.stack([np.column_stack([lon0, lat0]), np.column_stack([lon1, lat1]), np.column_stack([lon2, lat2])],
                      axis=1).reshape(-1, 2)  # fmt: skip
    lines = shapely.linestrings(coords, indices=np.repeat(np.arange(len(a_i)), 3))
    is_row = a_j == b_j
    mode = np.where(is_row | (a_i % 2 == 0), "rail", "road")
    country = np.where(np.maximum(a_i, b_i) < k // 2 + 1, "KZ", "UZ")
    return gpd.GeoDataFrame(
        {"mode": mode, "country": country, "two_way": np.ones(len(a_i), dtype=bool)}, geometry=lines, crs="EPSG:4326"
    )


def grid_hubs(k: int, n: int, seed: int = 1) -> list[Any]:
    """``n`` hubs at random junctions of the grid, nudged up to ~500 m off them."""
    import corridor_planner as cp

    rng = np.random.default_rng(seed)
    cells = rng.choice(k * k, size=n, replace=False)
    hubs = []
    for h, cell in enumerate(cells.tolist()):
        i, j = divmod(cell, k)
        lon, lat = 60.0 + i * 0.05 + rng.uniform(-0.004, 0.004), 40.0 + j * 0.05 + rng.uniform(-0.004, 0.004)
        hubs.append(cp.Hub(f"h{h}", f"Hub {h}", "KZ", "city", float(lon), float(lat)))
    return hubs
