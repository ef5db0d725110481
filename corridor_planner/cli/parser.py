"""The command line's parser: commands, options and their checks."""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import corridor_planner as cp

from ..model.records import CARGO_CLASSES, HUB_KINDS, Mode

if TYPE_CHECKING:  # pragma: no cover
    pass


PROG = "corridor-planner"
COMMANDS = ("route", "alternatives", "compare", "matrix", "scenarios", "hubs", "map")
MODES = tuple(m.value for m in Mode)
MAP_SUFFIXES = (".html", ".htm")
IMAGE_SUFFIXES = (".png", ".svg", ".pdf", ".jpg", ".jpeg")


class UsageError(Exception):
    """A command line argparse rejects (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, reported by :func:`main`."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------------------- argument types
def _words(text: str) -> list[str]:
    """``"RU,BY"`` -> ``["RU", "BY"]``: a repeatable option also takes a comma-separated list."""
    return [w.strip() for w in text.split(",") if w.strip()]


def _modes(text: str) -> list[str]:
    modes = _words(text)
    for mode in modes:
        if mode not in MODES:
            raise argparse.ArgumentTypeError(f"{mode!r} is not a mode (choose from {', '.join(MODES)})")
    return modes


def _kinds(text: str) -> list[str]:
    kinds = _words(text)
    for kind in kinds:
        if kind not in HUB_KINDS:
            raise argparse.ArgumentTypeError(f"{kind!r} is not a hub kind (choose from {', '.join(sorted(HUB_KINDS))})")
    return kinds


def _via(text: str) -> str | tuple[str, str]:
    """``Tianjin`` or ``Tianjin:sea`` (pass Tianjin on the sea)."""
    place, sep, mode = text.rpartition(":")
    if not sep:
        return text
    if mode not in MODES or not place:
        raise argparse.ArgumentTypeError(f"{text!r}: write PLACE or PLACE:MODE, MODE one of {', '.join(MODES)}")
    return place, mode


_POINT = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*,\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*$")


def end_argument(text: str) -> str | tuple[float, float]:
    """A route end: ``LON,LAT`` (``69.24,41.30``) as a pair of floats, anything else as a place name."""
    match = _POINT.match(text)
    if match is None:
        return text
    return float(match.group(1)), float(match.group(2))


def _pair(text: str) -> tuple[str | tuple[float, float], str | tuple[float, float]]:
    origin, sep, destination = text.partition(":")
    if not sep or not origin.strip() or not destination.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write ORIGIN:DESTINATION, e.g. Beijing:Baku or 69.24,41.30:Baku")
    return end_argument(origin.strip()), end_argument(destination.strip())


def _year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None


def _usd(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a non-negative number of USD")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


# ---------------------------------------------------------------------------- the parser
EXAMPLES = {
    "main": """\
Examples:
  corridor-planner route Beijing Baku
  corridor-planner route Beijing Duisburg --avoid-country RU,BY --format json
  corridor-planner alternatives Beijing Duisburg -k 3
  corridor-planner compare --scenario red_sea_closed --pair Shanghai:Rotterdam
  corridor-planner matrix --from Beijing,Xian --to Baku,Duisburg
  corridor-planner hubs --country KZ --kind port
  corridor-planner map Beijing Baku -o route.html

Run 'corridor-planner COMMAND --help' for the options of a command.
""",
    "route": """\
Examples:
  corridor-planner route Beijing Baku
  corridor-planner route Beijing Baku --avoid-mode road --as-of 2025
  corridor-planner route Beijing Baku --depart 2026-03-01
  corridor-planner route Beijing Baku --via Tianjin:sea --via Poti:sea --avoid-country KZ,KG,RU,MN,PK
  corridor-planner route Shanghai Rotterdam --avoid-chokepoint suez --optimize cost
  corridor-planner route Kashgar Andijan --as-of 2030 --format json
  corridor-planner route Beijing Duisburg --scenario avoid_russia --format geojson > route.geojson
  corridor-planner route 69.24,41.30 Baku          (a point: LON,LAT; a leading minus needs '--' first)
  corridor-planner route Namangan Poti             (a city of the gazetteer: the places extra)

An end that is not a hub starts (ends) with an approximate road leg, marked ~.
""",
    "alternatives": """\
Examples:
  corridor-planner alternatives Beijing Duisburg
  corridor-planner alternatives Beijing Baku -k 3 --avoid-mode road
  corridor-planner alternatives Shanghai Rotterdam --optimize co2 --format csv
""",
    "compare": """\
Examples:
  corridor-planner compare --scenario red_sea_closed --pair Shanghai:Rotterdam
  corridor-planner compare --scenario red_sea_closed --scenario avoid_russia \\
      --pair Beijing:Baku --pair Shanghai:Rotterdam --format csv > compare.csv
  corridor-planner compare --scenario my_scenario.toml --pair Beijing:Duisburg --optimize cost

