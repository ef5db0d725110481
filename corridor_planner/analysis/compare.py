"""Side-by-side comparison of scenarios over origin-destination pairs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError, NoRouteError, UnknownLocationError
from ..model.records import Hub
from .executor import check_executor, run
from .matrix import plan_pairs
from .scenario import load_scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..network import Network
    from ..routing.route import Route
    from .scenario import Scenario


PROGRESS_DELAY_S = 1.0
"""A comparison shows its progress bar once it has run this long (seconds)."""

BASELINE = "base"
"""The name of the network as given, without scenarios, in a comparison."""

COLUMNS = (
    "scenario", "origin", "destination", "status", "days", "km", "cost_usd", "co2_t", "co2e_t", "unit",
    "cost_usd_per_unit", "co2e_kg_per_unit", "corridors", "modes",
    "chokepoints", "delta_days", "delta_km", "delta_cost_usd", "delta_co2_t", "message",
)  # fmt: skip
"""The columns of :func:`compare`'s table, in order."""


def _pair(pair: Any) -> tuple[Any, Any]:
    if isinstance(pair, str) and ":" in pair:
        a, b = pair.split(":", 1)
        return a.strip(), b.strip()
    if isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(p, (str, tuple, list)) for p in pair):
        first, second = (p if isinstance(p, str) else tuple(p) for p in pair)  # a (lon, lat) end
        return first, second
    raise InvalidQueryError(f"a pair is (origin, destination) or 'Origin:Destination', not {pair!r}")


