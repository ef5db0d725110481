"""Write ``examples/corridor_tour.ipynb``, the Jupyter tour of corridor_planner, from the cells below.

The notebook is generated so that its source can be reviewed here, as plain
Python, and so that it is stored without outputs. Regenerate it after editing
this file::

    python examples/make_tour_notebook.py

``tests/test_notebook.py`` executes the notebook top to bottom and checks that
the stored notebook is the one this script writes.

Markdown cells hold no figures: every number the tour states is printed or
rendered (``IPython.display.Markdown``) by a code cell from the computed
results, so the text cannot drift from the model.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).with_name("corridor_tour.ipynb")

# (kind, source, tags): tags name the cells tests/test_notebook.py looks at.
CELLS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "markdown",
        """\
# A tour of corridor_planner

`corridor_planner` plans freight routes over a multimodal network of the Eurasian
corridors: China, Central Asia, the Caucasus, Turkey and Europe, by rail, road, sea,
air and pipeline. For every route it computes distance, transit time (split into
moving, border, gauge change, transfer, waiting, port dwell...), cost and CO2, from
a dataset in which every figure points at a published source, a derivation or a
stated assumption.

This notebook walks through the main calls. The text states no numbers of its own:
every figure below is computed by the cells. Run it with the plotting extras
installed (`pip install "corridor_planner[plot]"`); the maps need no network access
to be drawn.""",
        (),
    ),
    (
        "code",
        """\
%matplotlib inline
import pandas as pd
from IPython.display import Markdown, display

import corridor_planner as cp

YEAR = 2025  # plan on the network as it is in this year: links that open later are not used
pd.set_option("display.max_colwidth", 80)""",
        ("setup",),
    ),
    (
        "markdown",
        """\
## The network

`cp.load_network()` reads and validates the dataset shipped with the package
(`cp.load_network(path)` reads your own folder or GeoPackage). In a notebook the
network shows itself as a table of links and kilometres per mode.""",
        (),
    ),
    (
        "code",
        """\
net = cp.load_network()
net""",
        ("network",),
    ),
    (
        "markdown",
        """\
Places are found by id, name or alias, ignoring case and accents:""",
        (),
    ),
    (
        "code",
        """\
hub = net.find("horgos")
hub.id, hub.name, hub.country, hub.kind""",
        (),
    ),
    (
        "markdown",
        """\
## The headline: Beijing to Baku

A container train now runs from Beijing to Baku across Kazakhstan, with the Caspian
Sea crossed by ship (the Trans-Caspian International Transport Route, or Middle
Corridor). Before, such a box went by sea from a Chinese port, through Suez, to
Georgia, and by rail to Baku. The model plans both:

- the train: the fastest route by rail and sea through the countries the train crosses
  (`only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"]`); without the country limit the
  fastest box goes all-rail round the north of the Caspian through Russia;
- the sea route: through Tianjin and Poti *on the sea* (`via=[("Tianjin", "sea"), ("Poti", "sea")]`),
  keeping out of Kazakhstan, Kyrgyzstan, Mongolia and Russia so that no land bridge across Asia is taken.

A `Route` shows itself as its stages: consecutive legs on one train or one ship merged.""",
        (),
    ),
    (
        "code",
        """\
train = net.plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=YEAR)
train""",
        ("train",),
    ),
    (
        "code",
        """\
sea = net.plan("Beijing", "Baku", via=[("Tianjin", "sea"), ("Poti", "sea")], avoid_countries=["KZ", "KG", "RU", "MN", "PK"], as_of=YEAR)
sea""",
        (),
    ),
    (
        "code",
        """\
display(
    Markdown(
        f"**The train takes {train.transit_days:.1f} days over {train.distance_km:,.0f} km** "
        f"({' → '.join(train.countries)}, by {'+'.join(train.modes)}), "
        f"for USD {train.cost_usd:,.0f} and {train.co2_kg / 1000:.2f} t CO2 per TEU. "
        f"The sea route takes {sea.transit_days:.1f} days over {sea.distance_km:,.0f} km "
        f"(through {', '.join(sea.chokepoints)}), for USD {sea.cost_usd:,.0f} and {sea.co2_kg / 1000:.2f} t CO2 per TEU: "
        f"**{sea.transit_days / train.transit_days:.1f} times as long**, and "
        f"{'cheaper' if sea.cost_usd < train.cost_usd else 'dearer'} per box."
    )
)""",
        ("headline",),
    ),
    (
        "markdown",
        """\
### Where the time goes

`route.breakdown()` splits the transit time into the model's components; the
`time_h_min` and `time_h_max` columns give the range of the dwells (planning uses
their typical value). Here are the days side by side, components that neither
route has left out:""",
        (),
    ),
    (
        "code",
        """\
