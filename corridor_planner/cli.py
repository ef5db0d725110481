"""The ``corridor-planner`` command line (also ``python -m corridor_planner``).

Every command prints its result, and only its result, to standard output.
Errors are one line on standard error, ``corridor-planner: error: ...``, with
exit status 2 for a usage error or an invalid value and 1 when there is no
route, a place is unknown or something else fails; never a traceback (set
``CORRIDOR_PLANNER_DEBUG=1`` to see one for an unexpected failure).

:func:`main` takes the arguments as a list and returns the exit status, so
the command line can be driven in-process.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import corridor_planner as cp

from .model import CARGO_CLASSES, HUB_KINDS, Mode

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["build_parser", "main"]

PROG = "corridor-planner"
COMMANDS = ("route", "alternatives", "compare", "scenarios", "hubs", "map")
MODES = tuple(m.value for m in Mode)
MAP_SUFFIXES = (".html", ".htm")
IMAGE_SUFFIXES = (".png", ".svg", ".pdf", ".jpg", ".jpeg")


class UsageError(Exception):
    """A command line argparse rejects (exit status 2)."""


class _Failure(Exception):
    """A failure of the command (exit status 1) with a message for the user."""


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


def _pair(text: str) -> tuple[str, str]:
    origin, sep, destination = text.partition(":")
    if not sep or not origin.strip() or not destination.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write ORIGIN:DESTINATION, e.g. Beijing:Baku")
    return origin.strip(), destination.strip()


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
  corridor-planner hubs --country KZ --kind port
  corridor-planner map Beijing Baku -o route.html

Run 'corridor-planner COMMAND --help' for the options of a command.
""",
    "route": """\
Examples:
  corridor-planner route Beijing Baku
  corridor-planner route Beijing Baku --avoid-mode road --as-of 2025
  corridor-planner route Beijing Baku --via Tianjin:sea --via Poti:sea --avoid-country KZ,KG
  corridor-planner route Shanghai Rotterdam --avoid-chokepoint suez --optimize cost
  corridor-planner route Kashgar Andijan --as-of 2030 --format json
  corridor-planner route Beijing Duisburg --scenario avoid_russia --format geojson > route.geojson
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
        "--optimize", choices=cp.OBJECTIVES, help="what to minimise (default: time, or cost with --value-of-time)"
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
    return parent


def _list_option(target: Any, flag: str, metavar: str, help: str, type: Callable[[str], list[str]] = _words) -> None:
    """A repeatable option that also takes comma-separated lists (``--avoid-country RU,BY``)."""
    target.add_argument(flag, metavar=metavar, type=type, action="extend", default=[], help=help)


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
        sub.add_argument("origin", metavar="ORIGIN", help="hub id, name or alias (case- and accent-insensitive)")
        sub.add_argument("destination", metavar="DESTINATION", help="hub id, name or alias")

    route = command("route", "plan the best route between two places", [route_options, scenario, data])
    ends(route)
    _format_option(route, ("table", "json", "geojson"))
    route.set_defaults(run=cmd_route)

    alternatives = command(
        "alternatives", "list the best distinct routes between two places", [route_options, scenario, data]
    )
    ends(alternatives)
    alternatives.add_argument("-k", type=_positive, default=5, metavar="K", help="how many routes at most (default: 5)")
    _format_option(alternatives, ("table", "csv", "json"))
    alternatives.set_defaults(run=cmd_alternatives)

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
    _format_option(compare, ("table", "csv", "json"))
    compare.set_defaults(run=cmd_compare)

    scenarios = command("scenarios", "list the shipped scenarios", [])
    _format_option(scenarios, ("table", "json"))
    scenarios.set_defaults(run=cmd_scenarios)

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
    hubs.set_defaults(run=cmd_hubs)

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
    map_.set_defaults(run=cmd_map)
    return parser


# ---------------------------------------------------------------------------- helpers
def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _network(args: argparse.Namespace) -> cp.Network:
    net = cp.load_network(args.data)
    scenarios = getattr(args, "scenario", [])
    if scenarios:
        net = net.apply(*scenarios)
    return net


def _plan_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "optimize": args.optimize or ("time" if args.value_of_time is None else "cost"),
        "via": args.via or None,
        "avoid_countries": args.avoid_country or None,
        "avoid_modes": args.avoid_mode or None,
        "avoid_hubs": args.avoid_hub or None,
        "avoid_chokepoints": args.avoid_chokepoint or None,
        "avoid_corridors": args.avoid_corridor or None,
        "within": [GROUPS.get(w.lower(), w) for w in args.within] or None,
        "require_hubs": args.require_hub or None,
        "require_corridors": args.require_corridor or None,
        "require_chokepoints": args.require_chokepoint or None,
        "require_countries": args.require_country or None,
        "cargo": args.cargo,
        "as_of": args.as_of,
        **({"value_of_time": args.value_of_time} if args.value_of_time is not None else {}),
    }


GROUPS: dict[str, Any] = {"sco-members": cp.SCO_MEMBERS, "sco-family": cp.SCO_FAMILY}
"""Names --within accepts for the SCO's country groups."""


