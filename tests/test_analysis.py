"""Alternatives, Pareto fronts, generalised costs, within/require and compare() on the shipped network."""

from __future__ import annotations

import pytest

import corridor_planner as cp
from corridor_planner.analysis.alternatives import MAX_PER_FAMILY, family, signature
from corridor_planner.routing.options import PlanOptions

YEAR: PlanOptions = {"as_of": 2025}


def test_alternatives_beijing_duisburg_are_genuinely_different(net: cp.Network) -> None:
    routes = net.alternatives("Beijing", "Duisburg", k=6, **YEAR)
    assert 3 <= len(routes) <= 6
    assert routes[0] == net.plan("Beijing", "Duisburg", **YEAR)
    days = [r.transit_days for r in routes]
    assert days == sorted(days)
    assert len({signature(r) for r in routes}) == len(routes)
    assert all(r.label for r in routes)
    northern = [r for r in routes if "RU" in r.countries and "northern_route" in r.corridors]
    middle = [r for r in routes if "caspian" in r.chokepoints and "RU" not in r.countries]
    assert northern and middle
    # no more than two of one way to go (a family: the same chokepoints) while other ways exist: with k=4 the
    # two Caspian routes come in before the third and fourth overland ones (through Russia to the Caucasus)
    four = net.alternatives("Beijing", "Duisburg", k=4, **YEAR)
    assert [family(r) for r in four].count(family(four[0])) <= MAX_PER_FAMILY
    assert sum("caspian" in r.chokepoints for r in four) == 2
    # the all-sea route is what is left for a train and a ship when the land bridges are avoided
    (sea,) = net.alternatives(
        "Beijing", "Duisburg", k=1, only_modes=["rail", "sea"], avoid_countries=["RU", "KZ", "MN"], **YEAR
    )
    assert {"malacca", "suez"} <= set(sea.chokepoints) and "caspian" not in sea.chokepoints


def test_alternatives_obey_the_query_and_check_k(net: cp.Network) -> None:
    routes = net.alternatives("Beijing", "Duisburg", k=3, avoid_countries=["RU"], **YEAR)
    assert all("RU" not in r.countries for r in routes)
    with pytest.raises(cp.InvalidQueryError, match="k must be a positive integer"):
        net.alternatives("Beijing", "Duisburg", k=0)
    with pytest.raises(cp.NoRouteError):
        net.alternatives("Atasu", "Baku")  # an oil terminal: pipelines only


def test_pareto_front_on_the_shipped_network(net: cp.Network) -> None:
    criteria = ("time", "cost", "co2")
    front = net.pareto("Beijing", "Duisburg", criteria=criteria, **YEAR)
    vectors = [(r.time_h, r.cost_usd, r.co2_kg) for r in front]
    assert len(front) >= 3
    for i, v in enumerate(vectors):
        for j, w in enumerate(vectors):
            if i != j:
                assert not all(x <= y for x, y in zip(w, v, strict=True))
    for criterion in criteria:
        best = net.plan("Beijing", "Duisburg", optimize=criterion, **YEAR)
        assert (best.time_h, best.cost_usd, best.co2_kg) in [pytest.approx(v) for v in vectors]
    with pytest.raises(cp.InvalidQueryError, match="criteria"):
        net.pareto("Beijing", "Duisburg", criteria=("time", "time"))
    with pytest.raises(cp.InvalidQueryError, match="'speed' is not a valid criterion"):
        net.pareto("Beijing", "Duisburg", criteria=("time", "speed"))


def test_value_of_time_moves_along_the_front(net: cp.Network) -> None:
    cheapest = net.plan("Beijing", "Duisburg", optimize="cost", **YEAR)
    fastest = net.plan("Beijing", "Duisburg", optimize="time", **YEAR)
    assert net.plan("Beijing", "Duisburg", optimize="cost", value_of_time=0, **YEAR) == cheapest
    assert net.plan("Beijing", "Duisburg", optimize={"time": 1.0}, **YEAR) == fastest
    priced = net.plan("Beijing", "Duisburg", optimize="cost", value_of_time=1e6, **YEAR)
    assert priced.transit_days == pytest.approx(fastest.transit_days)
    middle = net.plan("Beijing", "Duisburg", optimize="cost", value_of_time=200, **YEAR)
    assert fastest.transit_days <= middle.transit_days <= cheapest.transit_days
    assert middle.optimize == "1*cost + 200*time"
    for bad in ({"time": -1}, {"speed": 1}, {"time": 0}, {"time": float("inf")}, {"cost": float("nan")}):
        with pytest.raises(cp.InvalidQueryError):
            net.plan("Beijing", "Duisburg", optimize=bad)
    with pytest.raises(cp.InvalidQueryError, match="value_of_time must be"):
        net.plan("Beijing", "Duisburg", optimize="cost", value_of_time=float("inf"))
    with pytest.raises(cp.InvalidQueryError, match="must include 'cost'"):
        net.plan("Beijing", "Duisburg", optimize="time", value_of_time=100)


def test_within_the_sco_keeps_a_route_inside(net: cp.Network) -> None:
    members = net.country_group(cp.SCO_MEMBERS)
    assert {"CN", "KZ", "KG", "UZ", "RU", "BY", "IN", "IR", "PK", "TJ"} <= members  # Belarus since 2024
    assert "TR" not in members and "AZ" in net.country_group(cp.SCO_FAMILY)
    route = net.plan("Beijing", "Minsk", within=cp.SCO_MEMBERS, **YEAR)
    assert set(route.countries) <= members
    inside = net.plan("Beijing", "Baku", within=[cp.SCO_MEMBERS, "AZ"], avoid_modes=["road"], **YEAR)
    assert set(inside.countries) <= members | {"AZ"}
    with pytest.raises(cp.NoRouteError, match="within"):
        net.plan("Beijing", "Tashkent", within=["CN", "UZ"], **YEAR)
    with pytest.raises(cp.InvalidQueryError, match="outside"):
        net.plan("Beijing", "Duisburg", within=cp.SCO_MEMBERS)


