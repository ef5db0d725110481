"""Fuzzing (hypothesis): random datasets, records, scenario tables and query options.

The property, for every input: the library returns a result whose numbers
are all finite, or raises a ``CorridorPlannerError`` subclass that names the
offending record (file, record, field) or option, in bounded time. Nothing
else: no ``TypeError``, ``OverflowError``, ``RecursionError``, NaN or infinity.

``make test`` runs :data:`EXAMPLES` examples per property (300); for a long
local run, ``pytest tests/test_fuzz.py --hypothesis-profile=deep`` (profile
registered in ``conftest.py``) runs thousands.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import corridor_planner as cp

EXAMPLES = max(300, settings().max_examples)
"""Examples per property: 300, or the profile's number when larger (``--hypothesis-profile=deep``)."""
SECONDS = 10.0
"""The bound on one example (the shared CI machine is slow; a real example takes milliseconds)."""

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

HOSTILE_TEXT = [
    "{{7*7}}", "{% raw %}", "</script>", "`${x}`", "\x1b[2J\x07", "\x00", "\ufeffid", "a;b", "a|b", "x" * 300,
    "é", "", " ", "RU", "KZ", "rail", "sea", "a", "b", "c", "ab", "*", "kind:port", "kind:moon",
]  # fmt: skip
HOSTILE_NUMBERS = [
    math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-320, 10**400, 10**19, -1, 0, 0.5, 1, 24, 25, 1520, 2030,
    1e19, True, None, "nan", "1e400", "12", [], {}, [1.0, 2.0],
]  # fmt: skip

anything = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_NUMBERS),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.lists(st.sampled_from(HOSTILE_TEXT), max_size=3),
)
number = st.one_of(st.sampled_from(HOSTILE_NUMBERS), st.floats(-1e6, 1e6), st.floats(), st.integers(-5, 5000))

rarely = st.integers(0, 4).map(lambda n: n == 0)
"""True one time in five: most records stay valid, so the examples reach planning too."""
hours = st.floats(0, 100)
VALID_CELLS: dict[str, st.SearchStrategy[Any]] = {
    "mode": st.sampled_from(["rail", "road", "sea"]), "speed_kmh": st.floats(1, 100), "hours_per_day": st.floats(1, 24),
    "cost_usd_per_teu_km": st.floats(0, 5), "co2_g_per_tkm": st.floats(0, 500), "id": st.sampled_from(["s1", "x1"]),
    "name": st.just("N"), "frequency_per_week": st.floats(0.01, 20), "hubs": st.just("a|b"),
    "time_h_min": st.just(0), "time_h_typ": hours, "time_h_max": st.just(100), "cost_usd": st.floats(0, 1000),
    "at": st.sampled_from(["*", "a", "b", "kind:port"]), "from_layer": st.sampled_from(["rail", "road", "sea"]),
    "to_layer": st.sampled_from(["rail1520", "road", "sea"]), "two_way": st.booleans(),
    "event": st.sampled_from(["port_dwell", "port_call"]),
}  # fmt: skip
HUB_FIELDS = ["id", "name", "country", "kind", "lon", "lat", "aliases", "chokepoint", "note"]
LINK_FIELDS = ["id", "from", "to", "mode", "gauge_mm", "status", "opens", "cargo", "two_way", "speed_kmh",
               "distance_km", "official_distance_km", "cost_usd_per_teu_km", "co2_g_per_tkm", "geometry", "service",
               "border_crossing", "countries", "corridors"]  # fmt: skip
TABLE_FIELDS = {
    "modes": ["mode", "speed_kmh", "hours_per_day", "cost_usd_per_teu_km", "co2_g_per_tkm"],
    "services": ["id", "mode", "name", "frequency_per_week", "speed_kmh"],
    "borders": ["id", "name", "mode", "hubs", "time_h_min", "time_h_typ", "time_h_max", "cost_usd"],
    "transfers": ["at", "from_layer", "to_layer", "two_way", "time_h_min", "time_h_typ", "time_h_max", "cost_usd"],
    "dwells": ["at", "event", "time_h_min", "time_h_typ", "time_h_max", "cost_usd"],
}


def valid_hub(i: int) -> dict[str, Any]:
    return {"id": "abc"[i], "name": "ABC"[i], "country": "KZ", "kind": "port" if i == 2 else "city",
            "lon": 70.0 + i, "lat": 45.0}  # fmt: skip


VALID_LINKS = [
    {"id": "ab", "from": "a", "to": "b", "mode": "rail", "gauge_mm": 1520},
    {"id": "bc", "from": "b", "to": "c", "mode": "road"},
]


