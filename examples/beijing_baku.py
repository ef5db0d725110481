"""Beijing -> Baku: the cross-Caspian rail-sea-rail train against the earlier sea route.

Run with ``make demo`` (or ``python examples/beijing_baku.py``). Every figure
printed here is computed by the model from the shipped, sourced dataset.
"""

from __future__ import annotations

import corridor_planner as cp

YEAR = 2025


def show(title: str, route: cp.Route) -> None:
    stages = route.stages()
    width = max(len("from"), *(len(s[k]) for s in stages for k in ("origin_name", "destination_name"))) + 2
    print(f"\n{title}\n{'=' * len(title)}")
    print(f"{'from':<{width}}{'to':<{width}}{'mode':<6}{'km':>8}{'days':>7}{'of which stops':>16}  corridors")
    for stage in stages:
        print(
            f"{stage['origin_name']:<{width}}{stage['destination_name']:<{width}}{stage['mode']:<6}"
            f"{stage['distance_km']:>8,.0f}{stage['time_h'] / 24:>7.1f}{stage['dwell_h'] / 24:>16.1f}  "
            f"{', '.join(stage['corridors'])}"
        )
    print(
        f"{'total':<{2 * width + 6}}{route.distance_km:>8,.0f}{route.transit_days:>7.1f}"
        f"   USD {route.cost_usd:,.0f}/TEU   {route.co2_kg / 1000:,.2f} t CO2/TEU (tank-to-wheel, per-mode factors)"
    )
    print(
        f"well-to-wheel CO2e (ISO 14083 / GLEC, hubs included): {route.co2e('teu'):,.0f} kg per TEU, "
        f"{route.co2e('tonne'):,.1f} kg per tonne "
        f"(tank-to-wheel {route.ttw_kg:,.0f} + well-to-tank {route.wtt_kg:,.0f} kg per TEU)"
    )


def main() -> None:
    net = cp.load_network()
    print(net)
    # the train as booked: rail and the Caspian ferry through China, Kazakhstan and Azerbaijan;
    # the model picks the gateways, the lines and the Caspian port
    train = net.plan(
        "Beijing", "Baku", optimize="time", only_modes=["rail", "sea"], within=["CN", "KZ", "AZ"], as_of=YEAR
    )
    # the earlier sea route: by sea from Tianjin to Poti, rail at both ends, no land bridge across Asia
    sea = net.plan(
        "Beijing",
        "Baku",
        via=[("Tianjin", "sea"), ("Poti", "sea")],
        avoid_countries=["KZ", "KG", "RU", "MN", "PK"],
        as_of=YEAR,
    )
    show("Cross-Caspian rail-sea-rail train (fastest by rail and sea through CN, KZ, AZ)", train)
    show("The earlier sea route: Tianjin by sea via Suez to Poti, rail to Baku", sea)

    print("\nWhere the time goes (days)")
    parts = {"rail-sea-rail": train.breakdown()["days"], "by sea": sea.breakdown()["days"]}
    print(f"{'component':<16}{'rail-sea-rail':>14}{'by sea':>10}")
    for component in cp.COMPONENTS:
        a, b = parts["rail-sea-rail"][component], parts["by sea"][component]
        if a or b:
            print(f"{component:<16}{a:>14.1f}{b:>10.1f}")

    print("\nEmissions by leg and hub activity, rail-sea-rail (kg CO2e per TEU; factor ids and sources: data/)")
    table = train.emissions("teu")
    print(
        table[["kind", "component", "where", "ttw_kg_per_teu", "wtt_kg_per_teu", "wtw_kg_per_teu", "factor"]].to_string(
            index=False, float_format=lambda v: f"{v:,.1f}"
        )
    )

    wait = train.origin_wait_h / 24
    print(
        f"\nModel: {train.transit_days:.1f} days over {train.distance_km:,.0f} km by rail-sea-rail "
        f"({train.transit_days - wait:.1f} from the train's departure, after {wait:.1f} waiting for it) versus "
        f"{sea.transit_days:.1f} days by sea ({sea.transit_days / train.transit_days:.1f}x)."
        "\nPublished (Xinhua, 3 Jul 2025): more than 8,000 km, about 15 days, versus about 50 days before."
    )
    fastest = net.plan("Beijing", "Baku", as_of=YEAR)
    if fastest.hubs != train.hubs:
        print(
            f"\nWithout the country limit the model's fastest container route is {fastest.transit_days:.1f} days "
            f"({' -> '.join(fastest.hubs)}), by {'+'.join(fastest.modes)}."
        )


if __name__ == "__main__":
    main()
