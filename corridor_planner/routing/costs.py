"""How a link, a transfer or a dwell turns into time, cost and emissions.

One place for the arithmetic of the model:

- moving a TEU along a link takes ``distance_km / speed_kmh`` hours of running,
  plus ``rest`` when the mode moves fewer than 24 hours a day (a truck
  driver's rest); the speed is the link's own, else its service's, else the
  mode default;
- it costs ``distance_km * cost_usd_per_teu_km`` and emits
  ``distance_km * TONNES_PER_TEU * co2_g_per_tkm / 1000`` kg CO2;
- crossing a land border, changing gauge, changing mode, transshipping,
  waiting for a scheduled service, dwelling in a port, calling at a port and
  transiting a canal are *parts* with a min/typical/max time and a cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.layers import layer_mode
from ..model.records import HoursRange
from ..model.timetable import Timetable

if TYPE_CHECKING:  # pragma: no cover
    from ..model.records import DwellRule, Hub, Link, Mode, ModeDefaults, Service, TransferRule


TONNES_PER_TEU = 10.0
"""Average cargo mass of a loaded TEU used for emissions (source ``S-TONNES-PER-TEU`` in data/sources.csv)."""

COMPONENTS = (
    "moving", "rest", "border", "gauge_change", "transfer", "transshipment",
    "waiting", "port_dwell", "port_call", "canal_transit",
)  # fmt: skip
"""The components of transit time, in the order a breakdown lists them."""


@dataclass(frozen=True)
class Part:
    """One component of an edge: where it happens, how long (min/typ/max hours), what it costs."""

    component: str
    hub: str
    time_h: HoursRange
    cost_usd: float = 0.0
    note: str = ""
    group: str = ""
    """The correlation group of its time (``caspian``, ``border:rail:CN-KZ``...): parts of one group share one draw
    per trip in :meth:`Route.distribution <corridor_planner.routing.route.Route.distribution>`; empty: independent."""
    timetable: Timetable | None = None
    """For a wait to board a service or a train: its departures (a dated plan waits for the next one)."""


CORRELATED_CHOKEPOINTS = ("caspian",)
"""Seas whose ports share one congestion draw per trip: every dwell, wait and transfer at a port on a sea link
passing one of these is in the correlation group named after it (a shortage of vessels delays them all)."""

CREWS = (1, 2)
"""Drivers per truck: one, or two (multi-manning under EU 561/2006 and AETR, ``modes.csv`` crew2 columns)."""


class CostModel:
    """Resolves the rule that applies to a link, a transfer or a dwell at a hub."""

    def __init__(
        self,
        modes: Mapping[Mode, ModeDefaults],
        services: Mapping[str, Service],
        transfers: Iterable[TransferRule],
        dwells: Iterable[DwellRule],
    ) -> None:
        self.modes = modes
        self.services = services
        self._transfers = tuple(transfers)
        self._dwells = tuple(dwells)

    # ----------------------------------------------------------------- links
    def speed_kmh(self, link: Link) -> float:
        if link.speed_kmh is not None:
            return link.speed_kmh
        service = self.services.get(link.service) if link.service else None
        if service is not None and service.speed_kmh is not None:
            return service.speed_kmh
        return self.modes[link.mode].speed_kmh

    def co2_g_per_tkm(self, link: Link) -> float:
        if link.co2_g_per_tkm is not None:
            return link.co2_g_per_tkm
        service = self.services.get(link.service) if link.service else None
        if service is not None and service.co2_g_per_tkm is not None:
            return service.co2_g_per_tkm
        return self.modes[link.mode].co2_g_per_tkm

    def moving_range(self, link: Link) -> HoursRange:
        """Running time of ``link``: min at the fast end of its mode's speed range, max at the slow end.

        A link or service with its own speed takes the mode's range in proportion (``A-T-SPEED-RATIO``).
        """
        running_h = link.distance_km / self.speed_kmh(link)
        low, high = self.modes[link.mode].speed_ratios()
        return HoursRange(running_h / high, running_h, running_h / low)

    def rest_h(self, link: Link, crew: int = 1) -> float:
        """Typical hours stopped (driver's rest) while traversing ``link`` with ``crew`` drivers."""
        hours = self.modes[link.mode].driving_hours(crew).typ
        if hours >= 24.0:
            return 0.0
        return link.distance_km / self.speed_kmh(link) * (24.0 / hours - 1.0)

    def link_parts(self, link: Link) -> tuple[Part, ...]:
        """The moving (and rest) parts of traversing ``link`` (rest for one driver; see :meth:`rest_h`)."""
        moving = self.moving_range(link)
        running_h = moving.typ
        parts = [
            Part(
                "moving",
                link.from_hub,
                HoursRange(moving.min, running_h, moving.max),
                group=f"moving:{link.mode.value}",
            )
        ]
        if self.modes[link.mode].hours_per_day < 24.0:
            rest_h = self.rest_h(link)
            parts.append(Part("rest", link.from_hub, HoursRange(rest_h, rest_h, rest_h), note="stops while not moving"))
        return tuple(parts)

    def cost_usd_per_teu_km(self, link: Link) -> float:
        if link.cost_usd_per_teu_km is not None:
            return link.cost_usd_per_teu_km
        return self.modes[link.mode].cost_usd_per_teu_km

    def link_cost_usd(self, link: Link) -> float:
        return link.distance_km * self.cost_usd_per_teu_km(link)

    def link_co2_kg(self, link: Link) -> float:
        return link.distance_km * TONNES_PER_TEU * self.co2_g_per_tkm(link) / 1000.0

    # ----------------------------------------------------------------- hubs
    @staticmethod
    def _at_rank(at: str, hub: Hub) -> int:
        if at == hub.id:
            return 2
        if at == f"kind:{hub.kind}":
            return 1
        if at == "*":
            return 0
        return -1

    @staticmethod
    def _layer_rank(rule_layer: str, layer: str) -> int:
        if rule_layer == layer or (rule_layer == "sea" and layer.startswith("sea:")):
            return 1
        if rule_layer == layer_mode(layer) and rule_layer != layer:
            return 0
        return -1

    def transfer(self, hub: Hub, from_layer: str, to_layer: str) -> TransferRule | None:
        """The most specific rule for changing from one layer to another at ``hub``, if any."""
        gauge_change = from_layer.startswith("rail") and to_layer.startswith("rail")
        best: tuple[int, int, int] | None = None
        found = None
        for order, rule in enumerate(self._transfers):
            at = self._at_rank(rule.at, hub)
            if at < 0:
                continue
            for a, b in (
                (rule.from_layer, rule.to_layer),
                (rule.to_layer, rule.from_layer) if rule.two_way else (None, None),
            ):
                if a is None or b is None:
                    continue
                ra, rb = self._layer_rank(a, from_layer), self._layer_rank(b, to_layer)
                if ra < 0 or rb < 0:
                    continue
                if gauge_change and (ra == 0 or rb == 0):
                    continue  # a gauge change needs a rule naming both gauges
                rank = (at, ra + rb, -order)
                if best is None or rank > best:
                    best, found = rank, rule
        return found

    def dwell(self, hub: Hub, event: str) -> DwellRule | None:
        """The most specific dwell rule of ``event`` at ``hub``, if any."""
        best = None
        found = None
        for order, rule in enumerate(self._dwells):
            if rule.event != event:
                continue
            rank = self._at_rank(rule.at, hub)
            if rank >= 0 and (best is None or (rank, -order) > best):
                best, found = (rank, -order), rule
        return found

    def dwell_part(self, hub: Hub, event: str, note: str = "") -> Part | None:
        rule = self.dwell(hub, event)
        if rule is None:
            return None
        return Part(event, hub.id, rule.time_h, rule.cost_usd, note)

    def wait_part(self, hub: Hub, layer: str, from_layer: str | None = None) -> Part | None:
        """Waiting at ``hub`` to board the service of ``layer`` (coming from ``from_layer``; ``None`` at the trip's start).

        - a sea layer: its scheduled service, half the headway (``services.csv``);
        - a rail layer: the ``train_departure`` dwell rule of the hub (``dwells.csv``:
          where trains are formed and how often they leave), but only when the box
          *boards* a train: at the start, or off a truck or a plane. A box that stays
          on its block train through a border or a gauge change (rail -> rail) does not
          wait, nor does one discharged from a ship onto a train (the port dwell holds
          the yard time and the train formation).
        """
        mode = layer_mode(layer)
        if mode == "rail":
            if from_layer is not None and layer_mode(from_layer) in ("rail", "sea"):
                return None
            rule = self.dwell(hub, "train_departure")
            if rule is None:
                return None
            # the typical wait is half the headway (dwells.csv): trains leave every 2 x typ hours from phase 0
            timetable = Timetable.headway(2.0 * rule.time_h.typ) if rule.time_h.typ > 0 else None
            return Part("waiting", hub.id, rule.time_h, rule.cost_usd, "train departure", timetable=timetable)
        service_id = layer.split(":", 1)[1] if layer.startswith("sea:") else None
        service = self.services.get(service_id) if service_id else None
        if service is None:
            return None
        note = f"{service.name}: {service.frequency_per_week:g} departures a week"
        return Part("waiting", hub.id, service.wait, 0.0, note, timetable=service.timetable)