def test_require_is_obeyed_or_raises(net: cp.Network) -> None:
    caspian = net.plan("Beijing", "Duisburg", require_chokepoints="caspian", **YEAR)
    assert "caspian" in caspian.chokepoints
    btk = net.plan("Beijing", "Duisburg", require_corridors=["btk_railway"], avoid_chokepoints=["bosporus"], **YEAR)
    assert "btk_railway" in btk.corridors and "bosporus" not in btk.chokepoints
    via_kz_and_ge = net.plan("Beijing", "Istanbul", require_countries=["GE"], require_hubs=["Aktau"], **YEAR)
    assert "GE" in via_kz_and_ge.countries and "aktau" in via_kz_and_ge.hubs
    with pytest.raises(cp.NoRouteError, match="require"):
        net.plan("Beijing", "Duisburg", require_hubs=["Atasu"], **YEAR)  # pipelines only: no container passes
    with pytest.raises(cp.InvalidQueryError, match="both required and avoided"):
        net.plan("Beijing", "Duisburg", require_countries=["RU"], avoid_countries=["RU"])
    with pytest.raises(cp.InvalidQueryError, match="did you mean"):
        net.plan("Beijing", "Duisburg", require_corridors=["titrr"])
    avoided = net.plan("Beijing", "Duisburg", avoid_corridors=["northern_route"], **YEAR)
    assert "northern_route" not in avoided.corridors


def test_compare_is_tidy_and_keeps_going_past_a_missing_route(net: cp.Network) -> None:
    pairs = [("Beijing", "Baku"), "Atasu:Baku"]
    table = cp.compare(net, ["red_sea_closed", ["avoid_russia", "caspian_congestion"]], pairs, progress=False, **YEAR)
    assert list(table["scenario"].unique()) == ["base", "red_sea_closed", "avoid_russia + caspian_congestion"]
    assert len(table) == 6
    missing = table[table["origin"] == "atasu"]
    assert set(missing["status"]) == {"no route"} and all("pipeline" in m for m in missing["message"])
    ok = table[table["status"] == "ok"]
    assert (ok[ok["scenario"] == "base"]["delta_days"] == 0).all()
    congested = ok[ok["scenario"] == "avoid_russia + caspian_congestion"].iloc[0]
    assert congested["delta_days"] > 0 and congested["days"] == pytest.approx(
        net.apply("avoid_russia", "caspian_congestion").plan("Beijing", "Baku", **YEAR).transit_days
    )
    no_base = cp.compare(net, ["red_sea_closed"], pairs, baseline=None, progress=False, **YEAR)
    assert list(no_base["scenario"].unique()) == ["red_sea_closed"] and no_base["delta_days"].isna().all()
    with pytest.raises(cp.UnknownLocationError):
        cp.compare(net, [], [("Bejing", "Baku")], progress=False)
    with pytest.raises(cp.ScenarioError):
        cp.compare(net, ["no_such_scenario"], pairs, progress=False)
    with pytest.raises(cp.InvalidQueryError, match="pair"):
        cp.compare(net, [], ["Beijing-Baku"], progress=False)


def test_compare_shows_a_progress_bar_only_when_asked_or_interactive(
    net: cp.Network, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    compare_module = sys.modules["corridor_planner.analysis.compare"]  # the package's `compare` is the function
    monkeypatch.setattr(compare_module, "PROGRESS_DELAY_S", 0.0)  # as if the comparison ran for long
    cp.compare(net, ["red_sea_closed"], [("Beijing", "Baku")], progress=None, **YEAR)
    assert capsys.readouterr().err == ""  # pytest's stderr is not a terminal: no bar
    cp.compare(net, ["red_sea_closed"], [("Beijing", "Baku")], progress=False, **YEAR)
    assert capsys.readouterr().err == ""
    cp.compare(net, ["red_sea_closed"], [("Beijing", "Baku")], progress=True, **YEAR)
    err = capsys.readouterr().err
    assert "compare" in err and "2/2" in err


def test_an_unknown_option_is_named_with_close_matches(net: cp.Network) -> None:
    with pytest.raises(cp.InvalidQueryError, match="unknown option 'avoid_country'; did you mean avoid_countries"):
        net.plan("Beijing", "Baku", avoid_country="RU")  # type: ignore[call-arg]
    options = {"avoid_countries": ["RU"]}
    net.pareto("Beijing", "Duisburg", criteria=("time", "cost"), **options)  # type: ignore[arg-type]
    assert options == {"avoid_countries": ["RU"]}  # the caller's mapping is not changed


def test_compare_handles_hubs_that_only_a_scenario_adds(net: cp.Network) -> None:
    port = {
        "scenario": {"name": "turkmenbashi"},
        "change": [
            {"add": "hubs", "records": [{"id": "bautino", "name": "Bautino", "country": "KZ", "kind": "port", "lon": 50.25, "lat": 44.54}]},
            {"add": "links", "records": [{"id": "bautino_alat_sea", "from": "bautino", "to": "alat", "mode": "sea", "service": "caspian_aktau_alat"}]},
        ],
    }  # fmt: skip
    table = cp.compare(net, [port], [("Bautino", "Baku")], progress=False, **YEAR)
    assert list(table["status"]) == ["unknown place", "ok"]
    assert "bautino is not a hub" in table["message"].iloc[0]
    with pytest.raises(cp.UnknownLocationError, match="Bautinoo"):
        cp.compare(net, [port], [("Bautinoo", "Baku")], progress=False)
