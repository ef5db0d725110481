"""Dated routes: checking a departure date and walking a route's legs from it.

A route is planned on typical values (a wait for a service is half its headway); dating
it (``plan(depart=...)``, :meth:`Route.departing <corridor_planner.routing.route.Route.departing>`)
walks its legs from the departure, and at each boarding of a scheduled service or a train
the wait becomes the time until that service's next departure
(:class:`~corridor_planner.model.timetable.Timetable`). Every other stop keeps its
typical time, so the dated route differs from the typical one only in its waits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ..errors import InvalidQueryError
from ..model.dataset import EARLIEST_YEAR
from ..text import shown

if TYPE_CHECKING:  # pragma: no cover
    from .route import Leg, Stop

LATEST_YEAR = 2200
"""The latest year a departure may fall in."""

Departure = str | date | datetime
"""What ``depart=`` accepts: an ISO 8601 date or date-time text, a ``datetime.date`` or a ``datetime.datetime``."""


def as_departure(value: object) -> datetime:
    """``value`` as an aware UTC datetime: a date is its 00:00 UTC, a naive date-time is read as UTC.

    Raises
    ------
    InvalidQueryError
        ``value`` is not a date, a date-time or ISO 8601 text of one, or falls outside 1991-2200.

    Examples
    --------
    >>> as_departure("2026-03-01").isoformat()
    '2026-03-01T00:00:00+00:00'
    >>> as_departure("2026-03-01T10:30+03:00").isoformat()
    '2026-03-01T07:30:00+00:00'
    """
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40:
            raise InvalidQueryError(f"depart must be an ISO 8601 date or date-time, not {shown(value)}")
        try:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise InvalidQueryError(
                f"depart={shown(value)} is not an ISO 8601 date or date-time (such as '2026-03-01' or "
                "'2026-03-01T10:00', UTC unless an offset is given)"
            ) from None
    elif isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        raise InvalidQueryError(
            f"depart must be an ISO 8601 date or date-time text, a datetime.date or a datetime.datetime, "
            f"not {shown(value)}"
        )
    try:
        offset = moment.utcoffset()
    except Exception as exc:  # a broken tzinfo of the caller's
        raise InvalidQueryError(f"depart={shown(value)} has an unusable time zone: {exc}") from None
    moment = moment.replace(tzinfo=timezone.utc) if offset is None else moment.astimezone(timezone.utc)
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise InvalidQueryError(f"depart={shown(value)} must fall between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return moment


def date_stops(
    stops: Sequence[Stop], start: datetime, *, known: bool, seasons: bool = True
) -> tuple[tuple[Stop, ...], datetime]:
    """``stops`` dated from ``start`` (waits for a timetable become the wait for its next departure), and the end.

    ``known``: the waits are certain (at the trip's start: no delay before them), so their range
    collapses to the wait; later waits keep their range (a delay upstream decides which
    departure the box catches), widened to hold the wait. ``seasons``: a wait to board whose
    arrival falls in the window of one of its seasons (``seasons.csv``) is longer by the season's
    expected hours (``chance x typ``; its range by the season's max); ``False``: seasons are
    dropped from the stops (nor does :meth:`Route.distribution` draw them).
    """
    out = []
    moment = start
    for stop in stops:
        if stop.component == "waiting" and stop.timetable is not None:
            wait = stop.timetable.wait_h(moment)
            leaves = moment + timedelta(hours=wait)
            note = (f"{stop.note}; " if stop.note else "") + f"next departure {leaves:%a %Y-%m-%d %H:%M} UTC"
            low, high = (wait, wait) if known else (min(stop.time_h_min, wait), max(stop.time_h_max, wait))
            stop = replace(stop, time_h=wait, time_h_min=low, time_h_max=high, note=note)
        if stop.seasons:
            stop = _seasonal(stop, moment) if seasons else replace(stop, seasons=())
        out.append(stop)
        moment += timedelta(hours=stop.time_h)
    return tuple(out), moment


def _seasonal(stop: Stop, moment: datetime) -> Stop:
    """``stop`` (a wait to board, reached at ``moment``) longer by its seasons active at ``moment``."""
    active = [s for s in stop.seasons if s.active(moment)]
    if not active:
        return stop
    extra = sum(s.expected_h for s in active)
    note = "; ".join(f"{s.name} ({s.id}) +{s.expected_h:.1f} h" for s in active)
    return replace(
        stop,
        time_h=stop.time_h + extra,
        time_h_max=stop.time_h_max + sum(s.time_h.max for s in active),
        note=(f"{stop.note}; " if stop.note else "") + note,
        seasonal=tuple((s.id, s.expected_h) for s in active),
    )


def date_legs(legs: Sequence[Leg], start: datetime, *, seasons: bool = True) -> tuple[tuple[Leg, ...], datetime]:
    """``legs`` dated from ``start``: each with its waits from the timetables (and seasons, unless ``seasons`` is
    ``False``) and its ``departs``/``arrives``; and the arrival at the destination (after the last leg's stops)."""
    out = []
    moment = start
    for i, leg in enumerate(legs):
        running_h = leg.time_h - leg.dwell_h  # moving and rest
        before, moment = date_stops(leg.stops_before, moment, known=i == 0, seasons=seasons)
        departs = moment
        moment = departs + timedelta(hours=running_h)
        arrives = moment
        after, moment = date_stops(leg.stops_after, moment, known=False, seasons=seasons)
        time_h = running_h + sum(s.time_h for s in before) + sum(s.time_h for s in after)
        out.append(
            replace(leg, stops_before=before, stops_after=after, time_h=time_h, departs=departs, arrives=arrives)
        )
    return tuple(out), moment
