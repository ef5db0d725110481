"""Records from pandas DataFrames and GeoDataFrames (missing cells, numpy scalars, CRS)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shapely.geometry.base import BaseGeometry

from ..errors import NetworkValidationError, Problem
from ..text import shown
from .geojson import geojson_geometry

# --------------------------------------------------------------------------- data frames and GeoPackages


def _clean_cell(value: Any) -> Any:
    """A cell of a data frame as a plain Python value: NaN, None and NA are missing (``None``)."""
    import numpy as np
    import pandas as pd

    if value is None or isinstance(value, (str, bool, BaseGeometry, Mapping)):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_clean_cell(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.generic):
        return value.item()
    return value


def records_from_frame(frame: Any) -> list[dict[str, Any]]:
    """The rows of a DataFrame or GeoDataFrame as flat records for :func:`dataset_from_records`.

    Missing cells (NaN, None, NA) are left out, so they count as missing
    values; numpy scalars become Python values. A GeoDataFrame's active
    geometry becomes the ``geometry`` of each record (GeoJSON, reprojected to
    EPSG:4326 when the frame has another CRS); a frame without CRS is taken
    to be in EPSG:4326. The frame is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> records_from_frame(pd.DataFrame({"id": ["a", "b"], "speed_kmh": [50.0, float("nan")]}))
    [{'id': 'a', 'speed_kmh': 50.0}, {'id': 'b'}]
    """
    import geopandas as gpd

    geometries: list[Any] | None = None
    columns = list(frame.columns)
    try:
        series = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else None
    except AttributeError:  # a GeoDataFrame without an active geometry column
        series = None
    if series is not None:
        geo_name = series.name
        if series.crs is not None and series.crs.to_epsg() != 4326:
            series = series.to_crs("EPSG:4326")
        geometries = [geojson_geometry(g) for g in series]
        columns = [c for c in columns if c != geo_name]
    records = []
    for i, row in enumerate(frame[columns].itertuples(index=False, name=None)):
        record = {str(k): v for k, v in zip(columns, (_clean_cell(v) for v in row), strict=True) if v is not None}
        if geometries is not None and geometries[i] is not None:
            record["geometry"] = geometries[i]
        records.append(record)
    return records


def as_records(items: Any, what: str = "records") -> list[Mapping[str, Any]]:
    """Records from a (Geo)DataFrame (see :func:`records_from_frame`) or an iterable of mappings.

    Raises
    ------
    NetworkValidationError
        When ``items`` is neither (text, a single mapping, a number...), naming ``what``.
    """
    if items is None:
        return []
    if hasattr(items, "columns") and hasattr(items, "itertuples"):
        return list(records_from_frame(items))  # a new list[Mapping], for the type checker
    if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Iterable):
        raise NetworkValidationError(
            [Problem(what, "", "", f"must be a (Geo)DataFrame or a list of records (mappings), not {shown(items)}")],
            what,
        )
    return list(items)