def _plan(args: argparse.Namespace) -> cp.Route:
    return _network(args).plan(args.origin, args.destination, **_plan_options(args))


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def format_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], right: Iterable[int] = ()) -> str:
    """A plain-text table, columns padded to their widest cell; ``right`` are the right-aligned columns."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    right_set = set(right)

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if i in right_set else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths))]
        return "  ".join(parts).rstrip()

    return "\n".join([line(list(headers)), *(line(r) for r in cells)])


def _number(value: Any, spec: str) -> str:
    if value is None:
        return "-"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "-" if math.isnan(number) else format(number, spec)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records, missing values as ``None``."""
    import pandas as pd

    def value(v: Any) -> Any:
        return None if not isinstance(v, (list, tuple, dict)) and pd.isna(v) else v

    return [{str(k): value(v) for k, v in record.items()} for record in frame.to_dict(orient="records")]


def _csv(frame: pd.DataFrame) -> str:
    flat = frame.copy()
    for column in flat.columns:
        if flat[column].map(lambda v: isinstance(v, (list, tuple))).any():
            flat[column] = flat[column].map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    text: str = flat.to_csv(index=False)
    return text


def _place_name(route: cp.Route, end: str) -> str:
    if not route.legs:
        return route.origin if end == "origin" else route.destination
    return route.legs[0].origin_name if end == "origin" else route.legs[-1].destination_name


# ---------------------------------------------------------------------------- route
def format_route(route: cp.Route) -> str:
    """The route as text: totals, the legs one per line, and where the time goes."""
    head = f"{_place_name(route, 'origin')} -> {_place_name(route, 'destination')}"
    details = [f"optimized for {route.optimize}"]
    year = route.query.get("as_of")
    if year is not None:
        details.append(f"network as of {year}")
    if route.scenarios:
        details.append(f"scenario {' + '.join(route.scenarios)}")
    lines = [
        f"{head} ({'; '.join(details)})",
        f"{route.transit_days:.1f} days   {route.distance_km:,.0f} km   USD {route.cost_usd:,.0f}/TEU   "
        f"{route.co2_kg / 1000:.2f} t CO2/TEU   by {', '.join(route.modes)}",
        "",
    ]
    rows = [
        (
            i, leg.origin_name, leg.destination_name, leg.mode, f"{leg.distance_km:,.0f}", f"{leg.time_h:.1f}",
            f"{leg.dwell_h:.1f}" if leg.dwell_h else "", leg.corridor or "",
        )
        for i, leg in enumerate(route.legs, start=1)
    ]  # fmt: skip
    lines.append(
        format_table(["#", "from", "to", "mode", "km", "hours", "of which stops", "corridor"], rows, (0, 4, 5, 6))
    )
    days = route.breakdown()["days"]
    spent = [f"{str(component).replace('_', ' ')} {d:.1f}" for component, d in days.items() if round(d, 1) > 0]
    lines += ["", f"days by component: {', '.join(spent)}"]
    return "\n".join(lines)


def _geojson_text(route: cp.Route) -> str:
    value: Any = route.to_geojson()
    return value if isinstance(value, str) else _json(value)


