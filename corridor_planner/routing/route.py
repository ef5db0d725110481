"""A planned route: its legs, the stops between them, totals, breakdown and exports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from shapely.geometry import LineString

from ..errors import InvalidQueryError
from ..model.timetable import hours_since_epoch
from ..text import html_text
from .costs import COMPONENTS
from .uncertainty import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    Percentiles,
    check_samples,
    percentiles_of,
    sample_dated_hours,
    sample_hours,
)

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas as gpd
    import pandas as pd
    from matplotlib.axes import Axes

    from ..model.records import LateArrival
    from ..model.seasons import Season
    from ..model.timetable import Timetable
    from ..network import Network
    from .dates import Departure
    from .emissions import EmissionItem


MAIN_CORRIDOR_SHARE = 0.85
"""The share of a route's distance its :attr:`Route.main_corridors` carry together."""

BEFORE_DEPARTURE = frozenset({"waiting", "port_dwell"})
"""Stops at the origin that come before the first departure (:meth:`Route.from_departure`)."""
AFTER_ARRIVAL = frozenset({"port_dwell"})
"""Stops at the destination that come after the last arrival (:meth:`Route.to_arrival`)."""


def without_stops(leg: Leg, components: frozenset[str], *, after: bool = False) -> tuple[Leg, float]:
    """``leg`` without its stops of ``components`` before it (after it, ``after=True``), and the hours they took;
    its distance and cost are unchanged (:meth:`Route.from_departure`, :meth:`Route.to_arrival`)."""
    stops = leg.stops_after if after else leg.stops_before
    gone = sum(s.time_h for s in stops if s.component in components)
    if not gone:
        return leg, 0.0
    kept = tuple(s for s in stops if s.component not in components)
    if after:
        return replace(leg, stops_after=kept, time_h=leg.time_h - gone), gone
    return replace(leg, stops_before=kept, time_h=leg.time_h - gone), gone


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(i for i in items if i is not None))


@dataclass(frozen=True)
class Stop:
    """Time spent at a hub (or a border) rather than moving.

    Attributes
    ----------
    hub : str
        Where it happens (for a border crossing: the border stations, ``a|b``).
    component : str
        One of :data:`corridor_planner.routing.costs.COMPONENTS` other than ``moving``.
    time_h, time_h_min, time_h_max : float
        Typical, shortest and longest duration in hours.
    cost_usd : float
        Its cost per TEU.
    note : str
        What it is, e.g. ``"rail1435 -> rail1520"`` or the service waited for.
    """

    hub: str
    component: str
    time_h: float
    time_h_min: float
    time_h_max: float
    cost_usd: float = 0.0
    note: str = ""
    group: str = ""
    """Its correlation group in :meth:`Route.distribution` (``caspian``, ``border:rail:CN-KZ``...; empty: independent)."""
    timetable: Timetable | None = field(default=None, compare=False, repr=False)
    """For a wait to board a service or a train: its departures (what :meth:`Route.departing` waits for)."""
    seasons: tuple[Season, ...] = field(default=(), compare=False, repr=False)
    """For a wait to board: the seasonal factors (``seasons.csv``) of its hub and mode; a dated plan applies
    those whose window holds the arrival at the stop."""
    seasonal: tuple[tuple[str, float], ...] = ()
    """On a dated route: the seasons applied to this wait, as (season id, extra hours at the typical)."""


