"""Benchmarks of origin-destination matrices on the shipped network (issue 12); prints figures, asserts nothing.

For all hubs x all hubs (every hub a trip can start at, ``as_of=2025``, ``optimize="time"``):

- the reference: scipy ``csgraph.dijkstra`` from every origin at once over the same routing
  graph (its CSR, under the query's mask), distances only;
- ``net.matrix()``: the array search (lexicographic ties, totals, hub-repeat flags), the
  repairs of cells whose array path enters a hub twice, the no-route reasons, the table;
- the old way: a ``plan()`` loop over every pair (catching ``NoRouteError``).

Then a synthetic grid (``--grid K``: K x K hubs, rail and road links, 2K(K-1) links; default 100, 0 skips it),
100 random origins x 100 destinations for distance (a grid is full of ties): network build, routing graph
build, scipy on the same graph, ``net.matrix()``, and the ``plan()`` loop estimated from 25 pairs.

Then base layers (``--layers 10000,100000,1000000``: synthetic rail/road grids of about that many segment
links, written as GeoParquet (native GeoArrow lines) by :mod:`layers`; each size measured in a fresh process so its peak RSS is its
own): ``cp.read_layer`` (load), snapping 100 hubs + merging degree-2 chains + the CSR graph (build), the
median ``plan()`` of 20 hub pairs by time, a 100 x 100 ``matrix()``, bytes a link, peak RSS (taken before
the references run), and as the reference the same queries with scipy ``csgraph.dijkstra`` (full search
from the origin) and networkx (``bidirectional_dijkstra``) on the same graph, with the largest difference
between their costs and ``plan()``'s.

Run: ``python benchmarks/bench_scale.py [--grid K] [--layers N,N,...] [--skip-shipped]``.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import numpy as np
from common import grid_records, route_ends, summary


def best_of(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def grid(k: int, pairs: int = 100) -> None:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    import corridor_planner as cp
    from corridor_planner.routing.router import allowed_mask

    hubs, links = grid_records(k)
    t = time.perf_counter()
    net = cp.Network.from_records(hubs, links)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    graph = net.router.graph
    build_s = time.perf_counter() - t
    n = len(graph.nodes)
    print(f"\ngrid {k} x {k}: {len(hubs)} hubs, {len(links)} links; from_records {load_s:.2f} s, routing graph "
          f"{build_s:.2f} s ({n} nodes, {graph.n_edges} edges)")  # fmt: skip
    rng = random.Random(0)
    ids = [f"g{i}_{j}" for i in range(k) for j in range(k)]
    origins, destinations = rng.sample(ids, pairs), rng.sample(ids, pairs)
    q = net.query(origins[0], destinations[0], optimize="distance", as_of=2025)
    allowed = np.flatnonzero(allowed_mask(graph, q.constraints))
    matrix = csr_matrix((graph.distance_km[allowed], (graph.src[allowed], graph.dst[allowed])), shape=(n, n))
    o_nodes = [graph.node(h, "o") for h in origins]
    scipy_s = best_of(lambda: dijkstra(matrix, directed=True, indices=o_nodes), 3)
    print(f"scipy csgraph.dijkstra, {pairs} origins:            {scipy_s * 1000:9.2f} ms  (reference)")
    t = time.perf_counter()
    table = net.matrix(origins, destinations, optimize="distance", as_of=2025)
    matrix_s = time.perf_counter() - t
    print(f"net.matrix(), {pairs} x {pairs}:                       {matrix_s * 1000:9.2f} ms  ({matrix_s / scipy_s:.1f}x scipy; "
          f"{table.attrs['matrix']['repaired']} repaired)")  # fmt: skip
    t = time.perf_counter()
    sample = [(a, b) for a in origins[:5] for b in destinations[:5] if a != b]
    for a, b in sample:
        net.plan(a, b, optimize="distance", as_of=2025)
    per_pair = (time.perf_counter() - t) / len(sample)
    print(
        f"plan() loop, estimated from {len(sample)} pairs:          {per_pair * pairs * pairs * 1000:9.0f} ms  "
        f"(mean {per_pair * 1000:.1f} ms a pair; {per_pair * pairs * pairs / matrix_s:.0f}x net.matrix())"
    )


def main() -> None:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    import corridor_planner as cp
    from corridor_planner.routing.matrix import one_to_many
    from corridor_planner.routing.router import allowed_mask

    net = cp.load_network()
    hubs = route_ends(net)
    q = net.query(hubs[0], hubs[1], as_of=2025)
    graph = net.router.graph
    n = len(graph.nodes)
    print(f"shipped network: {len(hubs)} hubs a trip can start at, {len(hubs) ** 2} cells; "
          f"routing graph {n} nodes, {graph.n_edges} edges")  # fmt: skip

    allowed = np.flatnonzero(allowed_mask(graph, q.constraints))
    matrix = csr_matrix((graph.time_h[allowed], (graph.src[allowed], graph.dst[allowed])), shape=(n, n))
    o_nodes = [graph.node(h, "o") for h in hubs]

    def reference() -> None:
        dijkstra(matrix, directed=True, indices=o_nodes)

    scipy_s = best_of(reference, 20)
    print(f"scipy csgraph.dijkstra, all origins at once:      {scipy_s * 1000:9.2f} ms  (reference)")

    array_s = best_of(lambda: one_to_many(net.router, q, hubs, hubs), 5)
    print(
        f"array search (one_to_many: ties, totals, repeats): {array_s * 1000:9.2f} ms  ({array_s / scipy_s:.1f}x scipy)"
    )

    table = net.matrix(as_of=2025)
    matrix_s = best_of(lambda: net.matrix(as_of=2025), 3)
    stats = table.attrs["matrix"]
    counts = table["status"].value_counts().to_dict()
    print(
        f"net.matrix(), all hubs x all hubs:                 {matrix_s * 1000:9.2f} ms  ({matrix_s / scipy_s:.1f}x scipy)"
    )
    print(f"  cells: {stats['array']} from the arrays, {stats['repaired']} repaired by plan(), "
          f"{counts.get('no_route', 0)} without a route (reason by diagnose), {counts.get('same', 0)} same hub")  # fmt: skip

    def loop() -> list[float]:
        times = []
        for a in hubs:
            for b in hubs:
                if a == b:
                    continue
                t = time.perf_counter()
                with contextlib.suppress(cp.NoRouteError):
                    net.plan(a, b, as_of=2025)
                times.append(time.perf_counter() - t)
        return times

    t = time.perf_counter()
    times = loop()
    loop_s = time.perf_counter() - t
    print(f"plan() loop over every pair:                       {loop_s * 1000:9.2f} ms  ({loop_s / scipy_s:.0f}x scipy; "
          f"median plan {statistics.median(times) * 1000:.3f} ms)")  # fmt: skip
    print(f"net.matrix() is {loop_s / matrix_s:.1f}x faster than the plan() loop")


def peak_rss_gib() -> float:
    """The peak resident set size of this process so far, in GiB (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def layer_one(links: int, path: str) -> None:
    """Measure one base layer (run in its own process: ``--layer-one N PATH``)."""
    import networkx as nx
    from layers import grid_hubs, side_for
    from scipy.sparse.csgraph import dijkstra

    import corridor_planner as cp
    from corridor_planner.routing.baselayer import LayerNetwork

    k = side_for(links)
    t = time.perf_counter()
    raw = cp.read_layer(path)
    load_s = time.perf_counter() - t
    raw_bytes, raw_links = raw.nbytes, raw.n_links
    hubs = grid_hubs(k, 100)
    t = time.perf_counter()
    lnet = LayerNetwork(raw, hubs)
    del raw  # what a user who keeps only the layer network holds
    graph = lnet.graph("time", frozenset({0, 1}), frozenset())
    build_s = time.perf_counter() - t
    layer = lnet.layer
    print(f"\nbase layer ~{links:,} links: {raw_links:,} segment links, {layer.n_nodes:,} "
          f"nodes and {layer.n_links:,} links after merging degree-2 chains")  # fmt: skip
    print(f"  load (read_layer, GeoParquet)   {load_s:8.2f} s   ({raw_bytes / raw_links:.0f} bytes a segment link)")
    print(f"  build (snap 100 hubs, merge, CSR) {build_s:6.2f} s   load + build {load_s + build_s:.2f} s")
    rng = random.Random(0)
    ids = sorted(lnet.hub_node)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(20)]
    times, costs = [], []
    for a, b in pairs:
        t = time.perf_counter()
        route = lnet.plan(a, b)
        times.append(time.perf_counter() - t)
        costs.append(route.time_h)
    print(f"  plan() by time, 20 pairs:       {summary(times)}  ({len(route.legs)} legs in the last)")
    t = time.perf_counter()
    table = lnet.matrix(ids[:100])
    matrix_s = time.perf_counter() - t
    print(f"  matrix() 100 x 100:             {matrix_s:8.2f} s   ({(table.status == 'ok').sum()} cells ok)")
    per_link = (layer.nbytes + graph.nbytes) / layer.n_links
    print(f"  memory: layer {layer.nbytes / 2**20:.0f} MiB + time graph {graph.nbytes / 2**20:.0f} MiB = "
          f"{per_link:.0f} bytes a link; peak RSS {peak_rss_gib():.2f} GiB (before the references)")  # fmt: skip
    csr = graph.matrix()
    scipy_times, worst = [], 0.0
    for (a, b), cost in zip(pairs, costs, strict=True):
        t = time.perf_counter()
        dist = dijkstra(csr, indices=lnet.hub_node[a])
        scipy_times.append(time.perf_counter() - t)
        worst = max(worst, abs(dist[lnet.hub_node[b]] - cost) / cost)
    print(f"  reference scipy dijkstra (full): {summary(scipy_times)}  (largest relative difference {worst:.1e})")
    o_nodes = [lnet.hub_node[h] for h in ids[:100]]
    scipy_matrix_s = best_of(lambda: dijkstra(csr, indices=o_nodes), 1)
    print(f"  reference scipy 100 origins:    {scipy_matrix_s:8.2f} s")
    t = time.perf_counter()
    coo = csr.tocoo()
    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    nx_build_s = time.perf_counter() - t
    nx_times, worst = [], 0.0
    for (a, b), cost in list(zip(pairs, costs, strict=True))[: 20 if links <= 100_000 else 5]:
        t = time.perf_counter()
        length, _ = nx.bidirectional_dijkstra(g, lnet.hub_node[a], lnet.hub_node[b])
        nx_times.append(time.perf_counter() - t)
        worst = max(worst, abs(length - cost) / cost)
    print(
        f"  reference networkx: graph {nx_build_s:.2f} s, bidirectional_dijkstra {summary(nx_times)} "
        f"({len(nx_times)} pairs; largest relative difference {worst:.1e}; peak RSS now {peak_rss_gib():.2f} GiB)"
    )


