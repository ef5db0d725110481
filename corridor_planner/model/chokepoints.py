"""Maritime chokepoints as geometry: which passages a sea lane passes is computed, never typed in.

Each chokepoint is either a **gate**, a line drawn across a strait or canal
from land to land (a lane passes the chokepoint when it crosses the line), or
an **area** (a lane passes when it enters it: the Caspian, a closed sea). This
module is the one place where they are defined; ``scripts/build_dataset.py``
(the shipped sea links) and :meth:`Network.extend <corridor_planner.Network.extend>`
(users' sea links) tag every sea lane with :func:`lane_chokepoints`, and
``tests/test_chokepoints.py`` checks the shipped links against it and each gate
against the Natural Earth coastline (both ends on land, one stretch of water).

A lane that only *ends* at a chokepoint's waypoint hub (Port Said for Suez,
the Cape of Good Hope waypoint) passes it only if it crosses the gate; the hub
itself keeps its ``chokepoint`` and the router adds that to every leg touching
the hub, so a route through Port Said still passes Suez.

Examples
--------
>>> from shapely.geometry import LineString
>>> lane_chokepoints(LineString([(23.6, 37.9), (-10.0, 36.0), (4.0, 52.0)]))  # Piraeus - Gibraltar - Rotterdam
('gibraltar',)
>>> lane_chokepoints(LineString([(51.2, 43.6), (49.4, 40.0)]))  # Aktau - Alat
('caspian',)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import shapely
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Chokepoint:
    """One maritime chokepoint: an id, a display name and its gate line or area (lon/lat, EPSG:4326)."""

    id: str
    name: str
    kind: str
    """``gate`` (a line across the passage, from land to land) or ``area`` (a closed sea)."""
    geometry: BaseGeometry
    note: str = ""


def _gate(id: str, name: str, points: Iterable[tuple[float, float]], note: str) -> Chokepoint:
    return Chokepoint(id, name, "gate", LineString(list(points)), note)


CHOKEPOINTS: dict[str, Chokepoint] = {
    c.id: c
    for c in (
        _gate(
            "suez",
            "Suez Canal",
            [(31.6, 30.55), (33.0, 30.55)],
            "across the canal near Ismailia, between its two ends (Port Said 31.3 N, Suez 29.9 N)",
        ),
        _gate(
            "babalmandab",
            "Bab-el-Mandeb",
            [(42.6, 12.2), (43.9, 12.95)],
            "across the strait from Djibouti/Eritrea to Yemen (Perim island)",
        ),
        _gate(
            "hormuz",
            "Strait of Hormuz",
            [(56.2, 25.9), (57.4, 27.0)],
            "from the Musandam peninsula (Oman) to the Iranian coast east of Bandar Abbas: between the Gulf and the"
            " Gulf of Oman",
        ),
        _gate(
            "malacca",
            "Strait of Malacca",
            [(102.2, 3.3), (100.6, 1.2)],
            "across the strait from peninsular Malaysia (south of Port Klang) to Sumatra",
        ),
        _gate(
            "sunda",
            "Sunda Strait",
            [(105.5, -5.4), (106.1, -6.4)],
            "across the strait from Sumatra to Java",
        ),
        _gate(
            "gibraltar",
            "Strait of Gibraltar",
            [(-5.6, 35.2), (-5.6, 36.6)],
            "along 5.6 W from Morocco to Spain (Tarifa)",
        ),
        _gate(
            "bosporus",
            "Bosporus",
            [(28.7, 41.1), (29.4, 41.1)],
            "along 41.1 N across the Bosporus, between the Sea of Marmara (Ambarli, Istanbul's port) and the Black Sea",
        ),
        _gate(
            "dardanelles",
            "Dardanelles",
            [(26.3, 40.35), (27.0, 39.75)],
            "across the Dardanelles at Canakkale, between the Aegean and the Sea of Marmara",
        ),
        _gate(
            "cape_of_good_hope",
            "Cape of Good Hope (Cape Agulhas)",
            [(20.0, -34.3), (20.0, -72.0)],
            "along 20 E (Cape Agulhas, the Atlantic - Indian Ocean boundary) from the South African coast to"
            " Antarctica: every lane round southern Africa crosses it",
        ),
        Chokepoint(
            "caspian",
            "Caspian Sea",
            "area",
            box(46.0, 36.0, 56.0, 48.0),
            "a landlocked sea: every sea lane inside it crosses the Caspian (a box holding no other sea)",
        ),
    )
}
"""Every chokepoint, by id: the ids ``avoid_chokepoints``, scenarios and hubs' ``chokepoint`` use."""


@cache
def _prepared(chokepoint_id: str) -> BaseGeometry:
    geometry = CHOKEPOINTS[chokepoint_id].geometry
    shapely.prepare(geometry)
    return geometry


def lane_chokepoints(line: LineString) -> tuple[str, ...]:
    """The chokepoints a lane passes, sorted by id: the gates it crosses and the areas it enters.

    Parameters
    ----------
    line : shapely LineString
        The lane, lon/lat in EPSG:4326 (as stored in ``links.geojson``).
    """
    return tuple(sorted(c for c in CHOKEPOINTS if _prepared(c).intersects(line)))