@st.composite
def mutated(draw: st.DrawFn, record: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``record`` with a few fields set to hostile values, or dropped."""
    out = dict(record)
    for name in draw(st.lists(st.sampled_from(fields), max_size=3, unique=True)):
        if draw(st.booleans()) and name in out:
            del out[name]
        else:
            out[name] = draw(number if draw(st.booleans()) else anything)
    return out


@st.composite
def datasets(draw: st.DrawFn) -> tuple[list[Any], list[Any], dict[str, list[Any]]]:
    hubs = [draw(mutated(valid_hub(i), HUB_FIELDS)) if draw(rarely) else valid_hub(i) for i in range(3)]
    links = [draw(mutated(link, LINK_FIELDS)) if draw(rarely) else dict(link) for link in VALID_LINKS]
    tables: dict[str, list[Any]] = {}
    for name in draw(st.lists(st.sampled_from(sorted(TABLE_FIELDS)), max_size=2, unique=True)):
        row = {f: draw(VALID_CELLS.get(f, anything) if not draw(rarely) else anything) for f in TABLE_FIELDS[name]}
        tables[name] = [row] * draw(st.integers(1, 2))  # two identical rows: a duplicate
    return hubs, links, tables


def check_error(err: cp.CorridorPlannerError) -> None:
    """The error names what is wrong: a located problem, a scenario key, or a message."""
    event(type(err).__name__)
    if isinstance(err, cp.NetworkValidationError):
        assert err.problems
        for p in err.problems:
            assert p.file and (p.record or p.field or p.reason), p
            assert "\n" not in p.reason
    elif isinstance(err, cp.ScenarioError):
        assert err.file and err.reason
    assert str(err)


def check_finite(route: cp.Route) -> None:
    event("route")
    for value in (route.transit_days, route.distance_km, route.cost_usd, route.co2_kg):
        assert math.isfinite(value), route
    for leg in route.legs:
        for value in (leg.time_h, leg.cost_usd, leg.distance_km, leg.co2_kg, leg.moving_h):
            assert math.isfinite(value), leg


def bounded(action: Callable[[], Any]) -> Any:
    start = time.monotonic()
    try:
        return action()
    finally:
        assert time.monotonic() - start < SECONDS


def plan_all(net: cp.Network) -> None:
    ids = [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]
    for a, b in itertools.pairwise(ids):
        try:
            check_finite(net.plan(a, b))
        except (cp.NoRouteError, cp.InvalidQueryError) as err:
            check_error(err)


@fuzz
@given(datasets())
def test_random_records(data: tuple[list[Any], list[Any], dict[str, list[Any]]]) -> None:
    hubs, links, tables = data

    def build() -> None:
        try:
            net = cp.Network.from_records(hubs, links, tables)
        except cp.CorridorPlannerError as err:
            check_error(err)
            return
        plan_all(net)

    bounded(build)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz-base")
    hubs = [valid_hub(i) for i in range(3)]
    tables = {"transfers": [{"at": "*", "from_layer": "rail", "to_layer": "road", "time_h_min": 1, "time_h_typ": 2,
                             "time_h_max": 3, "cost_usd": 5}]}  # fmt: skip
    cp.Network.from_records(hubs, VALID_LINKS, tables).to_geojson(path)
    return path


FILES = ["hubs.geojson", "links.geojson", "modes.csv", "transfers.csv"]
TOKENS = ["nan", "NaN", "Infinity", "1e400", "9" * 400, "9" * 5000, "-1", "null", '"x"', "[" * 2000, "{", "\ufeff",
          '"{{7*7}}"', "\x00", ",", '"', "\n", "true"]  # fmt: skip


@fuzz
@given(st.sampled_from(FILES), st.data())
def test_random_dataset_files(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, name: str, data: st.DataObject
) -> None:
    """A file of a valid dataset with a value replaced by a hostile token, a BOM, or cut short."""
    text = (folder / name).read_text(encoding="utf-8")
    how = data.draw(st.sampled_from(["replace", "bom", "cut", "insert"]))
    if how == "bom":
        text = "\ufeff" + text
    elif how == "cut":
        text = text[: data.draw(st.integers(0, len(text)))]
    else:
        at = data.draw(st.integers(0, len(text) - 1))
        end = at + (data.draw(st.integers(1, 12)) if how == "replace" else 0)
        text = text[:at] + data.draw(st.sampled_from(TOKENS)) + text[end:]
    out = tmp_path_factory.mktemp("fuzz")
    for item in folder.iterdir():
        (out / item.name).write_bytes(item.read_bytes())
    (out / name).write_text(text, encoding="utf-8")

    def load() -> None:
        try:
            net = cp.load_network(out)
        except cp.CorridorPlannerError as err:
            check_error(err)
            return
        plan_all(net)

    bounded(load)


# --------------------------------------------------------------------------- scenarios

QUANTITIES = ["speed", "cost", "co2", "border_time", "border_cost", "dwell_time", "dwell_cost", "transfer_time",
              "transfer_cost", "frequency"]  # fmt: skip
SELECTORS = ["links", "modes", "countries", "corridors", "borders", "hubs", "events", "services", "ids", "records"]


SELECTED = {
    "links": ["aktau_alat_sea", "dostyk_alashankou_rail"], "modes": ["rail", "road", "sea"], "countries": ["KZ", "CN"],
    "corridors": ["titr"], "borders": ["kz_cn_rail_dostyk"], "hubs": ["aktau", "baku"], "events": ["port_dwell"],
    "services": ["caspian_aktau_alat"], "ids": ["suez", "RU", "aktau_alat_sea", "aktau", "KZ"],
}  # fmt: skip
LINKS_SELECTORS = ["links", "modes", "countries", "corridors"]
ALLOWED = {
    "speed": LINKS_SELECTORS, "cost": LINKS_SELECTORS, "co2": LINKS_SELECTORS, "border_time": ["borders", "modes", "countries"],
    "border_cost": ["borders", "modes", "countries"], "dwell_time": ["hubs", "events"], "dwell_cost": ["hubs", "events"],
    "transfer_time": ["hubs"], "transfer_cost": ["hubs"], "frequency": ["services"], "links": ["ids"], "hubs": ["ids"],
    "countries": ["ids"], "chokepoints": ["ids"],
}  # fmt: skip
FACTORS = st.one_of(st.floats(0.001, 1000), st.floats(0.5, 2), st.floats(0.5, 2), number)


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    action = draw(st.sampled_from(["close", "open", "scale", "scale", "set", "add", "add", "as_of", "bogus"]))
    if action == "as_of":
        return {"as_of": draw(st.one_of(st.integers(1700, 2300), number))}
    quantities = QUANTITIES if action != "add" else ["border_time", "dwell_time", "transfer_time"]
    valid = st.sampled_from(
        quantities if action not in ("close", "open") else ["links", "hubs", "countries", "chokepoints"]
    )
    target = draw(valid if not draw(rarely) else anything)
    change: dict[str, Any] = {action: target}
    amount = {"scale": "factor", "set": "value", "add": "hours"}.get(action)
    if amount:
        change[amount] = draw(FACTORS if not draw(rarely) else number)
    allowed = ALLOWED.get(target, SELECTORS) if isinstance(target, str) and not draw(rarely) else SELECTORS
    chosen = draw(st.lists(st.sampled_from(allowed), max_size=2, unique=True))
    if action in ("close", "open") and "ids" not in chosen and not draw(rarely):
        chosen.append("ids")
    for selector in chosen:
        names = st.lists(st.sampled_from(SELECTED.get(selector, ["x"])), min_size=1, max_size=2)
        change[selector] = draw(
            names if not draw(rarely) else st.one_of(st.lists(st.sampled_from(HOSTILE_TEXT)), anything)
        )
    return change


@fuzz
@given(st.lists(changes(), min_size=1, max_size=2), st.sampled_from(["dict", "toml"]))
def test_random_scenarios(
    net: cp.Network, tmp_path_factory: pytest.TempPathFactory, items: list[Any], how: str
) -> None:
    scenario: Any = {"scenario": {"name": "fuzz"}, "change": items}
    if how == "toml":
        path = tmp_path_factory.mktemp("scenario") / "fuzz.toml"
        path.write_text(_toml(scenario), encoding="utf-8")
        scenario = path

    def apply() -> None:
        try:
            changed = net.apply(scenario)
        except cp.CorridorPlannerError as err:
            check_error(err)
            return
        for a, b in (("Beijing", "Baku"), ("Shanghai", "Rotterdam")):
            try:
                check_finite(changed.plan(a, b))
            except (cp.NoRouteError, cp.InvalidQueryError) as err:
                check_error(err)

    bounded(apply)


def _toml(data: Any) -> str:
    """A rough TOML writer: what it cannot write becomes a JSON string (still a hostile value)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        if isinstance(v, int) and abs(v) < 2**63:
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v if isinstance(v, str) else str(v)[:50])

    lines = ["[scenario]", 'name = "fuzz"']
    for change in data["change"]:
        lines.append("[[change]]")
        lines += [f"{json.dumps(str(k))} = {value(v)}" for k, v in change.items()]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- query options

