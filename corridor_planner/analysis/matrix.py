"""Origin-destination matrices: :meth:`Network.matrix <corridor_planner.Network.matrix>`.

Every cell equals what :meth:`Network.plan <corridor_planner.Network.plan>` gives for the pair.
Options the array search supports (``avoid_*``, ``only_modes``, ``within``, ``cargo``,
``as_of``, ``crew``, weighted objectives) are answered by one batch of scipy searches
(:func:`corridor_planner.routing.matrix.one_to_many`); a cell whose array path enters a hub
twice is *repaired* by the router's own search for that pair. ``via``, ``require_*`` and
``optimize="p90_time"`` need the router's state search: every cell is then planned per pair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError, NoRouteError
from ..model.records import Hub
from ..routing.assemble import build_route, path_totals
from ..routing.diagnose import diagnose_cells
from ..routing.matrix import CRITERIA_COLUMNS, BatchSearch, one_to_many, supports
from ..routing.options import as_list, resolve_query
from ..text import shown
from .executor import CHUNKS_PER_WORKER, check_executor, run, workers

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..network import Network
    from ..routing.route import Route

COLUMNS = ("origin", "destination", "status", "transit_days", *CRITERIA_COLUMNS, "reason")
"""The columns of :func:`od_matrix`'s table (then ``route`` when ``routes=True``)."""

OK, NO_ROUTE, SAME = "ok", "no_route", "same"
"""The statuses of a cell: a route, none (``reason`` says why), or origin and destination the same hub."""


def _places(net: Network, value: Any, what: str) -> list[str]:
    """Hub ids of the places in ``value`` (in order, each once); ``None``: every hub a trip can start at."""
    if value is None:
        return [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]
    items = as_list(value, what, (str, Hub), "a place")
    if not items:
        raise InvalidQueryError(f"{what} must name at least one place")
    return list(dict.fromkeys(net.find(p).id for p in items))


