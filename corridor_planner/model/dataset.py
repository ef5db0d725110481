"""The :class:`Dataset`: every validated record of a network, and where the shipped one lives."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .frozen import frozen

if TYPE_CHECKING:  # pragma: no cover
    from .records import (
        BorderRule,
        Corridor,
        Country,
        DwellRule,
        Hub,
        Link,
        Mode,
        ModeDefaults,
        Service,
        Source,
        TransferRule,
    )
    from .seasons import Season


@dataclass(frozen=True)
class Dataset:
    """The validated content of a dataset folder (immutable)."""

    hubs: tuple[Hub, ...]
    links: tuple[Link, ...]
    modes: Mapping[Mode, ModeDefaults]
    services: Mapping[str, Service] = field(default_factory=dict)
    borders: Mapping[str, BorderRule] = field(default_factory=dict)
    transfers: tuple[TransferRule, ...] = ()
    dwells: tuple[DwellRule, ...] = ()
    corridors: Mapping[str, Corridor] = field(default_factory=dict)
    countries: Mapping[str, Country] = field(default_factory=dict)
    sources: Mapping[str, Source] | None = None
    origin: str = "dataset"
    as_of: int | None = None
    """The year the network stands for when a query gives none (``None``: the current year)."""
    scenarios: tuple[str, ...] = ()
    """The names of the scenarios applied to the dataset, in order."""
    seasons: tuple[Season, ...] = ()
    """Seasonal factors (``seasons.csv``): dated extra waits to board, used by dated plans only."""

    def __post_init__(self) -> None:
        # the tables are read-only mappings: a caller cannot change a dataset (or a network) through them
        for name in ("modes", "services", "borders", "corridors", "countries"):
            object.__setattr__(self, name, frozen(getattr(self, name)))
        if self.sources is not None:
            object.__setattr__(self, "sources", frozen(self.sources))

    @cached_property
    def chokepoints(self) -> frozenset[str]:
        """Every chokepoint a link or hub names (``suez``, ``babalmandab``, ``caspian``...)."""
        names = {c for link in self.links for c in link.chokepoints}
        return frozenset(names | {h.chokepoint for h in self.hubs if h.chokepoint})

    @property
    def year(self) -> int:
        """The year a query without ``as_of`` plans for: the dataset's ``as_of`` (set by a scenario), else the current year."""
        return self.as_of or current_year()

    @cached_property
    def country_codes(self) -> frozenset[str]:
        """Every country a hub lies in or ``countries.csv`` lists."""
        return frozenset({h.country for h in self.hubs} | set(self.countries))


EARLIEST_YEAR = 1991
"""The earliest ``as_of`` year the network can stand for; an earlier one is refused.

The dataset describes the post-Soviet network: its countries (Kazakhstan, Uzbekistan,
Turkmenistan, Kyrgyzstan, Tajikistan, Azerbaijan, Georgia, Belarus, Russia) and the borders
between them date from 1991, and the earliest opening year a link records is 1991 (Dostyk -
Alashankou). Most links have no opening year because they are older than that; such a link
is taken to be open in every year from 1991 on, so a network of an earlier year would be
wrong (no Soviet-era internal lines without borders, no Chinese - Soviet closures). Links
that opened later carry ``opens`` (BTK 2017, Khorgos - Altynkol 2012, ...).
"""


def current_year() -> int:
    """The year ``as_of=None`` stands for: today's."""
    return datetime.date.today().year


def default_data_dir() -> Path:
    """The shipped dataset: inside the installed package, or ``data/`` of a source checkout."""
    packaged = Path(str(resources.files("corridor_planner"))) / "_data"
    if (packaged / "hubs.geojson").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / "hubs.geojson").is_file():
        return checkout
    raise FileNotFoundError(
        "the shipped dataset is missing: neither corridor_planner/_data nor a source checkout's data/ "
        "holds hubs.geojson; reinstall the package"
    )