def layers(sizes: list[int]) -> None:
    """Write each synthetic layer as GeoParquet, then measure it in a fresh process."""
    from layers import grid_layer_frame, side_for

    with tempfile.TemporaryDirectory() as folder:
        for links in sizes:
            path = f"{folder}/grid_{links}.parquet"
            t = time.perf_counter()
            frame = grid_layer_frame(side_for(links))
            frame.to_parquet(path, geometry_encoding="geoarrow")  # native lines: read as arrays
            print(f"\n(wrote {len(frame):,} lines to GeoParquet in {time.perf_counter() - t:.1f} s; not timed below)")
            del frame
            subprocess.run([sys.executable, __file__, "--layer-one", str(links), path], check=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=100, help="side of the synthetic grid (0: skip it)")
    parser.add_argument("--layers", default="", help="base layer sizes in links, comma-separated (e.g. 10000,100000)")
    parser.add_argument("--skip-shipped", action="store_true", help="skip the shipped network's matrices")
    parser.add_argument("--layer-one", nargs=2, metavar=("LINKS", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.layer_one:
        layer_one(int(args.layer_one[0]), args.layer_one[1])
        sys.exit()
    if not args.skip_shipped:
        main()
    if args.grid:
        grid(args.grid)
    if args.layers:
        layers([int(n) for n in args.layers.split(",")])
