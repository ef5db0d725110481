"""Reading base layers (large rail and road networks) from GeoParquet, GeoPackage and OpenStreetMap ``.osm.pbf``.

Every reader ends in :func:`~corridor_planner.model.baselayer.layer_from_vertices`: the lines'
vertices as flat arrays (:func:`shapely.get_coordinates`, :func:`pyproj.Transformer.transform`
on arrays, no per-row Python for GeoParquet and GeoPackage). Lines meet where they share a
vertex. Columns of a GeoParquet or GeoPackage layer:

- ``geometry``: LineString or MultiLineString (another CRS is reprojected to EPSG:4326);
- ``mode``: ``rail`` or ``road`` (or give ``mode=`` for a file of one mode);
- optional ``country`` (ISO code), ``two_way`` (default true), ``length_km`` (default: the
  geodesic length on the WGS84 ellipsoid), ``id`` (names the record in errors).

An ``.osm.pbf`` extract (needs ``osmium``, the ``large`` extra) gives the ways tagged
``railway=rail`` (mode rail) and ``highway=motorway|trunk|primary`` and their ``_link`` ramps
(mode road; ``oneway`` respected, a motorway is one-way unless tagged otherwise); ways meet
at shared OSM nodes. pyosmium walks the ways in C++; Python only copies each way's node ids
and coordinates into lists.

Bad input raises :class:`~corridor_planner.errors.NetworkValidationError` naming the file,
the record (its ``id``, else ``row N``) and the field.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import MissingDependencyError, NetworkValidationError, Problem
from ..model.baselayer import MODE_NAMES, BaseLayer, layer_from_vertices

INSTALL_HINT = 'pip install "corridor_planner[large]"'
"""How to install what GeoParquet (pyarrow) and ``.osm.pbf`` (osmium) reading needs."""

MAX_PROBLEMS = 20
"""Problems listed per check before the rest are counted (a million bad rows make one short message)."""

OSM_ROADS = frozenset({"motorway", "trunk", "primary", "motorway_link", "trunk_link", "primary_link"})
"""The ``highway=`` values an ``.osm.pbf`` road layer keeps."""


def _require(module: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(
            f"{what} needs the optional library {module!r}, which is not installed; install it with: {INSTALL_HINT}",
            name=module,
        ) from exc


def read_layer(
    path: str | Path, *, layer: str | None = None, mode: str | None = None, country: str | None = None
) -> BaseLayer:
    """Read a base layer: a GeoParquet (``.parquet``), GeoPackage (``.gpkg``) or OpenStreetMap (``.osm.pbf``) file.

    Parameters
    ----------
    path : str or Path
        The file.
    layer : str, optional
        The GeoPackage layer (default: its first).
    mode : {"rail", "road"}, optional
        The mode of every line of a file without a ``mode`` column.
    country : str, optional
        The country of every line without one (``.osm.pbf`` has none).

    Returns
    -------
    BaseLayer
        Not simplified: every vertex a node (see :meth:`BaseLayer.simplified`).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    NetworkValidationError
        A missing column, a geometry that is not a line, a NaN coordinate, a negative length,
        an unknown mode: file, record and field of each.
    MissingDependencyError
        ``pyarrow`` (GeoParquet) or ``osmium`` (``.osm.pbf``) is not installed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"base layer {str(path)!r} does not exist")
    name = path.name.lower()
    if name.endswith(".osm.pbf") or name.endswith(".osm"):
        return read_osm(path, country=country)
    if name.endswith((".parquet", ".geoparquet")):
        return _read_geoparquet(path, mode, country)
    if name.endswith(".gpkg"):
        import pyogrio

        try:
            arrow = importlib.util.find_spec("pyarrow") is not None
            frame = pyogrio.read_dataframe(path, layer=layer, use_arrow=arrow)
        except Exception as exc:  # pyogrio raises DataSourceError and friends
            raise NetworkValidationError([Problem(path.name, layer or "", "", f"is not a readable GeoPackage layer: {exc}")],
                                         str(path)) from None  # fmt: skip
        return layer_from_frame(
            frame, path.name if layer is None else f"{path.name}: {layer}", mode=mode, country=country
        )
    raise NetworkValidationError(
        [Problem(path.name, "", "", "is not a base layer file: give a .parquet, .gpkg or .osm.pbf")], str(path)
    )


