"""How the default routes change mode: a check of route shape, not of speed.

Plans the fastest route (as of 2025) between every pair of hubs with ``net.matrix(routes=True)``
and counts the routes that put a truck between two trains (a road run between two rail runs) and
the routes that start with a truck and then board a train at another hub, with the most common
cases of each. A truck between two trains is what a shipper books only where no railway joins
them (the Karakoram Highway, Rasht - Astara); a truck to another city's train, where the origin's
own trains run much less often. Run it before and after a change to the data or the waits:

    python scripts/mode_runs.py [DATA_FOLDER] [--top N]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

import corridor_planner as cp
from corridor_planner.analysis.validate import mode_runs


def count(net: cp.Network, as_of: int = 2025) -> tuple[int, Counter[tuple[str, str]], Counter[tuple[str, str, int]]]:
    """The default routes, those with a truck between two trains (by the road run's ends), and those that truck
    to another hub's train (by origin, boarding hub and road km)."""
    table = net.matrix(routes=True, as_of=as_of)
    spliced: Counter[tuple[str, str]] = Counter()
    trucked: Counter[tuple[str, str, int]] = Counter()
    total = 0
    for route in table["route"]:
        if not isinstance(route, cp.Route) or not route.legs:
            continue
        total += 1
        shape = mode_runs(route)
        modes = [r[0] for r in shape]
        for i in range(1, len(shape) - 1):
            if modes[i - 1 : i + 2] == ["rail", "road", "rail"]:
                spliced[(shape[i][1], shape[i][2])] += 1
                break
        if modes[:2] == ["road", "rail"]:
            trucked[(shape[0][1], shape[0][2], round(shape[0][3]))] += 1
    return total, spliced, trucked


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("data", nargs="?", default=None, help="a dataset folder (default: the shipped data)")
    parser.add_argument("--top", type=int, default=10, help="how many of the most common cases to list")
    args = parser.parse_args(argv)
    total, spliced, trucked = count(cp.load_network(args.data))
    print(f"default routes (fastest, as of 2025): {total:,}")
    print(f"a truck between two trains: {sum(spliced.values()):,}")
    for (a, b), n in spliced.most_common(args.top):
        print(f"  {a} -> {b}: {n}")
    print(f"a truck, then a train at another hub: {sum(trucked.values()):,}")
    for (a, b, km), n in trucked.most_common(args.top):
        print(f"  {a} -> {b} ({km:,} km by road): {n}")


if __name__ == "__main__":
    main()
