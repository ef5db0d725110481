"""Reading and validating the emission tables of a dataset folder (ISO 14083 / GLEC, :data:`~corridor_planner.model.emissions.EMISSION_TABLES`).

Like the dataset reader, it collects every problem (file, record, field,
reason) and raises one :class:`~corridor_planner.errors.NetworkValidationError`
listing them all. The method itself is :mod:`corridor_planner.routing.emissions`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import NetworkValidationError, Problem
from ..model.dataset import default_data_dir
from ..model.emissions import (
    EMISSION_TABLES,
    FACTOR_BASES,
    HUB_COMPONENTS,
    EmissionFactor,
    EmissionTables,
    EnergyCarrier,
    HubFactor,
    Unit,
)
from ..model.records import CARGO_CLASSES, Mode
from .validate import read_csv

__all__ = ["dangling_sources", "read_emission_tables"]


class _Row:
    def __init__(self, raw: Mapping[str, Any], file: str, record: str, problems: list[Problem]) -> None:
        self.raw, self.file, self.record, self.problems = raw, file, record, problems

    def problem(self, fld: str, reason: str) -> None:
        self.problems.append(Problem(self.file, self.record, fld, reason))

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.raw.get(name)
        text = "" if value is None else str(value).strip()
        if not text and required:
            self.problem(name, "is missing")
        return text

    def number(
        self, name: str, *, required: bool = False, low: float = 0.0, high: float = math.inf, open_low: bool = False
    ) -> float | None:
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            self.problem(name, f"must be a number, not {text!r}")
            return None
        if not math.isfinite(value) or value < low or value > high or (open_low and value == low):
            bound = f"{'>' if open_low else '>='} {low:g}" + (f" and <= {high:g}" if math.isfinite(high) else "")
            self.problem(name, f"must be a finite number {bound}, not {text}")
            return None
        return value

    def items(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.text(name, required=required).split(";") if p.strip())


def _read(folder: Path, name: str, problems: list[Problem]) -> list[dict[str, str]]:
    path = folder / name
    if not path.is_file():
        problems.append(Problem(name, "", "", f"is missing from {folder}"))
        return []
    return read_csv(path, problems) or []


def _check_header(rows: list[dict[str, str]], name: str, fields: tuple[str, ...], problems: list[Problem]) -> None:
    if rows:
        unknown = sorted(set(rows[0]) - set(fields))
        missing = sorted(set(fields) - set(rows[0]))
        for fld in unknown:
            problems.append(Problem(name, "header", fld, f"is not a known field, the fields are {', '.join(fields)}"))
        for fld in missing:
            problems.append(Problem(name, "header", fld, "is missing"))


def _unique(items: Iterable[Any], name: str, problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if item.id in out:
            problems.append(Problem(name, item.id, "id", "is not unique"))
        out[item.id] = item
    return out


_CARRIER_FIELDS = ("id", "name", "kind", "ttw", "wtw", "unit", "source", "note")
_FACTOR_FIELDS = (
    "id", "mode", "service", "country", "vehicle", "carrier", "ttw_g_per_tkm", "wtt_g_per_tkm", "kwh_per_tkm",
    "basis", "load_factor", "empty_running", "source", "note",
)  # fmt: skip
_HUB_FIELDS = ("id", "component", "at", "carrier", "ttw_kg_per_teu", "source", "note")
_UNIT_FIELDS = ("unit", "size", "size_unit", "cargo", "source", "note")


def _carriers(rows: list[dict[str, str]], problems: list[Problem]) -> dict[str, EnergyCarrier]:
    name = "energy_carriers.csv"
    out = []
    for i, raw in enumerate(rows, start=2):
        rec = _Row(raw, name, raw.get("id") or f"line {i}", problems)
        before = len(problems)
        kind = rec.text("kind")
        if kind and kind not in ("fuel", "electricity"):
            rec.problem("kind", f"{kind!r} is not one of electricity, fuel")
        ttw = rec.number("ttw", required=True, high=1e4)
        wtw = rec.number("wtw", required=kind == "fuel", high=1e4)
        if kind == "fuel" and ttw is not None and wtw is not None and not 0 < ttw <= wtw:
            rec.problem("wtw", f"a fuel needs 0 < ttw <= wtw, got ttw {ttw:g} and wtw {wtw:g}")
        if kind == "electricity" and ttw:
            rec.problem("ttw", "electricity emits nothing at the point of use: ttw must be 0")
        carrier = EnergyCarrier(
            rec.text("id"), rec.text("name"), kind, ttw or 0.0, wtw, rec.text("unit"), rec.items("source"),
            rec.text("note", required=False),
        )  # fmt: skip
        if len(problems) == before:
            out.append(carrier)
    return _unique(out, name, problems)


def _factors(
    rows: list[dict[str, str]], carriers: Mapping[str, EnergyCarrier], problems: list[Problem]
) -> list[EmissionFactor]:
    name = "emission_factors.csv"
    modes = [m.value for m in Mode]
    out = []
    for i, raw in enumerate(rows, start=2):
        rec = _Row(raw, name, raw.get("id") or f"line {i}", problems)
        before = len(problems)
        mode = rec.text("mode")
        if mode and mode not in modes:
            rec.problem("mode", f"{mode!r} is not one of {', '.join(modes)}")
        carrier_id = rec.text("carrier")
        carrier = carriers.get(carrier_id)
        if carrier_id and carrier is None:
            rec.problem(
                "carrier", f"{carrier_id!r} is not an id of energy_carriers.csv ({', '.join(sorted(carriers))})"
            )
        ttw = rec.number("ttw_g_per_tkm", high=1e4)
        wtt = rec.number("wtt_g_per_tkm", high=1e4)
        kwh = rec.number("kwh_per_tkm", high=10.0)
        basis = rec.text("basis", required=False) or "average"
        if basis not in FACTOR_BASES:
            rec.problem("basis", f"{basis!r} is not one of {', '.join(FACTOR_BASES)}")
        load = rec.number("load_factor", low=0.0, high=1.0, open_low=True)
        empty = rec.number("empty_running", high=1.0)
        if basis == "laden" and load is None:
            rec.problem("load_factor", "a basis=laden factor needs the load factor it is divided by")
        if carrier is not None and carrier.kind == "fuel":
            if ttw is None:
                rec.problem("ttw_g_per_tkm", f"is missing (carrier {carrier_id!r} is a fuel)")
            if kwh is not None:
                rec.problem("kwh_per_tkm", f"is for electric traction, but carrier {carrier_id!r} is a fuel")
        if carrier is not None and carrier.kind == "electricity":
            if ttw:
                rec.problem("ttw_g_per_tkm", "must be empty or 0 for electricity (nothing is burnt on board)")
            if (kwh is None) == (wtt is None):
                rec.problem("kwh_per_tkm", "electric traction needs either kwh_per_tkm or wtt_g_per_tkm (not both)")
            elif kwh is not None and carrier.kg_per_kwh is None:
                rec.problem("carrier", f"{carrier_id!r} has no grid factor (wtw) to multiply kwh_per_tkm by")
        factor = EmissionFactor(
            rec.text("id"), mode, rec.text("service", required=False) or None,
            (rec.text("country", required=False) or "").upper() or None, rec.text("vehicle", required=False),
            carrier_id, ttw, wtt, kwh, basis, load, empty, rec.items("source"), rec.text("note", required=False),
        )  # fmt: skip
        if len(problems) == before:
            out.append(factor)
    _unique(out, name, problems)
    defaults = {f.mode for f in out if f.service is None and f.country is None}
    for mode in modes:
        if mode not in defaults:
            problems.append(Problem(name, "", "mode", f"no default row (no service, no country) for mode {mode!r}"))
    return out


def _hub_factors(
    rows: list[dict[str, str]], carriers: Mapping[str, EnergyCarrier], problems: list[Problem]
) -> list[HubFactor]:
    name = "hub_emission_factors.csv"
    out = []
    for i, raw in enumerate(rows, start=2):
        rec = _Row(raw, name, raw.get("id") or f"line {i}", problems)
        before = len(problems)
        components = rec.items("component")
        for component in components:
            if component not in HUB_COMPONENTS:
                rec.problem("component", f"{component!r} is not one of {', '.join(HUB_COMPONENTS)}")
        carrier = rec.text("carrier")
        if carrier and carrier not in carriers:
            rec.problem("carrier", f"{carrier!r} is not an id of energy_carriers.csv")
        ttw = rec.number("ttw_kg_per_teu", required=True, high=1e4)
        factor = HubFactor(
            rec.text("id"), components, rec.text("at", required=False) or "*", carrier, ttw or 0.0,
            rec.items("source"), rec.text("note", required=False),
        )  # fmt: skip
        if len(problems) == before:
            out.append(factor)
    _unique(out, name, problems)
    return out


def _units(rows: list[dict[str, str]], problems: list[Problem]) -> dict[str, Unit]:
    name = "units.csv"
    out = []
    for i, raw in enumerate(rows, start=2):
        rec = _Row(raw, name, raw.get("unit") or f"line {i}", problems)
        before = len(problems)
        size = rec.number("size", required=True, open_low=True, high=1e6)
        size_unit = rec.text("size_unit")
        if size_unit and size_unit not in ("teu", "t"):
            rec.problem("size_unit", f"{size_unit!r} is not one of t, teu")
        cargo = rec.items("cargo")
        for c in cargo:
            if c not in CARGO_CLASSES:
                rec.problem("cargo", f"{c!r} is not one of {', '.join(sorted(CARGO_CLASSES))}")
        unit = Unit(
            rec.text("unit"), size or 1.0, size_unit, cargo, rec.items("source"), rec.text("note", required=False)
        )
        if len(problems) == before:
            out.append(unit)
    return _unique(out, name, problems)


def read_emission_tables(path: str | Path | None = None) -> EmissionTables:
    """Read and validate the emission tables of a dataset folder (``None``: the shipped ones).

    When the folder holds ``sources.csv`` every source id is checked against it.

    Raises
    ------
    NetworkValidationError
        Listing every problem (file, record, field, reason).
    """
    folder = default_data_dir() if path is None else Path(path)
    problems: list[Problem] = []
    raw = {name: _read(folder, name, problems) for name in EMISSION_TABLES}
    fields = (_CARRIER_FIELDS, _FACTOR_FIELDS, _HUB_FIELDS, _UNIT_FIELDS)
    for name, known in zip(EMISSION_TABLES, fields, strict=True):
        _check_header(raw[name], name, known, problems)
    carriers = _carriers(raw["energy_carriers.csv"], problems)
    factors = _factors(raw["emission_factors.csv"], carriers, problems)
    hubs = _hub_factors(raw["hub_emission_factors.csv"], carriers, problems)
    units = _units(raw["units.csv"], problems)
    for needed in ("teu", "tonne"):
        if raw["units.csv"] and needed not in units:
            problems.append(Problem("units.csv", needed, "unit", "is missing (every dataset needs it)"))
    tables = EmissionTables(carriers, tuple(factors), tuple(hubs), units, origin=str(folder))
    if (folder / "sources.csv").is_file():
        known_ids = {row.get("id", "") for row in read_csv(folder / "sources.csv", problems) or []}
        problems += dangling_sources(tables, known_ids)
    if problems:
        raise NetworkValidationError(problems, str(folder))
    return tables


def dangling_sources(tables: EmissionTables, known: Iterable[str]) -> list[Problem]:
    """Problems for every source id of the tables that ``known`` (ids of sources.csv) lacks, and every row without one."""
    ids = set(known)
    problems = []
    rows: list[tuple[str, str, tuple[str, ...]]] = [
        *(("energy_carriers.csv", c.id, c.source) for c in tables.carriers.values()),
        *(("emission_factors.csv", f.id, f.source) for f in tables.factors),
        *(("hub_emission_factors.csv", h.id, h.source) for h in tables.hub_factors),
        *(("units.csv", u.id, u.source) for u in tables.units.values()),
    ]
    for file, record, sources in rows:
        if not sources:
            problems.append(Problem(file, record, "source", "is missing: every factor needs a source row"))
        for sid in sources:
            if sid not in ids:
                problems.append(Problem(file, record, "source", f"{sid!r} is not an id of sources.csv"))
    return problems
