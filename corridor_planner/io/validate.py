"""Parsing and validating raw records into the model: every problem collected with its file, record and field.

One pass parses each record (:class:`Record` records problems instead of raising),
then :func:`build_dataset` cross-checks the references between the parts and
raises one :class:`~corridor_planner.errors.NetworkValidationError` listing them all.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from shapely.geometry import LineString

from ..errors import NetworkValidationError, Problem
from ..model import quantities
from ..model.dataset import Dataset, default_data_dir
from ..model.geo import geodesic_length_km
from ..model.layers import GAUGES_MM, RULE_LAYERS_HELP, is_rule_layer
from ..model.records import (
    CARGO_CLASSES,
    DWELL_EVENTS,
    HUB_KINDS,
    SCO_STATUSES,
    SOURCE_KINDS,
    BorderRule,
    Corridor,
    Country,
    DwellRule,
    HoursRange,
    Hub,
    Link,
    Mode,
    ModeDefaults,
    Service,
    Source,
    Status,
    TransferRule,
)
from ..model.seasons import Season, parse_day
from ..model.timetable import WEEKDAYS
from ..text import shown

MAX_TEXT = 200
"""The longest id, name, code or list item (characters)."""
MAX_LONG_TEXT = 10_000
"""The longest free text: notes, descriptions, titles, quotes."""
LONG_TEXT_FIELDS = frozenset({"note", "description", "title", "address", "published", "quote"})

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
GEOMETRY_TOLERANCE_DEG = 0.01
"""How far (degrees) a link's first/last point may lie from its hubs."""


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

    def value(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                return None
        return value

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self.value(name)
        if value is None:
            if required:
                self.problem(name, "is missing")
            return default
        if not isinstance(value, str):
            self.problem(name, f"must be text, not {shown(value)}")
            return default
        limit = MAX_LONG_TEXT if name in LONG_TEXT_FIELDS else MAX_TEXT
        if len(value) > limit:
            self.problem(name, f"is {len(value):,} characters long, more than {limit:,}")
            return default
        return value

    def ident(self, name: str) -> str:
        value = self.text(name)
        if value and not _ID.match(value):
            self.problem(name, f"{shown(value)} is not a valid id (lower-case letters, digits and '_')")
        return value

    def number(
        self, name: str, valid: quantities.Range, *, required: bool = True, default: float | None = None
    ) -> float | None:
        """The field as a finite number in ``valid`` (see :mod:`corridor_planner.model.quantities`), else a problem."""
        value = self.value(name)
        if value is None:
            if required:
                self.problem(name, "is missing")
            return default
        try:
            return quantities.number(value, valid)
        except quantities.NumberError as exc:
            self.problem(name, str(exc))
            return default

    def integer(self, name: str, valid: quantities.Range, *, required: bool = False) -> int | None:
        value = self.value(name)
        if value is None:
            if required:
                self.problem(name, "is missing")
            return None
        try:
            return quantities.integer(value, valid)
        except quantities.NumberError as exc:
            self.problem(name, str(exc))
            return None

    def boolean(self, name: str, default: bool) -> bool:
        value = self.value(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):  # GIS boolean fields often read as 0/1
            return bool(value)
        if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no", "1", "0"}:
            return value.lower() in {"true", "yes", "1"}
        self.problem(name, f"must be true or false, not {shown(value)}")
        return default

    def items(self, name: str, sep: str = ";") -> tuple[str, ...]:
        value = self.value(name)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(sep)]
        elif isinstance(value, (list, tuple)):
            if not all(p is None or isinstance(p, str) for p in value):
                self.problem(name, f"must be a list of text, not {shown(value)}")
                return ()
            parts = [p.strip() if p is not None else "" for p in value]
            for part in parts:
                if sep in part:  # written joined with sep, it would read back as several items
                    self.problem(name, f"item {shown(part)} contains the list separator {sep!r}")
        else:
            self.problem(name, f"must be a list or {sep!r}-separated text, not {shown(value)}")
            return ()
        for part in parts:
            if len(part) > MAX_TEXT:
                self.problem(name, f"item {shown(part)} is longer than {MAX_TEXT} characters")
                return ()
        return tuple(p for p in parts if p)

    def choice(self, name: str, valid: Iterable[str], *, required: bool = True, default: str = "") -> str:
        value = self.text(name, required=required, default=default)
        allowed = sorted(valid)
        if value and value not in allowed:
            self.problem(name, f"{shown(value)} is not one of {', '.join(allowed)}")
            return default
        return value

    def triple(self, prefix: str) -> HoursRange:
        lo = self.number(f"{prefix}_min", quantities.HOURS, default=0.0)
        typ = self.number(f"{prefix}_typ", quantities.HOURS, default=0.0)
        hi = self.number(f"{prefix}_max", quantities.HOURS, default=0.0)
        assert lo is not None and typ is not None and hi is not None
        if not lo <= typ <= hi:
            self.problem(prefix, f"needs min <= typ <= max, got {lo:g} / {typ:g} / {hi:g}")
        return HoursRange(lo, typ, hi)


