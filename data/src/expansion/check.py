#!/usr/bin/env python3
"""Consistency check of the SCO expansion rows (data/src/expansion) against the shipped data.

Run from the repository root:  .venv/bin/python data/src/expansion/check.py

It does not change any shipped file.  It merges the expansion into a temporary copy of
``data/`` and runs ``scripts/build_dataset.py``'s own parsing and land-geometry code, so
the rows are checked with the same rules the wiring step will face (ids, hub ends, via
names, gauges, statuses, official distances within 10 %), plus:

* every source id referenced anywhere resolves in data/sources.csv or expansion/sources.csv,
  and no expansion source id clashes with a shipped one;
* every border row's hubs exist, and every land link whose end hubs lie in different
  countries names an existing border crossing (shipped or expansion);
* services, corridors, transfer layers and countries referenced exist;
* hub and waypoint coordinates lie inside a (generous) bounding box of their country
  and inside the Natural Earth outline of that country within about 60 km;
* opens_existing.csv / status_existing.csv name existing shipped link ids;
* links_rail_pending_gauge.csv is reported, not built (gauges outside the schema).
Sea links are checked for hubs, service and sources; their lanes are built only when
``searoute`` is installed (pip install -e '.[data]').
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))
import build_dataset as bd  # noqa: E402

DATA = ROOT / "data"
EXP = DATA / "src" / "expansion"
errors: list[str] = []


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def err(msg: str) -> None:
    errors.append(msg)


# country bounding boxes (lon0, lat0, lon1, lat1), generous
BBOX = {
    "CN": (73, 18, 135, 54),
    "RU": (19, 41, 180, 82),
    "KZ": (46, 40, 88, 56),
    "KG": (69, 39, 81, 44),
    "TJ": (67, 36, 76, 41.1),
    "UZ": (55.9, 37, 73.2, 45.6),
    "TM": (52.4, 35.1, 66.7, 42.8),
    "IR": (44, 25, 63.4, 39.8),
    "AF": (60.5, 29.3, 75, 38.5),
    "PK": (60.8, 23.6, 77.9, 37.1),
    "IN": (68, 6, 97.5, 35.7),
    "MN": (87.7, 41.5, 120, 52.2),
    "AZ": (44.7, 38.3, 50.5, 41.95),
    "BY": (23.1, 51.2, 32.8, 56.2),
    "PL": (14.1, 49, 24.2, 54.9),
    "AT": (9.5, 46.4, 17.2, 49.1),
    "RS": (18.8, 42.2, 23.1, 46.2),
    "IT": (6.6, 36.6, 18.6, 47.1),
    "TR": (26, 35.8, 45, 42.2),
    "ES": (-9.4, 36, 3.4, 43.8),
    "FR": (-5, 42.3, 8.3, 51.1),
    "HU": (16.1, 45.7, 22.9, 48.6),
    "DE": (5.9, 47.3, 15.1, 55.1),
}


def main() -> int:
    main_sources = {r["id"] for r in rows(DATA / "sources.csv")}
    exp_sources = rows(EXP / "sources.csv")
    exp_ids = [r["id"] for r in exp_sources]
    for sid in exp_ids:
        if sid in main_sources:
            err(f"sources.csv: {sid} clashes with data/sources.csv")
    if len(set(exp_ids)) != len(exp_ids):
        err("sources.csv: duplicate ids")
    for r in exp_sources:
        if r["kind"] not in ("published", "derived", "assumption"):
            err(f"sources.csv: {r['id']} bad kind {r['kind']!r}")
        if r["kind"] == "published" and not (r["address"] and r["quote"]):
            err(f"sources.csv: {r['id']} published without address or quote")
        if r["kind"] != "published" and not r["quote"]:
            err(f"sources.csv: {r['id']} needs its reasoning / computation in quote")
    all_sources = main_sources | set(exp_ids)
    used: set[str] = set()

    def src(file: str, rid: str, value: str, required: bool = True) -> None:
        ids = [s.strip() for s in value.split(";") if s.strip()]
        if required and not ids:
            err(f"{file}: {rid}: no source")
        for s in ids:
            used.add(s)
            if s not in all_sources:
                err(f"{file}: {rid}: unknown source id {s}")

    main_hubs = {r["id"]: r for r in rows(DATA / "src" / "hubs.csv")}
    exp_hubs = {r["id"]: r for r in rows(EXP / "hubs.csv")}
    hubs = {**main_hubs, **exp_hubs}
    for hid in exp_hubs:
        if hid in main_hubs:
            err(f"hubs.csv: {hid} duplicates a shipped hub id")
    countries = {r["iso2"] for r in rows(DATA / "countries.csv")}
    main_wp = {r["name"] for r in rows(DATA / "src" / "waypoints.csv")}
    exp_wp = rows(EXP / "waypoints.csv")
    for r in exp_wp:
        if r["name"] in main_wp:
            err(f"waypoints.csv: {r['name']} duplicates a shipped waypoint")
        if r["name"] in hubs:
            err(f"waypoints.csv: {r['name']} equals a hub id")
    # coordinates
    try:
        from shapely.geometry import Point, shape  # type: ignore

        ne = json.loads((DATA / "naturalearth" / "countries_110m.geojson").read_text(encoding="utf-8"))
        shapes = {}
        for f in ne["features"]:
            iso = f["properties"].get("ISO_A2") or f["properties"].get("iso_a2")
            if iso:
                shapes.setdefault(iso, []).append(shape(f["geometry"]))
    except Exception:
        shapes = None
    for name, r, kind in [(h["id"], h, "hubs.csv") for h in exp_hubs.values()] + [
        (w["name"], w, "waypoints.csv") for w in exp_wp
    ]:
        c = r["country"]
        if c not in countries:
            err(f"{kind}: {name}: country {c} not in data/countries.csv")
        lon, lat = float(r["lon"]), float(r["lat"])
        box = BBOX.get(c)
        if box is None:
            err(f"{kind}: {name}: no bounding box for {c}")
        elif not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
            err(f"{kind}: {name}: ({lon}, {lat}) outside {c}")
        if shapes and c in shapes:
            p = Point(lon, lat)
            if min(s.distance(p) for s in shapes[c]) > 0.6:  # degrees, ~60 km; 1:110m outlines are coarse
                err(f"{kind}: {name}: ({lon}, {lat}) more than ~60 km outside the {c} outline")
    for h in exp_hubs.values():
        src("hubs.csv", h["id"], h["source"])

    # tables
    main_borders = {r["id"] for r in rows(DATA / "borders.csv")}
    borders = {r["id"]: r for r in rows(EXP / "borders.csv")}
    for bid, b in borders.items():
        if bid in main_borders:
            err(f"borders.csv: {bid} clashes with a shipped border")
        if not bd.ID_RE.match(bid):
            err(f"borders.csv: {bid}: id not lower snake_case")
        a, _, z = b["hubs"].partition("|")
        for h in (a, z):
            if h not in hubs:
                err(f"borders.csv: {bid}: unknown hub {h}")
        if hubs.get(a, {}).get("country") == hubs.get(z, {}).get("country"):
            err(f"borders.csv: {bid}: both hubs in the same country")
        t = [float(b[k]) for k in ("time_h_min", "time_h_typ", "time_h_max")]
        if not t[0] <= t[1] <= t[2]:
            err(f"borders.csv: {bid}: min <= typ <= max violated {t}")
        src("borders.csv", bid, b["source"])
    layers = {"rail1435", "rail1520", "rail", "road", "sea", "air", "pipeline"}
    for t in rows(EXP / "transfers.csv"):
        if t["at"] not in hubs and not t["at"].startswith("kind:") and t["at"] != "*":
            err(f"transfers.csv: unknown hub {t['at']}")
        if t["from_layer"] not in layers or t["to_layer"] not in layers:
            err(f"transfers.csv: {t['at']}: bad layer")
        src("transfers.csv", t["at"], t["source"])
    main_services = {r["id"] for r in rows(DATA / "services.csv")}
    services = {r["id"]: r for r in rows(EXP / "services.csv")}
    for sid, s in services.items():
        if sid in main_services:
            err(f"services.csv: {sid} clashes")
        src("services.csv", sid, s["source"])
    main_corr = {r["id"] for r in rows(DATA / "corridors.csv")}
    corr = {r["id"]: r for r in rows(EXP / "corridors.csv")}
    for cid, c in corr.items():
        if cid in main_corr:
            err(f"corridors.csv: {cid} clashes")
        src("corridors.csv", cid, c["source"])
    all_corr = main_corr | set(corr)
    all_services = main_services | set(services)
    all_borders = main_borders | set(borders)

    # links: semantic checks
    main_links = set()
    for f in (DATA / "src").glob("links_*.csv"):
        main_links |= {r["id"] for r in rows(f)}
    link_files = ["links_rail.csv", "links_road.csv", "links_sea.csv"]
    exp_links = []
    for name in [*link_files, "links_rail_pending_gauge.csv"]:
        for r in rows(EXP / name):
            exp_links.append((name, r))
    seen = set()
    for name, r in exp_links:
        lid = r["id"]
        if lid in main_links or lid in seen:
            err(f"{name}: {lid}: duplicate link id")
        seen.add(lid)
        for c in filter(None, r["corridors"].split(";")):
            if c not in all_corr:
                err(f"{name}: {lid}: unknown corridor {c}")
        if r["service"] and r["service"] not in all_services:
            err(f"{name}: {lid}: unknown service {r['service']}")
        if r["mode"] == "sea" and not r["service"]:
            err(f"{name}: {lid}: sea link without service")
        if r["border_crossing"] and r["border_crossing"] not in all_borders:
            err(f"{name}: {lid}: unknown border {r['border_crossing']}")
        a, z = hubs.get(r["from"]), hubs.get(r["to"])
        if a and z and r["mode"] in ("rail", "road") and a["country"] != z["country"] and not r["border_crossing"]:
            err(f"{name}: {lid}: crosses {a['country']}->{z['country']} without border_crossing")
        if r["border_crossing"] in borders:
            bh = set(borders[r["border_crossing"]]["hubs"].split("|"))
            if bh != {r["from"], r["to"]}:
                err(f"{name}: {lid}: border {r['border_crossing']} hubs {bh} differ from the link ends")
        for c in filter(None, r["countries"].split(";")):
            if c not in countries:
                err(f"{name}: {lid}: country {c} not in data/countries.csv")
        for col in ("source", "speed_source", "distance_source"):
            src(name, lid, r[col], required=(col == "source"))

    exp_link_ids = {r["id"] for _, r in exp_links}
    for r in rows(EXP / "published_lengths.csv"):
        if r["link_id"] not in exp_link_ids:
            err(f"published_lengths.csv: unknown expansion link {r['link_id']}")
        src("published_lengths.csv", r["link_id"], r["source"])
    for name in ("opens_existing.csv", "status_existing.csv"):
        for r in rows(EXP / name):
            if r["link_id"] not in main_links:
                err(f"{name}: unknown shipped link {r['link_id']}")
            src(name, r["link_id"], r["source"])

    # build the land geometry with the shipped builder on a merged copy
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp) / "data"
        shutil.copytree(DATA / "src", t / "src", ignore=shutil.ignore_patterns("expansion"))
        for base in ("hubs.csv", "waypoints.csv"):
            with (t / "src" / base).open("a", encoding="utf-8") as out:
                out.writelines((EXP / base).read_text(encoding="utf-8").splitlines(keepends=True)[1:])
        try:
            import searoute  # noqa: F401

            build_sea = True
        except ImportError:
            build_sea = False
        for name in link_files:
            if name == "links_sea.csv" and not build_sea:
                continue
            shutil.copy(EXP / name, t / "src" / f"links_x{name[6:]}")
        if not build_sea:  # the shipped sea file needs searoute too
            (t / "src" / "links_sea.csv").unlink()
        try:
            _, links = bd.build_dataset(t)
        except bd.DataError as exc:
            for m in exc.messages:
                err(f"build_dataset: {m}")
            links = {"features": []}
    lengths = {f["properties"]["id"]: f["properties"]["distance_km"] for f in links["features"]}
    exp_len = {lid: lengths[lid] for _, r in exp_links if (lid := r["id"]) in lengths}

    n_pending = len(rows(EXP / "links_rail_pending_gauge.csv"))
    print(
        f"expansion: {len(exp_hubs)} hubs (total {len(hubs)}), {len(exp_wp)} waypoints, "
        f"{sum(1 for n, _ in exp_links if n != 'links_rail_pending_gauge.csv')} links (+{n_pending} pending gauge), "
        f"{len(borders)} borders, {len(services)} services, {len(corr)} corridors, {len(exp_sources)} sources"
    )
    print(
        f"built {len(exp_len)} expansion links, {sum(exp_len.values()):.0f} km of geometry; sea lanes built: {build_sea}"
    )
    print("published length / geometry (circuity for the wiring step):")
    for r in rows(EXP / "published_lengths.csv"):
        g = exp_len.get(r["link_id"])
        if g:
            print(
                f"  {r['link_id']:32s} {float(r['published_km']):7.1f} / {g:7.1f} = {float(r['published_km']) / g:.2f}"
            )
    print(
        "sea lanes (km):",
        ", ".join(f"{r['id']} {exp_len.get(r['id'], 0):.0f}" for n, r in exp_links if n == "links_sea.csv"),
    )
    print("outline check:", "on" if shapes else "off (shapely not installed)")
    unused = sorted(set(exp_ids) - used)
    if unused:
        print("expansion sources not referenced by any row (README / tests only):", ", ".join(unused))
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
