"""ISO 14083 / GLEC emissions and the units figures are reported in (corridor_planner.routing.emissions)."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pytest
from tinynet import build, hub, link

import corridor_planner as cp
from corridor_planner.cli import main
from corridor_planner.cli.format import format_route
from corridor_planner.model import default_data_dir
from corridor_planner.routing.emissions import EMISSION_TABLES, EmissionModel, load_emission_model

YEAR = 2025


@pytest.fixture(scope="module")
def net() -> cp.Network:
    return cp.load_network()


@pytest.fixture(scope="module")
def train(net: cp.Network) -> cp.Route:
    """The cross-Caspian rail-sea-rail train (the headline)."""
    return net.plan("Beijing", "Baku", only_modes=["rail", "sea"], require_chokepoints=["caspian"], as_of=YEAR)


@pytest.fixture(scope="module")
def sea(net: cp.Network) -> cp.Route:
    return net.plan(
        "Beijing", "Baku", via=[("Tianjin", "sea"), ("Poti", "sea")], avoid_countries=["KZ", "KG"], as_of=YEAR
    )


def tables(folder: Path, factors: list[dict[str, object]] | None = None, **replace: list[dict[str, object]]) -> Path:
    """Emission tables in ``folder``: the shipped ones, with ``emission_factors.csv`` (or others) replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in EMISSION_TABLES:
        shutil.copy(default_data_dir() / name, folder / name)
    rows = {"emission_factors.csv": factors, **{f"{k}.csv": v for k, v in replace.items()}}
    for name, records in rows.items():
        if records is None:
            continue
        with (folder / name).open("w", newline="", encoding="utf-8") as fh:
            header = list(csv.DictReader((default_data_dir() / name).open(encoding="utf-8")).fieldnames or [])
            writer = csv.DictWriter(fh, header)
            writer.writeheader()
            writer.writerows(records)
    return folder


def default_rows(**sea: object) -> list[dict[str, object]]:
    """One default factor per mode (diesel, 10 g/tkm), the sea row overridden by ``sea``."""
    rows: list[dict[str, object]] = [
        {"id": f"{m}_default", "mode": m, "carrier": "diesel", "ttw_g_per_tkm": 10, "basis": "average", "source": "X"}
        for m in ("rail", "road", "air", "pipeline")
    ]
    return [*rows, {"id": "sea_default", "mode": "sea", "basis": "average", "source": "X", **sea}]


# ------------------------------------------------------------------ the worked example
def test_glec_worked_example_shanghai_rotterdam(tmp_path: Path) -> None:
    """GLEC v3.2 default for a container ship, worked by hand (source S-ECOFREIGHT-GLEC-EXAMPLE):

    "A 40-foot container loaded with 20 tonnes of cargo sails from Shanghai to Rotterdam ...
    about 19,600 km ... WTW emission factor ... 8.15 g CO2e per tonne-km ...
    19,600 x 20 x 8.15 = 3,194,800 grams CO2e, or about 3,195 kg CO2e".

    Here: one sea link of 19,600 km, a factor whose WTW is 8.15 g/tkm (GLEC publishes the WTW;
    its TTW/WTT split follows the HFO carrier), reported per FEU = 2 TEU x 10 t = 20 t.
    """
    hfo = load_emission_model().carriers["hfo"]
    ttw = 8.15 * hfo.ttw / hfo.wtw  # type: ignore[operator]
    folder = tables(tmp_path / "glec", default_rows(carrier="hfo", ttw_g_per_tkm=repr(ttw)))
    tiny = build([hub("shanghai", "CN", "port"), hub("rotterdam", "NL", "port", lon=4.0)],
                 [link("shanghai_rotterdam", "shanghai", "rotterdam", "sea", km=19_600)])  # fmt: skip
    route = tiny.with_emissions(folder).plan("shanghai", "rotterdam", unit="feu")
    assert route.per_unit() * cp.TONNES_PER_TEU == pytest.approx(20.0)  # the example's 20 t
    published = 3_195.0  # kg CO2e, the example's result
    assert route.co2e() == pytest.approx(published, rel=0.01)
    assert route.co2e() == pytest.approx(19_600 * 20 * 8.15 / 1000, rel=1e-9)
    frame = route.emissions()
    assert frame["wtw_kg_per_feu"].sum() == pytest.approx(route.co2e())
    assert (frame["ttw_kg_per_feu"] + frame["wtt_kg_per_feu"]).sum() == pytest.approx(route.co2e())


