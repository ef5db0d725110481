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


def _link_properties() -> dict[str, dict[str, object]]:
    return {f["properties"]["id"]: f["properties"] for f in _features("links.geojson")}  # type: ignore[index,misc]


CIRCUITY: dict[str, float] = {
    lid: float(p["circuity"])  # type: ignore[arg-type]
    for lid, p in _link_properties().items()
    if p.get("circuity") is not None
}


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def test_circuity_fit_matches_a_refit_on_the_published_lengths(net: cp.Network) -> None:
    """Issue 11: data/circuity_fit.csv is the median published/drawn ratio per (mode, terrain), refitted here.

    Only links with a published length (drawn 50 km or more) enter the fit, never end-to-end trips.
    """
    props = _link_properties()
    groups: dict[tuple[str, str], list[float]] = {}
    for link_id in net.link_ids:
        link = net.link(link_id)
        terrain = props[link_id].get("terrain")
        if link.official_distance_km is None or terrain is None:
            continue
        drawn = round(geodesic_length_km(link.geometry), 1)
        if drawn >= 50.0:
            groups.setdefault((link.mode.value, str(terrain)), []).append(link.official_distance_km / drawn)
    rows = {(r["mode"], r["terrain"]): r for r in _csv("circuity_fit.csv")}
    assert set(groups) <= set(rows)
    for key, row in rows.items():
        ratios = groups.get(key, [])
        assert int(row["n"]) == len(ratios), key
        if ratios:
            assert float(row["factor"]) == pytest.approx(_median(ratios), abs=0.001), key
            assert row["source"], key
            assert all(s in net.sources for s in row["source"].split(";")), key
        assert (row["applied"] == "true") == (len(ratios) >= 3), key
    assert int(rows[("rail", "plains")]["n"]) >= 10  # the fit has support where it is applied most


def test_circuity_factors_are_applied_as_fitted_and_sane() -> None:
    fit = {(r["mode"], r["terrain"]): r for r in _csv("circuity_fit.csv")}
    applied = {k: float(r["factor"]) for k, r in fit.items() if r["applied"] == "true"}
    assert applied, "no circuity factor has the support to be applied"
    for key, factor in applied.items():
        assert 1.0 <= factor <= 1.7, key
    for link_id, p in _link_properties().items():
        if p["mode"] not in ("rail", "road", "pipeline"):
            assert p.get("terrain") is None and p.get("circuity") is None, link_id
            continue
        assert p["terrain"] in ("plains", "mountains", "china_network"), link_id
        if p["official_distance_km"] is not None:
            assert p.get("circuity") is None, link_id  # the published length is used as it is
        else:
            assert p["circuity"] == applied.get((p["mode"], p["terrain"]), 1.0), link_id  # type: ignore[index]


def test_circuity_residuals_are_per_link_and_sourced(net: cp.Network) -> None:
    rows = _csv("circuity_fit_links.csv")
    published = {lid for lid in net.link_ids if net.link(lid).official_distance_km is not None}
    assert {r["link_id"] for r in rows} == published
    for r in rows:
        assert float(r["published_km"]) == net.link(r["link_id"]).official_distance_km, r["link_id"]
        assert all(s in net.sources for s in r["source"].split(";")), r["link_id"]
        if r["in_fit"] == "true":
            ratio, factor = float(r["ratio"]), float(r["factor"])
            assert float(r["residual"]) == pytest.approx(ratio / factor - 1, abs=1e-3), r["link_id"]


def test_terrain_rows_name_a_link_and_their_sources() -> None:
    props = _link_properties()
    sources = {r["id"] for r in _csv("sources.csv")}
    rows = _csv("src/terrain.csv")
    assert len(rows) >= 20
    for r in rows:
        assert props[r["link_id"]]["terrain"] == r["terrain"], r["link_id"]
        assert r["note"], r["link_id"]  # the pass or range it crosses
        assert set(r["source"].split(";")) <= sources, r["link_id"]


