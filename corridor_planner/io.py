"""Reading and validating datasets: folders, GeoPackages, records, data frames and additions.

A dataset folder holds ``hubs.geojson`` and ``links.geojson`` plus the rule
tables (CSV) documented in ``data/README.md``; a dataset GeoPackage holds the
same as layers. Reading collects every problem (file, record, field, reason)
and raises one :class:`~corridor_planner.errors.NetworkValidationError`
listing them all. :func:`extend_dataset` validates additions to a dataset the
same way. Writing lives in :mod:`corridor_planner.export`.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, mapping
from shapely.geometry.base import BaseGeometry

from .errors import NetworkValidationError, Problem
from .geo import geodesic_length_km, great_circle
from .model import (
    CARGO_CLASSES,
    HUB_KINDS,
    BorderRule,
    Corridor,
    Country,
    DwellRule,
    Hub,
    Link,
    Mode,
    ModeDefaults,
    Service,
    Source,
    Status,
    TransferRule,
    Triple,
)

__all__ = [
    "Dataset",
    "as_records",
    "dataset_from_records",
    "default_data_dir",
    "extend_dataset",
    "fill_link_geometry",
    "geojson_geometry",
    "read_dataset",
    "read_geopackage",
    "records_from_frame",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_LAYER = re.compile(r"^(rail(\d+)?|road|sea|air|pipeline)$")
DWELL_EVENTS = frozenset({"port_dwell", "port_call", "canal_transit"})
SCO_STATUSES = frozenset({"member", "observer", "dialogue_partner", "partner", "none"})
SOURCE_KINDS = frozenset({"published", "assumption", "derived"})
GEOMETRY_TOLERANCE_DEG = 0.01
"""How far (degrees) a link's first/last point may lie from its hubs."""


@dataclass(frozen=True)
class Dataset:
    """The validated content of a dataset folder (immutable)."""

    hubs: tuple[Hub, ...]
    links: tuple[Link, ...]
    modes: Mapping[Mode, ModeDefaults]
    services: Mapping[str, Service] = field(default_factory=dict)
    borders: Mapping[str, BorderRule] = field(default_factory=dict)
    transfers: tuple[TransferRule, ...] = ()
    dwells: tuple[DwellRule, ...] = ()
    corridors: Mapping[str, Corridor] = field(default_factory=dict)
    countries: Mapping[str, Country] = field(default_factory=dict)
    sources: Mapping[str, Source] | None = None
    origin: str = "dataset"
    as_of: int | None = None
    """The year the network stands for when a query gives none (``None``: the current year)."""
    scenarios: tuple[str, ...] = ()
    """The names of the scenarios applied to the dataset, in order."""

    @cached_property
    def chokepoints(self) -> frozenset[str]:
        """Every chokepoint a link or hub names (``suez``, ``babalmandab``, ``caspian``...)."""
        names = {c for link in self.links for c in link.chokepoints}
        return frozenset(names | {h.chokepoint for h in self.hubs if h.chokepoint})

    @cached_property
    def country_codes(self) -> frozenset[str]:
        """Every country a hub lies in or ``countries.csv`` lists."""
        return frozenset({h.country for h in self.hubs} | set(self.countries))


def default_data_dir() -> Path:
    """The shipped dataset: inside the installed package, or ``data/`` of a source checkout."""
    packaged = Path(str(resources.files("corridor_planner"))) / "_data"
    if (packaged / "hubs.geojson").is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "data"
    if (checkout / "hubs.geojson").is_file():
        return checkout
    raise FileNotFoundError(
        "the shipped dataset is missing: neither corridor_planner/_data nor a source checkout's data/ "
        "holds hubs.geojson; reinstall the package"
    )


# --------------------------------------------------------------------------- parsing helpers


class _Record:
    """Typed access to one raw record, recording problems instead of raising."""

    def __init__(self, raw: Mapping[str, Any], file: str, record: str, problems: list[Problem]) -> None:
        self.raw = raw
        self.file = file
        self.record = record
        self.problems = problems
        self.ok = True

    def problem(self, fld: str, reason: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.file, self.record, fld, reason))

    def _value(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                return None
        return value

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self._value(name)
        if value is None:
            if required:
                self.problem(name, "is missing")
            return default
        if not isinstance(value, str):
            self.problem(name, f"must be text, not {value!r}")
            return default
        return value

    def ident(self, name: str) -> str:
        value = self.text(name)
        if value and not _ID.match(value):
            self.problem(name, f"{value!r} is not a valid id (lower-case letters, digits and '_')")
        return value

    def number(
        self, name: str, *, required: bool = True, positive: bool = False, default: float | None = None
    ) -> float | None:
        value = self._value(name)
        if value is None:
            if required:
                self.problem(name, "is missing")
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
        except (TypeError, ValueError):
            self.problem(name, f"must be a number, not {value!r}")
            return default
        if not math.isfinite(number):
            self.problem(name, f"must be a finite number, not {value!r}")
            return default
        if number < 0 or (positive and number == 0):
            self.problem(name, f"must be {'positive' if positive else 'zero or more'}, not {number:g}")
            return default
        return number

    def integer(self, name: str, *, required: bool = False) -> int | None:
        number = self.number(name, required=required)
        if number is None:
            return None
        if number != int(number):
            self.problem(name, f"must be a whole number, not {number:g}")
            return None
        return int(number)

    def boolean(self, name: str, default: bool) -> bool:
        value = self._value(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):  # GIS boolean fields often read as 0/1
            return bool(value)
        if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no", "1", "0"}:
            return value.lower() in {"true", "yes", "1"}
        self.problem(name, f"must be true or false, not {value!r}")
        return default

    def items(self, name: str, sep: str = ";") -> tuple[str, ...]:
        value = self._value(name)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(sep)]
        elif isinstance(value, (list, tuple)):
            parts = [str(p).strip() if p is not None else "" for p in value]
            for part in parts:
                if sep in part:  # written joined with sep, it would read back as several items
                    self.problem(name, f"item {part!r} contains the list separator {sep!r}")
        else:
            self.problem(name, f"must be a list or {sep!r}-separated text, not {value!r}")
            return ()
        return tuple(p for p in parts if p)

    def choice(self, name: str, valid: Iterable[str], *, required: bool = True, default: str = "") -> str:
        value = self.text(name, required=required, default=default)
        allowed = sorted(valid)
        if value and value not in allowed:
            self.problem(name, f"{value!r} is not one of {', '.join(allowed)}")
            return default
        return value

    def triple(self, prefix: str) -> Triple:
        lo = self.number(f"{prefix}_min", default=0.0)
        typ = self.number(f"{prefix}_typ", default=0.0)
        hi = self.number(f"{prefix}_max", default=0.0)
        assert lo is not None and typ is not None and hi is not None
        if not lo <= typ <= hi:
            self.problem(prefix, f"needs min <= typ <= max, got {lo:g} / {typ:g} / {hi:g}")
        return Triple(lo, typ, hi)


