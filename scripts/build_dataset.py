#!/usr/bin/env python3
"""Build ``data/hubs.geojson`` and ``data/links.geojson`` from ``data/src``.

Usage::

    python scripts/build_dataset.py [--data-dir data] [--check]

Inputs (see ``data/README.md``, the data contract):

* ``src/hubs.csv``       -> ``hubs.geojson``  (one Point per hub)
* ``src/waypoints.csv``  named points that only shape link geometry
* ``src/links_*.csv``    -> ``links.geojson`` (one LineString per link)
* ``src/published_lengths.csv`` published line lengths (``link_id, published_km,
  source, note``), set as the link's ``official_distance_km``

Geometry by mode:

* ``rail``, ``road``, ``pipeline``: from-hub -> ``via`` points (waypoint names
  or hub ids) -> to-hub, straight segments, nothing densified.  A link without
  ``via`` is a single straight segment and is flagged ``approximate``.
* ``air``: the great circle between the hubs, densified with
  ``pyproj.Geod.npts`` about every 100 km.  A great circle *is* the air path,
  so it is not approximate.
* ``sea``: the lane of the ``searoute`` maritime network, with the exact hub
  coordinates prepended and appended.  ``via`` may be ``avoid:p1;p2`` to add
  searoute passage restrictions (``northwest`` and ``bering`` are always
  restricted).  ``chokepoints`` is computed from the lane's geometry
  (``corridor_planner.model.chokepoints``: the gates it crosses - Suez,
  Bab-el-Mandeb, Hormuz, Malacca, Sunda, Gibraltar, the Dardanelles, the
  Bosporus, the Cape - and the Caspian); a chokepoint written in the CSV
  that the lane does not pass is an error.  Two corrections are applied to the searoute network
  (``corridor_planner.io.sea_lanes``, shared with ``Network.extend``): the Corinth Canal is closed
  (too small for container ships), and the coarse Caspian network gets
  offshore approach nodes for Kuryk and Alat so that their lanes do not cut
  across the Mangyshlak coast and the Absheron peninsula (plus a direct
  Poti - Batumi coastal lane).

Every link also gets ``distance_km`` and ``approximate``. ``distance_km`` is
the link's published length (``official_distance_km``, from its row or from
``src/published_lengths.csv``) where a source gives one, else the geodesic
length along the geometry (WGS84, 0.1 km). A published length must lie
between 90 % and 200 % of the drawn line: straight segments under-read a
winding line, but a line is never much shorter than its chord.  A land link's ``chokepoints`` are those
written in the CSV; the chokepoint of a hub (Port Said: ``suez``) stays on
the hub, and the router adds it to every leg that touches the hub.

Any error in the inputs stops the build with one message per problem naming
the file, the row id and the field.  The output is deterministic: features
sorted by id, coordinates rounded to 5 decimals, one feature per line.

``build_dataset(data_dir)`` computes both FeatureCollections in memory (used by
``tests/test_sea_lanes.py`` to check that the committed files are in sync).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyproj import Geod
from shapely.geometry import LineString

from corridor_planner.io.sea_lanes import AVOID_PREFIX, sea_avoid, searoute_lane, valid_sea_passages
from corridor_planner.io.validate import MAX_CIRCUITY, OFFICIAL_DISTANCE_TOLERANCE
from corridor_planner.model.chokepoints import lane_chokepoints
from corridor_planner.model.layers import GAUGES_MM

GEOD = Geod(ellps="WGS84")
COORD_DECIMALS = 5
AIR_STEP_KM = 100.0

HUB_COLUMNS = ["id", "name", "country", "kind", "lon", "lat", "aliases", "chokepoint", "source", "note"]
WAYPOINT_COLUMNS = ["name", "country", "lon", "lat", "note"]
LINK_COLUMNS = [
    "id",
    "from",
    "to",
    "mode",
    "via",
    "gauge_mm",
    "status",
    "opens",
    "closes",
    "corridors",
    "cargo",
    "two_way",
    "speed_kmh",
    "speed_source",
    "service",
    "border_crossing",
    "official_distance_km",
    "distance_source",
    "countries",
    "chokepoints",
    "source",
    "note",
]

HUB_KINDS = {"city", "port", "dry_port", "border_station", "station", "airport", "terminal", "waypoint"}
MODES = {"rail", "road", "sea", "air", "pipeline"}
STATUSES = {"operational", "under_construction", "planned", "closed"}
CARGO = {"container", "general", "dry_bulk", "liquid_bulk", "gas"}
GAUGES = set(GAUGES_MM)
LINK_LIST_FIELDS = ("via", "corridors", "cargo", "countries", "chokepoints")
LINK_FLOAT_FIELDS = ("speed_kmh", "official_distance_km")
LINK_INT_FIELDS = ("gauge_mm", "opens", "closes")
PUBLISHED_LENGTHS = "published_lengths.csv"
PUBLISHED_COLUMNS = ["link_id", "published_km", "source", "note"]
TERRAIN = "terrain.csv"
TERRAIN_COLUMNS = ["link_id", "terrain", "source", "note"]
TERRAINS = ("plains", "mountains", "china_network")
CIRCUITY_MODES = ("rail", "road", "pipeline")
CIRCUITY_MIN_N = 3
"""A (mode, terrain) factor is applied only when at least this many published lengths support it."""
CIRCUITY_MIN_FIT_KM = 50.0
"""Links drawn shorter than this are left out of the fit: their hub points (city or station centroids a few km
off the line) decide their ratio, not the line's winding (Termez - Hairatan is drawn 12 km for 21 km)."""
CIRCUITY_FIT = "circuity_fit.csv"
CIRCUITY_FIT_COLUMNS = ["mode", "terrain", "n", "factor", "applied", "median_abs_residual", "links", "source", "note"]
CIRCUITY_FIT_LINKS = "circuity_fit_links.csv"
CIRCUITY_LINK_COLUMNS = [
    "link_id", "mode", "terrain", "drawn_km", "published_km", "ratio", "in_fit", "factor", "residual", "source", "note",
]  # fmt: skip

