"""What the writers share: rule-table rows, link and hub features, and the checks before writing."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ..model.records import Source
from .geojson import hub_feature, link_feature
from .validate import TABLES, check_source_ids

if TYPE_CHECKING:  # pragma: no cover
    from datetime import date

    from ..errors import Problem
    from ..model.dataset import Dataset
    from ..model.records import (
        BorderRule,
        Corridor,
        Country,
        DwellRule,
        HoursRange,
        ModeDefaults,
        Service,
        TransferRule,
    )
    from ..model.seasons import Season


DATASET_FILES = ("hubs.geojson", "links.geojson", *TABLES)
"""The files of a dataset folder: the only files :func:`write_geojson` writes (or removes)."""

LIST_SEPARATORS = {"aliases": "|", "hubs": "|"}
"""List fields written as text with another separator than ``;``."""


# --------------------------------------------------------------------------- values


def _number_text(value: float) -> str:
    """A float as the shortest text that reads back as the same float (``24.0`` -> ``"24"``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def cell_text(value: Any, sep: str = ";") -> str:
    """A typed value as CSV text, in the conventions of ``data/README.md``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value)
    return str(value)


def _triple(prefix: str, value: HoursRange) -> dict[str, float]:
    return {f"{prefix}_min": value.min, f"{prefix}_typ": value.typ, f"{prefix}_max": value.max}


def _mode_row(m: ModeDefaults) -> dict[str, Any]:
    split = m.speed_source or m.cost_source or m.co2_source
    return {
        "mode": m.mode.value, "speed_kmh": m.speed_kmh, "hours_per_day": m.hours_per_day,
        "cost_usd_per_teu_km": m.cost_usd_per_teu_km, "co2_g_per_tkm": m.co2_g_per_tkm,
        "speed_source": m.speed_source if split else m.source, "cost_source": m.cost_source,
        "co2_source": m.co2_source, "speed_kmh_min": m.speed_kmh_min, "speed_kmh_max": m.speed_kmh_max,
        "hours_per_day_max": m.hours_per_day_max, "crew2_hours_per_day": m.crew2_hours_per_day,
        "crew2_hours_per_day_max": m.crew2_hours_per_day_max, "range_source": m.range_source, "note": m.note,
    }  # fmt: skip


def _service_row(s: Service) -> dict[str, Any]:
    return {
        "id": s.id, "mode": s.mode.value, "name": s.name, "frequency_per_week": s.frequency_per_week,
        "speed_kmh": s.speed_kmh, "co2_g_per_tkm": s.co2_g_per_tkm, "source": s.source, "note": s.note,
        "weekdays": s.weekdays, "departure_hour": s.departure_hour, "on_time_share": s.on_time_share,
        "late_delay_days_mean": s.late_delay_days_mean, "late_source": s.late_source,
    }  # fmt: skip


def _border_row(b: BorderRule) -> dict[str, Any]:
    return {
        "id": b.id, "name": b.name, "mode": b.mode.value, "hubs": b.hubs, **_triple("time_h", b.time_h),
        "cost_usd": b.cost_usd, "source": b.source, "note": b.note,
    }  # fmt: skip


def _transfer_row(t: TransferRule) -> dict[str, Any]:
    return {
        "at": t.at, "from_layer": t.from_layer, "to_layer": t.to_layer, "two_way": t.two_way,
        **_triple("time_h", t.time_h), "cost_usd": t.cost_usd, "source": t.source, "note": t.note,
    }  # fmt: skip


def _dwell_row(d: DwellRule) -> dict[str, Any]:
    return {
        "at": d.at,
        "event": d.event,
        **_triple("time_h", d.time_h),
        "cost_usd": d.cost_usd,
        "source": d.source,
        "note": d.note,
    }


def _day_text(day: date | tuple[int, int]) -> str:
    return f"{day[0]:02d}-{day[1]:02d}" if isinstance(day, tuple) else day.isoformat()


def _season_row(s: Season) -> dict[str, Any]:
    return {
        "id": s.id, "name": s.name, "at": s.at, "modes": s.modes, "start": _day_text(s.start),
        "end": _day_text(s.end), "chance": s.chance, **_triple("time_h", s.time_h), "source": s.source,
        "note": s.note,
    }  # fmt: skip


def _corridor_row(c: Corridor) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "description": c.description, "source": c.source}


def _country_row(c: Country) -> dict[str, Any]:
    return {"iso2": c.iso2, "name": c.name, "sco_status": c.sco_status, "source": c.source}


def _source_row(s: Source) -> dict[str, Any]:
    return {f.name: getattr(s, f.name) for f in fields(Source)}


def _table_items(dataset: Dataset) -> dict[str, list[Any]]:
    """The records of each rule table of a dataset, by file name (``sources.csv`` only when it has sources)."""
    items: dict[str, list[Any]] = {
        "modes.csv": list(dataset.modes.values()), "services.csv": list(dataset.services.values()),
        "borders.csv": list(dataset.borders.values()), "transfers.csv": list(dataset.transfers),
        "dwells.csv": list(dataset.dwells), "corridors.csv": list(dataset.corridors.values()),
        "countries.csv": list(dataset.countries.values()), "seasons.csv": list(dataset.seasons),
    }  # fmt: skip
    if dataset.sources is not None:
        items["sources.csv"] = list(dataset.sources.values())
    return items


_ROW_BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "modes.csv": _mode_row, "services.csv": _service_row, "borders.csv": _border_row, "transfers.csv": _transfer_row,
    "dwells.csv": _dwell_row, "corridors.csv": _corridor_row, "countries.csv": _country_row, "sources.csv": _source_row,
    "seasons.csv": _season_row,
}  # fmt: skip
"""Rule-table record -> row, with exactly the columns of ``TABLES`` in their order."""


def table_rows(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """The rule tables of a dataset as typed rows, by file name, in the columns :func:`read_dataset` reads.

    Values are typed (float, bool, str, tuples for lists, ``None`` when
    missing); :func:`write_geojson` turns them into CSV text. ``sources.csv``
    is included only when the dataset has sources.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> rows = table_rows(cp.load_network().dataset)
    >>> rows["modes.csv"][0]["mode"], sorted(rows) == sorted(TABLES)
    ('rail', True)
    """
    return {name: [_ROW_BUILDERS[name](item) for item in items] for name, items in _table_items(dataset).items()}


def _file_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """Feature properties as ``links.geojson`` stores them: empty text and empty lists as null."""
    return {k: (None if v == "" or (isinstance(v, (list, tuple)) and not v) else v) for k, v in props.items()}


_OPTIONAL_LINK_FIELDS = ("cost_usd_per_teu_km", "co2_g_per_tkm", "terrain", "circuity")
"""Per-link overrides and circuity details left out of ``links.geojson`` when unset, as in the shipped file."""


def dataset_features(dataset: Dataset) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    hubs = [{**f, "properties": _file_properties(f["properties"])} for f in map(hub_feature, dataset.hubs)]
    links = []
    for feature in map(link_feature, dataset.links):
        props = _file_properties(feature["properties"])
        for name in _OPTIONAL_LINK_FIELDS:
            if props.get(name) is None:
                props.pop(name, None)
        links.append({**feature, "properties": props})
    return hubs, links


def _source_problems(dataset: Dataset) -> list[Problem]:
    """What the source check of :func:`read_dataset` will find in the written dataset (nothing without sources)."""
    if dataset.sources is None:
        return []
    problems: list[Problem] = []
    tables = _table_items(dataset)
    del tables["sources.csv"]
    check_source_ids(dataset.hubs, dataset.links, tables, dataset.sources, problems)
    return problems


def warn_lossy(dataset: Dataset, where: str) -> None:
    """Warn about what the written dataset will not load as: missing sources, the year the format does not hold."""
    problems = _source_problems(dataset)
    if problems:
        listed = "; ".join(str(p) for p in problems[:5]) + (
            f"; ... and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        warnings.warn(
            f"{where} will not load until its sources table lists what {len(problems)} record(s) cite "
            f"(records added or changed without sources, e.g. by Network.extend or a scenario): {listed}",
            UserWarning,
            stacklevel=4,
        )
    if dataset.as_of is not None:
        warnings.warn(
            f"{where} does not hold the network's year (as_of={dataset.as_of}): loaded again, it plans for the "
            "current year unless a query gives as_of",
            UserWarning,
            stacklevel=4,
        )
