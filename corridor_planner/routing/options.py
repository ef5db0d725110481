"""Checking and resolving the options of :meth:`Network.plan` into a :class:`~corridor_planner.routing.query.Query`.

Every query option is validated here, once, with a message naming the option:
the type of every option holding names (places, countries, modes...) through
:func:`as_list`, every number through :mod:`corridor_planner.model.quantities`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict

from ..errors import InvalidQueryError
from ..model import quantities
from ..model.dataset import EARLIEST_YEAR
from ..model.records import CARGO_CLASSES, CountryGroup, Hub, Mode
from ..text import shown
from .costs import CREWS
from .dates import as_departure
from .query import OBJECTIVES, Objective, Query

if TYPE_CHECKING:  # pragma: no cover
    from ..model.records import Country
    from ..network import Network


def check_criterion(criterion: object, what: str = "optimize") -> None:
    if criterion not in OBJECTIVES:
        raise InvalidQueryError(
            f"{what}={shown(criterion)} is not a valid criterion, must be one of {', '.join(OBJECTIVES)}"
        )


def check_cargo(cargo: str) -> None:
    if not isinstance(cargo, str) or cargo not in CARGO_CLASSES:
        raise InvalidQueryError(
            f"cargo={shown(cargo)} is not a valid option, must be one of {', '.join(sorted(CARGO_CLASSES))}"
        )


def check_crew(crew: object) -> int:
    """The number of drivers per truck: 1 or 2."""
    if not isinstance(crew, int) or isinstance(crew, bool) or crew not in CREWS:
        raise InvalidQueryError(
            f"crew={crew!r} is not a valid option, must be one of {', '.join(map(str, CREWS))} drivers"
        )
    return crew


def check_epsilon(epsilon: object) -> float | None:
    """``pareto(epsilon=...)``: ``None`` (exact, bounded automatically on huge fronts) or a finite number >= 0."""
    if epsilon is None:
        return None
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not 0 <= epsilon < float("inf"):
        raise InvalidQueryError(
            f"epsilon={shown(epsilon)} is not valid, must be a finite number >= 0 (0: the exact front; "
            "0.01: every Pareto-optimal route within 1% of a returned one) or None"
        )
    return float(epsilon)


def check_max_routes(max_routes: object) -> int | None:
    """``pareto(max_routes=...)``: ``None`` (every route of the front) or a positive integer."""
    if max_routes is None:
        return None
    if isinstance(max_routes, bool) or not isinstance(max_routes, int) or max_routes < 1:
        raise InvalidQueryError(f"max_routes={shown(max_routes)} is not valid, must be a positive integer or None")
    return max_routes


def check_modes(modes: Sequence[str], what: str) -> None:
    valid_modes = [m.value for m in Mode]
    for mode in modes:
        if mode not in valid_modes:
            raise InvalidQueryError(f"{what}: {mode!r} is not a mode, must be among {', '.join(valid_modes)}")


def as_list(value: Any, option: str, kinds: tuple[type, ...] = (str,), label: str = "text") -> list[Any]:
    """``value`` (one item or an iterable of items, each an instance of ``kinds``) as a new list.

    The one check of the type of a query option holding names (places,
    countries, modes...): a number, a mapping, nested lists or ``None`` inside
    a list raise an error naming the option, instead of a ``TypeError`` deep
    inside the router.

    Raises
    ------
    InvalidQueryError
        Naming ``option`` (its entries described as ``label``) and the value that is neither.

    Examples
    --------
    >>> as_list("RU", "avoid_countries"), as_list(("RU", "BY"), "avoid_countries"), as_list(None, "via")
    (['RU'], ['RU', 'BY'], [])
    >>> as_list([["RU"]], "avoid_countries")
    Traceback (most recent call last):
    ...
    corridor_planner.errors.InvalidQueryError: avoid_countries: each entry must be text, not ['RU']
    """
    if value is None:
        return []
    if isinstance(value, kinds) and not isinstance(value, tuple):  # a tuple at the top is a list of entries
        return [value]
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidQueryError(f"{option} must be {label} or a list of them, not {shown(value)}")
    items = list(value)
    for item in items:
        if not isinstance(item, kinds):
            raise InvalidQueryError(f"{option}: each entry must be {label}, not {shown(item)}")
    return items


class PlanOptions(TypedDict, total=False):
    """The options of :meth:`Network.plan` (documented there), shared by ``query``, ``pareto`` and ``alternatives``."""

    optimize: str | Mapping[str, float]
    value_of_time: float | None
    via: str | Iterable[str | tuple[str, str]] | None
    avoid_countries: str | Iterable[str] | None
    avoid_modes: str | Iterable[str] | None
    only_modes: str | Iterable[str] | None
    avoid_hubs: str | Iterable[str] | None
    avoid_chokepoints: str | Iterable[str] | None
    avoid_corridors: str | Iterable[str] | None
    within: str | CountryGroup | Iterable[str | CountryGroup] | None
    require_hubs: str | Iterable[str] | None
    require_corridors: str | Iterable[str] | None
    require_chokepoints: str | Iterable[str] | None
    require_countries: str | Iterable[str] | None
    cargo: str
    as_of: int | None
    unit: str | None
    crew: int
    depart: str | date | datetime | None
    seasons: bool


PLAN_OPTIONS = frozenset(PlanOptions.__annotations__)
"""The names :meth:`Network.plan` accepts as options."""


def resolve_query(net: Network, origin: str | Hub, destination: str | Hub, options: PlanOptions) -> Query:
    """Check the options of :meth:`Network.plan` and resolve them into a :class:`~corridor_planner.routing.query.Query`.

    Every option is checked here: its type, its values (names the network knows, with
    close matches), and its consistency with the others (nothing both required and
    avoided). Raises :class:`~corridor_planner.errors.InvalidQueryError` naming the option,
    or :class:`~corridor_planner.errors.UnknownLocationError` for a place.
    """
    unknown = sorted(set(options) - PLAN_OPTIONS)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(PLAN_OPTIONS), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; options are {', '.join(sorted(PLAN_OPTIONS))}"
        raise InvalidQueryError(f"unknown option {unknown[0]!r}{hint}")
    optimize = options.get("optimize", "time")
    value_of_time = options.get("value_of_time")
    avoid_modes, avoid_hubs, via = options.get("avoid_modes"), options.get("avoid_hubs"), options.get("via")
    within, cargo, as_of = options.get("within"), options.get("cargo", "container"), options.get("as_of")
    a = net.find(origin)
    b = net.find(destination)
    if a.id == b.id:
        raise InvalidQueryError(f"origin and destination are the same hub ({a.id!r})")
    for hub in (a, b):
        if hub.kind == "waypoint":
            raise InvalidQueryError(f"{hub.name!r} is a sea waypoint, not a place a trip can start or end")
    objective = objective_of(optimize, value_of_time)
    modes = [getattr(m, "value", m) for m in as_list(avoid_modes, "avoid_modes")]
    check_cargo(cargo)
    check_modes(modes, "avoid_modes")
    only = [getattr(m, "value", m) for m in as_list(options.get("only_modes"), "only_modes")]
    if only:
        check_modes(only, "only_modes")
        # combined: the modes a route may use are only_modes minus avoid_modes
        modes = sorted(set(modes) | {m.value for m in Mode if m.value not in only})
        if all(m.value in modes for m in Mode):
            raise InvalidQueryError("only_modes and avoid_modes together leave no mode to travel by")
    countries = _countries(net, options.get("avoid_countries"), "avoid_countries")
    chokepoints = _names(options.get("avoid_chokepoints"), net.chokepoints, "avoid_chokepoints", "chokepoint")
    corridors = _names(options.get("avoid_corridors"), net.corridors, "avoid_corridors", "corridor")
    avoided = frozenset(net.find(h).id for h in as_list(avoid_hubs, "avoid_hubs", (str, Hub), "a place"))
    for hub in (a, b):
        if hub.id in avoided:
            raise InvalidQueryError(f"avoid_hubs includes the {'origin' if hub is a else 'destination'} {hub.id!r}")
    via_ids = tuple(
        _via(net, entry) for entry in as_list(via, "via", (str, Hub, tuple), "a place or a (place, mode) pair")
    )
    for hub_id, _ in via_ids:
        if hub_id in avoided:
            raise InvalidQueryError(f"{hub_id!r} is both in via and in avoid_hubs")
    inside = None if within is None else _within(net, within)
    if inside is not None:
        for hub in (a, b):
            if hub.country not in inside:
                raise InvalidQueryError(
                    f"within: the {'origin' if hub is a else 'destination'} {hub.id!r} lies in {hub.country}, outside it"
                )
    require = [
        ("hub", net.find(h).id) for h in as_list(options.get("require_hubs"), "require_hubs", (str, Hub), "a place")
    ]
    corridors_required = _names(options.get("require_corridors"), net.corridors, "require_corridors", "corridor")
    chokepoints_required = _names(
        options.get("require_chokepoints"), net.chokepoints, "require_chokepoints", "chokepoint"
    )
    require += [("corridor", c) for c in sorted(corridors_required)]
    require += [("chokepoint", c) for c in sorted(chokepoints_required)]
    require += [("country", c) for c in sorted(_countries(net, options.get("require_countries"), "require_countries"))]
    for kind, name in require:
        blocked = (kind == "hub" and name in avoided) or (kind == "country" and name in countries) or (
            kind == "chokepoint" and name in chokepoints) or (kind == "corridor" and name in corridors)  # fmt: skip
        if blocked:
            plural = {"hub": "hubs", "country": "countries"}.get(kind, f"{kind}s")
            raise InvalidQueryError(f"{kind} {name!r} is both required and avoided (require_{plural}, avoid_{plural})")
    crew = check_crew(options.get("crew", 1))
    if options.get("depart") is not None:
        as_departure(options.get("depart"))  # checked here too; the route is dated by Network.plan
    if not isinstance(options.get("seasons", True), bool):
        raise InvalidQueryError(f"seasons must be True or False, not {shown(options.get('seasons'))}")
    year = net.as_of if as_of is None else as_of
    if not isinstance(year, int) or isinstance(year, bool):
        raise InvalidQueryError(f"as_of must be a year (int), not {shown(as_of)}")
    try:
        quantities.integer(year, quantities.YEAR)
    except quantities.NumberError as exc:
        raise InvalidQueryError(f"as_of {exc}") from None
    if year < EARLIEST_YEAR:
        raise InvalidQueryError(
            f"as_of={year} is before {EARLIEST_YEAR}, the earliest year the dataset represents "
            "(the post-Soviet network; links without an opening year are taken to be open from then on)"
        )
    return Query(
        origin=a.id, destination=b.id, optimize=objective, via=via_ids,
        avoid_countries=countries, avoid_modes=frozenset(modes), avoid_hubs=avoided,
        avoid_chokepoints=chokepoints, avoid_corridors=corridors, within=inside,
        require=tuple(dict.fromkeys(require)), cargo=cargo, as_of=year, crew=crew,
    )  # fmt: skip


def objective_of(optimize: str | Mapping[str, float], value_of_time: float | None) -> Objective:
    """``"time"``, or sorted (criterion, weight) pairs for a generalised cost."""
    if isinstance(optimize, str) and value_of_time is None:
        check_criterion(optimize)
        return optimize
    if isinstance(optimize, str):
        weights: dict[str, float] = {optimize: 1.0}
    elif isinstance(optimize, Mapping):
        weights = dict(optimize)
    else:
        raise InvalidQueryError(
            f"optimize must be a criterion name or a mapping of criteria to weights, not {shown(optimize)}"
        )
    for criterion, weight in weights.items():
        check_criterion(criterion)
        if not isinstance(weight, (int, float)) or isinstance(weight, bool):
            raise InvalidQueryError(f"optimize: the weight of {criterion!r} must be a number, not {shown(weight)}")
        try:
            weights[criterion] = quantities.number(weight, quantities.WEIGHT)
        except quantities.NumberError as exc:
            raise InvalidQueryError(f"optimize: the weight of {criterion!r} {exc}") from None
    if value_of_time is not None:
        if not isinstance(value_of_time, (int, float)) or isinstance(value_of_time, bool):
            raise InvalidQueryError(f"value_of_time must be a number of USD per TEU-day, not {shown(value_of_time)}")
        try:
            vot = quantities.number(value_of_time, quantities.VALUE_OF_TIME)
        except quantities.NumberError as exc:
            raise InvalidQueryError(f"value_of_time {exc}") from None
        if "cost" not in weights:
            raise InvalidQueryError("value_of_time prices days in USD: optimize must include 'cost'")
        weights["time"] = weights.get("time", 0.0) + vot * weights["cost"]
    positive = sorted((c, float(w)) for c, w in weights.items() if w)
    if not positive:
        raise InvalidQueryError("optimize: at least one weight must be positive")
    if len(positive) == 1:
        return positive[0][0]  # one criterion, whatever its weight: the same optimum
    return tuple(positive)


def _countries(net: Network, value: str | Iterable[str] | None, what: str) -> frozenset[str]:
    codes = [c.upper() for c in as_list(value, what)]
    known = net.dataset.country_codes
    for code in codes:
        if code not in known:
            raise InvalidQueryError(
                f"{what}: {code!r} is not a country of this network; use ISO 3166 alpha-2 codes "
                f"such as {', '.join(sorted(known)[:8])}..."
            )
    return frozenset(codes)


def _names(value: str | Iterable[str] | None, known: Iterable[str], what: str, kind: str) -> frozenset[str]:
    names = as_list(value, what)
    valid = sorted(known)
    for name in names:
        if name not in valid:
            close = difflib.get_close_matches(str(name), valid, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else f", must be among {', '.join(valid)}"
            raise InvalidQueryError(f"{what}: {name!r} is not a {kind} of this network{hint}")
    return frozenset(names)


def _within(net: Network, value: str | CountryGroup | Iterable[str | CountryGroup]) -> frozenset[str]:
    items = as_list(value, "within", (str, CountryGroup), "a country code or a CountryGroup")
    codes: set[str] = set()
    for item in items:
        if isinstance(item, CountryGroup):
            members = countries_in_group(net.countries, item)
            if not members:
                raise InvalidQueryError(f"within: this network's countries table lists no {item.name}")
            codes |= members
        else:
            codes |= _countries(net, item, "within")
    return frozenset(codes)


def _via(net: Network, entry: str | Hub | tuple[str | Hub, str]) -> tuple[str, str | None]:
    if isinstance(entry, tuple):
        if len(entry) != 2:
            raise InvalidQueryError(f"a via entry is a place or a (place, mode) pair, not {entry!r}")
        place, mode = entry
        mode = getattr(mode, "value", mode)
        check_modes([mode], "via")
        return net.find(place).id, mode
    return net.find(entry).id, None


def countries_in_group(countries: Mapping[str, Country], group: CountryGroup) -> frozenset[str]:
    """The ISO codes of the countries whose SCO status is in ``group``."""
    return frozenset(c.iso2 for c in countries.values() if c.sco_status in group.statuses)
