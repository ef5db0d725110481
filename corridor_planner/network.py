"""The :class:`Network`: the physical layer, place lookup, and planning."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from datetime import datetime
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .errors import InvalidQueryError, NoRouteError, UnknownLocationError
from .io.folder import read_dataset
from .io.geojson import hub_feature, link_feature
from .model.frozen import FrozenMap
from .model.geo import reverse
from .model.records import CountryGroup, Hub
from .routing.dates import as_departure
from .routing.emissions import EmissionModel, load_emission_model
from .routing.ends import (
    DEFAULT_K,
    END_MODES,
    MAX_RADIUS_KM,
    SNAP_KM,
    NearHub,
    PointEnd,
    check_point,
    circuity_for,
    distances_km,
    place_id,
    point_end,
)
from .routing.options import (
    as_list,
    check_criterion,
    check_epsilon,
    check_max_routes,
    countries_in_group,
    resolve_query,
)
from .routing.router import Router
from .text import html_text, shown

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas as gpd
    import networkx as nx
    import pandas as pd
    from matplotlib.axes import Axes
    from typing_extensions import Unpack

    from .model.dataset import Dataset
    from .model.records import (
        BorderRule,
        Corridor,
        Country,
        DwellRule,
        Link,
        ModeDefaults,
        Service,
        Source,
        TransferRule,
    )
    from .routing.baselayer import LayerNetwork
    from .routing.options import PlanOptions
    from .routing.query import Query
    from .routing.route import Route


ADD_HUB_HINT = (
    "to route from or to a place the network lacks, give its (lon, lat), or add it as a hub: "
    "net.extend(hubs=[dict(id=..., name=..., country=..., kind='city', lon=..., lat=...)], links=[...]) "
    "or a row of data/src/hubs.csv"
)
"""What an unknown place's error says about adding a hub."""

TYPO_CUTOFF = 0.85
"""A name this close to a hub's (difflib ratio) is taken for a misspelt hub: the gazetteer matches it only
as a city's own name, not as one of its alternate names (``Bejing`` suggests the hub Beijing)."""

Place = str | Hub | tuple[float, float]
"""A route end: a hub, a hub's id, name or alias, a city of the gazetteer, or ``(lon, lat)``."""


def _departure(options: PlanOptions) -> tuple[datetime | None, bool]:
    """The ``depart`` and ``seasons`` options taken out of ``options`` and checked (``None``: an undated plan)."""
    depart = options.pop("depart", None)
    seasons = options.pop("seasons", True)
    if not isinstance(seasons, bool):
        raise InvalidQueryError(f"seasons must be True or False, not {shown(seasons)}")
    return (None if depart is None else as_departure(depart)), seasons


def _dated(route: Route, start: tuple[datetime | None, bool]) -> Route:
    """``route`` dated from ``start`` (a departure, or ``None``: as it is; and whether seasons apply)."""
    moment, seasons = start
    return route if moment is None else route.departing(moment, seasons=seasons)


