"""Datasets from users' records, and additions to a dataset, validated like shipped data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import NetworkValidationError, Problem
from ..text import shown
from .geojson import as_feature, hub_coordinates
from .sea_lanes import link_features
from .validate import (
    TABLES,
    add_rules,
    build_dataset,
    check_hubs,
    check_links,
    check_modes,
    check_rules,
    check_seasons,
    named_tables,
    parse_hubs,
    parse_links,
    parse_table,
    parse_tables,
    unique_by,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..model.dataset import Dataset
    from ..model.records import Mode, ModeDefaults, Source


def dataset_from_records(
    hubs: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
    tables: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    *,
    origin: str = "records",
) -> Dataset:
    """Validate a dataset given as records: the same checks as :func:`read_dataset`.

    ``hubs`` are GeoJSON Point features or flat mappings with ``lon`` and ``lat``
    (or a ``geometry``: a shapely Point or a GeoJSON mapping);
    ``links`` are GeoJSON LineString features or flat mappings whose optional
    ``geometry`` is a shapely LineString or a list of (lon, lat); a link without
    geometry gets the straight geodesic between its hubs and ``approximate=True``.
    ``tables`` maps a rule-table file name (``"borders.csv"``, or ``"borders"``) to its rows;
    ``modes.csv`` defaults to the shipped one. Source ids are checked only when
    ``"sources.csv"`` is given.
    """
    problems: list[Problem] = []
    named = named_tables(tables, problems)
    hub_feats = _features(hubs, "hubs.geojson", problems)
    link_feats = link_features(_features(links, "links.geojson", problems), hub_coordinates(hub_feats))
    parsed = parse_tables(named, problems)
    return build_dataset(hub_feats, link_feats, parsed, problems, origin=origin, check_sources="sources.csv" in named)


def extend_dataset(
    dataset: Dataset,
    hubs: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
    *,
    label: str = "extend",
    tables: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
) -> Dataset:
    """A new dataset: ``dataset`` plus hubs, links and rule-table rows, validated like shipped data.

    The additions are parsed with the checks of :func:`read_dataset`; their
    ids must not collide with existing ones; the hubs of new links may be old
    or new; services, corridors, border crossings and countries must exist in
    the dataset's tables or among the added rows. Links without geometry get
    one from :func:`fill_link_geometry` (sea links: a searoute lane when
    searoute is installed) and are flagged ``approximate``. Sources of the
    additions are neither required nor checked. Neither ``dataset`` nor the
    given records are changed; ``origin``, ``as_of`` and ``scenarios`` are kept.

    Parameters
    ----------
    dataset : Dataset
        The dataset to extend.
    hubs, links : iterable of mapping
        Flat records or GeoJSON features, as for :func:`dataset_from_records`.
    label : str
        Names the additions in problems: ``f"{label}: hubs"``, ``f"{label}: links"``,
        ``f"{label}: borders.csv"``...
    tables : mapping, optional
        Rows to add to rule tables, by table name (``"borders.csv"`` or ``"borders"``).
        Keyed rows (a service, border crossing, corridor, country, source or mode)
        must be new; so must the hub and layers of a transfer and the hub and event of a dwell.

    Raises
    ------
    NetworkValidationError
        Listing every problem of the additions.

    Examples
    --------
    >>> base = dataset_from_records([dict(id="a", name="A", country="KZ", kind="city", lon=70, lat=45)], [])
    >>> more = extend_dataset(base, [dict(id="b", name="B", country="KZ", kind="city", lon=71, lat=45)],
    ...                       [{"id": "ab", "from": "a", "to": "b", "mode": "road"}])
    >>> [h.id for h in more.hubs], more.links[0].approximate, len(base.hubs)
    (['a', 'b'], True, 1)
    """
    problems: list[Problem] = []
    hub_file, link_file = f"{label}: hubs", f"{label}: links"
    files = {name: f"{label}: {name}" for name in TABLES}
    added = {
        name: parse_table(name, rows, problems, file=files[name])
        for name, rows in named_tables(tables, problems, label).items()
    }
    modes: dict[Mode, ModeDefaults] = dict(dataset.modes)
    services, borders = dict(dataset.services), dict(dataset.borders)
    corridors, countries = dict(dataset.corridors), dict(dataset.countries)
    sources: dict[str, Source] | None = None
    if dataset.sources is not None or "sources.csv" in added:
        sources = dict(dataset.sources or {})
    keyed: dict[str, tuple[dict[Any, Any], str]] = {
        "modes.csv": (modes, "mode"), "services.csv": (services, "id"), "borders.csv": (borders, "id"),
        "corridors.csv": (corridors, "id"), "countries.csv": (countries, "iso2"),
        "sources.csv": (sources if sources is not None else {}, "id"),
    }  # fmt: skip
    transfers, dwells = list(dataset.transfers), list(dataset.dwells)
    seasons = {s.id: s for s in dataset.seasons}
    keyed["seasons.csv"] = (seasons, "id")
    for name, items in added.items():
        if name in keyed:
            target, key = keyed[name]
            for item in items:
                value = getattr(item, key)
                if value in target:
                    problems.append(Problem(files[name], str(value), key, f"{str(value)!r} is already in {name}"))
                target[value] = item
        else:
            add_rules(name, transfers if name == "transfers.csv" else dwells, items, files[name], problems)
    hub_feats = _features(hubs, hub_file, problems)
    new_hubs = parse_hubs(hub_feats, hub_file, problems)
    new_hub_map = unique_by(new_hubs, "id", hub_file, problems)
    old_hubs = {h.id: h for h in dataset.hubs}
    for hub_id in new_hub_map:
        if hub_id in old_hubs:
            problems.append(Problem(hub_file, hub_id, "id", f"the network already has a hub {hub_id!r}"))
    all_hubs = {**new_hub_map, **old_hubs}
    coords: dict[Any, Any] = {**hub_coordinates(hub_feats), **{h.id: (h.lon, h.lat) for h in all_hubs.values()}}
    new_links = parse_links(
        link_features(_features(links, link_file, problems), coords, sea_lanes=True), link_file, problems, all_hubs
    )
    new_link_map = unique_by(new_links, "id", link_file, problems)
    old_links = {k.id for k in dataset.links}
    for link_id in new_link_map:
        if link_id in old_links:
            problems.append(Problem(link_file, link_id, "id", f"the network already has a link {link_id!r}"))
    check_modes(new_links, modes, problems, files["modes.csv"])
    check_hubs(new_hubs, countries, problems, hub_file)
    if countries and not dataset.countries:  # a countries table added: the network's own records must be in it
        used: dict[str, list[str]] = {}
        for hub in dataset.hubs:
            used.setdefault(hub.country, []).append(f"hub {hub.id!r}")
        for link in dataset.links:
            for code in link.countries:
                used.setdefault(code, []).append(f"link {link.id!r}")
        for code, users in sorted(used.items()):
            if code not in countries:
                more = f" and {len(users) - 3} more" if len(users) > 3 else ""
                problems.append(
                    Problem(
                        files["countries.csv"],
                        code,
                        "iso2",
                        f"{code!r} is missing, used by {', '.join(users[:3])}{more}",
                    )
                )
    check_links(new_links, all_hubs, services, borders, corridors, countries, problems, link_file)
    check_rules(
        added.get("transfers.csv", []),
        added.get("dwells.csv", []),
        added.get("borders.csv", []),
        all_hubs,
        problems,
        files,
    )
    check_seasons(added.get("seasons.csv", []), all_hubs, problems, files["seasons.csv"])
    if problems:
        raise NetworkValidationError(problems, f"{label} (additions to {dataset.origin})")
    return replace(
        dataset,
        hubs=tuple(sorted([*dataset.hubs, *new_hubs], key=lambda h: h.id)),
        links=tuple(sorted([*dataset.links, *new_links], key=lambda k: k.id)),
        modes=modes, services=services, borders=borders, transfers=tuple(transfers), dwells=tuple(dwells),
        corridors=corridors, countries=countries, sources=sources, seasons=tuple(seasons.values()),
    )  # fmt: skip


def _features(items: Any, file: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """Records or GeoJSON features as new feature dicts; a row that is not a mapping is a problem, not a crash."""
    if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Iterable):
        problems.append(Problem(file, "", "", f"must be a list of records (mappings), not {shown(items)}"))
        return []
    feats = []
    for i, raw in enumerate(items):
        if not isinstance(raw, Mapping):
            problems.append(Problem(file, f"row {i}", "", f"must be a mapping of fields to values, not {shown(raw)}"))
        elif raw.get("type") == "Feature" and not isinstance(raw.get("properties") or {}, Mapping):
            problems.append(Problem(file, f"feature {i}", "properties", "must be a mapping"))
        else:
            feats.append(as_feature(raw))
    return feats
