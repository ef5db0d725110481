"""Write (or check) the golden file: the fastest and the cheapest route over a fixed sample of ordered hub pairs.

The golden file (``tests/golden/routes.csv``) pins what the shipped data and the
model answer, so a refactoring that should not change behaviour can prove it
(``tests/test_golden.py`` recomputes every row). When the data or the model
change on purpose, regenerate it with ``make golden`` and review the diff.

Run: ``python scripts/golden.py`` (write) or ``python scripts/golden.py --check``.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import sys
import zlib
from pathlib import Path

import corridor_planner as cp

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden" / "routes.csv"
AS_OF = 2026
"""A fixed year, so the file does not change when the calendar does."""
SAMPLE_EVERY = 4
"""One ordered pair in this many is pinned, chosen by a hash of the pair: the file stays a few MB as the network
grows, and adding a hub never changes which of the existing pairs are in it."""
OBJECTIVES = ("time", "cost")
COLUMNS = ("origin", "destination", "optimize", "result", "days", "km", "cost_usd", "co2_kg", "links")


def _figure(value: float) -> str:
    return f"{value:.6g}"


def in_sample(a: str, b: str) -> bool:
    """Whether the ordered pair (a, b) is one of the pinned pairs (a stable hash, not Python's salted one)."""
    return zlib.crc32(f"{a}|{b}".encode()) % SAMPLE_EVERY == 0


def rows(net: cp.Network | None = None) -> list[dict[str, str]]:
    """One row per (origin, destination, objective): the route's totals and links, or why there is none."""
    net = net or cp.load_network()
    hubs = [h for h in net.hub_ids if net.hub(h).kind != "waypoint"]
    out = []
    pairs = [(a, b) for a, b in itertools.permutations(hubs, 2) if in_sample(a, b)]
    for (a, b), optimize in itertools.product(pairs, OBJECTIVES):
        row = {"origin": a, "destination": b, "optimize": optimize}
        try:
            route = net.plan(a, b, optimize=optimize, as_of=AS_OF)
        except cp.NoRouteError:
            row.update(result="no route", days="", km="", cost_usd="", co2_kg="", links="")
        else:
            row.update(
                result="route",
                days=_figure(route.transit_days),
                km=_figure(route.distance_km),
                cost_usd=_figure(route.cost_usd),
                co2_kg=_figure(route.co2_kg),
                links=" ".join(route.link_ids),
            )
        out.append(row)
    return out


def render(table: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = parser.parse_args(argv)
    text = render(rows())
    if args.check:
        if GOLDEN.read_text(encoding="utf-8") != text:
            print(f"{GOLDEN} differs from what the model computes; run `make golden` and review the diff")
            return 1
        print(f"{GOLDEN}: unchanged")
        return 0
    GOLDEN.write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