ID_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")

LonLat = tuple[float, float]


class DataError(Exception):
    """One or more errors in the authoring inputs (one message per line)."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class Problems:
    """Collects input errors so that one run reports all of them."""

    messages: list[str] = field(default_factory=list)

    def add(self, file: str, row_id: str, column: str, message: str) -> None:
        self.messages.append(f"{file}: row {row_id!r}, field {column!r}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise DataError(self.messages)


@dataclass(frozen=True)
class Hub:
    id: str
    lon: float
    lat: float
    chokepoint: str | None
    properties: dict[str, Any]


# --------------------------------------------------------------------------
# CSV reading and typed fields
# --------------------------------------------------------------------------


def read_csv(path: Path, columns: Sequence[str], key: str, problems: Problems) -> list[dict[str, str]]:
    """Read a CSV file whose header must contain ``columns``; strip cells."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            problems.add(path.name, "<header>", ",".join(missing), "missing column(s)")
            return []
        rows = []
        for line_no, raw in enumerate(reader, start=2):
            if None in raw:
                problems.add(path.name, raw.get(key) or f"line {line_no}", "<row>", "more cells than header columns")
            row = {c: (raw.get(c) or "").strip() for c in header if c is not None}
            if not any(row.values()):
                continue
            row["_line"] = str(line_no)
            rows.append(row)
        return rows


def _none_if_empty(value: str) -> str | None:
    return value if value != "" else None


def _split(value: str, sep: str = ";") -> list[str] | None:
    items = [v.strip() for v in value.split(sep) if v.strip()]
    return items or None