def _names(frame: Any) -> Any:
    """How problems name a frame's rows: their ``id``, else ``row N``."""
    if "id" in frame.columns:
        return lambda rows: [str(v) for v in frame["id"].iloc[list(rows)]]
    return lambda rows: [f"row {r}" for r in rows]


def _report(
    problems: list[Problem], file: str, rows: npt.NDArray[np.int64], name: Any, field: str, reason: str
) -> None:
    """One problem per row (at most :data:`MAX_PROBLEMS`, then how many more)."""
    if not len(rows):
        return
    problems.extend(Problem(file, record, field, reason) for record in name(rows[:MAX_PROBLEMS].tolist()))
    if len(rows) > MAX_PROBLEMS:
        problems.append(Problem(file, f"{len(rows) - MAX_PROBLEMS} more rows", field, reason))


def _check_columns(columns: Any, file: str, mode: str | None) -> None:
    if mode is None and "mode" not in columns:
        problem = Problem(file, "", "mode", f"column is missing (or give mode= one of {', '.join(MODE_NAMES)})")
        raise NetworkValidationError([problem], file)


def layer_from_frame(
    frame: Any, file: str = "frame", *, mode: str | None = None, country: str | None = None
) -> BaseLayer:
    """A base layer from a GeoDataFrame of lines (the columns of :func:`read_layer`); the frame is not changed.

    Raises
    ------
    NetworkValidationError
        Naming ``file``, the record and the field of every problem.
    """
    import shapely

    problems: list[Problem] = []
    name = _names(frame)
    try:
        series = frame.geometry
    except AttributeError:
        raise NetworkValidationError([Problem(file, "", "geometry", "column is missing")], file) from None
    _check_columns(frame.columns, file, mode)
    geoms = np.asarray(series.values, dtype=object)
    kind = shapely.get_type_id(geoms)
    _report(problems, file, np.flatnonzero(kind < 0), name, "geometry", "is missing")
    wrong = np.flatnonzero((kind >= 0) & (kind != 1) & (kind != 5))
    for k in np.unique(kind[wrong]):
        rows = wrong[kind[wrong] == k]
        reason = f"must be a LineString, not a {shapely.GeometryType(k).name.title()}"
        _report(problems, file, rows, name, "geometry", reason)
    ok = (kind == 1) | (kind == 5)
    if (kind[ok] == 1).all():  # no MultiLineString: the rows are the parts
        parts, part_row = geoms[ok], np.flatnonzero(ok)
    else:
        parts, index = shapely.get_parts(geoms[ok], return_index=True)
        part_row = np.flatnonzero(ok)[index]
    coords, vertex_part = shapely.get_coordinates(parts, return_index=True)
    return _layer_from_parts(frame, file, problems, part_row, vertex_part, coords[:, 0], coords[:, 1], series.crs,
                             mode=mode, country=country)  # fmt: skip


