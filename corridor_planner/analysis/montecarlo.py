"""Monte Carlo over many routes at once: :func:`percentiles <corridor_planner.percentiles>`, optionally on an executor.

One route's 100,000 samples take tens of milliseconds (:meth:`Route.distribution
<corridor_planner.Route.distribution>`); the transit-time ranges of a whole matrix or of
every alternative of many pairs take seconds to minutes, and spread over the workers of a
:mod:`concurrent.futures` executor or a Dask ``distributed.Client`` like :func:`compare
<corridor_planner.compare>` does. Each route is sampled with the same ``n`` and ``seed`` as
:meth:`Route.percentiles <corridor_planner.Route.percentiles>` would, wherever it runs, so the
table is the same with or without an executor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InvalidQueryError
from ..routing.route import Route
from ..routing.uncertainty import DEFAULT_SAMPLES, DEFAULT_SEED, check_samples
from ..text import shown
from .executor import check_executor, is_dask, workers

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COLUMNS = ("origin", "destination", "label", "transit_days", "p10_days", "p50_days", "p90_days", "n", "seed")
"""The columns of :func:`percentiles`'s table."""

CHUNKS_PER_WORKER = 4
"""Chunks of routes per worker the executor reports (work is spread, results come back in order)."""


def _rows(routes: Sequence[Route | None], n: int, seed: int) -> list[dict[str, Any]]:
    """One row per route (a ``None`` route: NaN figures), each from ``route.percentiles(n, seed)``."""
    rows: list[dict[str, Any]] = []
    nan = float("nan")
    for route in routes:
        if route is None:
            rows.append({"origin": None, "destination": None, "label": None, **dict.fromkeys(COLUMNS[3:7], nan)})
            continue
        p = route.percentiles(n, seed)
        rows.append(
            {
                "origin": route.origin, "destination": route.destination, "label": route.label,
                "transit_days": route.transit_days, "p10_days": p.p10, "p50_days": p.p50, "p90_days": p.p90,
            }
        )  # fmt: skip
    for row in rows:
        row["n"], row["seed"] = n, seed
    return rows


def percentiles(
    routes: Iterable[Route | None],
    n: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    *,
    executor: Any = None,
) -> pd.DataFrame:
    """p10, p50 and p90 of the transit days of many routes: one row per route, in order.

    Each row is what ``route.percentiles(n, seed)`` gives (a dated route from its departure,
    as :meth:`Route.distribution <corridor_planner.Route.distribution>` does).

    Parameters
    ----------
    routes : iterable of Route or None
        E.g. ``net.alternatives(...)`` or the ``route`` column of ``net.matrix(..., routes=True)``;
        a ``None`` (a pair without a route) gives a row of NaN.
    n, seed : int
        Samples per route (1..10,000,000) and the seed, as for :meth:`Route.distribution`.
    executor : Executor or distributed.Client, optional
        Sample chunks of routes on this executor (a :mod:`concurrent.futures` executor or a Dask
        ``distributed.Client``); the routes are pickled to the workers. The table is the same
        as without one.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``destination``, ``label``, ``transit_days`` (the sum of typical
        values), ``p10_days``, ``p50_days``, ``p90_days``, ``n``, ``seed``.

    Raises
    ------
    InvalidQueryError
        An item is not a :class:`Route` or ``None``; ``n`` or ``seed`` out of range; ``executor``
        has neither ``submit`` nor ``map``.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> net = cp.load_network()
    >>> table = cp.percentiles(net.alternatives("Beijing", "Baku", k=2), n=10_000)
    >>> bool((table["p10_days"] <= table["p50_days"]).all() and (table["p50_days"] <= table["p90_days"]).all())
    True
    """
    import pandas as pd

    n, seed = check_samples(n, seed)
    check_executor(executor)
    if isinstance(routes, Route):
        raise InvalidQueryError("routes must be a list of routes; for one route use route.percentiles()")
    items = list(routes)
    for i, route in enumerate(items):
        if route is not None and not isinstance(route, Route):
            raise InvalidQueryError(f"routes[{i}] must be a Route or None, not {shown(route)}")
    if executor is None or len(items) < 2:
        rows = _rows(items, n, seed)
    else:
        size = max(1, -(-len(items) // (workers(executor) * CHUNKS_PER_WORKER)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        if is_dask(executor):
            futures = [executor.submit(_rows, chunk, n, seed, pure=False) for chunk in chunks]
            answers = [future.result() for future in futures]
        elif callable(getattr(executor, "submit", None)):
            answers = [future.result() for future in [executor.submit(_rows, chunk, n, seed) for chunk in chunks]]
        else:
            answers = list(executor.map(_rows, chunks, [n] * len(chunks), [seed] * len(chunks)))
        rows = [row for answer in answers for row in answer]
    table: pd.DataFrame = pd.DataFrame(rows, columns=list(COLUMNS))
    return table
