"""Hypothesis properties on random valid networks, checked against brute force."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tinynet import build

import corridor_planner as cp

COUNTRIES = ("AA", "BB")
LAYERS = ("rail1435", "rail1520", "road", "sea")
ATTR = {"time": "time_h", "distance": "distance_km", "cost": "cost_usd", "co2": "co2_kg", "co2e": "co2e_kg"}


@st.composite
def networks(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(3, 5))
    hubs = [
        {
            "id": f"h{i}",
            "name": f"Hub {i}",
            "country": draw(st.sampled_from(COUNTRIES)),
            "kind": draw(st.sampled_from(("city", "port"))),
            "lon": float(i),
            "lat": float(draw(st.integers(0, 3))),
        }
        for i in range(n)
    ]
    links = []
    for k in range(draw(st.integers(2, 8))):
        a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        layer = draw(st.sampled_from(LAYERS))
        rec: dict[str, Any] = {
            "id": f"l{k}", "from": f"h{a}", "to": f"h{b}", "distance_km": float(draw(st.integers(10, 500))),
            "two_way": draw(st.booleans()),
        }  # fmt: skip
        if layer.startswith("rail"):
            rec.update(mode="rail", gauge_mm=int(layer[4:]))
        else:
            rec["mode"] = layer
        if layer == "sea":
            rec["service"] = draw(st.sampled_from(("s1", "s2")))
        elif hubs[a]["country"] != hubs[b]["country"]:
            rec["border_crossing"] = f"border_{rec['mode']}"
        links.append(rec)
    t = lambda lo, hi: {"time_h_min": 0, "time_h_typ": float(draw(st.integers(lo, hi))), "time_h_max": 500}
    tables = {
        "borders": [
            {"id": "border_rail", "name": "rail border", "mode": "rail", "hubs": "", "cost_usd": 50, **t(1, 48)},
            {"id": "border_road", "name": "road border", "mode": "road", "hubs": "", "cost_usd": 20, **t(1, 24)},
        ],
        "services": [
            {"id": "s1", "mode": "sea", "name": "one", "frequency_per_week": draw(st.integers(1, 7))},
            {"id": "s2", "mode": "sea", "name": "two", "frequency_per_week": draw(st.integers(1, 7))},
        ],
        "transfers": [
            {"at": "*", "from_layer": "rail", "to_layer": "road", "two_way": True, "cost_usd": 30, **t(1, 12)},
            {"at": "kind:port", "from_layer": "rail", "to_layer": "sea", "two_way": True, "cost_usd": 100, **t(1, 12)},
            {"at": "kind:port", "from_layer": "road", "to_layer": "sea", "two_way": True, "cost_usd": 100, **t(1, 12)},
            {"at": "kind:port", "from_layer": "sea", "to_layer": "sea", "two_way": True, "cost_usd": 80, **t(1, 48)},
        ]
        + [
            {
                "at": h["id"],
                "from_layer": "rail1435",
                "to_layer": "rail1520",
                "two_way": True,
                "cost_usd": 300,
                **t(1, 10),
            }
            for h in hubs
            if draw(st.booleans())
        ],
        "dwells": [
            {"at": "kind:port", "event": "port_dwell", "cost_usd": 10, **t(0, 72)},
            {"at": "kind:port", "event": "port_call", "cost_usd": 0, **t(0, 24)},
        ],
    }
    return {"hubs": hubs, "links": links, "tables": tables}


def make(spec: dict[str, Any]) -> cp.Network:
    return build(spec["hubs"], spec["links"], **spec["tables"])


def hub_simple(net: cp.Network, origin: str, keys: list[int]) -> bool:
    """Whether a path of edge ids enters every hub at most once (routes are simple paths of hubs)."""
    graph = net.router.graph
    entered = [origin] + [graph.node_hub[graph.dst[e]] for e in keys if graph.info[e].link is not None]
    return len(entered) == len(set(entered))


def brute_force(net: cp.Network, q: cp.Query) -> float | None:
    """Minimum over all simple paths of the routing graph that enter no hub twice, enumerated by networkx."""
    graph = net.router.graph
    allowed = net.router.mask(q.constraints)
    weights = graph.criteria[q.optimize]
    multi = nx.MultiDiGraph()
    multi.add_nodes_from(range(len(graph.nodes)))
    for e in range(graph.n_edges):
        if allowed[e]:
            multi.add_edge(int(graph.src[e]), int(graph.dst[e]), key=e)
    start, target = graph.node(q.origin, "o"), graph.node(q.destination, "t")
    best = None
    for path in nx.all_simple_edge_paths(multi, start, target):
        if not hub_simple(net, q.origin, [key for _, _, key in path]):
            continue
        total = sum(float(weights[key]) for _, _, key in path)
        best = total if best is None else min(best, total)
    return best


common = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
ends = st.tuples(st.integers(0, 4), st.integers(0, 4)).filter(lambda p: p[0] != p[1])


def endpoints(spec: dict[str, Any], pair: tuple[int, int]) -> tuple[str, str]:
    n = len(spec["hubs"])
    a, b = pair[0] % n, pair[1] % n
    assume(a != b)
    return f"h{a}", f"h{b}"


def plan_or_none(net: cp.Network, a: str, b: str, **kw: Any) -> cp.Route | None:
    try:
        return net.plan(a, b, as_of=2025, **kw)
    except cp.NoRouteError:
        return None


@common
@given(spec=networks(), pair=ends, optimize=st.sampled_from(sorted(ATTR)))
def test_optimum_equals_brute_force(spec: dict[str, Any], pair: tuple[int, int], optimize: str) -> None:
    net = make(spec)
    a, b = endpoints(spec, pair)
    q = net.query(a, b, optimize=optimize, as_of=2025)
    expected = brute_force(net, q)
    route = plan_or_none(net, a, b, optimize=optimize)
    if expected is None:
        assert route is None
        return
    assert route is not None
    assert getattr(route, ATTR[optimize]) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@common
@given(spec=networks(), pair=ends, optimize=st.sampled_from(sorted(ATTR)))
def test_legs_are_contiguous_and_sum_to_the_totals(spec: dict[str, Any], pair: tuple[int, int], optimize: str) -> None:
    net = make(spec)
    route = plan_or_none(net, *endpoints(spec, pair), optimize=optimize)
    assume(route is not None)
    assert route is not None
    assert route.legs[0].origin == route.origin and route.legs[-1].destination == route.destination
    for before, after in zip(route.legs, route.legs[1:], strict=False):
        assert before.destination == after.origin
    assert route.time_h == pytest.approx(sum(leg.time_h for leg in route.legs))
    assert route.cost_usd == pytest.approx(sum(leg.cost_usd for leg in route.legs))
    assert route.breakdown()["time_h"].sum() == pytest.approx(route.time_h)
    assert route.breakdown()["cost_usd"].sum() == pytest.approx(route.cost_usd)
    # the same query gives the same route
    assert plan_or_none(net, route.origin, route.destination, optimize=optimize) == route


@common
@given(
    spec=networks(),
    pair=ends,
    optimize=st.sampled_from(sorted(ATTR)),
    what=st.sampled_from(("avoid_countries", "avoid_modes", "avoid_hubs")),
    pick=st.integers(0, 10),
)
def test_avoiding_never_helps_and_is_obeyed(
    spec: dict[str, Any], pair: tuple[int, int], optimize: str, what: str, pick: int
) -> None:
    net = make(spec)
    a, b = endpoints(spec, pair)
    base = plan_or_none(net, a, b, optimize=optimize)
    options = {
        "avoid_countries": sorted({h["country"] for h in spec["hubs"]}),
        "avoid_modes": ["rail", "road", "sea"],
        "avoid_hubs": [h["id"] for h in spec["hubs"] if h["id"] not in (a, b)],
    }[what]
    assume(options)
    value = options[pick % len(options)]
    avoided = plan_or_none(net, a, b, optimize=optimize, **{what: [value]})
    if avoided is None:
        return
    assert base is not None
    assert getattr(avoided, ATTR[optimize]) >= getattr(base, ATTR[optimize]) - 1e-9
    used = {"avoid_countries": avoided.countries, "avoid_modes": avoided.modes, "avoid_hubs": avoided.hubs}[what]
    assert value not in used


@common
@given(
    spec=networks(),
    pair=ends,
    optimize=st.sampled_from(sorted(ATTR)),
    extra=st.tuples(st.integers(0, 4), st.integers(0, 4)),
)
def test_adding_a_link_never_hurts(
    spec: dict[str, Any], pair: tuple[int, int], optimize: str, extra: tuple[int, int]
) -> None:
    n = len(spec["hubs"])
    i, j = extra[0] % n, extra[1] % n
    assume(i != j)
    origin, destination = endpoints(spec, pair)
    base = plan_or_none(make(spec), origin, destination, optimize=optimize)
    new = {"id": "extra", "from": f"h{i}", "to": f"h{j}", "mode": "road", "distance_km": 50.0}
    if spec["hubs"][i]["country"] != spec["hubs"][j]["country"]:
        new["border_crossing"] = "border_road"
    better = plan_or_none(make({**spec, "links": [*spec["links"], new]}), origin, destination, optimize=optimize)
    if base is not None:
        assert better is not None
        assert getattr(better, ATTR[optimize]) <= getattr(base, ATTR[optimize]) + 1e-9


# ---------------------------------------------------------------- Pareto sets and generalised costs
CRITERIA = ("time", "cost", "co2")
TOTAL = {"time": "time_h", "distance": "distance_km", "cost": "cost_usd", "co2": "co2_kg", "co2e": "co2e_kg"}


def all_vectors(net: cp.Network, q: cp.Query, criteria: tuple[str, ...]) -> list[tuple[float, ...]]:
    """The criteria vector of every simple path of the routing graph that enters no hub twice (networkx enumerates them)."""
    graph = net.router.graph
    allowed = net.router.mask(q.constraints)
    multi = nx.MultiDiGraph()
    multi.add_nodes_from(range(len(graph.nodes)))
    for e in range(graph.n_edges):
        if allowed[e]:
            multi.add_edge(int(graph.src[e]), int(graph.dst[e]), key=e)
    columns = [graph.criteria[c] for c in criteria]
    vectors = []
    for path in nx.all_simple_edge_paths(multi, graph.node(q.origin, "o"), graph.node(q.destination, "t")):
        if not hub_simple(net, q.origin, [key for _, _, key in path]):
            continue
        vectors.append(tuple(float(sum(col[key] for _, _, key in path)) for col in columns))
    return vectors


def front(vectors: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    """The non-dominated vectors, duplicates (within 1e-9) merged."""
    out: list[tuple[float, ...]] = []
    for v in sorted(vectors):
        if not any(all(o <= x + 1e-9 * max(1.0, abs(x)) for o, x in zip(other, v, strict=True)) for other in out):
            out.append(v)
    return out


def vector(route: cp.Route, criteria: tuple[str, ...]) -> tuple[float, ...]:
    return tuple(getattr(route, TOTAL[c]) for c in criteria)


@common
@given(spec=networks(), pair=ends, size=st.integers(2, 3))
def test_pareto_set_is_exactly_the_brute_force_front(spec: dict[str, Any], pair: tuple[int, int], size: int) -> None:
    net = make(spec)
    a, b = endpoints(spec, pair)
    criteria = CRITERIA[:size]
    expected = front(all_vectors(net, net.query(a, b, as_of=2025), criteria))
    try:
        routes = net.pareto(a, b, criteria=criteria, as_of=2025)
    except cp.NoRouteError:
        assert expected == []
        return
    got = [vector(r, criteria) for r in routes]
    assert len(got) == len(expected)
    for g, e in zip(sorted(got), expected, strict=True):
        assert g == pytest.approx(e, rel=1e-9, abs=1e-9)
    # every Pareto route is non-dominated by every other
    for i, v in enumerate(got):
        for j, w in enumerate(got):
            if i != j:
                assert not all(x <= y for x, y in zip(w, v, strict=True)) or w == pytest.approx(v)
    # every single-criterion optimum of plan() is in the set
    for criterion in criteria:
        best = net.plan(a, b, optimize=criterion, as_of=2025)
        assert any(vector(best, criteria) == pytest.approx(v, rel=1e-9, abs=1e-9) for v in got)


@common
@given(spec=networks(), pair=ends, size=st.integers(2, 3), epsilon=st.sampled_from([0.01, 0.1, 0.5, 2.0]))
def test_bounded_pareto_set_covers_the_brute_force_front(
    spec: dict[str, Any], pair: tuple[int, int], size: int, epsilon: float
) -> None:
    net = make(spec)
    a, b = endpoints(spec, pair)
    criteria = CRITERIA[:size]
    vectors = all_vectors(net, net.query(a, b, as_of=2025), criteria)
    try:
        routes = net.pareto(a, b, criteria=criteria, epsilon=epsilon, as_of=2025)
    except cp.NoRouteError:
        assert vectors == []
        return
    got = [vector(r, criteria) for r in routes]
    assert all(any(g == pytest.approx(v, rel=1e-9, abs=1e-9) for v in vectors) for g in got)  # real routes
    for e in front(vectors):  # every exact Pareto-optimal route within 1 + epsilon of a returned one
        assert any(all(x <= (1 + epsilon) * y + 1e-6 for x, y in zip(g, e, strict=True)) for g in got)


@common
@given(
    spec=networks(), pair=ends,
    weights=st.dictionaries(st.sampled_from(sorted(ATTR)), st.integers(0, 5), min_size=1).filter(lambda w: any(w.values())),
)  # fmt: skip
def test_generalised_cost_equals_brute_force(
    spec: dict[str, Any], pair: tuple[int, int], weights: dict[str, int]
) -> None:
    net = make(spec)
    a, b = endpoints(spec, pair)
    criteria = tuple(sorted(weights))
    per_unit = {"time": 1 / 24, "distance": 1.0, "cost": 1.0, "co2": 1.0, "co2e": 1.0}  # per day, km, USD, kg
    values = [
        sum(weights[c] * per_unit[c] * x for c, x in zip(criteria, v, strict=True))
        for v in all_vectors(net, net.query(a, b, as_of=2025), criteria)
    ]
    route = plan_or_none(net, a, b, optimize=weights)
    if not values:
        assert route is None
        return
    assert route is not None
    got = sum(weights[c] * per_unit[c] * getattr(route, TOTAL[c]) for c in criteria)
    assert got == pytest.approx(min(values), rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------- an oracle independent of the routing graph
@st.composite
def rail_networks(draw: st.DrawFn) -> dict[str, Any]:
    """Single-layer networks (all 1520 mm rail, one border rule per country pair): any walk is a valid route."""
    n = draw(st.integers(3, 6))
    hubs = [
        {"id": f"h{i}", "name": f"Hub {i}", "country": draw(st.sampled_from(COUNTRIES)), "kind": "city",
         "lon": float(i), "lat": float(draw(st.integers(0, 3)))}
        for i in range(n)
    ]  # fmt: skip
    links = []
    for k in range(draw(st.integers(2, 9))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a == b:
            continue
        rec: dict[str, Any] = {
            "id": f"l{k}", "from": f"h{a}", "to": f"h{b}", "mode": "rail", "gauge_mm": 1520,
            "distance_km": float(draw(st.integers(10, 900))), "two_way": draw(st.booleans()),
        }  # fmt: skip
        if draw(st.booleans()):
            rec.update(status="under_construction", opens=draw(st.sampled_from((2030, 2040))))
        if hubs[a]["country"] != hubs[b]["country"]:
            rec["border_crossing"] = "border_rail"
        links.append(rec)
    hours = {"time_h_min": 0, "time_h_typ": 4.0, "time_h_max": 8.0}
    borders = [{"id": "border_rail", "name": "border", "mode": "rail", "hubs": "", "cost_usd": 1, **hours}]
    return {"hubs": hubs, "links": links, "tables": {"borders": borders}}


def oracle_km(spec: dict[str, Any], a: str, b: str, year: int, avoid: frozenset[str]) -> float | None:
    """The shortest distance straight from the records, with networkx: no routing graph, no masks of the library."""
    country = {h["id"]: h["country"] for h in spec["hubs"]}
    g = nx.DiGraph()
    for rec in spec["links"]:
        if rec.get("opens", 0) > year or country[rec["from"]] in avoid or country[rec["to"]] in avoid:
            continue
        ends = [(rec["from"], rec["to"])] + ([(rec["to"], rec["from"])] if rec["two_way"] else [])
        for u, v in ends:
            if not g.has_edge(u, v) or g[u][v]["km"] > rec["distance_km"]:
                g.add_edge(u, v, km=rec["distance_km"])
    try:
        return float(nx.shortest_path_length(g, a, b, weight="km"))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


@common
@given(
    spec=rail_networks(),
    pair=ends,
    year=st.sampled_from((2025, 2035, 2045)),
    avoid=st.sets(st.sampled_from(COUNTRIES), max_size=1),
)
def test_shortest_distance_matches_an_oracle_built_from_the_records(
    spec: dict[str, Any], pair: tuple[int, int], year: int, avoid: set[str]
) -> None:
    origin, destination = endpoints(spec, pair)
    country = {h["id"]: h["country"] for h in spec["hubs"]}
    assume(country[origin] not in avoid and country[destination] not in avoid and avoid <= set(country.values()))
    expected = oracle_km(spec, origin, destination, year, frozenset(avoid))
    net = make(spec)
    try:
        got: float | None = net.plan(
            origin, destination, optimize="distance", as_of=year, avoid_countries=sorted(avoid)
        ).distance_km
    except cp.NoRouteError:
        got = None
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)
    # networkx on the library's own export of the physical layer agrees too
    g = net.to_networkx()
    assert sorted(g.nodes) == sorted(country)
    assert g.number_of_edges() == sum(2 if rec["two_way"] else 1 for rec in spec["links"])


@common
@given(spec=networks(), pair=ends, optimize=st.sampled_from(sorted(ATTR)))
def test_every_route_is_a_simple_path(spec: dict[str, Any], pair: tuple[int, int], optimize: str) -> None:
    """Issue 10: no hub twice in a planned route, an alternative or a Pareto route."""
    net = make(spec)
    a, b = endpoints(spec, pair)
    route = plan_or_none(net, a, b, optimize=optimize)
    if route is None:
        return
    routes = [route, *net.alternatives(a, b, k=4, as_of=2025), *net.pareto(a, b, criteria=("time", "cost"), as_of=2025)]
    for r in routes:
        assert len(r.hubs) == len(set(r.hubs)), r.hubs
    labels = [r.label for r in net.alternatives(a, b, k=4, as_of=2025)]
    assert len(labels) == len(set(labels))