def _number(
    value: str,
    convert: Callable[[str], float | int],
    file: str,
    row_id: str,
    column: str,
    problems: Problems,
    required: bool = False,
) -> Any:
    if value == "":
        if required:
            problems.add(file, row_id, column, "required number is empty")
        return None
    try:
        number = convert(value)
    except ValueError:
        problems.add(file, row_id, column, f"not a number: {value!r}")
        return None
    if isinstance(number, float) and not math.isfinite(number):
        problems.add(file, row_id, column, f"not a finite number: {value!r}")
        return None
    return number


def _lonlat(row: dict[str, str], file: str, row_id: str, problems: Problems) -> LonLat | None:
    lon = _number(row["lon"], float, file, row_id, "lon", problems, required=True)
    lat = _number(row["lat"], float, file, row_id, "lat", problems, required=True)
    if lon is not None and not -180.0 <= lon <= 180.0:
        problems.add(file, row_id, "lon", f"out of range: {lon}")
        lon = None
    if lat is not None and not -90.0 <= lat <= 90.0:
        problems.add(file, row_id, "lat", f"out of range: {lat}")
        lat = None
    if lon is None or lat is None:
        return None
    return (lon, lat)


def rounded(point: Sequence[float]) -> LonLat:
    """Round a (lon, lat) to COORD_DECIMALS, normalising -0.0 to 0.0."""
    return (round(point[0], COORD_DECIMALS) + 0.0, round(point[1], COORD_DECIMALS) + 0.0)


# --------------------------------------------------------------------------
# Hubs and waypoints
# --------------------------------------------------------------------------


def load_hubs(path: Path, problems: Problems) -> dict[str, Hub]:
    file = f"src/{path.name}"
    hubs: dict[str, Hub] = {}
    for row in read_csv(path, HUB_COLUMNS, "id", problems):
        hid = row["id"] or f"line {row['_line']}"
        if not ID_RE.match(row["id"]):
            problems.add(file, hid, "id", "must be lower snake_case ASCII")
        if row["id"] in hubs:
            problems.add(file, hid, "id", "duplicate id")
            continue
        if not row["name"]:
            problems.add(file, hid, "name", "empty")
        if not ISO2_RE.match(row["country"]):
            problems.add(file, hid, "country", f"not an ISO 3166-1 alpha-2 code: {row['country']!r}")
        if row["kind"] not in HUB_KINDS:
            problems.add(file, hid, "kind", f"unknown kind {row['kind']!r} (expected one of {sorted(HUB_KINDS)})")
        if row["chokepoint"] and not ID_RE.match(row["chokepoint"]):
            problems.add(file, hid, "chokepoint", "must be lower snake_case")
        point = _lonlat(row, file, hid, problems)
        if point is None:
            continue
        lon, lat = rounded(point)
        props: dict[str, Any] = {
            "id": row["id"],
            "name": row["name"],
            "country": row["country"],
            "kind": row["kind"],
            "aliases": _split(row["aliases"], "|"),
            "chokepoint": _none_if_empty(row["chokepoint"]),
            "source": _none_if_empty(row["source"]),
            "note": _none_if_empty(row["note"]),
        }
        hubs[row["id"]] = Hub(row["id"], lon, lat, props["chokepoint"], props)
    return hubs


def load_waypoints(path: Path, problems: Problems) -> dict[str, LonLat]:
    file = f"src/{path.name}"
    points: dict[str, LonLat] = {}
    for row in read_csv(path, WAYPOINT_COLUMNS, "name", problems):
        name = row["name"]
        if not name:
            problems.add(file, f"line {row['_line']}", "name", "empty")
            continue
        if name in points:
            problems.add(file, name, "name", "duplicate name")
            continue
        if not ISO2_RE.match(row["country"]):
            problems.add(file, name, "country", f"not an ISO 3166-1 alpha-2 code: {row['country']!r}")
        point = _lonlat(row, file, name, problems)
        if point is not None:
            points[name] = rounded(point)
    return points


# --------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------


