"""The golden file: the fastest and cheapest route of a fixed sample of hub pairs (scripts/golden.py), as committed.

A refactoring must leave every row as it is. When data or model change on
purpose, ``make golden`` regenerates the file and the diff shows in review.
"""

from __future__ import annotations

from pathlib import Path

from loadfile import load_module

import corridor_planner as cp

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "golden.py"


def _golden_module():  # type: ignore[no-untyped-def]
    return load_module(SCRIPT, "golden_script")


def test_every_route_matches_the_golden_file(net: cp.Network) -> None:
    golden = _golden_module()
    expected = golden.GOLDEN.read_text(encoding="utf-8").splitlines()
    computed = golden.render(golden.rows(net)).splitlines()
    assert len(computed) == len(expected)
    changed = [(old, new) for old, new in zip(expected, computed, strict=True) if old != new]
    assert not changed, f"{len(changed)} rows differ from tests/golden/routes.csv, first: {changed[0]}"
