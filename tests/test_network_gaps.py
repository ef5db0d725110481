"""Network gaps filled in data-13: Pavlodar, Shenyang, Bucharest and the road through Ukraine.

Before, Pavlodar and Shenyang were not hubs: a trip from Pavlodar was trucked about 520 km to Astana as a
first-mile leg, and Shenyang sat on the Beijing - Harbin line without a way on or off. The 2019 Shanghai -
Istanbul TIR truck went Moscow - Minsk - Kyiv - Bucharest - Istanbul (``S-X-IRU-DTRANS-2019``,
``S-X-TRASPORTOEUROPA-DTRANS-2019``); Ukraine closed its crossings with Russia and Belarus on 28 February 2022
(``S-X-INTERFAX-UA-CLOSED-2022``), so those roads are shipped ``closed`` with ``closes`` 2022: a plan as of
2021 or earlier takes them.
"""

from __future__ import annotations

import pytest
from pyproj import Geod

import corridor_planner as cp

YEAR = 2025
_GEOD = Geod(ellps="WGS84")


def gc_km(net: cp.Network, a: str, b: str) -> float:
    ha, hb = net.hub(a), net.hub(b)
    return float(_GEOD.inv(ha.lon, ha.lat, hb.lon, hb.lat)[2]) / 1000.0


def test_pavlodar_is_a_rail_hub_towards_astana_barnaul_and_semey(net: cp.Network) -> None:
    """Pavlodar - Ekibastuz - Astana, Pavlodar - Kulunda - Barnaul and Pavlodar - Aksu - Semey (the Aksu - Konechnaya
    line, 2001, ``S-X-RG-AKSU-KONECHNAYA``). Tolerance: each rail route at most 1.5 times the great circle
    (the lines run straight across the steppe; the fitted plains circuity is about 1.14)."""
    for other, via in (("astana", set()), ("barnaul", set()), ("aktogay", {"semey"})):
        route = net.plan("pavlodar", other, as_of=YEAR, only_modes="rail")
        assert via <= set(route.hubs), route.hubs
        assert route.distance_km <= 1.5 * gc_km(net, "pavlodar", other), (other, route.distance_km)


def test_pavlodar_semey_rail_opens_in_2001(net: cp.Network) -> None:
    link = net.link("pavlodar_semey_rail")
    assert link.opens == 2001 and not link.is_open(2000) and link.is_open(2001)


def test_pavlodar_trucks_to_astana_and_omsk(net: cp.Network) -> None:
    """The Astana - Pavlodar road (``S-X-BI-ASTANA-PAVLODAR``) and Pavlodar - Omsk over Olkhovka
    (``S-X-GOROD55-OLKHOVKA``). Tolerance: at most 1.4 times the great circle."""
    for other in ("astana", "omsk"):
        route = net.plan("pavlodar", other, as_of=YEAR, only_modes="road")
        assert route.hubs == ("pavlodar", other), route.hubs
        assert route.distance_km <= 1.4 * gc_km(net, "pavlodar", other), (other, route.distance_km)


def test_shenyang_sits_on_the_beijing_harbin_line_and_the_g1(net: cp.Network) -> None:
    """Shenyang's China-Europe trains (``S-X-XINHUA-SHENYANG-2022``) go north by Harbin and Manzhouli; trucks take
    the G1 (``S-X-WIKI-G1``, 658 km central Beijing - Shenyang). Tolerance: road Beijing - Shenyang between 0.9
    and 1.2 times 658 km (the hub is Fangshan, south-west of central Beijing)."""
    route = net.plan("shenyang", "zabaikalsk", as_of=YEAR, only_modes="rail")
    assert {"harbin", "manzhouli"} <= set(route.hubs) and "beijing" not in route.hubs, route.hubs
    road = net.plan("beijing", "shenyang", as_of=YEAR, only_modes="road")
    assert road.hubs == ("beijing", "shenyang"), road.hubs
    assert 0.9 * 658 <= road.distance_km <= 1.2 * 658, road.distance_km