def od_matrix(
    net: Network,
    origins: Any = None,
    destinations: Any = None,
    *,
    optimize: Any = "time",
    routes: bool = False,
    strict: bool = False,
    executor: Any = None,
    options: dict[str, Any],
) -> pd.DataFrame:
    """The long table of :meth:`Network.matrix <corridor_planner.Network.matrix>` (documented there)."""
    import pandas as pd

    check_executor(executor)

    for name, flag in (("routes", routes), ("strict", strict)):
        if not isinstance(flag, bool):
            raise InvalidQueryError(f"{name} must be True or False, not {shown(flag)}")
    if "optimize" in options:
        raise InvalidQueryError("matrix() takes optimize= once")
    a_ids = _places(net, origins, "origins")
    b_ids = a_ids if destinations is None else _places(net, destinations, "destinations")
    opts = dict(options)  # the caller's mapping is not touched
    unit = opts.pop("unit", None)
    p90 = optimize == "p90_time"
    template = _template(net, a_ids, b_ids, "time" if p90 else optimize, opts)
    if unit is not None and template is not None:
        net.emissions.unit(unit, template.cargo)  # an invalid unit raises before anything is planned
    per_pair = p90 or (template is not None and not supports(template))

    stats = {"cells": len(a_ids) * len(b_ids), "array": 0, "repaired": 0, "per_pair": 0}
    if executor is not None and len(a_ids) > 1:
        # blocks of origins, each a matrix of its own on a worker (every origin's searches are independent)
        count = min(len(a_ids), max(2, CHUNKS_PER_WORKER * workers(executor)))
        size = -(-len(a_ids) // count)
        blocks = [a_ids[i : i + size] for i in range(0, len(a_ids), size)]
        tasks = [(net, (block, b_ids, optimize, routes, strict, options)) for block in blocks]
        parts: list[pd.DataFrame] = run(executor, _matrix_block, tasks)
        joined = pd.concat(parts, ignore_index=True)
        joined.attrs = {}
        for part in parts:
            for key in ("array", "repaired", "per_pair"):
                stats[key] += part.attrs["matrix"][key]
        joined.attrs["matrix"] = stats
        return joined
    columns = [*COLUMNS, "route"] if routes else list(COLUMNS)
    if template is not None and not per_pair:
        data = _array_table(net, template, a_ids, b_ids, unit, routes, strict, stats)
        table: pd.DataFrame = pd.DataFrame(data, columns=columns)
    else:
        rows: list[dict[str, Any]] = []
        for a in a_ids:
            for b in b_ids:
                if a == b:
                    rows.append(_same(a, b))
                    continue
                stats["per_pair"] += 1
                try:
                    route = net.plan(a, b, optimize=optimize, unit=unit, **opts)
                except NoRouteError as exc:
                    if strict:
                        raise
                    rows.append(_no_route(a, b, exc))
                    continue
                rows.append(_ok(a, b, route))
        if not routes:
            for row in rows:
                row.pop("route", None)
        table = pd.DataFrame(rows, columns=columns)
    table.attrs["matrix"] = stats
    return table


def _matrix_block(
    net: Network,
    origins: list[str],
    destinations: list[str],
    optimize: Any,
    routes: bool,
    strict: bool,
    options: dict[str, Any],
) -> pd.DataFrame:
    """The rows of a block of origins (a chunk of work for an executor)."""
    return od_matrix(net, origins, destinations, optimize=optimize, routes=routes, strict=strict, options=options)


def _template(net: Network, a_ids: list[str], b_ids: list[str], optimize: Any, opts: dict[str, Any]) -> Any:
    """The query of the first pair of different hubs (its options checked once, for every cell), or ``None``.

    Hub-specific checks (a waypoint, an avoided hub, a hub outside ``within``) are made for every hub
    by resolving a query from or to it, so the errors are those :meth:`Network.plan` raises.
    """
    pair = next(((a, b) for a in a_ids for b in b_ids if a != b), None)
    if pair is None:
        others = [h for h in net.hub_ids if h != a_ids[0] and net.hub(h).kind != "waypoint"]
        if not others:
            return None
        resolve_query(net, a_ids[0], others[0], {**opts, "optimize": optimize})  # type: ignore[typeddict-item]
        return None
    q = resolve_query(net, pair[0], pair[1], {**opts, "optimize": optimize})  # type: ignore[typeddict-item]
    for role, ids in (("origin", a_ids), ("destination", b_ids)):
        for h in ids:
            hub = net.hub(h)
            bad = hub.kind == "waypoint" or h in q.avoid_hubs or (q.within is not None and hub.country not in q.within)
            if bad:
                other = next(x for x in net.hub_ids if x != h and net.hub(x).kind != "waypoint")
                ends = (h, other) if role == "origin" else (other, h)
                resolve_query(net, *ends, {**opts, "optimize": optimize})  # type: ignore[typeddict-item]
    return q


def _array_table(
    net: Network,
    template: Any,
    a_ids: list[str],
    b_ids: list[str],
    unit: str | None,
    routes: bool,
    strict: bool,
    stats: dict[str, int],
) -> dict[str, Any]:
    """The table's columns from one batch of array searches; the cells the arrays cannot answer one by one."""
    import numpy as np

    router = net.router
    found = one_to_many(router, template, a_ids, b_ids)
    shape = (len(a_ids), len(b_ids))
    same = np.zeros(shape, dtype=bool)
    col = {h: j for j, h in enumerate(b_ids)}
    for i, h in enumerate(a_ids):
        if h in col:
            same[i, col[h]] = True
    values = {k: v.copy() for k, v in found.totals.items()}
    status = np.where(found.reachable, 0, 1).astype(np.int8)  # codes of STATUSES
    reason = np.zeros(shape, dtype=np.int64)  # codes of texts
    texts = [""]
    route_of = np.full(shape, None, dtype=object)
    missing = ~found.reachable & ~same
    repeated = found.repeated & ~same
    stats["array"] = int((found.reachable & ~found.repeated & ~same).sum())
    stats["repaired"] = int(repeated.sum())
    batch = BatchSearch(router, a_ids, b_ids)
    batch.add(template, found)
    if missing.any():
        cells = list(zip(*(x.tolist() for x in np.nonzero(missing)), strict=True))
        for (i, j), error in zip(cells, diagnose_cells(router, template, cells, batch), strict=True):
            if strict:
                raise error
            reason[i, j] = len(texts)
            texts.append(str(error))
    for i, j in zip(*(x.tolist() for x in np.nonzero(repeated)), strict=True):
        # the router's own repair: search again with the repeated hubs marked *once*
        path = batch.find_at(template, i, j)
        if path is not None and not routes:
            totals = path_totals(router, template, path, a_ids[i])  # what its route totals
            for k in CRITERIA_COLUMNS:
                values[k][i, j] = getattr(totals, k)
            continue
        q = template.changed(origin=a_ids[i], destination=b_ids[j])
        route = net.in_unit(router.plan(q) if path is None else build_route(router, q, path), unit)
        for k in CRITERIA_COLUMNS:
            values[k][i, j] = getattr(route, k)
        route_of[i, j] = route
    if routes:
        for i, j in zip(*np.nonzero(found.reachable & ~found.repeated & ~same), strict=True):
            q = template.changed(origin=a_ids[i], destination=b_ids[j])
            route_of[i, j] = net.in_unit(build_route(router, q, found.path(int(i), int(j))), unit)
    status[same] = 2
    for k in CRITERIA_COLUMNS:
        values[k][same] = 0.0
    columns: dict[str, Any] = {
        "origin": _strings(a_ids, np.repeat(np.arange(len(a_ids)), len(b_ids))),
        "destination": _strings(b_ids, np.tile(np.arange(len(b_ids)), len(a_ids))),
        "status": _strings([OK, NO_ROUTE, SAME], status.ravel()),
        "transit_days": values["time_h"].ravel() / 24.0,
        **{k: values[k].ravel() for k in CRITERIA_COLUMNS},
        "reason": _strings(texts, reason.ravel()),
    }
    if routes:
        columns["route"] = route_of.ravel()
    return columns


def _strings(values: list[str], codes: Any) -> Any:
    """The column ``values[codes]`` as pandas makes a column of strings (its own inference, so the same dtype).

    Taking from the few distinct values is faster than converting a Python string per cell.
    """
    import numpy as np
    import pandas as pd

    return pd.Series(np.asarray(values, dtype=object)).array.take(codes)


def _same(a: str, b: str) -> dict[str, Any]:
    return {"origin": a, "destination": b, "status": SAME, "transit_days": 0.0,
            **dict.fromkeys(CRITERIA_COLUMNS, 0.0), "reason": "", "route": None}  # fmt: skip


def _no_route(a: str, b: str, error: NoRouteError) -> dict[str, Any]:
    nan = float("nan")
    return {"origin": a, "destination": b, "status": NO_ROUTE, "transit_days": nan,
            **dict.fromkeys(CRITERIA_COLUMNS, nan), "reason": str(error), "route": None}  # fmt: skip


def _ok(a: str, b: str, route: Route) -> dict[str, Any]:
    row: dict[str, Any] = {"origin": a, "destination": b, "status": OK, "transit_days": route.transit_days}
    for k in CRITERIA_COLUMNS:
        row[k] = getattr(route, k)
    row["reason"] = ""
    row["route"] = route
    return row


def plan_pairs(
    net: Network, pairs: list[tuple[str, str]], optimize: Any, options: dict[str, Any]
) -> list[Route | NoRouteError]:
    """For each ``(origin, destination)`` pair of hub ids, the :class:`Route` ``net.plan`` gives, or its :class:`NoRouteError`.

    One array search over the pairs' origins and destinations (:func:`one_to_many`) answers them
    where the options allow (as in :func:`od_matrix`), then routes are built for the pairs asked
    only; otherwise each pair is planned. Invalid options and places raise as ``plan`` would.
    """
    if not pairs:
        return []
    opts = dict(options)
    unit = opts.pop("unit", None)
    a_ids = list(dict.fromkeys(a for a, _ in pairs))
    b_ids = list(dict.fromkeys(b for _, b in pairs))
    p90 = optimize == "p90_time"
    same = next(((a, b) for a, b in pairs if a == b), None)
    template = None if same else _template(net, a_ids, b_ids, "time" if p90 else optimize, opts)
    if same or template is None or p90 or not supports(template):
        out: list[Route | NoRouteError] = []
        for a, b in pairs:
            try:
                out.append(net.plan(a, b, optimize=optimize, unit=unit, **opts))
            except NoRouteError as exc:
                out.append(exc)
        return out
    if unit is not None:
        net.emissions.unit(unit, template.cargo)
    router = net.router
    found = one_to_many(router, template, a_ids, b_ids)
    batch = BatchSearch(router, a_ids, b_ids)
    batch.add(template, found)
    row, col = {h: i for i, h in enumerate(a_ids)}, {h: j for j, h in enumerate(b_ids)}
    out = []
    for a, b in pairs:
        i, j = row[a], col[b]
        q = template.changed(origin=a, destination=b)
        if not found.reachable[i, j]:
            out.append(router.diagnose(q, batch))
            continue
        path = batch(q) if found.repeated[i, j] else found.path(i, j)
        route = router.plan(q) if path is None else build_route(router, q, path)
        out.append(net.in_unit(route, unit))
    return out