@dataclass(frozen=True)
class Leg:
    """One link travelled, with the stops that precede it (and, for the last leg, follow it).

    ``time_h`` and ``cost_usd`` include the leg's stops, so a route's totals
    are exactly the sums over its legs.
    """

    link_id: str
    mode: str
    origin: str
    destination: str
    origin_name: str
    destination_name: str
    distance_km: float
    moving_h: float
    time_h: float
    cost_usd: float
    co2_kg: float
    corridors: tuple[str, ...]
    countries: tuple[str, ...]
    layer: str
    geometry: LineString = field(repr=False, compare=False)
    stops_before: tuple[Stop, ...] = ()
    stops_after: tuple[Stop, ...] = ()
    emissions: tuple[EmissionItem, ...] = field(default=(), repr=False, compare=False)
    """ISO 14083 emissions per TEU: the hub activities before the leg (and after the last one), and the leg's own."""
    moving_h_min: float | None = None
    """Running hours at the fast end of the mode's speed range (``None``: ``moving_h``)."""
    moving_h_max: float | None = None
    """Running hours at the slow end of the mode's speed range (``None``: ``moving_h``)."""
    driving_h_per_day: tuple[float, float, float] | None = None
    """For a leg with driver's rest: hours moving a day (min, typical, max) for the route's crew."""
    approximate: bool = False
    """A first- or last-mile road leg to or from a place that is not a hub: geodesic distance times a road circuity."""
    departs: datetime | None = None
    """On a dated route (``plan(depart=...)``): when the leg leaves its origin (UTC), after the stops before it."""
    arrives: datetime | None = None
    """On a dated route: when the leg reaches its destination (UTC), before the stops after it."""
    late_arrival: LateArrival | None = None
    """For a leg on a liner service with published schedule reliability (``services.csv``): how often and how
    late its vessels arrive; :meth:`Route.distribution` draws one delay per voyage (the typical time is the schedule's)."""

    @property
    def co2e_kg(self) -> float:
        """Well-to-wheel kg CO2e per TEU of the leg and its hub activities."""
        return sum(i.wtw_kg for i in self.emissions)

    @property
    def corridor(self) -> str | None:
        """The first corridor the link belongs to, if any."""
        return self.corridors[0] if self.corridors else None

    @property
    def stops(self) -> tuple[Stop, ...]:
        return self.stops_before + self.stops_after

    @property
    def dwell_h(self) -> float:
        return sum(s.time_h for s in self.stops)