def _check_fields(rec: _Record, known: Iterable[str]) -> None:
    unknown = sorted(set(rec.raw) - set(known))
    for name in unknown:
        rec.problem(name, "is not a known field (see data/README.md)")


def _read_csv(path: Path, problems: list[Problem]) -> list[dict[str, str]] | None:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows: list[dict[str, str]] = []
            for i, row in enumerate(reader, start=2):
                if None in row or any(v is None for v in row.values()):
                    problems.append(
                        Problem(path.name, f"line {i}", "", "has a different number of fields than the header")
                    )
                    continue
                rows.append(row)
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(path.name, "", "", f"cannot be read: {exc}"))
        return None


def _read_features(path: Path, problems: list[Problem]) -> list[Mapping[str, Any]] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(path.name, "", "", f"is not readable GeoJSON: {exc}"))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.append(Problem(path.name, "", "", "must be a GeoJSON FeatureCollection"))
        return None
    feats: list[Mapping[str, Any]] = []
    for i, feat in enumerate(doc["features"]):
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
            problems.append(Problem(path.name, f"feature {i}", "", "must be a Feature with properties"))
            continue
        feats.append(feat)
    return feats


def _record_name(raw: Mapping[str, Any], key: str, index: int, what: str) -> str:
    value = raw.get(key)
    return str(value) if isinstance(value, str) and value.strip() else f"{what} {index}"


# --------------------------------------------------------------------------- tables

HUB_FIELDS = ("id", "name", "country", "kind", "aliases", "chokepoint", "source", "note", "lon", "lat")
LINK_FIELDS = (
    "id", "from", "to", "mode", "via", "gauge_mm", "status", "opens", "corridors", "cargo", "two_way",
    "speed_kmh", "speed_source", "service", "border_crossing", "official_distance_km", "distance_source",
    "countries", "chokepoints", "source", "note", "distance_km", "approximate", "cost_usd_per_teu_km",
    "co2_g_per_tkm",
)  # fmt: skip


def parse_hubs(features: Iterable[Mapping[str, Any]], file: str, problems: list[Problem]) -> list[Hub]:
    """Parse hub features (GeoJSON Points, or plain dicts with lon/lat properties)."""
    hubs = []
    for i, feat in enumerate(features):
        props = dict(feat.get("properties") or {})
        rec = _Record(props, file, _record_name(props, "id", i, "feature"), problems)
        _check_fields(rec, HUB_FIELDS)
        geom = feat.get("geometry")
        if geom is not None:
            coords = geom.get("coordinates") if isinstance(geom, dict) else None
            if (
                not isinstance(geom, dict)
                or geom.get("type") != "Point"
                or not isinstance(coords, list)
                or len(coords) < 2
            ):
                kind = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
                rec.problem(
                    "geometry",
                    f"must be a GeoJSON Point [lon, lat], not {kind!r}"
                    if kind != "Point"
                    else "must be a GeoJSON Point [lon, lat]",
                )
                coords = [0.0, 0.0]  # reported once, not again as bad lon/lat
            props["lon"], props["lat"] = coords[0], coords[1]  # the geometry is authoritative
        hub_id = rec.ident("id")
        name = rec.text("name")
        country = rec.text("country")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            rec.problem("country", f"{country!r} is not an ISO 3166-1 alpha-2 code (two capital letters)")
        kind = rec.choice("kind", HUB_KINDS)
        lon = _coord(rec, "lon", 180.0)
        lat = _coord(rec, "lat", 90.0)
        aliases = rec.items("aliases", sep="|")
        chokepoint = rec.text("chokepoint", required=False) or None
        if rec.ok:
            hubs.append(
                Hub(
                    id=hub_id,
                    name=name,
                    country=country,
                    kind=kind,
                    lon=lon,
                    lat=lat,
                    aliases=aliases,
                    chokepoint=chokepoint,
                    source=rec.items("source"),
                    note=rec.text("note", required=False),
                )
            )
    return hubs


def _coord(rec: _Record, name: str, limit: float) -> float:
    value = rec._value(name)
    try:
        number = float(value) if value is not None and not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or abs(number) > limit:
        rec.problem(name, f"must be a number between -{limit:g} and {limit:g}, not {value!r}")
        return 0.0
    return number