def compare(
    network: Network,
    scenarios: Iterable[Scenario | str | Any] = (),
    pairs: Iterable[tuple[str, str] | str] = (),
    *,
    optimize: str = "time",
    baseline: str | None = BASELINE,
    progress: bool | None = None,
    executor: Any = None,
    **options: Any,
) -> pd.DataFrame:
    """Plan every pair on the base network and under every scenario; one tidy table.

    Parameters
    ----------
    network : Network
        The base network (not changed).
    scenarios : iterable
        :class:`~corridor_planner.Scenario` objects, shipped scenario names, TOML
        paths or mappings. A list entry may itself be a list: those scenarios are
        applied together (``[["avoid_russia", "caspian_congestion"]]``).
    pairs : iterable
        ``(origin, destination)`` tuples or ``"Origin:Destination"`` strings. An end may
        also be a city of the gazetteer or a ``(lon, lat)`` pair (see :meth:`Network.plan`).
    optimize : str
        The criterion, as for :meth:`Network.plan`.
    baseline : str or None
        The scenario the ``delta_*`` columns compare against: ``"base"`` (the
        network as given, planned first), a scenario's name, or ``None`` for no
        deltas and no base rows.
    progress : bool, optional
        Show a progress bar (tqdm): ``None`` shows it only on an interactive
        terminal and only once the comparison has run for a second.
    executor : Executor or distributed.Client, optional
        Plan each scenario's network as one chunk of work on this executor: a
        :mod:`concurrent.futures` executor (threads or processes) or a Dask
        ``distributed.Client`` (each network is scattered to the cluster once). The table
        is the same as without one (:mod:`corridor_planner.analysis.executor`).
    **options
        Options of :meth:`Network.plan` (``avoid_modes``, ``as_of``, ``cargo``...) applied to every plan.

    Returns
    -------
    pandas.DataFrame
        One row per scenario x pair with :data:`COLUMNS` (``cost_usd`` per TEU, ``co2_t``
        tank-to-wheel and ``co2e_t`` well-to-wheel tonnes per TEU; ``cost_usd_per_unit`` and
        ``co2e_kg_per_unit`` per ``unit``, the ``unit=`` option): ``status`` is ``"ok"``,
        ``"no route"`` (then ``message`` says what blocked it and the figures are
        empty) or ``"unknown place"`` (a hub only some scenarios add);
        ``corridors``, ``modes`` and ``chokepoints`` are ``;``-joined.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> table = cp.compare(cp.load_network(), ["red_sea_closed"], [("Shanghai", "Rotterdam")],
    ...                    avoid_modes=["rail", "road"], progress=False)
    >>> list(table["scenario"])
    ['base', 'red_sea_closed']
    >>> bool(table["delta_days"].iloc[1] > 5)
    True
    """
    import pandas as pd
    from tqdm import tqdm  # the text bar: works in terminals and notebooks, needs no ipywidgets

    check_executor(executor)

    variants: list[tuple[str, Network]] = []
    if baseline == BASELINE:
        variants.append((BASELINE, network))
    for entry in scenarios:
        group = [load_scenario(s) for s in entry] if isinstance(entry, (list, tuple)) else [load_scenario(entry)]
        name = " + ".join(s.name for s in group)
        variants.append((name, network.apply(*group)))
    names = [name for name, _ in variants]
    if len(set(names)) != len(names):
        raise InvalidQueryError(f"scenario names repeat in the comparison: {names}")
    if baseline is not None and baseline not in names:
        raise InvalidQueryError(f"baseline={baseline!r} is not among the compared scenarios {names}")
    od = [_pair(p) for p in pairs]
    if not od:
        raise InvalidQueryError("compare() needs at least one origin-destination pair")
    ids = {place: _resolve(place, [net for _, net in variants] or [network]) for pair in od for place in pair}
    hub_ids = {value for value, is_hub in ids.values() if is_hub}

    rows: list[dict[str, Any]] = []
    disable = None if progress is None else not progress  # tqdm: None = off unless on a terminal
    bar = tqdm(total=len(variants) * len(od), desc="compare", unit="plan", delay=PROGRESS_DELAY_S, disable=disable)
    try:
        if executor is None:
            for name, net in variants:
                rows.extend(_variant_rows(net, name, od, ids, hub_ids, optimize, options, bar.update))
        else:  # one chunk per scenario network, the rows put back in the same order
            tasks = [(net, (name, od, ids, hub_ids, optimize, options)) for name, net in variants]
            for chunk in run(executor, _variant_rows, tasks):
                rows.extend(chunk)
                bar.update(len(chunk))
    finally:
        bar.close()
    table: pd.DataFrame = pd.DataFrame(rows, columns=list(COLUMNS))
    if baseline is not None:
        base = {(r["origin"], r["destination"]): r for r in rows if r["scenario"] == baseline}
        for col in ("days", "km", "cost_usd", "co2_t"):
            reference = [base[(r["origin"], r["destination"])].get(col) for r in rows]
            table[f"delta_{col}"] = table[col] - pd.to_numeric(pd.Series(reference, index=table.index, dtype=object))
    return table


def sweep(
    network: Network,
    scenario: Callable[[float], Scenario | Mapping[str, Any]],
    values: Iterable[float],
    pairs: Iterable[tuple[str, str] | str],
    *,
    optimize: str = "time",
    progress: bool | None = None,
    executor: Any = None,
    **options: Any,
) -> pd.DataFrame:
    """Plan the pairs under a scenario made for each of ``values``: where does the answer change?

    ``scenario(value)`` returns a :class:`~corridor_planner.Scenario` or a mapping
    (the structure of a scenario file). The table has a ``value`` column and the
    columns of :func:`compare` (deltas against the first value). ``executor=`` plans each
    value's network as one chunk of work on it, as for :func:`compare`.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> congestion = lambda h: {"scenario": {"name": f"+{h:g} h"},
    ...     "change": [{"add": "dwell_time", "hours": h, "hubs": ["aktau", "kuryk", "alat"], "events": ["port_dwell"]}]}
    >>> table = cp.sweep(cp.load_network(), congestion, [0, 48], [("Beijing", "Baku")], within=["CN", "KZ", "AZ"], progress=False)
    >>> [round(d) for d in table["delta_days"]]
    [0, 4]
    """
    import pandas as pd

    grid = list(values)
    made = [load_scenario(scenario(v)) for v in grid]
    table = compare(
        network,
        [[s] for s in made],
        pairs,
        optimize=optimize,
        baseline=None,
        progress=progress,
        executor=executor,
        **options,
    )
    per_value = len(table) // max(1, len(grid))
    table.insert(0, "value", [v for v in grid for _ in range(per_value)])
    for col in ("days", "km", "cost_usd", "co2_t"):
        first = table.groupby(["origin", "destination"], sort=False)[col].transform("first")
        table[f"delta_{col}"] = table[col] - first
    result: pd.DataFrame = pd.DataFrame(table)
    return result


