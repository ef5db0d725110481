"""The records of the physical layer: hubs, links, rules at hubs, corridors, countries and sources (frozen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from shapely.geometry import LineString

from .layers import link_layer
from .timetable import Timetable


class Mode(str, Enum):
    """A transport mode."""

    RAIL = "rail"
    ROAD = "road"
    SEA = "sea"
    AIR = "air"
    PIPELINE = "pipeline"

    def __str__(self) -> str:
        return str(self.value)


class Status(str, Enum):
    """The state of a link; only operational links, or links whose ``opens`` year has come, carry traffic."""

    OPERATIONAL = "operational"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
    CLOSED = "closed"

    def __str__(self) -> str:
        return str(self.value)


HUB_KINDS = frozenset({"city", "port", "dry_port", "border_station", "station", "airport", "terminal", "waypoint"})
"""The kinds a hub can be."""

CARGO_CLASSES = frozenset({"container", "general", "dry_bulk", "liquid_bulk", "gas"})
"""The cargo classes a link can carry."""


@dataclass(frozen=True)
class HoursRange:
    """A dwell as a distribution: ``min`` <= ``typ`` <= ``max`` hours. Plain planning uses ``typ``."""

    min: float
    typ: float
    max: float

    @classmethod
    def zero(cls) -> HoursRange:
        return cls(0.0, 0.0, 0.0)

    def scaled(self, factor: float) -> HoursRange:
        return HoursRange(self.min * factor, self.typ * factor, self.max * factor)


@dataclass(frozen=True)
class Hub:
    """A place where freight enters, leaves or changes mode (lon/lat in EPSG:4326)."""

    id: str
    name: str
    country: str
    kind: str
    lon: float
    lat: float
    aliases: tuple[str, ...] = ()
    chokepoint: str | None = None
    source: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Link:
    """A connection between two hubs by one mode, with its geometry (from ``from_hub`` to ``to_hub``)."""

    id: str
    from_hub: str
    to_hub: str
    mode: Mode
    geometry: LineString = field(repr=False, compare=False)
    distance_km: float
    status: Status = Status.OPERATIONAL
    opens: int | None = None
    closes: int | None = None
    """The year from which a ``closed`` link carries no traffic (``None`` on a closed link: it never does)."""
    gauge_mm: int | None = None
    corridors: tuple[str, ...] = ()
    cargo: tuple[str, ...] = ("container", "general")
    two_way: bool = True
    speed_kmh: float | None = None
    cost_usd_per_teu_km: float | None = None
    co2_g_per_tkm: float | None = None
    service: str | None = None
    border_crossing: str | None = None
    official_distance_km: float | None = None
    countries: tuple[str, ...] = ()
    chokepoints: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    approximate: bool = False
    source: tuple[str, ...] = ()
    speed_source: tuple[str, ...] = ()
    distance_source: tuple[str, ...] = ()
    note: str = ""
    terrain: str | None = None  # plains, mountains or china_network: a shipped land link's circuity class
    circuity: float | None = None  # factor that made distance_km from the drawn line (None: published or unfitted)

    @property
    def layer(self) -> str:
        """The routing layer: ``rail1435``, ``road``, ``sea:<service>``..."""
        return link_layer(self.mode.value, self.gauge_mm, self.service, self.id)

    def is_open(self, year: int) -> bool:
        """Whether the link carries traffic in ``year`` (a link closed since ``closes`` did before it)."""
        if self.status is Status.CLOSED and (self.closes is None or year >= self.closes):
            return False
        return self.opens is None or self.opens <= year


@dataclass(frozen=True)
class ModeDefaults:
    """Per-mode defaults: running speed, hours moving per day, cost and emission factors."""

    mode: Mode
    speed_kmh: float
    hours_per_day: float
    cost_usd_per_teu_km: float
    co2_g_per_tkm: float
    source: tuple[str, ...] = ()
    """Every source of the row: ``speed_source + cost_source + co2_source + range_source``."""
    speed_source: tuple[str, ...] = ()
    cost_source: tuple[str, ...] = ()
    co2_source: tuple[str, ...] = ()
    note: str = ""
    speed_kmh_min: float | None = None
    """The slow end of the running speed (``None``: no spread); links and services with their own speed scale it."""
    speed_kmh_max: float | None = None
    """The fast end of the running speed (``None``: no spread)."""
    hours_per_day_max: float | None = None
    """The most hours a day the mode moves with one driver (``None``: ``hours_per_day``)."""
    crew2_hours_per_day: float | None = None
    """Typical hours a day moving with a two-driver crew (``None``: as one driver)."""
    crew2_hours_per_day_max: float | None = None
    """The most hours a day moving with a two-driver crew (``None``: ``crew2_hours_per_day``)."""
    range_source: tuple[str, ...] = ()
    """Sources of the speed range and of the driving hours (one and two drivers)."""

    def speed_ratios(self) -> tuple[float, float]:
        """Slow and fast ends of the speed as fractions of the typical speed (1, 1 without a range)."""
        low = self.speed_kmh_min if self.speed_kmh_min is not None else self.speed_kmh
        high = self.speed_kmh_max if self.speed_kmh_max is not None else self.speed_kmh
        return low / self.speed_kmh, high / self.speed_kmh

    def driving_hours(self, crew: int = 1) -> HoursRange:
        """Hours a day the mode moves with ``crew`` drivers: min (= typical, the daily limit), typical, max."""
        if crew == 2 and self.crew2_hours_per_day is not None:
            typ = self.crew2_hours_per_day
            high = self.crew2_hours_per_day_max if self.crew2_hours_per_day_max is not None else typ
        else:
            typ = self.hours_per_day
            high = self.hours_per_day_max if self.hours_per_day_max is not None else typ
        return HoursRange(typ, typ, max(high, typ))


ON_TIME_WINDOW_DAYS = 1.0
"""A liner arrival within this many days of its schedule is on time (Sea-Intelligence's definition,
``S-T-SEAINTEL-ON-TIME``): a late arrival is later than this."""


@dataclass(frozen=True)
class LateArrival:
    """How often a liner service's vessels arrive late, and how late (``services.csv``; ``A-T-LINER-LATE``).

    A voyage on the service arrives on schedule with probability :attr:`on_time_share`, else late by
    :data:`ON_TIME_WINDOW_DAYS` plus an exponential, so that the mean delay of a late arrival is
    :attr:`late_delay_days_mean` (only the share and that mean are published). Only
    :meth:`Route.distribution <corridor_planner.routing.route.Route.distribution>` draws it; a plan's
    typical time is the schedule's.
    """

    service: str
    on_time_share: float
    late_delay_days_mean: float

    @property
    def late_share(self) -> float:
        return 1.0 - self.on_time_share

    @property
    def mean_days(self) -> float:
        """The mean delay over all voyages (on time ones count 0)."""
        return self.late_share * self.late_delay_days_mean


@dataclass(frozen=True)
class Service:
    """A scheduled service (ferry, feeder, liner loop); waiting for it is half its headway.

    A dated plan (``plan(depart=...)``) waits for its next departure by :attr:`timetable`:
    the sourced ``weekdays`` at ``departure_hour`` UTC, else a regular headway from a Monday 00:00 UTC (:data:`~corridor_planner.model.timetable.EPOCH`).
    """

    id: str
    mode: Mode
    name: str
    frequency_per_week: float
    speed_kmh: float | None = None
    co2_g_per_tkm: float | None = None
    source: tuple[str, ...] = ()
    note: str = ""
    weekdays: tuple[str, ...] = ()
    """The days it departs (``Mon`` ... ``Sun``), where a source gives them; as many as ``frequency_per_week``."""
    departure_hour: int | None = None
    """The hour (0-23, UTC) it departs on its ``weekdays`` (or the phase of its headway); ``None``: 00:00."""
    on_time_share: float | None = None
    """The share of its vessel arrivals on schedule (within :data:`ON_TIME_WINDOW_DAYS`); ``None``: not drawn."""
    late_delay_days_mean: float | None = None
    """The mean delay in days of its late arrivals (set together with :attr:`on_time_share`)."""
    late_source: tuple[str, ...] = ()
    """Sources of :attr:`on_time_share` and :attr:`late_delay_days_mean`."""

    @property
    def late_arrival(self) -> LateArrival | None:
        """Its late arrivals (:class:`LateArrival`), where ``services.csv`` gives them, else ``None``."""
        if self.on_time_share is None or self.late_delay_days_mean is None:
            return None
        return LateArrival(self.id, self.on_time_share, self.late_delay_days_mean)

    @property
    def timetable(self) -> Timetable:
        """Its departures: ``weekdays`` at ``departure_hour`` when given (and as many as the frequency, which a
        scenario may change), else a departure every ``168 / frequency_per_week`` hours from :data:`~corridor_planner.model.timetable.EPOCH`."""
        hour = float(self.departure_hour or 0)
        if self.weekdays and len(self.weekdays) == self.frequency_per_week:
            return Timetable.weekly(self.weekdays, hour)
        return Timetable.headway(168.0 / self.frequency_per_week, hour)

    @property
    def wait(self) -> HoursRange:
        """Expected wait to board: min 0, typical half the headway, max the whole headway (hours)."""
        headway_h = 168.0 / self.frequency_per_week
        return HoursRange(0.0, headway_h / 2.0, headway_h)


@dataclass(frozen=True)
class BorderRule:
    """The dwell and cost of crossing a land border by one mode."""

    id: str
    name: str
    mode: Mode
    hubs: tuple[str, ...]
    time_h: HoursRange
    cost_usd: float
    source: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class TransferRule:
    """Changing layer at a hub: mode transfer, gauge change or sea transshipment."""

    at: str
    from_layer: str
    to_layer: str
    two_way: bool
    time_h: HoursRange
    cost_usd: float
    source: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class DwellRule:
    """A dwell at a hub: ``port_dwell``, ``port_call``, ``canal_transit`` or ``train_departure``."""

    at: str
    event: str
    time_h: HoursRange
    cost_usd: float
    source: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Corridor:
    id: str
    name: str
    description: str = ""
    source: tuple[str, ...] = ()


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    sco_status: str
    source: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountryGroup:
    """Countries named by their SCO status, resolved against a network's ``countries.csv`` when used."""

    name: str
    statuses: frozenset[str]


SCO_MEMBERS = CountryGroup("SCO member states", frozenset({"member"}))
"""The SCO member states (Belarus since July 2024), as the network's countries table lists them."""

SCO_FAMILY = CountryGroup(
    "SCO members, observers and dialogue partners", frozenset({"member", "observer", "dialogue_partner", "partner"})
)
"""Members, observers and dialogue partners (merged into "partners" in 2025) of the SCO."""


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    title: str
    address: str = ""
    published: str = ""
    quote: str = ""
    note: str = ""


DWELL_EVENTS = ("port_dwell", "port_call", "canal_transit", "train_departure")
"""What a dwell rule (``dwells.csv``) applies to: a box in port, a ship calling, a canal transit, a box waiting to board a train."""
SCO_STATUSES = frozenset({"member", "observer", "dialogue_partner", "partner", "none"})
SOURCE_KINDS = frozenset({"published", "assumption", "derived"})