def cmd_route(args: argparse.Namespace) -> int:
    route = _plan(args)
    if args.format == "json":
        _out(_json(route.to_dict()))
    elif args.format == "geojson":
        _out(_geojson_text(route))
    else:
        _out(format_route(route))
    return 0


# ---------------------------------------------------------------------------- alternatives
def cmd_alternatives(args: argparse.Namespace) -> int:
    routes = _network(args).alternatives(args.origin, args.destination, k=args.k, **_plan_options(args))
    if args.format == "json":
        _out(_json([{"rank": rank, **route.to_dict()} for rank, route in enumerate(routes, start=1)]))
        return 0
    rows = [
        {
            "rank": rank, "label": route.label, "days": route.transit_days, "km": route.distance_km,
            "cost_usd": route.cost_usd, "co2_t": route.co2_kg / 1000, "modes": route.modes,
            "corridors": route.corridors,
        }
        for rank, route in enumerate(routes, start=1)
    ]  # fmt: skip
    if args.format == "csv":
        import pandas as pd

        _out(_csv(pd.DataFrame(rows)))
        return 0
    table = [
        (
            r["rank"], r["label"], _number(r["days"], ".1f"), _number(r["km"], ",.0f"), _number(r["cost_usd"], ",.0f"),
            _number(r["co2_t"], ".2f"), r["modes"], r["corridors"],
        )
        for r in rows
    ]  # fmt: skip
    _out(
        format_table(
            ["rank", "label", "days", "km", "USD/TEU", "t CO2/TEU", "modes", "corridors"], table, (0, 2, 3, 4, 5)
        )
    )
    return 0


# ---------------------------------------------------------------------------- compare
#: the columns of the compare table, with the format of their numbers ("" for text)
COMPARE_COLUMNS = {
    "scenario": "", "origin": "", "destination": "", "status": "", "days": ".1f", "delta_days": "+.1f",
    "km": ",.0f", "delta_km": "+,.0f", "cost_usd": ",.0f", "co2_t": ".2f", "modes": "", "chokepoints": "", "corridors": "",
    "message": "",
}  # fmt: skip


def format_compare(frame: pd.DataFrame) -> str:
    """The comparison as a text table (numbers rounded, missing values as ``-``)."""
    columns = [c for c in COMPARE_COLUMNS if c in frame.columns]
    rows = [
        [_number(record[c], COMPARE_COLUMNS[c]) if COMPARE_COLUMNS[c] else _cell(record[c]) for c in columns]
        for record in frame.to_dict(orient="records")
    ]
    right = [i for i, c in enumerate(columns) if COMPARE_COLUMNS[c]]
    return format_table(columns, rows, right)


def cmd_compare(args: argparse.Namespace) -> int:
    net = cp.load_network(args.data)
    options = _plan_options(args)
    scenarios = [name.split("+") if "+" in name else name for name in args.scenario]
    baseline = None if args.baseline.lower() == "none" else args.baseline
    frame = cp.compare(net, scenarios, args.pair, baseline=baseline, progress=False, **options)
    if args.format == "json":
        _out(_json(_records(frame)))
    elif args.format == "csv":
        _out(_csv(frame))
    else:
        _out(format_compare(frame))
    return 0


# ---------------------------------------------------------------------------- scenarios
def cmd_scenarios(args: argparse.Namespace) -> int:
    scenarios = [cp.load_scenario(name) for name in cp.list_scenarios()]
    if args.format == "json":
        _out(_json([{"name": s.name, "title": s.title, "description": s.description} for s in scenarios]))
    else:
        _out(format_table(["name", "title"], [(s.name, s.title) for s in scenarios]))
    return 0