@lru_cache(maxsize=1 << 14)
def _normalize(text: str) -> str:
    """``text`` as lookups compare it: no accents, case or punctuation (memoised: every applied scenario's network
    builds its lookup from the same hub names)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", stripped.casefold())


class Network:
    """A multimodal corridor network: hubs, links and the rules at hubs.

    A network is immutable: planning never changes it, and every method that
    would change it returns a new one. Build one with :func:`load_network`.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> net = cp.load_network()
    >>> net.find("baku").id
    'baku'
    >>> route = net.plan("Beijing", "Baku", optimize="time")
    >>> "titr" in route.corridors
    True
    """

    def __init__(
        self,
        dataset: Dataset,
        emissions: EmissionModel | None = None,
        *,
        approximate_links: Iterable[str] = (),
    ) -> None:
        self._dataset = dataset
        self._emission_model = emissions
        self._hubs: Mapping[str, Hub] = MappingProxyType({h.id: h for h in dataset.hubs})
        self._links: Mapping[str, Link] = MappingProxyType({k.id: k for k in dataset.links})
        self._lookup = self._build_lookup()
        self._end_links = frozenset(approximate_links)  # the first/last-mile links of a network made by _with_ends

    # ------------------------------------------------------------------ identity and pickling
    def __getstate__(self) -> dict[str, Any]:
        """Only the dataset (and emission tables given to the constructor) travel: lookups, router and caches are rebuilt."""
        state: dict[str, Any] = {"dataset": self._dataset, "emissions": self._emission_model}
        if self._end_links:
            state["approximate_links"] = sorted(self._end_links)
        return state

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self.__init__(state["dataset"], state.get("emissions"), approximate_links=state.get("approximate_links", ()))  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        """Networks are equal when their datasets are: the same records, rules, year and scenarios."""
        if not isinstance(other, Network):
            return NotImplemented
        return self is other or self._dataset == other.dataset

    def __hash__(self) -> int:
        d = self._dataset
        return hash((d.origin, tuple(self._hubs), tuple(self._links), d.as_of, d.scenarios))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_folder(cls, path: str | Path | None = None) -> Network:
        """Read and validate a dataset folder (``None``: the shipped dataset)."""
        return cls(read_dataset(path))

    @classmethod
    def from_records(
        cls,
        hubs: Iterable[Mapping[str, Any]],
        links: Iterable[Mapping[str, Any]],
        tables: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    ) -> Network:
        """Build a network from records (dicts), validated like a dataset folder.

        Parameters
        ----------
        hubs : iterable of mapping
            Flat hub records (``id``, ``name``, ``country``, ``kind``, ``lon``, ``lat``...) or GeoJSON features.
        links : iterable of mapping
            Flat link records (``id``, ``from``, ``to``, ``mode``...; ``geometry`` optional) or GeoJSON features.
        tables : mapping, optional
            Rule tables by file name (``"borders.csv"``, ``"transfers.csv"``...) to rows (dicts).

        Examples
        --------
        >>> import corridor_planner as cp
        >>> hubs = [dict(id="a", name="A", country="KZ", kind="city", lon=70, lat=45),
        ...         dict(id="b", name="B", country="KZ", kind="city", lon=71, lat=45)]
        >>> links = [{"id": "ab", "from": "a", "to": "b", "mode": "rail", "gauge_mm": 1520}]
        >>> net = cp.Network.from_records(hubs, links)
        >>> round(net.plan("a", "b", optimize="distance").distance_km)
        79
        """
        from .io.extend import dataset_from_records

        return cls(dataset_from_records(hubs, links, tables))

    @classmethod
    def from_geodataframes(
        cls,
        hubs: Any,
        links: Any,
        rules: Mapping[str, Any] | None = None,
    ) -> Network:
        """Build a network from GeoDataFrames, validated like a dataset folder.

        Parameters
        ----------
        hubs : GeoDataFrame
            One row per hub: Point geometry (or ``lon``/``lat`` columns) and the
            columns of ``hubs.geojson`` (``id``, ``name``, ``country``, ``kind``...).
        links : GeoDataFrame or DataFrame
            One row per link: LineString geometry from ``from`` to ``to``, or none
            (the straight geodesic, flagged ``approximate``), and the columns of
            ``links.geojson`` (``id``, ``from``, ``to``, ``mode``...).
        rules : mapping, optional
            Rule tables by name (``"borders"`` or ``"borders.csv"``) to a DataFrame
            or a list of dicts; ``modes`` defaults to the shipped one.

        Frames in another CRS are reprojected to EPSG:4326 (a frame without CRS
        is taken to be in EPSG:4326); empty (NaN) cells are missing values. The
        frames are not changed.

        Raises
        ------
        NetworkValidationError
            Listing every problem, located at ``hubs``, ``links`` or the rule table.

        Examples
        --------
        >>> import geopandas as gpd, corridor_planner as cp
        >>> hubs = gpd.GeoDataFrame({"id": ["a", "b"], "name": ["A", "B"], "country": ["KZ", "KZ"],
        ...                          "kind": ["city", "city"]}, geometry=gpd.points_from_xy([70, 71], [45, 45]), crs=4326)
        >>> links = gpd.GeoDataFrame({"id": ["ab"], "from": ["a"], "to": ["b"], "mode": ["road"]})
        >>> cp.Network.from_geodataframes(hubs, links).link("ab").approximate
        True
        """
        from .errors import NetworkValidationError
        from .io.extend import dataset_from_records
        from .io.frames import as_records

        if rules is not None and not isinstance(rules, Mapping):
            raise InvalidQueryError(f"rules must map table names to rows, not {shown(rules)}")
        tables = {name: as_records(rows, str(name)) for name, rows in (rules or {}).items()}
        try:
            dataset = dataset_from_records(
                as_records(hubs, "hubs"), as_records(links, "links"), tables, origin="GeoDataFrames"
            )
        except NetworkValidationError as err:
            where = {"hubs.geojson": "hubs", "links.geojson": "links"}
            problems = [replace(p, file=where.get(p.file, p.file)) for p in err.problems]
            raise NetworkValidationError(problems, "GeoDataFrames") from None
        return cls(dataset)

    def extend(
        self,
        hubs: Any = (),
        links: Any = (),
        tables: Mapping[str, Any] | None = None,
        *,
        label: str = "extend",
    ) -> Network:
        """A new network with the user's hubs, links and rule-table rows added, validated like shipped data.

        The network and the given records are not changed. Ids must be new;
        sources of the additions are not required. See
        :func:`corridor_planner.io.extend_dataset`.

        Parameters
        ----------
        hubs, links : iterable of mapping, or (Geo)DataFrame
            Flat records or GeoJSON features, as for :meth:`from_records`. New links
            may join old and new hubs; a link without geometry gets the straight
            geodesic (a sea link: a sea lane when ``searoute`` is installed) and is
            flagged ``approximate``.
        tables : mapping, optional
            Rows to add to rule tables, by name (``"borders"`` or ``"borders.csv"``):
            new border crossings, services, corridors, countries, transfers...
        label : str
            How problems name the additions (``"extend: links"``...).

        Raises
        ------
        NetworkValidationError
            Listing every problem of the additions.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> net = cp.load_network()
        >>> bigger = net.extend(
        ...     hubs=[dict(id="kokshetau", name="Kokshetau", country="KZ", kind="city", lon=69.39, lat=53.28)],
        ...     links=[{"id": "astana_kokshetau_rail", "from": "astana", "to": "kokshetau", "mode": "rail", "gauge_mm": 1520}])
        >>> "kokshetau" in bigger.hub_ids, "kokshetau" in net.hub_ids
        (True, False)
        """
        from .io.extend import extend_dataset
        from .io.frames import as_records

        if tables is not None and not isinstance(tables, Mapping):
            raise InvalidQueryError(f"tables must map table names to rows, not {shown(tables)}")
        additions = {name: as_records(rows, f"{label}: {name}") for name, rows in (tables or {}).items()}
        hub_rows, link_rows = as_records(hubs, f"{label}: hubs"), as_records(links, f"{label}: links")
        return type(self)(
            extend_dataset(self._dataset, hub_rows, link_rows, label=label, tables=additions),
            self._emission_model,
        )

    def to_geojson(self, folder: str | Path) -> Path:
        """Write the network as a dataset folder (GeoJSON hubs and links, CSV rule tables) that :func:`load_network` reads.

        See :func:`corridor_planner.io.folder.write_geojson`: the files of the
        format are replaced, other files in the folder are left alone.
        """
        from .io.folder import write_geojson

        return write_geojson(self._dataset, folder)

    def to_geopackage(self, path: str | Path) -> Path:
        """Write the network as one GeoPackage (layers ``hubs``, ``links`` and one per rule table) that :func:`load_network` reads.

        See :func:`corridor_planner.io.geopackage.write_geopackage`.
        """
        from .io.geopackage import write_geopackage

        return write_geopackage(self._dataset, path)

    # ------------------------------------------------------------------ the physical layer
    @property
    def dataset(self) -> Dataset:
        """The validated records the network is made of."""
        return self._dataset

    def hub(self, hub_id: str) -> Hub:
        """The hub with this exact id (see :meth:`find` for names and aliases)."""
        if not isinstance(hub_id, str):
            raise InvalidQueryError(f"a hub id is text, not {shown(hub_id)}")
        try:
            return self._hubs[hub_id]
        except KeyError:
            raise UnknownLocationError(hub_id, self._suggest(hub_id)) from None

    def link(self, link_id: str) -> Link:
        """The link with this exact id."""
        if not isinstance(link_id, str):
            raise InvalidQueryError(f"a link id is text, not {shown(link_id)}")
        try:
            return self._links[link_id]
        except KeyError:
            close = difflib.get_close_matches(link_id, list(self._links), n=3)
            raise UnknownLocationError(link_id, close) from None

    @property
    def hub_ids(self) -> tuple[str, ...]:
        return tuple(self._hubs)

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(self._links)

    @property
    def modes(self) -> Mapping[Any, ModeDefaults]:
        return self._dataset.modes

    @property
    def services(self) -> Mapping[str, Service]:
        return self._dataset.services

    @property
    def borders(self) -> Mapping[str, BorderRule]:
        return self._dataset.borders

    @property
    def transfers(self) -> tuple[TransferRule, ...]:
        return self._dataset.transfers

    @property
    def dwells(self) -> tuple[DwellRule, ...]:
        return self._dataset.dwells

    @property
    def corridors(self) -> Mapping[str, Corridor]:
        return self._dataset.corridors

    @property
    def countries(self) -> Mapping[str, Country]:
        return self._dataset.countries

    @property
    def sources(self) -> Mapping[str, Source]:
        return self._dataset.sources if self._dataset.sources is not None else FrozenMap()

    @cached_property
    def chokepoints(self) -> frozenset[str]:
        """Every chokepoint a link or hub names (``suez``, ``babalmandab``, ``caspian``...)."""
        return self._dataset.chokepoints

    @property
    def hubs(self) -> gpd.GeoDataFrame:
        """The hubs as a GeoDataFrame (EPSG:4326), indexed by id: a new frame each time, yours to change."""
        import geopandas as gpd

        frame = gpd.GeoDataFrame.from_features([hub_feature(h) for h in self._hubs.values()], crs="EPSG:4326")
        return frame.set_index("id", drop=False).rename_axis(None)

    @property
    def links(self) -> gpd.GeoDataFrame:
        """The links as a GeoDataFrame (EPSG:4326), indexed by id: a new frame each time, yours to change."""
        import geopandas as gpd

        frame = gpd.GeoDataFrame.from_features([link_feature(k) for k in self._links.values()], crs="EPSG:4326")
        return frame.set_index("id", drop=False).rename_axis(None)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The physical network as a networkx ``MultiDiGraph``, for users' own algorithms.

        Nodes are hub ids with the hub's fields as attributes (``name``, ``country``,
        ``kind``, ``lon``, ``lat``...); each link is an edge keyed by its id (a two-way
        link: one edge each way) with ``mode``, ``layer``, ``distance_km``, ``status``,
        ``opens``, ``corridors``, ``countries``, ``cargo`` and the rest of the link's
        fields except its geometry (``geometry`` holds the shapely line, reversed for
        the backward edge). Rules at hubs (transfers, borders, dwells) are not in it:
        :meth:`plan` is what prices them.

        Examples
        --------
        >>> import networkx as nx, corridor_planner as cp
        >>> g = cp.load_network().to_networkx()
        >>> g.nodes["baku"]["country"], g.edges["alat", "baku", "alat_baku_rail"]["mode"]
        ('AZ', 'rail')
        >>> round(nx.shortest_path_length(g, "tbilisi", "kars", weight="distance_km"))
        284
        """
        import networkx as nx

        graph = nx.MultiDiGraph()
        for hub in self._hubs.values():
            graph.add_node(hub.id, **{f.name: getattr(hub, f.name) for f in fields(hub)})
        for link in self._links.values():
            attrs = {
                f.name: getattr(link, f.name) for f in fields(link) if f.name not in ("geometry", "from_hub", "to_hub")
            }
            attrs["layer"] = link.layer
            attrs["mode"] = link.mode.value
            graph.add_edge(link.from_hub, link.to_hub, key=link.id, geometry=link.geometry, **attrs)
            if link.two_way:
                graph.add_edge(link.to_hub, link.from_hub, key=link.id, geometry=reverse(link.geometry), **attrs)
        return graph

    # ------------------------------------------------------------------ lookup
    def _build_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for rank in ("id", "name", "alias"):
            for hub in self._hubs.values():
                keys = [hub.id] if rank == "id" else [hub.name] if rank == "name" else list(hub.aliases)
                for key in keys:
                    lookup.setdefault(_normalize(key), hub.id)
        return lookup

    def _suggest(self, query: str, cutoff: float = 0.6) -> list[str]:
        key = _normalize(query)
        close = difflib.get_close_matches(key, list(self._lookup), n=5, cutoff=cutoff)
        names = dict.fromkeys(self._hubs[self._lookup[k]].name for k in close)
        return list(names)[:3]

    def find(self, place: str | Hub) -> Hub:
        """The hub a name, id or alias refers to (case- and accent-insensitive).

        Raises
        ------
        UnknownLocationError
            With close matches, when nothing matches.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> cp.load_network().find("Horgos").id
        'khorgos'
        """
        if isinstance(place, Hub):
            return self.hub(place.id)
        if not isinstance(place, str):
            raise InvalidQueryError(f"a place must be a hub id, name or alias (text), not {place!r}")
        hub_id = self._lookup.get(_normalize(place))
        if hub_id is None:
            raise UnknownLocationError(place, self._suggest(place), ADD_HUB_HINT)
        return self._hubs[hub_id]

    # ------------------------------------------------------------------ any place as an end
    @cached_property
    def _end_hubs(self) -> tuple[Hub, ...]:
        """Hubs a point end may be joined to: not sea waypoints, with a rail, road or sea link."""
        modes: dict[str, set[str]] = {}
        for link in self._links.values():
            for hub_id in (link.from_hub, link.to_hub):
                modes.setdefault(hub_id, set()).add(link.mode.value)
        return tuple(h for h in self._hubs.values() if h.kind != "waypoint" and modes.get(h.id, set()) & END_MODES)

    def nearest(self, lon: float, lat: float, k: int = 5, kind: str | Iterable[str] | None = None) -> list[NearHub]:
        """The ``k`` hubs nearest to a point, nearest first, with their WGS84 geodesic distance in km.

        Parameters
        ----------
        lon, lat : float
            The point, in degrees (EPSG:4326).
        k : int
            How many hubs (at most; fewer when the network has fewer).
        kind : str or list of str, optional
            Only hubs of these kinds (``"port"``, ``"city"``, ``"dry_port"``...).

        Returns
        -------
        list of NearHub
            ``(hub, distance_km)`` named tuples.

        Raises
        ------
        InvalidQueryError
            ``lon``/``lat`` not finite or out of range, ``k`` not a positive integer, an unknown kind.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> near = cp.load_network().nearest(69.24, 41.30, k=2)
        >>> near[0].hub.id, near[0].distance_km < 10
        ('tashkent', True)
        """
        lon, lat = check_point((lon, lat), "nearest")
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise InvalidQueryError(f"k must be a positive integer, not {shown(k)}")
        hubs = list(self._hubs.values())
        if kind is not None:
            kinds = set(as_list(kind, "kind"))
            known = sorted({h.kind for h in hubs})
            for name in sorted(kinds):
                if name not in known:
                    close = difflib.get_close_matches(name, known, n=3)
                    hint = f"; did you mean {', '.join(close)}?" if close else f", must be among {', '.join(known)}"
                    raise InvalidQueryError(f"kind: {name!r} is not a hub kind of this network{hint}")
            hubs = [h for h in hubs if h.kind in kinds]
        km = distances_km(lon, lat, hubs)
        order = sorted(range(len(hubs)), key=lambda i: (km[i], hubs[i].id))[:k]
        return [NearHub(hubs[i], float(km[i])) for i in order]

    def locate(self, place: Place) -> Hub | PointEnd:
        """What a route end refers to: its hub, or the :class:`~corridor_planner.routing.ends.PointEnd` of a
        gazetteer city or a ``(lon, lat)`` point (not joined to the network yet: :meth:`plan` does that).

        Raises
        ------
        UnknownLocationError
            Neither a hub nor a city of the gazetteer (close matches of both; how to add a hub).
        InvalidQueryError
            Coordinates not finite or out of range, or not a place at all.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> net = cp.load_network()
        >>> net.locate("Horgos").id, net.locate((69.24, 41.30)).id
        ('khorgos', 'point_69_2400_41_3000')
        """
        return self._resolve_end(place, "place")

    def _resolve_end(self, place: Any, what: str) -> Hub | PointEnd:
        """A hub, or the point end that ``place`` (a gazetteer city or ``(lon, lat)``) stands for."""
        if isinstance(place, Hub):
            return self.hub(place.id)
        if isinstance(place, str):
            hub_id = self._lookup.get(_normalize(place))
            if hub_id is not None:
                return self._hubs[hub_id]
            return self._gazetteer_end(place)
        if isinstance(place, (tuple, list)):
            lon, lat = check_point(place, what)
            return point_end(lon, lat)
        raise InvalidQueryError(
            f"{what} must be a hub id, name or alias, a city name or a (lon, lat) pair, not {shown(place)}"
        )

    def _gazetteer_end(self, name: str) -> PointEnd:
        from .errors import MissingDependencyError
        from .io.gazetteer import INSTALL_HINT, gazetteer

        hubs = self._suggest(name)
        try:
            cities = gazetteer()
        except MissingDependencyError:
            raise UnknownLocationError(
                name, hubs, f"{ADD_HUB_HINT}; to look up any city by name install the gazetteer: {INSTALL_HINT}"
            ) from None
        place = cities.find(name, primary_only=bool(self._suggest(name, cutoff=TYPO_CUTOFF)))
        if place is None:
            seen = {_normalize(h) for h in hubs}
            more = [p.label for p in cities.suggest(name) if _normalize(p.name) not in seen]
            raise UnknownLocationError(name, [*hubs, *more], ADD_HUB_HINT)
        end_id = place_id(place.name, place.country)
        if end_id in self._hubs:
            end_id = f"{end_id}_{place.geonameid}"
        return PointEnd(end_id, place.name, place.lon, place.lat, place.country)

    def with_ends(self, origin: Place, destination: Place) -> tuple[Network, str, str]:
        """The network a query between two places runs on, and the ids of its ends there.

        ``self`` and the hubs' ids when both ends are hubs; else a new network with each city
        or point end joined by approximate road legs to its nearest suitable hubs, as
        :meth:`plan` does (for searches of one's own over its :attr:`router`, e.g. the
        validation's mode-mix search, :mod:`corridor_planner.analysis.validate`).

        Raises
        ------
        UnknownLocationError, InvalidQueryError, NoRouteError
            As :meth:`plan` would for the ends.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> net = cp.load_network()
        >>> net.with_ends("Tashkent", "Baku")[1:]
        ('tashkent', 'baku')
        """
        return self._with_ends(origin, destination)

    def _with_ends(self, origin: Any, destination: Any) -> tuple[Network, str, str]:
        """The network to plan on and the ends to give it: ``self`` when both ends are hubs, else a new
        network with each non-hub end joined by approximate road legs to its nearest suitable hubs."""
        ends = [self._resolve_end(origin, "origin"), self._resolve_end(destination, "destination")]
        if isinstance(ends[0], Hub) and isinstance(ends[1], Hub):
            return self, ends[0].id, ends[1].id
        hubs: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        resolved: list[str] = []
        for end, what in zip(ends, ("origin", "destination"), strict=True):
            if isinstance(end, Hub):
                resolved.append(end.id)
                continue
            near = self._joins(end, what, ends)
            if isinstance(near, Hub):  # the point is (practically) at a hub
                resolved.append(near.id)
                continue
            if end.id in (h["id"] for h in hubs):  # both ends at one place
                raise InvalidQueryError(f"origin and destination are the same place ({end.name})")
            country = end.country if end.country in self.countries else near[0].hub.country
            hubs.append(
                dict(
                    id=end.id,
                    name=end.name,
                    country=country,
                    kind="city",
                    lon=end.lon,
                    lat=end.lat,
                    note=f"the {what} of a query: not a hub of the network",
                )
            )
            circuity = circuity_for(self._dataset.origin, self._dataset.sources)
            for hub, km in near:
                a, b = (end.id, hub.id) if what == "origin" else (hub.id, end.id)
                links.append(
                    {
                        "id": f"{a}_{b}_road", "from": a, "to": b, "mode": "road", "two_way": False,
                        "distance_km": round(max(km, SNAP_KM) * circuity.factor(country), 3), "approximate": True,
                        "note": f"{'first' if what == 'origin' else 'last'} mile: {km:,.1f} km geodesic x road "
                        f"circuity {circuity.factor(country):g} ({'; '.join(circuity.source(country))})",
                    }
                )  # fmt: skip
            resolved.append(end.id)
        if not hubs:
            return self, resolved[0], resolved[1]
        extended = self.extend(hubs=hubs, links=links, label="ends")
        return (
            type(self)(extended.dataset, self._emission_model, approximate_links=[link["id"] for link in links]),
            resolved[0],
            resolved[1],
        )

    def _joins(self, end: PointEnd, what: str, ends: list[Hub | PointEnd]) -> Hub | list[NearHub]:
        """The hub a point end is at, or the nearby hubs it is joined to by road (same country first)."""
        candidates = list(self._end_hubs)
        km = distances_km(end.lon, end.lat, candidates)
        order = sorted(range(len(candidates)), key=lambda i: (km[i], candidates[i].id))
        near = [NearHub(candidates[i], float(km[i])) for i in order if km[i] <= MAX_RADIUS_KM]
        if not near:
            closest = f"; the nearest is {candidates[order[0]].name} at {km[order[0]]:,.0f} km" if order else ""
            names = [e.id if isinstance(e, Hub) else e.name for e in ends]
            raise NoRouteError(
                names[0],
                names[1],
                [
                    f"no hub with rail, road or sea links lies within {MAX_RADIUS_KM:,.0f} km of the {what} "
                    f"{end.name}{'' if end.name.startswith('(') else f' ({end.lon:g}, {end.lat:g})'}{closest}"
                ],
            )
        if near[0].distance_km <= SNAP_KM:
            return near[0].hub
        country = end.country or near[0].hub.country  # a bare point: the country of its nearest hub
        same = [n for n in near if n.hub.country == country]
        if not same:  # a first- or last-mile road leg stays in the end's country: it crosses no border
            names = [e.id if isinstance(e, Hub) else e.name for e in ends]
            abroad = ", ".join(f"{n.hub.name} ({n.hub.country}) at {n.distance_km:,.0f} km" for n in near[:DEFAULT_K])
            raise NoRouteError(
                names[0],
                names[1],
                [
                    f"the {what} {end.name} ({end.country}) has no hub with rail, road or sea links in {end.country} "
                    f"within {MAX_RADIUS_KM:,.0f} km, and an approximate first- or last-mile road leg does not cross "
                    f"a border; the nearest hubs are abroad: {abroad}. Plan from one of them, or add a hub in "
                    f"{end.country} (net.extend(hubs=[...], links=[...]))"
                ],
            )
        return same[:DEFAULT_K]

    # ------------------------------------------------------------------ routing
    @cached_property
    def router(self) -> Router:
        """The :class:`~corridor_planner.routing.router.Router` that answers this network's queries (owns the routing graph)."""
        return Router(self._dataset, self.emissions, self._end_links)

    @cached_property
    def emissions(self) -> EmissionModel:
        """The emission factors, energy carriers, hub factors and units (ISO 14083 / GLEC, :mod:`corridor_planner.routing.emissions`).

        Those given to the constructor or :meth:`with_emissions`, else the dataset folder's
        own ``emission_factors.csv`` and companions, else the shipped ones.
        """
        if self._emission_model is not None:
            return self._emission_model
        folder = Path(self._dataset.origin)
        if (folder / "emission_factors.csv").is_file():
            return load_emission_model(folder)
        return load_emission_model()

    def with_emissions(self, emissions: EmissionModel | str | Path) -> Network:
        """A new network that computes emissions with other tables (a model, or a folder holding them)."""
        model = emissions if isinstance(emissions, EmissionModel) else EmissionModel.from_folder(emissions)
        return type(self)(self._dataset, model)

    def query(self, origin: str | Hub, destination: str | Hub, **options: Unpack[PlanOptions]) -> Query:
        """Resolve and check the options of :meth:`plan` into a :class:`~corridor_planner.routing.query.Query`."""
        return resolve_query(self, origin, destination, options)

    def country_group(self, group: CountryGroup) -> frozenset[str]:
        """The ISO codes of the countries whose SCO status is in ``group`` (from ``countries.csv``).

        Examples
        --------
        >>> import corridor_planner as cp
        >>> sorted(cp.load_network().country_group(cp.SCO_MEMBERS))[:4]
        ['BY', 'CN', 'IN', 'IR']
        """
        return countries_in_group(self.countries, group)

    def plan(self, origin: Place, destination: Place, **options: Unpack[PlanOptions]) -> Route:
        """The best route between two places.

        Parameters
        ----------
        origin, destination : str, Hub or (lon, lat)
            Hub ids, names or aliases (case- and accent-insensitive); a city of the offline
            gazetteer (``pip install "corridor_planner[places]"``), or a ``(lon, lat)`` point.
            An end that is not a hub is joined by a first- (last-) mile road leg to each of its
            3 nearest hubs with rail, road or sea links within 500 km (same country first):
            geodesic distance times the road circuity of ``data/circuity.csv``, timed at the
            road mode's speed. Those legs (:attr:`Leg.approximate`) and the route
            (:attr:`Route.approximate`) are flagged ``approximate``; the network is not changed.
            A point within 1 km of such a hub is that hub.
        optimize : {"time", "distance", "cost", "co2", "co2e", "p90_time"} or mapping
            The criterion to minimise; ties go to the better route by time, cost, CO2 and
            distance, in that order. ``"p90_time"`` picks, among the alternatives for time
            (:meth:`alternatives`), the route with the lowest 90th percentile of transit days
            (:attr:`Route.p90_days`; :mod:`corridor_planner.analysis.reliability`). ``"co2"`` is tank-to-wheel CO2 by the per-mode factors,
            ``"co2e"`` well-to-wheel CO2e by ISO 14083 / GLEC with hub activities. A mapping
            of criteria to weights minimises a generalised cost: weights apply per day, km,
            USD, kg CO2 and kg CO2e, so
            ``{"cost": 1, "time": 150}`` prices a day at USD 150 per TEU.
        value_of_time : float, optional
            USD per TEU-day added to ``cost`` (``optimize="cost", value_of_time=150`` is the example above).
        via : str or list, optional
            Hubs the route must pass, in this order. An entry may be a ``(place, mode)``
            pair: ``("Tianjin", "sea")`` means the route must pass Tianjin *on the sea*
            (leave or arrive there by ship), not just touch it.
        avoid_countries : str or list of str, optional
            ISO 3166 alpha-2 codes of countries the route must not enter or transit.
        avoid_modes : str or list of str, optional
            Modes not to use (``"rail"``, ``"road"``, ``"sea"``, ``"air"``, ``"pipeline"``).
        only_modes : str or list of str, optional
            The only modes to use (``["rail", "sea"]``). Combines with ``avoid_modes``:
            a route may use the modes of ``only_modes`` that ``avoid_modes`` does not name
            (an error if that leaves none).
        avoid_hubs : str or list of str, optional
            Hubs the route must not pass.
        avoid_chokepoints : str or list of str, optional
            Chokepoints not to pass (``"suez"``, ``"babalmandab"``, ``"caspian"``... see :attr:`chokepoints`).
        avoid_corridors : str or list of str, optional
            Corridors (ids of :attr:`corridors`) none of whose links may be used.
        within : list of str or CountryGroup, optional
            The only countries the route may enter: ISO codes, or a group such as
            :data:`~corridor_planner.SCO_MEMBERS` resolved from the network's countries table.
        require_hubs, require_corridors, require_chokepoints, require_countries : str or list, optional
            What the route must pass, each at least once, in any order (use ``via`` for an order).
            An impossible requirement raises :class:`NoRouteError`; it is never dropped.
            Requirements the route meets on its way anyway cost nothing; at most 6 that lie
            off its way are enforced (more raise :class:`InvalidQueryError`, quickly).
        cargo : str
            The cargo class; links that do not carry it are not used (pipelines carry only liquids and gas).
        as_of : int, optional
            The year of the network: links open later are not used. Default: the network's
            year (set by a scenario), else the current year.
        crew : {1, 2}
            Drivers per truck (default 1): two drivers (multi-manning under EU 561/2006 and
            AETR) move a truck 14.4 h a day instead of 9 h (``modes.csv``, ``D-T-CREW2-HOURS``).
        unit : str, optional
            The unit the route reports cost and emissions in (:meth:`Route.summary`,
            :meth:`Route.cost`, :meth:`Route.co2e`, :meth:`Route.emissions`): ``"teu"``
            (default for containers), ``"feu"``, ``"tonne"`` (default for bulk), ``"wagon"``,
            ``"truck"``; liquid bulk also ``"barrel"`` (``data/units.csv``). It does not change the route.
        depart : str, datetime.date or datetime.datetime, optional
            Date the route from this departure (:meth:`Route.departing`): waits for the next
            departure of each service or train, every leg with its ``departs``/``arrives``.
        seasons : bool
            With ``depart``: apply the seasonal factors of ``data/seasons.csv`` (default ``True``;
            :attr:`Route.seasonal` lists those applied). ``False``: timetables only.

        Returns
        -------
        Route

        Raises
        ------
        UnknownLocationError
            A place matches no hub nor city (the message lists close matches and how to add a hub).
        InvalidQueryError
            An option has an invalid value.
        NoRouteError
            No route satisfies the query; the message names the constraints or missing links that block it.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> net = cp.load_network()
        >>> route = net.plan("Kashgar", "Andijan", avoid_modes=["road"], as_of=2030)
        >>> "cku_railway" in route.corridors
        True
        >>> inside = net.plan("Beijing", "Minsk", within=cp.SCO_MEMBERS)
        >>> set(inside.countries) <= net.country_group(cp.SCO_MEMBERS)
        True
        """
        unit = options.pop("unit", None)
        start = _departure(options)
        net, origin, destination = self._with_ends(origin, destination)
        if options.get("optimize") == "p90_time":
            from .analysis.reliability import most_reliable

            options["optimize"] = "time"
            q = net.query(origin, destination, **options)
            return self.in_unit(_dated(most_reliable(net.router, q), start), unit)
        q = net.query(origin, destination, **options)
        return self.in_unit(_dated(net.plan_query(q), start), unit)

    def in_unit(self, route: Route, unit: str | None) -> Route:
        """``route`` reporting its cost and emissions per ``unit`` (``None``: as it is).

        Raises
        ------
        InvalidQueryError
            ``unit`` is not a unit, or not one of the route's cargo (``"teu"`` for oil).
        """
        if unit is None:
            return route
        found = self.emissions.unit(unit, str(route.query.get("cargo", "container")))
        return replace(route, unit=found.id)

    def plan_query(self, q: Query) -> Route:
        """Plan a resolved :class:`~corridor_planner.routing.query.Query`."""
        return self.router.plan(q)

    def pareto(
        self,
        origin: Place,
        destination: Place,
        criteria: Iterable[str] = ("time", "cost", "co2"),
        *,
        epsilon: float | None = None,
        max_routes: int | None = None,
        **options: Unpack[PlanOptions],
    ) -> list[Route]:
        """Every non-dominated route for ``criteria``: none is better in one criterion without being worse in another.

        Exact on the network (multi-criteria label setting over the same constrained
        graph :meth:`plan` searches). ``options`` are those of :meth:`plan`
        (``avoid_*``, ``within``, ``require_*``, ``via``, ``cargo``, ``as_of``).
        Routes come sorted by the first criterion.

        A front can have thousands of routes on a large network (a random 10,000-link grid:
        over 2,000 for three criteria) and the exact search then takes minutes. Two bounds:

        - ``epsilon``: a number >= 0 returns an approximate front: every Pareto-optimal route
          is within a factor ``1 + epsilon`` on every criterion of a returned one (``0.01``:
          within 1%), usually with far fewer routes, much faster. ``0``: exact, however long it
          takes (it raises past :data:`~corridor_planner.routing.search.PARETO_LABEL_LIMIT`
          labels). ``None`` (the default): exact, unless the search passes
          :data:`~corridor_planner.routing.search.PARETO_LABELS` labels (never on the shipped
          network); it then goes on with epsilon 0.01, 0.03, 0.1 in turn and warns with the one
          the answer holds to.
        - ``max_routes``: at most this many routes: the best by each criterion, then those the
          kept ones cover worst, one at a time (spread over the front); a ``UserWarning`` says
          how many were left out and the factor they are within of a kept one.

        Raises
        ------
        InvalidQueryError
            ``epsilon`` is not a finite number >= 0, ``max_routes`` not a positive integer,
            or an option is invalid; or, with a given ``epsilon``, the search passed its label limit.
        NoRouteError
            When no route satisfies the options.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> front = cp.load_network().pareto("Beijing", "Duisburg", criteria=("time", "cost"))
        >>> front[0].transit_days <= front[-1].transit_days and front[0].cost_usd >= front[-1].cost_usd
        True
        """
        chosen = tuple(as_list(criteria, "criteria"))
        if not chosen or len(set(chosen)) != len(chosen):
            raise InvalidQueryError(f"criteria must name distinct criteria, got {chosen!r}")
        for criterion in chosen:
            check_criterion(criterion, "criteria")
        bound, cap = check_epsilon(epsilon), check_max_routes(max_routes)
        if "optimize" in options:
            raise InvalidQueryError("pareto() takes criteria=..., not optimize=")
        options["optimize"] = chosen[0]  # a fresh dict: the caller's mapping is not touched
        unit = options.pop("unit", None)
        start = _departure(options)
        net, origin, destination = self._with_ends(origin, destination)
        q = net.query(origin, destination, **options)
        routes = net.router.pareto(q, chosen, epsilon=bound, max_routes=cap)
        return [self.in_unit(_dated(route, start), unit) for route in routes]

    def alternatives(
        self, origin: Place, destination: Place, k: int = 5, **options: Unpack[PlanOptions]
    ) -> list[Route]:
        """Up to ``k`` genuinely different routes, best first (see :func:`corridor_planner.analysis.alternatives.alternatives`).

        Routes differ in the countries they cross, the chokepoints they pass or the
        modes they use, not by one station swapped; ``options`` are those of :meth:`plan`
        (including ``optimize``). Each route's :attr:`Route.label` names its main corridors.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> routes = cp.load_network().alternatives("Beijing", "Duisburg", k=3, as_of=2025)
        >>> [r.transit_days for r in routes] == sorted(r.transit_days for r in routes)
        True
        """
        from .analysis.alternatives import alternatives

        unit = options.pop("unit", None)
        start = _departure(options)
        reliable = options.get("optimize") == "p90_time"
        if reliable:
            options["optimize"] = "time"
        net, origin, destination = self._with_ends(origin, destination)
        routes = alternatives(net.router, net.query(origin, destination, **options), k)
        if reliable:
            from .analysis.reliability import rank_by_reliability

            routes = rank_by_reliability(routes)
        return [self.in_unit(_dated(route, start), unit) for route in routes]

    def matrix(
        self,
        origins: str | Hub | Iterable[str | Hub] | None = None,
        destinations: str | Hub | Iterable[str | Hub] | None = None,
        optimize: str | Mapping[str, float] = "time",
        routes: bool = False,
        strict: bool = False,
        executor: Any = None,
        **options: Any,
    ) -> pd.DataFrame:
        """Origin-destination matrix: the best route of every pair, as one long table.

        Each cell equals what :meth:`plan` gives for the pair (the property the tests check).
        With the options the array search supports (``avoid_*``, ``only_modes``, ``within``,
        ``cargo``, ``as_of``, ``crew``, ``value_of_time``, weighted objectives) all origins are
        searched at once over the routing graph's arrays with
        :func:`scipy.sparse.csgraph.dijkstra` (:mod:`corridor_planner.routing.matrix`);
        a cell whose array path enters a hub twice is planned again by the router
        (``table.attrs["matrix"]["repaired"]`` counts them). ``via``, ``require_*`` and
        ``optimize="p90_time"`` plan every cell with :meth:`plan`.

        Parameters
        ----------
        origins : place or list of places, optional
            Hub ids, names or aliases, or :class:`Hub` objects (each hub once, in the order given).
            Default: every hub a trip can start at (not sea waypoints).
        destinations : place or list of places, optional
            Default: the origins.
        optimize : str or mapping
            As for :meth:`plan`.
        routes : bool
            Add a ``route`` column holding each cell's :class:`Route` (``None`` without one).
        strict : bool
            Raise the :class:`NoRouteError` of the first pair without a route instead of
            recording it.
        executor : Executor or distributed.Client, optional
            Split the origins into blocks and answer each block on this executor: a
            :mod:`concurrent.futures` executor or a Dask ``distributed.Client`` (the network is
            scattered to every worker once). The table is the same as without one.
        **options
            Options of :meth:`plan` (``unit`` applies to the routes of the ``route`` column;
            the figures are per TEU).

        Returns
        -------
        pandas.DataFrame
            One row per (origin, destination), origins outermost: ``origin``, ``destination``
            (hub ids), ``status`` (``"ok"``, ``"no_route"`` or ``"same"``: origin is destination,
            figures 0), ``transit_days``, ``time_h``, ``distance_km``, ``cost_usd``, ``co2_kg``,
            ``co2e_kg`` (NaN without a route) and ``reason`` (the :class:`NoRouteError`
            message of a pair without a route, else empty).

        Raises
        ------
        UnknownLocationError, InvalidQueryError
            As :meth:`plan` would for any of the pairs, before anything is planned.
        NoRouteError
            With ``strict=True``, for the first pair without a route.

        Examples
        --------
        >>> import corridor_planner as cp
        >>> table = cp.load_network().matrix(["Beijing", "Almaty"], ["Baku", "Tashkent"], optimize="cost")
        >>> list(table["status"]), list(table["destination"][:2])
        (['ok', 'ok', 'ok', 'ok'], ['baku', 'tashkent'])
        """
        from .analysis.matrix import od_matrix

        return od_matrix(
            self,
            origins,
            destinations,
            optimize=optimize,
            routes=routes,
            strict=strict,
            executor=executor,
            options=dict(options),
        )

    def on_layer(self, layer: Any, *, max_snap_km: float = 25.0, simplify: bool = True) -> LayerNetwork:
        """Route on a large rail or road network: this network's hubs snapped onto ``layer``.

        See :class:`~corridor_planner.routing.baselayer.LayerNetwork`: hubs within
        ``max_snap_km`` of a node are snapped to it, degree-2 chains are merged (hubs' nodes
        kept), and ``plan()`` / ``matrix()`` take hub names of this network or ``(lon, lat)``
        points; links are priced by this network's ``modes`` table.

        Parameters
        ----------
        layer : BaseLayer or str or Path
            A layer from :func:`~corridor_planner.read_layer`, or the file to read it from.

        Examples
        --------
        >>> import numpy as np, corridor_planner as cp
        >>> from corridor_planner.model.baselayer import layer_from_vertices
        >>> layer = layer_from_vertices(np.array([0, 0, 0]), np.array([71.45, 74.0, 76.9]),
        ...                             np.array([51.17, 47.0, 43.25]), mode=np.array([0], dtype=np.int8))
        >>> lnet = cp.load_network().on_layer(layer, max_snap_km=30)
        >>> lnet.plan("Astana", "Almaty", optimize="distance").modes
        ('rail',)
        """
        from .routing.baselayer import LayerNetwork

        if isinstance(layer, (str, Path)):
            from .io.baselayer import read_layer

            layer = read_layer(layer)
        return LayerNetwork(
            layer,
            self._hubs.values(),
            modes=self.modes,
            max_snap_km=max_snap_km,
            simplify=simplify,
            resolve=self.find,
            emissions=self.emissions,
        )

    # ------------------------------------------------------------------ scenarios
    def apply(self, *scenarios: Any) -> Network:
        """A new network with the scenarios applied in order; this one is not changed.

        Parameters
        ----------
        *scenarios : Scenario, str, Path or mapping
            :class:`~corridor_planner.Scenario` objects, names of shipped scenarios
            (:func:`~corridor_planner.list_scenarios`), paths to TOML files, or mappings.

        Raises
        ------
        ScenarioError
            A scenario names something this network does not have (file, key, close matches).

        Examples
        --------
        >>> import corridor_planner as cp
        >>> base = cp.load_network()
        >>> closed = base.apply("red_sea_closed")
        >>> closed.scenarios, base.scenarios
        (('red_sea_closed',), ())
        """
        from .analysis.scenario import load_scenario

        dataset = self._dataset
        for scenario in scenarios:
            dataset = load_scenario(scenario).apply_to(dataset)
        applied = Network(dataset, self._emission_model)
        if not self._end_links:
            # scenarios that only change quantities reweight this network's routing graph (routing.overlay)
            vars(applied)["router"] = Router(dataset, applied.emissions, base=self.router)
        return applied

    @property
    def scenarios(self) -> tuple[str, ...]:
        """The names of the scenarios applied to this network, in order."""
        return self._dataset.scenarios

    @property
    def as_of(self) -> int:
        """The year a query without ``as_of`` plans for: a scenario's, else the current year."""
        return self._dataset.year

    # ------------------------------------------------------------------ pictures (corridor_planner.viz, the plot extra)
    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """A static map of every link coloured by mode (not-yet-open links dashed), hubs, legend, scale bar.

        Options (``as_of``, ``labels``...): :func:`corridor_planner.viz.maps.plot_network`.
        Needs ``pip install "corridor_planner[plot]"``.
        """
        from .viz.maps import plot_network

        return plot_network(self, ax=ax, **kw)

    def explore(self, **kw: Any) -> folium.Map:
        """An interactive web map (folium): links by mode with popups, hub markers (name, country, kind).

        Options: :func:`corridor_planner.viz.web.explore_network`. Needs ``pip install "corridor_planner[plot]"``.
        """
        from .viz.web import explore_network

        return explore_network(self, **kw)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        modes = sorted({k.mode.value for k in self._links.values()})
        return f"<Network {len(self._hubs)} hubs, {len(self._links)} links ({', '.join(modes)}) from {self._dataset.origin}>"

    def _repr_html_(self) -> str:
        counts: dict[str, int] = {}
        km: dict[str, float] = {}
        for link in self._links.values():
            counts[link.mode.value] = counts.get(link.mode.value, 0) + 1
            km[link.mode.value] = km.get(link.mode.value, 0.0) + link.distance_km
        rows = "".join(
            f"<tr><td>{html_text(m)}</td><td>{counts[m]}</td><td>{km[m]:,.0f}</td></tr>" for m in sorted(counts)
        )
        return (
            f"<div><strong>Network: {len(self._hubs)} hubs, {len(self._links)} links</strong>"
            f"<table><thead><tr><th>mode</th><th>links</th><th>km</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )


def load_network(path: str | Path | None = None) -> Network:
    """Load a network: the shipped dataset, or a folder or GeoPackage in the same format.

    Parameters
    ----------
    path : str or Path, optional
        A folder holding ``hubs.geojson``, ``links.geojson`` and the rule tables
        (see ``data/README.md``), or a ``.gpkg`` file written by
        :meth:`Network.to_geopackage`. Default: the dataset shipped with the package.

    Raises
    ------
    NetworkValidationError
        Listing every problem of the dataset (file, record, field, reason).

    Examples
    --------
    >>> import corridor_planner as cp
    >>> net = cp.load_network()
    >>> len(net.hub_ids) > 50
    True
    """
    return Network.from_folder(path)
