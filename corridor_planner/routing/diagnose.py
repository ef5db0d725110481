"""Why a query has no route: which constraint alone blocks it, or which links are missing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import NoRouteError
from ..model.records import Status
from .assemble import PathTotals, path_totals
from .graph import AFTER_EVERYTHING
from .query import ANY_CARGO
from .search import search as search_path

if TYPE_CHECKING:  # pragma: no cover
    from .matrix import BatchSearch
    from .query import Query
    from .router import Router


def _everything(q: Query) -> Query:
    """``q`` with every constraint lifted (``via`` and requirements too)."""
    return q.changed(
        avoid_countries=frozenset(), avoid_modes=frozenset(), avoid_hubs=frozenset(),
        avoid_chokepoints=frozenset(), avoid_corridors=frozenset(), within=None, via=(), require=(),
        cargo=ANY_CARGO, as_of=AFTER_EVERYTHING,
    )  # fmt: skip


def _relaxations(q: Query) -> list[tuple[str, dict[str, Any], Any]]:
    """The constraints in force of ``q``: (name, the change that lifts it, its value)."""
    relaxations: list[tuple[str, dict[str, Any], Any]] = [
        ("avoid_countries", {"avoid_countries": frozenset()}, q.avoid_countries),
        ("avoid_modes", {"avoid_modes": frozenset()}, q.avoid_modes),
        ("avoid_hubs", {"avoid_hubs": frozenset()}, q.avoid_hubs),
        ("avoid_chokepoints", {"avoid_chokepoints": frozenset()}, q.avoid_chokepoints),
        ("avoid_corridors", {"avoid_corridors": frozenset()}, q.avoid_corridors),
        ("within", {"within": None}, q.within or frozenset()),
        ("via", {"via": ()}, tuple(h if m is None else f"{h} by {m}" for h, m in q.via)),
        ("require", {"require": ()}, tuple(f"{kind}:{name}" for kind, name in q.require)),
        ("cargo", {"cargo": ANY_CARGO}, q.cargo),
    ]
    return [r for r in relaxations if r[2]]


def _lifted_reason(router: Router, q: Query, name: str, active: Any, facts: PathTotals) -> str:
    """The reason of a constraint whose lifting leaves the path ``facts``."""
    if name == "cargo":
        carried = sorted({c for link in facts.link_ids for c in router.links[link].cargo})
        return f"cargo={q.cargo!r} is not carried by the links that connect them (they carry {', '.join(carried)})"
    value: object = (
        sorted(active) if isinstance(active, frozenset) else (list(active) if isinstance(active, tuple) else q.cargo)
    )
    if name == "within":
        value = f"{len(active)} countries"
    return (
        f"{name}={value!r} blocks every route (without it: {facts.time_h / 24.0:.1f} days via "
        f"{', '.join(facts.hubs[1:-1][:5]) or 'a direct link'})"
    )


def _closed_reasons(router: Router, q: Query, path: Sequence[int]) -> list[str]:
    """The reasons of the path (edge ids) found in any year: its links not open in ``q.as_of``."""
    reasons = []
    links = router.links
    figures = router.edge_figures
    link_ids = [leg[4] for e in path if (leg := figures[e].leg) is not None]
    needed = [links[i] for i in link_ids if not links[i].is_open(q.as_of)]
    later = [k for k in needed if k.status is not Status.CLOSED]
    closed = [k for k in needed if k.status is Status.CLOSED]
    if later:
        names = ", ".join(f"{k.id} ({k.status.value}{f', opens {k.opens}' if k.opens else ''})" for k in later)
        reasons.append(f"as_of={q.as_of}: the route would need links not open yet: {names}")
    if closed:
        by = f" (scenarios applied: {', '.join(router.dataset.scenarios)})" if router.dataset.scenarios else ""
        names = ", ".join(f"{k.id}{f' (since {k.closes})' if k.closes else ''}" for k in closed[:6]) + (
            ", ..." if len(closed) > 6 else ""
        )
        reasons.append(f"the route would need closed links{by}: {names}")
    return reasons


def _unconnected_reason(router: Router, origin: str, destination: str, modes: dict[str, str] | None = None) -> str:
    """The reason of two hubs no path joins at all, with the modes at each (``modes``: those already listed)."""
    listed = {} if modes is None else modes
    for hub in (origin, destination):
        if hub not in listed:
            listed[hub] = ", ".join(sorted(m.value for m in router.graph.modes_at(hub))) or "none"
    return (
        f"no links connect them at all (modes at {origin}: {listed[origin]}; at {destination}: {listed[destination]})"
    )


def diagnose(
    router: Router,
    q: Query,
    find: Callable[[Query], list[int] | None] | None = None,
    connected: Callable[[Query], bool] | None = None,
) -> NoRouteError:
    """Explain why ``q`` has no route: which constraint, alone, blocks it, or which links are missing.

    ``find(relaxed)``, when given, answers the searches of relaxed queries instead of
    :func:`~corridor_planner.routing.search.search` (it must give the same paths: a matrix answers
    them for many pairs at once, :class:`~corridor_planner.routing.matrix.BatchSearch`).
    ``connected(query)``, when given, tells whether any path joins the query's ends under its
    constraints (``via`` and requirements aside); when even the query with every constraint lifted
    has none, no relaxation is searched (each would find nothing).
    """
    everything = _everything(q)
    if connected is not None and not connected(everything):
        search: Callable[[Query], list[int] | None] = lambda relaxed: None  # each relaxation lifts less
    elif find is None:
        search = lambda relaxed: search_path(router, relaxed)
    else:
        search = find

    reasons: list[str] = []
    for name, change, active in _relaxations(q):
        relaxed = q.changed(**change)  # made only for the constraints in force (a matrix diagnoses many pairs)
        path = search(relaxed)
        if path is not None:
            reasons.append(_lifted_reason(router, q, name, active, path_totals(router, relaxed, path)))
    anytime = q.changed(as_of=AFTER_EVERYTHING)
    path = search(anytime)
    if path is not None:
        reasons += _closed_reasons(router, q, path)
    for kind, name in q.require:
        if len(router.graph.edges_by(kind).get(name, ())) == 0:
            reasons.append(f"require: no link or hub of this network belongs to {kind} {name!r}")
    if not reasons:
        if search(everything) is not None:
            reasons.append("the constraints together block every route, though none does alone")
        else:
            reasons.append(_unconnected_reason(router, q.origin, q.destination))
    return NoRouteError(q.origin, q.destination, reasons)


def diagnose_cells(
    router: Router, q: Query, cells: Sequence[tuple[int, int]], batch: BatchSearch
) -> Iterator[NoRouteError]:
    """:func:`diagnose` of many pairs of ``batch``'s origins and destinations under the constraints of ``q``.

    For each ``(i, j)`` in ``cells`` (indices into ``batch.origins`` and ``batch.destinations``), the
    error ``router.diagnose(q.changed(origin=..., destination=...), batch)`` gives, in that order (the
    searches are asked of ``batch`` in the same order, so it answers them alike). The relaxed queries
    and their reachability are made once for all cells; a cell's own queries only when a search needs
    them. ``q`` must have no ``via`` nor requirements (:func:`~.matrix.supports`).
    """
    everything = _everything(q)
    linked = batch.reached(everything.constraints)
    relaxed = [(name, active, q.changed(**change)) for name, change, active in _relaxations(q)]
    anytime = q.changed(as_of=AFTER_EVERYTHING)
    rows = [i for i, _ in cells]
    cols = [j for _, j in cells]
    reach: dict[int, Any] = {}  # the pairs each relaxed query connects: the others have no path, no need to ask
    for lifted in [*(r[2] for r in relaxed), anytime]:
        reach[id(lifted)] = joined = batch.reached(lifted.constraints)
        batch.expect(lifted, int((linked[rows, cols] & joined[rows, cols]).sum()))
    modes: dict[str, str] = {}
    for i, j in cells:
        a, b = batch.origins[i], batch.destinations[j]
        if not linked[i, j]:
            yield NoRouteError(a, b, [_unconnected_reason(router, a, b, modes)])
            continue
        cell = q.changed(origin=a, destination=b)
        reasons = []
        for name, active, lifted in relaxed:
            path = batch.find_at(lifted, i, j) if reach[id(lifted)][i, j] else None
            if path is not None:
                reasons.append(_lifted_reason(router, cell, name, active, path_totals(router, cell, path)))
        path = batch.find_at(anytime, i, j) if reach[id(anytime)][i, j] else None
        if path is not None:
            reasons += _closed_reasons(router, q, path)
        if not reasons:
            if batch.find_at(everything, i, j) is not None:
                reasons.append("the constraints together block every route, though none does alone")
            else:
                reasons.append(_unconnected_reason(router, a, b, modes))
        yield NoRouteError(a, b, reasons)
