"""Telling the routes of a result set apart: unique labels, a one-line reason, no detour stages.

Alternatives and Pareto fronts often hold routes on the same corridors; a reader
needs to see at a glance how they differ. :func:`distinguish` gives each route a
label unique in its set (its corridors, then the chokepoint, gateway or transfer
hub that sets it apart) and a reason relative to the first route of the set
(corridor, gateway, chokepoint, country avoided, and the trade-off in days and
USD). :func:`has_detour` finds the stages a reader would call a detour: a ship
stage far longer than the way between its ends (a Mediterranean port sailing to
North Europe round the Cape of Good Hope).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .route import Leg, Route

DETOUR_FACTOR = 4.0
"""A stage longer than this many times the great-circle distance between its ends is a detour.

Asia - Europe liner routes round the Cape are about 2.9 times the great-circle
distance (Shanghai - Rotterdam 13,800 nm, Rodrigue, ``S-RODRIGUE``, against about
8,900 km), so 4 keeps every intercontinental lane and drops a Mediterranean or
Black Sea port sailing to North Europe round Africa (about 11 times).
"""


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


U_TURN_DEG = 150.0
"""Two consecutive sea legs whose headings at the hub between them differ by more than this turn back: a box
that stays aboard while its ship sails out to a canal entrance and back (Ambarli - Port Said - Trieste) has made a
detour no shipper would book."""


def _bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x))


def _turns_back(before: Leg, after: Leg) -> bool:
    into, out = list(before.geometry.coords)[-2:], list(after.geometry.coords)[:2]
    if len(into) < 2 or len(out) < 2:
        return False
    turn = abs((_bearing(out[0], out[1]) - _bearing(into[0], into[1]) + 180.0) % 360.0 - 180.0)
    return turn > U_TURN_DEG


def has_detour(route: Route, factor: float = DETOUR_FACTOR) -> bool:
    """Whether ``route`` has a stage on one layer (one train, one ship) ``factor`` times longer than the way between
    its ends, or a ship that turns back at a hub while the box stays aboard (:data:`U_TURN_DEG`)."""
    legs = route.legs
    for before, after in itertools.pairwise(legs):
        if before.mode == "sea" and after.layer == before.layer and _turns_back(before, after):
            return True
    start = 0
    for i, leg in enumerate(legs):
        last = i + 1 == len(legs) or legs[i + 1].layer != leg.layer or bool(legs[i + 1].stops_before)
        if not last:
            continue
        stage = legs[start : i + 1]
        start = i + 1
        a, b = stage[0].geometry.coords[0], stage[-1].geometry.coords[-1]
        direct = _km((a[0], a[1]), (b[0], b[1]))
        if direct > 0 and sum(x.distance_km for x in stage) > factor * max(direct, 500.0):
            return True
    return False


def _names(routes: Sequence[Route]) -> dict[str, str]:
    names: dict[str, str] = {}
    for route in routes:
        for leg in route.legs:
            names[leg.origin] = leg.origin_name
            names[leg.destination] = leg.destination_name
    return names


def _gateway(hub_pair: str, names: dict[str, str]) -> str:
    return "/".join(names.get(h, h).split(" (")[0] for h in hub_pair.split("|"))


def _features(route: Route, names: dict[str, str]) -> list[str]:
    """What can set a route apart in its label, most telling first."""
    return [
        *(f"via {c}" for c in route.chokepoints),
        *(f"via {_gateway(g, names)}" for g in route.gateways),
        *(f"at {names.get(h, h).split(' (')[0]}" for h in route.transfer_hubs),
        *(f"through {c}" for c in route.countries),
    ]


def _join(items: Sequence[str]) -> str:
    return ", ".join(items)


def _reason(route: Route, first: Route, names: dict[str, str]) -> str:
    parts = []
    if route.corridor_label != first.corridor_label:
        parts.append(f"by {route.corridor_label} instead of {first.corridor_label}")
    avoided = [c for c in first.countries if c not in route.countries]
    if avoided:
        parts.append(f"avoids {_join(avoided)}")
    gone = [c for c in first.chokepoints if c not in route.chokepoints]
    new = [c for c in route.chokepoints if c not in first.chokepoints]
    if gone:
        parts.append(f"avoids {_join(gone)}")
    if new:
        parts.append(f"passes {_join(new)}")
    if set(route.gateways) != set(first.gateways) and route.gateways:
        here = [_gateway(g, names) for g in route.gateways if g not in first.gateways][:2]
        if here:
            parts.append(f"crosses at {_join(here)}")
    if not parts:
        swapped = [names.get(h, h).split(" (")[0] for h in route.transfer_hubs if h not in first.transfer_hubs]
        if swapped:
            parts.append(f"changes at {_join(swapped)}")
        else:
            parts.append("same corridors, other stations")
    days = route.transit_days - first.transit_days
    cost = route.cost_usd - first.cost_usd
    parts.append(f"{days:+.1f} days, USD {cost:+,.0f}/TEU")
    return "; ".join(parts)


def distinguish(routes: Sequence[Route], first_reason: str) -> list[Route]:
    """The routes with a label unique in the set (:attr:`Route.tag`) and a :attr:`Route.reason`.

    Routes on the same corridors get, appended to their corridor label, the first of
    their chokepoints, gateways, transfer hubs or countries that not all of the others
    share; then the next, until the labels differ; as a last resort a number.
    """
    names = _names(routes)
    labels = [r.corridor_label for r in routes]
    features = [_features(r, names) for r in routes]
    for _ in range(4):
        groups: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            groups.setdefault(label, []).append(i)
        clashes = [idx for idx in groups.values() if len(idx) > 1]
        if not clashes:
            break
        for idx in clashes:
            for i in idx:
                others = [set(features[j]) for j in idx if j != i]
                pick = next((f for f in features[i] if any(f not in o for o in others)), None)
                if pick is not None:
                    features[i] = [f for f in features[i] if f != pick]
                    labels[i] = f"{labels[i]} {pick}"
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} #{seen[label]}"
    return [
        replace(r, tag=labels[i], reason=first_reason if i == 0 else _reason(r, routes[0], names))
        for i, r in enumerate(routes)
    ]
