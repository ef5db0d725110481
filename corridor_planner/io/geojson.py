"""GeoJSON features of hubs and links, and geometries as GeoJSON mappings."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..model.records import Hub

if TYPE_CHECKING:  # pragma: no cover
    from ..model.records import Link


def hub_coordinates(hub_feats: Iterable[Mapping[str, Any]]) -> dict[Any, Any]:
    """Hub id -> its raw [lon, lat] (from the geometry, else the lon/lat properties), before parsing."""
    coords: dict[Any, Any] = {}
    for feat in hub_feats:
        props, geom = feat.get("properties"), feat.get("geometry")
        if not isinstance(props, Mapping) or not isinstance(props.get("id"), str):
            continue  # parsing reports it
        point = geom.get("coordinates") if isinstance(geom, dict) else None
        coords[props["id"]] = point if point else [props.get("lon"), props.get("lat")]
    return coords


def as_lonlat(value: Any) -> tuple[float, float] | None:
    """``value`` as a valid (lon, lat) pair, or ``None``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) < 2:
        return None
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
        return None
    return lon, lat


def geojson_geometry(geom: Any) -> dict[str, Any] | None:
    """A shapely geometry (or GeoJSON mapping) as a GeoJSON mapping with list coordinates; ``None`` if empty.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> geojson_geometry(Point(1.5, 2))
    {'type': 'Point', 'coordinates': [1.5, 2.0]}
    """
    if geom is None:
        return None
    if isinstance(geom, BaseGeometry):
        if geom.is_empty:
            return None
        geom = mapping(geom)
    if not isinstance(geom, Mapping):
        return geom  # type: ignore[no-any-return]  # parsing reports what it is

    def lists(value: Any) -> Any:
        return [lists(v) for v in value] if isinstance(value, (list, tuple)) else value

    out = dict(geom)
    if "coordinates" in out:
        out["coordinates"] = lists(out["coordinates"])
    return out


def as_feature(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature, or a flat record with an optional ``geometry``, as a new GeoJSON feature dict."""
    if raw.get("type") == "Feature":
        return {
            "type": "Feature",
            "properties": dict(raw.get("properties") or {}),
            "geometry": geojson_geometry(raw.get("geometry")),
        }
    props = {k: v for k, v in raw.items() if k != "geometry"}
    geom = raw.get("geometry")
    if isinstance(geom, (list, tuple)):  # a bad point is reported by parsing, not here
        geom = {"type": "LineString", "coordinates": [list(c) if isinstance(c, (list, tuple)) else c for c in geom]}
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(geom)}


# --------------------------------------------------------------------------- writing


def hub_feature(hub: Hub) -> dict[str, Any]:
    """A hub as a GeoJSON Feature (the format of ``hubs.geojson``)."""
    props = {f.name: getattr(hub, f.name) for f in fields(Hub) if f.name not in ("lon", "lat")}
    props["aliases"] = list(hub.aliases)
    props["source"] = ";".join(hub.source)
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [hub.lon, hub.lat]}}


def link_feature(link: Link) -> dict[str, Any]:
    """A link as a GeoJSON Feature (the format of ``links.geojson``)."""
    props: dict[str, Any] = {
        "id": link.id, "from": link.from_hub, "to": link.to_hub, "mode": link.mode.value,
        "via": list(link.via), "gauge_mm": link.gauge_mm, "status": link.status.value, "opens": link.opens,
        "closes": link.closes,
        "corridors": list(link.corridors), "cargo": list(link.cargo), "two_way": link.two_way,
        "speed_kmh": link.speed_kmh, "speed_source": ";".join(link.speed_source), "service": link.service,
        "border_crossing": link.border_crossing, "official_distance_km": link.official_distance_km,
        "distance_source": ";".join(link.distance_source), "countries": list(link.countries),
        "chokepoints": list(link.chokepoints), "source": ";".join(link.source), "note": link.note,
        "distance_km": link.distance_km, "approximate": link.approximate,
        "cost_usd_per_teu_km": link.cost_usd_per_teu_km, "co2_g_per_tkm": link.co2_g_per_tkm,
        "terrain": link.terrain, "circuity": link.circuity,
    }  # fmt: skip
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in link.geometry.coords]},
    }
