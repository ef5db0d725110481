"""Reading, validating, extending and writing datasets: folders, GeoPackages, records and data frames.

Reading collects every problem (file, record, field, reason) and raises one
:class:`~corridor_planner.errors.NetworkValidationError` listing them all.
Imports :mod:`corridor_planner.model` only.
"""

from .extend import dataset_from_records, extend_dataset
from .folder import read_dataset, write_geojson
from .frames import as_records, records_from_frame
from .geopackage import read_geopackage, write_geopackage
from .sea_lanes import fill_link_geometry

__all__ = [
    "as_records",
    "dataset_from_records",
    "extend_dataset",
    "fill_link_geometry",
    "read_dataset",
    "read_geopackage",
    "records_from_frame",
    "write_geojson",
    "write_geopackage",
]
