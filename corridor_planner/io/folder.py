"""Dataset folders: GeoJSON hubs and links plus CSV rule tables (``data/README.md``), read and written."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..model.dataset import default_data_dir
from .geopackage import read_geopackage
from .validate import TABLES, build_dataset, parse_tables, read_csv
from .writing import LIST_SEPARATORS, cell_text, dataset_features, table_rows, warn_lossy

if TYPE_CHECKING:  # pragma: no cover
    from ..model.dataset import Dataset


def _read_features(path: Path, problems: list[Problem]) -> list[Mapping[str, Any]] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"), parse_int=_json_int)
    except RecursionError:
        problems.append(Problem(path.name, "", "", "is not readable GeoJSON: it is nested too deeply"))
        return None
    except (OSError, ValueError) as exc:  # ValueError: JSONDecodeError and UnicodeDecodeError
        problems.append(Problem(path.name, "", "", f"is not readable GeoJSON: {str(exc)[:200]}"))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.append(Problem(path.name, "", "", "must be a GeoJSON FeatureCollection"))
        return None
    feats: list[Mapping[str, Any]] = []
    for i, feat in enumerate(doc["features"]):
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
            problems.append(Problem(path.name, f"feature {i}", "", "must be a Feature with properties"))
            continue
        feats.append(feat)
    return feats


# --------------------------------------------------------------------------- the whole dataset


def _json_int(text: str) -> int | float:
    """A JSON integer; one too long for a sensible int becomes a float (infinite if huge), which parsing rejects.

    ``json`` would otherwise raise on more than 4,300 digits, for the whole file.
    """
    return int(text) if len(text) <= 20 else float(text)


def read_dataset(path: str | Path | None = None) -> Dataset:
    """Read and validate a dataset folder or GeoPackage (``None``: the shipped dataset).

    The folder must hold ``hubs.geojson`` and ``links.geojson``; a rule table
    it lacks is empty, except ``modes.csv``, which defaults to the shipped one.
    ``sources.csv``, when present, must resolve every source id the other
    files cite. A path ending in ``.gpkg`` is read with :func:`read_geopackage`.

    Raises
    ------
    NetworkValidationError
        Listing every problem found (file, record, field, reason).
    FileNotFoundError
        When the folder or one of its two GeoJSON files does not exist.
    """
    folder = default_data_dir() if path is None else Path(path)
    if folder.suffix.lower() == ".gpkg" and not folder.is_dir():
        return read_geopackage(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder {str(folder)!r} does not exist")
    for name in ("hubs.geojson", "links.geojson"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"dataset folder {str(folder)!r} has no {name}")
    problems: list[Problem] = []
    hub_feats = _read_features(folder / "hubs.geojson", problems) or []
    link_feats = _read_features(folder / "links.geojson", problems) or []
    rows = {name: read_csv(folder / name, problems) or [] for name in TABLES if (folder / name).is_file()}
    tables = parse_tables(rows, problems, csv_lines=True)
    return build_dataset(
        hub_feats, link_feats, tables, problems, origin=str(folder), check_sources="sources.csv" in rows
    )


# --------------------------------------------------------------------------- a dataset folder


def _render_collection(features: list[dict[str, Any]]) -> str:
    """A FeatureCollection with one feature per line (the layout of the shipped files)."""
    lines = [json.dumps(f, ensure_ascii=False, allow_nan=False) for f in features]
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + ("\n" if lines else "") + "]}\n"


def _csv_field(text: str) -> str:
    """A CSV field, quoted when it holds a comma, a quote or a line break (``\r`` too, which ``csv.writer`` misses)."""
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _render_csv(name: str, rows: list[dict[str, Any]]) -> str:
    columns = TABLES[name][0]
    lines = [columns, *([cell_text(row[c], LIST_SEPARATORS.get(c, ";")) for c in columns] for row in rows)]
    return "".join(",".join(map(_csv_field, line)) + "\n" for line in lines)


def _write_text(path: Path, text: str) -> None:
    """Write a file atomically: to a temporary file next to it, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_geojson(dataset: Dataset, folder: str | Path) -> Path:
    """Write a dataset as a folder in the format of ``data/``: GeoJSON hubs and links, CSV rule tables.

    Writes ``hubs.geojson``, ``links.geojson`` and every rule table
    (``modes.csv`` ... ``countries.csv``; ``sources.csv`` when the dataset has
    sources), replacing those files if they exist. Other files in the folder
    are left alone, except a ``sources.csv`` left over in a folder written
    for a dataset without sources, which is removed (the folder would not
    read back as the same dataset otherwise). The folder is created if needed.

    Parameters
    ----------
    dataset : Dataset
        What to write.
    folder : str or Path
        The dataset folder.

    Returns
    -------
    Path
        The folder.

    Warns
    -----
    UserWarning
        When the dataset has sources but some records cite none or unknown ones
        (additions or scenario changes made without sources): the folder will
        not load until ``sources.csv`` is completed; and when the dataset has a
        year (``as_of``), which the format does not hold.

    Examples
    --------
    >>> import tempfile, corridor_planner as cp
    >>> net = cp.load_network()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = write_geojson(net.dataset, tmp)
    ...     cp.load_network(folder).dataset.hubs == net.dataset.hubs
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hubs, links = dataset_features(dataset)
    outputs = {"hubs.geojson": _render_collection(hubs), "links.geojson": _render_collection(links)}
    for name, rows in table_rows(dataset).items():
        outputs[name] = _render_csv(name, rows)
    warn_lossy(dataset, f"the dataset folder {str(folder)!r}")
    for name, text in outputs.items():
        _write_text(folder / name, text)
    if dataset.sources is None:
        (folder / "sources.csv").unlink(missing_ok=True)
    return folder