# ------------------------------------------------------------------ the shipped tables
def test_shipped_tables_load_and_every_source_resolves() -> None:
    model = EmissionModel.from_folder()  # checks every source id against data/sources.csv
    known = {row["id"] for row in csv.DictReader((default_data_dir() / "sources.csv").open(encoding="utf-8"))}
    assert model.dangling_sources(known) == []
    for factor in model.factors:
        ttw, wtt = model.intensity(factor)
        assert math.isfinite(ttw) and math.isfinite(wtt) and 0 <= ttw < 1000 and 0 < ttw + wtt < 1000, factor.id
    for carrier in model.carriers.values():
        assert 0 <= carrier.wtt_per_ttw < 1, carrier.id


def test_every_sea_service_has_its_own_emission_factor_matching_services_csv() -> None:
    """A service without a row fell back to the 11,000-TEU ship factor (12.5 g/tkm) in the ISO 14083 figures while
    ``co2_kg`` used the service's own (31.3 for the Caspian Ro-Pax): the two must tell the same story."""
    rows = list(csv.DictReader((default_data_dir() / "services.csv").open(encoding="utf-8")))
    factors = {
        row["service"]: row
        for row in csv.DictReader((default_data_dir() / "emission_factors.csv").open(encoding="utf-8"))
    }
    for service in rows:
        assert service["id"] in factors, service["id"]
        assert float(factors[service["id"]]["ttw_g_per_tkm"]) == pytest.approx(float(service["co2_g_per_tkm"])), (
            service["id"]
        )


def test_beijing_baku_breakdown_adds_up(train: cp.Route, sea: cp.Route) -> None:
    for route in (train, sea):
        frame = route.emissions("teu")
        assert frame["wtw_kg_per_teu"].sum() == pytest.approx(route.co2e_kg)
        assert route.ttw_kg + route.wtt_kg == pytest.approx(route.co2e_kg)
        assert route.co2e("tonne") == pytest.approx(route.co2e_kg / cp.TONNES_PER_TEU)
        assert route.co2e("feu") == pytest.approx(2 * route.co2e_kg)
        assert route.cost("feu") == pytest.approx(2 * route.cost_usd)
        assert set(frame["kind"]) == {"leg", "hub"}
        assert frame["sources"].str.len().min() > 0
        assert len(frame[frame["kind"] == "leg"]) == len(route.legs)
        assert 0 < route.co2e_kg < 10_000


def test_hub_activities_are_counted_where_the_box_changes_vehicle(train: cp.Route) -> None:
    frame = train.emissions()
    hubs = frame[frame["kind"] == "hub"]
    changes = [s for s in train.stops if s.component in ("transfer", "transshipment", "gauge_change")]
    assert sorted(hubs["where"]) == sorted(s.hub for s in changes)
    assert "dostyk" in set(hubs["where"])  # the gauge change


def test_electric_traction_uses_the_grid_factor(net: cp.Network, train: cp.Route) -> None:
    model = net.emissions
    item = next(i for leg in train.legs for i in leg.emissions if i.where == "lanzhou_urumqi_rail")
    factor = next(f for f in model.factors if f.id == item.factor)
    grid = model.carriers[factor.carrier].kg_per_kwh
    assert factor.country == "CN" and grid is not None and factor.kwh_per_tkm is not None
    assert item.ttw_kg == 0.0
    assert item.wtt_kg == pytest.approx(item.activity * factor.kwh_per_tkm * grid)
    diesel = next(i for leg in train.legs for i in leg.emissions if i.where == "moyinty_beyneu_rail")
    assert diesel.factor == "rail_diesel" and diesel.ttw_kg > 0


def test_optimize_co2e_finds_the_lowest_wtw_route(net: cp.Network, train: cp.Route) -> None:
    best = net.plan("Beijing", "Baku", optimize="co2e", as_of=YEAR)
    fastest = net.plan("Beijing", "Baku", as_of=YEAR)
    assert best.co2e_kg <= min(train.co2e_kg, fastest.co2e_kg) + 1e-9
    assert best.optimize == "co2e"
    weighted = net.plan("Beijing", "Baku", optimize={"co2e": 1.0, "time": 10.0}, as_of=YEAR)
    assert weighted.co2e_kg >= best.co2e_kg - 1e-9


