"""Builders of tiny hand-made networks whose answers are known by hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import corridor_planner as cp

MODES = [
    {"mode": "rail", "speed_kmh": 50, "hours_per_day": 24, "cost_usd_per_teu_km": 1.0, "co2_g_per_tkm": 20},
    {"mode": "road", "speed_kmh": 50, "hours_per_day": 12, "cost_usd_per_teu_km": 2.0, "co2_g_per_tkm": 100},
    {"mode": "sea", "speed_kmh": 25, "hours_per_day": 24, "cost_usd_per_teu_km": 0.5, "co2_g_per_tkm": 10},
    {"mode": "air", "speed_kmh": 500, "hours_per_day": 24, "cost_usd_per_teu_km": 10.0, "co2_g_per_tkm": 500},
    {"mode": "pipeline", "speed_kmh": 5, "hours_per_day": 24, "cost_usd_per_teu_km": 0.1, "co2_g_per_tkm": 1},
]


def hub(
    hub_id: str, country: str = "KZ", kind: str = "city", lon: float = 0.0, lat: float = 0.0, **kw: Any
) -> dict[str, Any]:
    return {"id": hub_id, "name": hub_id.upper(), "country": country, "kind": kind, "lon": lon, "lat": lat, **kw}


def link(link_id: str, a: str, b: str, mode: str = "rail", km: float = 100.0, **kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": link_id, "from": a, "to": b, "mode": mode, "distance_km": km, **kw}
    if mode == "rail":
        rec.setdefault("gauge_mm", 1520)
    return rec


def build(
    hubs: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
    **tables: Iterable[Mapping[str, Any]],
) -> cp.Network:
    """A network from records; table keyword names drop '.csv' (borders=..., transfers=...)."""
    named = {f"{k}.csv": list(v) for k, v in tables.items()}
    named.setdefault("modes.csv", MODES)
    return cp.Network.from_records(list(hubs), list(links), named)


def triple(t: float) -> dict[str, float]:
    return {"time_h_min": t / 2, "time_h_typ": t, "time_h_max": t * 2}