def _check_fields(rec: _Record, known: Iterable[str]) -> None:
    unknown = sorted(set(rec.raw) - set(known))
    for name in unknown:
        rec.problem(name, "is not a known field (see data/README.md)")


def _record_name(raw: Mapping[str, Any], key: str, index: int, what: str) -> str:
    value = raw.get(key)
    if isinstance(value, str) and value.strip():
        return value if len(value) <= MAX_TEXT else f"{what} {index}"  # a long id is reported, not repeated
    return f"{what} {index}"


# --------------------------------------------------------------------------- tables

HUB_FIELDS = ("id", "name", "country", "kind", "aliases", "chokepoint", "source", "note", "lon", "lat")
LINK_FIELDS = (
    "id", "from", "to", "mode", "via", "gauge_mm", "status", "opens", "closes", "corridors", "cargo", "two_way",
    "speed_kmh", "speed_source", "service", "border_crossing", "official_distance_km", "distance_source",
    "countries", "chokepoints", "source", "note", "distance_km", "approximate", "cost_usd_per_teu_km",
    "co2_g_per_tkm", "terrain", "circuity",
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
        lon = _coord(rec, "lon", quantities.LONGITUDE)
        lat = _coord(rec, "lat", quantities.LATITUDE)
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


def _coord(rec: _Record, name: str, valid: quantities.Range) -> float:
    value = rec.number(name, valid, default=None)
    return 0.0 if value is None else value


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
        opens = rec.integer("opens", quantities.YEAR)
        if status is not Status.OPERATIONAL and status is not Status.CLOSED and opens is None:
            rec.problem("opens", f"a link that is {status.value} needs the year it opens")
        closes = rec.integer("closes", quantities.YEAR)
        if closes is not None and status is not Status.CLOSED:
            rec.problem("closes", f"only a closed link has the year it closed, not a link that is {status.value}")
        elif closes is not None and opens is not None and closes <= opens:
            rec.problem("closes", f"{closes} is not after the year it opens ({opens})")
        gauge = rec.integer("gauge_mm", quantities.GAUGE_MM)
        if mode_name == "rail" and not gauge:
            rec.problem("gauge_mm", "a rail link needs its gauge in mm")
        elif mode_name == "rail" and gauge not in GAUGES_MM:
            rec.problem("gauge_mm", f"{gauge} is not one of {', '.join(map(str, GAUGES_MM))} mm")
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
        distance = rec.number("distance_km", quantities.DISTANCE_KM, required=False)
        official = rec.number("official_distance_km", quantities.DISTANCE_KM, required=False)
        if geometry is not None:
            distance = _check_distances(rec, geometry, distance, official)
        speed = rec.number("speed_kmh", quantities.SPEED_KMH, required=False)
        unit_cost = rec.number("cost_usd_per_teu_km", quantities.COST_USD_PER_TEU_KM, required=False)
        co2_factor = rec.number("co2_g_per_tkm", quantities.CO2_G_PER_TKM, required=False)
        terrain = rec.text("terrain", required=False) or None
        circuity = rec.number("circuity", quantities.LINK_CIRCUITY, required=False)
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
                    closes=closes,
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
                    terrain=terrain,
                    circuity=circuity,
                )
            )
    return links