def _read_geoparquet(path: Path, mode: str | None, country: str | None) -> BaseLayer:
    """A GeoParquet file: native GeoArrow lines are read as arrays (no geometry objects); WKB through geopandas."""
    import json

    pq = _require("pyarrow.parquet", "reading GeoParquet")
    file = path.name
    try:
        schema = pq.read_schema(path)
        geo = json.loads((schema.metadata or {}).get(b"geo", b"null"))
        column = geo["primary_column"] if geo else None
        encoding = str(geo["columns"][column].get("encoding", "")).lower() if geo else ""
    except Exception as exc:  # pyarrow raises many kinds for a file that is not Parquet
        raise NetworkValidationError(
            [Problem(file, "", "", f"is not a readable GeoParquet: {exc}")], str(path)
        ) from None
    if column is None:
        raise NetworkValidationError([Problem(file, "", "", "is not a GeoParquet (no 'geo' metadata)")], str(path))
    if encoding not in ("linestring", "multilinestring"):
        import geopandas as gpd

        return layer_from_frame(gpd.read_parquet(path), file, mode=mode, country=country)
    table = pq.read_table(path)
    _check_columns(table.column_names, file, mode)
    geometry = table.column(column).combine_chunks()
    attributes = table.drop_columns([column]).to_pandas()
    problems: list[Problem] = []
    missing = np.asarray(geometry.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    _report(problems, file, np.flatnonzero(missing), _names(attributes), "geometry", "is missing")
    rows = len(geometry)
    if encoding == "multilinestring":
        outer = np.asarray(geometry.offsets.to_numpy(), dtype=np.int64)
        lines = geometry.flatten()
        part_row = np.repeat(np.arange(rows), np.diff(outer))
    else:
        lines, part_row = geometry, np.arange(rows)
    inner = np.asarray(lines.offsets.to_numpy(), dtype=np.int64)
    points = lines.flatten()
    vertex_part = np.repeat(np.arange(len(inner) - 1), np.diff(inner))
    lon = np.asarray(points.field("x").to_numpy(zero_copy_only=False), dtype=float)
    lat = np.asarray(points.field("y").to_numpy(zero_copy_only=False), dtype=float)
    crs_json = geo["columns"][column].get("crs", "OGC:CRS84")
    from pyproj import CRS

    crs = None if crs_json is None else CRS.from_user_input(crs_json)
    return _layer_from_parts(attributes, file, problems, part_row, vertex_part, lon, lat, crs, mode=mode,
                             country=country)  # fmt: skip


def _layer_from_parts(
    frame: Any,
    file: str,
    problems: list[Problem],
    part_row: npt.NDArray[np.int64],
    vertex_part: npt.NDArray[np.int64],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    crs: Any,
    *,
    mode: str | None,
    country: str | None,
) -> BaseLayer:
    """The layer of lines given as parts (``part_row``: the row of each) and vertices (``vertex_part``), checked."""
    import pandas as pd

    name = _names(frame)
    rows_n = len(frame)
    if crs is not None and crs.to_epsg() != 4326 and not crs.equals("OGC:CRS84") and len(lon):
        from pyproj import Transformer

        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(lon, lat)
        lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    _report(problems, file, np.unique(part_row[vertex_part[bad]]), name, "geometry", "has a NaN or infinite coordinate")
    out = ~bad & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    _report(problems, file, np.unique(part_row[vertex_part[out]]), name, "geometry",
            "has a coordinate outside lon -180..180, lat -90..90 (EPSG:4326)")  # fmt: skip
    # per row attributes
    if mode is not None:
        if mode not in MODE_NAMES:
            problems.append(
                Problem(file, "", "mode", f"{mode!r} is not a mode of a base layer ({', '.join(MODE_NAMES)})")
            )
        mode_code = np.full(rows_n, MODE_NAMES.index(mode) if mode in MODE_NAMES else 0, dtype=np.int8)
    else:
        values = frame["mode"]
        codes = pd.Index(list(MODE_NAMES)).get_indexer(values.astype(object))
        unknown = np.flatnonzero(codes < 0)
        texts = values.iloc[unknown].astype(str).to_numpy()
        _report(problems, file, unknown[values.iloc[unknown].isna().to_numpy()], name, "mode", "is missing")
        for text in np.unique(texts[values.iloc[unknown].notna().to_numpy()])[:5]:
            rows = unknown[texts == text]
            _report(
                problems, file, rows, name, "mode", f"{text!r} is not a mode of a base layer ({', '.join(MODE_NAMES)})"
            )
        mode_code = np.asarray(codes, dtype=np.int8)
    length: npt.NDArray[np.float64] | None = None
    if "length_km" in frame.columns:
        given = pd.to_numeric(frame["length_km"], errors="coerce").to_numpy(dtype=float)
        text_bad = np.flatnonzero(np.isnan(given) & frame["length_km"].notna().to_numpy())
        _report(problems, file, text_bad, name, "length_km", "is not a number")
        _report(problems, file, np.flatnonzero(given < 0), name, "length_km", "is negative")
        _report(problems, file, np.flatnonzero(np.isinf(given)), name, "length_km", "is infinite")
        length = given
    two_way = np.ones(rows_n, dtype=bool)
    if "two_way" in frame.columns:
        column = frame["two_way"]
        valid = column.isna() | column.isin([True, False, 0, 1])
        _report(problems, file, np.flatnonzero(~valid.to_numpy()), name, "two_way", "must be true or false")
        two_way = column.where(valid & column.notna(), True).astype(bool).to_numpy()
    countries: list[str] = []
    country_code = np.full(rows_n, -1, dtype=np.int16)
    if "country" in frame.columns:
        column = frame["country"].where(frame["country"].notna(), country)
        codes_c, uniques = pd.factorize(column)
        countries = [str(u) for u in uniques]
        country_code = codes_c.astype(np.int16)
    elif country is not None:
        countries, country_code = [country], np.zeros(rows_n, dtype=np.int16)
    if problems:
        raise NetworkValidationError(problems, file)
    return layer_from_vertices(
        vertex_part,
        lon,
        lat,
        mode=mode_code[part_row],
        country=country_code[part_row],
        two_way=two_way[part_row],
        length_km=length,
        group=part_row,
        countries=countries,
        source=file,
    )


def read_osm(
    path: str | Path, *, country: str | None = None, roads: Sequence[str] = tuple(sorted(OSM_ROADS))
) -> BaseLayer:
    """The rail and road ways of an OpenStreetMap extract (``.osm.pbf``) as a base layer.

    Ways tagged ``railway=rail`` are rail, ways whose ``highway=`` is in ``roads`` are road;
    ``oneway=yes|true|1`` makes a way one-way (``-1``: one-way against its drawing), a
    motorway is one-way unless ``oneway=no``. A node missing from the extract breaks its way.

    Raises
    ------
    NetworkValidationError
        The file is not a readable OSM file, or holds no such way.
    """
    osmium = _require("osmium", "reading .osm.pbf")
    path = Path(path)
    from array import array

    # typed arrays, 8 bytes a vertex each (not a Python object per vertex)
    refs, way_of, valid = array("q"), array("q"), array("b")
    lons, lats = array("d"), array("d")
    modes: list[int] = []
    one_way: list[bool] = []
    keep_roads = set(roads)
    wanted = [("railway", "rail"), *(("highway", r) for r in sorted(keep_roads))]
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_filter(osmium.filter.TagFilter(*wanted))
        for obj in processor:
            if not obj.is_way():
                continue
            tags = obj.tags
            highway = tags.get("highway")
            is_rail = tags.get("railway") == "rail"
            oneway = tags.get("oneway", "no" if is_rail or highway != "motorway" else "yes")
            nodes = list(obj.nodes)
            if oneway == "-1":
                nodes.reverse()
            k = len(modes)
            modes.append(0 if is_rail else 1)
            one_way.append(oneway in ("yes", "true", "1", "-1"))
            refs.extend(n.ref for n in nodes)
            good = [n.location.valid() for n in nodes]
            valid.extend(good)
            lons.extend(n.lon if ok else np.nan for n, ok in zip(nodes, good, strict=True))
            lats.extend(n.lat if ok else np.nan for n, ok in zip(nodes, good, strict=True))
            way_of.extend(array("q", [k]) * len(nodes))
    except RuntimeError as exc:
        raise NetworkValidationError(
            [Problem(path.name, "", "", f"is not a readable OSM file: {exc}")], str(path)
        ) from None
    if not modes:
        raise NetworkValidationError(
            [Problem(path.name, "", "", "holds no way tagged railway=rail or highway=" + "|".join(sorted(keep_roads)))],
            str(path),
        )
    way = np.frombuffer(way_of, dtype=np.int64)
    ok = np.frombuffer(valid, dtype=np.int8).astype(bool)
    # a missing node breaks its way in two; lines numbered 0.. in order
    brk = np.concatenate([[True], way[1:] != way[:-1]]) | np.concatenate([[False], ~ok[:-1]])
    line = np.cumsum(brk) - 1
    line, way, keys = line[ok], way[ok], np.frombuffer(refs, dtype=np.int64)[ok]
    _, line = np.unique(line, return_inverse=True)
    line_way = np.zeros(int(line.max()) + 1 if len(line) else 0, dtype=np.int64)
    line_way[line] = way
    mode_arr = np.asarray(modes, dtype=np.int8)[line_way]
    countries = [country] if country else []
    return layer_from_vertices(
        line,
        np.frombuffer(lons, dtype=np.float64)[ok],
        np.frombuffer(lats, dtype=np.float64)[ok],
        mode=mode_arr,
        country=np.full(len(line_way), 0 if country else -1, dtype=np.int16),
        two_way=~np.asarray(one_way, dtype=bool)[line_way],
        countries=countries,
        key=keys,
        source=path.name,
    )