def parse_link(row: dict[str, str], file: str, hubs: dict[str, Hub], problems: Problems) -> dict[str, Any] | None:
    """Type and validate one links CSV row; None if it cannot be built."""
    lid = row["id"] or f"line {row['_line']}"
    ok = True
    if not ID_RE.match(row["id"]):
        problems.add(file, lid, "id", "must be lower snake_case ASCII")
    for end in ("from", "to"):
        if row[end] not in hubs:
            problems.add(file, lid, end, f"unknown hub id {row[end]!r}")
            ok = False
    if row["from"] and row["from"] == row["to"]:
        problems.add(file, lid, "to", "same hub as 'from'")
    mode = row["mode"]
    if mode not in MODES:
        problems.add(file, lid, "mode", f"unknown mode {mode!r} (expected one of {sorted(MODES)})")
        ok = False
    file_mode = re.fullmatch(r"src/links_(\w+)\.csv", file)
    if file_mode and file_mode.group(1) in MODES and mode in MODES and mode != file_mode.group(1):
        problems.add(file, lid, "mode", f"{mode!r} link in the {file_mode.group(1)} file")
    if row["status"] not in STATUSES:
        problems.add(file, lid, "status", f"unknown status {row['status']!r} (expected one of {sorted(STATUSES)})")
    if row["two_way"] not in ("true", "false"):
        problems.add(file, lid, "two_way", f"must be 'true' or 'false', not {row['two_way']!r}")

    props: dict[str, Any] = {}
    for column in LINK_COLUMNS:
        value = row[column]
        if column in LINK_LIST_FIELDS:
            props[column] = _split(value)
        elif column in LINK_FLOAT_FIELDS:
            props[column] = _number(value, float, file, lid, column, problems)
        elif column in LINK_INT_FIELDS:
            props[column] = _number(value, int, file, lid, column, problems)
        elif column == "two_way":
            props[column] = value == "true"
        else:
            props[column] = _none_if_empty(value)

    gauge = props["gauge_mm"]
    if mode == "rail" and gauge is None and row["gauge_mm"] == "":
        problems.add(file, lid, "gauge_mm", f"required for rail ({', '.join(map(str, GAUGES_MM))})")
    if gauge is not None and gauge not in GAUGES:
        problems.add(file, lid, "gauge_mm", f"must be one of {', '.join(map(str, GAUGES_MM))}, not {gauge}")
    if gauge is not None and mode != "rail":
        problems.add(file, lid, "gauge_mm", f"set on a {mode} link")
    if row["status"] in ("under_construction", "planned") and props["opens"] is None and row["opens"] == "":
        problems.add(file, lid, "opens", f"required for status {row['status']!r}")
    if props["closes"] is not None and row["status"] != "closed":
        problems.add(file, lid, "closes", f"only for status 'closed', not {row['status']!r}")
    if not props["cargo"]:
        problems.add(file, lid, "cargo", "empty")
    for item in props["cargo"] or []:
        if item not in CARGO:
            problems.add(file, lid, "cargo", f"unknown cargo {item!r} (expected some of {sorted(CARGO)})")
    for item in props["countries"] or []:
        if not ISO2_RE.match(item):
            problems.add(file, lid, "countries", f"not an ISO 3166-1 alpha-2 code: {item!r}")
    for item in props["chokepoints"] or []:
        if not ID_RE.match(item):
            problems.add(file, lid, "chokepoints", f"not a lower snake_case id: {item!r}")
    for number, sources in (("speed_kmh", "speed_source"), ("official_distance_km", "distance_source")):
        if props[number] is not None and props[number] <= 0:
            problems.add(file, lid, number, "must be positive")
        if props[number] is not None and not props[sources]:
            problems.add(file, lid, sources, f"required when {number} is given")
    if not props["source"]:
        problems.add(file, lid, "source", "empty")
    return props if ok else None