def parse_links(
    features: Iterable[Mapping[str, Any]], file: str, problems: list[Problem], hubs: Mapping[str, Hub]
) -> list[Link]:
    """Parse link features (GeoJSON LineStrings)."""
    links = []
    for i, feat in enumerate(features):
        props = dict(feat.get("properties") or {})
        rec = _Record(props, file, _record_name(props, "id", i, "feature"), problems)
        _check_fields(rec, LINK_FIELDS)
        link_id = rec.ident("id")
        a = rec.text("from")
        b = rec.text("to")
        for end, hub_id in (("from", a), ("to", b)):
            if hub_id and hub_id not in hubs:
                rec.problem(end, f"hub {hub_id!r} does not exist")
        if a and a == b:
            rec.problem("to", "a link must join two different hubs")
        mode_name = rec.choice("mode", [m.value for m in Mode])
        status_name = rec.choice("status", [s.value for s in Status], required=False, default="operational")
        status = Status(status_name or "operational")
        opens = rec.integer("opens")
        if status is not Status.OPERATIONAL and status is not Status.CLOSED and opens is None:
            rec.problem("opens", f"a link that is {status.value} needs the year it opens")
        gauge = rec.integer("gauge_mm")
        if mode_name == "rail" and not gauge:
            rec.problem("gauge_mm", "a rail link needs its gauge in mm")
        if mode_name and mode_name != "rail" and gauge is not None:
            rec.problem("gauge_mm", "only rail links have a gauge")
        cargo = rec.items("cargo") or ("container", "general")
        for c in cargo:
            if c not in CARGO_CLASSES:
                rec.problem("cargo", f"{c!r} is not one of {', '.join(sorted(CARGO_CLASSES))}")
        geometry = _line(rec, feat.get("geometry"))
        if geometry is not None and a in hubs and b in hubs:
            for end, hub, point in (("from", hubs[a], geometry.coords[0]), ("to", hubs[b], geometry.coords[-1])):
                if abs(point[0] - hub.lon) > GEOMETRY_TOLERANCE_DEG or abs(point[1] - hub.lat) > GEOMETRY_TOLERANCE_DEG:
                    rec.problem("geometry", f"does not {'start' if end == 'from' else 'end'} at hub {hub.id!r}")
        distance = rec.number("distance_km", required=False, positive=True)
        if distance is None and geometry is not None:
            distance = geodesic_length_km(geometry)
        speed = rec.number("speed_kmh", required=False, positive=True)
        unit_cost = rec.number("cost_usd_per_teu_km", required=False)
        co2_factor = rec.number("co2_g_per_tkm", required=False)
        official = rec.number("official_distance_km", required=False, positive=True)
        if rec.ok and geometry is not None and distance is not None:
            links.append(
                Link(
                    id=link_id,
                    from_hub=a,
                    to_hub=b,
                    mode=Mode(mode_name),
                    geometry=geometry,
                    distance_km=distance,
                    status=status,
                    opens=opens,
                    gauge_mm=gauge,
                    corridors=rec.items("corridors"),
                    cargo=cargo,
                    two_way=rec.boolean("two_way", True),
                    speed_kmh=speed,
                    cost_usd_per_teu_km=unit_cost,
                    co2_g_per_tkm=co2_factor,
                    service=rec.text("service", required=False) or None,
                    border_crossing=rec.text("border_crossing", required=False) or None,
                    official_distance_km=official,
                    countries=rec.items("countries"),
                    chokepoints=rec.items("chokepoints"),
                    via=rec.items("via"),
                    approximate=rec.boolean("approximate", False),
                    source=rec.items("source"),
                    speed_source=rec.items("speed_source"),
                    distance_source=rec.items("distance_source"),
                    note=rec.text("note", required=False),
                )
            )
    return links


def _line(rec: _Record, geom: Any) -> LineString | None:
    if not isinstance(geom, dict) or geom.get("type") != "LineString":
        kind = geom.get("type") if isinstance(geom, dict) else None if geom is None else type(geom).__name__
        rec.problem("geometry", "must be a GeoJSON LineString" + (f", not {kind!r}" if kind else ""))
        return None
    coords = geom.get("coordinates") or []
    try:
        points = [(float(x), float(y)) for x, y, *_ in coords]
    except (TypeError, ValueError):
        rec.problem("geometry", "coordinates must be [lon, lat] pairs of numbers")
        return None
    if len(points) < 2:
        rec.problem("geometry", "needs at least two points")
        return None
    if not all(math.isfinite(x) and math.isfinite(y) and abs(x) <= 180 and abs(y) <= 90 for x, y in points):
        rec.problem("geometry", "has coordinates that are not finite lon/lat")
        return None
    return LineString(points)


def _parse_table(
    name: str,
    rows: Iterable[Mapping[str, Any]],
    problems: list[Problem],
    file: str | None = None,
    *,
    csv_lines: bool = False,
) -> list[Any]:
    """Parse the rows of one rule table; a row without a usable key is named ``line N`` of a CSV file, else ``row N``."""
    known, key, build = _TABLES[name]
    what, start = ("line", 2) if csv_lines else ("row", 1)
    out = []
    for i, row in enumerate(rows, start=start):
        rec = _Record(row, file or name, _record_name(row, key, i, what) if key else f"{what} {i}", problems)
        _check_fields(rec, known)
        item = build(rec)
        if rec.ok and item is not None:
            out.append(item)
    return out


def _mode(rec: _Record) -> ModeDefaults:
    name = rec.choice("mode", [m.value for m in Mode])
    speed = rec.number("speed_kmh", positive=True) or 1.0
    hours = rec.number("hours_per_day", positive=True) or 24.0
    if hours > 24:
        rec.problem("hours_per_day", f"cannot exceed 24, got {hours:g}")
    speed_source, cost_source, co2_source = rec.items("speed_source"), rec.items("cost_source"), rec.items("co2_source")
    return ModeDefaults(
        mode=Mode(name) if name else Mode.RAIL,
        speed_kmh=speed,
        hours_per_day=hours,
        cost_usd_per_teu_km=rec.number("cost_usd_per_teu_km") or 0.0,
        co2_g_per_tkm=rec.number("co2_g_per_tkm") or 0.0,
        source=speed_source + cost_source + co2_source,
        speed_source=speed_source,
        cost_source=cost_source,
        co2_source=co2_source,
        note=rec.text("note", required=False),
    )


def _service(rec: _Record) -> Service:
    name = rec.choice("mode", [m.value for m in Mode])
    return Service(
        id=rec.ident("id"),
        mode=Mode(name) if name else Mode.SEA,
        name=rec.text("name"),
        frequency_per_week=rec.number("frequency_per_week", positive=True) or 1.0,
        speed_kmh=rec.number("speed_kmh", required=False, positive=True),
        co2_g_per_tkm=rec.number("co2_g_per_tkm", required=False),
        source=rec.items("source"),
        note=rec.text("note", required=False),
    )