def test_laden_factors_apply_load_factor_and_empty_running(tmp_path: Path) -> None:
    rows = default_rows(carrier="hfo", ttw_g_per_tkm=10)
    rows[0] = {**rows[0], "basis": "laden", "load_factor": 0.5, "empty_running": 0.2}  # rail
    model = EmissionModel.from_folder(tables(tmp_path / "laden", rows))
    ttw, wtt = model.intensity(next(f for f in model.factors if f.mode == "rail"))
    assert ttw == pytest.approx(10 * 1.2 / 0.5)
    assert wtt == pytest.approx(ttw * model.carriers["diesel"].wtt_per_ttw)


# ------------------------------------------------------------------ bad tables, bad units
def test_a_bad_factor_table_names_file_record_and_field(tmp_path: Path) -> None:
    rows = default_rows(carrier="kerosene_x", ttw_g_per_tkm=-3)
    rows = [r for r in rows if r["mode"] != "air"]
    with pytest.raises(cp.NetworkValidationError) as info:
        EmissionModel.from_folder(tables(tmp_path / "bad", rows))
    found = {(p.file, p.record, p.field) for p in info.value.problems}
    assert ("emission_factors.csv", "sea_default", "carrier") in found
    assert ("emission_factors.csv", "sea_default", "ttw_g_per_tkm") in found
    assert any(p.field == "mode" and "'air'" in p.reason for p in info.value.problems)
    assert isinstance(info.value, cp.CorridorPlannerError)


def test_dangling_sources_are_problems(tmp_path: Path) -> None:
    folder = tables(tmp_path / "src", default_rows(carrier="hfo", ttw_g_per_tkm=10))
    (folder / "sources.csv").write_text("id,kind,title,address,published,quote,note\nX,assumption,x,,,,\n")
    with pytest.raises(cp.NetworkValidationError, match=r"units.csv: feu: source: 'A-U-FEU' is not an id"):
        EmissionModel.from_folder(folder)


def test_units(net: cp.Network, train: cp.Route) -> None:
    with pytest.raises(cp.InvalidQueryError, match=r"unit='pallet' is not a unit, must be one of teu, feu"):
        net.plan("Beijing", "Baku", unit="pallet")
    with pytest.raises(
        cp.InvalidQueryError, match=r"does not fit cargo='liquid_bulk': it is reported per tonne, barrel"
    ):
        net.plan("Atyrau", "Alashankou", cargo="liquid_bulk", unit="teu")
    oil = net.plan("Atyrau", "Alashankou", cargo="liquid_bulk", optimize="cost")  # by the pipeline
    assert oil.unit == "tonne" and "/tonne" in oil.summary() and "TEU" not in oil.summary()
    assert oil.cost("barrel") == pytest.approx(oil.cost("tonne") * 0.1364)
    assert oil.emissions()["ttw_kg_per_tonne"].sum() == 0.0  # pumps: all well-to-tank
    with pytest.raises(cp.InvalidQueryError, match="must be one of tonne, barrel"):
        oil.cost("teu")
    wagons = net.plan(
        "Beijing", "Baku", only_modes=["rail", "sea"], require_chokepoints=["caspian"], as_of=YEAR, unit="wagon"
    )
    assert wagons == train and wagons.co2e() == pytest.approx(2 * train.co2e_kg)
    assert "wtw_kg_per_wagon" in wagons.emissions().columns and "/wagon" in wagons.summary()


def test_compare_reports_the_unit(net: cp.Network) -> None:
    table = cp.compare(net, [], [("Beijing", "Baku")], unit="truck", avoid_modes=["road"], as_of=YEAR, progress=False)
    row = table.iloc[0]
    assert row["unit"] == "truck"
    assert row["co2e_kg_per_unit"] == pytest.approx(2 * row["co2e_t"] * 1000)


# ------------------------------------------------------------------ command line and tables
def test_cli_unit_and_full_hub_names(capsys: pytest.CaptureFixture[str], train: cp.Route) -> None:
    args = ["--only-mode", "rail,sea", "--require-chokepoint", "caspian", "--as-of", str(YEAR), "--unit", "feu"]
    assert main(["route", "Beijing", "Baku", *args]) == 0
    out = capsys.readouterr().out
    assert f"per FEU: USD {train.cost('feu'):,.0f}" in out and "kg CO2e well-to-wheel" in out
    assert "Alat (Baku International Sea Trade Port)" in format_route(train)
    assert main(["route", "Beijing", "Baku", "--unit", "pallet"]) == 2
    assert "unit='pallet' is not a unit" in capsys.readouterr().err


def test_cli_empty_hub_list_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hubs", "--kind", "airport"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "no hub matches --kind airport" in err and "city" in err
    assert main(["hubs", "--kind", "airport", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "[]" and "no hub matches" in err
