"""Transit time as a distribution: Monte Carlo over every time component of a route.

Each component of a route's time has a family chosen for what it is (see the README,
"Time as a distribution"):

- **moving** (running time of a leg): PERT over min/typ/max, where the typical is the
  published commercial speed and the ends the mode's speed range (``modes.csv``:
  ``speed_kmh_min``, ``speed_kmh_max``). PERT keeps most weight near the well-documented
  typical value; a triangular would give the slow end (CPMM "speed with delays") too much.
  One speed factor per mode per trip: a train's priority and path apply to all its legs.
- **rest** (a truck driver's daily rest): follows the drawn moving time at the crew's
  driving hours a day, triangular between the daily limit (typical, also min) and the
  extended limit (10 h twice a week; max); one draw per trip (the same crew).
- **border** and **port_dwell**: queues, right-skewed with rare multi-day tails: above
  the median a lognormal above ``min`` with median at the typical and the published max (a
  congested year) at the 95th percentile (``A-T-QUEUE-P95``); below the median uniform
  between the published min and the typical (``A-T-QUEUE-LOW-HALF``: the min is what a
  priority train with its documents filed ahead routinely gets, which the lognormal's
  lower half made unreachable). Falls back to triangular when the range has no room below
  or above the typical.
- **waiting** for a scheduled service: uniform over the headway (a box arrives at a
  random moment of a periodic timetable; ``min`` 0, ``max`` the headway).
- handling operations (**gauge_change**, **transfer**, **transshipment**, **port_call**,
  **canal_transit**): triangular over min/typ/max: bounded both ways by operator figures,
  and with a closed-form quantile function so they can share a draw with a group.
- **late_arrival** of a liner voyage (a consecutive run of legs on one service with published
  schedule reliability, ``services.csv`` ``on_time_share`` and ``late_delay_days_mean``; the box stays
  aboard): a mixture, one draw per voyage: on schedule with probability ``on_time_share``, else late
  by :data:`~corridor_planner.model.records.ON_TIME_WINDOW_DAYS` (a late arrival is over a day
  after its schedule) plus an exponential whose mean makes the late arrivals' mean delay the
  published one (``A-T-LINER-LATE``: only the mean is published; the exponential is the least
  informative spread above a floor with a given mean). Added where the voyage ends, so a dated
  plan's late vessel can miss a connection; drawn from a stream of its own (:data:`LATE_STREAM`),
  so the other components' draws are those of a route without it. The typical time of a plan
  is the schedule's: only the distribution has it.

Correlation groups (a part's ``group``; see :data:`~corridor_planner.routing.costs.CORRELATED_CHOKEPOINTS`):
all parts of one group take the same uniform draw ``u`` per trip (comonotonic: each
part is its own family's quantile at ``u``). ``caspian``: every dwell, wait and transfer
at a Caspian port (one congestion draw per trip, not per leg); ``border:<mode>:<countries>``:
crossings between the same countries by the same mode; ``moving:<mode>``: the speed of
one mode. Rail border groups take the rank of the trip's rail speed draw as their draw
(:data:`PRIORITY_MODES`, ``A-T-EXPRESS-BORDER``): an express train with priority and its
documents filed ahead runs fast and clears the borders fast, so the fast and slow ends of a
train trip add up instead of averaging out. Parts without a group are independent.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..errors import InvalidQueryError
from ..model.records import ON_TIME_WINDOW_DAYS

if TYPE_CHECKING:  # pragma: no cover
    from .route import Leg, Stop

FloatArray = npt.NDArray[np.float64]

DEFAULT_SAMPLES = 100_000
"""Samples behind :attr:`Route.p10_days`, :attr:`Route.p50_days` and :attr:`Route.p90_days`."""
DEFAULT_SEED = 0
"""The seed behind :attr:`Route.p10_days`, :attr:`Route.p50_days` and :attr:`Route.p90_days`."""
MAX_SAMPLES = 10_000_000
"""The most samples :func:`sample_hours` draws (about 80 MB per array)."""

QUEUE_QUANTILE = 0.95
"""The quantile of a queue's published max (``A-T-QUEUE-P95``)."""
_Z_QUEUE = 1.6448536269514722  # the standard normal quantile at QUEUE_QUANTILE
PERT_LAMBDA = 4.0
"""The weight of the typical value in a PERT distribution (the classic choice)."""