def _border(rec: _Record) -> BorderRule:
    name = rec.choice("mode", ["rail", "road"])
    return BorderRule(
        id=rec.ident("id"),
        name=rec.text("name"),
        mode=Mode(name) if name else Mode.RAIL,
        hubs=rec.items("hubs", sep="|"),
        time_h=rec.triple("time_h"),
        cost_usd=rec.number("cost_usd") or 0.0,
        source=rec.items("source"),
        note=rec.text("note", required=False),
    )


def _transfer(rec: _Record) -> TransferRule:
    layers = []
    for name in ("from_layer", "to_layer"):
        value = rec.text(name)
        if value and not _LAYER.match(value):
            rec.problem(name, f"{value!r} is not a layer (rail, rail<gauge>, road, sea, air, pipeline)")
        layers.append(value)
    return TransferRule(
        at=rec.text("at"),
        from_layer=layers[0],
        to_layer=layers[1],
        two_way=rec.boolean("two_way", True),
        time_h=rec.triple("time_h"),
        cost_usd=rec.number("cost_usd") or 0.0,
        source=rec.items("source"),
        note=rec.text("note", required=False),
    )


def _dwell(rec: _Record) -> DwellRule:
    return DwellRule(
        at=rec.text("at"),
        event=rec.choice("event", DWELL_EVENTS),
        time_h=rec.triple("time_h"),
        cost_usd=rec.number("cost_usd") or 0.0,
        source=rec.items("source"),
        note=rec.text("note", required=False),
    )


def _corridor(rec: _Record) -> Corridor:
    return Corridor(
        id=rec.ident("id"),
        name=rec.text("name"),
        description=rec.text("description", required=False),
        source=rec.items("source"),
    )


def _country(rec: _Record) -> Country:
    iso2 = rec.text("iso2")
    if iso2 and not re.fullmatch(r"[A-Z]{2}", iso2):
        rec.problem("iso2", f"{iso2!r} is not an ISO 3166-1 alpha-2 code")
    return Country(
        iso2=iso2,
        name=rec.text("name"),
        sco_status=rec.choice("sco_status", SCO_STATUSES),
        source=rec.items("source"),
    )


def _source(rec: _Record) -> Source:
    return Source(
        id=rec.text("id"),
        kind=rec.choice("kind", SOURCE_KINDS),
        title=rec.text("title"),
        address=rec.text("address", required=False),
        published=rec.text("published", required=False),
        quote=rec.text("quote", required=False),
        note=rec.text("note", required=False),
    )


_TABLES: dict[str, tuple[tuple[str, ...], str, Callable[[_Record], Any]]] = {
    "modes.csv": (
        ("mode", "speed_kmh", "hours_per_day", "cost_usd_per_teu_km", "co2_g_per_tkm", "speed_source",
         "cost_source", "co2_source", "note"), "mode", _mode),
    "services.csv": (("id", "mode", "name", "frequency_per_week", "speed_kmh", "co2_g_per_tkm", "source", "note"), "id", _service),
    "borders.csv": (
        ("id", "name", "mode", "hubs", "time_h_min", "time_h_typ", "time_h_max", "cost_usd", "source", "note"), "id", _border),
    "transfers.csv": (
        ("at", "from_layer", "to_layer", "two_way", "time_h_min", "time_h_typ", "time_h_max", "cost_usd", "source", "note"),
        "", _transfer),
    "dwells.csv": (("at", "event", "time_h_min", "time_h_typ", "time_h_max", "cost_usd", "source", "note"), "", _dwell),
    "corridors.csv": (("id", "name", "description", "source"), "id", _corridor),
    "countries.csv": (("iso2", "name", "sco_status", "source"), "iso2", _country),
    "sources.csv": (("id", "kind", "title", "address", "published", "quote", "note"), "id", _source),
}  # fmt: skip


# --------------------------------------------------------------------------- the whole dataset