DISTANCE_FLOOR = 0.01
"""A link's ``distance_km`` may not be less than this share of its geometry's geodesic length.

Generous on purpose: a geometry may be a rough sketch (and hand-made test
networks put hubs far apart with short links), but a distance a hundred times
shorter than the line drawn is a unit or typing error (km given in thousands,
``1e-300``)."""
OFFICIAL_DISTANCE_TOLERANCE = 0.10
"""How much shorter (relative) than the geometry's length ``official_distance_km`` may be (data/README.md)."""
MAX_CIRCUITY = 2.0
"""How many times the geometry's length ``official_distance_km`` may be: straight segments under-read a winding
line (published lengths run 4-69 % over the drawn lines, ``data/src/published_lengths.csv``), but twice the
drawn line is a unit or typing error."""


def _check_distances(
    rec: _Record, geometry: LineString, distance: float | None, official: float | None
) -> float | None:
    """The link's distance, checked against the geometry.

    The distance is ``distance_km`` if given, else the published
    ``official_distance_km``, else the geometry's geodesic length.
    ``distance_km`` may differ from the drawn line (a sketch), but not be less
    than 1 % of it; ``official_distance_km`` must lie between 90 % and
    :data:`MAX_CIRCUITY` times the drawn line (a line winds, but is never much
    shorter than its chord).
    """
    length = geodesic_length_km(geometry)
    if not length <= quantities.DISTANCE_KM.hi:
        rec.problem("geometry", f"is {length:,.0f} km long, more than {quantities.DISTANCE_KM.hi:,.0f} km")
        return None
    if distance is not None and distance < DISTANCE_FLOOR * length:
        rec.problem(
            "distance_km",
            f"{distance:,.6g} km is less than {DISTANCE_FLOOR:.0%} of the length of the link's geometry ({length:,.1f} km)",
        )
    if official is not None and length > 0:
        if official < (1 - OFFICIAL_DISTANCE_TOLERANCE) * length:
            rec.problem(
                "official_distance_km",
                f"{official:,.6g} km is shorter than the line drawn between the hubs ({length:,.1f} km)",
            )
        elif official > MAX_CIRCUITY * length:
            rec.problem(
                "official_distance_km",
                f"{official:,.6g} km is more than {MAX_CIRCUITY:g} times the line drawn ({length:,.1f} km): "
                "a unit or typing error?",
            )
    if distance is not None:
        return distance
    return length if official is None else official


def _line(rec: _Record, geom: Any) -> LineString | None:
    if not isinstance(geom, dict) or geom.get("type") != "LineString":
        kind = geom.get("type") if isinstance(geom, dict) else None if geom is None else type(geom).__name__
        rec.problem("geometry", "must be a GeoJSON LineString" + (f", not {kind!r}" if kind else ""))
        return None
    coords = geom.get("coordinates") or []
    try:
        points = [(float(x), float(y)) for x, y, *_ in coords]
    except (TypeError, ValueError, OverflowError):
        rec.problem("geometry", "coordinates must be [lon, lat] pairs of numbers")
        return None
    if len(points) < 2:
        rec.problem("geometry", "needs at least two points")
        return None
    if not all(math.isfinite(x) and math.isfinite(y) and abs(x) <= 180 and abs(y) <= 90 for x, y in points):
        rec.problem("geometry", "has coordinates that are not finite lon/lat")
        return None
    return LineString(points)