days = pd.DataFrame({"rail-sea-rail": train.breakdown()["days"], "by sea": sea.breakdown()["days"]})
days = days[(days > 0).any(axis=1)]
days.round(1)""",
        ("breakdown",),
    ),
    (
        "code",
        """\
stops = days.drop(index="moving")
display(
    Markdown(
        f"Moving accounts for {days.loc['moving', 'rail-sea-rail'] / days['rail-sea-rail'].sum():.0%} of the train's time "
        f"and {days.loc['moving', 'by sea'] / days['by sea'].sum():.0%} of the ship's. "
        f"The train's longest stop component is *{stops['rail-sea-rail'].idxmax().replace('_', ' ')}* "
        f"({stops['rail-sea-rail'].max():.1f} days); the sea route's is "
        f"*{stops['by sea'].idxmax().replace('_', ' ')}* ({stops['by sea'].max():.1f} days)."
    )
)""",
        (),
    ),
    (
        "markdown",
        """\
The full breakdown of one route, with the ranges and the cost of each component:""",
        (),
    ),
    (
        "code",
        """\
train.breakdown().round(2)""",
        (),
    ),
    (
        "markdown",
        """\
## Alternatives: Beijing to Duisburg

`net.alternatives(...)` returns up to `k` genuinely different routes, best first:
they differ in the countries they cross, the chokepoints they pass or the modes
they use, not by one station swapped. A route's `label` names its main corridors
(those carrying at least a fifth of its distance); the countries tell routes with
similar labels apart.""",
        (),
    ),
    (
        "code",
        """\
alternatives = net.alternatives("Beijing", "Duisburg", k=5, as_of=YEAR)
pd.DataFrame(
    {
        "label": r.label,
        "days": round(r.transit_days, 1),
        "km": round(r.distance_km),
        "cost_usd": round(r.cost_usd),
        "modes": "+".join(r.modes),
        "countries": " ".join(r.countries),
    }
    for r in alternatives
)""",
        ("alternatives",),
    ),
    (
        "markdown",
        """\
## The Pareto front: time, cost and CO2

A single "best" route hides the trade-off between speed and price. `net.pareto(...)`
returns every route that no other route beats on one criterion without losing on
another (computed exactly on the network), sorted by the first criterion.""",
        (),
    ),
    (
        "code",
        """\
front = net.pareto("Beijing", "Duisburg", criteria=("time", "cost", "co2"), as_of=YEAR)
pareto = pd.DataFrame(
    {
        "label": r.label,
        "days": round(r.transit_days, 1),
        "cost_usd": round(r.cost_usd),
        "co2_t": round(r.co2_kg / 1000, 2),
        "km": round(r.distance_km),
        "modes": "+".join(r.modes),
    }
    for r in front
)
pareto""",
        ("pareto",),
    ),
    (
        "code",
        """\
fastest, cheapest = pareto.loc[pareto["days"].idxmin()], pareto.loc[pareto["cost_usd"].idxmin()]
saved = cheapest["days"] - fastest["days"]
display(
    Markdown(
        f"{len(pareto)} routes are non-dominated. The fastest takes {fastest['days']:.1f} days for USD {fastest['cost_usd']:,} "
        f"per TEU ({fastest['modes']}); the cheapest costs USD {cheapest['cost_usd']:,} and takes {cheapest['days']:.1f} days "
        f"({cheapest['modes']})"
        + (
            f": each day saved costs about USD {(fastest['cost_usd'] - cheapest['cost_usd']) / saved:,.0f} per TEU."
            if saved
            else "."
        )
    )
)""",
        (),
    ),
    (
        "markdown",
        """\
## Scenarios

A scenario is a named set of changes to the network (close a chokepoint or a
country, add dwell time, change a frequency...), stored as a TOML file;
`cp.list_scenarios()` lists the shipped ones and `net.apply(...)` returns a changed
copy of the network. These are the three compared below:""",
        (),
    ),
    (
        "code",
        """\
SCENARIOS = ["red_sea_closed", "avoid_russia", "caspian_congestion"]
pd.DataFrame(
    {"scenario": s.name, "title": s.title, "description": s.description} for s in map(cp.load_scenario, SCENARIOS)
)""",
        (),
    ),
    (
        "markdown",
        """\
`cp.compare(...)` plans every origin-destination pair on the base network and under
every scenario, and returns one tidy pandas DataFrame; the `delta_*` columns compare
each row with the base network.""",
        (),
    ),
    (
        "code",
        """\
PAIRS = [("Beijing", "Duisburg"), ("Shanghai", "Rotterdam")]
table = cp.compare(net, SCENARIOS, PAIRS, as_of=YEAR, progress=False)
table[
    [
        "scenario",
        "origin",
        "destination",
        "status",
        "days",
        "delta_days",
        "km",
        "cost_usd",
        "co2_t",
        "modes",
        "chokepoints",
    ]
].round(1)""",
        ("compare",),
    ),
    (
        "code",
        """\