@pytest.mark.parametrize("link_id", ["moscow_kyiv_road", "minsk_kyiv_road"])
def test_roads_from_russia_and_belarus_into_ukraine_are_closed(net: cp.Network, link_id: str) -> None:
    link = net.link(link_id)
    assert link.status is cp.Status.CLOSED and link.closes == 2022
    assert not link.is_open(YEAR) and not link.is_open(2022) and link.is_open(2021)


def test_minsk_istanbul_by_truck_avoids_ukraine_now(net: cp.Network) -> None:
    """With the Belarus - Ukraine crossings closed the truck goes round by Moscow and the Caucasus."""
    route = net.plan("minsk", "istanbul", as_of=YEAR, only_modes="road")
    assert "kyiv" not in route.hubs, route.hubs


def test_as_of_2019_the_tir_route_runs_through_kyiv_and_bucharest(net: cp.Network) -> None:
    """Minsk -> Istanbul by truck as in 2019: Kyiv, Porubne/Siret, Bucharest, Ruse, Kapikule. Tolerance: at most
    1.7 times the great circle (1,437 km): the road goes round the west of the Black Sea (about 1.55)."""
    route = net.plan("minsk", "istanbul", only_modes="road", as_of=2019)
    assert route.hubs == ("minsk", "kyiv", "bucharest", "istanbul"), route.hubs
    assert route.distance_km <= 1.7 * gc_km(net, "minsk", "istanbul"), route.distance_km
    # since 2022 the box cannot enter Ukraine from Belarus: the "no route" names the closed road and its year
    with pytest.raises(cp.NoRouteError, match=r"minsk_kyiv_road \(since 2022\)"):
        net.plan("minsk", "kyiv", only_modes="road", avoid_countries=["PL", "RO"], as_of=2022)
    # the matrix (array search) agrees with plan() on both sides of the closing year
    for year in (2021, 2022):
        cell = net.matrix(["minsk"], ["istanbul"], only_modes="road", as_of=year)
        assert cell["time_h"].iloc[0] == pytest.approx(
            net.plan("minsk", "istanbul", only_modes="road", as_of=year).time_h
        )


def test_bucharest_splits_the_romanian_lines(net: cp.Network) -> None:
    """Bucharest - Constanta is one link for the lines from Budapest and from Istanbul; Bucharest - Budapest by rail
    stays on the Craiova - Timisoara line. Tolerance: at most 1.5 times the great circle."""
    route = net.plan("bucharest", "budapest", as_of=YEAR, only_modes="rail")
    assert route.link_ids == ("bucharest_budapest_rail",), route.link_ids
    assert route.distance_km <= 1.5 * gc_km(net, "bucharest", "budapest"), route.distance_km
    for a in ("istanbul", "budapest"):
        assert "bucharest_constanta_rail" in net.plan(a, "constanta", as_of=YEAR, only_modes="rail").link_ids


def test_the_ust_luga_mukran_line_is_closed_and_reopens_by_scenario(net: cp.Network) -> None:
    """The Baltic Sea Bridge line Ust-Luga - Mukran began on 11 February 2022 and stopped with the war
    (``S-X-NDR-MUKRAN-2022``, ``S-X-BLOGISTIC-MUKRAN-2022``): shipped closed, so Ust-Luga has no sea way to
    Mukran; opened by a scenario, the box sails (by sea only: with a weekly sailing and two port dwells the rail round
    by Minsk and Poland is faster). Tolerance: the Baltic lane between 1,000 and 1,600 km (the great circle
    Ust-Luga - Mukran is 1,062 km)."""
    link = net.link("ust_luga_mukran_sea")
    assert link.status is cp.Status.CLOSED and not link.chokepoints
    assert 1000 <= link.distance_km <= 1600, link.distance_km
    with pytest.raises(cp.NoRouteError):
        net.plan("ust_luga", "mukran", as_of=YEAR, avoid_modes=["rail", "road"])
    opened = net.apply(
        cp.Scenario.from_dict(
            {"scenario": {"name": "bsb"}, "change": [{"open": "links", "ids": ["ust_luga_mukran_sea"]}]}
        )
    )
    route = opened.plan("ust_luga", "mukran", as_of=YEAR, avoid_modes=["rail", "road"])
    assert route.link_ids == ("ust_luga_mukran_sea",), route.link_ids