def parse_table(
    name: str,
    rows: Iterable[Mapping[str, Any]],
    problems: list[Problem],
    file: str | None = None,
    *,
    csv_lines: bool = False,
) -> list[Any]:
    """Parse the rows of one rule table; a row without a usable key is named ``line N`` of a CSV file, else ``row N``."""
    known, key, build = TABLES[name]
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
    speed = rec.number("speed_kmh", quantities.SPEED_KMH) or 1.0
    hours = rec.number("hours_per_day", quantities.HOURS_PER_DAY) or 24.0
    speed_source, cost_source, co2_source = rec.items("speed_source"), rec.items("cost_source"), rec.items("co2_source")
    low = rec.number("speed_kmh_min", quantities.SPEED_KMH, required=False)
    high = rec.number("speed_kmh_max", quantities.SPEED_KMH, required=False)
    if low is not None and low > speed:
        rec.problem("speed_kmh_min", f"must not exceed speed_kmh ({speed:g}), got {low:g}")
    if high is not None and high < speed:
        rec.problem("speed_kmh_max", f"must not be below speed_kmh ({speed:g}), got {high:g}")
    hours_max = rec.number("hours_per_day_max", quantities.HOURS_PER_DAY, required=False)
    crew2 = rec.number("crew2_hours_per_day", quantities.HOURS_PER_DAY, required=False)
    crew2_max = rec.number("crew2_hours_per_day_max", quantities.HOURS_PER_DAY, required=False)
    for column, value, floor in (("hours_per_day_max", hours_max, hours),
                               ("crew2_hours_per_day", crew2, hours),
                               ("crew2_hours_per_day_max", crew2_max, crew2 if crew2 is not None else hours)):  # fmt: skip
        if value is not None and not floor <= value <= 24:
            rec.problem(column, f"must lie between {floor:g} and 24 hours, got {value:g}")
    range_source = rec.items("range_source")
    if (low is not None or high is not None or crew2 is not None) and not range_source:
        rec.problem("range_source", "a speed range or crew hours need a source")
    return ModeDefaults(
        mode=Mode(name) if name else Mode.RAIL,
        speed_kmh=speed,
        hours_per_day=hours,
        cost_usd_per_teu_km=rec.number("cost_usd_per_teu_km", quantities.COST_USD_PER_TEU_KM) or 0.0,
        co2_g_per_tkm=rec.number("co2_g_per_tkm", quantities.CO2_G_PER_TKM) or 0.0,
        source=speed_source + cost_source + co2_source + range_source,
        speed_source=speed_source,
        cost_source=cost_source,
        co2_source=co2_source,
        note=rec.text("note", required=False),
        speed_kmh_min=low,
        speed_kmh_max=high,
        hours_per_day_max=hours_max,
        crew2_hours_per_day=crew2,
        crew2_hours_per_day_max=crew2_max,
        range_source=range_source,
    )


def _service(rec: _Record) -> Service:
    name = rec.choice("mode", [m.value for m in Mode])
    frequency = rec.number("frequency_per_week", quantities.FREQUENCY_PER_WEEK) or 1.0
    weekdays = rec.items("weekdays")
    for day in weekdays:
        if day not in WEEKDAYS:
            rec.problem("weekdays", f"{shown(day)} is not a weekday, must be among {', '.join(WEEKDAYS)}")
    if len(set(weekdays)) != len(weekdays):
        rec.problem("weekdays", f"names a day more than once ({';'.join(weekdays)})")
    elif weekdays and len(weekdays) != frequency:
        rec.problem(
            "weekdays",
            f"names {len(weekdays)} day{'s' if len(weekdays) != 1 else ''} a week, "
            f"but frequency_per_week is {frequency:g}",
        )
    hour = rec.integer("departure_hour", quantities.HOUR_OF_DAY)
    on_time = rec.number("on_time_share", quantities.SHARE, required=False)
    late_mean = rec.number("late_delay_days_mean", quantities.LATE_DELAY_DAYS, required=False)
    late_source = rec.items("late_source")
    given = {"on_time_share": rec.value("on_time_share"), "late_delay_days_mean": rec.value("late_delay_days_mean")}
    for fld, other in (("on_time_share", "late_delay_days_mean"), ("late_delay_days_mean", "on_time_share")):
        if given[fld] is not None and given[other] is None:
            rec.problem(other, f"is missing: {fld} is set, and late arrivals need both")
    return Service(
        id=rec.ident("id"),
        mode=Mode(name) if name else Mode.SEA,
        name=rec.text("name"),
        frequency_per_week=frequency,
        speed_kmh=rec.number("speed_kmh", quantities.SPEED_KMH, required=False),
        co2_g_per_tkm=rec.number("co2_g_per_tkm", quantities.CO2_G_PER_TKM, required=False),
        source=rec.items("source"),
        note=rec.text("note", required=False),
        weekdays=weekdays,
        departure_hour=hour,
        on_time_share=on_time,
        late_delay_days_mean=late_mean,
        late_source=late_source,
    )


