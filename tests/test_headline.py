"""The headline and the calibration figures, computed from the model and compared with published figures."""

from __future__ import annotations

import pytest

import corridor_planner as cp

YEAR = 2025

SEA_VIA = ["Tianjin", "Port Said", "Poti"]
"""The earlier sea route: rail to Tianjin, liner via Suez, feeder to a Georgian port, rail to Baku."""


@pytest.fixture(scope="module")
def rail_sea_rail(net: cp.Network) -> cp.Route:
    return net.plan("Beijing", "Baku", optimize="time", as_of=YEAR)


@pytest.fixture(scope="module")
def by_sea(net: cp.Network) -> cp.Route:
    return net.plan("Beijing", "Baku", optimize="time", via=SEA_VIA, avoid_modes=["air"], as_of=YEAR)


def test_fastest_beijing_baku_is_the_cross_caspian_rail_sea_rail_route(rail_sea_rail: cp.Route) -> None:
    hubs = set(rail_sea_rail.hubs)
    assert hubs & {"khorgos", "altynkol"}
    assert hubs & {"aktau", "kuryk"}
    assert "alat" in hubs
    assert rail_sea_rail.modes == ("rail", "sea", "rail")[: len(rail_sea_rail.modes)] or set(rail_sea_rail.modes) == {"rail", "sea"}
    assert [leg.mode for leg in rail_sea_rail.legs].count("sea") == 1  # one Caspian crossing
    assert "titr" in rail_sea_rail.corridors


def test_headline_about_15_days_over_8000_km(rail_sea_rail: cp.Route) -> None:
    """Published: more than 8,000 km, about 15 days (Xinhua, S-SEED-002). Tolerance: 13-17 days, 7,200-8,800 km."""
    assert 13.0 <= rail_sea_rail.transit_days <= 17.0
    assert 7_200 <= rail_sea_rail.distance_km <= 8_800


def test_sea_route_about_50_days_made_of_sailing_transshipment_and_dwell(by_sea: cp.Route) -> None:
    """Published: about 50 days by the earlier sea route (S-MNAV-50DAYS). Tolerance: 42-58 days."""
    assert 42.0 <= by_sea.transit_days <= 58.0
    assert "sea" in by_sea.modes and "suez" in by_sea.chokepoints
    parts = by_sea.breakdown()["time_h"]
    assert parts["moving"] > 20 * 24  # the sailing dominates
    assert parts["transshipment"] > 0
    assert parts["port_dwell"] > 0
    assert parts["port_call"] > 0


def test_sea_takes_at_least_2_8_times_the_rail_sea_rail_time(rail_sea_rail: cp.Route, by_sea: cp.Route) -> None:
    assert by_sea.transit_days >= 2.8 * rail_sea_rail.transit_days


def test_cku_railway_unused_today_and_used_from_2030(net: cp.Network) -> None:
    today = net.plan("Kashgar", "Andijan", avoid_modes=["road", "air"], as_of=YEAR)
    assert "cku_railway" not in today.corridors
    opened = net.plan("Kashgar", "Andijan", avoid_modes=["road", "air"], as_of=2030)
    assert "cku_railway" in opened.corridors
    assert "makmal" in opened.hubs
    assert opened.distance_km < today.distance_km
    assert opened.transit_days < today.transit_days


def test_default_year_is_today(net: cp.Network) -> None:
    from corridor_planner.network import current_year

    assert net.plan("Beijing", "Baku") == net.plan("Beijing", "Baku", as_of=current_year())


@pytest.mark.parametrize(
    ("origin", "destination", "kwargs", "published_km", "source"),
    [
        ("Lianyungang", "Rotterdam", {"avoid_modes": ["sea", "air", "road"], "optimize": "distance"}, 10_900, "S-NELB-KAZINFORM"),
        ("Baku", "Kars", {"avoid_modes": ["sea", "air", "road"], "optimize": "distance"}, 826, "S-BTK"),
        ("Shanghai", "Rotterdam", {"avoid_modes": ["rail", "road", "air"], "optimize": "distance"}, 10_600 * 1.852, "S-RODRIGUE"),
        ("Altynkol", "Aktau", {"avoid_modes": ["sea", "air", "road"], "optimize": "distance"}, 3_128, "S-SEANEWS-ALTYNKOL-AKTAU"),
    ],
)
def test_calibration_distances_within_10_percent(
    net: cp.Network, origin: str, destination: str, kwargs: dict[str, object], published_km: float, source: str
) -> None:
    route = net.plan(origin, destination, as_of=YEAR, **kwargs)  # type: ignore[arg-type]
    assert route.distance_km == pytest.approx(published_km, rel=0.10), source
    assert source in net.sources


def test_red_sea_closure_sends_shanghai_rotterdam_round_the_cape(net: cp.Network) -> None:
    """Published: via the Cape ~13,800 nm vs ~10,600 nm, adding 7-14 days (S-RODRIGUE)."""
    kw = {"avoid_modes": ["rail", "road", "air"], "as_of": YEAR}
    suez = net.plan("Shanghai", "Rotterdam", **kw)  # type: ignore[arg-type]
    cape = net.plan("Shanghai", "Rotterdam", avoid_chokepoints=["suez", "babalmandab"], **kw)  # type: ignore[arg-type]
    assert "cape_of_good_hope" in cape.chokepoints and "suez" in suez.chokepoints
    extra_nm = (cape.distance_km - suez.distance_km) / 1.852
    assert extra_nm == pytest.approx(3_200, rel=0.35)
    assert 7.0 <= cape.transit_days - suez.transit_days <= 14.0
