"""Seasonal factors (``seasons.csv``): dated extra waits to board a service or a train at some hubs.

A :class:`Season` applies to a dated plan (``plan(depart=...)``) only: a box that arrives to
board a service or a train (a ``waiting`` stop) at a hub the season names (``at``), on a leg of
one of its ``modes``, at a moment inside its window, waits longer. Its window is either one
dated span (``2026-02-15`` to ``2026-02-23``, both days included) or a span of every year
(``12-01`` to ``02-29``, which may wrap the New Year). The extra wait is, with probability
``chance``, a triangular draw over ``time_h`` (min, typ, max); a dated plan adds its expected
value at the typical, ``chance x typ``. Undated plans never use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import numpy as np
import numpy.typing as npt

from .records import HoursRange

AnnualDay = tuple[int, int]
"""A day of every year: (month, day)."""

_EPOCH_DAY = np.datetime64("1970-01-05", "D")
"""The timetables' epoch (:data:`~corridor_planner.model.timetable.EPOCH`) as a numpy day."""


def parse_day(text: str) -> date | AnnualDay:
    """``YYYY-MM-DD`` as a date, ``MM-DD`` as a (month, day) of every year (``02-29`` allowed).

    Raises
    ------
    ValueError
        ``text`` is neither.
    """
    parts = text.split("-")
    if len(parts) == 3 and len(parts[0]) == 4:
        return date.fromisoformat(text)
    if len(parts) == 2 and all(len(p) == 2 and p.isdigit() for p in parts):
        day = date(2000, int(parts[0]), int(parts[1]))  # a leap year: 02-29 is a day
        return (day.month, day.day)
    raise ValueError(f"{text!r} is not a date YYYY-MM-DD nor a day of every year MM-DD")


@dataclass(frozen=True)
class Season:
    """A dated extra wait to board at some hubs (a row of ``seasons.csv``)."""

    id: str
    name: str
    at: tuple[str, ...]
    """Hub ids, ``kind:<hub kind>``, ``country:<ISO2>`` or ``*``."""
    start: date | AnnualDay
    end: date | AnnualDay
    """The last day of the window (included)."""
    time_h: HoursRange
    """The extra hours of a boarding the season hits (triangular over min, typ, max)."""
    modes: tuple[str, ...] = ()
    """The modes of the legs boarded (empty: every mode)."""
    chance: float = 1.0
    """The share of boardings in the window that the season hits (a storm that stops sailings some days)."""
    source: tuple[str, ...] = ()
    note: str = ""

    @property
    def expected_h(self) -> float:
        """The extra hours a dated plan adds at its typical: ``chance x time_h.typ``."""
        return self.chance * self.time_h.typ

    @property
    def annual(self) -> bool:
        return isinstance(self.start, tuple)

    def applies(self, hub_id: str, kind: str, country: str, mode: str) -> bool:
        """Whether the season names the hub (by id, kind or country) and the mode boarded."""
        if self.modes and mode not in self.modes:
            return False
        return any(a == "*" or a == hub_id or a == f"kind:{kind}" or a == f"country:{country}" for a in self.at)

    def active(self, moment: datetime) -> bool:
        """Whether the (aware) ``moment`` falls in the window (by its UTC day)."""
        day = moment.astimezone(timezone.utc).date()
        if isinstance(self.start, date) and isinstance(self.end, date):
            return self.start <= day <= self.end
        key = (day.month, day.day)
        assert isinstance(self.start, tuple) and isinstance(self.end, tuple)
        if self.start <= self.end:
            return self.start <= key <= self.end
        return key >= self.start or key <= self.end

    def active_hours(self, hours: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """:meth:`active` of each of ``hours`` after the timetables' epoch, vectorised."""
        days = _EPOCH_DAY + np.floor(hours / 24.0).astype("timedelta64[D]")
        if isinstance(self.start, date) and isinstance(self.end, date):
            first, last = np.datetime64(self.start, "D"), np.datetime64(self.end, "D")
            out: npt.NDArray[np.bool_] = (days >= first) & (days <= last)
            return out
        months = days.astype("datetime64[M]")
        key = (months.astype(np.int64) % 12 + 1) * 100 + (days - months.astype("datetime64[D]")).astype(np.int64) + 1
        assert isinstance(self.start, tuple) and isinstance(self.end, tuple)
        start, end = self.start[0] * 100 + self.start[1], self.end[0] * 100 + self.end[1]
        if start <= end:
            return (key >= start) & (key <= end)  # type: ignore[no-any-return]
        return (key >= start) | (key <= end)  # type: ignore[no-any-return]

    def window(self) -> str:
        """``"2026-02-15 to 2026-02-23"`` or ``"every 12-01 to 02-29"``."""
        if isinstance(self.start, date) and isinstance(self.end, date):
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        assert isinstance(self.start, tuple) and isinstance(self.end, tuple)
        return f"every {self.start[0]:02d}-{self.start[1]:02d} to {self.end[0]:02d}-{self.end[1]:02d}"