def _border(rec: _Record) -> BorderRule:
    name = rec.choice("mode", ["rail", "road"])
    return BorderRule(
        id=rec.ident("id"),
        name=rec.text("name"),
        mode=Mode(name) if name else Mode.RAIL,
        hubs=rec.items("hubs", sep="|"),
        time_h=rec.triple("time_h"),
        cost_usd=rec.number("cost_usd", quantities.COST_USD) or 0.0,
        source=rec.items("source"),
        note=rec.text("note", required=False),
    )


def _transfer(rec: _Record) -> TransferRule:
    layers = []
    for name in ("from_layer", "to_layer"):
        value = rec.text(name)
        if value and not is_rule_layer(value):
            rec.problem(name, f"{shown(value)} is not a layer ({RULE_LAYERS_HELP})")
        layers.append(value)
    return TransferRule(
        at=rec.text("at"),
        from_layer=layers[0],
        to_layer=layers[1],
        two_way=rec.boolean("two_way", True),
        time_h=rec.triple("time_h"),
        cost_usd=rec.number("cost_usd", quantities.COST_USD) or 0.0,
        source=rec.items("source"),
        note=rec.text("note", required=False),
    )


def _dwell(rec: _Record) -> DwellRule:
    return DwellRule(
        at=rec.text("at"),
        event=rec.choice("event", DWELL_EVENTS),
        time_h=rec.triple("time_h"),
        cost_usd=rec.number("cost_usd", quantities.COST_USD) or 0.0,
        source=rec.items("source"),
        note=rec.text("note", required=False),
    )