OPTIONS = ["optimize", "value_of_time", "via", "avoid_countries", "avoid_modes", "avoid_hubs", "avoid_chokepoints",
           "avoid_corridors", "within", "require_hubs", "require_corridors", "require_chokepoints",
           "require_countries", "cargo", "as_of", "bogus_option"]  # fmt: skip
NAMES = ["aktau", "baku", "tbilisi", "RU", "KZ", "CN", "GE", "suez", "caspian", "road", "rail", "sea", "air", "titr",
         "container", "gas", "time", "cost", "Almaty", "nowhere", "Beijing", "Baku"]  # fmt: skip
GOOD_OPTIONS: dict[str, st.SearchStrategy[Any]] = {
    "optimize": st.one_of(st.sampled_from(["time", "cost", "co2", "distance"]),
                          st.dictionaries(st.sampled_from(["time", "cost", "co2"]), st.floats(0.1, 1000), min_size=1)),
    "value_of_time": st.floats(0, 1e6), "via": st.lists(st.sampled_from(["Almaty", "Aktau", ("Aktau", "sea")]), max_size=1),
    "avoid_countries": st.lists(st.sampled_from(["RU", "KG", "IR"]), max_size=2),
    "avoid_modes": st.lists(st.sampled_from(["air", "road"]), max_size=1),
    "avoid_hubs": st.lists(st.sampled_from(["aktau", "khorgos"]), max_size=1),
    "avoid_chokepoints": st.lists(st.sampled_from(["suez", "bosporus"]), max_size=1),
    "avoid_corridors": st.lists(st.just("titr"), max_size=1), "within": st.just(cp.SCO_FAMILY),
    "require_hubs": st.lists(st.sampled_from(["aktau", "almaty", "tashkent", "khorgos", "urumqi"]), max_size=3),
    "require_corridors": st.lists(st.just("titr"), max_size=1), "require_chokepoints": st.lists(st.just("caspian"), max_size=1),
    "require_countries": st.lists(st.sampled_from(["KZ", "UZ", "TM"]), max_size=2),
    "cargo": st.sampled_from(["container", "general", "gas"]), "as_of": st.integers(2020, 2040),
}  # fmt: skip
hostile_option = st.one_of(
    st.sampled_from(NAMES),
    st.lists(st.sampled_from(NAMES), max_size=3),
    st.dictionaries(st.sampled_from(["time", "cost", "co2", "distance", "bogus"]), number, max_size=2),
    anything,
)


