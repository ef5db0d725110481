"""Base layers: a large rail or road network (thousands to millions of links) held as numpy arrays.

A :class:`BaseLayer` is a graph of nodes (``lon``, ``lat``) and links (``src``, ``dst``,
``length_km``, ``mode``, ``country``, ``two_way``), every column one array, no Python object
per node or link. It is made from line vertices by :func:`layer_from_vertices` (every vertex a
node, every segment a link: where lines share a vertex they meet), then
:meth:`BaseLayer.simplified` merges the chains of degree-2 nodes into single links, keeping
the nodes given (the hubs snapped onto the layer), mode, country and direction changes.
Every step is array work (:func:`numpy.unique`, :func:`scipy.sparse.csgraph.connected_components`,
:class:`pyproj.Geod` on arrays); only the geometry of the links a route uses is put together
in Python, when the route is built.

Memory: :attr:`BaseLayer.nbytes` counts every array (a simplified layer shares its parent's
node coordinates and segment ends for the geometry of its links).

Examples
--------
>>> import numpy as np
>>> layer = layer_from_vertices(np.array([0, 0, 0, 1, 1]), np.array([0.0, 1.0, 2.0, 2.0, 2.0]),
...                             np.array([0.0, 0.0, 0.0, 0.0, 1.0]), mode=np.array([0, 0], dtype=np.int8))
>>> layer.n_nodes, layer.n_links
(4, 3)
>>> simple = layer.simplified()
>>> simple.n_nodes, simple.n_links, round(float(simple.length_km.sum()), 1)
(2, 1, 333.2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

MODE_NAMES: tuple[str, ...] = ("rail", "road")
"""The modes a base layer's links may have; ``mode`` holds an index into it."""

KEY_SCALE = 1e7
"""Vertices whose coordinates agree to 1e-7 degree (about 1 cm) are one node."""

EARTH_KM = 6371.0088
"""The mean Earth radius (IUGG), for nearest-node look-ups on the unit sphere."""

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def _sphere(lon: Floats, lat: Floats) -> Floats:
    """Unit vectors of lon/lat points (degrees), as an (n, 3) array."""
    lam, phi = np.radians(lon), np.radians(lat)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def chord_to_km(chord: Floats) -> Floats:
    """Great-circle km on the mean sphere for chord lengths of the unit sphere."""
    result: Floats = 2.0 * EARTH_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
    return result