The first rows are the baseline ("base"); delta_days and delta_km compare each
scenario with it. 'corridor-planner scenarios' lists the shipped scenarios.
--workers N answers the scenarios on N processes (the table is the same).
""",
    "matrix": """\
Examples:
  corridor-planner matrix --from Beijing,Xian --to Baku,Duisburg
  corridor-planner matrix --from Beijing --avoid-country RU --format csv > from_beijing.csv
  corridor-planner matrix --format csv --workers 2 > all_pairs.csv      (every hub to every hub)

One row per origin-destination pair: each is what 'corridor-planner route' gives
for it. A pair without a route is a row with status no_route and the reason;
--strict makes it an error (exit 1) instead.
""",
    "scenarios": """\
Examples:
  corridor-planner scenarios
  corridor-planner scenarios --format json
""",
    "hubs": """\
Examples:
  corridor-planner hubs
  corridor-planner hubs --country KZ --kind port
  corridor-planner hubs --country CN,KZ --kind port,dry_port --format csv

When no hub matches, nothing is listed (csv: the header only, json: []),
stderr says why, and the exit status is 0: an empty answer is not an error.
""",
    "map": """\
Examples:
  corridor-planner map Beijing Baku -o route.html
  corridor-planner map Beijing Baku -o route.png --avoid-mode road
  corridor-planner map Shanghai Rotterdam -o cape.html --avoid-chokepoint suez

