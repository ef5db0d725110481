"""The command line's commands and its entry point :func:`main`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import corridor_planner as cp

from ..text import one_line
from .format import (
    csv_text,
    date_text,
    emit,
    format_compare,
    format_matrix,
    format_route,
    format_table,
    frame_records,
    geojson_text,
    hub_table,
    json_text,
    no_hubs_reason,
    number_text,
    unit_label,
)
from .parser import COMMANDS, IMAGE_SUFFIXES, MAP_SUFFIXES, PROG, UsageError, build_parser

if TYPE_CHECKING:  # pragma: no cover
    pass


class _Failure(Exception):
    """A failure of the command (exit status 1) with a message for the user."""


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
        "only_modes": getattr(args, "only_mode", None) or None,
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
        "crew": getattr(args, "crew", 1),
        **({"unit": args.unit} if getattr(args, "unit", None) else {}),
        **({"depart": args.depart} if getattr(args, "depart", None) else {}),
        **({"value_of_time": args.value_of_time} if args.value_of_time is not None else {}),
    }


GROUPS: dict[str, Any] = {"sco-members": cp.SCO_MEMBERS, "sco-family": cp.SCO_FAMILY}
"""Names --within accepts for the SCO's country groups."""


def _plan(args: argparse.Namespace) -> cp.Route:
    return _network(args).plan(args.origin, args.destination, **_plan_options(args))


def cmd_route(args: argparse.Namespace) -> int:
    route = _plan(args)
    if args.format == "json":
        emit(json_text(route.to_dict()))
    elif args.format == "geojson":
        emit(geojson_text(route))
    else:
        emit(format_route(route))
    return 0


# ---------------------------------------------------------------------------- alternatives
def cmd_alternatives(args: argparse.Namespace) -> int:
    routes = _network(args).alternatives(args.origin, args.destination, k=args.k, **_plan_options(args))
    if args.format == "json":
        emit(json_text([{"rank": rank, **route.to_dict()} for rank, route in enumerate(routes, start=1)]))
        return 0
    rows = [
        {
            "rank": rank, "label": route.label, "days": route.transit_days, "km": route.distance_km,
            "cost_usd": route.cost_usd, "co2_t": route.co2_kg / 1000, "unit": route.unit,
            "cost_usd_per_unit": route.cost(), "co2e_kg_per_unit": route.co2e(), "modes": route.modes,
            "corridors": route.corridors, "reason": route.reason,
            **({} if route.arrival is None else {"arrives": route.arrival}),
        }
        for rank, route in enumerate(routes, start=1)
    ]  # fmt: skip
    if args.format == "csv":
        import pandas as pd

        emit(csv_text(pd.DataFrame(rows)))
        return 0
    dated = routes[0].arrival is not None
    table = [
        (
            r["rank"], r["label"], number_text(r["days"], ".1f"), number_text(r["km"], ",.0f"), number_text(r["cost_usd"], ",.0f"),
            number_text(r["co2_t"], ".2f"), number_text(r["co2e_kg_per_unit"], ",.1f"), r["modes"], r["corridors"],
            *([date_text(route.arrival)] if dated else []),
        )
        for r, route in zip(rows, routes, strict=True)
    ]  # fmt: skip
    headers = ["rank", "label", "days", "km", "USD/TEU", "t CO2/TEU", f"kg CO2e/{unit_label(routes[0].unit)} WTW",
               "modes", "corridors", *(["arrives (UTC)"] if dated else [])]  # fmt: skip
    emit(format_table(headers, table, (0, 2, 3, 4, 5, 6)))
    emit("\n".join(["", "why each differs:", *(f"{r['rank']:>4}  {r['label']}: {r['reason']}" for r in rows)]))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    net = cp.load_network(args.data)
    options = _plan_options(args)
    scenarios = [name.split("+") if "+" in name else name for name in args.scenario]
    baseline = None if args.baseline.lower() == "none" else args.baseline
    with _executor(args.workers) as executor:
        frame = cp.compare(net, scenarios, args.pair, baseline=baseline, progress=False, executor=executor, **options)
    if args.format == "json":
        emit(json_text(frame_records(frame)))
    elif args.format == "csv":
        emit(csv_text(frame))
    else:
        emit(format_compare(frame))
    return 0


