"""The one path that validates numbers: finite, in a documented range, whole where they must be.

Every number that enters the library (a dataset file, records, data frames,
an extension, a scenario, a query option) and every number a scenario
computes goes through :func:`number` (or :func:`integer`) with the
:class:`Range` of its quantity. A value that is not a number, not finite
(NaN, infinity, or too large for a float: a 400-digit integer), or out of
range raises :class:`NumberError` with the reason; the caller adds where the
value was (file, record and field; scenario key; query option) and raises the
library's own error. Because every stored quantity is bounded, every sum the
router makes over a route stays finite.

The ranges are generous bounds on what is physically plausible, not
judgements of the data:

========================  =================================  ==========================================================
quantity                  range                              why
========================  =================================  ==========================================================
speed_kmh                 0.1 ... 1,000 km/h                 slower would be standing; faster than a freighter aircraft
hours_per_day             0.1 ... 24 h                       a vehicle moves at most 24 h a day
distance_km               0.001 ... 50,000 km                longer than any route round the Earth
cost per TEU-km           0 ... 1,000 USD
CO2 per tonne-km          0 ... 10,000 g                     air freight emits about 500-1,000 g
frequency_per_week        0.001 ... 1,000                    one departure in 19 years ... one every 10 minutes
rule hours (min/typ/max)  0 ... 10,000 h                     a dwell of more than a year is no dwell
rule cost                 0 ... 1,000,000 USD                per TEU at a border, transfer or port
year (opens, as_of)       1800 ... 2200                      whole years
departure_hour            0 ... 23                           whole hours of the day, UTC
gauge_mm                  300 ... 3,000                      whole millimetres
lon / lat                 -180 ... 180 / -90 ... 90 degrees
scale factor              0.001 ... 1,000                    a scenario's ``scale ... factor``
value of time, weights    0 ... 1,000,000                    USD per TEU-day; weights of a generalised cost
========================  =================================  ==========================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..text import shown

__all__ = [
    "CO2_G_PER_TKM",
    "COST_USD",
    "COST_USD_PER_TEU_KM",
    "DISTANCE_KM",
    "FREQUENCY_PER_WEEK",
    "GAUGE_MM",
    "HOURS",
    "HOURS_PER_DAY",
    "LATE_DELAY_DAYS",
    "LATITUDE",
    "LONGITUDE",
    "SCALE_FACTOR",
    "SHARE",
    "SPEED_KMH",
    "VALUE_OF_TIME",
    "WEIGHT",
    "YEAR",
    "NumberError",
    "Range",
    "integer",
    "number",
]


class NumberError(ValueError):
    """A value is not a finite number in its range; ``str(err)`` says why (the caller says where)."""


@dataclass(frozen=True)
class Range:
    """The valid values of a quantity: ``lo <= x <= hi``, whole numbers only when ``whole``."""

    lo: float
    hi: float
    unit: str = ""
    whole: bool = False

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} between {self.lo:,.10g} and {self.hi:,.10g}{unit}"


SPEED_KMH = Range(0.1, 1000.0, "km/h")
HOURS_PER_DAY = Range(0.1, 24.0, "h")
DISTANCE_KM = Range(0.001, 50_000.0, "km")
LINK_CIRCUITY = Range(1.0, 2.0, "line km per drawn km")
COST_USD_PER_TEU_KM = Range(0.0, 1000.0, "USD per TEU-km")
CO2_G_PER_TKM = Range(0.0, 10_000.0, "g per tonne-km")
FREQUENCY_PER_WEEK = Range(0.001, 1000.0, "departures a week")
HOURS = Range(0.0, 10_000.0, "h")
HOUR_OF_DAY = Range(0, 23, "h (UTC)", whole=True)
SHARE = Range(0.0, 1.0, "(a share, 0 to 1)")
LATE_DELAY_DAYS = Range(1.0, 100.0, "days (a late arrival is over 1 day after its schedule)")
COST_USD = Range(0.0, 1_000_000.0, "USD")
YEAR = Range(1800, 2200, whole=True)
GAUGE_MM = Range(300, 3000, "mm", whole=True)
LONGITUDE = Range(-180.0, 180.0, "degrees")
LATITUDE = Range(-90.0, 90.0, "degrees")
SCALE_FACTOR = Range(0.001, 1000.0)
VALUE_OF_TIME = Range(0.0, 1_000_000.0, "USD per TEU-day")
WEIGHT = Range(0.0, 1_000_000.0)


def _as_float(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise NumberError(f"must be a number, not {shown(value)}")
    if isinstance(value, str):
        value = value.strip()
    try:
        return float(value)
    except OverflowError:  # an int (or Fraction, Decimal) too large for a float
        raise NumberError(f"is too large: {shown(value)}") from None
    except (TypeError, ValueError):
        raise NumberError(f"must be a number, not {shown(value)}") from None


def number(value: Any, valid: Range) -> float:
    """``value`` as a finite float within ``valid``.

    Raises
    ------
    NumberError
        Saying what is wrong with the value (not where it was).

    Examples
    --------
    >>> number("45.5", SPEED_KMH)
    45.5
    >>> number(float("nan"), SPEED_KMH)
    Traceback (most recent call last):
    ...
    corridor_planner.model.quantities.NumberError: must be a finite number, not nan
    >>> number(10**400, SCALE_FACTOR)
    Traceback (most recent call last):
    ...
    corridor_planner.model.quantities.NumberError: is too large: a 401-digit integer
    """
    result = _as_float(value)
    if not math.isfinite(result):
        raise NumberError(f"must be a finite number, not {shown(value)}")
    if not valid.lo <= result <= valid.hi:
        sign = "positive: " if result <= 0 < valid.lo else "non-negative: " if result < 0 == valid.lo else ""
        raise NumberError(f"must be {sign}{valid}, not {shown(value)}")
    if valid.whole and result != int(result):
        raise NumberError(f"must be {valid}, not {shown(value)}")
    return result


def integer(value: Any, valid: Range) -> int:
    """``value`` as an int within ``valid`` (a float such as ``2030.0`` is accepted when whole).

    Examples
    --------
    >>> integer(2030.0, YEAR)
    2030
    """
    return int(number(value, Range(valid.lo, valid.hi, valid.unit, whole=True)))
