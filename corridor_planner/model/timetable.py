"""Timetables: when a scheduled service (or a train from a terminal) departs, and the wait for the next departure.

A :class:`Timetable` is a period and the departures within it, in hours after the
epoch :data:`EPOCH` (Monday 1970-01-05 00:00 UTC) modulo the period:

- a weekly timetable (``services.csv``: ``weekdays`` and ``departure_hour``):
  period 168 h, one departure per weekday at the hour (UTC);
- a regular headway (a service with only ``frequency_per_week``, a ``train_departure``
  rule): period ``168 / frequency`` h, one departure at phase 0, i.e. at the epoch
  and every headway from it: every Monday at 00:00 UTC when the headway divides a
  week (assumption ``A-T-TIMETABLE-PHASE``).

All times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
import numpy.typing as npt

EPOCH = datetime(1970, 1, 5, tzinfo=timezone.utc)
"""Phase 0 of every timetable: a Monday, 00:00 UTC."""

WEEK_H = 168.0
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""The weekday names ``services.csv`` accepts (``weekdays``: ``;``-separated, e.g. ``Tue;Fri``)."""


def hours_since_epoch(moment: datetime) -> float:
    """Hours from :data:`EPOCH` to ``moment`` (an aware datetime)."""
    return (moment - EPOCH) / timedelta(hours=1)


@dataclass(frozen=True)
class Timetable:
    """Departures repeating every ``period_h`` hours, at ``offsets_h`` hours after :data:`EPOCH` modulo the period."""

    period_h: float
    offsets_h: tuple[float, ...]
    sourced: bool = False
    """Whether the departures come from a source (weekdays) rather than a regular headway at phase 0."""

    @classmethod
    def weekly(cls, weekdays: tuple[str, ...], hour: float = 0.0) -> Timetable:
        """Departures on ``weekdays`` (names of :data:`WEEKDAYS`) at ``hour`` UTC."""
        offsets = sorted(WEEKDAYS.index(day) * 24.0 + hour for day in weekdays)
        return cls(WEEK_H, tuple(offsets), sourced=True)

    @classmethod
    def headway(cls, headway_h: float, phase_h: float = 0.0) -> Timetable:
        """A departure every ``headway_h`` hours, the first at ``phase_h`` after :data:`EPOCH`."""
        return cls(headway_h, (phase_h % headway_h,))

    def wait_h(self, moment: datetime) -> float:
        """Hours from ``moment`` (aware) to the next departure at or after it."""
        t = hours_since_epoch(moment)
        wait = min((offset - t) % self.period_h for offset in self.offsets_h)
        return 0.0 if wait < 1e-9 or self.period_h - wait < 1e-9 else wait

    def waits_h(self, hours: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Hours to the next departure from each of ``hours`` (hours after :data:`EPOCH`), vectorised."""
        waits = np.min([np.mod(offset - hours, self.period_h) for offset in self.offsets_h], axis=0)
        out: npt.NDArray[np.float64] = np.where((waits < 1e-6) | (self.period_h - waits < 1e-6), 0.0, waits)
        return out

    def next_departure(self, moment: datetime) -> datetime:
        """The first departure at or after ``moment`` (aware)."""
        return moment + timedelta(hours=self.wait_h(moment))

    def describe(self) -> str:
        """``"Tue 10:00 UTC"`` for a weekly timetable, ``"every 84 h from Mon 00:00 UTC"`` for a headway."""
        if self.sourced and self.period_h == WEEK_H:
            return ", ".join(
                f"{WEEKDAYS[int(o // 24)]} {int(o % 24):02d}:{round(o % 1 * 60):02d} UTC" for o in self.offsets_h
            )
        return f"every {self.period_h:g} h from Mon 00:00 UTC"
