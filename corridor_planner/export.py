"""Writing networks and routes: a dataset folder, a GeoPackage, route GeoJSON and JSON.

The dataset writers produce exactly what :func:`corridor_planner.io.read_dataset`
reads (``data/README.md`` documents the format), so a network written and
loaded again is the same network. The route exports are plain dicts that
``json.dumps`` accepts and a GIS opens.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .io import _TABLES, HUB_FIELDS, LINK_FIELDS, Dataset, _check_sources, hub_feature, link_feature
from .model import BorderRule, Corridor, Country, DwellRule, ModeDefaults, Service, Source, TransferRule, Triple

if TYPE_CHECKING:  # pragma: no cover
    from .route import Leg, Route, Stop

__all__ = [
    "DATASET_FILES",
    "jsonable",
    "route_to_dict",
    "route_to_geojson",
    "table_rows",
    "write_geojson",
    "write_geopackage",
]

DATASET_FILES = ("hubs.geojson", "links.geojson", *_TABLES)
"""The files of a dataset folder: the only files :func:`write_geojson` writes (or removes)."""

_LIST_SEPARATORS = {"aliases": "|", "hubs": "|"}
"""List fields written as text with another separator than ``;``."""


# --------------------------------------------------------------------------- values


def _number_text(value: float) -> str:
    """A float as the shortest text that reads back as the same float (``24.0`` -> ``"24"``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _cell(value: Any, sep: str = ";") -> str:
    """A typed value as CSV text, in the conventions of ``data/README.md``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value)
    return str(value)


def _triple(prefix: str, value: Triple) -> dict[str, float]:
    return {f"{prefix}_min": value.min, f"{prefix}_typ": value.typ, f"{prefix}_max": value.max}


def _mode_row(m: ModeDefaults) -> dict[str, Any]:
    split = m.speed_source or m.cost_source or m.co2_source
    return {
        "mode": m.mode.value, "speed_kmh": m.speed_kmh, "hours_per_day": m.hours_per_day,
        "cost_usd_per_teu_km": m.cost_usd_per_teu_km, "co2_g_per_tkm": m.co2_g_per_tkm,
        "speed_source": m.speed_source if split else m.source, "cost_source": m.cost_source,
        "co2_source": m.co2_source, "note": m.note,
    }  # fmt: skip


def _service_row(s: Service) -> dict[str, Any]:
    return {
        "id": s.id, "mode": s.mode.value, "name": s.name, "frequency_per_week": s.frequency_per_week,
        "speed_kmh": s.speed_kmh, "co2_g_per_tkm": s.co2_g_per_tkm, "source": s.source, "note": s.note,
    }  # fmt: skip


def _border_row(b: BorderRule) -> dict[str, Any]:
    return {
        "id": b.id, "name": b.name, "mode": b.mode.value, "hubs": b.hubs, **_triple("time_h", b.time_h),
        "cost_usd": b.cost_usd, "source": b.source, "note": b.note,
    }  # fmt: skip


def _transfer_row(t: TransferRule) -> dict[str, Any]:
    return {
        "at": t.at, "from_layer": t.from_layer, "to_layer": t.to_layer, "two_way": t.two_way,
        **_triple("time_h", t.time_h), "cost_usd": t.cost_usd, "source": t.source, "note": t.note,
    }  # fmt: skip


def _dwell_row(d: DwellRule) -> dict[str, Any]:
    return {
        "at": d.at,
        "event": d.event,
        **_triple("time_h", d.time_h),
        "cost_usd": d.cost_usd,
        "source": d.source,
        "note": d.note,
    }


def _corridor_row(c: Corridor) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "description": c.description, "source": c.source}


def _country_row(c: Country) -> dict[str, Any]:
    return {"iso2": c.iso2, "name": c.name, "sco_status": c.sco_status, "source": c.source}


def _source_row(s: Source) -> dict[str, Any]:
    return {f.name: getattr(s, f.name) for f in fields(Source)}


def _table_items(dataset: Dataset) -> dict[str, list[Any]]:
    """The records of each rule table of a dataset, by file name (``sources.csv`` only when it has sources)."""
    items: dict[str, list[Any]] = {
        "modes.csv": list(dataset.modes.values()), "services.csv": list(dataset.services.values()),
        "borders.csv": list(dataset.borders.values()), "transfers.csv": list(dataset.transfers),
        "dwells.csv": list(dataset.dwells), "corridors.csv": list(dataset.corridors.values()),
        "countries.csv": list(dataset.countries.values()),
    }  # fmt: skip
    if dataset.sources is not None:
        items["sources.csv"] = list(dataset.sources.values())
    return items


_ROW_BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "modes.csv": _mode_row, "services.csv": _service_row, "borders.csv": _border_row, "transfers.csv": _transfer_row,
    "dwells.csv": _dwell_row, "corridors.csv": _corridor_row, "countries.csv": _country_row, "sources.csv": _source_row,
}  # fmt: skip
"""Rule-table record -> row, with exactly the columns of ``_TABLES`` in their order."""


def table_rows(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """The rule tables of a dataset as typed rows, by file name, in the columns :func:`read_dataset` reads.

    Values are typed (float, bool, str, tuples for lists, ``None`` when
    missing); :func:`write_geojson` turns them into CSV text. ``sources.csv``
    is included only when the dataset has sources.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> rows = table_rows(cp.load_network().dataset)
    >>> rows["modes.csv"][0]["mode"], sorted(rows) == sorted(_TABLES)
    ('rail', True)
    """
    return {name: [_ROW_BUILDERS[name](item) for item in items] for name, items in _table_items(dataset).items()}


def _file_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """Feature properties as ``links.geojson`` stores them: empty text and empty lists as null."""
    return {k: (None if v == "" or (isinstance(v, (list, tuple)) and not v) else v) for k, v in props.items()}


_OPTIONAL_LINK_FIELDS = ("cost_usd_per_teu_km", "co2_g_per_tkm")
"""Per-link overrides left out of ``links.geojson`` when unset, as in the shipped file."""


def _features(dataset: Dataset) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    hubs = [{**f, "properties": _file_properties(f["properties"])} for f in map(hub_feature, dataset.hubs)]
    links = []
    for feature in map(link_feature, dataset.links):
        props = _file_properties(feature["properties"])
        for name in _OPTIONAL_LINK_FIELDS:
            if props.get(name) is None:
                props.pop(name, None)
        links.append({**feature, "properties": props})
    return hubs, links


def _source_problems(dataset: Dataset) -> list[Problem]:
    """What the source check of :func:`read_dataset` will find in the written dataset (nothing without sources)."""
    if dataset.sources is None:
        return []
    problems: list[Problem] = []
    tables = _table_items(dataset)
    del tables["sources.csv"]
    _check_sources(dataset.hubs, dataset.links, tables, dataset.sources, problems)
    return problems


def _warn_lossy(dataset: Dataset, where: str) -> None:
    """Warn about what the written dataset will not load as: missing sources, the year the format does not hold."""
    problems = _source_problems(dataset)
    if problems:
        listed = "; ".join(str(p) for p in problems[:5]) + (
            f"; ... and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        warnings.warn(
            f"{where} will not load until its sources table lists what {len(problems)} record(s) cite "
            f"(records added or changed without sources, e.g. by Network.extend or a scenario): {listed}",
            UserWarning,
            stacklevel=4,
        )
    if dataset.as_of is not None:
        warnings.warn(
            f"{where} does not hold the network's year (as_of={dataset.as_of}): loaded again, it plans for the "
            "current year unless a query gives as_of",
            UserWarning,
            stacklevel=4,
        )


# --------------------------------------------------------------------------- a dataset folder


def _render_collection(features: list[dict[str, Any]]) -> str:
    """A FeatureCollection with one feature per line (the layout of the shipped files)."""
    lines = [json.dumps(f, ensure_ascii=False, allow_nan=False) for f in features]
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + ("\n" if lines else "") + "]}\n"


def _csv_field(text: str) -> str:
    """A CSV field, quoted when it holds a comma, a quote or a line break (``\r`` too, which ``csv.writer`` misses)."""
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _render_csv(name: str, rows: list[dict[str, Any]]) -> str:
    columns = _TABLES[name][0]
    lines = [columns, *([_cell(row[c], _LIST_SEPARATORS.get(c, ";")) for c in columns] for row in rows)]
    return "".join(",".join(map(_csv_field, line)) + "\n" for line in lines)


def _write_text(path: Path, text: str) -> None:
    """Write a file atomically: to a temporary file next to it, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_geojson(dataset: Dataset, folder: str | Path) -> Path:
    """Write a dataset as a folder in the format of ``data/``: GeoJSON hubs and links, CSV rule tables.

    Writes ``hubs.geojson``, ``links.geojson`` and every rule table
    (``modes.csv`` ... ``countries.csv``; ``sources.csv`` when the dataset has
    sources), replacing those files if they exist. Other files in the folder
    are left alone, except a ``sources.csv`` left over in a folder written
    for a dataset without sources, which is removed (the folder would not
    read back as the same dataset otherwise). The folder is created if needed.

    Parameters
    ----------
    dataset : Dataset
        What to write.
    folder : str or Path
        The dataset folder.

    Returns
    -------
    Path
        The folder.

    Warns
    -----
    UserWarning
        When the dataset has sources but some records cite none or unknown ones
        (additions or scenario changes made without sources): the folder will
        not load until ``sources.csv`` is completed; and when the dataset has a
        year (``as_of``), which the format does not hold.

    Examples
    --------
    >>> import tempfile, corridor_planner as cp
    >>> net = cp.load_network()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = write_geojson(net.dataset, tmp)
    ...     cp.load_network(folder).dataset.hubs == net.dataset.hubs
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hubs, links = _features(dataset)
    outputs = {"hubs.geojson": _render_collection(hubs), "links.geojson": _render_collection(links)}
    for name, rows in table_rows(dataset).items():
        outputs[name] = _render_csv(name, rows)
    _warn_lossy(dataset, f"the dataset folder {str(folder)!r}")
    for name, text in outputs.items():
        _write_text(folder / name, text)
    if dataset.sources is None:
        (folder / "sources.csv").unlink(missing_ok=True)
    return folder


# --------------------------------------------------------------------------- a GeoPackage


def _frame_value(value: Any, column: str) -> Any:
    """A typed value as a GeoPackage column value: lists joined like in CSV, empty text as null."""
    if isinstance(value, (list, tuple)):
        return _LIST_SEPARATORS.get(column, ";").join(str(v) for v in value) if value else None
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
    _warn_lossy(dataset, f"the GeoPackage {str(path)!r}")
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
            frame = _layer_frame(rows, _TABLES[name][0])
            pyogrio.write_dataframe(frame, tmp, layer=name.removesuffix(".csv"), driver="GPKG")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------- routes


def jsonable(value: Any) -> Any:
    """``value`` with every part made JSON-serialisable.

    numpy scalars become Python numbers, tuples and sets lists (sets sorted),
    enums their value, dataclasses dicts, mapping keys text, and non-finite
    floats ``None`` (JSON has no NaN).

    Examples
    --------
    >>> import numpy as np
    >>> jsonable({"a": (np.float64(1.5), float("nan")), 2: {"y", "x"}})
    {'a': [1.5, None], '2': ['x', 'y']}
    """
    import numpy as np

    if isinstance(value, np.generic):  # before the checks below: np.float64 is a float
        value = value.item()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=lambda v: (str(type(v)), str(v)))
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value) if f.name != "geometry"}
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays
        return jsonable(value.tolist())
    return str(value)


def _stop_dict(stop: Stop) -> dict[str, Any]:
    return {
        "hub": stop.hub, "component": stop.component, "time_h": stop.time_h, "time_h_min": stop.time_h_min,
        "time_h_max": stop.time_h_max, "cost_usd": stop.cost_usd, "note": stop.note,
    }  # fmt: skip


def _totals(route: Route) -> dict[str, Any]:
    return {
        "distance_km": route.distance_km, "time_h": route.time_h, "transit_days": route.transit_days,
        "cost_usd": route.cost_usd, "co2_kg": route.co2_kg, "legs": len(route.legs),
    }  # fmt: skip


def _about(route: Route) -> dict[str, Any]:
    """What every export of a route starts with: ends, objective, query, scenarios, totals."""
    first, last = (route.legs[0], route.legs[-1]) if route.legs else (None, None)
    return {
        "origin": route.origin, "origin_name": first.origin_name if first else route.origin,
        "destination": route.destination, "destination_name": last.destination_name if last else route.destination,
        "optimize": route.optimize, "query": dict(route.query), "scenarios": list(route.scenarios),
        "totals": _totals(route),
    }  # fmt: skip


def route_to_dict(route: Route) -> dict[str, Any]:
    """A route as a JSON-serialisable dict: query, totals, legs with their stops, breakdown by component.

    Keys: ``origin``, ``origin_name``, ``destination``, ``destination_name``,
    ``optimize``, ``query``, ``scenarios``, ``totals`` (``distance_km``,
    ``time_h``, ``transit_days``, ``cost_usd``, ``co2_kg``, ``legs``),
    ``hubs``, ``modes``, ``countries``, ``corridors``, ``chokepoints``,
    ``legs`` (one dict per leg, ``seq`` from 1, with ``stops_before`` and
    ``stops_after``) and ``breakdown`` (component -> ``time_h``, ``days``,
    ``share``, ``time_h_min``, ``time_h_max``, ``cost_usd``).

    Examples
    --------
    >>> import json, corridor_planner as cp
    >>> route = cp.load_network().plan("Beijing", "Baku")
    >>> d = route_to_dict(route)
    >>> d["legs"][0]["from"], json.loads(json.dumps(d))["totals"]["legs"] == len(route.legs)
    ('beijing', True)
    """
    breakdown = route.breakdown()
    legs = [
        {
            **_leg_properties(i, leg, lists=True), "layer": leg.layer, "moving_h": leg.moving_h, "dwell_h": leg.dwell_h,
            "stops_before": [_stop_dict(s) for s in leg.stops_before],
            "stops_after": [_stop_dict(s) for s in leg.stops_after],
        }
        for i, leg in enumerate(route.legs, start=1)
    ]  # fmt: skip
    out = {
        **_about(route), "hubs": route.hubs, "modes": route.modes, "countries": route.countries,
        "corridors": route.corridors, "chokepoints": route.chokepoints, "legs": legs,
        "breakdown": {str(c): dict(row) for c, row in breakdown.to_dict(orient="index").items()},
    }  # fmt: skip
    result: dict[str, Any] = jsonable(out)
    return result


def _leg_properties(seq: int, leg: Leg, *, lists: bool) -> dict[str, Any]:
    def many(values: tuple[str, ...]) -> Any:
        return list(values) if lists else ";".join(values)

    return {
        "seq": seq, "link_id": leg.link_id, "mode": leg.mode, "from": leg.origin, "to": leg.destination,
        "from_name": leg.origin_name, "to_name": leg.destination_name, "distance_km": leg.distance_km,
        "time_h": leg.time_h, "cost_usd": leg.cost_usd, "co2_kg": leg.co2_kg,
        "corridors": many(leg.corridors), "countries": many(leg.countries),
    }  # fmt: skip


def _stop_point(leg: Leg, stop: Stop, before: bool) -> list[float]:
    """Where a stop happens: at the leg's end hub it names; a border crossing (``a|b``) mid-leg."""
    coords = list(leg.geometry.coords)
    if stop.hub == leg.origin:
        point = coords[0]
    elif stop.hub == leg.destination:
        point = coords[-1]
    elif "|" in stop.hub:
        middle = leg.geometry.interpolate(0.5, normalized=True)
        point = (middle.x, middle.y)
    else:
        point = coords[0] if before else coords[-1]
    return [float(point[0]), float(point[1])]


def route_to_geojson(route: Route) -> dict[str, Any]:
    """A route as a GeoJSON FeatureCollection (EPSG:4326) that a GIS or ``geopandas`` opens.

    One LineString feature per leg, in the direction of travel, with the
    properties ``feature`` (``"leg"``), ``seq``, ``link_id``, ``mode``,
    ``from``, ``to``, ``from_name``, ``to_name``, ``distance_km``, ``time_h``,
    ``cost_usd``, ``co2_kg``, ``corridors`` and ``countries`` (both
    ``;``-joined); then one Point feature per stop (``feature`` ``"stop"``,
    ``seq`` of its leg, ``component``, ``hub``, ``time_h``, ``time_h_min``,
    ``time_h_max``, ``cost_usd``, ``note``), placed at its hub (a border
    crossing, whose ``hub`` is ``a|b``, at the middle of its leg). The
    top-level ``properties`` member holds the ends, objective, query,
    scenarios and totals.

    Examples
    --------
    >>> import geopandas as gpd, corridor_planner as cp
    >>> doc = route_to_geojson(cp.load_network().plan("Beijing", "Baku"))
    >>> frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    >>> sorted(set(frame.geom_type)), doc["properties"]["origin"]
    (['LineString', 'Point'], 'beijing')
    """
    features: list[dict[str, Any]] = []
    stops: list[dict[str, Any]] = []
    for seq, leg in enumerate(route.legs, start=1):
        features.append(
            {
                "type": "Feature",
                "properties": {"feature": "leg", **_leg_properties(seq, leg, lists=False)},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[float(x), float(y)] for x, y, *_ in leg.geometry.coords],
                },
            }
        )
        for before, group in ((True, leg.stops_before), (False, leg.stops_after)):
            for stop in group:
                stops.append(
                    {
                        "type": "Feature",
                        "properties": {"feature": "stop", "seq": seq, **_stop_dict(stop)},
                        "geometry": {"type": "Point", "coordinates": _stop_point(leg, stop, before)},
                    }
                )
    doc = {"type": "FeatureCollection", "properties": _about(route), "features": features + stops}
    result: dict[str, Any] = jsonable(doc)
    return result