FAMILIES = {
    "moving": "pert",
    "rest": "follows moving",
    "border": "lognormal",  # upper half; uniform from min to typ below the median (queue_ppf)
    "port_dwell": "lognormal",
    "waiting": "uniform",
    "gauge_change": "triangular",
    "transfer": "triangular",
    "transshipment": "triangular",
    "port_call": "triangular",
    "canal_transit": "triangular",
    "late_arrival": "on time or 1 day + exponential",  # a mixture per voyage (_late_draws)
}
"""The distribution family of each component of transit time."""


@dataclass(frozen=True)
class Percentiles:
    """Percentiles of transit days of a route from ``n`` Monte Carlo samples drawn with ``seed``."""

    p10: float
    p50: float
    p90: float
    n: int
    seed: int

    def as_dict(self) -> dict[str, float]:
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90}


def check_samples(n: object, seed: object) -> tuple[int, int]:
    """``n`` a positive int up to :data:`MAX_SAMPLES`, ``seed`` a non-negative int."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 1 <= int(n) <= MAX_SAMPLES:
        raise InvalidQueryError(f"n must be an integer between 1 and {MAX_SAMPLES:,}, not {n!r}")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or int(seed) < 0:
        raise InvalidQueryError(f"seed must be a non-negative integer, not {seed!r}")
    return int(n), int(seed)


# ---------------------------------------------------------------------------- quantile functions
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02,
      -3.066479806614716e01, 2.506628277459239e00)  # fmt: skip
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01,
      -1.328068155288572e01)  # fmt: skip
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00,
      4.374664141464968e00, 2.938163982698783e00)  # fmt: skip
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def norm_ppf(u: FloatArray) -> FloatArray:
    """The standard normal quantile function (Acklam's rational approximation, relative error < 1.2e-9)."""
    u = np.clip(u, 1e-15, 1 - 1e-15)
    z = np.empty_like(u)
    low, high = u < 0.02425, u > 1 - 0.02425
    mid = ~(low | high)
    q = u[mid] - 0.5
    r = q * q
    num = ((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1
    z[mid] = num * q / den
    for mask, sign, p in ((low, 1.0, u[low]), (high, -1.0, 1 - u[high])):
        t = np.sqrt(-2 * np.log(p))
        num = ((((_C[0] * t + _C[1]) * t + _C[2]) * t + _C[3]) * t + _C[4]) * t + _C[5]
        den = (((_D[0] * t + _D[1]) * t + _D[2]) * t + _D[3]) * t + 1
        z[mask] = sign * num / den
    return z


def triangular_ppf(u: FloatArray, low: float, mode: float, high: float) -> FloatArray:
    """The quantile function of a triangular distribution over ``low <= mode <= high``."""
    width = high - low
    if width <= 0:
        return np.full_like(u, low)
    c = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1 - u) * width * (high - mode))
    out: FloatArray = np.where(u < c, left, right)
    return out


def lognormal_params(low: float, typ: float, high: float) -> tuple[float, float] | None:
    """``(mu, sigma)`` of ``X - low`` with median ``typ - low`` and ``high - low`` at :data:`QUEUE_QUANTILE`."""
    if not low < typ < high:
        return None
    mu = math.log(typ - low)
    return mu, (math.log(high - low) - mu) / _Z_QUEUE


def queue_ppf(u: FloatArray, z: FloatArray, low: float, typ: float, params: tuple[float, float]) -> FloatArray:
    """The quantile function of a queue (``A-T-QUEUE-LOW-HALF``) at ``u`` (``z``: the normal quantile of ``u``).

    Below the median, uniform between ``low`` and ``typ``; above it, the lognormal of
    :func:`lognormal_params` (``typ`` at the median, the published max at :data:`QUEUE_QUANTILE`).
    """
    mu, sigma = params
    out: FloatArray = np.where(u < 0.5, low + (typ - low) * 2 * u, low + np.exp(mu + sigma * np.maximum(z, 0.0)))
    return out


# ---------------------------------------------------------------------------- sampling
def _stop_hours(stop: Stop, u: FloatArray | None, z: FloatArray | None, rng: np.random.Generator, n: int) -> FloatArray:
    """Samples of one stop's hours; ``u``/``z`` are its group's shared uniform and normal draws (``None``: independent)."""
    low, typ, high = stop.time_h_min, stop.time_h, stop.time_h_max
    if high <= low:
        return np.full(n, typ)
    family = FAMILIES.get(stop.component, "triangular")
    if family == "uniform":
        draw = rng.random(n) if u is None else u
        out: FloatArray = low + (high - low) * draw
        return out
    if family == "lognormal":
        params = lognormal_params(low, typ, high)
        if params is not None:
            if u is None or z is None:
                u = rng.random(n)
                z = norm_ppf(u)
            return queue_ppf(u, z, low, typ, params)
    return triangular_ppf(rng.random(n) if u is None else u, low, typ, high)


def _pert(rng: np.random.Generator, low: float, high: float, n: int) -> FloatArray:
    """A PERT factor over ``low <= 1 <= high`` (mode 1)."""
    if high <= low:
        return np.ones(n)
    alpha = 1 + PERT_LAMBDA * (1 - low) / (high - low)
    beta = 1 + PERT_LAMBDA * (high - 1) / (high - low)
    out: FloatArray = low + (high - low) * rng.beta(alpha, beta, n)
    return out


PRIORITY_MODES = ("rail",)
"""Modes whose border crossings share the trip's speed draw (``A-T-EXPRESS-BORDER``): a train that runs
fast (an express with priority and documents filed ahead) also clears the borders fast."""


def _ranks(draw: FloatArray) -> FloatArray:
    """The uniform rank of each sample in ``draw`` (in ``(0, 1)``): its empirical CDF, ties broken by order."""
    n = draw.size
    ranks = np.empty(n)
    ranks[np.argsort(draw, kind="stable")] = (np.arange(n) + 0.5) / n
    return ranks


@dataclass
class _Draws:
    """One trip's draws: per-leg running factor and hours a day moving; the stops' hours, drawn lazily."""

    factor: list[FloatArray | None]
    """Per leg: its speed factor (``None``: a leg that does not move)."""
    moving_groups: list[tuple[FloatArray, list[int]]]
    """The speed factor of each group of legs (one mode and range) and the legs."""
    driving_groups: list[tuple[FloatArray, list[int]]]
    """Hours a day moving of each group of legs with driver's rest (same driving hours) and the legs."""
    stops: Iterator[FloatArray]
    """The hours of every stop, in the order of the legs' stops (drawn as iterated, one array at a time)."""

    def per_day(self, leg: int) -> FloatArray | None:
        for draw, group in self.driving_groups:
            if leg in group:
                return draw
        return None


def _draw(legs: Sequence[Leg], n: int, seed: int) -> _Draws:
    """Every draw of a trip, in a fixed order: moving groups, driving hours, then (lazily) shared groups and stops."""
    rng = np.random.default_rng(seed)
    factor: list[FloatArray | None] = [None] * len(legs)

    # moving: one PERT factor per (mode, range) and per trip; rest follows it
    moving: dict[tuple[str, float, float], list[int]] = {}
    for i, leg in enumerate(legs):
        if leg.moving_h <= 0:
            continue
        low = (leg.moving_h_min if leg.moving_h_min is not None else leg.moving_h) / leg.moving_h
        high = (leg.moving_h_max if leg.moving_h_max is not None else leg.moving_h) / leg.moving_h
        moving.setdefault((leg.mode, round(low, 9), round(high, 9)), []).append(i)
    moving_groups = []
    driving: dict[tuple[float, float, float], list[int]] = {}
    for key in sorted(moving):
        _, low, high = key
        draw = _pert(rng, low, high, n)
        moving_groups.append((draw, moving[key]))
        for i in moving[key]:
            factor[i] = draw
            hours = legs[i].driving_h_per_day
            if hours is not None:
                driving.setdefault(hours, []).append(i)
    driving_groups = [(triangular_ppf(rng.random(n), *hours), driving[hours]) for hours in sorted(driving)]
    priority: dict[str, FloatArray] = {}
    for mode in PRIORITY_MODES:
        groups = [(sum(legs[i].moving_h for i in group), k) for k, (_, group) in enumerate(moving_groups)]
        groups = [(hours, k) for hours, k in groups if legs[moving_groups[k][1][0]].mode == mode]
        if groups:  # the mode's main group (most moving hours) sets the train's priority
            priority[mode] = _ranks(moving_groups[max(groups)[1]][0])

    def stop_draws() -> Iterator[FloatArray]:
        # stops: shared draws per correlation group, else independent
        stops = [s for leg in legs for s in leg.stops]
        shared: dict[str, tuple[FloatArray, FloatArray]] = {}
        for name in sorted({s.group for s in stops if s.group}):
            u = rng.random(n)  # drawn even when replaced: the other groups' draws stay the same
            mode = name.split(":")[1] if name.startswith("border:") else ""
            if mode in priority:
                u = priority[mode]
            shared[name] = (u, norm_ppf(u))
        for stop in stops:
            draws = shared.get(stop.group) if stop.group else None
            yield _stop_hours(stop, None if draws is None else draws[0], None if draws is None else draws[1], rng, n)

    return _Draws(factor, moving_groups, driving_groups, stop_draws())


def _fixed_rest_h(leg: Leg) -> float:
    """A leg's rest the sampler does not know (no driving hours recorded): kept at its typical value."""
    return max(leg.time_h - leg.moving_h - leg.dwell_h, 0.0)


def sample_hours(legs: Sequence[Leg], n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED) -> FloatArray:
    """``n`` samples of the total hours of ``legs`` (reproducible with ``seed``); see the module docstring.

    Raises
    ------
    InvalidQueryError
        ``n`` is not an integer in 1..:data:`MAX_SAMPLES`, or ``seed`` not a non-negative integer.
    """
    n, seed = check_samples(n, seed)
    d = _draw(legs, n, seed)
    total = np.zeros(n)
    for draw, group in d.moving_groups:
        total += draw * sum(legs[i].moving_h for i in group)
    for per_day, group in d.driving_groups:
        running = np.zeros(n)
        for i in group:
            factor = d.factor[i]
            assert factor is not None
            running = running + factor * legs[i].moving_h
        total += running * (24.0 / per_day - 1.0)
    for leg in legs:
        if leg.driving_h_per_day is None:
            total += _fixed_rest_h(leg)
    for sample in d.stops:
        total += sample
    for delay in _late_draws(legs, n, seed).values():
        total += delay
    return total


def sample_dated_hours(
    legs: Sequence[Leg], start_h: float, n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED
) -> FloatArray:
    """``n`` samples of the hours from a departure ``start_h`` (hours after the timetables' epoch) to the arrival.

    The draws are those of :func:`sample_hours` (same seed, same samples of every component), but the
    legs are walked in order and each wait for a service or a train with a timetable is the wait for its
    next departure after the sampled arrival at it: a delay upstream can miss a sailing, an early train
    still waits for the one it would have caught. A wait to board whose sampled arrival falls in the
    window of one of its seasons (``seasons.csv``) is longer by the season's draw: with probability
    ``chance``, a triangular over its hours; one draw per season per trip, from a stream of its own.
    A liner voyage's late arrival (:func:`voyages`) is added when its last leg arrives, before the stops
    there: a late vessel can miss the next departure.

    Raises
    ------
    InvalidQueryError
        ``n`` is not an integer in 1..:data:`MAX_SAMPLES`, or ``seed`` not a non-negative integer.
    """
    n, seed = check_samples(n, seed)
    d = _draw(legs, n, seed)
    seasonal = _season_draws(legs, n, seed)
    late = _late_draws(legs, n, seed)
    elapsed = np.zeros(n)

    def stops(group: Sequence[Stop]) -> None:
        nonlocal elapsed
        for stop in group:
            sample = next(d.stops)  # drawn even when the timetable decides: the other draws stay as undated
            arrival = start_h + elapsed
            if stop.component == "waiting" and stop.timetable is not None:
                elapsed = elapsed + stop.timetable.waits_h(arrival)
            else:
                elapsed = elapsed + sample
            for season in stop.seasons:
                hit, hours = seasonal[season.id]
                elapsed = elapsed + np.where(season.active_hours(arrival) & hit, hours, 0.0)

    for i, leg in enumerate(legs):
        stops(leg.stops_before)
        factor, per_day = d.factor[i], d.per_day(i)
        running = np.full(n, leg.moving_h) if factor is None else factor * leg.moving_h
        if per_day is not None:
            elapsed = elapsed + running * (24.0 / per_day)
        else:
            elapsed = elapsed + running + _fixed_rest_h(leg)
        if i in late:  # the last leg of a voyage: its vessel arrives late, before the stops at the port
            elapsed = elapsed + late[i]
        stops(leg.stops_after)
    return elapsed


SEASON_STREAM = 0x5EA5
"""The second word of the seed of the seasonal draws: a stream of their own, so the other draws stay as undated."""


def _season_draws(legs: Sequence[Leg], n: int, seed: int) -> dict[str, tuple[npt.NDArray[np.bool_], FloatArray]]:
    """Per season on the route's stops, one draw per trip: whether it hits (``chance``) and its extra hours
    (triangular over its min, typ, max), shared by every stop it applies to (the same storm, the same holiday)."""
    seasons = {s.id: s for leg in legs for stop in leg.stops for s in stop.seasons}
    if not seasons:
        return {}
    rng = np.random.default_rng([seed, SEASON_STREAM])
    out = {}
    for sid in sorted(seasons):
        season = seasons[sid]
        hit = rng.random(n) < season.chance
        hours = triangular_ppf(rng.random(n), season.time_h.min, season.time_h.typ, season.time_h.max)
        out[sid] = (hit, hours)
    return out


LATE_STREAM = 0x1A7E
"""The second word of the seed of the late-arrival draws: a stream of their own, so the other draws stay as
on a route without liner legs."""

REBOARD = frozenset({"waiting", "transshipment", "transfer"})
"""Stops before a leg that end a voyage: the box waits for a sailing or changes ship or mode there."""


def voyages(legs: Sequence[Leg]) -> list[tuple[int, int]]:
    """The liner voyages of ``legs``: ``(first, last)`` leg indices of each maximal run of consecutive legs on one
    service with late arrivals (:attr:`Leg.late_arrival <corridor_planner.routing.route.Leg.late_arrival>`)
    and no wait to board, transshipment or transfer between them (the box stays aboard)."""
    out: list[tuple[int, int]] = []
    for i, leg in enumerate(legs):
        late = leg.late_arrival
        if late is None:
            continue
        if out and out[-1][1] == i - 1:
            prev = legs[i - 1].late_arrival
            if (
                prev is not None
                and prev.service == late.service
                and not any(s.component in REBOARD for s in leg.stops_before)
            ):
                out[-1] = (out[-1][0], i)
                continue
        out.append((i, i))
    return out


def _late_draws(legs: Sequence[Leg], n: int, seed: int) -> dict[int, FloatArray]:
    """Per liner voyage (by its last leg), one draw per trip of its late-arrival hours (``A-T-LINER-LATE``): 0 with
    probability ``on_time_share``, else :data:`~corridor_planner.model.records.ON_TIME_WINDOW_DAYS` plus an
    exponential with mean ``late_delay_days_mean`` less that window."""
    runs = voyages(legs)
    if not runs:
        return {}
    rng = np.random.default_rng([seed, LATE_STREAM])
    out: dict[int, FloatArray] = {}
    for _, last in runs:
        late = legs[last].late_arrival
        assert late is not None
        hit = rng.random(n) >= late.on_time_share
        excess = max(late.late_delay_days_mean - ON_TIME_WINDOW_DAYS, 0.0)
        days = ON_TIME_WINDOW_DAYS + rng.exponential(excess, n) if excess > 0 else np.full(n, ON_TIME_WINDOW_DAYS)
        out[last] = np.where(hit, days * 24.0, 0.0)
    return out


def percentiles_of(days: FloatArray, n: int, seed: int) -> Percentiles:
    p10, p50, p90 = np.percentile(days, [10.0, 50.0, 90.0])
    return Percentiles(float(p10), float(p50), float(p90), n, seed)
