"""Maps and timelines of Beijing -> Baku, written to ``examples/output/`` for reviewers.

Run with ``make demo`` (after the headline example) or ``python examples/maps.py``;
needs the plotting extras: ``pip install "corridor_planner[plot]"``.

Writes:

- ``beijing_baku_map.png``: the rail-sea-rail train on a map (Albers
  equal-area, legs by mode, transfer points, the border crossing at its
  station, labels beside their markers, scale bar, source line);
- ``beijing_baku_timeline.png``: where its 13 days go, stop by stop;
- ``beijing_baku_compare_map.png`` and ``beijing_baku_compare_timeline.png``:
  the train against the earlier sea route via Suez (mode colours, one line
  style per route);
- ``network_map.png``: the whole network in 2025 (the CKU railway, opening
  2030, dashed);
- ``beijing_baku_map.html`` and ``network_map.html``: interactive web maps
  (not kept in git; open them in a browser).
"""

from __future__ import annotations

from pathlib import Path

import corridor_planner as cp

YEAR = 2025
OUTPUT = Path(__file__).resolve().parent / "output"
DPI = 120


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    net = cp.load_network()
    train = net.plan(
        "Beijing", "Baku", optimize="time", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=YEAR
    )
    sea = net.plan(
        "Beijing",
        "Baku",
        via=[("Tianjin", "sea"), ("Poti", "sea")],
        avoid_countries=["KZ", "KG", "RU", "MN", "PK"],
        as_of=YEAR,
    )
    labels = [
        f"rail-sea-rail train via Kazakhstan and the Caspian ({train.transit_days:.1f} days)",
        f"by sea via Suez to Poti, rail to Baku ({sea.transit_days:.1f} days)",
    ]

    pictures = {
        "beijing_baku_map.png": train.plot(figsize=(11, 7)),
        "beijing_baku_timeline.png": train.timeline(labels=[labels[0]]),
        "beijing_baku_compare_map.png": cp.plot_routes([train, sea], labels=labels, figsize=(11, 7.5)),
        "beijing_baku_compare_timeline.png": cp.timeline([train, sea], labels=labels),
        "network_map.png": net.plot(as_of=YEAR, figsize=(14, 8)),
    }
    for name, ax in pictures.items():
        figure = ax.get_figure(root=True)
        assert figure is not None
        figure.savefig(OUTPUT / name, dpi=DPI)
        cp.viz.close(ax)
        print(f"wrote {OUTPUT / name}")

    for name, fmap in {
        "beijing_baku_map.html": train.explore(network=net),
        "network_map.html": net.explore(as_of=YEAR),
    }.items():
        fmap.save(str(OUTPUT / name))
        print(f"wrote {OUTPUT / name}")


if __name__ == "__main__":
    main()