def _variant_rows(
    net: Network,
    name: str,
    od: list[tuple[Any, Any]],
    ids: dict[Any, tuple[Any, bool]],
    hub_ids: set[Any],
    optimize: str,
    options: dict[str, Any],
    done: Callable[[], Any] | None = None,
) -> list[dict[str, Any]]:
    """The rows of one network of a comparison, in the order of ``od`` (a chunk of work for an executor)."""
    # the hub pairs of one network in one batch of array searches (routing.matrix), each as plan() gives it;
    # points and gazetteer cities are planned one by one
    known = [
        (ids[a][0], ids[b][0]) for a, b in od
        if ids[a][1] and ids[b][1] and ids[a][0] in net.hub_ids and ids[b][0] in net.hub_ids
    ]  # fmt: skip
    answers = dict(zip(known, plan_pairs(net, known, optimize, options), strict=True))
    rows = []
    for a, b in od:
        answer = answers.get((ids[a][0], ids[b][0])) if ids[a][1] and ids[b][1] else None
        rows.append(_row(net, name, ids[a][0], ids[b][0], optimize, options, hub_ids, answer))
        if done is not None:
            done()
    return rows


def _resolve(place: Any, networks: list[Network]) -> tuple[Any, bool]:
    """The hub id of ``place`` in the first network that has it (a scenario may add hubs), and ``True``;
    else the place itself (a gazetteer city or a ``(lon, lat)`` point, planned as such) and ``False``.

    Raises the first network's :class:`UnknownLocationError` (with suggestions) when no network has it
    and it is no city of the gazetteer, or :class:`InvalidQueryError` for bad coordinates, before
    anything is planned.
    """
    if isinstance(place, str):
        for net in networks:
            try:
                return net.find(place).id, True
            except UnknownLocationError:
                continue
    end = networks[0].locate(place)
    return (end.id, True) if isinstance(end, Hub) else (place, False)


def _row(
    net: Network,
    name: str,
    origin: Any,
    destination: Any,
    optimize: str,
    options: dict[str, Any],
    hub_ids: set[Any] | frozenset[Any] = frozenset(),
    answer: Route | NoRouteError | None = None,
) -> dict[str, Any]:
    """One row of the table: from ``answer`` (the pair's route or error, planned in a batch), else planned here."""
    row: dict[str, Any] = {"scenario": name, "origin": origin, "destination": destination}
    missing = [h for h in (origin, destination) if h in hub_ids and h not in net.hub_ids]
    if missing:
        return {**row, "status": "unknown place", "message": f"{', '.join(missing)} is not a hub of this network"}
    if answer is None:
        try:
            answer = net.plan(origin, destination, optimize=optimize, **options)
        except NoRouteError as exc:
            answer = exc
    if isinstance(answer, NoRouteError):
        return {**row, "status": "no route", "message": "; ".join(answer.reasons) or str(answer)}
    route = answer
    return {
        **row, "status": "ok", "days": route.transit_days, "km": route.distance_km, "cost_usd": route.cost_usd,
        "co2_t": route.co2_kg / 1000.0, "co2e_t": route.co2e_kg / 1000.0, "unit": route.unit,
        "cost_usd_per_unit": route.cost(), "co2e_kg_per_unit": route.co2e(), "corridors": ";".join(route.corridors), "modes": ";".join(route.modes),
        "chokepoints": ";".join(route.chokepoints), "message": "",
    }  # fmt: skip