def great_circle_km(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Floats:
    """Great-circle km on the mean sphere between lon/lat points (arrays broadcast)."""
    a = _sphere(np.atleast_1d(np.asarray(lon1, float)), np.atleast_1d(np.asarray(lat1, float)))
    b = _sphere(np.atleast_1d(np.asarray(lon2, float)), np.atleast_1d(np.asarray(lat2, float)))
    return chord_to_km(np.linalg.norm(a - b, axis=1))


@dataclass(frozen=True, eq=False)
class Parts:
    """How a simplified layer's links are made of its parent's segments (for their geometry).

    ``members[offsets[i]:offsets[i + 1]]`` are the parent links of link ``i`` (in no order);
    ``node[j]`` is the parent node of node ``j``; ``src``, ``dst``, ``lon`` and ``lat`` are the
    parent's arrays (shared, not copied).
    """

    offsets: Ints
    members: npt.NDArray[np.int32]
    node: npt.NDArray[np.int32]
    src: npt.NDArray[np.int32]
    dst: npt.NDArray[np.int32]
    lon: Floats
    lat: Floats

    @property
    def nbytes(self) -> int:
        own = (self.offsets, self.members, self.node, self.src, self.dst, self.lon, self.lat)
        return sum(a.nbytes for a in own)


@dataclass(frozen=True, eq=False)
class BaseLayer:
    """A rail or road network as arrays: nodes and links, no Python object per element.

    Attributes
    ----------
    lon, lat : ndarray of float64
        Per node, its coordinates (EPSG:4326).
    src, dst : ndarray of int32
        Per link, its end nodes (a one-way link runs from ``src`` to ``dst``).
    length_km : ndarray of float64
        Per link, its length along the WGS84 ellipsoid (or as given by the source).
    mode : ndarray of int8
        Per link, an index into :data:`MODE_NAMES`.
    country : ndarray of int16
        Per link, an index into ``countries`` (-1: unknown).
    two_way : ndarray of bool
        Per link, whether it may be used from ``dst`` to ``src`` too.
    countries : tuple of str
        The ISO codes ``country`` refers to.
    source : str
        Where the layer was read from (for messages).
    parts : Parts or None
        For a simplified layer, the parent segments of each link (their geometry); ``None``:
        each link is the straight line between its nodes.
    hubs : tuple of (str, int)
        Hub ids and the node each is snapped to (see :meth:`snap_hubs`).
    """

    lon: Floats
    lat: Floats
    src: npt.NDArray[np.int32]
    dst: npt.NDArray[np.int32]
    length_km: Floats
    mode: npt.NDArray[np.int8]
    country: npt.NDArray[np.int16]
    two_way: npt.NDArray[np.bool_]
    countries: tuple[str, ...] = ()
    source: str = "base layer"
    parts: Parts | None = field(default=None, repr=False)
    hubs: tuple[tuple[str, int], ...] = ()

    # ------------------------------------------------------------------ size
    @property
    def n_nodes(self) -> int:
        return len(self.lon)

    @property
    def n_links(self) -> int:
        return len(self.src)

    @property
    def nbytes(self) -> int:
        """Bytes held by the layer's arrays (with the parent arrays a simplified layer keeps for geometry)."""
        own = (self.lon, self.lat, self.src, self.dst, self.length_km, self.mode, self.country, self.two_way)
        return sum(a.nbytes for a in own) + (self.parts.nbytes if self.parts is not None else 0)

    def __repr__(self) -> str:
        modes = ", ".join(MODE_NAMES[m] for m in np.unique(self.mode))
        return (
            f"<BaseLayer {self.n_nodes} nodes, {self.n_links} links ({modes}), "
            f"{self.nbytes / max(self.n_links, 1):.0f} bytes a link, from {self.source}>"
        )

    # ------------------------------------------------------------------ nearest nodes
    @cached_property
    def _tree(self) -> Any:
        """A k-d tree of the nodes on the unit sphere (built on first use; dropped with the layer)."""
        from scipy.spatial import cKDTree

        return cKDTree(_sphere(self.lon, self.lat))

    def nearest(self, lon: Any, lat: Any) -> tuple[Ints, Floats]:
        """The nearest node of each point and its great-circle distance in km (arrays in, arrays out)."""
        points = _sphere(np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float)))
        chord, node = self._tree.query(points)
        return np.asarray(node, dtype=np.int64), chord_to_km(np.asarray(chord, dtype=float))

    def snap_hubs(self, ids: Sequence[str], lon: Any, lat: Any, max_km: float) -> tuple[BaseLayer, list[str]]:
        """A layer with the hubs within ``max_km`` of a node snapped to it, and the ids of those too far.

        A snapped hub's node is kept by :meth:`simplified` (a chain is split there).
        """
        node, km = self.nearest(lon, lat)
        close = km <= max_km
        snapped = tuple((h, int(n)) for h, n, ok in zip(ids, node.tolist(), close.tolist(), strict=True) if ok)
        far = [h for h, ok in zip(ids, close.tolist(), strict=True) if not ok]
        return _with(self, hubs=self.hubs + snapped), far

    # ------------------------------------------------------------------ simplification
    def simplified(self, keep: npt.NDArray[np.bool_] | None = None) -> BaseLayer:
        """The layer with every chain of degree-2 nodes merged into one link.

        A node is merged away when exactly two link ends meet there, the two links have the
        same mode, country and direction (two-way, or one-way in line), and it is not kept
        (``keep``, or a snapped hub). Merged links' lengths add up; a loop that comes back to
        its start, and a ring with no kept node, are dropped (no shortest path uses them).
        Array work only: the chains are the connected components of the links joined at
        merged nodes.
        """
        n, m = self.n_nodes, self.n_links
        protect = np.zeros(n, dtype=bool) if keep is None else np.asarray(keep, dtype=bool).copy()
        for _, node in self.hubs:
            protect[node] = True
        ends = np.concatenate([self.src, self.dst]).astype(np.int64)
        links = np.concatenate([np.arange(m), np.arange(m)])
        degree = np.bincount(ends, minlength=n)
        order = np.argsort(ends, kind="stable")
        start = np.concatenate([[0], np.cumsum(degree)[:-1]])
        cand = np.flatnonzero((degree == 2) & ~protect)
        a, b = links[order[start[cand]]], links[order[start[cand] + 1]]
        same = (a != b) & (self.mode[a] == self.mode[b]) & (self.country[a] == self.country[b])
        same &= self.two_way[a] == self.two_way[b]
        in_line = ((self.dst[a] == cand) & (self.src[b] == cand)) | ((self.dst[b] == cand) & (self.src[a] == cand))
        same &= self.two_way[a] | in_line
        merged = np.zeros(n, dtype=bool)
        merged[cand[same]] = True
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        joins = coo_matrix((np.ones(int(same.sum()), dtype=np.int8), (a[same], b[same])), shape=(m, m))
        _, chain = connected_components(joins, directed=False)
        # the two kept ends of each chain (a ring of merged nodes has none): the src end first
        kept = np.flatnonzero(~merged[ends])
        kept = kept[np.lexsort((kept >= m, chain[links[kept]]))]
        first, second = kept[0::2], kept[1::2]
        c_of = chain[links[first]]
        c_src, c_dst = ends[first], ends[second]
        useful = c_src != c_dst
        c_of, c_src, c_dst = c_of[useful], c_src[useful], c_dst[useful]
        # members of each useful chain, grouped
        number = np.full(int(chain.max()) + 1 if m else 0, -1, dtype=np.int64)
        number[c_of] = np.arange(len(c_of))
        new_of_link = number[chain]
        in_chain = np.flatnonzero(new_of_link >= 0)
        grouped = in_chain[np.argsort(new_of_link[in_chain], kind="stable")]
        counts = np.bincount(new_of_link[in_chain], minlength=len(c_of))
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        length = np.bincount(new_of_link[in_chain], weights=self.length_km[in_chain], minlength=len(c_of))
        rep = grouped[offsets[:-1]] if len(c_of) else np.zeros(0, dtype=np.int64)
        # nodes still used, renumbered
        used = np.zeros(n, dtype=bool)
        used[c_src] = used[c_dst] = True
        used[protect] = True
        renumber = np.cumsum(used) - 1
        kept_nodes = np.flatnonzero(used)
        if self.parts is None:
            parts = Parts(offsets, grouped.astype(np.int32), kept_nodes.astype(np.int32), self.src, self.dst, self.lon,
                          self.lat)  # fmt: skip
        else:  # a layer simplified twice: members are the first parent's segments
            p = self.parts
            sizes = p.offsets[grouped + 1] - p.offsets[grouped]
            flat = p.members[np.repeat(p.offsets[grouped], sizes) + ramp(sizes)]
            per_link = np.bincount(np.repeat(np.arange(len(counts)), counts), weights=sizes, minlength=len(counts))
            new_offsets = np.concatenate([[0], np.cumsum(per_link)]).astype(np.int64)
            parts = Parts(new_offsets, flat, p.node[kept_nodes], p.src, p.dst, p.lon, p.lat)
        return BaseLayer(
            lon=self.lon[used],
            lat=self.lat[used],
            src=renumber[c_src].astype(np.int32),
            dst=renumber[c_dst].astype(np.int32),
            length_km=np.asarray(length, dtype=np.float64),
            mode=self.mode[rep],
            country=self.country[rep],
            two_way=self.two_way[rep],
            countries=self.countries,
            source=self.source,
            parts=parts,
            hubs=tuple((h, int(renumber[node])) for h, node in self.hubs),
        )

    # ------------------------------------------------------------------ geometry
    def link_coords(self, link: int, forward: bool = True) -> Floats:
        """The (lon, lat) vertices of one link, from ``src`` to ``dst`` (``forward=False``: the other way)."""
        return self.path_coords([link], [forward])[0]

    def path_coords(self, links: Sequence[int], forward: Sequence[bool]) -> list[Floats]:
        """The (lon, lat) vertices of each of ``links``, each the way ``forward`` says."""
        coords, counts = self.path_vertices(links, forward)
        return np.split(coords, np.cumsum(counts)[:-1])

    def path_vertices(self, links: Sequence[int], forward: Sequence[bool]) -> tuple[Floats, Ints]:
        """The (lon, lat) vertices of ``links`` one after the other (one gather), and how many each has."""
        p = self.parts
        sequences: list[list[int]] = []
        for link, ahead in zip(links, forward, strict=True):
            a, b = int(self.src[link]), int(self.dst[link])
            if p is None:
                nodes = [a, b]
            else:
                start, end = int(p.offsets[link]), int(p.offsets[link + 1])
                if end - start == 1:
                    m = int(p.members[start])
                    nodes = [int(p.src[m]), int(p.dst[m])]
                    if nodes[0] != int(p.node[a]):
                        nodes.reverse()
                else:
                    nodes = _walk(p.members[start:end].tolist(), p.src, p.dst, int(p.node[a]))
            sequences.append(nodes if ahead else nodes[::-1])
        lon, lat = (self.lon, self.lat) if p is None else (p.lon, p.lat)
        flat = np.fromiter((n for nodes in sequences for n in nodes), dtype=np.int64)
        counts = np.asarray([len(nodes) for nodes in sequences], dtype=np.int64)
        return np.column_stack([lon[flat], lat[flat]]), counts