def test_geometry_starts_and_ends_at_its_hubs_and_distance_is_geodesic(net: cp.Network) -> None:
    for link_id in net.link_ids:
        link = net.link(link_id)
        a, b = net.hub(link.from_hub), net.hub(link.to_hub)
        assert link.geometry.coords[0] == pytest.approx((a.lon, a.lat), abs=1e-6), link_id
        assert link.geometry.coords[-1] == pytest.approx((b.lon, b.lat), abs=1e-6), link_id
        if link.official_distance_km is None:
            factor = CIRCUITY.get(link_id) or 1.0  # land links: drawn x the fitted circuity of their terrain
            assert link.distance_km == pytest.approx(factor * geodesic_length_km(link.geometry), abs=0.11), link_id


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


def _builder() -> object:
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_dataset.py"
    spec = importlib.util.spec_from_file_location("build_dataset", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def _feature(lid: str, mode: str, terrain: str, km: float, published: float | None) -> dict[str, object]:
    # a north-south line: 1 degree of latitude is about 111 km
    props = {"id": lid, "mode": mode, "terrain": terrain, "official_distance_km": published, "circuity": None}
    props["distance_source"] = "S-TEST" if published else None
    props["distance_km"] = published
    return {"properties": props, "geometry": {"coordinates": [[60.0, 40.0], [60.0, 40.0 + km / 111.0]]}}


def test_the_builder_applies_a_factor_only_with_three_published_lengths() -> None:
    builder = _builder()
    feats = [
        _feature("a", "rail", "plains", 200, 220),
        _feature("b", "rail", "plains", 200, 240),
        _feature("c", "rail", "plains", 200, 260),
        _feature("d", "rail", "plains", 200, None),
        _feature("m1", "road", "mountains", 200, 300),
        _feature("m2", "road", "mountains", 200, 320),
        _feature("e", "road", "mountains", 200, None),
        _feature("short", "rail", "plains", 20, 60),  # under 50 km: left out of the fit
    ]
    fit, links = builder.fit_circuity(feats)  # type: ignore[attr-defined]
    by_group = {(r["mode"], r["terrain"]): r for r in fit}
    assert by_group[("rail", "plains")]["n"] == 3 and by_group[("rail", "plains")]["applied"]
    assert not by_group[("road", "mountains")]["applied"]  # two lengths are not enough
    props = {f["properties"]["id"]: f["properties"] for f in feats}  # type: ignore[index]
    factor = by_group[("rail", "plains")]["factor"]
    assert props["d"]["circuity"] == factor and factor == pytest.approx(1.2, abs=0.01)
    assert props["d"]["distance_km"] == pytest.approx(factor * builder.drawn_km(feats[3]), abs=0.1)  # type: ignore[attr-defined]
    assert props["e"]["circuity"] == 1.0
    assert {r["link_id"]: r["in_fit"] for r in links}["short"] is False


def test_the_builder_refuses_a_bad_terrain_row(tmp_path: Path) -> None:
    builder = _builder()
    path = tmp_path / "terrain.csv"
    path.write_text(
        "link_id,terrain,source,note\n"
        "nowhere_rail,mountains,A-C-TERRAIN,x\n"
        "a_rail,hills,A-C-TERRAIN,x\n"
        "b_sea,mountains,A-C-TERRAIN,x\n"
        "a_rail,mountains,,x\n",
        encoding="utf-8",
    )
    parsed = [("f", {"id": "a_rail", "mode": "rail"}), ("f", {"id": "b_sea", "mode": "sea"})]
    problems = builder.Problems()  # type: ignore[attr-defined]
    assert builder.load_terrain(path, parsed, problems) == {}  # type: ignore[attr-defined]
    text = "\n".join(problems.messages)
    assert "'nowhere_rail', field 'link_id': no such link" in text
    assert "unknown terrain 'hills'" in text
    assert "a sea link has no terrain" in text
    assert "needs its source ids" in text
