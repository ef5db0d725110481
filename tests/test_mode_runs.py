"""scripts/mode_runs.py counts the default routes that splice a truck between trains or truck to a train."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from loadfile import load_module
from tinynet import build, hub, link, triple

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "mode_runs.py"


def _script() -> ModuleType:
    return load_module(SCRIPT, "mode_runs_script")


def test_a_road_gap_between_two_railways_is_counted_once_per_route() -> None:
    # rail a - b, road b - c (no railway), rail c - d: every route across the gap splices a truck between trains
    hubs = [hub(h, lon=float(i)) for i, h in enumerate("abcd")]
    links = [link("ab", "a", "b"), link("bc", "b", "c", mode="road"), link("cd", "c", "d")]
    transload = {"at": "*", "from_layer": "rail", "to_layer": "road", "two_way": "true", "cost_usd": 50, **triple(2)}
    total, spliced, trucked = _script().count(build(hubs, links, transfers=[transload]))
    assert total == 12  # every ordered pair of the four hubs has a route
    assert spliced == {("b", "c"): 1, ("c", "b"): 1}  # a -> d and d -> a
    # b -> d, c -> a: a truck to the next hub's train (b -> c -> d starts by road)
    assert trucked[("b", "c", 100)] == 1 and trucked[("c", "b", 100)] == 1
    assert sum(trucked.values()) == 2


def test_the_script_prints_the_counts(capsys) -> None:  # type: ignore[no-untyped-def]
    _script().main(["--top", "2"])
    out = capsys.readouterr().out
    assert "default routes (fastest, as of 2025):" in out and "a truck between two trains:" in out
    assert "kashgar -> islamabad" in out  # the Karakoram Highway: no railway between China and Pakistan
