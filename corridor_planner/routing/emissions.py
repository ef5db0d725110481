"""Greenhouse gas emissions by ISO 14083 / the GLEC Framework, and the units figures are reported in.

The method (the README's "Emissions method"):

- a **leg** moves ``distance_km x TONNES_PER_TEU`` tonne-km per TEU; its
  tank-to-wheel (TTW) CO2e is that activity times the intensity of the
  *emission factor* that applies to the link (``data/emission_factors.csv``:
  the most specific row by sea service, then by country, then the mode's
  default), and its well-to-tank (WTT) CO2e is the TTW times the energy
  carrier's WTT/TTW ratio (``data/energy_carriers.csv``: diesel, HFO, VLSFO,
  jet kerosene) or, for electric traction, ``kWh per tkm x`` the grid factor of
  the country's electricity (all of it WTT: nothing is burnt on board);
  well-to-wheel (WTW) = TTW + WTT;
- a factor of ``basis=average`` (every shipped row) already contains its
  fleet's average load factor and empty running, which are stated, not applied
  again; a ``basis=laden`` factor (a full-load intensity) is divided by its
  ``load_factor`` and multiplied by ``1 + empty_running``;
- a **hub activity** (mode transfer, sea transshipment, rail gauge change) is
  one container handling: ``data/hub_emission_factors.csv`` gives its TTW per
  TEU and energy carrier; border stops, waits and dwells emit nothing;
- every result is per TEU (the model's unit); a
  :class:`~corridor_planner.model.emissions.Unit` converts to FEU, tonnes,
  wagons, trucks or barrels (``data/units.csv``).

Every factor row names its sources (ids of ``data/sources.csv``). The tables
are records of :mod:`corridor_planner.model.emissions`, read and validated by
:mod:`corridor_planner.io.emissions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidQueryError
from ..io.emissions import dangling_sources, read_emission_tables
from ..model.emissions import (
    EMISSION_TABLES,
    HUB_COMPONENTS,
    EmissionFactor,
    EmissionTables,
    EnergyCarrier,
    HubFactor,
    Unit,
)
from .costs import TONNES_PER_TEU

if TYPE_CHECKING:  # pragma: no cover
    from ..errors import Problem
    from ..model.records import Hub, Link
    from .graph import EdgeInfo

__all__ = [
    "EMISSION_TABLES",
    "HUB_COMPONENTS",
    "EmissionItem",
    "EmissionModel",
    "load_emission_model",
]


@dataclass(frozen=True)
class EmissionItem:
    """The emissions of one leg or one hub activity, per TEU.

    ``activity`` is tonne-km (a leg) or TEU handled (a hub); ``factor`` the id
    of the emission factor row, ``carrier`` its energy carrier, ``source`` the
    ids of ``sources.csv`` behind the factor and the carrier.
    """

    kind: str  # leg | hub
    component: str  # moving | transfer | transshipment | gauge_change
    where: str  # link id, or hub id
    mode: str
    activity: float
    ttw_kg: float
    wtt_kg: float
    factor: str
    carrier: str
    source: tuple[str, ...] = ()

    @property
    def wtw_kg(self) -> float:
        return self.ttw_kg + self.wtt_kg


class EmissionModel:
    """The emission factors, energy carriers, hub factors and units of one dataset; computes emissions.

    Examples
    --------
    >>> from corridor_planner.routing.emissions import load_emission_model
    >>> model = load_emission_model()
    >>> model.teu_per("feu"), model.default_unit("liquid_bulk")
    (2.0, 'tonne')
    """

    def __init__(
        self,
        carriers: Mapping[str, EnergyCarrier],
        factors: Iterable[EmissionFactor],
        hub_factors: Iterable[HubFactor],
        units: Mapping[str, Unit],
        origin: str = "emission tables",
    ) -> None:
        self.carriers = dict(carriers)
        self.factors = tuple(factors)
        self.hub_factors = tuple(hub_factors)
        self.units = dict(units)
        self.origin = origin

    @classmethod
    def from_tables(cls, tables: EmissionTables) -> EmissionModel:
        """The model of validated tables (:func:`corridor_planner.io.emissions.read_emission_tables`)."""
        return cls(tables.carriers, tables.factors, tables.hub_factors, tables.units, origin=tables.origin)

    @classmethod
    def from_folder(cls, path: str | Path | None = None) -> EmissionModel:
        """Read and validate the emission tables of a dataset folder (``None``: the shipped ones).

        When the folder holds ``sources.csv`` every source id is checked against it.

        Raises
        ------
        NetworkValidationError
            Listing every problem (file, record, field, reason).
        """
        return cls.from_tables(read_emission_tables(path))

    @property
    def tables(self) -> EmissionTables:
        """The model's tables, as records."""
        return EmissionTables(self.carriers, self.factors, self.hub_factors, self.units, self.origin)

    def dangling_sources(self, known: Iterable[str]) -> list[Problem]:
        """Problems for every source id of the tables that ``known`` (ids of sources.csv) lacks."""
        return dangling_sources(self.tables, known)

    # ------------------------------------------------------------------ legs
    def factor_for(self, link: Link, hubs: Mapping[str, Hub]) -> EmissionFactor:
        """The most specific factor for ``link``: its sea service, else its country (a link wholly in it), else its mode."""
        countries = {hubs[link.from_hub].country, hubs[link.to_hub].country, *link.countries}
        best: tuple[int, EmissionFactor] | None = None
        for factor in self.factors:
            if factor.mode != link.mode.value:
                continue
            if factor.service is not None and factor.service != link.service:
                continue
            if factor.country is not None and countries != {factor.country}:
                continue
            rank = 2 if factor.service is not None else 1 if factor.country is not None else 0
            if best is None or rank > best[0]:
                best = (rank, factor)
        if best is None:
            raise InvalidQueryError(f"{self.origin}: emission_factors.csv has no factor for mode {link.mode.value!r}")
        return best[1]

    def intensity(self, factor: EmissionFactor) -> tuple[float, float]:
        """TTW and WTT grams CO2e per tonne-km carried, load factor and empty running applied."""
        carrier = self.carriers[factor.carrier]
        adjust = factor.adjustment
        if carrier.kind == "electricity":
            if factor.kwh_per_tkm is not None:
                return 0.0, factor.kwh_per_tkm * adjust * (carrier.kg_per_kwh or 0.0) * 1000.0
            return 0.0, (factor.wtt_g_per_tkm or 0.0) * adjust
        ttw = (factor.ttw_g_per_tkm or 0.0) * adjust
        wtt = factor.wtt_g_per_tkm * adjust if factor.wtt_g_per_tkm is not None else ttw * carrier.wtt_per_ttw
        return ttw, wtt

    def link_item(self, link: Link, hubs: Mapping[str, Hub]) -> EmissionItem:
        """The emissions of carrying one TEU along ``link``."""
        factor = self.factor_for(link, hubs)
        ttw_g, wtt_g = self.intensity(factor)
        tkm = link.distance_km * TONNES_PER_TEU
        carrier = self.carriers[factor.carrier]
        return EmissionItem(
            "leg", "moving", link.id, link.mode.value, tkm, tkm * ttw_g / 1000.0, tkm * wtt_g / 1000.0,
            factor.id, carrier.id, tuple(dict.fromkeys(factor.source + carrier.source)),
        )  # fmt: skip

    # ------------------------------------------------------------------ hubs
    def hub_item(self, hub: Hub, component: str) -> EmissionItem | None:
        """The emissions of one TEU's ``component`` (transfer, transshipment, gauge change) at ``hub``, if any."""
        best: tuple[int, HubFactor] | None = None
        for factor in self.hub_factors:
            if component not in factor.components:
                continue
            rank = 2 if factor.at == hub.id else 1 if factor.at == f"kind:{hub.kind}" else 0 if factor.at == "*" else -1
            if rank >= 0 and (best is None or rank > best[0]):
                best = (rank, factor)
        if best is None:
            return None
        factor = best[1]
        carrier = self.carriers[factor.carrier]
        ttw = factor.ttw_kg_per_teu
        return EmissionItem(
            "hub", component, hub.id, "", 1.0, ttw, ttw * carrier.wtt_per_ttw, factor.id, carrier.id,
            tuple(dict.fromkeys(factor.source + carrier.source)),
        )  # fmt: skip

    def edge_items(self, edge: EdgeInfo, hubs: Mapping[str, Hub]) -> tuple[EmissionItem, ...]:
        """The emissions of one edge of the routing graph: its link's, and its hub activities'."""
        items: list[EmissionItem] = []
        for part in edge.parts:
            if part.component in HUB_COMPONENTS and part.hub in hubs:
                item = self.hub_item(hubs[part.hub], part.component)
                if item is not None:
                    items.append(item)
        if edge.link is not None:
            items.append(self.link_item(edge.link, hubs))
        return tuple(items)

    # ------------------------------------------------------------------ units
    def unit(self, name: str, cargo: str = "container") -> Unit:
        """The unit ``name``, checked against the cargo class it reports.

        Raises
        ------
        InvalidQueryError
            ``name`` is no unit, or not one for ``cargo`` (a TEU of oil, a barrel of containers).
        """
        key = name.strip().lower() if isinstance(name, str) else name
        unit = self.units.get(key) if isinstance(key, str) else None
        if unit is None:
            raise InvalidQueryError(f"unit={name!r} is not a unit, must be one of {', '.join(self.units)}")
        if cargo and cargo not in unit.cargo:
            fits = [u.id for u in self.units.values() if cargo in u.cargo]
            raise InvalidQueryError(f"unit={name!r} does not fit cargo={cargo!r}: it is reported per {', '.join(fits)}")
        return unit

    def teu_per(self, unit: str | Unit) -> float:
        """How many TEU (of :data:`~corridor_planner.routing.costs.TONNES_PER_TEU` tonnes of cargo) one ``unit`` is."""
        found = self.units[unit] if isinstance(unit, str) else unit
        return found.size if found.size_unit == "teu" else found.size / TONNES_PER_TEU

    def units_for(self, cargo: str) -> dict[str, float]:
        """TEU per unit of every unit that fits ``cargo``."""
        return {u.id: self.teu_per(u) for u in self.units.values() if not cargo or cargo in u.cargo}

    @staticmethod
    def default_unit(cargo: str) -> str:
        """The unit a route of ``cargo`` is reported in unless asked: TEU for boxes, tonnes for bulk."""
        return "teu" if cargo in ("container", "general", "") else "tonne"


@lru_cache(maxsize=8)
def _cached(path: str | None) -> EmissionModel:
    return EmissionModel.from_folder(path)


def load_emission_model(path: str | Path | None = None) -> EmissionModel:
    """The emission tables of a dataset folder (``None``: the shipped ones), read once and cached."""
    return _cached(None if path is None else str(Path(path).resolve()))
