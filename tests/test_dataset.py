"""Integrity of the shipped dataset: ids, references, geometry, distances, sources, required content."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import corridor_planner as cp
from corridor_planner.model import default_data_dir
from corridor_planner.model.geo import geodesic_length_km

DATA = default_data_dir()

REQUIRED_HUBS = [
    "beijing",
    "tianjin",
    "qingdao",
    "lianyungang",
    "shanghai",
    "xian",
    "chongqing",
    "zhengzhou",
    "langfang",
    "urumqi",
    "kashgar",
    "khorgos",
    "altynkol",
    "alashankou",
    "dostyk",
    "torugart",
    "irkeshtam",
    "almaty",
    "astana",
    "shymkent",
    "zhetygen",
    "moyinty",
    "beyneu",
    "aktau",
    "kuryk",
    "tashkent",
    "andijan",
    "jalal_abad",
    "osh",
    "bishkek",
    "baku",
    "alat",
    "tbilisi",
    "akhalkalaki",
    "kars",
    "poti",
    "batumi",
    "istanbul",
    "ambarli",
    "constanta",
    "piraeus",
    "budapest",
    "malaszewicze",
    "brest",
    "warsaw",
    "duisburg",
    "rotterdam",
    "hamburg",
    "moscow",
    "busan",
    "osaka",
    "singapore",
    "port_said",
    "cape_of_good_hope",
]


def _features(name: str) -> list[dict[str, object]]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))["features"]  # type: ignore[no-any-return]


def test_shipped_dataset_loads_without_problems(net: cp.Network) -> None:
    assert len(net.hub_ids) >= len(REQUIRED_HUBS)
    assert {"rail", "road", "sea", "air", "pipeline"} <= {net.link(i).mode.value for i in net.link_ids}


def test_ids_are_unique_in_the_files() -> None:
    for name in ("hubs.geojson", "links.geojson"):
        ids = [f["properties"]["id"] for f in _features(name)]  # type: ignore[index]
        assert len(ids) == len(set(ids)), name


def test_required_hubs_exist(net: cp.Network) -> None:
    assert not set(REQUIRED_HUBS) - set(net.hub_ids)


def test_geometry_starts_and_ends_at_its_hubs_and_distance_is_geodesic(net: cp.Network) -> None:
    for link_id in net.link_ids:
        link = net.link(link_id)
        a, b = net.hub(link.from_hub), net.hub(link.to_hub)
        assert link.geometry.coords[0] == pytest.approx((a.lon, a.lat), abs=1e-6), link_id
        assert link.geometry.coords[-1] == pytest.approx((b.lon, b.lat), abs=1e-6), link_id
        if link.official_distance_km is None:
            assert link.distance_km == pytest.approx(geodesic_length_km(link.geometry), abs=0.11), link_id


def test_a_published_length_is_the_links_distance_and_lies_between_90_and_200_percent_of_the_line(
    net: cp.Network,
) -> None:
    checked = 0
    for link_id in net.link_ids:
        link = net.link(link_id)
        if link.official_distance_km is not None:
            assert link.distance_km == link.official_distance_km, link_id
            assert 0.9 <= link.official_distance_km / geodesic_length_km(link.geometry) <= 2.0, link_id
            assert link.distance_source, link_id
            checked += 1
    assert checked >= 20


def test_every_link_with_a_published_length_is_within_5_percent_of_it(net: cp.Network) -> None:
    """Issue 11: the published line lengths (data/src/published_lengths.csv, each with its source) reach the model."""
    with (Path(__file__).resolve().parents[1] / "data" / "src" / "published_lengths.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 20
    for row in rows:
        link = net.link(row["link_id"])
        assert link.distance_km == pytest.approx(float(row["published_km"]), rel=0.05), row["link_id"]
        assert all(s in net.sources for s in row["source"].split(";")), row["source"]


def test_no_dangling_source_and_every_row_is_sourced(net: cp.Network) -> None:
    # load_network() already refuses dangling ids; check the sources themselves are usable rows
    assert net.sources
    for source in net.sources.values():
        if source.kind == "published":
            assert source.title, source.id
        else:
            assert source.quote, f"{source.id}: an assumption or derivation must state its reasoning"
    cited = {s for link in net.dataset.links for s in (*link.source, *link.speed_source, *link.distance_source)}
    assert cited <= set(net.sources)


def test_every_rule_table_row_cites_a_source() -> None:
    for name in ("modes.csv", "services.csv", "borders.csv", "transfers.csv", "dwells.csv", "countries.csv"):
        with (DATA / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                cited = row.get("source") or ";".join(
                    row.get(k, "") for k in ("speed_source", "cost_source", "co2_source")
                )
                assert cited.strip(";"), f"{name}: {row}"


def test_every_gauge_break_has_a_gauge_change_facility(net: cp.Network) -> None:
    gauges: dict[str, set[int]] = {}
    for link_id in net.link_ids:
        link = net.link(link_id)
        if link.gauge_mm:
            for hub_id in (link.from_hub, link.to_hub):
                gauges.setdefault(hub_id, set()).add(link.gauge_mm)
    breaks = sorted(h for h, g in gauges.items() if {1435, 1520} <= g)
    assert {"altynkol", "dostyk", "malaszewicze", "akhalkalaki", "makmal"} <= set(breaks)
    for hub_id in breaks:
        assert net.router.costs.transfer(net.hub(hub_id), "rail1435", "rail1520") is not None, hub_id


def test_cku_railway_is_under_construction_opening_2030(net: cp.Network) -> None:
    cku = [net.link(i) for i in net.link_ids if "cku_railway" in net.link(i).corridors]
    new = [
        link for link in cku if link.status is not cp.Status.OPERATIONAL
    ]  # existing Uzbek/Kyrgyz lines it joins stay
    assert {link.from_hub for link in new} | {link.to_hub for link in new} >= {"kashgar", "torugart", "makmal"}
    for link in new:
        assert link.mode is cp.Mode.RAIL
        assert link.status is cp.Status.UNDER_CONSTRUCTION and link.opens == 2030
        assert not link.is_open(2025) and link.is_open(2030)


def test_pipelines_carry_only_liquids_and_gas(net: cp.Network) -> None:
    pipes = [net.link(i) for i in net.link_ids if net.link(i).mode is cp.Mode.PIPELINE]
    assert pipes
    for link in pipes:
        assert set(link.cargo) <= {"liquid_bulk", "gas"}


def test_container_routes_never_use_pipelines(net: cp.Network) -> None:
    # oil goes cheapest by the Kazakhstan-China pipeline (tank wagons, now that Atyrau has rail, are faster)
    oil = net.plan("Atyrau", "Alashankou", cargo="liquid_bulk", optimize="cost", as_of=2025)
    assert oil.modes == ("pipeline",)
    try:
        route = net.plan("Atyrau", "Alashankou", as_of=2025)
    except cp.NoRouteError as err:
        assert "cargo='container'" in str(err)
    else:
        assert "pipeline" not in route.modes


def test_corridors_of_the_brief_are_present(net: cp.Network) -> None:
    used = {c for i in net.link_ids for c in net.link(i).corridors}
    for corridor in ("titr", "northern_route", "cku_railway", "new_eurasian_land_bridge", "lianyungang_sea_rail",
                     "btk_railway", "maritime_suez", "maritime_cape", "tir_road"):  # fmt: skip
        assert corridor in used, corridor


def test_find_is_case_and_accent_insensitive(net: cp.Network) -> None:
    assert net.find("BAKU").id == "baku"
    assert net.find("Małaszewicze").id == net.find("malaszewicze").id == "malaszewicze"
    assert net.find("Constanța").id == "constanta"
    with pytest.raises(cp.UnknownLocationError) as err:
        net.find("Bakuu")
    assert "Baku" in err.value.suggestions


def test_geodataframes_of_the_physical_layer(net: cp.Network) -> None:
    hubs, links = net.hubs, net.links
    assert hubs.crs.to_epsg() == 4326 and links.crs.to_epsg() == 4326
    assert len(hubs) == len(net.hub_ids) and len(links) == len(net.link_ids)
    assert set(links.geom_type) == {"LineString"}


def test_data_dir_is_a_folder_of_the_documented_files() -> None:
    for name in ("hubs.geojson", "links.geojson", "modes.csv", "services.csv", "borders.csv", "transfers.csv",
                 "dwells.csv", "corridors.csv", "countries.csv", "sources.csv", "README.md"):  # fmt: skip
        assert (Path(DATA) / name).is_file(), name