def read_dataset(path: str | Path | None = None) -> Dataset:
    """Read and validate a dataset folder or GeoPackage (``None``: the shipped dataset).

    The folder must hold ``hubs.geojson`` and ``links.geojson``; a rule table
    it lacks is empty, except ``modes.csv``, which defaults to the shipped one.
    ``sources.csv``, when present, must resolve every source id the other
    files cite. A path ending in ``.gpkg`` is read with :func:`read_geopackage`.

    Raises
    ------
    NetworkValidationError
        Listing every problem found (file, record, field, reason).
    FileNotFoundError
        When the folder or one of its two GeoJSON files does not exist.
    """
    folder = default_data_dir() if path is None else Path(path)
    if folder.suffix.lower() == ".gpkg" and not folder.is_dir():
        return read_geopackage(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder {str(folder)!r} does not exist")
    for name in ("hubs.geojson", "links.geojson"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"dataset folder {str(folder)!r} has no {name}")
    problems: list[Problem] = []
    hub_feats = _read_features(folder / "hubs.geojson", problems) or []
    link_feats = _read_features(folder / "links.geojson", problems) or []
    rows = {name: _read_csv(folder / name, problems) or [] for name in _TABLES if (folder / name).is_file()}
    tables = _parse_tables(rows, problems, csv_lines=True)
    return build_dataset(
        hub_feats, link_feats, tables, problems, origin=str(folder), check_sources="sources.csv" in rows
    )


def dataset_from_records(
    hubs: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
    tables: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    *,
    origin: str = "records",
) -> Dataset:
    """Validate a dataset given as records: the same checks as :func:`read_dataset`.

    ``hubs`` are GeoJSON Point features or flat mappings with ``lon`` and ``lat``
    (or a ``geometry``: a shapely Point or a GeoJSON mapping);
    ``links`` are GeoJSON LineString features or flat mappings whose optional
    ``geometry`` is a shapely LineString or a list of (lon, lat); a link without
    geometry gets the straight geodesic between its hubs and ``approximate=True``.
    ``tables`` maps a rule-table file name (``"borders.csv"``, or ``"borders"``) to its rows;
    ``modes.csv`` defaults to the shipped one. Source ids are checked only when
    ``"sources.csv"`` is given.
    """
    problems: list[Problem] = []
    named = _named_tables(tables, problems)
    hub_feats = [_as_feature(h) for h in hubs]
    link_feats = _link_features(links, _hub_points(hub_feats))
    parsed = _parse_tables(named, problems)
    return build_dataset(hub_feats, link_feats, parsed, problems, origin=origin, check_sources="sources.csv" in named)


def _named_tables(
    tables: Mapping[str, Iterable[Mapping[str, Any]]] | None, problems: list[Problem], label: str = ""
) -> dict[str, list[Mapping[str, Any]]]:
    """Rule-table rows by file name (``"borders"`` and ``"borders.csv"`` are one table); other names are problems."""
    named: dict[str, list[Mapping[str, Any]]] = {}
    for raw_name, rows in (tables or {}).items():
        name = str(raw_name).strip()
        name = name if name in _TABLES else f"{name}.csv"
        if name not in _TABLES:
            file = f"{label}: {raw_name}" if label else str(raw_name)
            problems.append(Problem(file, "", "", f"is not a rule table, must be one of {', '.join(_TABLES)}"))
        else:
            named[name] = [*named.get(name, []), *rows]
    return named


def _parse_tables(
    rows: Mapping[str, Iterable[Mapping[str, Any]]], problems: list[Problem], *, csv_lines: bool = False
) -> dict[str, list[Any]]:
    """Parse the rule tables given by file name; a dataset without ``modes.csv`` gets the shipped one."""
    parsed = {name: _parse_table(name, rows[name], problems, csv_lines=csv_lines) for name in _TABLES if name in rows}
    if "modes.csv" not in parsed:
        parsed["modes.csv"] = _shipped_modes(problems)
    return parsed


def _link_features(
    links: Iterable[Mapping[str, Any]], coords: Mapping[Any, Any], *, sea_lanes: bool = False
) -> list[dict[str, Any]]:
    """Link records as new GeoJSON features, those without geometry given one (:func:`fill_link_geometry`)."""
    feats = []
    for raw in links:
        feat = _as_feature(raw)
        fill_link_geometry(feat, coords, sea_lanes=sea_lanes)
        feats.append(feat)
    return feats


def _hub_points(hub_feats: Iterable[Mapping[str, Any]]) -> dict[Any, Any]:
    """Hub id -> its raw [lon, lat] (from the geometry, else the lon/lat properties), before parsing."""
    coords: dict[Any, Any] = {}
    for feat in hub_feats:
        props, geom = feat.get("properties") or {}, feat.get("geometry") or {}
        point = geom.get("coordinates") if isinstance(geom, dict) else None
        coords[props.get("id")] = point or [props.get("lon"), props.get("lat")]
    return coords


def _lonlat(value: Any) -> tuple[float, float] | None:
    """``value`` as a valid (lon, lat) pair, or ``None``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) < 2:
        return None
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
        return None
    return lon, lat


SEAROUTE_PASSAGES = {"south_africa": "cape_of_good_hope"}
"""searoute passage names that have another chokepoint id in this library."""


def fill_link_geometry(feat: dict[str, Any], coords: Mapping[Any, Any], *, sea_lanes: bool = False) -> None:
    """Give a link feature that has no geometry one between its hubs, flagged ``approximate``.

    The geometry is the straight geodesic between the two hubs. With
    ``sea_lanes``, a sea link instead gets a lane on the maritime network of
    the optional ``searoute`` package (``pip install corridor_planner[data]``;
    a ``via`` of ``avoid:suez;babalmandab`` restricts it) and the passages the
    lane traverses are added to its ``chokepoints``; without searoute, or when
    it finds no lane, the geodesic is used. A feature whose hubs are unknown is
    left alone: parsing reports them.

    Parameters
    ----------
    feat : dict
        A GeoJSON link feature (as made by ``_as_feature``); changed in place.
    coords : mapping
        Hub id -> (lon, lat).
    sea_lanes : bool
        Route sea links on searoute's network when it is installed.

    Examples
    --------
    >>> feat = {"type": "Feature", "properties": {"from": "a", "to": "b", "mode": "rail"}, "geometry": None}
    >>> fill_link_geometry(feat, {"a": (70.0, 45.0), "b": (71.0, 45.0)})
    >>> feat["geometry"]["type"], feat["properties"]["approximate"]
    ('LineString', True)
    """
    if feat.get("geometry") is not None:
        return
    props = feat["properties"]
    a, b = (_lonlat(coords.get(props.get(end))) for end in ("from", "to"))
    if a is None or b is None:
        return
    line: LineString | None = None
    mode = props.get("mode")
    if sea_lanes and isinstance(mode, str) and mode.strip() == "sea":
        lane = _sea_lane(a, b, _sea_avoid(props.get("via")))
        if lane is not None:
            line, passages = lane
            known = _as_items(props.get("chokepoints"))
            props["chokepoints"] = known + [p for p in passages if p not in known]
    if line is None:
        line = great_circle(a, b)
    feat["geometry"] = geojson_geometry(line)
    props["approximate"] = True


def _as_items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return []


def _sea_avoid(via: Any) -> list[str]:
    """The passages a sea link's ``via`` (``avoid:suez;babalmandab``) excludes."""
    items = _as_items(via)
    if not items or not items[0].startswith("avoid:"):
        return []
    return [p for p in [items[0][len("avoid:") :].strip(), *items[1:]] if p]


def _sea_lane(
    a: tuple[float, float], b: tuple[float, float], avoid: Iterable[str] = ()
) -> tuple[LineString, list[str]] | None:
    """A lane a -> b on searoute's maritime network and the passages it traverses; ``None`` without a lane."""
    try:
        import searoute
    except ImportError:
        return None
    to_searoute = {ours: theirs for theirs, ours in SEAROUTE_PASSAGES.items()}
    restrictions = sorted({"northwest", "bering", *(to_searoute.get(p, p) for p in avoid)})
    try:
        feature = searoute.searoute(list(a), list(b), units="km", restrictions=restrictions, return_passages=True)
        points = [(float(x), float(y)) for x, y, *_ in feature["geometry"]["coordinates"]]
        length = float(feature["properties"].get("length", math.inf))
        passages = [str(p) for p in feature["properties"].get("traversed_passages") or []]
    except Exception:  # searoute fails in assorted ways for points it cannot connect
        return None
    if not points or not math.isfinite(length) or any(abs(x) > 180 or abs(y) > 90 for x, y in points):
        return None
    line: list[tuple[float, float]] = []
    for point in [a, *points, b]:
        if not line or point != line[-1]:
            line.append(point)
    if len(line) < 2:
        return None
    return LineString(line), sorted({SEAROUTE_PASSAGES.get(p, p) for p in passages})


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
        record = {str(k): v for k, v in zip(columns, (_clean_cell(v) for v in row)) if v is not None}
        if geometries is not None and geometries[i] is not None:
            record["geometry"] = geometries[i]
        records.append(record)
    return records


def as_records(items: Any) -> list[Mapping[str, Any]]:
    """Records from a (Geo)DataFrame (see :func:`records_from_frame`) or an iterable of mappings."""
    if items is None:
        return []
    if hasattr(items, "columns") and hasattr(items, "itertuples"):
        return list(records_from_frame(items))  # a new list[Mapping], for the type checker
    return list(items)


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
    labels.update({name: f"{path.name}: {name.removesuffix('.csv')}" for name in _TABLES})
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
    hub_feats = [_as_feature(r) for r in records_from_frame(pyogrio.read_dataframe(path, layer="hubs"))]
    link_feats = [_as_feature(r) for r in records_from_frame(pyogrio.read_dataframe(path, layer="links"))]
    rows = {
        name: records_from_frame(pyogrio.read_dataframe(path, layer=name.removesuffix(".csv"), read_geometry=False))
        for name in _TABLES
        if name.removesuffix(".csv") in layers
    }
    tables = _parse_tables(rows, problems)
    try:
        return build_dataset(
            hub_feats, link_feats, tables, problems, origin=str(path), check_sources="sources" in layers
        )
    except NetworkValidationError as err:
        relabelled = [replace(p, file=labels.get(p.file, p.file)) for p in err.problems]
        raise NetworkValidationError(relabelled, str(path)) from None


def _shipped_modes(problems: list[Problem]) -> list[Any]:
    """The shipped ``modes.csv``, for datasets that bring no mode defaults of their own."""
    return _parse_table(
        "modes.csv", _read_csv(default_data_dir() / "modes.csv", problems) or [], problems, csv_lines=True
    )


def _as_feature(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature, or a flat record with an optional ``geometry``, as a new GeoJSON feature dict."""
    if raw.get("type") == "Feature":
        return {
            "type": "Feature",
            "properties": dict(raw.get("properties") or {}),
            "geometry": geojson_geometry(raw.get("geometry")),
        }
    props = {k: v for k, v in raw.items() if k != "geometry"}
    geom = raw.get("geometry")
    if isinstance(geom, (list, tuple)):
        geom = {"type": "LineString", "coordinates": [list(c) for c in geom]}
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(geom)}


def build_dataset(
    hub_feats: Iterable[Mapping[str, Any]],
    link_feats: Iterable[Mapping[str, Any]],
    tables: Mapping[str, list[Any]],
    problems: list[Problem] | None = None,
    *,
    origin: str = "dataset",
    check_sources: bool = True,
) -> Dataset:
    """Parse and cross-check the parts of a dataset; raise if anything is wrong."""
    problems = [] if problems is None else problems
    hubs = parse_hubs(hub_feats, "hubs.geojson", problems)
    hub_map = _unique(hubs, "id", "hubs.geojson", problems)
    links = parse_links(link_feats, "links.geojson", problems, hub_map)
    link_map = _unique(links, "id", "links.geojson", problems)
    modes = {m.mode: m for m in tables.get("modes.csv", [])}
    services = _unique(tables.get("services.csv", []), "id", "services.csv", problems)
    borders = _unique(tables.get("borders.csv", []), "id", "borders.csv", problems)
    corridors = _unique(tables.get("corridors.csv", []), "id", "corridors.csv", problems)
    countries = _unique(tables.get("countries.csv", []), "iso2", "countries.csv", problems)
    sources = _unique(tables.get("sources.csv", []), "id", "sources.csv", problems) if check_sources else None
    transfers = tuple(tables.get("transfers.csv", []))
    dwells = tuple(tables.get("dwells.csv", []))
    _cross_check(hub_map, link_map, modes, services, borders, corridors, countries, transfers, dwells, problems)
    if sources is not None:
        _check_sources(hubs, links, tables, sources, problems)
    if problems:
        raise NetworkValidationError(problems, origin)
    return Dataset(
        hubs=tuple(sorted(hubs, key=lambda h: h.id)),
        links=tuple(sorted(links, key=lambda k: k.id)),
        modes=modes,
        services=services,
        borders=borders,
        transfers=transfers,
        dwells=dwells,
        corridors=corridors,
        countries=countries,
        sources=sources,
        origin=origin,
    )


def extend_dataset(
    dataset: Dataset,
    hubs: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
    *,
    label: str = "extend",
    tables: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
) -> Dataset:
    """A new dataset: ``dataset`` plus hubs, links and rule-table rows, validated like shipped data.

    The additions are parsed with the checks of :func:`read_dataset`; their
    ids must not collide with existing ones; the hubs of new links may be old
    or new; services, corridors, border crossings and countries must exist in
    the dataset's tables or among the added rows. Links without geometry get
    one from :func:`fill_link_geometry` (sea links: a searoute lane when
    searoute is installed) and are flagged ``approximate``. Sources of the
    additions are neither required nor checked. Neither ``dataset`` nor the
    given records are changed; ``origin``, ``as_of`` and ``scenarios`` are kept.

    Parameters
    ----------
    dataset : Dataset
        The dataset to extend.
    hubs, links : iterable of mapping
        Flat records or GeoJSON features, as for :func:`dataset_from_records`.
    label : str
        Names the additions in problems: ``f"{label}: hubs"``, ``f"{label}: links"``,
        ``f"{label}: borders.csv"``...
    tables : mapping, optional
        Rows to add to rule tables, by table name (``"borders.csv"`` or ``"borders"``).
        Keyed rows (a service, border crossing, corridor, country, source or mode)
        must be new; so must the hub and layers of a transfer and the hub and event of a dwell.

    Raises
    ------
    NetworkValidationError
        Listing every problem of the additions.

    Examples
    --------
    >>> base = dataset_from_records([dict(id="a", name="A", country="KZ", kind="city", lon=70, lat=45)], [])
    >>> more = extend_dataset(base, [dict(id="b", name="B", country="KZ", kind="city", lon=71, lat=45)],
    ...                       [{"id": "ab", "from": "a", "to": "b", "mode": "road"}])
    >>> [h.id for h in more.hubs], more.links[0].approximate, len(base.hubs)
    (['a', 'b'], True, 1)
    """
    problems: list[Problem] = []
    hub_file, link_file = f"{label}: hubs", f"{label}: links"
    files = {name: f"{label}: {name}" for name in _TABLES}
    added = {
        name: _parse_table(name, rows, problems, file=files[name])
        for name, rows in _named_tables(tables, problems, label).items()
    }
    modes: dict[Mode, ModeDefaults] = dict(dataset.modes)
    services, borders = dict(dataset.services), dict(dataset.borders)
    corridors, countries = dict(dataset.corridors), dict(dataset.countries)
    sources: dict[str, Source] | None = None
    if dataset.sources is not None or "sources.csv" in added:
        sources = dict(dataset.sources or {})
    keyed: dict[str, tuple[dict[Any, Any], str]] = {
        "modes.csv": (modes, "mode"), "services.csv": (services, "id"), "borders.csv": (borders, "id"),
        "corridors.csv": (corridors, "id"), "countries.csv": (countries, "iso2"),
        "sources.csv": (sources if sources is not None else {}, "id"),
    }  # fmt: skip
    transfers, dwells = list(dataset.transfers), list(dataset.dwells)
    for name, items in added.items():
        if name in keyed:
            target, key = keyed[name]
            for item in items:
                value = getattr(item, key)
                if value in target:
                    problems.append(Problem(files[name], str(value), key, f"{str(value)!r} is already in {name}"))
                target[value] = item
        else:
            existing: list[Any] = transfers if name == "transfers.csv" else dwells
            for item in items:
                what = (item.at, item.from_layer, item.to_layer) if name == "transfers.csv" else (item.at, item.event)
                if any(
                    what == ((o.at, o.from_layer, o.to_layer) if name == "transfers.csv" else (o.at, o.event))
                    for o in existing
                ):
                    problems.append(
                        Problem(files[name], item.at, "at", f"{name} already has a rule for {' / '.join(what)}")
                    )
                existing.append(item)
    hub_feats = [_as_feature(h) for h in hubs]
    new_hubs = parse_hubs(hub_feats, hub_file, problems)
    new_hub_map = _unique(new_hubs, "id", hub_file, problems)
    old_hubs = {h.id: h for h in dataset.hubs}
    for hub_id in new_hub_map:
        if hub_id in old_hubs:
            problems.append(Problem(hub_file, hub_id, "id", f"the network already has a hub {hub_id!r}"))
    all_hubs = {**new_hub_map, **old_hubs}
    coords: dict[Any, Any] = {**_hub_points(hub_feats), **{h.id: (h.lon, h.lat) for h in all_hubs.values()}}
    new_links = parse_links(_link_features(links, coords, sea_lanes=True), link_file, problems, all_hubs)
    new_link_map = _unique(new_links, "id", link_file, problems)
    old_links = {k.id for k in dataset.links}
    for link_id in new_link_map:
        if link_id in old_links:
            problems.append(Problem(link_file, link_id, "id", f"the network already has a link {link_id!r}"))
    _check_modes(new_links, modes, problems, files["modes.csv"])
    _check_hubs(new_hubs, countries, problems, hub_file)
    if countries and not dataset.countries:  # a countries table added: the network's own records must be in it
        used: dict[str, list[str]] = {}
        for hub in dataset.hubs:
            used.setdefault(hub.country, []).append(f"hub {hub.id!r}")
        for link in dataset.links:
            for code in link.countries:
                used.setdefault(code, []).append(f"link {link.id!r}")
        for code, users in sorted(used.items()):
            if code not in countries:
                more = f" and {len(users) - 3} more" if len(users) > 3 else ""
                problems.append(
                    Problem(
                        files["countries.csv"],
                        code,
                        "iso2",
                        f"{code!r} is missing, used by {', '.join(users[:3])}{more}",
                    )
                )
    _check_links(new_links, all_hubs, services, borders, corridors, countries, problems, link_file)
    _check_rules(
        added.get("transfers.csv", []),
        added.get("dwells.csv", []),
        added.get("borders.csv", []),
        all_hubs,
        problems,
        files,
    )
    if problems:
        raise NetworkValidationError(problems, f"{label} (additions to {dataset.origin})")
    return replace(
        dataset,
        hubs=tuple(sorted([*dataset.hubs, *new_hubs], key=lambda h: h.id)),
        links=tuple(sorted([*dataset.links, *new_links], key=lambda k: k.id)),
        modes=modes, services=services, borders=borders, transfers=tuple(transfers), dwells=tuple(dwells),
        corridors=corridors, countries=countries, sources=sources,
    )  # fmt: skip


def _unique(items: Iterable[Any], key: str, file: str, problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        value = getattr(item, key)
        if value in out:
            problems.append(Problem(file, str(value), key, "is used by more than one record"))
        out[value] = item
    return out


def _cross_check(
    hubs: Mapping[str, Hub],
    links: Mapping[str, Link],
    modes: Mapping[Mode, ModeDefaults],
    services: Mapping[str, Service],
    borders: Mapping[str, BorderRule],
    corridors: Mapping[str, Corridor],
    countries: Mapping[str, Country],
    transfers: Iterable[TransferRule],
    dwells: Iterable[DwellRule],
    problems: list[Problem],
) -> None:
    """Check every reference between the parts of a dataset."""
    _check_modes(links.values(), modes, problems)
    _check_hubs(hubs.values(), countries, problems, "hubs.geojson")
    _check_links(links.values(), hubs, services, borders, corridors, countries, problems, "links.geojson")
    _check_rules(transfers, dwells, borders.values(), hubs, problems)


def _check_modes(
    links: Iterable[Link], modes: Mapping[Mode, ModeDefaults], problems: list[Problem], file: str = "modes.csv"
) -> None:
    used_modes = {link.mode for link in links}
    for mode in sorted(used_modes - set(modes), key=str):
        problems.append(Problem(file, mode.value, "mode", "has no defaults but links use it"))


def _check_hubs(hubs: Iterable[Hub], countries: Mapping[str, Country], problems: list[Problem], file: str) -> None:
    for hub in hubs:
        if countries and hub.country not in countries:
            problems.append(Problem(file, hub.id, "country", f"{hub.country!r} is not in countries.csv"))


def _check_links(
    links: Iterable[Link],
    hubs: Mapping[str, Hub],
    services: Mapping[str, Service],
    borders: Mapping[str, BorderRule],
    corridors: Mapping[str, Corridor],
    countries: Mapping[str, Country],
    problems: list[Problem],
    file: str,
) -> None:
    """Check the references of ``links`` (to hubs, services, borders, corridors, countries), reporting at ``file``."""
    for link in links:

        def bad(fld: str, reason: str, link: Link = link) -> None:
            problems.append(Problem(file, link.id, fld, reason))

        if link.service is not None:
            service = services.get(link.service)
            if service is None:
                bad("service", f"service {link.service!r} is not in services.csv")
            elif service.mode is not link.mode:
                bad("service", f"service {link.service!r} is {service.mode.value}, the link is {link.mode.value}")
        for corridor in link.corridors:
            if corridor not in corridors:
                bad("corridors", f"corridor {corridor!r} is not in corridors.csv")
        for code in link.countries:
            if countries and code not in countries:
                bad("countries", f"{code!r} is not in countries.csv")
        a, b = hubs.get(link.from_hub), hubs.get(link.to_hub)
        crosses = a is not None and b is not None and a.country != b.country
        if link.mode in (Mode.RAIL, Mode.ROAD):
            if link.border_crossing is not None:
                rule = borders.get(link.border_crossing)
                if rule is None:
                    bad("border_crossing", f"{link.border_crossing!r} is not in borders.csv")
                elif rule.mode is not link.mode:
                    bad(
                        "border_crossing", f"{rule.id!r} is a {rule.mode.value} crossing, the link is {link.mode.value}"
                    )
            elif crosses and a is not None and b is not None:
                bad("border_crossing", f"the link crosses from {a.country} to {b.country} but names no border crossing")
        elif link.border_crossing is not None:
            bad("border_crossing", "only rail and road links cross land borders (ports handle customs)")


def _check_rules(
    transfers: Iterable[TransferRule],
    dwells: Iterable[DwellRule],
    borders: Iterable[BorderRule],
    hubs: Mapping[str, Hub],
    problems: list[Problem],
    files: Mapping[str, str] | None = None,
) -> None:
    """Check that the rules at hubs name existing hubs (or hub kinds)."""
    files = files or {}
    at_rules: list[TransferRule | DwellRule] = [*transfers, *dwells]
    for at_rule in at_rules:
        name, at = ("transfers.csv" if isinstance(at_rule, TransferRule) else "dwells.csv"), at_rule.at
        file = files.get(name, name)
        if at == "*":
            continue
        if at.startswith("kind:"):
            if at[5:] not in HUB_KINDS:
                problems.append(Problem(file, at, "at", f"{at[5:]!r} is not a hub kind"))
        elif at not in hubs:
            problems.append(Problem(file, at, "at", f"hub {at!r} does not exist"))
    for rule in borders:
        for hub_id in rule.hubs:
            if hub_id not in hubs:
                problems.append(
                    Problem(files.get("borders.csv", "borders.csv"), rule.id, "hubs", f"hub {hub_id!r} does not exist")
                )


def _check_sources(
    hubs: Iterable[Hub],
    links: Iterable[Link],
    tables: Mapping[str, list[Any]],
    sources: Mapping[str, Source],
    problems: list[Problem],
) -> None:
    def check(file: str, record: str, fld: str, ids: Iterable[str]) -> None:
        for sid in ids:
            if sid not in sources:
                problems.append(Problem(file, record, fld, f"source {sid!r} is not in sources.csv"))

    for hub in hubs:
        check("hubs.geojson", hub.id, "source", hub.source)
    for link in links:
        check("links.geojson", link.id, "source", link.source)
        check("links.geojson", link.id, "speed_source", link.speed_source)
        check("links.geojson", link.id, "distance_source", link.distance_source)
        if link.speed_kmh is not None and not link.speed_source:
            problems.append(Problem("links.geojson", link.id, "speed_source", "speed_kmh is set but has no source"))
        if link.official_distance_km is not None and not link.distance_source:
            problems.append(Problem("links.geojson", link.id, "distance_source", "official_distance_km has no source"))
    for name, rows in tables.items():
        if name == "sources.csv":
            continue
        for i, row in enumerate(rows, start=2):
            record = getattr(row, "id", None) or getattr(row, "iso2", None) or getattr(row, "at", None) or f"line {i}"
            if isinstance(row, ModeDefaults):
                record = row.mode.value
            source = getattr(row, "source", ())
            if not source:
                problems.append(Problem(name, str(record), "source", "every figure needs a source or assumption id"))
            check(name, str(record), "source", source)


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
        "corridors": list(link.corridors), "cargo": list(link.cargo), "two_way": link.two_way,
        "speed_kmh": link.speed_kmh, "speed_source": ";".join(link.speed_source), "service": link.service,
        "border_crossing": link.border_crossing, "official_distance_km": link.official_distance_km,
        "distance_source": ";".join(link.distance_source), "countries": list(link.countries),
        "chokepoints": list(link.chokepoints), "source": ";".join(link.source), "note": link.note,
        "distance_km": link.distance_km, "approximate": link.approximate,
        "cost_usd_per_teu_km": link.cost_usd_per_teu_km, "co2_g_per_tkm": link.co2_g_per_tkm,
    }  # fmt: skip
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in link.geometry.coords]},
    }
