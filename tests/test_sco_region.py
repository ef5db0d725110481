"""The SCO region (issue 10): coverage, reachability, the named plans against published figures, history.

Published figures are in ``data/sources.csv`` (``S-X-...`` rows) and are never model parameters.
Tolerances, fixed before looking at the model:

* distance: the model may be up to 25 % short (straight segments between named stations
  under-read winding lines: ``data/src/published_lengths.csv``, median about 25 % for the new
  mountain roads and lines) and at most 10 % long;
* days: within 30 % of a single reported trip (one train's or the operator's stated figure), counted
  from the departure as published trips are (the model's wait for the first train or sailing at the
  origin, ``Route.origin_wait_h``, is left out).
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

import corridor_planner as cp
from corridor_planner.model.dataset import EARLIEST_YEAR

YEAR = 2025
SCO = ("CN", "RU", "IN", "PK", "IR", "KZ", "KG", "TJ", "UZ", "BY")

DIST_SHORT, DIST_LONG = 0.25, 0.10
DAYS_TOL = 0.30


def close_km(model: float, published: float) -> bool:
    return published * (1 - DIST_SHORT) <= model <= published * (1 + DIST_LONG)


def days_from_departure(route: cp.Route) -> float:
    return route.from_departure().transit_days


def close_days(model: float, published: float) -> bool:
    return abs(model - published) <= DAYS_TOL * published


def test_at_least_150_hubs_and_every_sco_member_has_hubs(net: cp.Network) -> None:
    assert len(net.hubs) >= 150
    per_country = Counter(net.hubs["country"])
    assert all(per_country[c] >= 1 for c in SCO), per_country
    assert {"TM", "AF", "MN"} <= set(per_country)


def test_every_sco_member_reaches_every_other_by_land_or_sea(net: cp.Network) -> None:
    """Some hub pair of each ordered country pair has a container route (default options)."""
    hubs: dict[str, list[str]] = {c: [] for c in SCO}
    for hub_id, country in zip(net.hubs["id"], net.hubs["country"], strict=True):
        if country in hubs:
            hubs[country].append(hub_id)
    for c in hubs:  # ports and cities first: the likeliest to have a route
        hubs[c].sort(key=lambda h: (net.hubs.set_index("id").loc[h, "kind"] not in ("port", "city", "dry_port"), h))
    missing = []
    for a, b in itertools.permutations(SCO, 2):
        for x, y in itertools.product(hubs[a], hubs[b]):
            try:
                route = net.plan(x, y, cargo="container", as_of=YEAR)
            except cp.NoRouteError:
                continue
            assert "air" not in route.modes and "pipeline" not in route.modes
            break
        else:
            missing.append((a, b))
    assert not missing


SPLIT = {
    "vienna": ("budapest_vienna_rail", "vienna_duisburg_rail"),
    "belgrade": ("budapest_belgrade_rail", "istanbul_belgrade_rail", "piraeus_belgrade_rail"),
    "poznan": ("lodz_poznan_rail", "warsaw_poznan_rail", "poznan_duisburg_rail"),
    "baoji": ("chengdu_baoji_rail", "xian_baoji_rail", "baoji_lanzhou_rail"),
}
"""Shipped links split at hubs of the expansion that were waypoints (the links meeting there)."""


def test_links_are_split_at_new_hubs_so_they_do_not_run_twice(net: cp.Network) -> None:
    ids = set(net.links["id"])
    old = {"budapest_duisburg_rail", "istanbul_budapest_rail", "piraeus_budapest_rail", "warsaw_duisburg_rail"}
    assert not ids & (old | {"xian_lanzhou_rail", "chengdu_lanzhou_rail"})
    geometry = dict(zip(net.links["id"], net.links.geometry, strict=True))
    for hub, links in SPLIT.items():
        assert hub in set(net.hubs["id"])
        for a, b in itertools.combinations(links, 2):
            if {a, b} == {"istanbul_belgrade_rail", "piraeus_belgrade_rail"}:
                continue  # both run Nis - Belgrade, as the shipped lines did (no hub at Nis yet)
            # links meeting at the hub touch there and share no stretch
            assert geometry[a].intersection(geometry[b]).length == 0, (hub, a, b)


def test_broad_and_iberian_gauges_are_loaded_with_gauge_changes(net: cp.Network) -> None:
    gauges = set(net.links.loc[net.links["mode"] == "rail", "gauge_mm"].astype(int))
    assert gauges == {1435, 1520, 1668, 1676}
    route = net.plan("Duisburg", "Madrid", avoid_modes=["road", "air"], as_of=YEAR)
    assert route.hubs[-2:] == ("irun", "madrid")
    assert any(s.component == "gauge_change" and s.hub == "irun" for s in route.stops)


# ---------------------------------------------------------------- the named plans


def test_chengdu_duisburg_against_duisport_transit_days(net: cp.Network) -> None:
    route = net.plan("Chengdu", "Duisburg", as_of=YEAR)
    # S-X-DUISPORT-TRANSIT: "12-16 days, depending on the destination in China"
    assert 12 * (1 - DAYS_TOL) <= days_from_departure(route) <= 16 * (1 + DAYS_TOL)
    # S-X-CHENGDU-LODZ: Chengdu - Lodz 9,826 km; Duisburg is farther than Lodz
    assert route.distance_km >= 9826 * (1 - DIST_SHORT)


def test_yiwu_madrid_against_the_first_train(net: cp.Network) -> None:
    route = net.plan("Yiwu", "Madrid", as_of=YEAR)
    # S-X-YIWU-MADRID: about 13,000 km (13,052 km) and 21 days
    assert close_km(route.distance_km, 13052)
    assert close_days(days_from_departure(route), 21)


def test_sarakhs_bandar_abbas_against_the_scheduled_transit_train(net: cp.Network) -> None:
    """Published: 1,600 km in Iran (S-X-IR-RUSSIA-INDIA-SARAKHS, S-X-IR-SARAKHS-BA-62H); a daily scheduled train
    in 62 h (S-X-IR-SARAKHS-BA-62H), 54 h on the fastest schedule (S-X-IR-SARAKHS-BA-54H), 60-70 h for a 2022
    container train. Tolerance: 5 % on km; 54-70 h from the train's departure (the gauge change at Sarakhs
    included)."""
    route = net.plan("Sarakhs", "Bandar Abbas", only_modes="rail", as_of=YEAR)
    assert route.hubs == ("sarakhs", "mashhad", "bafq", "bandar_abbas")
    assert route.distance_km == pytest.approx(1600, rel=0.05)
    assert 54 <= route.time_h - route.origin_wait_h <= 70
    assert route.origin_wait_h <= 12  # a daily train


@pytest.mark.xfail(
    strict=True,
    reason="model 7.7 days (2,716 km: truck to Bukhara, rail via Turkmenistan, Sarakhs and Mashhad) against the "
    "14 days of the first Bandar Abbas - Sergeli block train (S-X-BANDAR-ABBAS-SERGELI); the Iranian section "
    "matches the scheduled transit train (test above), so the gap is the pilot train itself and the Uzbek and "
    "Turkmen sections and borders, which are proxies",
)
def test_tashkent_bandar_abbas_against_the_first_block_train(net: cp.Network) -> None:
    route = net.plan("Tashkent", "Bandar Abbas", as_of=YEAR)
    assert close_days(days_from_departure(route), 14)


def test_moscow_mumbai_north_south_against_the_2016_shipment(net: cp.Network) -> None:
    route = net.plan("Moscow", "Mumbai", as_of=YEAR)
    assert {"IR", "RU"} <= set(route.countries) and "sea" in route.modes
    assert "instc" in route.corridors or "instc_west" in route.corridors
    # S-X-RG-INSTC-2016: Mumbai - Moscow containers, 23 days
    assert close_days(days_from_departure(route), 23)


def test_kashgar_gwadar_against_the_cpec_length(net: cp.Network) -> None:
    route = net.plan("Kashgar", "Gwadar", as_of=YEAR)
    assert "khunjerab" in route.hubs and "cpec" in route.corridors
    # S-X-CPEC-KASHGAR-GWADAR: "over 3,000 kilometers", a lower bound; the section lengths are published
    # (Kashgar - Islamabad 1,290 km by the Karakoram Highway, Karachi - Gwadar 653 km), so the model may run up
    # to 20 % over it by going through Lahore and Karachi rather than the western highway
    assert 3000 <= route.distance_km <= 1.2 * 3000


def test_andijan_turkmenbashi_has_a_route_and_the_cku_scenario_takes_the_uzbek_turkmen_line(
    net: cp.Network,
) -> None:
    # No published end-to-end figure found for Andijan - Turkmenbashi: the route must exist, and with the CKU
    # continuation run by block trains it must be the Uzbek-Turkmen line, not the detour through Kazakhstan.
    assert net.plan("Andijan", "Turkmenbashi", as_of=YEAR).distance_km > 0
    on = net.apply("cku_to_turkmenistan").plan("Andijan", "Turkmenbashi", avoid_modes=["road", "air"], as_of=YEAR)
    assert {"samarkand", "bukhara", "turkmenabat", "ashgabat"} <= set(on.hubs)
    assert "KZ" not in on.countries


def test_trucks_ride_the_caspian_ferries(net: cp.Network) -> None:
    route = net.plan("Urumqi", "Tbilisi", avoid_modes=["rail", "air"], as_of=YEAR)
    assert set(route.modes) == {"road", "sea"}
    assert "caspian" in route.chokepoints
    boarding = [s for s in route.stops if s.component == "transfer"]
    assert boarding and all(s.cost_usd == 0 for s in boarding)  # drive on, drive off: no crane, no THC


# ---------------------------------------------------------------- history


def test_as_of_before_the_earliest_year_is_refused_naming_it(net: cp.Network) -> None:
    assert EARLIEST_YEAR == 1991
    with pytest.raises(cp.InvalidQueryError, match="1991"):
        net.plan("Beijing", "Baku", as_of=1990)
    net.plan("Beijing", "Baku", as_of=EARLIEST_YEAR)


def test_btk_is_not_used_before_it_opened(net: cp.Network) -> None:
    def links(year: int) -> set[str]:
        return {leg.link_id for leg in net.plan("Baku", "Kars", avoid_modes=["road", "air"], as_of=year).legs}

    assert "akhalkalaki_kars_rail" in links(2018)  # opened 30 October 2017 (S-X-BTK-OPEN)
    for year in (EARLIEST_YEAR, 2016):  # before: by sea from Poti and rail from Istanbul, or by road
        assert "akhalkalaki_kars_rail" not in links(year)
        assert "akhalkalaki_kars_rail" not in {leg.link_id for leg in net.plan("Baku", "Kars", as_of=year).legs}


def test_khorgos_rail_gateway_opens_in_2012(net: cp.Network) -> None:
    assert "khorgos" not in net.plan("Urumqi", "Almaty", avoid_modes=["road", "air"], as_of=2011).hubs
    assert net.plan("Khorgos", "Altynkol", avoid_modes=["road", "air"], as_of=2013).distance_km > 0


def test_shalkar_beyneu_road_is_not_built(net: cp.Network) -> None:
    base = net.plan("Almaty", "Beyneu", avoid_modes=["rail", "air", "sea"], as_of=YEAR)
    built = net.apply("shalkar_beyneu_built").plan("Almaty", "Beyneu", avoid_modes=["rail", "air", "sea"], as_of=YEAR)
    assert built.distance_km < base.distance_km - 150
    assert "shymkent_beyneu_road" not in {leg.link_id for leg in base.legs}


def test_instc_open_makes_russia_iran_rail_all_the_way(net: cp.Network) -> None:
    rail = {"avoid_modes": ["road", "air", "sea"], "as_of": YEAR}
    opened = net.apply("instc_open").plan("Moscow", "Tehran", **rail)  # type: ignore[arg-type]
    assert {"astara_az", "astara_ir", "rasht"} <= set(opened.hubs)
    base = net.plan("Moscow", "Tehran", **rail)  # type: ignore[arg-type]
    assert opened.transit_days < base.transit_days
