"""What-if analysis: the shipped scenarios, alternatives, a Pareto front and a break-even.

Run: ``make scenarios`` or ``python examples/scenarios.py``. Every figure is computed
by the model from the shipped data; nothing is typed in.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import corridor_planner as cp

YEAR = 2025
pd.set_option("display.width", 200)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 48)


def show(title: str, frame: pd.DataFrame) -> None:
    print(f"\n## {title}\n")
    print(frame.to_string(index=False, float_format=lambda x: f"{x:,.1f}"))


def extra_caspian_dwell(days: float) -> dict[str, Any]:
    """A scenario: ``days`` more in the yard at each Caspian port (Aktau, Kuryk, Alat)."""
    change = {"add": "dwell_time", "hours": 24.0 * days, "hubs": ["aktau", "kuryk", "alat"], "events": ["port_dwell"]}
    return {"scenario": {"name": f"+{days:g} d at each Caspian port"}, "change": [change]}


def break_even(net: cp.Network, origin: str, destination: str, lo: float = 0.0, hi: float = 60.0) -> float | None:
    """The extra Caspian dwell (days per port) above which the fastest route stops crossing the Caspian."""

    def crosses(days: float) -> bool:
        return "caspian" in net.apply(extra_caspian_dwell(days)).plan(origin, destination, as_of=YEAR).chokepoints

    if not crosses(lo) or crosses(hi):
        return None
    while hi - lo > 0.01:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if crosses(mid) else (lo, mid)
    return hi


def main() -> None:
    net = cp.load_network()
    columns = ["scenario", "origin", "destination", "status", "days", "km", "delta_days", "delta_km", "chokepoints"]

    table = cp.compare(
        net, cp.list_scenarios(), [("Kashgar", "Andijan"), ("Kashgar", "Tashkent")], avoid_modes=["road"], as_of=YEAR
    )
    show(
        "Rail from Kashgar: today vs each scenario",
        table[table["scenario"].isin(["base", "cku_railway_open"])][columns],
    )

    table = cp.compare(
        net, ["red_sea_closed"], [("Shanghai", "Rotterdam"), ("Shanghai", "Piraeus")],
        avoid_modes=["rail", "road", "air"], as_of=YEAR,
    )  # fmt: skip
    table["delta_nm"] = table["delta_km"] / 1.852
    show("By sea, Red Sea closed", table[[*columns, "delta_nm"]])

    old_sea = net.plan(
        "Beijing",
        "Baku",
        via=[("Tianjin", "sea"), ("Poti", "sea")],
        avoid_countries=["KZ", "KG", "RU", "MN", "PK"],
        as_of=YEAR,
    )
    closed = net.apply("red_sea_closed")
    old_sea_closed = closed.plan(
        "Beijing",
        "Baku",
        via=[("Tianjin", "sea"), ("Poti", "sea")],
        avoid_countries=["KZ", "KG", "RU", "MN", "PK"],
        as_of=YEAR,
    )
    train = net.plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=YEAR)
    train_closed = closed.plan("Beijing", "Baku", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=YEAR)
    print(
        f"\nBeijing -> Baku by the old sea route: {old_sea.transit_days:.1f} d, Red Sea closed {old_sea_closed.transit_days:.1f} d; "
        f"by the cross-Caspian train: {train.transit_days:.1f} d, Red Sea closed {train_closed.transit_days:.1f} d"
    )

    table = cp.compare(net, ["avoid_russia", "caspian_congestion", ["avoid_russia", "caspian_congestion"], "middle_corridor_2030"],
                       [("Beijing", "Duisburg"), ("Beijing", "Baku"), ("Xi'an", "Istanbul")], as_of=YEAR)  # fmt: skip
    show("Fastest China -> Europe routes under the corridor scenarios", table[columns])

    closed = net.apply("avoid_russia")
    base = net.plan("Beijing", "Duisburg", as_of=YEAR)
    fastest = closed.plan("Beijing", "Duisburg", as_of=YEAR)
    middle = closed.plan("Beijing", "Duisburg", require_chokepoints="caspian", as_of=YEAR)
    where = "across the Caspian" if "caspian" in fastest.chokepoints else "round the south of the Caspian"
    even = break_even(closed, "Beijing", "Duisburg")
    print(
        f"\nBeijing -> Duisburg: with Russia open the fastest is {base.label} ({base.transit_days:.1f} d); with Russia "
        f"closed, {fastest.label} {where} ({fastest.transit_days:.1f} d), the Middle Corridor across the Caspian "
        f"{middle.transit_days:.1f} d"
        + (
            f"; Caspian congestion above {even:.1f} extra days at each port ({2 * even:.1f} days added to the "
            "crossing) sends it another way."
            if even is not None
            else "."
        )
    )
    sweep = cp.sweep(
        net.apply("avoid_russia"), extra_caspian_dwell, [0, 2, 4, 6, 8, 10, 12], [("Beijing", "Duisburg")], as_of=YEAR
    )
    show("Sweep: extra days at each Caspian port, Russia closed", sweep[["value", "days", "delta_days", "chokepoints"]])

    rows = [
        {
            "rank": i,
            "label": r.label,
            "days": r.transit_days,
            "km": r.distance_km,
            "usd": r.cost_usd,
            "t_co2": r.co2_kg / 1000,
        }
        for i, r in enumerate(net.alternatives("Beijing", "Duisburg", k=5, as_of=YEAR), start=1)
    ]
    show("Alternatives Beijing -> Duisburg", pd.DataFrame(rows))
    rows = [
        {"label": r.label, "days": r.transit_days, "usd": r.cost_usd, "t_co2": r.co2_kg / 1000}
        for r in net.pareto("Beijing", "Duisburg", criteria=("time", "cost", "co2"), as_of=YEAR)
    ]
    show("Pareto front Beijing -> Duisburg (time, cost, CO2)", pd.DataFrame(rows))
    for value in (0, 50, 150, 400):
        r = net.plan("Beijing", "Duisburg", optimize="cost", value_of_time=value, as_of=YEAR)
        print(f"value of time USD {value:>3}/TEU-day: {r.label}, {r.transit_days:.1f} d, USD {r.cost_usd:,.0f}")
    inside = net.plan("Beijing", "Minsk", within=cp.SCO_MEMBERS, as_of=YEAR)
    print(f"\nBeijing -> Minsk inside SCO member states: {inside.summary()} through {', '.join(inside.countries)}")


if __name__ == "__main__":
    main()