def _resolve(name: str, waypoints: dict[str, LonLat], hubs: dict[str, Hub]) -> LonLat | None:
    if name in waypoints:
        return waypoints[name]
    if name in hubs:
        return (hubs[name].lon, hubs[name].lat)
    return None


def _dedupe(points: Iterable[Sequence[float]]) -> list[LonLat]:
    out: list[LonLat] = []
    for p in points:
        q = rounded(p)
        if not out or out[-1] != q:
            out.append(q)
    return out


def air_geometry(a: LonLat, b: LonLat) -> list[LonLat]:
    """Great circle a -> b with an intermediate point about every 100 km."""
    _, _, dist_m = GEOD.inv(a[0], a[1], b[0], b[1])
    n_between = max(0, math.ceil(dist_m / 1000.0 / AIR_STEP_KM) - 1)
    middle = GEOD.npts(a[0], a[1], b[0], b[1], n_between) if n_between else []
    return _dedupe([a, *middle, b])


def link_feature(
    props: dict[str, Any],
    file: str,
    hubs: dict[str, Hub],
    waypoints: dict[str, LonLat],
    problems: Problems,
) -> dict[str, Any] | None:
    """Geometry, distance_km, approximate and merged chokepoints of one link."""
    lid = props["id"]
    a = (hubs[props["from"]].lon, hubs[props["from"]].lat)
    b = (hubs[props["to"]].lon, hubs[props["to"]].lat)
    mode = props["mode"]
    via = props["via"]
    chokepoints = set(props["chokepoints"] or [])
    approximate = False

    restrictions = sea_avoid(via) if mode == "sea" else None
    if mode == "air":
        if via:
            problems.add(file, lid, "via", "air links take no via (great circle)")
            return None
        coords = air_geometry(a, b)
    elif mode == "sea":
        if via and restrictions is None:
            problems.add(file, lid, "via", f"sea via must be empty or {AVOID_PREFIX}passage;passage")
            return None
        unknown = sorted(set(restrictions or []) - valid_sea_passages())
        if unknown:
            problems.add(file, lid, "via", f"unknown searoute passage(s) {unknown}")
            return None
        try:
            lane, _ = searoute_lane(a, b, restrictions or [])
            coords = _dedupe(lane)
        except ValueError as exc:
            problems.add(file, lid, "via", str(exc))
            return None
        passed = set(lane_chokepoints(LineString(coords)))
        contradicted = sorted(chokepoints - passed)
        if contradicted:
            problems.add(
                file,
                lid,
                "chokepoints",
                f"{contradicted} not passed by the lane, which passes {sorted(passed) or 'no chokepoint'};"
                " a sea link's chokepoints come from its geometry (corridor_planner/model/chokepoints.py)",
            )
            return None
        chokepoints = passed
    else:  # land modes
        points: list[LonLat] = [a]
        for name in via or []:
            point = _resolve(name, waypoints, hubs)
            if point is None:
                problems.add(file, lid, "via", f"unknown waypoint or hub {name!r}")
                return None
            points.append(point)
        points.append(b)
        coords = _dedupe(points)
        approximate = not via
    if len(coords) < 2:
        problems.add(file, lid, "from", "geometry has fewer than two distinct points")
        return None

    lons, lats = zip(*coords, strict=False)
    distance_km = round(GEOD.line_length(lons, lats) / 1000.0, 1)
    official = props["official_distance_km"]
    if official is not None and not (
        (1 - OFFICIAL_DISTANCE_TOLERANCE) * distance_km <= official <= MAX_CIRCUITY * distance_km
    ):
        problems.add(
            file,
            lid,
            "official_distance_km",
            f"{official} km is not between {1 - OFFICIAL_DISTANCE_TOLERANCE:.0%} and {MAX_CIRCUITY:.0%} "
            f"of the line drawn ({distance_km} km)",
        )

    out = dict(props)
    out["chokepoints"] = sorted(chokepoints) or None
    out["distance_km"] = distance_km if official is None else official
    out["approximate"] = approximate
    return {
        "type": "Feature",
        "properties": out,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
    }


