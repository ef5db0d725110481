"""Routes as plain dicts and GeoJSON (JSON-ready values only)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .route import Leg, Route, Stop


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
    if isinstance(value, date):  # datetimes too: ISO 8601 text
        return value.isoformat()
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
        "cost_usd": route.cost_usd, "co2_kg": route.co2_kg, "co2e_kg": route.co2e_kg, "legs": len(route.legs),
    }  # fmt: skip


def _about(route: Route) -> dict[str, Any]:
    """What every export of a route starts with: ends, objective, query, scenarios, totals."""
    first, last = (route.legs[0], route.legs[-1]) if route.legs else (None, None)
    return {
        "origin": route.origin, "origin_name": first.origin_name if first else route.origin,
        "destination": route.destination, "destination_name": last.destination_name if last else route.destination,
        "optimize": route.optimize, "query": dict(route.query), "scenarios": list(route.scenarios),
        "totals": _totals(route), **({"approximate": True} if route.approximate else {}),
        **({} if route.departs is None else {"departs": route.departs, "arrival": route.arrival}),
        **({"seasonal": [{"hub": h, "season": s, "extra_h": x} for h, s, x in route.seasonal]}
           if route.seasonal else {}),
    }  # fmt: skip


def route_to_dict(route: Route) -> dict[str, Any]:
    """A route as a JSON-serialisable dict: query, totals, legs with their stops, breakdown by component.

    Keys: ``origin``, ``origin_name``, ``destination``, ``destination_name``,
    ``optimize``, ``query``, ``scenarios``, ``totals`` (``distance_km``,
    ``time_h``, ``transit_days``, ``cost_usd``, ``co2_kg``, ``co2e_kg``, ``legs``),
    ``hubs``, ``modes``, ``countries``, ``corridors``, ``chokepoints``,
    ``legs`` (one dict per leg, ``seq`` from 1, with ``stops_before`` and
    ``stops_after``; ``approximate: true`` on a first- or last-mile leg of an end
    that is not a hub, and then on the route too) and ``breakdown`` (component -> ``time_h``, ``days``,
    ``share``, ``time_h_min``, ``time_h_max``, ``cost_usd``). A dated route (``plan(depart=...)``) also has
    ``departs`` and ``arrival`` (ISO 8601, UTC), and each leg its ``departs`` and ``arrives``; and
    ``seasonal`` (``hub``, ``season``, ``extra_h``) when seasonal factors applied (:attr:`Route.seasonal`).

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
        "time_h": leg.time_h, "cost_usd": leg.cost_usd, "co2_kg": leg.co2_kg, "co2e_kg": leg.co2e_kg,
        "corridors": many(leg.corridors), "countries": many(leg.countries),
        **({"approximate": True} if leg.approximate else {}),
        **({} if leg.departs is None else {"departs": leg.departs, "arrives": leg.arrives}),
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
    ``cost_usd``, ``co2_kg``, ``co2e_kg``, ``corridors`` and ``countries`` (both
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
