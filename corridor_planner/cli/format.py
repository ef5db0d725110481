"""Text, JSON and CSV output of the command line."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import corridor_planner as cp

from ..text import json_terminal_text, terminal_text
from .parser import MODES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


# ---------------------------------------------------------------------------- helpers
def emit(text: str) -> None:
    text = terminal_text(text, keep_newlines=True)  # names from data never reach the terminal raw
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def json_text(value: Any) -> str:
    return json_terminal_text(json.dumps(value, indent=2, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, (list, tuple)):
        return terminal_text(", ".join(str(v) for v in value))
    return terminal_text(value)  # escaped before the columns are measured


def format_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], right: Iterable[int] = ()) -> str:
    """A plain-text table, columns padded to their widest cell; ``right`` are the right-aligned columns."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    right_set = set(right)

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if i in right_set else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(list(headers)), *(line(r) for r in cells)])


def number_text(value: Any, spec: str) -> str:
    if value is None:
        return "-"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "-" if math.isnan(number) else format(number, spec)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records, missing values as ``None``."""
    import pandas as pd

    def value(v: Any) -> Any:
        return None if not isinstance(v, (list, tuple, dict)) and pd.isna(v) else v

    return [{str(k): value(v) for k, v in record.items()} for record in frame.to_dict(orient="records")]


def csv_text(frame: pd.DataFrame) -> str:
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
    head = f"{_place_name(route, 'origin')} -> {_place_name(route, 'destination')}{' (approximate ends)' if route.approximate else ''}"
    details = [f"optimized for {route.optimize}"]
    year = route.query.get("as_of")
    if year is not None:
        details.append(f"network as of {year}")
    if route.scenarios:
        details.append(f"scenario {' + '.join(route.scenarios)}")
    label = unit_label(route.unit)
    lines = [
        f"{head} ({'; '.join(details)})",
        f"{route.transit_days:.1f} days   {route.distance_km:,.0f} km   USD {route.cost_usd:,.0f}/TEU   "
        f"{route.co2_kg / 1000:.2f} t CO2/TEU   by {', '.join(route.modes)}",
        f"per {label}: USD {route.cost():,.0f}   {route.co2e():,.1f} kg CO2e well-to-wheel "
        f"({route.ttw_kg * route.per_unit():,.1f} tank-to-wheel + {route.wtt_kg * route.per_unit():,.1f} well-to-tank; "
        "ISO 14083 / GLEC, hubs included)",
        "",
    ]
    dated = route.departs is not None
    if dated:
        eta = route.arrival_percentiles()
        lines[-1:-1] = [
            f"departs {date_text(route.departs)} UTC, arrives {date_text(route.arrival)} UTC "
            f"(arrival p10 {date_text(eta['p10'])}, p50 {date_text(eta['p50'])}, p90 {date_text(eta['p90'])})"
        ]
    rows = [
        (
            i, leg.origin_name, leg.destination_name, leg.mode,
            f"{'~' if leg.approximate else ''}{leg.distance_km:,.0f}", f"{'~' if leg.approximate else ''}{leg.time_h:.1f}",
            f"{leg.dwell_h:.1f}" if leg.dwell_h else "", leg.corridor or "",
            *([date_text(leg.departs), date_text(leg.arrives)] if dated else []),
        )
        for i, leg in enumerate(route.legs, start=1)
    ]  # fmt: skip
    headers = ["#", "from", "to", "mode", "km", "hours", "of which stops", "corridor"]
    lines.append(format_table([*headers, *(["departs (UTC)", "arrives (UTC)"] if dated else [])], rows, (0, 4, 5, 6)))
    if route.approximate:
        lines.append(
            "~ approximate: a first- or last-mile road leg to a place that is not a hub "
            "(geodesic distance x road circuity, data/circuity.csv)"
        )
    days = route.breakdown()["days"]
    spent = [f"{str(component).replace('_', ' ')} {d:.1f}" for component, d in days.items() if round(d, 1) > 0]
    lines += ["", f"days by component: {', '.join(spent)}"]
    return "\n".join(lines)


def date_text(moment: datetime | None) -> str:
    """A date-time to the minute (``2026-03-01 06:30``), ``-`` for none."""
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def unit_label(unit: str) -> str:
    """How a unit is printed: TEU and FEU in capitals, the others as they are."""
    return unit.upper() if unit in ("teu", "feu") else unit


def geojson_text(route: cp.Route) -> str:
    value: Any = route.to_geojson()
    return json_terminal_text(value) if isinstance(value, str) else json_text(value)


# ---------------------------------------------------------------------------- compare
#: the columns of the compare table, with the format of their numbers ("" for text)
COMPARE_COLUMNS = {
    "scenario": "", "origin": "", "destination": "", "status": "", "days": ".1f", "delta_days": "+.1f",
    "km": ",.0f", "delta_km": "+,.0f", "cost_usd": ",.0f", "co2_t": ".2f", "co2e_t": ".2f", "unit": "",
    "cost_usd_per_unit": ",.0f", "co2e_kg_per_unit": ",.1f", "modes": "", "chokepoints": "", "corridors": "",
    "message": "",
}  # fmt: skip


def format_compare(frame: pd.DataFrame) -> str:
    """The comparison as a text table (numbers rounded, missing values as ``-``)."""
    columns = [c for c in COMPARE_COLUMNS if c in frame.columns]
    rows = [
        [number_text(record[c], COMPARE_COLUMNS[c]) if COMPARE_COLUMNS[c] else _cell(record[c]) for c in columns]
        for record in frame.to_dict(orient="records")
    ]
    right = [i for i, c in enumerate(columns) if COMPARE_COLUMNS[c]]
    headers = [{"cost_usd": "USD/TEU", "co2_t": "t CO2/TEU", "co2e_t": "t CO2e/TEU"}.get(c, c) for c in columns]
    return format_table(headers, rows, right)


MATRIX_COLUMNS = {
    "origin": "", "destination": "", "status": "", "transit_days": ".1f", "distance_km": ",.0f",
    "cost_usd": ",.0f", "co2_kg": ",.0f", "reason": "",
}  # fmt: skip
"""The columns of the matrix command's text table, with their number formats."""


def format_matrix(frame: pd.DataFrame) -> str:
    """An origin-destination matrix (:meth:`Network.matrix`) as a text table, one row per pair."""
    columns = list(MATRIX_COLUMNS)
    rows = [
        [number_text(record[c], MATRIX_COLUMNS[c]) if MATRIX_COLUMNS[c] else _cell(record[c]) for c in columns]
        for record in frame.to_dict(orient="records")
    ]
    headers = ["origin", "destination", "status", "days", "km", "USD/TEU", "kg CO2/TEU", "reason"]
    return format_table(headers, rows, (3, 4, 5, 6))


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


def no_hubs_reason(net: cp.Network, countries: Sequence[str], kinds: Sequence[str]) -> str:
    """Why ``hubs`` found nothing: the filters, and the kinds and countries the network does have."""
    asked = [f"--country {','.join(c.upper() for c in countries)}"] if countries else []
    asked += [f"--kind {','.join(kinds)}"] if kinds else []
    hubs = [h for h in net.dataset.hubs if not countries or h.country in {c.upper() for c in countries}]
    where = f" in {','.join(c.upper() for c in countries)}" if countries else ""
    have = sorted({h.kind for h in hubs})
    return (
        f"no hub matches {' and '.join(asked) or 'the filters'}; the network's hubs{where} are of kinds "
        f"{', '.join(have) or '(none)'}"
        + ("; airports are the 'city' hubs the air links start from" if "airport" in kinds else "")
    )