# --------------------------------------------------------------------------
# Whole dataset
# --------------------------------------------------------------------------


def apply_published_lengths(path: Path, parsed: list[tuple[str, dict[str, Any]]], problems: Problems) -> None:
    """Set ``official_distance_km`` and ``distance_source`` from ``src/published_lengths.csv``.

    A link whose row already has an official distance must agree with the table (1 %).
    """
    if not path.is_file():
        return
    file = f"src/{path.name}"
    links = {props["id"]: props for _, props in parsed}
    for row in read_csv(path, PUBLISHED_COLUMNS, "link_id", problems):
        lid = row["link_id"]
        km = _number(row["published_km"], float, file, lid, "published_km", problems, required=True)
        if lid not in links:
            problems.add(file, lid, "link_id", "no such link")
            continue
        if km is None:
            continue
        if not row["source"].strip():
            problems.add(file, lid, "source", "a published length needs its source ids")
            continue
        props = links[lid]
        if props["official_distance_km"] is not None:
            if abs(props["official_distance_km"] - km) > 0.01 * km:
                problems.add(
                    file,
                    lid,
                    "published_km",
                    f"{km} disagrees with the link's official_distance_km {props['official_distance_km']}",
                )
            continue
        props["official_distance_km"] = km
        props["distance_source"] = row["source"].strip()


def load_terrain(path: Path, parsed: list[tuple[str, dict[str, Any]]], problems: Problems) -> dict[str, str]:
    """``link_id -> terrain`` from ``src/terrain.csv`` (the links that cross a named mountain pass or range)."""
    if not path.is_file():
        return {}
    file = f"src/{path.name}"
    links = {props["id"]: props for _, props in parsed}
    terrain: dict[str, str] = {}
    for row in read_csv(path, TERRAIN_COLUMNS, "link_id", problems):
        lid = row["link_id"]
        if lid not in links:
            problems.add(file, lid, "link_id", "no such link")
            continue
        if lid in terrain:
            problems.add(file, lid, "link_id", "duplicate row")
            continue
        if links[lid]["mode"] not in CIRCUITY_MODES:
            problems.add(file, lid, "link_id", f"a {links[lid]['mode']} link has no terrain (only {CIRCUITY_MODES})")
            continue
        if row["terrain"] not in TERRAINS:
            problems.add(file, lid, "terrain", f"unknown terrain {row['terrain']!r} (expected one of {TERRAINS})")
            continue
        if not row["source"]:
            problems.add(file, lid, "source", "a terrain row needs its source ids")
            continue
        terrain[lid] = row["terrain"]
    return terrain


def link_terrain(props: dict[str, Any], hubs: dict[str, Hub], listed: dict[str, str]) -> str | None:
    """A land link's terrain: as listed in ``src/terrain.csv``, else ``china_network`` inside China, else ``plains``.

    Sea and air links have none (their lanes are not drawn by hand).
    """
    if props["mode"] not in CIRCUITY_MODES:
        return None
    if props["id"] in listed:
        return listed[props["id"]]
    countries = {hubs[props["from"]].properties["country"], hubs[props["to"]].properties["country"]}
    countries |= set(props["countries"] or [])
    return "china_network" if countries == {"CN"} else "plains"


