"""The physical layer: frozen records (hubs, links, rules at hubs, emission tables), routing layers, the Dataset (read-only tables), geodesy, quantities.

Imports nothing of the package but :mod:`corridor_planner.errors` and :mod:`corridor_planner.text`.
"""

from .dataset import Dataset, current_year, default_data_dir
from .records import (
    CARGO_CLASSES,
    HUB_KINDS,
    SCO_FAMILY,
    SCO_MEMBERS,
    BorderRule,
    Corridor,
    Country,
    CountryGroup,
    DwellRule,
    HoursRange,
    Hub,
    LateArrival,
    Link,
    Mode,
    ModeDefaults,
    Service,
    Source,
    Status,
    TransferRule,
)

__all__ = [
    "CARGO_CLASSES",
    "HUB_KINDS",
    "SCO_FAMILY",
    "SCO_MEMBERS",
    "BorderRule",
    "Corridor",
    "Country",
    "CountryGroup",
    "Dataset",
    "DwellRule",
    "HoursRange",
    "Hub",
    "LateArrival",
    "Link",
    "Mode",
    "ModeDefaults",
    "Service",
    "Source",
    "Status",
    "TransferRule",
    "current_year",
    "default_data_dir",
]
