"""Scenarios as overlays: loading, validation, composition, and the shipped what-ifs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import corridor_planner as cp
from corridor_planner.io.geojson import hub_feature, link_feature
from corridor_planner.routing.options import PlanOptions

SEA_ONLY: PlanOptions = {"avoid_modes": ["rail", "road", "air"]}
TRAIN: PlanOptions = {"avoid_modes": ["road"]}
CASPIAN_TRAIN: PlanOptions = {"only_modes": ["rail", "sea"], "within": ["CN", "KZ", "AZ", "GE"]}
"""The Middle Corridor train: rail and the Caspian ferry through China, Kazakhstan, Azerbaijan and Georgia."""
NM = 1.852


def fingerprint(net: cp.Network) -> str:
    """A hash of everything a network is made of: records, tables, year and scenarios."""
    d = net.dataset
    parts = [
        [hub_feature(h) for h in d.hubs], [link_feature(k) for k in d.links],
        sorted(map(repr, d.modes.values())), sorted(map(repr, d.services.values())),
        sorted(map(repr, d.borders.values())), list(map(repr, d.transfers)), list(map(repr, d.dwells)),
        d.as_of, d.scenarios,
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


@pytest.fixture(scope="module")
def base(net: cp.Network) -> cp.Network:
    """The shipped network (the session's, loaded once); scenarios never change it."""
    return net


def test_every_shipped_scenario_loads_documents_itself_and_leaves_the_base_alone(base: cp.Network) -> None:
    names = cp.list_scenarios()
    assert {"cku_railway_open", "red_sea_closed", "avoid_russia", "caspian_congestion", "middle_corridor_2030"} <= set(
        names
    )
    before = fingerprint(base)
    route_before = base.plan("Beijing", "Baku", as_of=2025, **CASPIAN_TRAIN)
    for name in names:
        scenario = cp.load_scenario(name)
        assert scenario.name == name and scenario.title and scenario.description and scenario.sources
        assert scenario.assumptions, f"{name} must state its assumptions"
        changed = base.apply(name)
        assert changed.scenarios == (name,)
        assert fingerprint(changed) != before
    assert fingerprint(base) == before
    assert base.plan("Beijing", "Baku", as_of=2025, **CASPIAN_TRAIN) == route_before


def test_scenarios_compose_in_order(base: cp.Network) -> None:
    both = base.apply("avoid_russia", "caspian_congestion")
    assert both.scenarios == ("avoid_russia", "caspian_congestion")
    assert fingerprint(both) == fingerprint(base.apply("avoid_russia").apply("caspian_congestion"))
    set_speed = {"set": "speed", "value": 40.0, "links": ["aktau_alat_sea"]}
    scale_speed = {"scale": "speed", "factor": 2.0, "links": ["aktau_alat_sea"]}
    set_then_scale = cp.Scenario.from_dict({"scenario": {"name": "a"}, "change": [set_speed, scale_speed]})
    scale_then_set = cp.Scenario.from_dict({"scenario": {"name": "b"}, "change": [scale_speed, set_speed]})
    assert base.apply(set_then_scale).link("aktau_alat_sea").speed_kmh == pytest.approx(80.0)
    assert base.apply(scale_then_set).link("aktau_alat_sea").speed_kmh == pytest.approx(40.0)


def test_cku_railway_open_shortens_kashgar_to_the_fergana_valley(base: cp.Network) -> None:
    opened = base.apply("cku_railway_open")
    for destination in ("Andijan", "Tashkent"):
        today = base.plan("Kashgar", destination, as_of=2025, **TRAIN)
        cku = opened.plan("Kashgar", destination, as_of=2025, **TRAIN)
        assert "cku_railway" in cku.corridors and "KZ" in today.countries and "KZ" not in cku.countries
        assert cku.distance_km < today.distance_km - 2000
        assert cku.transit_days < today.transit_days - 1.0
    # the same line opens by itself in 2030, the year in the data
    assert base.plan("Kashgar", "Andijan", as_of=2030, **TRAIN) == opened.plan(
        "Kashgar", "Andijan", as_of=2030, **TRAIN
    )


def test_red_sea_closed_sends_shipping_round_the_cape(base: cp.Network) -> None:
    closed = base.apply("red_sea_closed")
    suez = base.plan("Shanghai", "Rotterdam", as_of=2025, **SEA_ONLY)
    cape = closed.plan("Shanghai", "Rotterdam", as_of=2025, **SEA_ONLY)
    assert "suez" in suez.chokepoints and "cape_of_good_hope" in cape.chokepoints and "suez" not in cape.chokepoints
    extra_nm = (cape.distance_km - suez.distance_km) / NM
    assert 2500 <= extra_nm <= 4000, extra_nm  # published: about 3,200 nm (10,600 -> 13,800 nm, S-RODRIGUE)
    assert 7 <= cape.transit_days - suez.transit_days <= 14  # published: at least 7 days, 10-14 common
    # Beijing -> Baku: the old sea route gets longer, the rail-sea-rail train does not change
    sea = {
        "via": [("Tianjin", "sea"), ("Poti", "sea")],
        "avoid_countries": ["KZ", "KG", "RU", "MN", "PK"],
        "as_of": 2025,
    }
    assert closed.plan("Beijing", "Baku", **sea).transit_days > base.plan("Beijing", "Baku", **sea).transit_days + 5
    assert closed.plan("Beijing", "Baku", as_of=2025, **CASPIAN_TRAIN) == base.plan(
        "Beijing", "Baku", as_of=2025, **CASPIAN_TRAIN
    )


def test_avoid_russia_moves_china_europe_freight_to_the_middle_corridor(base: cp.Network) -> None:
    northern = base.plan("Beijing", "Duisburg", as_of=2025)
    assert "RU" in northern.countries and "northern_route" in northern.corridors
    south = base.apply("avoid_russia").plan("Beijing", "Duisburg", as_of=2025)
    assert "RU" not in south.countries and "BY" not in south.countries
    # since the network has the Iran - Turkey railway over Lake Van, the fastest box may take the southern route
    # (Kazakhstan - Turkmenistan - Iran - Turkey) instead of the Caspian ferries; keeping out of Iran as well, it
    # takes the Middle Corridor
    assert ("caspian" in south.chokepoints and "titr" in south.corridors) or {"IR", "TR"} <= set(south.countries)
    middle = base.apply("avoid_russia").plan("Beijing", "Duisburg", as_of=2025, avoid_countries=["IR"])
    assert "caspian" in middle.chokepoints and "titr" in middle.corridors
    assert min(south.transit_days, middle.transit_days) > northern.transit_days + 3


def test_caspian_congestion_slows_the_middle_corridor_until_the_sea_wins(base: cp.Network) -> None:
    train = base.plan("Beijing", "Baku", as_of=2025, **CASPIAN_TRAIN)
    congested = base.apply("caspian_congestion").plan("Beijing", "Baku", as_of=2025, **CASPIAN_TRAIN)
    assert congested.link_ids == train.link_ids
    assert congested.transit_days > train.transit_days + 3  # 72 h more in each port and a longer wait for a ferry

    def extra_dwell(days: float) -> dict[str, Any]:
        change = {"add": "dwell_time", "hours": 24 * days, "hubs": ["aktau", "kuryk", "alat"], "events": ["port_dwell"]}
        return {"scenario": {"name": f"+{days:g} d"}, "change": [change]}

    table = cp.sweep(
        base.apply("avoid_russia"),
        extra_dwell,
        range(0, 16),
        [("Beijing", "Duisburg")],
        as_of=2025,
        avoid_countries=["IR"],  # the southern route through Iran and Lake Van competes from the start
        progress=False,
    )
    via_caspian = ["caspian" in c for c in table["chokepoints"]]
    assert via_caspian[0] and not via_caspian[-1]
    flip = via_caspian.index(False)
    assert all(via_caspian[:flip]) and not any(via_caspian[flip:])  # one break-even, no flip-flop
    # past the break-even the box keeps off the Caspian ferries (with Iran avoided here, by sea through Suez)
    assert "caspian" not in table["chokepoints"].iloc[-1]
    assert 3 <= flip <= 14


def test_middle_corridor_2030_cuts_the_corridor_time(base: cp.Network) -> None:
    today = base.plan("Khorgos", "Poti", as_of=2025, **CASPIAN_TRAIN)
    target = base.apply("middle_corridor_2030").plan("Khorgos", "Poti", as_of=2025, **CASPIAN_TRAIN)
    assert "caspian" in today.chokepoints and "caspian" in target.chokepoints
    assert target.transit_days < 0.8 * today.transit_days


def test_scenario_changes_act_only_where_they_are_aimed(base: cp.Network) -> None:
    slow_aktau = cp.Scenario.from_dict(
        {
            "scenario": {"name": "slow_aktau"},
            "change": [{"scale": "dwell_time", "factor": 3, "hubs": ["aktau"], "events": ["port_dwell"]}],
        }
    )
    net = base.apply(slow_aktau)
    aktau = {r.at: r for r in net.dwells if r.event == "port_dwell"}["aktau"]
    assert aktau.time_h.typ == pytest.approx(36.0)
    assert {r.at: r for r in net.dwells if r.event == "port_dwell"}["alat"].time_h.typ == pytest.approx(12.0)
    before = (
        base.plan("Beijing", "Baku", via=[("Aktau", "sea")], as_of=2025, **TRAIN)
        .breakdown()
        .loc["port_dwell", "time_h"]
    )
    after = (
        net.plan("Beijing", "Baku", via=[("Aktau", "sea")], as_of=2025, **TRAIN).breakdown().loc["port_dwell", "time_h"]
    )
    assert after == pytest.approx(before + 24.0)
    assert (
        "kuryk" in net.plan("Beijing", "Baku", as_of=2025, **CASPIAN_TRAIN).hubs
    )  # the fastest train now avoids Aktau
    # a year set by a scenario is the default of plan()
    y2030 = base.apply({"scenario": {"name": "y2030"}, "change": [{"as_of": 2030}]})
    assert y2030.as_of == 2030
    assert "cku_railway" in y2030.plan("Kashgar", "Andijan", **TRAIN).corridors


def test_a_scenario_can_add_validated_hubs_and_links(base: cp.Network) -> None:
    spec = {
        "scenario": {"name": "bautino"},
        "change": [
            {"add": "hubs", "records": [{"id": "bautino", "name": "Bautino", "country": "KZ", "kind": "port", "lon": 50.25, "lat": 44.54}]},
            {"add": "links", "records": [{"id": "aktau_bautino_road", "from": "aktau", "to": "bautino", "mode": "road", "border_crossing": "tm_test"}]},
        ],
    }  # fmt: skip
    with pytest.raises(cp.ScenarioError) as err:
        base.apply(spec)
    assert "change[1].records" in str(err.value) and "tm_test" in str(err.value)
    spec["change"][1]["records"][0]["mode"] = "sea"  # type: ignore[index]
    del spec["change"][1]["records"][0]["border_crossing"]  # type: ignore[index]
    spec["change"][1]["records"][0]["service"] = "caspian_aktau_alat"  # type: ignore[index]
    net = base.apply(spec)
    assert net.link("aktau_bautino_road").approximate
    assert net.plan("Baku", "Bautino", as_of=2025).hubs[-1] == "bautino"
    assert "bautino" not in base.hub_ids


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"close": "hubs", "ids": ["aktua"]}, "change[0].ids", ["'aktua'", "aktau"]),
        ({"close": "chokepoints", "ids": ["suze"]}, "change[0].ids", ["suez"]),
        ({"close": "corridors", "ids": ["midle"]}, "change[0].ids", ["corridor"]),
        ({"close": "countries", "ids": ["XX"]}, "change[0].ids", ["country"]),
        ({"close": "link", "ids": ["a"]}, "change[0].close", ["links"]),
        ({"scale": "cost", "factor": -1}, "change[0].factor", ["positive", "0.001", "1,000"]),
        ({"scale": "frequency", "factor": 0, "services": ["caspian_aktau_alat"]}, "change[0].factor", ["positive"]),
        ({"scale": "sped", "factor": 2}, "change[0].scale", ["speed"]),
        ({"scale": "speed", "factor": 2, "mode": ["rail"]}, "change[0].mode", ["modes"]),
        ({"scale": "frequency", "factor": 2, "services": ["caspian"]}, "change[0].services", ["caspian_aktau_alat"]),
        ({"add": "speed", "hours": 2}, "change[0].add", ["scale or set"]),
        ({"close": "hubs", "open": "hubs", "ids": ["aktau"]}, "change[0]", ["exactly one action"]),
    ],
)
def test_bad_scenarios_name_the_file_the_key_and_close_matches(
    base: cp.Network, tmp_path: Path, change: dict[str, Any], key: str, words: list[str]
) -> None:
    lines = ["[scenario]", 'name = "bad"', "", "[[change]]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in change.items()]
    path = tmp_path / "bad.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(cp.ScenarioError) as err:
        base.apply(path)
    message = str(err.value)
    assert str(path) in message and key in message
    for word in words:
        assert word in message
    assert isinstance(err.value, cp.CorridorPlannerError) and err.value.key.startswith(key)


def test_unreadable_or_unknown_scenarios(base: cp.Network, tmp_path: Path) -> None:
    with pytest.raises(cp.ScenarioError, match="did you mean 'red_sea_closed'"):
        base.apply("red_sea_close")
    broken = tmp_path / "broken.toml"
    broken.write_text("[scenario\nname = 1", encoding="utf-8")
    with pytest.raises(cp.ScenarioError, match="not valid TOML"):
        base.apply(broken)
    with pytest.raises(cp.ScenarioError, match="cannot read"):
        base.apply(tmp_path / "missing.toml")
    with pytest.raises(cp.ScenarioError, match=r"scenario\.sources\[0\].*not in sources\.csv"):
        base.apply({"scenario": {"name": "x", "sources": ["S-NOPE"]}, "change": []})
    with pytest.raises(cp.ScenarioError, match=r"unknown top-level key 'changes'.*'change'"):
        base.apply({"scenario": {"name": "x"}, "changes": []})


def test_no_route_under_a_scenario_names_the_closed_links_and_the_scenario(base: cp.Network) -> None:
    with pytest.raises(cp.NoRouteError, match=r"closed links \(scenarios applied: avoid_russia\): \w+_rail"):
        base.apply("avoid_russia").plan("Beijing", "Minsk", as_of=2025)