An .html file is an interactive map (folium); .png, .svg, .pdf or .jpg a static
one (matplotlib). Both need the plot extra: pip install 'corridor_planner[plot]'.
""",
}


def _data_options() -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--data", metavar="FOLDER", help="a dataset folder in the format of data/ (default: the shipped dataset)"
    )
    return parent


def _scenario_option() -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--scenario",
        metavar="NAME_OR_TOML",
        action="append",
        default=[],
        help="apply a shipped scenario or a scenario .toml file to the network (repeatable, applied in order)",
    )
    return parent


def _route_options() -> _Parser:
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("route options")
    group.add_argument(
        "--optimize",
        choices=(*cp.OBJECTIVES, "p90_time"),
        help="what to minimise (default: time, or cost with --value-of-time); "
        "p90_time: the alternative with the best 90th percentile of transit days",
    )
    group.add_argument(
        "--via",
        metavar="PLACE[:MODE]",
        type=_via,
        action="append",
        default=[],
        help="pass this hub, in the order given; PLACE:MODE passes it on that mode, e.g. Tianjin:sea",
    )
    _list_option(
        group,
        "--avoid-country",
        "CODE",
        "ISO 3166 alpha-2 code of a country not to enter (repeatable or comma-separated: RU,BY)",
    )
    _list_option(
        group,
        "--avoid-mode",
        "MODE",
        f"a mode not to use: {', '.join(MODES)} (repeatable or comma-separated)",
        type=_modes,
    )
    _list_option(
        group,
        "--only-mode",
        "MODE",
        "use only these modes (repeatable or comma-separated: rail,sea); combines with --avoid-mode",
        type=_modes,
    )
    group.add_argument("--avoid-hub", metavar="PLACE", action="append", default=[], help="a hub not to pass")
    _list_option(
        group,
        "--avoid-chokepoint",
        "NAME",
        "a chokepoint not to pass: suez, babalmandab, bosporus, caspian... (repeatable or comma-separated)",
    )
    _list_option(group, "--avoid-corridor", "ID", "a corridor none of whose links to use")
    _list_option(
        group,
        "--within",
        "CODE",
        "the only countries to enter: ISO codes, or sco-members / sco-family (the SCO's own table)",
    )
    for kind, example in (("hub", "Aktau"), ("corridor", "btk_railway"), ("chokepoint", "caspian"), ("country", "GE")):
        help = f"a {kind} the route must pass, in any order (e.g. {example}); impossible: exit 1"
        _list_option(group, f"--require-{kind}", kind.upper(), help)
    group.add_argument(
        "--value-of-time", metavar="USD", type=_usd, help="USD per TEU-day: minimise cost + value of time x days"
    )
    group.add_argument(
        "--cargo", choices=sorted(CARGO_CLASSES), default="container", help="the cargo class (default: container)"
    )
    group.add_argument(
        "--as-of", metavar="YEAR", type=_year, help="the year of the network: links not open yet are not used"
    )
    group.add_argument(
        "--crew", type=int, choices=(1, 2), default=1, help="drivers per truck: 1 (default) or 2 (trucks stop less)"
    )
    group.add_argument(
        "--depart",
        metavar="DATE",
        help="date the route from this departure (ISO 8601: 2026-03-01 or 2026-03-01T10:00, UTC unless an offset "
        "is given): waits for the next sailing or train, dated legs, arrival and its p10-p90",
    )
    group.add_argument(
        "--no-seasons",
        action="store_true",
        help="with --depart: date on the timetables alone, without the seasonal factors of data/seasons.csv "
        "(Caspian winter storms, Chinese New Year blank sailings)",
    )
    group.add_argument(
        "--unit",
        metavar="UNIT",
        help="report cost and CO2e per teu, feu, tonne, wagon or truck (liquid bulk: tonne or barrel); "
        "default: teu for containers, tonne for bulk",
    )
    return parent


def _list_option(target: Any, flag: str, metavar: str, help: str, type: Callable[[str], list[str]] = _words) -> None:
    """A repeatable option that also takes comma-separated lists (``--avoid-country RU,BY``)."""
    target.add_argument(flag, metavar=metavar, type=type, action="extend", default=[], help=help)


def _workers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="answer on N processes (default: 1, this process); the table is the same",
    )


def _format_option(parser: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0], help=f"output format (default: {choices[0]})")


def build_parser() -> argparse.ArgumentParser:
    """The ``corridor-planner`` argument parser, with one subparser per command."""
    parser = _Parser(
        prog=PROG,
        description="Freight routes, transit times, costs and emissions across the Eurasian transport corridors.",
        epilog=EXAMPLES["main"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {cp.__version__}")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    data, scenario, route_options = _data_options(), _scenario_option(), _route_options()

    def command(name: str, help: str, parents: list[_Parser]) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            epilog=EXAMPLES[name],
            parents=parents,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return sub

    def ends(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "origin",
            metavar="ORIGIN",
            type=end_argument,
            help="hub id, name or alias (case- and accent-insensitive), a city of the gazetteer, or LON,LAT",
        )
        sub.add_argument(
            "destination", metavar="DESTINATION", type=end_argument, help="as ORIGIN: a hub, a city or LON,LAT"
        )

    route = command("route", "plan the best route between two places", [route_options, scenario, data])
    ends(route)
    _format_option(route, ("table", "json", "geojson"))
    route.set_defaults(command="route")

    alternatives = command(
        "alternatives", "list the best distinct routes between two places", [route_options, scenario, data]
    )
    ends(alternatives)
    alternatives.add_argument("-k", type=_positive, default=5, metavar="K", help="how many routes at most (default: 5)")
    _format_option(alternatives, ("table", "csv", "json"))
    alternatives.set_defaults(command="alternatives")

    compare = command("compare", "compare scenarios over origin-destination pairs", [route_options, data])
    compare.add_argument(
        "--scenario",
        metavar="NAME_OR_TOML",
        action="append",
        default=[],
        help="a shipped scenario or a scenario .toml file to compare with the baseline (repeatable); "
        "join scenarios with + to apply them together: avoid_russia+caspian_congestion",
    )
    compare.add_argument(
        "--pair",
        metavar="ORIGIN:DESTINATION",
        type=_pair,
        action="append",
        required=True,
        help="an origin-destination pair, e.g. Beijing:Baku (repeatable)",
    )
    compare.add_argument(
        "--baseline",
        metavar="NAME",
        default="base",
        help="what the delta columns compare against: base (the network as it is, the default), "
        "one of the compared scenarios, or none (no deltas, no base rows)",
    )
    _workers_option(compare)
    _format_option(compare, ("table", "csv", "json"))
    compare.set_defaults(command="compare")

    matrix = command(
        "matrix", "plan every origin to every destination: one row per pair", [route_options, scenario, data]
    )
    _list_option(matrix, "--from", "PLACES", "origins: hubs (repeatable or comma-separated; default: every hub)")
    _list_option(matrix, "--to", "PLACES", "destinations: hubs (repeatable or comma-separated; default: the origins)")
    matrix.add_argument(
        "--strict", action="store_true", help="a pair without a route is an error (exit 1), not a no_route row"
    )
    _workers_option(matrix)
    _format_option(matrix, ("table", "csv", "json"))
    matrix.set_defaults(command="matrix")

    scenarios = command("scenarios", "list the shipped scenarios", [])
    _format_option(scenarios, ("table", "json"))
    scenarios.set_defaults(command="scenarios")

    hubs = command("hubs", "list the hubs of the network", [data])
    _list_option(
        hubs, "--country", "CODE", "only hubs in this country, ISO 3166 alpha-2 (repeatable or comma-separated)"
    )
    _list_option(
        hubs,
        "--kind",
        "KIND",
        f"only hubs of this kind: {', '.join(sorted(HUB_KINDS))} (repeatable or comma-separated)",
        type=_kinds,
    )
    _format_option(hubs, ("table", "csv", "json"))
    hubs.set_defaults(command="hubs")

    map_ = command(
        "map", "draw a route on a map, interactive (.html) or static (.png)", [route_options, scenario, data]
    )
    ends(map_)
    map_.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        type=Path,
        help="the file to write: .html (interactive) or .png, .svg, .pdf, .jpg (static)",
    )
    map_.set_defaults(command="map")
    return parser
