"""The records of the emission method (ISO 14083 / GLEC): energy carriers, emission factors, hub factors, units (frozen).

Read and validated by :mod:`corridor_planner.io.emissions`; used by
:class:`~corridor_planner.routing.emissions.EmissionModel`, which computes the
emissions of legs and hub activities.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "EMISSION_TABLES",
    "FACTOR_BASES",
    "HUB_COMPONENTS",
    "EmissionFactor",
    "EmissionTables",
    "EnergyCarrier",
    "HubFactor",
    "Unit",
]

EMISSION_TABLES = ("energy_carriers.csv", "emission_factors.csv", "hub_emission_factors.csv", "units.csv")
"""The tables of the emission method, in a dataset folder (the shipped ones in ``data/``)."""

HUB_COMPONENTS = ("transfer", "transshipment", "gauge_change")
"""The stops that are hub activities with emissions (a box changes vehicle)."""

FACTOR_BASES = ("average", "laden")
"""What an emission factor's intensity stands for: a fleet average (load factor and empty running inside) or a full load."""


@dataclass(frozen=True)
class EnergyCarrier:
    """A fuel (TTW and WTW per unit of fuel or of activity) or an electricity grid (kg CO2e per kWh)."""

    id: str
    name: str
    kind: str  # fuel | electricity
    ttw: float
    wtw: float | None
    unit: str
    source: tuple[str, ...] = ()
    note: str = ""

    @property
    def wtt_per_ttw(self) -> float:
        """Well-to-tank emissions per unit of tank-to-wheel emissions (fuels)."""
        if self.kind != "fuel" or self.wtw is None or self.ttw <= 0:
            return 0.0
        return (self.wtw - self.ttw) / self.ttw

    @property
    def kg_per_kwh(self) -> float | None:
        """The grid factor (electricity): all of it well-to-tank."""
        return self.wtw if self.kind == "electricity" else None


@dataclass(frozen=True)
class EmissionFactor:
    """An emission intensity per tonne-km of a mode (optionally of one sea service or one country)."""

    id: str
    mode: str
    service: str | None
    country: str | None
    vehicle: str
    carrier: str
    ttw_g_per_tkm: float | None
    wtt_g_per_tkm: float | None
    kwh_per_tkm: float | None
    basis: str = "average"
    load_factor: float | None = None
    empty_running: float | None = None
    source: tuple[str, ...] = ()
    note: str = ""

    @property
    def adjustment(self) -> float:
        """The factor that turns the row's intensity into one per tonne-km carried (1 for ``basis=average``)."""
        if self.basis != "laden":
            return 1.0
        return (1.0 + (self.empty_running or 0.0)) / (self.load_factor or 1.0)


@dataclass(frozen=True)
class HubFactor:
    """The emissions of one container handling at a hub, per TEU."""

    id: str
    components: tuple[str, ...]
    at: str
    carrier: str
    ttw_kg_per_teu: float
    source: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Unit:
    """A unit costs and emissions are reported in: its size in TEU or tonnes (``size_unit`` ``teu`` or ``t``), and the cargo it fits.

    :meth:`~corridor_planner.routing.emissions.EmissionModel.teu_per` converts
    a size in tonnes to TEU (the routing layer owns the tonnes per TEU).
    """

    id: str
    size: float
    size_unit: str  # teu | t
    cargo: tuple[str, ...]
    source: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class EmissionTables:
    """The validated content of the four emission tables of one dataset folder (:data:`EMISSION_TABLES`)."""

    carriers: Mapping[str, EnergyCarrier] = field(default_factory=dict)
    factors: tuple[EmissionFactor, ...] = ()
    hub_factors: tuple[HubFactor, ...] = ()
    units: Mapping[str, Unit] = field(default_factory=dict)
    origin: str = "emission tables"