@st.composite
def query_options(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(OPTIONS), max_size=3, unique=True))
    return {n: draw(GOOD_OPTIONS[n] if n in GOOD_OPTIONS and not draw(rarely) else hostile_option) for n in names}


@fuzz
@given(query_options(), st.sampled_from(["plan", "pareto", "alternatives"]))
def test_random_query_options(net: cp.Network, options: dict[str, Any], how: str) -> None:
    def run() -> None:
        try:
            if how == "plan":
                check_finite(net.plan("Beijing", "Baku", **options))
            elif how == "pareto":
                options.pop("optimize", None)
                for route in net.pareto("Beijing", "Baku", criteria=("time", "cost"), **options):
                    check_finite(route)
            else:
                for route in net.alternatives("Beijing", "Baku", k=2, **options):
                    check_finite(route)
        except cp.InvalidQueryError as err:
            event("InvalidQueryError")
            message = str(err)
            assert any(name in message for name in options) or "optimize" in message, message
        except cp.CorridorPlannerError as err:  # no route, an unknown place named in an option
            check_error(err)

    bounded(run)


@fuzz
@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=3, unique=True), st.data())
def test_lazy_requirements_are_exact(required: list[str], data: st.DataObject) -> None:
    """require_hubs (any order) gives the best simple route over every order of the same hubs as via."""
    from itertools import permutations

    hubs = [{"id": h, "name": h.upper(), "country": "KZ", "kind": "city", "lon": 70.0 + i, "lat": 45.0 + (i % 2)}
            for i, h in enumerate("oabcdet")]  # fmt: skip
    pairs = data.draw(
        st.lists(st.tuples(st.sampled_from("oabcdet"), st.sampled_from("oabcdet")), min_size=6, max_size=14)
    )
    links = [{"id": f"l{i}", "from": a, "to": b, "mode": "road", "distance_km": 100 + 37 * i}
             for i, (a, b) in enumerate(pairs) if a != b]  # fmt: skip
    net = cp.Network.from_records(hubs, links)
    best = math.inf  # over the simple paths: a via order that forces a hub twice gives a warned, non-simple route
    for order in permutations(required):
        with contextlib.suppress(cp.NoRouteError), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            route = net.plan("o", "t", via=list(order), optimize="distance")
            if len(route.hubs) == len(set(route.hubs)):
                best = min(best, route.distance_km)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = net.plan("o", "t", require_hubs=required, optimize="distance")
        got = found.distance_km if len(found.hubs) == len(set(found.hubs)) else math.inf
    except cp.NoRouteError:
        got = math.inf
    assert got == pytest.approx(best, rel=1e-9) or got == best