# ---------------------------------------------------------------------------- hubs
def hub_table(net: cp.Network, countries: Sequence[str] = (), kinds: Sequence[str] = ()) -> pd.DataFrame:
    """The hubs (id, name, country, kind, modes), filtered by country and kind."""
    modes: dict[str, set[str]] = {}
    for link in net.dataset.links:
        for hub in (link.from_hub, link.to_hub):
            modes.setdefault(hub, set()).add(link.mode.value)
    frame = net.hubs.loc[:, ["id", "name", "country", "kind"]].copy()
    frame["modes"] = [",".join(m for m in MODES if m in modes.get(h, ())) for h in frame["id"]]
    codes = [c.upper() for c in countries]
    known = set(frame["country"]) | set(net.countries)
    for code in codes:
        if code not in known:
            raise cp.InvalidQueryError(
                f"--country: {code!r} is not a country of this network; use ISO 3166 alpha-2 codes such as "
                f"{', '.join(sorted(known)[:8])}..."
            )
    if codes:
        frame = frame[frame["country"].isin(codes)]
    if kinds:
        frame = frame[frame["kind"].isin(kinds)]
    result: pd.DataFrame = frame.sort_values("id").reset_index(drop=True)
    return result


def cmd_hubs(args: argparse.Namespace) -> int:
    frame = hub_table(cp.load_network(args.data), args.country, args.kind)
    if args.format == "json":
        _out(_json(_records(frame)))
    elif args.format == "csv":
        _out(_csv(frame))
    else:
        _out(format_table(list(frame.columns), frame.itertuples(index=False)))
    return 0


# ---------------------------------------------------------------------------- map
def cmd_map(args: argparse.Namespace) -> int:
    output: Path = args.output
    suffix = output.suffix.lower()
    if suffix not in MAP_SUFFIXES + IMAGE_SUFFIXES:
        raise UsageError(
            f"map: cannot write {str(output)!r}: the file name must end in .html (interactive map) "
            f"or {', '.join(IMAGE_SUFFIXES)} (static map)"
        )
    net = _network(args)
    route = net.plan(args.origin, args.destination, **_plan_options(args))
    try:
        if suffix in MAP_SUFFIXES:
            route.explore(net).save(str(output))
        else:  # a Figure outside pyplot: no window, no backend chosen for the process, nothing to close
            from matplotlib.figure import Figure

            figure = Figure(figsize=(10.0, 7.0), layout="constrained")
            route.plot(ax=figure.add_subplot())
            figure.savefig(output, dpi=150, bbox_inches="tight")
    except cp.CorridorPlannerError:  # MissingDependencyError (an ImportError) says which extra to install
        raise
    except ImportError as exc:  # matplotlib (imported above), or a dependency the library did not anticipate
        raise _Failure(
            f"drawing a map needs {exc.name or 'the plot extra'}: pip install 'corridor_planner[plot]'"
        ) from None
    _out(f"wrote {output}")
    return 0


# ---------------------------------------------------------------------------- main
#: library errors that mean "the input is invalid" (exit status 2); every other one exits with 1
USAGE_ERRORS: tuple[type[BaseException], ...] = (cp.InvalidQueryError, cp.ScenarioError, cp.NetworkValidationError)


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
        if run is None:
            raise UsageError(f"name a command: {', '.join(COMMANDS)} (see '{PROG} --help')")
        return run(args)
    except SystemExit as exc:  # --help and --version
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        _error(_one_line(str(exc.code)))  # sys.exit("message") is a failure
        return 1
    except UsageError as exc:
        _error(_one_line(str(exc)))
        return 2
    except cp.NetworkValidationError as exc:  # one line per problem: the list is the useful part
        _error(str(exc))
        return 2
    except USAGE_ERRORS as exc:
        _error(_one_line(str(exc)))
        return 2
    except cp.CorridorPlannerError as exc:  # no route, unknown place, missing dependency...
        _error(_one_line(str(exc)))
        return 1
    except FileNotFoundError as exc:  # a --data folder or a scenario file that does not exist
        _error(_one_line(str(exc)))
        return 2
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        _silence_stdout()
        return 1
    except (_Failure, OSError) as exc:
        _error(_one_line(str(exc)))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("CORRIDOR_PLANNER_DEBUG"):
            raise
        _error(
            _one_line(f"unexpected {type(exc).__name__}: {exc}")
            + " (a bug: set CORRIDOR_PLANNER_DEBUG=1 to see the traceback)"
        )
        return 1


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