def _walk(members: list[int], src: npt.NDArray[np.int32], dst: npt.NDArray[np.int32], start: int) -> list[int]:
    """The nodes of a chain of parent segments, in order from ``start``."""
    touching: dict[int, list[int]] = {}
    for link in members:
        touching.setdefault(int(src[link]), []).append(link)
        touching.setdefault(int(dst[link]), []).append(link)
    nodes, used, here = [start], set(), start
    for _ in members:
        step = next((k for k in touching.get(here, ()) if k not in used), None)
        if step is None:
            break
        used.add(step)
        here = int(dst[step]) if int(src[step]) == here else int(src[step])
        nodes.append(here)
    return nodes


def ramp(sizes: Ints) -> Ints:
    """``0..s-1`` for each size, concatenated."""
    total = int(sizes.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    ramp: Ints = np.arange(total) - np.repeat(starts, sizes)
    return ramp


def _with(layer: BaseLayer, **changes: Any) -> BaseLayer:
    from dataclasses import replace

    return replace(layer, **changes)


def vertex_keys(lon: Floats, lat: Floats) -> Ints:
    """One int64 per vertex; equal for vertices within :data:`KEY_SCALE` of each other."""
    x = np.round(np.asarray(lon) * KEY_SCALE).astype(np.int64) + 1_800_000_000
    y = np.round(np.asarray(lat) * KEY_SCALE).astype(np.int64) + 900_000_000
    return x * 1_800_000_001 + y


def segment_km(lon: Floats, lat: Floats, start: Ints) -> Floats:
    """Length in km along the WGS84 ellipsoid of the segments from vertex ``start`` to the next (pyproj on arrays)."""
    from .geo import wgs84

    if not len(start):
        return np.zeros(0)
    _, _, metres = wgs84().inv(lon[start], lat[start], lon[start + 1], lat[start + 1])
    return np.asarray(metres, dtype=float) / 1000.0


def layer_from_vertices(
    line: Ints,
    lon: Floats,
    lat: Floats,
    *,
    mode: npt.NDArray[np.int8],
    country: npt.NDArray[np.int16] | None = None,
    two_way: npt.NDArray[np.bool_] | None = None,
    length_km: Floats | None = None,
    group: Ints | None = None,
    countries: Sequence[str] = (),
    key: Ints | None = None,
    source: str = "base layer",
) -> BaseLayer:
    """A layer whose nodes are the distinct vertices and whose links are the segments of lines.

    Parameters
    ----------
    line : ndarray of int
        Per vertex, the line it belongs to (0..k-1, non-decreasing: a line's vertices together, in order).
    lon, lat : ndarray of float
        Per vertex, its coordinates (EPSG:4326; finite, checked by the reader).
    mode, country, two_way : ndarray, optional
        Per line: the mode index (:data:`MODE_NAMES`), the country index (-1: unknown; default),
        whether it is two-way (default).
    length_km : ndarray, optional
        Per line (or per record of ``group``), its length in km (default and NaN: geodesic; when
        given, its segments share it in proportion to their geodesic lengths).
    group : ndarray of int, optional
        Per line, the record whose ``length_km`` it shares (a MultiLineString's parts).
    key : ndarray of int64, optional
        Per vertex, what makes vertices one node (OSM node ids); default: coordinates to 1e-7 degree.
    """
    line = np.asarray(line, dtype=np.int64)
    lines = len(mode)
    keys = vertex_keys(lon, lat) if key is None else np.asarray(key, dtype=np.int64)
    _, first_of, node = np.unique(keys, return_index=True, return_inverse=True)
    node = node.reshape(-1)
    seg = np.flatnonzero((line[1:] == line[:-1]) & (node[1:] != node[:-1]))
    km = segment_km(lon, lat, seg)
    seg_line = line[seg]
    if length_km is not None:  # given per record (``group``; default: per line), shared by its segments
        given = np.asarray(length_km, dtype=float)
        of = seg_line if group is None else np.asarray(group, dtype=np.int64)[seg_line]
        records = len(given)
        geodesic = np.bincount(of, weights=km, minlength=records)
        pieces = np.bincount(of, minlength=records)
        scale = np.divide(given, geodesic, out=np.zeros(records), where=geodesic > 0)
        even = np.divide(given, pieces, out=np.zeros(records), where=pieces > 0)
        shared = np.where(geodesic[of] > 0, km * scale[of], even[of])
        km = np.where(np.isnan(given[of]), km, shared)  # NaN: not given, the geodesic
    country_of = np.full(lines, -1, dtype=np.int16) if country is None else np.asarray(country, dtype=np.int16)
    two = np.ones(lines, dtype=bool) if two_way is None else np.asarray(two_way, dtype=bool)
    return BaseLayer(
        lon=np.asarray(lon, dtype=float)[first_of],
        lat=np.asarray(lat, dtype=float)[first_of],
        src=node[seg].astype(np.int32),
        dst=node[seg + 1].astype(np.int32),
        length_km=km,
        mode=np.asarray(mode, dtype=np.int8)[seg_line],
        country=country_of[seg_line],
        two_way=two[seg_line],
        countries=tuple(countries),
        source=source,
    )
