#!/usr/bin/env python3
"""Draw ``docs/coverage_map.png`` (the README's coverage map) and print the hub count per country.

Usage::

    python scripts/coverage_map.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib

import corridor_planner as cp

matplotlib.use("Agg")

OUT = Path(__file__).resolve().parents[1] / "docs" / "coverage_map.png"


def main() -> None:
    net = cp.load_network()
    ax = net.plot(
        as_of=2025, figsize=(16.0, 9.0), labels=False, title=f"corridor_planner: {len(net.hubs)} hubs, as of 2025"
    )
    ax.get_figure(root=True).savefig(OUT, dpi=90, bbox_inches="tight")  # type: ignore[union-attr]
    counts = Counter(net.hubs["country"])
    print(", ".join(f"{c} {n}" for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
