"""The library's exception hierarchy.

Every error the library raises on purpose derives from
:class:`CorridorPlannerError`, so ``except cp.CorridorPlannerError`` catches
them all. Each also derives from the closest built-in (``ValueError``,
``LookupError``) so generic handlers keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


class CorridorPlannerError(Exception):
    """Base class of every error raised by corridor_planner.

    Every error pickles to an equal one (the same type, message and attributes), so an error
    raised in a worker of an ``executor=`` (a process pool, a Dask cluster) surfaces as itself.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # the subclasses' __init__ take other arguments than the message in .args: rebuild without calling it
        state = dict(self.__dict__)
        if isinstance(self, ImportError):  # .name and .path are not in __dict__
            state.update(name=self.name, path=self.path)
        return _rebuild_error, (type(self), self.args, state)


def _rebuild_error(
    cls: type[CorridorPlannerError], args: tuple[Any, ...], state: dict[str, Any]
) -> CorridorPlannerError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    for key, value in state.items():
        setattr(error, key, value)
    return error


class InvalidQueryError(CorridorPlannerError, ValueError):
    """A query option has a value the library cannot use (the message lists valid ones)."""


@dataclass(frozen=True)
class Problem:
    """One problem found while validating a dataset.

    Attributes
    ----------
    file : str
        The file (or table) the record comes from, e.g. ``"links.geojson"``.
    record : str
        The record's id, or its position (``"row 4"``, ``"feature 12"``) when it has no usable id.
    field : str
        The field at fault, or ``""`` when the whole record is at fault.
    reason : str
        What is wrong.
    """

    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.reason}"


class NetworkValidationError(CorridorPlannerError, ValueError):
    """A dataset has problems; ``.problems`` lists every one of them, not just the first."""

    def __init__(self, problems: Sequence[Problem], source: str = "dataset") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        shown = "\n  ".join(str(p) for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in {source}:\n  {shown}{more}")


class UnknownLocationError(CorridorPlannerError, LookupError):
    """A place name or id matches no hub (nor, for a route's end, a city of the gazetteer); ``.suggestions`` holds close matches."""

    def __init__(self, query: str, suggestions: Iterable[str] = (), hint: str = "") -> None:
        self.query = query
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        self.hint = hint
        """What else to do (how to add a hub, which extra to install); empty when nothing."""
        close = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        more = f" ({hint})" if hint else ""
        super().__init__(f"unknown location {query!r}{close}{more}")

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0])


class NoRouteError(CorridorPlannerError):
    """No route satisfies the query; the message names what blocked it.

    Attributes
    ----------
    origin, destination : str
        Hub ids of the query.
    reasons : tuple of str
        One sentence per finding: which constraint blocks every route, or which
        links that are not open (yet) would connect the two places.
    """

    def __init__(self, origin: str, destination: str, reasons: Iterable[str]) -> None:
        self.origin = origin
        self.destination = destination
        self.reasons: tuple[str, ...] = tuple(reasons)
        body = "; ".join(self.reasons) if self.reasons else "the two places are not connected"
        super().__init__(f"no route from {origin!r} to {destination!r}: {body}")


class ScenarioError(CorridorPlannerError, ValueError):
    """A scenario refers to something that does not exist or sets an invalid value.

    Attributes
    ----------
    file : str
        The scenario file (or ``"<scenario>"`` for one built in code).
    key : str
        Where in it: ``"change[2].ids"``, ``"scenario.sources[0]"``...
    suggestions : tuple of str
        Close matches of an unknown name.
    """

    def __init__(
        self, reason: str, *, file: str = "<scenario>", key: str = "", suggestions: Iterable[str] = ()
    ) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        where = f"{file}: {key}" if key else file
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{where}: {reason}{hint}")


class MissingDependencyError(CorridorPlannerError, ImportError):
    """An optional library a feature needs is not installed; the message says what to ``pip install``.

    Maps and timelines need the plotting extras: ``pip install "corridor_planner[plot]"``.
    ``.name`` is the missing module.
    """