def _season(rec: _Record) -> Season:
    days = []
    for name in ("start", "end"):
        text = rec.text(name)
        try:
            days.append(parse_day(text) if text else None)
        except ValueError:
            rec.problem(name, f"{shown(text)} is not a date YYYY-MM-DD nor a day of every year MM-DD")
            days.append(None)
    start, end = days
    if start is not None and end is not None:
        if type(start) is not type(end):
            rec.problem("end", "start and end must both be dates (YYYY-MM-DD) or both days of every year (MM-DD)")
        elif not isinstance(start, tuple) and not isinstance(end, tuple) and end < start:
            rec.problem("end", f"{end.isoformat()} is before start {start.isoformat()}")
    modes = rec.items("modes")
    valid_modes = [m.value for m in Mode]
    for mode in modes:
        if mode not in valid_modes:
            rec.problem("modes", f"{shown(mode)} is not a mode, must be among {', '.join(valid_modes)}")
    at = rec.items("at")
    if not at:
        rec.problem("at", "is missing: name hub ids, kind:<hub kind>, country:<ISO2> or *")
    chance = rec.number("chance", quantities.SHARE, required=False, default=1.0)
    return Season(
        id=rec.ident("id"),
        name=rec.text("name"),
        at=at,
        start=start or (1, 1),
        end=end or (12, 31),
        time_h=rec.triple("time_h"),
        modes=modes,
        chance=1.0 if chance is None else chance,
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


TABLES: dict[str, tuple[tuple[str, ...], str, Callable[[_Record], Any]]] = {
    "modes.csv": (
        ("mode", "speed_kmh", "hours_per_day", "cost_usd_per_teu_km", "co2_g_per_tkm", "speed_source",
         "cost_source", "co2_source", "speed_kmh_min", "speed_kmh_max", "hours_per_day_max", "crew2_hours_per_day",
         "crew2_hours_per_day_max", "range_source", "note"), "mode", _mode),
    "services.csv": (
        ("id", "mode", "name", "frequency_per_week", "speed_kmh", "co2_g_per_tkm", "source", "note", "weekdays",
         "departure_hour", "on_time_share", "late_delay_days_mean", "late_source"), "id", _service),
    "borders.csv": (
        ("id", "name", "mode", "hubs", "time_h_min", "time_h_typ", "time_h_max", "cost_usd", "source", "note"), "id", _border),
    "transfers.csv": (
        ("at", "from_layer", "to_layer", "two_way", "time_h_min", "time_h_typ", "time_h_max", "cost_usd", "source", "note"),
        "", _transfer),
    "dwells.csv": (("at", "event", "time_h_min", "time_h_typ", "time_h_max", "cost_usd", "source", "note"), "", _dwell),
    "seasons.csv": (
        ("id", "name", "at", "modes", "start", "end", "chance", "time_h_min", "time_h_typ", "time_h_max", "source",
         "note"), "id", _season),
    "corridors.csv": (("id", "name", "description", "source"), "id", _corridor),
    "countries.csv": (("iso2", "name", "sco_status", "source"), "iso2", _country),
    "sources.csv": (("id", "kind", "title", "address", "published", "quote", "note"), "id", _source),
}  # fmt: skip


def named_tables(
    tables: Mapping[str, Iterable[Mapping[str, Any]]] | None, problems: list[Problem], label: str = ""
) -> dict[str, list[Mapping[str, Any]]]:
    """Rule-table rows by file name (``"borders"`` and ``"borders.csv"`` are one table); other names are problems."""
    named: dict[str, list[Mapping[str, Any]]] = {}
    if tables is not None and not isinstance(tables, Mapping):
        problems.append(Problem(label or "tables", "", "", f"must map table names to rows, not {shown(tables)}"))
        return named
    for raw_name, rows in (tables or {}).items():
        name = str(raw_name).strip()
        name = name if name in TABLES else f"{name}.csv"
        display = raw_name if isinstance(raw_name, str) and len(raw_name) <= 60 else shown(raw_name, 40)
        file = f"{label}: {display}" if label else display
        if name not in TABLES:
            problems.append(Problem(file, "", "", f"is not a rule table, must be one of {', '.join(TABLES)}"))
        elif isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Iterable):
            problems.append(Problem(file, "", "", f"must be a list of rows (mappings), not {shown(rows)}"))
        else:
            good = []
            for i, row in enumerate(rows, start=1):
                if isinstance(row, Mapping):
                    good.append(row)
                else:
                    problems.append(
                        Problem(file, f"row {i}", "", f"must be a mapping of fields to values, not {shown(row)}")
                    )
            named[name] = [*named.get(name, []), *good]
    return named


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
    hub_map = unique_by(hubs, "id", "hubs.geojson", problems)
    links = parse_links(link_feats, "links.geojson", problems, hub_map)
    link_map = unique_by(links, "id", "links.geojson", problems)
    modes: dict[Any, ModeDefaults] = unique_by(tables.get("modes.csv", []), "mode", "modes.csv", problems)
    services = unique_by(tables.get("services.csv", []), "id", "services.csv", problems)
    borders = unique_by(tables.get("borders.csv", []), "id", "borders.csv", problems)
    corridors = unique_by(tables.get("corridors.csv", []), "id", "corridors.csv", problems)
    countries = unique_by(tables.get("countries.csv", []), "iso2", "countries.csv", problems)
    sources = unique_by(tables.get("sources.csv", []), "id", "sources.csv", problems) if check_sources else None
    transfer_list: list[TransferRule] = []
    dwell_list: list[DwellRule] = []
    add_rules("transfers.csv", transfer_list, tables.get("transfers.csv", []), "transfers.csv", problems)
    add_rules("dwells.csv", dwell_list, tables.get("dwells.csv", []), "dwells.csv", problems)
    transfers, dwells = tuple(transfer_list), tuple(dwell_list)
    seasons = unique_by(tables.get("seasons.csv", []), "id", "seasons.csv", problems)
    _cross_check(hub_map, link_map, modes, services, borders, corridors, countries, transfers, dwells, problems)
    check_seasons(seasons.values(), hub_map, problems)
    if sources is not None:
        check_source_ids(hubs, links, tables, sources, problems)
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
        seasons=tuple(seasons.values()),
    )