changed = table.groupby("scenario", sort=False)["delta_days"].apply(lambda d: d.abs().max() > 0.05)
same = [s for s in SCENARIOS if not changed[s]]
moved = [s for s in SCENARIOS if changed[s]]
display(
    Markdown(
        f"The fastest routes go by {', '.join(sorted(set(';'.join(table['modes'][table['scenario'] == 'base']).split(';'))))}. "
        + (f"Under {', '.join(moved)} they change. " if moved else "No scenario changes them. ")
        + (f"Under {', '.join(same)} they take as long as on the base network." if same else "")
    )
)""",
        (),
    ),
    (
        "markdown",
        """\
Options of `plan` apply to every plan of a comparison. Restricted to ships
(`avoid_modes=["rail", "road"]`), Shanghai to Rotterdam does feel the closing of the
Red Sea:""",
        (),
    ),
    (
        "code",
        """\
by_ship = cp.compare(
    net, ["red_sea_closed"], [("Shanghai", "Rotterdam")], avoid_modes=["rail", "road"], as_of=YEAR, progress=False
)
by_ship[["scenario", "origin", "destination", "days", "delta_days", "km", "delta_km", "chokepoints"]].round(1)""",
        ("compare-sea",),
    ),
    (
        "markdown",
        """\
## Maps and timelines

The pictures need the plotting extras (`pip install "corridor_planner[plot]"`:
matplotlib and folium). `route.plot()` draws a static map: legs coloured by mode,
transfer points and border crossings marked, a scale bar in km.""",
        (),
    ),
    (
        "code",
        """\
ax = train.plot(figsize=(10, 6))""",
        ("route-map",),
    ),
    (
        "markdown",
        """\
`cp.plot_routes(...)` puts several routes on one map, here the train and the sea route:""",
        (),
    ),
    (
        "code",
        """\
ax = cp.plot_routes([train, sea], labels=["rail-sea-rail", "by sea"], figsize=(11, 6))""",
        ("routes-map",),
    ),
    (
        "markdown",
        """\
`cp.timeline(...)` lays the transit time out on a day axis: moving in the colour of
the mode, then every stop (border, gauge change, waiting for a sailing, port
dwell...) in the colour of its component.""",
        (),
    ),
    (
        "code",
        """\
ax = cp.timeline([train, sea], labels=["rail-sea-rail", "by sea"])""",
        ("timeline",),
    ),
    (
        "markdown",
        """\
One route alone gets the names of the hubs where it stops, with the days stopped:""",
        (),
    ),
    (
        "code",
        """\
ax = train.timeline()""",
        (),
    ),
    (
        "markdown",
        """\
`route.explore()` returns an interactive folium map: hover over a leg or a hub for
its name, click for its figures (pass `network=net` for the kinds of the hubs). The
map loads its tiles and scripts from the web when it is viewed; save it as a page with
`.save("route.html")`.""",
        (),
    ),
    (
        "code",
        """\
train.explore(network=net)""",
        ("explore",),
    ),
    (
        "markdown",
        """\
## Further

- `README.md`: how time, cost and emissions are computed, where the data come from,
  and the limits of the model.
- `data/README.md`: every field of the dataset, and how to bring your own hubs and links.
- The command line: `corridor-planner route Beijing Baku --within CN,KZ,AZ --as-of 2025`,
  `corridor-planner compare ...`, `corridor-planner map ...`.""",
        (),
    ),
]


def build() -> nbformat.NotebookNode:
    """The tour notebook, without outputs, with stable cell ids (so that regenerating it gives the same file)."""
    cells = []
    for i, (kind, source, tags) in enumerate(CELLS):
        metadata = {"tags": list(tags)} if tags else {}
        make = new_markdown_cell if kind == "markdown" else new_code_cell
        cell = make(source, metadata=metadata)  # type: ignore[no-untyped-call]  # nbformat is untyped
        cell.id = f"cell-{i:02d}" + (f"-{tags[0]}" if tags else "")
        cells.append(cell)
    nb = new_notebook(  # type: ignore[no-untyped-call]  # nbformat is untyped
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(nb)
    return nb  # type: ignore[no-any-return]  # nbformat is untyped


def render() -> str:
    """The notebook file's text, as written to :data:`NOTEBOOK`."""
    text: str = nbformat.writes(build())  # type: ignore[no-untyped-call]  # nbformat is untyped
    return text + "\n"


def main() -> None:
    text = render()
    if "--check" in sys.argv[1:]:
        if not NOTEBOOK.exists() or NOTEBOOK.read_text(encoding="utf-8") != text:
            sys.exit(f"{NOTEBOOK} is out of date: run python {Path(__file__).name}")
        return
    NOTEBOOK.write_text(text, encoding="utf-8")
    print(f"wrote {NOTEBOOK}")


if __name__ == "__main__":
    main()