@dataclass(frozen=True)
class Route:
    """A route from ``origin`` to ``destination``: ordered legs and the totals over them.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> route = cp.load_network().plan("Beijing", "Baku", within=["CN", "KZ", "AZ"], as_of=2025)
    >>> route.modes
    ('rail', 'sea')
    >>> 13 <= route.transit_days <= 17
    True
    """

    origin: str
    destination: str
    legs: tuple[Leg, ...]
    optimize: str
    query: Mapping[str, Any] = field(default_factory=dict, compare=False)
    chokepoints: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = field(default=(), compare=False)
    """The scenarios applied to the network the route was planned on (not part of equality: same legs, same route)."""
    unit: str = field(default="teu", compare=False)
    """The unit :meth:`summary`, :meth:`cost`, :meth:`co2e` and :meth:`emissions` report in (``plan(unit=...)``)."""
    unit_sizes: Mapping[str, float] = field(default_factory=lambda: {"teu": 1.0}, compare=False, repr=False)
    """TEU per unit of every unit that fits the route's cargo (``data/units.csv``)."""
    tag: str = field(default="", compare=False)
    """The label given to the route within a result set (alternatives, a Pareto front), unique there; empty otherwise."""
    reason: str = field(default="", compare=False)
    """One line on how the route differs from the first of its result set (corridor, gateway, chokepoint, country avoided)."""
    departs: datetime | None = None
    """On a dated route (``plan(depart=...)``, :meth:`departing`): the departure from the origin (UTC); else ``None``."""
    typical: Route | None = field(default=None, compare=False, repr=False)
    """On a dated route: the route with typical waits it was dated from; else ``None``."""

    # ------------------------------------------------------------ totals
    @property
    def approximate(self) -> bool:
        """Whether a leg is approximate (an end that is not a hub, joined by road to the network)."""
        return any(leg.approximate for leg in self.legs)

    @property
    def distance_km(self) -> float:
        return sum(leg.distance_km for leg in self.legs)

    @property
    def time_h(self) -> float:
        return sum(leg.time_h for leg in self.legs)

    @property
    def transit_days(self) -> float:
        return self.time_h / 24.0

    @property
    def origin_wait_h(self) -> float:
        """Hours waiting at the origin for the first departure (a train or a sailing), included in :attr:`time_h`.

        Published transit times of a service run from its departure; subtract this to compare with them.
        """
        if not self.legs:
            return 0.0
        return sum(stop.time_h for stop in self.legs[0].stops_before if stop.component == "waiting")

    def from_departure(self) -> Route:
        """The route as it runs from its first departure: the stops at the origin before it left out
        (the wait for the first train or sailing, :attr:`origin_wait_h`, and at a port the export
        dwell before loading; a border crossed at the origin hub comes after the departure and stays).

        Published trip times (a train's or a ship's) run from the departure; compare them with
        ``route.from_departure().transit_days`` or its :meth:`percentiles` (and a voyage's, which
        ends when the ship arrives, with ``route.from_departure().to_arrival()``). The legs,
        distance and cost are unchanged.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> route = cp.load_network().plan("Xi'an", "Tashkent", only_modes="rail", as_of=2025)
        >>> route.time_h - route.from_departure().time_h == route.origin_wait_h
        True
        """
        if not self.legs:
            return self
        first, before = without_stops(self.legs[0], BEFORE_DEPARTURE)
        if not before:
            return self
        departs = None if self.departs is None else self.departs + timedelta(hours=before)
        return replace(self, legs=(first, *self.legs[1:]), departs=departs)

    def to_arrival(self) -> Route:
        """The route up to its last arrival: the import dwell at a destination port (before the box
        leaves the terminal) left out; a border crossed at the destination hub stays.

        A published voyage time runs from the ship's departure to its arrival; a train's ends when
        it arrives: compare with ``route.from_departure().to_arrival()``. The legs, distance and cost
        are unchanged.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> route = cp.load_network().plan("Shanghai", "Rotterdam", only_modes="sea", as_of=2023)
        >>> voyage = route.from_departure().to_arrival()  # the export and import dwells and the wait left out
        >>> [stop.component for stop in route.legs[0].stops_before + route.legs[-1].stops_after]
        ['port_dwell', 'waiting', 'port_dwell']
        >>> round(route.transit_days - voyage.transit_days, 1)
        8.2
        """
        if not self.legs:
            return self
        last, after = without_stops(self.legs[-1], AFTER_ARRIVAL, after=True)
        if not after:
            return self
        return replace(self, legs=(*self.legs[:-1], last))

    # ------------------------------------------------------------ dates
    @property
    def arrival(self) -> datetime | None:
        """On a dated route: the arrival at the destination (UTC), after the last stops; else ``None``.

        ``arrival - departs`` is :attr:`time_h` hours (to the microsecond).
        """
        if self.departs is None:
            return None
        if not self.legs:
            return self.departs
        last = self.legs[-1]
        assert last.arrives is not None
        return last.arrives + timedelta(hours=sum(s.time_h for s in last.stops_after))

    def departing(self, depart: Departure, *, seasons: bool = True) -> Route:
        """The route dated from ``depart``: waits from the timetables, every leg with its ``departs``/``arrives``.

        The legs are walked from the departure; at each boarding of a scheduled service
        (``services.csv``: sourced ``weekdays`` at ``departure_hour`` UTC, else a departure
        every ``168 / frequency_per_week`` hours counted from Monday 1970-01-05 00:00 UTC) and
        of a train (``dwells.csv`` ``train_departure``: every twice the typical wait, counted
        the same way) the wait is the time until the next departure instead of the typical
        half headway. A wait to board whose arrival falls in the window of a seasonal factor of
        its hub and mode (``seasons.csv``: Caspian winter storms, the Chinese New Year) is longer
        by the season's expected hours (:attr:`seasonal` lists them). Every other stop keeps its
        typical time. The path is not re-planned: it is the one chosen on typical waits. Dating a
        dated route dates its :attr:`typical` one.

        Parameters
        ----------
        depart : str, datetime.date or datetime.datetime
            ISO 8601 text (``"2026-03-01"``, ``"2026-03-01T10:00"``, ``"2026-03-01T10:00+03:00"``),
            a date (00:00 UTC) or a date-time (naive: UTC). Not modified.
        seasons : bool
            Apply the seasonal factors (default). ``False``: timetables only, and
            :meth:`distribution` draws no seasonal delay either.

        Raises
        ------
        InvalidQueryError
            ``depart`` is not a date or date-time, or falls outside 1991-2200.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> route = cp.load_network().plan("Xi'an", "Tashkent", only_modes="rail", as_of=2025)
        >>> dated = route.departing("2026-03-02T06:00")
        >>> dated.departs.isoformat(), dated.arrival > dated.departs
        ('2026-03-02T06:00:00+00:00', True)
        """
        from .dates import as_departure, date_legs

        start = as_departure(depart)
        base = self.typical if self.typical is not None else self
        if not isinstance(seasons, bool):
            raise InvalidQueryError(f"seasons must be True or False, not {seasons!r}")
        legs, _ = date_legs(base.legs, start, seasons=seasons)
        query = {**base.query, "depart": start.isoformat()}
        if not seasons:
            query["seasons"] = False
        return replace(base, legs=legs, query=query, departs=start, typical=base)

    @property
    def seasonal(self) -> tuple[tuple[str, str, float], ...]:
        """On a dated route: the seasonal factors applied, as (hub, season id, extra hours at the typical).

        Empty on an undated route, on a route dated with ``seasons=False`` and when no season's
        window holds the arrival at a wait to board (``data/seasons.csv``).
        """
        return tuple((stop.hub, sid, hours) for stop in self.stops for sid, hours in stop.seasonal)

    def arrival_percentiles(self, n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED) -> dict[str, datetime]:
        """p10, p50 and p90 of the arrival (UTC datetimes) of a dated route: :attr:`departs` + :meth:`percentiles`.

        Every wait for a service or a train is the wait for its next departure after the
        sampled arrival at it (:meth:`distribution` of a dated route), so the arrivals
        cluster on the timetable: a delay upstream may miss a sailing and wait for the next.
        The median may fall after :attr:`arrival` (border and port queues are right-skewed).

        Raises
        ------
        InvalidQueryError
            The route is not dated (plan with ``depart=``, or call :meth:`departing`), or ``n``/``seed`` are invalid.
        """
        if self.departs is None:
            raise InvalidQueryError(
                "arrival_percentiles() needs a dated route: plan with depart=... or use departing()"
            )
        p = self.percentiles(n, seed)
        start = self.departs
        return {name: start + timedelta(days=days) for name, days in p.as_dict().items()}

    @property
    def cost_usd(self) -> float:
        return sum(leg.cost_usd for leg in self.legs)

    @property
    def co2_kg(self) -> float:
        """Tank-to-wheel kg CO2 per TEU by the per-mode factors of ``modes.csv``/``services.csv`` (what ``optimize="co2"`` minimises).

        Kept as it was for continuity; for carbon reporting use :attr:`co2e_kg`
        (well-to-wheel CO2e by ISO 14083 / GLEC, hubs included).
        """
        return sum(leg.co2_kg for leg in self.legs)

    @property
    def co2e_kg(self) -> float:
        """Well-to-wheel kg CO2e per TEU by ISO 14083 / GLEC: legs and hub activities (see :meth:`emissions`)."""
        return sum(leg.co2e_kg for leg in self.legs)

    @property
    def ttw_kg(self) -> float:
        """Tank-to-wheel kg CO2e per TEU (ISO 14083)."""
        return sum(i.ttw_kg for leg in self.legs for i in leg.emissions)

    @property
    def wtt_kg(self) -> float:
        """Well-to-tank kg CO2e per TEU (ISO 14083): fuel supply and electricity generation."""
        return sum(i.wtt_kg for leg in self.legs for i in leg.emissions)

    # ------------------------------------------------------------ time as a distribution
    def distribution(self, n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED) -> npt.NDArray[np.float64]:
        """``n`` Monte Carlo samples of the transit time in days (numpy array), reproducible with ``seed``.

        Every component is drawn from its family (PERT moving time, border and port dwells
        uniform from min to typical below the median and lognormal above, uniform waits for a
        sailing, triangular handling, a liner voyage's late arrival: on schedule with the service's
        ``on_time_share``, else 1 day + an exponential with its published mean delay; see
        :mod:`corridor_planner.routing.uncertainty`); parts
        of one correlation group share one draw per trip (one Caspian congestion draw, one
        speed per mode, rail borders with the rail speed). Cost is not
        sampled: no charge in the data depends on time (port storage is within free time),
        so it is :attr:`cost_usd` in every sample.

        On a dated route (``plan(depart=...)``) the days run from :attr:`departs`: the legs
        are walked in order and each wait for a service or a train is the wait for its next
        departure after the sampled arrival at it (a delay may miss a sailing); the other
        components are the same draws as the undated route's (same seed). A wait whose sampled
        arrival falls in the window of one of its seasons (``data/seasons.csv``) is longer by the
        season's draw (hit with probability ``chance``, then triangular over its hours; one draw
        per season per trip, from a stream of its own); none on a route dated with ``seasons=False``.

        Raises
        ------
        InvalidQueryError
            ``n`` is not an integer in 1..10,000,000 or ``seed`` not a non-negative integer.
        """
        if self.departs is not None:
            return sample_dated_hours(self.legs, hours_since_epoch(self.departs), n, seed) / 24.0
        return sample_hours(self.legs, n, seed) / 24.0

    def percentiles(self, n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED) -> Percentiles:
        """p10, p50 and p90 of the transit days from :meth:`distribution` (``.as_dict()`` for a dict).

        Examples
        --------
        >>> import corridor_planner as cp
        >>> p = cp.load_network().plan("Almaty", "Tashkent", avoid_modes=["road"], as_of=2025).percentiles()
        >>> p.p10 <= p.p50 <= p.p90
        True
        """
        n, seed = check_samples(n, seed)
        if n == DEFAULT_SAMPLES and seed == DEFAULT_SEED:
            return self._default_percentiles
        return percentiles_of(self.distribution(n, seed), n, seed)

    @cached_property
    def _default_percentiles(self) -> Percentiles:
        return percentiles_of(self.distribution(), DEFAULT_SAMPLES, DEFAULT_SEED)

    @property
    def p10_days(self) -> float:
        """10th percentile of the transit days (100,000 samples, seed 0; computed once, on first use)."""
        return self._default_percentiles.p10

    @property
    def p50_days(self) -> float:
        """Median transit days (100,000 samples, seed 0); :attr:`transit_days` is the sum of the typical values."""
        return self._default_percentiles.p50

    @property
    def p90_days(self) -> float:
        """90th percentile of the transit days (100,000 samples, seed 0)."""
        return self._default_percentiles.p90

    # ------------------------------------------------------------ units
    def per_unit(self, unit: str | None = None) -> float:
        """How many TEU one ``unit`` is (default: the route's :attr:`unit`).

        Raises
        ------
        InvalidQueryError
            ``unit`` is not a unit of the route's cargo (the message lists those that are).
        """
        name = self.unit if unit is None else unit
        key = name.strip().lower() if isinstance(name, str) else name
        if key not in self.unit_sizes:
            raise InvalidQueryError(
                f"unit={name!r} is not a unit of this route's cargo ({self.query.get('cargo', 'container')}), "
                f"must be one of {', '.join(self.unit_sizes)}"
            )
        return self.unit_sizes[key]

    def cost(self, unit: str | None = None) -> float:
        """USD per ``unit`` (default: the route's :attr:`unit`)."""
        return self.cost_usd * self.per_unit(unit)

    def co2e(self, unit: str | None = None) -> float:
        """Well-to-wheel kg CO2e per ``unit`` (default: the route's :attr:`unit`)."""
        return self.co2e_kg * self.per_unit(unit)

    # ------------------------------------------------------------ what it uses
    @property
    def hubs(self) -> tuple[str, ...]:
        """Hub ids in the order visited, origin first."""
        return (self.origin, *(leg.destination for leg in self.legs))

    @property
    def modes(self) -> tuple[str, ...]:
        return _unique(leg.mode for leg in self.legs)

    @property
    def countries(self) -> tuple[str, ...]:
        return _unique(c for leg in self.legs for c in leg.countries)

    @property
    def corridors(self) -> tuple[str, ...]:
        return _unique(c for leg in self.legs for c in leg.corridors)

    @property
    def main_corridors(self) -> tuple[str, ...]:
        """The fewest corridors that together carry 85% of the route's distance, in the order travelled.

        Chosen greedily, the corridor adding the most kilometres first; corridors
        share links (the Asian legs of the Suez and Cape liner routes), so a corridor
        adds only the legs not carried yet.
        """
        legs: dict[str, set[int]] = {}
        for i, leg in enumerate(self.legs):
            for corridor in leg.corridors:
                legs.setdefault(corridor, set()).add(i)
        total = self.distance_km
        covered: set[int] = set()
        chosen: list[str] = []
        while legs and sum(self.legs[i].distance_km for i in covered) < MAIN_CORRIDOR_SHARE * total:
            gain = {
                c: sum(self.legs[i].distance_km for i in idx - covered) for c, idx in legs.items() if c not in chosen
            }
            best = max(gain, key=lambda c: (gain[c], -min(legs[c])), default=None)
            if best is None or gain[best] <= 0:
                break
            chosen.append(best)
            covered |= legs[best]
        return tuple(sorted(chosen, key=lambda c: min(legs[c])))

    @property
    def corridor_label(self) -> str:
        """The route's main corridors (``"northern_route"``, ``"titr + btk_railway"``...)."""
        return " + ".join(self.main_corridors) or "+".join(self.modes) or "no legs"

    @property
    def label(self) -> str:
        """A short name for the route: :attr:`tag` within a result set, else :attr:`corridor_label`.

        In :meth:`Network.alternatives` and :meth:`Network.pareto` labels are unique: two routes on
        the same corridors get their gateway, chokepoint or transfer hub appended.
        """
        return self.tag or self.corridor_label

    @property
    def gateways(self) -> tuple[str, ...]:
        """The land borders crossed, in order, as ``"a|b"`` hub pairs of the border rules."""
        return _unique(s.hub for leg in self.legs for s in leg.stops_before if s.component == "border")

    @property
    def transfer_hubs(self) -> tuple[str, ...]:
        """The hubs where the box changes mode, gauge or ship, in order."""
        changes = ("transfer", "transshipment", "gauge_change")
        return _unique(s.hub for leg in self.legs for s in leg.stops if s.component in changes)

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(leg.link_id for leg in self.legs)

    @property
    def stops(self) -> tuple[Stop, ...]:
        return tuple(s for leg in self.legs for s in leg.stops)

    # ------------------------------------------------------------ tables
    def breakdown(self) -> pd.DataFrame:
        """Transit time by component: moving, rest, border, gauge change, transfer, waiting, port dwell...

        Returns
        -------
        pandas.DataFrame
            Indexed by component (every component of the model, zeros included),
            columns ``time_h``, ``days``, ``share`` (of the total time),
            ``time_h_min``, ``time_h_max`` (the range of the dwells) and ``cost_usd``.
        """
        import pandas as pd

        rows = {c: {"time_h": 0.0, "time_h_min": 0.0, "time_h_max": 0.0, "cost_usd": 0.0} for c in COMPONENTS}
        for leg in self.legs:
            rows["moving"]["time_h"] += leg.moving_h
            rows["moving"]["time_h_min"] += leg.moving_h if leg.moving_h_min is None else leg.moving_h_min
            rows["moving"]["time_h_max"] += leg.moving_h if leg.moving_h_max is None else leg.moving_h_max
            rest = leg.time_h - leg.moving_h - leg.dwell_h
            rest = 0.0 if abs(rest) < 1e-9 else rest  # a residual: no -0.0 from rounding
            for key in ("time_h", "time_h_min", "time_h_max"):
                rows["rest"][key] += rest
            rows["moving"]["cost_usd"] += leg.cost_usd - sum(s.cost_usd for s in leg.stops)
            for stop in leg.stops:
                row = rows[stop.component]
                row["time_h"] += stop.time_h
                row["time_h_min"] += stop.time_h_min
                row["time_h_max"] += stop.time_h_max
                row["cost_usd"] += stop.cost_usd
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "component"
        frame["days"] = frame["time_h"] / 24.0
        total = frame["time_h"].sum()
        frame["share"] = frame["time_h"] / total if total else 0.0
        columns = ["time_h", "days", "share", "time_h_min", "time_h_max", "cost_usd"]
        result: pd.DataFrame = frame.loc[:, columns]
        return result

    def emissions(self, unit: str | None = None) -> pd.DataFrame:
        """Emissions by ISO 14083 / GLEC, one row per leg and per hub activity, in the order travelled.

        Parameters
        ----------
        unit : str, optional
            ``"teu"``, ``"feu"``, ``"tonne"``, ``"wagon"``, ``"truck"`` (``"tonne"``,
            ``"barrel"`` for liquid bulk); default: the route's :attr:`unit`.

        Returns
        -------
        pandas.DataFrame
            Columns ``seq``, ``kind`` (``leg`` or ``hub``), ``component`` (``moving``,
            ``transfer``, ``transshipment``, ``gauge_change``), ``where`` (link or hub id),
            ``mode``, ``activity_per_<unit>`` (tonne-km, or TEU handled), ``ttw_kg_per_<unit>``,
            ``wtt_kg_per_<unit>``, ``wtw_kg_per_<unit>``, ``factor`` (id of the factor row),
            ``carrier`` (energy carrier) and ``sources`` (ids of ``sources.csv``, ``;``-joined).
            The WTW column sums to ``co2e(unit)``.
        """
        import pandas as pd

        name = (self.unit if unit is None else unit).strip().lower()
        size = self.per_unit(name)
        rows = [
            {
                "seq": n,
                "kind": i.kind,
                "component": i.component,
                "where": i.where,
                "mode": i.mode,
                f"activity_per_{name}": i.activity * size,
                f"ttw_kg_per_{name}": i.ttw_kg * size,
                f"wtt_kg_per_{name}": i.wtt_kg * size,
                f"wtw_kg_per_{name}": i.wtw_kg * size,
                "factor": i.factor,
                "carrier": i.carrier,
                "sources": ";".join(i.source),
            }
            for n, i in enumerate((i for leg in self.legs for i in leg.emissions), start=1)
        ]
        columns = ["seq", "kind", "component", "where", "mode", f"activity_per_{name}", f"ttw_kg_per_{name}",
                   f"wtt_kg_per_{name}", f"wtw_kg_per_{name}", "factor", "carrier", "sources"]  # fmt: skip
        frame: pd.DataFrame = pd.DataFrame(rows, columns=columns)
        return frame

    def to_dataframe(self) -> pd.DataFrame:
        """One row per leg: mode, origin, destination, km, hours (moving and stopped), cost, CO2, corridors."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(self._leg_rows())
        return frame

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The legs with their geometry (EPSG:4326), oriented in the direction of travel."""
        import geopandas as gpd

        rows = self._leg_rows()
        return gpd.GeoDataFrame(rows, geometry=[leg.geometry for leg in self.legs], crs="EPSG:4326")

    def to_geojson(self) -> dict[str, Any]:
        """The route as a GeoJSON FeatureCollection (EPSG:4326): a LineString per leg, a Point per stop.

        Leg properties: ``seq``, ``link_id``, ``mode``, ``from``, ``to``,
        ``from_name``, ``to_name``, ``distance_km``, ``time_h``, ``cost_usd``,
        ``co2_kg``, ``co2e_kg``, ``corridors``, ``countries``; stop properties: ``seq``,
        ``component``, ``hub``, ``time_h`` (min/max), ``cost_usd``, ``note``;
        the top-level ``properties`` hold the query and the totals. ``json.dumps``
        accepts it; see :func:`corridor_planner.routing.serialize.route_to_geojson`.
        """
        from .serialize import route_to_geojson

        return route_to_geojson(self)

    def to_dict(self) -> dict[str, Any]:
        """The route as a JSON-serialisable dict: query, totals, legs with stops, breakdown by component.

        See :func:`corridor_planner.routing.serialize.route_to_dict`.
        """
        from .serialize import route_to_dict

        return route_to_dict(self)

    def _leg_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "leg": i,
                "link_id": leg.link_id,
                "mode": leg.mode,
                "origin": leg.origin,
                "destination": leg.destination,
                "distance_km": leg.distance_km,
                "moving_h": leg.moving_h,
                "dwell_h": leg.dwell_h,
                "time_h": leg.time_h,
                "cost_usd": leg.cost_usd,
                "co2_kg": leg.co2_kg,
                "co2e_kg": leg.co2e_kg,
                "corridor": leg.corridor,
                "corridors": ";".join(leg.corridors),
                **({} if self.departs is None else {"departs": leg.departs, "arrives": leg.arrives}),
            }
            for i, leg in enumerate(self.legs, start=1)
        ]

    def stages(self) -> list[dict[str, Any]]:
        """Consecutive legs on the same layer (one train, one ship) merged into stages, for reading."""
        stages: list[dict[str, Any]] = []
        for leg in self.legs:
            if stages and stages[-1]["layer"] == leg.layer and not leg.stops_before:
                stage = stages[-1]
                stage["destination"] = leg.destination
                stage["destination_name"] = leg.destination_name
                stage["legs"] += 1
            else:
                stage = {
                    "mode": leg.mode, "layer": leg.layer, "origin": leg.origin, "origin_name": leg.origin_name,
                    "destination": leg.destination, "destination_name": leg.destination_name, "legs": 1,
                    "distance_km": 0.0, "time_h": 0.0, "dwell_h": 0.0, "cost_usd": 0.0, "co2_kg": 0.0,
                    "corridors": (),
                }  # fmt: skip
                stages.append(stage)
            stage["distance_km"] += leg.distance_km
            stage["time_h"] += leg.time_h
            stage["dwell_h"] += leg.dwell_h
            stage["cost_usd"] += leg.cost_usd
            stage["co2_kg"] += leg.co2_kg
            stage["corridors"] = _unique([*stage["corridors"], *leg.corridors])
        return stages

    # ------------------------------------------------------------ pictures (corridor_planner.viz, the plot extra)
    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """A static map: legs coloured by mode, hubs, transfer and border points, legend, scale bar in km.

        Options: :func:`corridor_planner.viz.maps.plot_route`. Needs ``pip install "corridor_planner[plot]"``.
        """
        from ..viz.maps import plot_route

        return plot_route(self, ax=ax, **kw)

    def timeline(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """A Gantt-style chart on a day axis: moving by mode, then every stop in its component's colour.

        Options: :func:`corridor_planner.viz.timeline.timeline`. Needs ``pip install "corridor_planner[plot]"``.
        """
        from ..viz.timeline import timeline

        return timeline([self], ax=ax, **kw)

    def explore(self, network: Network | None = None, **kw: Any) -> folium.Map:
        """An interactive web map (folium) with a popup per leg and per hub; pass ``network`` for hub kinds.

        Options: :func:`corridor_planner.viz.web.explore_route`. Needs ``pip install "corridor_planner[plot]"``.
        """
        from ..viz.web import explore_route

        return explore_route(self, network, **kw)

    # ------------------------------------------------------------ display
    def summary(self) -> str:
        """One line: origin -> destination, days, km, cost and WTW CO2e per :attr:`unit`, modes."""
        label = self.unit.upper() if self.unit in ("teu", "feu") else self.unit
        arrival = self.arrival
        dates = "" if arrival is None or self.departs is None else (
            f" (departs {self.departs:%Y-%m-%d %H:%M}, arrives {arrival:%Y-%m-%d %H:%M} UTC)"
        )  # fmt: skip
        return (
            f"{self.origin} -> {self.destination}: {self.transit_days:.1f} days{dates}, {self.distance_km:,.0f} km, "
            f"USD {self.cost():,.0f}/{label}, {self.co2e():,.0f} kg CO2e/{label} (WTW) by {'+'.join(self.modes)}"
        )

    def __repr__(self) -> str:
        return f"<Route {self.summary()}; {len(self.legs)} legs via {', '.join(self.hubs[1:-1][:6])}{'...' if len(self.hubs) > 8 else ''}>"

    def _repr_html_(self) -> str:
        esc = html_text  # the one sanitising path for HTML
        rows = "".join(
            f"<tr><td>{esc(s['origin_name'])}</td><td>{esc(s['destination_name'])}</td><td>{esc(s['mode'])}</td>"
            f"<td>{s['distance_km']:,.0f}</td><td>{s['time_h'] / 24:.1f}</td><td>{esc(', '.join(s['corridors']))}</td></tr>"
            for s in self.stages()
        )
        return (
            f"<div><strong>{esc(self.summary())}</strong><table><thead><tr><th>from</th><th>to</th><th>mode</th>"
            f"<th>km</th><th>days</th><th>corridors</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
