"""Validation against published end-to-end trips (``validation/observations.csv``), never used to fit anything.

For each observation whose ends map to hubs and whose mode mix can be expressed as plan
options, :func:`validate` plans the route (as of the trip's year) and compares the
observed days with the model's p50 and p10-p90 interval (:meth:`Route.percentiles`);
rows it cannot model are kept with the reason. ``python -m corridor_planner.analysis.validate``
(``make validate``) prints the report as Markdown.

Mode mixes: the modes named are allowed, the others avoided (``rail`` avoids road, sea and
air; ``rail-sea-rail`` road and air; ``sea`` rail, road and air; ``road`` rail, sea and air);
a mix with both rail and road cannot be forced (the planner would choose between them), so
it is listed as unsupported. A middle-corridor or TIR trip with a sea part must cross the
Caspian (``require_chokepoints="caspian"``), which is what those corridors are.
"""

from __future__ import annotations

import csv
import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CorridorPlannerError

if TYPE_CHECKING:  # pragma: no cover
    from ..network import Network

MODES = ("rail", "road", "sea", "air")
CASPIAN_CORRIDORS = frozenset({"middle_corridor", "tir_road"})


@dataclass(frozen=True)
class Result:
    """One observation and the model's answer (``reason`` says why a row was not modelled)."""

    id: str
    origin: str
    destination: str
    corridor: str
    mode_mix: str
    year: int | None
    observed_days: float
    observed_km: float | None
    p10: float | None = None
    p50: float | None = None
    p90: float | None = None
    typical_days: float | None = None
    model_km: float | None = None
    reason: str = ""

    @property
    def modelled(self) -> bool:
        return self.p50 is not None

    @property
    def inside(self) -> bool:
        return self.p10 is not None and self.p90 is not None and self.p10 <= self.observed_days <= self.p90

    @property
    def error_days(self) -> float:
        assert self.p50 is not None
        return self.p50 - self.observed_days


def plan_options(row: dict[str, str]) -> dict[str, Any] | str:
    """The plan options that express a row's mode mix and corridor, or why they cannot."""
    mix = [m for m in row["mode_mix"].strip().lower().split("-") if m]
    unknown = [m for m in mix if m not in MODES]
    if not mix or unknown:
        return f"mode mix {row['mode_mix']!r} names no known mode"
    used = set(mix)
    if {"rail", "road"} <= used:
        return f"mode mix {row['mode_mix']!r}: rail and road together cannot be forced with plan options"
    options: dict[str, Any] = {"avoid_modes": [m for m in MODES if m not in used]}
    if "sea" in used and used != {"sea"} and row["corridor"] in CASPIAN_CORRIDORS:
        options["require_chokepoints"] = ["caspian"]
    year = re.match(r"\s*(\d{4})", row["trip_date"])
    if year:
        options["as_of"] = int(year.group(1))
    return options