def check_seasons(seasons: Iterable[Season], hubs: Mapping[str, Hub], problems: list[Problem], file: str = "") -> None:
    """Check that every ``at`` of ``seasons`` names a hub, a hub kind, a country of a hub or ``*``."""
    countries = {h.country for h in hubs.values()}
    for season in seasons:
        for at in season.at:
            if at == "*":
                continue
            if at.startswith("kind:"):
                if at[5:] not in HUB_KINDS:
                    problems.append(Problem(file or "seasons.csv", season.id, "at", f"{at[5:]!r} is not a hub kind"))
            elif at.startswith("country:"):
                if at[8:] not in countries:
                    problems.append(
                        Problem(file or "seasons.csv", season.id, "at", f"no hub lies in country {at[8:]!r}")
                    )
            elif at not in hubs:
                problems.append(Problem(file or "seasons.csv", season.id, "at", f"hub {at!r} does not exist"))


def _rule_key(rule: TransferRule | DwellRule) -> tuple[str, ...]:
    """What a transfer or dwell rule applies to: (at, from_layer, to_layer) or (at, event)."""
    if isinstance(rule, TransferRule):
        return (rule.at, rule.from_layer, rule.to_layer)
    return (rule.at, rule.event)


def add_rules(name: str, existing: list[Any], items: Iterable[Any], file: str, problems: list[Problem]) -> None:
    """Append transfer or dwell rules to ``existing``; a rule for what an earlier one covers is a problem."""
    seen = {_rule_key(rule) for rule in existing}
    for item in items:
        key = _rule_key(item)
        if key in seen:
            problems.append(Problem(file, item.at, "at", f"{name} already has a rule for {' / '.join(key)}"))
        seen.add(key)
        existing.append(item)


def unique_by(items: Iterable[Any], key: str, file: str, problems: list[Problem]) -> dict[str, Any]:
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
    check_modes(links.values(), modes, problems)
    check_hubs(hubs.values(), countries, problems, "hubs.geojson")
    check_links(links.values(), hubs, services, borders, corridors, countries, problems, "links.geojson")
    check_rules(transfers, dwells, borders.values(), hubs, problems)


def check_modes(
    links: Iterable[Link], modes: Mapping[Mode, ModeDefaults], problems: list[Problem], file: str = "modes.csv"
) -> None:
    used_modes = {link.mode for link in links}
    for mode in sorted(used_modes - set(modes), key=str):
        problems.append(Problem(file, mode.value, "mode", "has no defaults but links use it"))


def check_hubs(hubs: Iterable[Hub], countries: Mapping[str, Country], problems: list[Problem], file: str) -> None:
    for hub in hubs:
        if countries and hub.country not in countries:
            problems.append(Problem(file, hub.id, "country", f"{hub.country!r} is not in countries.csv"))


def check_links(
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


def check_rules(
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


def check_source_ids(
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
            if isinstance(row, Service):
                check(name, str(record), "late_source", row.late_source)
                if row.late_arrival is not None and not row.late_source:
                    problems.append(Problem(name, str(record), "late_source", "on_time_share is set but has no source"))


def read_csv(path: Path, problems: list[Problem]) -> list[dict[str, str]] | None:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:  # a BOM (as Excel writes) is no field name
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


def parse_tables(
    rows: Mapping[str, Iterable[Mapping[str, Any]]], problems: list[Problem], *, csv_lines: bool = False
) -> dict[str, list[Any]]:
    """Parse the rule tables given by file name; a dataset without ``modes.csv`` gets the shipped one."""
    parsed = {name: parse_table(name, rows[name], problems, csv_lines=csv_lines) for name in TABLES if name in rows}
    if "modes.csv" not in parsed:
        parsed["modes.csv"] = shipped_modes(problems)
    return parsed


def shipped_modes(problems: list[Problem]) -> list[Any]:
    """The shipped ``modes.csv``, for datasets that bring no mode defaults of their own."""
    return parse_table(
        "modes.csv", read_csv(default_data_dir() / "modes.csv", problems) or [], problems, csv_lines=True
    )