def drawn_km(feature: dict[str, Any]) -> float:
    """Geodesic length of a feature's (rounded) geometry, km, 0.1 km."""
    lons, lats = zip(*feature["geometry"]["coordinates"], strict=False)
    return round(GEOD.line_length(lons, lats) / 1000.0, 1)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def fit_circuity(features: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Fit the median published/drawn ratio per (mode, terrain) and apply it to the links without a published length.

    Only links with a published length (``official_distance_km``) are fitted, never end-to-end trips. A group
    with fewer than :data:`CIRCUITY_MIN_N` fitted links keeps factor 1 (drawn length as is). Sets each land
    feature's ``terrain`` and ``circuity`` (the factor applied; null where the published length is used) and,
    for the links without a published length, ``distance_km`` = drawn x factor. Returns the rows of
    ``circuity_fit.csv`` and ``circuity_fit_links.csv``.
    """
    samples: dict[tuple[str, str], list[dict[str, Any]]] = {}
    link_rows: list[dict[str, Any]] = []
    for feature in features:
        props = feature["properties"]
        if props.get("terrain") is None or props["official_distance_km"] is None:
            continue
        drawn = drawn_km(feature)
        row = {
            "link_id": props["id"],
            "mode": props["mode"],
            "terrain": props["terrain"],
            "drawn_km": drawn,
            "published_km": props["official_distance_km"],
            "ratio": round(props["official_distance_km"] / drawn, 4),
            "in_fit": drawn >= CIRCUITY_MIN_FIT_KM,
            "source": props["distance_source"],
            "note": ""
            if drawn >= CIRCUITY_MIN_FIT_KM
            else f"drawn under {CIRCUITY_MIN_FIT_KM:.0f} km: hub points decide",
        }
        link_rows.append(row)
        if row["in_fit"]:
            samples.setdefault((props["mode"], props["terrain"]), []).append(row)
    factors: dict[tuple[str, str], float] = {}
    fit_rows: list[dict[str, Any]] = []
    for mode in CIRCUITY_MODES:
        for terrain in TERRAINS:
            group = samples.get((mode, terrain), [])
            median = round(_median([r["ratio"] for r in group]), 3) if group else None
            applied = median is not None and len(group) >= CIRCUITY_MIN_N
            factors[(mode, terrain)] = median if applied and median is not None else 1.0
            for r in group:
                r["factor"] = median
                r["residual"] = round(r["ratio"] / median - 1.0, 4) if median else None
            residuals = [abs(r["residual"]) for r in group if r["residual"] is not None]
            sources = sorted({s for r in group for s in r["source"].split(";")})
            if applied:
                note = f"median of {len(group)} published/drawn ratios, applied to the {mode} links without one"
            elif group:
                note = f"only {len(group)} published length(s), fewer than {CIRCUITY_MIN_N}: factor 1 (drawn length)"
            else:
                note = "no published length: factor 1 (drawn length)"
            fit_rows.append(
                {
                    "mode": mode,
                    "terrain": terrain,
                    "n": len(group),
                    "factor": median,
                    "applied": applied,
                    "median_abs_residual": round(_median(residuals), 4) if residuals else None,
                    "links": ";".join(r["link_id"] for r in sorted(group, key=lambda r: r["link_id"])),
                    "source": ";".join(sources),
                    "note": note,
                }
            )
    for row in link_rows:
        row.setdefault("factor", None)
        row.setdefault("residual", None)
    for feature in features:
        props = feature["properties"]
        if props.get("terrain") is None or props["official_distance_km"] is not None:
            continue
        factor = factors[(props["mode"], props["terrain"])]
        props["circuity"] = factor
        props["distance_km"] = round(drawn_km(feature) * factor, 1)
    return fit_rows, sorted(link_rows, key=lambda r: r["link_id"])


def render_csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV text (``\\n`` line ends; None and False written as empty and ``false``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row[column]
            cells.append("" if value is None else str(value).lower() if isinstance(value, bool) else value)
        writer.writerow(cells)
    return buffer.getvalue()


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": sorted(features, key=lambda f: f["properties"]["id"])}


def build_dataset(data_dir: Path | str = "data") -> tuple[dict[str, Any], dict[str, Any]]:
    """Compute ``(hubs, links)`` FeatureCollections from ``data_dir/src`` in memory.

    Raises DataError listing every problem found in the inputs.
    """
    hubs, links, _, _ = build_all(data_dir)
    return hubs, links


def build_all(
    data_dir: Path | str = "data",
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """``(hubs, links, circuity fit rows, circuity link rows)`` computed from ``data_dir/src`` in memory.

    Raises DataError listing every problem found in the inputs.
    """
    src = Path(data_dir) / "src"
    problems = Problems()
    for name in ("hubs.csv", "waypoints.csv"):
        if not (src / name).is_file():
            problems.add(f"src/{name}", "-", "-", "file not found")
    link_files = sorted(src.glob("links_*.csv"))
    if not link_files:
        problems.add("src/links_*.csv", "-", "-", "no links files found")
    problems.raise_if_any()

    hubs = load_hubs(src / "hubs.csv", problems)
    waypoints = load_waypoints(src / "waypoints.csv", problems)
    clashes = sorted(set(hubs) & set(waypoints))
    for name in clashes:
        problems.add("src/waypoints.csv", name, "name", "same as a hub id; via would be ambiguous")

    parsed: list[tuple[str, dict[str, Any]]] = []
    seen: dict[str, str] = {}
    for path in link_files:
        file = f"src/{path.name}"
        for row in read_csv(path, LINK_COLUMNS, "id", problems):
            if row["id"] in seen:
                problems.add(file, row["id"], "id", f"duplicate id (also in {seen[row['id']]})")
                continue
            seen[row["id"]] = file
            props = parse_link(row, file, hubs, problems)
            if props is not None:
                parsed.append((file, props))
    apply_published_lengths(src / PUBLISHED_LENGTHS, parsed, problems)
    listed_terrain = load_terrain(src / TERRAIN, parsed, problems)
    problems.raise_if_any()  # do not route sea lanes for inputs that are broken anyway

    link_features = []
    for file, props in parsed:
        feature = link_feature(props, file, hubs, waypoints, problems)
        if feature is not None:
            feature["properties"]["terrain"] = link_terrain(props, hubs, listed_terrain)
            feature["properties"]["circuity"] = None
            link_features.append(feature)
    problems.raise_if_any()
    fit_rows, link_rows = fit_circuity(link_features)
    for feature in link_features:  # a sea or air link has no terrain; a published length needs no factor
        for name in ("terrain", "circuity"):
            if feature["properties"][name] is None:
                del feature["properties"][name]

    hub_features = [
        {
            "type": "Feature",
            "properties": hub.properties,
            "geometry": {"type": "Point", "coordinates": [hub.lon, hub.lat]},
        }
        for hub in hubs.values()
    ]
    return feature_collection(hub_features), feature_collection(link_features), fit_rows, link_rows


def render(collection: dict[str, Any]) -> str:
    """Serialise a FeatureCollection as JSON with one feature per line."""
    lines = [json.dumps(f, ensure_ascii=False) for f in collection["features"]]
    body = ",\n".join(lines)
    return '{"type": "FeatureCollection", "features": [\n' + body + ("\n" if lines else "") + "]}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="data", type=Path, help="dataset directory (default: data)")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the files are out of date")
    args = parser.parse_args(argv)
    try:
        hubs, links, fit_rows, link_rows = build_all(args.data_dir)
    except DataError as exc:
        print(f"build_dataset: {len(exc.messages)} error(s) in {args.data_dir}/src:", file=sys.stderr)
        for message in exc.messages:
            print(f"  {message}", file=sys.stderr)
        return 1
    outputs = {
        args.data_dir / "hubs.geojson": render(hubs),
        args.data_dir / "links.geojson": render(links),
        args.data_dir / CIRCUITY_FIT: render_csv(fit_rows, CIRCUITY_FIT_COLUMNS),
        args.data_dir / CIRCUITY_FIT_LINKS: render_csv(link_rows, CIRCUITY_LINK_COLUMNS),
    }
    if args.check:
        stale = [str(p) for p, text in outputs.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(
        f"wrote {len(hubs['features'])} hubs, {len(links['features'])} links and the circuity fit "
        f"({CIRCUITY_FIT}, {CIRCUITY_FIT_LINKS}) to {args.data_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
