"""The :class:`Network`: the physical layer, place lookup, and planning."""

from __future__ import annotations

import datetime
import difflib
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .costs import CostModel
from .errors import InvalidQueryError, UnknownLocationError
from .graph import RoutingGraph
from .io import Dataset, hub_feature, link_feature, read_dataset
from .model import BorderRule, Corridor, Country, DwellRule, Hub, Link, ModeDefaults, Service, Source, TransferRule
from .route import Route
from .routing import Query, allowed_mask, build_route, check_modes, check_options, diagnose, search

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["Network", "load_network"]


def _normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", stripped.casefold())


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def current_year() -> int:
    """The year ``as_of=None`` stands for: today's."""
    return datetime.date.today().year


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

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._hubs: Mapping[str, Hub] = MappingProxyType({h.id: h for h in dataset.hubs})
        self._links: Mapping[str, Link] = MappingProxyType({k.id: k for k in dataset.links})
        self._lookup = self._build_lookup()
        self._mask_cache = lru_cache(maxsize=256)(self._mask_uncached)  # keyed by constraints only

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
        from .io import dataset_from_records

        return cls(dataset_from_records(hubs, links, tables))

    # ------------------------------------------------------------------ the physical layer
    @property
    def dataset(self) -> Dataset:
        """The validated records the network is made of."""
        return self._dataset

    def hub(self, hub_id: str) -> Hub:
        """The hub with this exact id (see :meth:`find` for names and aliases)."""
        try:
            return self._hubs[hub_id]
        except KeyError:
            raise UnknownLocationError(hub_id, self._suggest(hub_id)) from None

    def link(self, link_id: str) -> Link:
        """The link with this exact id."""
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
        return self._dataset.sources or {}

    @cached_property
    def chokepoints(self) -> frozenset[str]:
        """Every chokepoint a link or hub names (``suez``, ``babalmandab``, ``caspian``...)."""
        names = {c for link in self._links.values() for c in link.chokepoints}
        names |= {h.chokepoint for h in self._hubs.values() if h.chokepoint}
        return frozenset(names)

    @cached_property
    def hubs(self) -> gpd.GeoDataFrame:
        """The hubs as a GeoDataFrame (EPSG:4326), indexed by id."""
        import geopandas as gpd

        frame = gpd.GeoDataFrame.from_features([hub_feature(h) for h in self._hubs.values()], crs="EPSG:4326")
        return frame.set_index("id", drop=False).rename_axis(None)

    @cached_property
    def links(self) -> gpd.GeoDataFrame:
        """The links as a GeoDataFrame (EPSG:4326), indexed by id."""
        import geopandas as gpd

        frame = gpd.GeoDataFrame.from_features([link_feature(k) for k in self._links.values()], crs="EPSG:4326")
        return frame.set_index("id", drop=False).rename_axis(None)

    # ------------------------------------------------------------------ lookup
    def _build_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for rank in ("id", "name", "alias"):
            for hub in self._hubs.values():
                keys = [hub.id] if rank == "id" else [hub.name] if rank == "name" else list(hub.aliases)
                for key in keys:
                    lookup.setdefault(_normalize(key), hub.id)
        return lookup

    def _suggest(self, query: str) -> list[str]:
        key = _normalize(query)
        close = difflib.get_close_matches(key, list(self._lookup), n=5, cutoff=0.6)
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
            raise UnknownLocationError(place, self._suggest(place))
        return self._hubs[hub_id]

    # ------------------------------------------------------------------ routing
    @cached_property
    def _costs(self) -> CostModel:
        d = self._dataset
        return CostModel(d.modes, d.services, d.transfers, d.dwells)

    @cached_property
    def _graph(self) -> RoutingGraph:
        return RoutingGraph(self._hubs, self._links, self._dataset.borders, self._costs)

    def _mask(self, q: Query) -> list[bool]:
        """The edges ``q`` may use; queries that differ only in their ends, objective or via share one mask."""
        return self._mask_cache(replace(q, origin="", destination="", optimize="time", via=()))

    def _mask_uncached(self, constraints: Query) -> list[bool]:
        return allowed_mask(self._graph, constraints).tolist()  # type: ignore[no-any-return]

    @lru_cache(maxsize=8)
    def _weight_lists(self, optimize: str) -> tuple[list[float], list[float]]:
        criteria = self._graph.criteria
        secondary = "cost" if optimize == "time" else "time"
        return criteria[optimize].tolist(), criteria[secondary].tolist()

    def query(
        self,
        origin: str | Hub,
        destination: str | Hub,
        *,
        optimize: str = "time",
        via: str | Iterable[str | tuple[str, str]] | None = None,
        avoid_countries: str | Iterable[str] | None = None,
        avoid_modes: str | Iterable[str] | None = None,
        avoid_hubs: str | Iterable[str] | None = None,
        avoid_chokepoints: str | Iterable[str] | None = None,
        cargo: str = "container",
        as_of: int | None = None,
    ) -> Query:
        """Resolve and check the arguments of :meth:`plan` into a :class:`~corridor_planner.routing.Query`."""
        a = self.find(origin)
        b = self.find(destination)
        if a.id == b.id:
            raise InvalidQueryError(f"origin and destination are the same hub ({a.id!r})")
        for hub in (a, b):
            if hub.kind == "waypoint":
                raise InvalidQueryError(f"{hub.name!r} is a sea waypoint, not a place a trip can start or end")
        modes = _as_list(avoid_modes)
        modes = [m.value if hasattr(m, "value") else m for m in modes]
        check_options(optimize, cargo)
        check_modes(modes, "avoid_modes")
        countries = [c.upper() if isinstance(c, str) else c for c in _as_list(avoid_countries)]
        known_countries = {h.country for h in self._hubs.values()} | set(self.countries)
        for code in countries:
            if code not in known_countries:
                raise InvalidQueryError(
                    f"avoid_countries: {code!r} is not a country of this network; use ISO 3166 alpha-2 codes "
                    f"such as {', '.join(sorted(known_countries)[:8])}..."
                )
        chokepoints = _as_list(avoid_chokepoints)
        for name in chokepoints:
            if name not in self.chokepoints:
                raise InvalidQueryError(
                    f"avoid_chokepoints: {name!r} is not a chokepoint of this network, must be among "
                    f"{', '.join(sorted(self.chokepoints))}"
                )
        avoided = frozenset(self.find(h).id for h in _as_list(avoid_hubs))
        for hub in (a, b):
            if hub.id in avoided:
                raise InvalidQueryError(f"avoid_hubs includes the {'origin' if hub is a else 'destination'} {hub.id!r}")
        via_ids = tuple(self._via(entry) for entry in _as_list(via))  # type: ignore[arg-type]
        for hub_id, _ in via_ids:
            if hub_id in avoided:
                raise InvalidQueryError(f"{hub_id!r} is both in via and in avoid_hubs")
        year = (self._dataset.as_of or current_year()) if as_of is None else as_of
        if not isinstance(year, int) or isinstance(year, bool):
            raise InvalidQueryError(f"as_of must be a year (int), not {as_of!r}")
        return Query(
            origin=a.id, destination=b.id, optimize=optimize, via=via_ids,
            avoid_countries=frozenset(countries), avoid_modes=frozenset(modes), avoid_hubs=avoided,
            avoid_chokepoints=frozenset(chokepoints), cargo=cargo, as_of=year,
        )  # fmt: skip

    def _via(self, entry: str | Hub | tuple[str | Hub, str]) -> tuple[str, str | None]:
        if isinstance(entry, tuple):
            if len(entry) != 2:
                raise InvalidQueryError(f"a via entry is a place or a (place, mode) pair, not {entry!r}")
            place, mode = entry
            mode = getattr(mode, "value", mode)
            check_modes([mode], "via")
            return self.find(place).id, mode
        return self.find(entry).id, None

    def plan(
        self,
        origin: str | Hub,
        destination: str | Hub,
        *,
        optimize: str = "time",
        via: str | Iterable[str | tuple[str, str]] | None = None,
        avoid_countries: str | Iterable[str] | None = None,
        avoid_modes: str | Iterable[str] | None = None,
        avoid_hubs: str | Iterable[str] | None = None,
        avoid_chokepoints: str | Iterable[str] | None = None,
        cargo: str = "container",
        as_of: int | None = None,
    ) -> Route:
        """The best route between two places.

        Parameters
        ----------
        origin, destination : str or Hub
            Hub ids, names or aliases (case- and accent-insensitive).
        optimize : {"time", "distance", "cost", "co2"}
            The criterion to minimise; ties go to the faster (for ``time``: the cheaper) route.
        via : str or list, optional
            Hubs the route must pass, in this order. An entry may be a ``(place, mode)``
            pair: ``("Tianjin", "sea")`` means the route must pass Tianjin *on the sea*
            (leave or arrive there by ship), not just touch it.
        avoid_countries : str or list of str, optional
            ISO 3166 alpha-2 codes of countries the route must not enter or transit.
        avoid_modes : str or list of str, optional
            Modes not to use (``"rail"``, ``"road"``, ``"sea"``, ``"air"``, ``"pipeline"``).
        avoid_hubs : str or list of str, optional
            Hubs the route must not pass.
        avoid_chokepoints : str or list of str, optional
            Chokepoints not to pass (``"suez"``, ``"babalmandab"``, ``"caspian"``... see :attr:`chokepoints`).
        cargo : str
            The cargo class; links that do not carry it are not used (pipelines carry only liquids and gas).
        as_of : int, optional
            The year of the network: links open later are not used. Default: the current year.

        Returns
        -------
        Route

        Raises
        ------
        UnknownLocationError
            A place matches no hub (the message lists close matches).
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
        """
        q = self.query(
            origin, destination, optimize=optimize, via=via, avoid_countries=avoid_countries,
            avoid_modes=avoid_modes, avoid_hubs=avoid_hubs, avoid_chokepoints=avoid_chokepoints,
            cargo=cargo, as_of=as_of,
        )  # fmt: skip
        return self.plan_query(q)

    def plan_query(self, q: Query) -> Route:
        """Plan a resolved :class:`~corridor_planner.routing.Query`."""
        path = search(self, q)
        if path is None:
            raise diagnose(self, q)
        return build_route(self, q, path)

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
        rows = "".join(f"<tr><td>{html.escape(m)}</td><td>{counts[m]}</td><td>{km[m]:,.0f}</td></tr>" for m in sorted(counts))
        return (
            f"<div><strong>Network: {len(self._hubs)} hubs, {len(self._links)} links</strong>"
            f"<table><thead><tr><th>mode</th><th>links</th><th>km</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )


def load_network(path: str | Path | None = None) -> Network:
    """Load a network: the shipped dataset, or a folder in the same format.

    Parameters
    ----------
    path : str or Path, optional
        A folder holding ``hubs.geojson``, ``links.geojson`` and the rule tables
        (see ``data/README.md``). Default: the dataset shipped with the package.

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