def _number(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


def validate(net: Network, rows: Iterable[dict[str, str]]) -> list[Result]:
    """The model against every row (modelled or with the reason it was not)."""
    results = []
    for row in rows:
        year = re.match(r"\s*(\d{4})", row["trip_date"])
        base: dict[str, Any] = {
            "id": row["id"], "origin": row["origin"], "destination": row["destination"], "corridor": row["corridor"],
            "mode_mix": row["mode_mix"], "year": int(year.group(1)) if year else None,
            "observed_days": float(row["days"]), "observed_km": _number(row["km"]),
        }  # fmt: skip
        if not row["origin_hub"] or not row["destination_hub"]:
            missing = " and ".join(f"{end} {row[end]!r}" for end in ("origin", "destination") if not row[f"{end}_hub"])
            results.append(Result(**base, reason=f"no hub for the {missing}"))
            continue
        options = plan_options(row)
        if isinstance(options, str):
            results.append(Result(**base, reason=options))
            continue
        try:
            route = net.plan(row["origin_hub"], row["destination_hub"], **options)
        except CorridorPlannerError as exc:
            results.append(Result(**base, reason=f"no route: {str(exc).splitlines()[0]}"))
            continue
        trip = route.from_departure()  # an observed trip runs from its train's or ship's departure
        p = trip.percentiles()
        results.append(
            Result(**base, p10=p.p10, p50=p.p50, p90=p.p90, typical_days=trip.transit_days, model_km=route.distance_km)
        )
    return results


@dataclass(frozen=True)
class Summary:
    """The headline figures of a validation run."""

    modelled: int
    total: int
    mae_days: float
    mape_days: float
    mape_km: float | None
    n_km: int
    inside: float
    bias_by_corridor: dict[str, tuple[int, float]]
    """Corridor -> (observations, median of (p50 - observed) / observed)."""


def summarise(results: Sequence[Result]) -> Summary:
    done = [r for r in results if r.modelled]
    if not done:
        return Summary(0, len(results), float("nan"), float("nan"), None, 0, float("nan"), {})
    km = [r for r in done if r.observed_km and r.model_km is not None]
    corridors: dict[str, list[float]] = {}
    for r in done:
        corridors.setdefault(r.corridor, []).append(r.error_days / r.observed_days)
    return Summary(
        modelled=len(done),
        total=len(results),
        mae_days=statistics.median(abs(r.error_days) for r in done),
        mape_days=statistics.median(abs(r.error_days) / r.observed_days for r in done),
        mape_km=statistics.median(abs(r.model_km - r.observed_km) / r.observed_km for r in km)  # type: ignore[operator]
        if km
        else None,
        n_km=len(km),
        inside=sum(r.inside for r in done) / len(done),
        bias_by_corridor={c: (len(v), statistics.median(v)) for c, v in sorted(corridors.items())},
    )


def _f(value: float | None, fmt: str = ".1f") -> str:
    return "" if value is None else format(value, fmt)


def report(results: Sequence[Result]) -> str:
    """The validation report as Markdown: the table, the summary, the rows not modelled."""
    s = summarise(results)
    lines = [
        "# Validation report",
        "",
        "Generated by `make validate` (`python -m corridor_planner.analysis.validate`) from",
        "`validation/observations.csv`; the model was not fitted to these trips. Model: p10/p50/p90 of",
        "100,000 Monte Carlo draws (seed 0) of the route `plan()` finds for the row's ends, mode mix and year,",
        "from its first departure as observed trips are (`route.from_departure()`: the wait for the first train",
        "or sailing at the origin left out); `typ` is the sum of its typical values.",
        "",
        "## Summary",
        "",
        f"- observations modelled: {s.modelled} of {s.total}",
        f"- median absolute error of p50: {s.mae_days:.1f} days, {s.mape_days:.0%} of the observed days (target <= 15 %)",
        f"- median absolute error of distance: {_f(None if s.mape_km is None else s.mape_km * 100, '.0f')} % "
        f"over {s.n_km} observations with km (target <= 10 %)",
        f"- observations inside p10-p90: {s.inside:.0%} (target >= 80 %)",
        "- bias by corridor (median of (p50 - observed) / observed; target within +-20 %):",
        "",
        "| corridor | n | bias |",
        "|---|---:|---:|",
        *(f"| {c} | {n} | {b:+.0%} |" for c, (n, b) in s.bias_by_corridor.items()),
        "",
        "## Observations modelled",
        "",
        "| id | from | to | corridor | mix | year | observed days | p10 | p50 | p90 | typ | inside | observed km | model km |",
        "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|:-:|---:|---:|",
    ]
    for r in results:
        if r.modelled:
            lines.append(
                f"| {r.id} | {r.origin} | {r.destination} | {r.corridor} | {r.mode_mix} | {r.year or ''} | "
                f"{r.observed_days:g} | {_f(r.p10)} | {_f(r.p50)} | {_f(r.p90)} | {_f(r.typical_days)} | "
                f"{'yes' if r.inside else 'no'} | {_f(r.observed_km, ',.0f')} | {_f(r.model_km, ',.0f')} |"
            )
    lines += ["", "## Observations not modelled", "", "| id | from | to | mix | reason |", "|---|---|---|---|---|"]
    lines += [
        f"| {r.id} | {r.origin} | {r.destination} | {r.mode_mix} | {r.reason} |" for r in results if not r.modelled
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report for the observations file given (default ``validation/observations.csv``)."""
    from .. import load_network

    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0] if args else "validation/observations.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sys.stdout.write(report(validate(load_network(), rows)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
