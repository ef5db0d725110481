"""Scenario overlays (routing.overlay): a scenario's routing graph derived from the base graph equals a rebuild.

Every comparison is exact: the derived graph's arrays, edges and emission items against a graph
built from scratch for the scenario's dataset, and the routes ``plan()`` and ``compare()`` give
on the two networks (legs, stops, totals, emissions), for every shipped scenario and for random
quantity changes and closures.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import corridor_planner as cp
from corridor_planner.errors import InvalidQueryError, NoRouteError
from corridor_planner.model.records import DWELL_EVENTS
from corridor_planner.routing import overlay
from corridor_planner.routing.emissions import EmissionModel
from corridor_planner.routing.graph import RoutingGraph
from corridor_planner.routing.router import Router
from corridor_planner.routing.serialize import route_to_dict

pytestmark = pytest.mark.filterwarnings(
    "ignore:route .* twice:UserWarning"
)  # a via that forces a loop: both sides warn

NAMED_PAIRS = [
    ("Beijing", "Baku"), ("Shanghai", "Rotterdam"), ("Almaty", "Tashkent"), ("Beijing", "Duisburg"),
    ("Xi'an", "Istanbul"), ("Chongqing", "Tehran"), ("Aktau", "Baku"), ("Urumqi", "Poti"),
]  # fmt: skip
OPTIONS: list[dict[str, Any]] = [
    {}, {"optimize": "cost"}, {"optimize": "co2e", "as_of": 2035}, {"within": ["CN", "KZ", "AZ", "GE", "TR"]},
    {"avoid_modes": ["road"], "crew": 2}, {"optimize": "p90_time"}, {"via": ["Aktau"]},
]  # fmt: skip


def rebuilt(applied: cp.Network) -> cp.Network:
    """The same network with its routing graph built from scratch (no base graph to derive from)."""
    return cp.Network(applied.dataset)


def random_pairs(net: cp.Network, n: int, seed: int, countries: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    hubs = [
        h for h in net.hub_ids if net.hub(h).kind != "waypoint" and (not countries or net.hub(h).country in countries)
    ]
    rng = random.Random(seed)
    return [tuple(rng.sample(hubs, 2)) for _ in range(n)]  # type: ignore[misc]


def assert_same_graph(derived: RoutingGraph, built: RoutingGraph) -> None:
    """Every attribute a graph has, equal (arrays element by element, edges and emission items as records)."""
    assert set(vars(built)) <= overlay.SHARED | overlay.RECOMPUTED
    for name in sorted(overlay.SHARED | overlay.RECOMPUTED):
        if name in ("emissions", "node_hub_number", "is_link_edge", "_modes_by_hub"):
            continue
        a, b = getattr(derived, name), getattr(built, name)
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), name
        elif name.startswith("edges_by") or name == "rest_h":
            assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in b), name
        else:
            assert a == b, name
    assert np.array_equal(derived.node_hub_number, built.node_hub_number)
    assert np.array_equal(derived.is_link_edge, built.is_link_edge)


def outcome(net: cp.Network, a: str, b: str, options: dict[str, Any]) -> Any:
    try:
        route = net.plan(a, b, **options)
    except (NoRouteError, InvalidQueryError) as exc:  # within= may exclude an end: the same error on both
        return (type(exc).__name__, str(exc))
    return route


def assert_same_plans(
    applied: cp.Network, other: cp.Network, pairs: list[tuple[str, str]], *, pareto: bool = True
) -> None:
    for i, (a, b) in enumerate(pairs):
        options = OPTIONS[i % len(OPTIONS)]
        got, want = outcome(applied, a, b, options), outcome(other, a, b, options)
        if isinstance(want, tuple):
            assert got == want, (a, b, options)
            continue
        assert not isinstance(got, tuple), (a, b, options, got)
        assert route_to_dict(got) == route_to_dict(want), (a, b, options)
        assert got == want, (a, b, options)  # every field: legs, stops, emission items, geometry
    if not pareto:
        return
    a, b = pairs[0]
    try:
        fronts = [net.pareto(a, b, criteria=("time", "cost", "co2e")) for net in (applied, other)]
    except NoRouteError:
        return
    assert fronts[0] == fronts[1]


def used(net: cp.Network) -> cp.Network:
    """``net`` after every kind of query (plans, a matrix, a Pareto front, a diagnosis): whatever the graph
    computes and keeps on first use is there, so a graph attribute the overlay does not know (it then
    rebuilds) makes the tests that expect an overlay fail."""
    net.plan("Beijing", "Baku")
    net.plan("Beijing", "Tashkent", optimize="p90_time", via=["Almaty"])
    net.matrix(["Beijing", "Almaty"], ["Baku", "Tashkent"])
    net.pareto("Beijing", "Duisburg", criteria=("time", "cost"))
    with pytest.raises(NoRouteError):
        net.plan(
            "Beijing",
            "Baku",
            avoid_countries=["KZ", "RU", "MN", "KG", "TJ", "AF", "PK", "IN", "IR"],
            only_modes=["rail"],
        )
    return net


@pytest.fixture(scope="module")
def base(net: cp.Network) -> cp.Network:
    return used(net)


@pytest.mark.parametrize("name", cp.list_scenarios())
def test_shipped_scenarios_derive_the_rebuilt_graph(base: cp.Network, name: str) -> None:
    applied = base.apply(name)
    graph = applied.router.graph
    assert graph.src is base.router.graph.src, "the shipped scenarios change quantities only: an overlay applies"
    other = rebuilt(applied)
    assert_same_graph(graph, other.router.graph)
    assert_same_plans(applied, other, NAMED_PAIRS + random_pairs(base, 16, seed=len(name)))


SINGLE_CHANGES: list[dict[str, Any]] = [
    {"scale": "frequency", "factor": 0.25, "services": ["caspian_aktau_alat"]},
    {"scale": "frequency", "factor": 3.0},
    {"scale": "border_time", "factor": 2.5, "countries": ["KZ"]},
    {"set": "border_cost", "value": 400.0},
    {"scale": "speed", "factor": 0.5, "modes": ["sea"]},
    {"set": "cost", "value": 2.0, "corridors": ["titr"]},
    {"scale": "co2", "factor": 3.0, "modes": ["rail"]},
    {"add": "transfer_time", "hours": 30.0, "hubs": ["dostyk", "altynkol"]},
    {"scale": "transfer_cost", "factor": 2.0},
    {"add": "dwell_time", "hours": 12.0, "events": ["train_departure"]},
    {"scale": "dwell_cost", "factor": 4.0, "events": ["canal_transit"]},
    {"close": "countries", "ids": ["KZ"]},
    {"open": "corridors", "ids": ["instc"]},
    {"as_of": 2040},
]  # fmt: skip


@pytest.mark.parametrize("spec", SINGLE_CHANGES, ids=lambda c: "-".join(str(v) for v in list(c.values())[:2]))
def test_single_changes_derive_the_rebuilt_graph(base: cp.Network, spec: dict[str, Any]) -> None:
    applied = base.apply({"scenario": {"name": "one change"}, "change": [spec]})
    assert applied.router.graph.src is base.router.graph.src
    other = rebuilt(applied)
    assert_same_graph(applied.router.graph, other.router.graph)
    assert_same_plans(applied, other, NAMED_PAIRS)


def test_service_records_changed_directly(base: cp.Network) -> None:
    """A dataset changed outside the scenario vocabulary (a service's own speed and CO2): the links it runs change too."""
    d = base.dataset
    sid = next(s for s, v in d.services.items() if v.speed_kmh is not None)
    services = {
        **d.services,
        sid: replace(d.services[sid], speed_kmh=d.services[sid].speed_kmh * 0.5, co2_g_per_tkm=99.0),
    }
    changed = replace(d, services=services)
    router = Router(changed, base.router.emissions, base=base.router)
    assert router.graph.src is base.router.graph.src
    assert_same_graph(router.graph, Router(changed, base.router.emissions).graph)


def test_composed_scenarios_and_chains(base: cp.Network) -> None:
    chained = base.apply("avoid_russia").apply("caspian_congestion", "middle_corridor_2030")
    assert chained.router.graph.src is base.router.graph.src
    assert_same_graph(chained.router.graph, rebuilt(chained).router.graph)
    assert_same_plans(chained, rebuilt(chained), NAMED_PAIRS)


def test_compare_and_sweep_tables_equal_the_rebuild(base: cp.Network, monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = NAMED_PAIRS + random_pairs(base, 24, seed=3)
    inside = [("Beijing", "Baku"), *random_pairs(base, 20, seed=4, countries=("CN", "KZ", "AZ"))]
    congestion = lambda h: {
        "scenario": {"name": f"+{h:g} h"},
        "change": [{"add": "dwell_time", "hours": h, "hubs": ["aktau", "kuryk", "alat"], "events": ["port_dwell"]}],
    }
    fresh = cp.load_network()
    tables = [
        cp.compare(fresh, cp.list_scenarios(), pairs, progress=False),
        cp.sweep(fresh, congestion, [0, 24, 48, 96], inside, within=["CN", "KZ", "AZ"], progress=False),
    ]
    monkeypatch.setattr(overlay, "derive_graph", lambda *args: None)  # every scenario network rebuilt
    again = [
        cp.compare(cp.load_network(), cp.list_scenarios(), pairs, progress=False),
        cp.sweep(cp.load_network(), congestion, [0, 24, 48, 96], inside, within=["CN", "KZ", "AZ"], progress=False),
    ]
    for got, want in zip(tables, again, strict=True):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(set(tables[1]["days"].round(6))) > 1  # the sweep changes the answer


def test_added_records_rebuild(base: cp.Network) -> None:
    spec = {
        "scenario": {"name": "bautino"},
        "change": [
            {"add": "hubs", "records": [{"id": "bautino", "name": "Bautino", "country": "KZ", "kind": "port", "lon": 50.25, "lat": 44.54}]},
            {"add": "links", "records": [{"id": "aktau_bautino", "from": "aktau", "to": "bautino", "mode": "road"}]},
        ],
    }  # fmt: skip
    applied = base.apply(spec)
    graph = applied.router.graph
    assert graph.src is not base.router.graph.src and ("bautino", "o") in graph.index
    assert ("bautino", "o") not in base.router.graph.index
    assert applied.plan("Bautino", "Baku").hubs[0] == "bautino"


def test_other_emission_tables_rebuild(base: cp.Network) -> None:
    dataset = base.apply("caspian_congestion").dataset
    router = Router(dataset, EmissionModel.from_folder(), base=base.router)  # equal tables, another object
    assert router.graph.src is not base.router.graph.src
    assert_same_graph(router.graph, Router(dataset).graph)


def test_the_base_is_not_changed(base: cp.Network) -> None:
    graph = base.router.graph
    before = {k: getattr(graph, k).copy() for k in ("time_h", "cost_usd", "co2_kg", "co2e_kg", "link_opens")}
    info, items = list(graph.info), list(graph.emission_items)
    for name in cp.list_scenarios():
        base.apply(name).router.graph  # noqa: B018
    for k, v in before.items():
        assert np.array_equal(getattr(graph, k), v), k
    assert graph.info == info and graph.emission_items == items


# ---------------------------------------------------------------------- random changes


def change(net: cp.Network) -> st.SearchStrategy[dict[str, Any]]:
    """One random change of a scenario: a quantity scaled, set or added, or things closed or opened."""
    d = net.dataset
    ids = {
        "links": sorted(net.link_ids), "hubs": sorted(net.hub_ids), "countries": sorted(d.country_codes),
        "corridors": sorted(d.corridors), "chokepoints": sorted(d.chokepoints), "borders": sorted(d.borders),
        "modes": ["rail", "road", "sea", "air", "pipeline"], "events": sorted(DWELL_EVENTS),
        "services": sorted(d.services),
    }  # fmt: skip
    some = {k: st.lists(st.sampled_from(v), min_size=1, max_size=4, unique=True) for k, v in ids.items() if v}
    selectors = {
        "speed": ("links", "modes", "countries", "corridors"), "cost": ("links", "modes", "countries", "corridors"),
        "co2": ("links", "modes", "countries", "corridors"), "border_time": ("borders", "countries"),
        "border_cost": ("borders", "countries"), "dwell_time": ("hubs", "events"), "dwell_cost": ("hubs", "events"),
        "transfer_time": ("hubs",), "transfer_cost": ("hubs",), "frequency": ("services",),
    }  # fmt: skip
    set_values = {
        "speed": (5.0, 80.0), "cost": (0.1, 3.0), "co2": (1.0, 100.0), "border_time": (0.0, 200.0),
        "border_cost": (0.0, 900.0), "dwell_time": (0.0, 200.0), "dwell_cost": (0.0, 900.0),
        "transfer_time": (0.0, 100.0), "transfer_cost": (0.0, 900.0), "frequency": (0.5, 14.0),
    }  # fmt: skip

    @st.composite
    def quantity(draw: st.DrawFn) -> dict[str, Any]:
        q = draw(st.sampled_from(sorted(selectors)))
        times = q.endswith("_time")
        action = draw(st.sampled_from(["scale", "set", "add"] if times else ["scale", "set"]))
        out: dict[str, Any] = {action: q}
        if action == "scale":
            out["factor"] = draw(st.floats(0.25, 4.0))
        elif action == "set":
            out["value"] = draw(st.floats(*set_values[q]))
        else:
            out["hours"] = draw(st.floats(0.0, 240.0))
        for name in draw(st.lists(st.sampled_from(selectors[q]), max_size=2, unique=True)):
            out[name] = draw(some[name])
        return out

    @st.composite
    def closure(draw: st.DrawFn) -> dict[str, Any]:
        target = draw(st.sampled_from(["links", "hubs", "countries", "corridors", "chokepoints", "borders"]))
        return {draw(st.sampled_from(["close", "open"])): target, "ids": draw(some[target])}

    as_of = st.integers(2020, 2040).map(lambda y: {"as_of": y})
    return st.one_of(quantity(), quantity(), closure(), as_of)


@st.composite
def scenarios(draw: st.DrawFn, net: cp.Network) -> dict[str, Any]:
    return {"scenario": {"name": "random"}, "change": draw(st.lists(change(net), min_size=1, max_size=3))}


SHIPPED = used(cp.load_network())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=scenarios(SHIPPED), seed=st.integers(0, 10**6))
def test_random_quantity_changes_equal_the_rebuild(spec: dict[str, Any], seed: int) -> None:
    try:
        applied = SHIPPED.apply(spec)
    except cp.ScenarioError:
        assume(False)  # a value out of its range: the scenario is refused, as it must be
        raise
    graph = applied.router.graph
    assert graph.src is SHIPPED.router.graph.src  # quantity changes and closures keep the structure
    other = rebuilt(applied)
    assert_same_graph(graph, other.router.graph)
    assert_same_plans(applied, other, NAMED_PAIRS[:3] + random_pairs(SHIPPED, 5, seed), pareto=False)