@contextlib.contextmanager
def _executor(workers: int) -> Iterator[Any]:
    """``None`` for one worker (this process), else a process pool of ``workers``, shut down after use."""
    if workers <= 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


# ---------------------------------------------------------------------------- matrix
def cmd_matrix(args: argparse.Namespace) -> int:
    net = _network(args)
    options = _plan_options(args)
    optimize = options.pop("optimize")
    if options.pop("depart", None) is not None:
        raise UsageError("matrix: --depart is not supported (the matrix is undated); use 'route --depart'")
    with _executor(args.workers) as executor:
        frame = net.matrix(
            getattr(args, "from") or None,
            args.to or None,
            optimize=optimize,
            strict=args.strict,
            executor=executor,
            **options,
        )
    if args.format == "json":
        emit(json_text(frame_records(frame)))
    elif args.format == "csv":
        emit(csv_text(frame))
    else:
        emit(format_matrix(frame))
    return 0


# ---------------------------------------------------------------------------- scenarios
def cmd_scenarios(args: argparse.Namespace) -> int:
    scenarios = [cp.load_scenario(name) for name in cp.list_scenarios()]
    if args.format == "json":
        emit(json_text([{"name": s.name, "title": s.title, "description": s.description} for s in scenarios]))
    else:
        emit(format_table(["name", "title"], [(s.name, s.title) for s in scenarios]))
    return 0


def cmd_hubs(args: argparse.Namespace) -> int:
    net = cp.load_network(args.data)
    frame = hub_table(net, args.country, args.kind)
    if frame.empty:  # an empty answer is an answer (exit 0), but say why on stderr
        _note(no_hubs_reason(net, args.country, args.kind))
    if args.format == "json":
        emit(json_text(frame_records(frame)))
    elif args.format == "csv":
        emit(csv_text(frame))
    elif not frame.empty:
        emit(format_table(list(frame.columns), frame.itertuples(index=False)))
    return 0


# ---------------------------------------------------------------------------- map
def cmd_map(args: argparse.Namespace) -> int:
    output: Path = args.output
    if output.is_dir():
        raise UsageError(f"map: cannot write {str(output)!r}: it is a directory")
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
    emit(f"wrote {output}")
    return 0


# ---------------------------------------------------------------------------- main
#: library errors that mean "the input is invalid" (exit status 2); every other one exits with 1
USAGE_ERRORS: tuple[type[BaseException], ...] = (cp.InvalidQueryError, cp.ScenarioError, cp.NetworkValidationError)


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {one_line(message)}\n")


def _note(message: str) -> None:
    """A note on stderr that is not an error (the exit status stays 0)."""
    sys.stderr.write(f"{PROG}: {message}\n")


def _one_line(text: str) -> str:
    return one_line(text)


def _problems_line(exc: cp.NetworkValidationError, shown: int = 20) -> str:
    """A validation error on one line: the count and source, then the problems separated by ``;``."""
    head = str(exc).split("\n", 1)[0]
    items = "; ".join(str(p) for p in exc.problems[:shown])
    more = f"; ... and {len(exc.problems) - shown} more" if len(exc.problems) > shown else ""
    return f"{head} {items}{more}"


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "route": cmd_route, "alternatives": cmd_alternatives, "compare": cmd_compare, "matrix": cmd_matrix,
    "scenarios": cmd_scenarios, "hubs": cmd_hubs, "map": cmd_map,
}  # fmt: skip
"""The function that runs each command of :data:`~corridor_planner.cli.parser.COMMANDS`."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        command: str | None = getattr(args, "command", None)
        if command is None:
            raise UsageError(f"name a command: {', '.join(COMMANDS)} (see '{PROG} --help')")
        return HANDLERS[command](args)
    except SystemExit as exc:  # --help and --version
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        _error(_one_line(str(exc.code)))  # sys.exit("message") is a failure
        return 1
    except UsageError as exc:
        _error(_one_line(str(exc)))
        return 2
    except cp.NetworkValidationError as exc:  # one line, as every error: the problems separated by ';'
        _error(_problems_line(exc))
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
