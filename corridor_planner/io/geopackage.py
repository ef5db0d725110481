"""Dataset GeoPackages: layers ``hubs``, ``links`` and one per rule table, read and written."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import NetworkValidationError, Problem
from .frames import records_from_frame
from .geojson import as_feature, hub_feature, link_feature
from .validate import HUB_FIELDS, LINK_FIELDS, TABLES, build_dataset, parse_tables
from .writing import LIST_SEPARATORS, table_rows, warn_lossy

if TYPE_CHECKING:  # pragma: no cover
    from ..model.dataset import Dataset


def read_geopackage(path: str | Path) -> Dataset:
    """Read and validate a dataset GeoPackage (as written by ``Network.to_geopackage``).

    It must hold the layers ``hubs`` (Points) and ``links`` (LineStrings);
    the rule tables are attribute-only layers named like their CSV files
    without ``.csv`` (``modes``, ``borders``...), with the same columns. As
    for a folder, a missing ``modes`` layer means the shipped one, and a
    ``sources`` layer makes every source id checked. Layers in another CRS
    are reprojected to EPSG:4326. Needs ``pyogrio`` (installed with geopandas 1.x).

    Raises
    ------
    NetworkValidationError
        Listing every problem found; the file of a problem is ``<name>.gpkg: <layer>``.
    FileNotFoundError
        When the file does not exist.
    """
    import pyogrio

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"GeoPackage {str(path)!r} does not exist")
    labels = {"hubs.geojson": f"{path.name}: hubs", "links.geojson": f"{path.name}: links"}
    labels.update({name: f"{path.name}: {name.removesuffix('.csv')}" for name in TABLES})
    try:
        layers = {str(row[0]) for row in pyogrio.list_layers(path)}
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise NetworkValidationError(
            [Problem(path.name, "", "", f"is not a readable GeoPackage: {exc}")], str(path)
        ) from None
    missing = [Problem(path.name, layer, "", "layer is missing") for layer in ("hubs", "links") if layer not in layers]
    if missing:
        raise NetworkValidationError(missing, str(path))
    problems: list[Problem] = []
    hub_feats = [as_feature(r) for r in records_from_frame(pyogrio.read_dataframe(path, layer="hubs"))]
    link_feats = [as_feature(r) for r in records_from_frame(pyogrio.read_dataframe(path, layer="links"))]
    rows = {
        name: records_from_frame(pyogrio.read_dataframe(path, layer=name.removesuffix(".csv"), read_geometry=False))
        for name in TABLES
        if name.removesuffix(".csv") in layers
    }
    tables = parse_tables(rows, problems)
    try:
        return build_dataset(
            hub_feats, link_feats, tables, problems, origin=str(path), check_sources="sources" in layers
        )
    except NetworkValidationError as err:
        relabelled = [replace(p, file=labels.get(p.file, p.file)) for p in err.problems]
        raise NetworkValidationError(relabelled, str(path)) from None


# --------------------------------------------------------------------------- a GeoPackage


def _frame_value(value: Any, column: str) -> Any:
    """A typed value as a GeoPackage column value: lists joined like in CSV, empty text as null."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATORS.get(column, ";").join(str(v) for v in value) if value else None
    return None if value == "" else value


def _layer_frame(rows: list[dict[str, Any]], columns: Iterable[str]) -> Any:
    import pandas as pd

    columns = list(columns)
    data = {c: [_frame_value(r.get(c), c) for r in rows] for c in columns}
    frame = pd.DataFrame(data, columns=columns)
    for column in columns:
        values = [v for v in data[column] if v is not None]
        if values and all(isinstance(v, bool) for v in values):
            frame[column] = pd.array(data[column], dtype="boolean" if len(values) < len(rows) else bool)
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            frame[column] = pd.array(data[column], dtype="Int64")
        elif values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            frame[column] = pd.array([math.nan if v is None else float(v) for v in data[column]], dtype="float64")
        else:
            frame[column] = pd.array(data[column], dtype=object)
    return frame


def write_geopackage(dataset: Dataset, path: str | Path) -> Path:
    """Write a dataset as one GeoPackage that :func:`~corridor_planner.io.read_geopackage` reads back.

    Layers: ``hubs`` (Points) and ``links`` (LineStrings), EPSG:4326, with the
    fields of ``hubs.geojson`` and ``links.geojson``, and one attribute-only
    layer per rule table named like its CSV file without ``.csv`` (``modes``,
    ``services``, ``borders``, ``transfers``, ``dwells``, ``corridors``,
    ``countries``, and ``sources`` when the dataset has sources), with the CSV
    columns. List fields are text joined with ``;`` (aliases and the hubs of a
    border crossing with ``|``), as in the CSV files. An existing file is
    replaced. Needs ``pyogrio`` (installed with geopandas 1.x).

    Returns
    -------
    Path
        The file written.

    Warns
    -----
    UserWarning
        As :func:`write_geojson`: when records cite no or unknown sources, or the dataset has a year.

    Examples
    --------
    >>> import tempfile, pathlib, corridor_planner as cp
    >>> net = cp.load_network()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_geopackage(net.dataset, pathlib.Path(tmp) / "net.gpkg")
    ...     cp.load_network(path).dataset.links == net.dataset.links
    True
    """
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import Point

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    warn_lossy(dataset, f"the GeoPackage {str(path)!r}")
    hub_props = [hub_feature(h)["properties"] for h in dataset.hubs]
    link_props = [link_feature(k)["properties"] for k in dataset.links]
    hub_columns = [c for c in HUB_FIELDS if c not in ("lon", "lat")]
    hubs = gpd.GeoDataFrame(
        _layer_frame(hub_props, hub_columns), geometry=[Point(h.lon, h.lat) for h in dataset.hubs], crs="EPSG:4326"
    )
    links = gpd.GeoDataFrame(
        _layer_frame(link_props, LINK_FIELDS), geometry=[k.geometry for k in dataset.links], crs="EPSG:4326"
    )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # GDAL creates the file itself
    try:
        pyogrio.write_dataframe(hubs, tmp, layer="hubs", driver="GPKG", geometry_type="Point")
        pyogrio.write_dataframe(links, tmp, layer="links", driver="GPKG", geometry_type="LineString")
        for name, rows in table_rows(dataset).items():
            frame = _layer_frame(rows, TABLES[name][0])
            pyogrio.write_dataframe(frame, tmp, layer=name.removesuffix(".csv"), driver="GPKG")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
