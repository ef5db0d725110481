"""The router's resumable searches (ShortestPathTree, OnceTree) give the paths of the reference state search."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import ATTR, common, make, networks

import corridor_planner as cp
from corridor_planner.routing.search import _search, _state_search, repeated_hubs

OPTIONS: list[dict[str, Any]] = [
    {"as_of": 2025},
    {"as_of": 2025, "optimize": "cost"},
    {"optimize": "distance", "crew": 2, "avoid_countries": ["RU"]},
    {"optimize": {"cost": 1, "time": 150}, "only_modes": ["rail", "sea"], "cargo": "general"},
]


def ends(net: cp.Network, step: int) -> list[str]:
    return [h for h in net.hub_ids if net.hub(h).kind != "waypoint"][::step]


@pytest.mark.parametrize("options", OPTIONS)
def test_plain_trees_give_the_state_search_paths(net: cp.Network, options: dict[str, Any]) -> None:
    hubs = ends(net, 3)
    q0 = net.query(hubs[0], hubs[1], **options)
    router = cp.load_network().router  # a fresh router: its trees are grown by the questions below
    compared = 0
    for a in hubs:
        for b in reversed(hubs):  # destinations in another order than the trees settle them
            if a == b:
                continue
            q = replace(q0, origin=a, destination=b)
            assert _search(router, q, ()) == _state_search(router, q, ()), (a, b)
            compared += 1
    assert compared > 2000


def test_once_trees_give_the_state_search_paths(net: cp.Network) -> None:
    """Hubs marked *once*: the repeated hubs of the first path of every pair that has some, and two more sets."""
    router = cp.load_network().router
    hubs = ends(net, 2)
    q0 = net.query(hubs[0], hubs[1], as_of=2025)
    marked = 0
    for a in hubs:
        for b in hubs:
            if a == b:
                continue
            q = replace(q0, origin=a, destination=b)
            path = _state_search(router, q, ())
            if path is None:
                continue
            once = tuple(repeated_hubs(router, a, path))
            if not once:
                continue
            marked += 1
            for marks in (once, (*once, "tashkent", "aktau"), ("baku", *once)):
                assert _search(router, q, marks) == _state_search(router, q, marks), (a, b, marks)
    assert marked > 10


def test_trees_answer_in_any_order_and_unreached_ends(net: cp.Network) -> None:
    """A tree asked for a node it has settled, then for a farther one, then for one it cannot reach."""
    router = cp.load_network().router
    q = net.query("Beijing", "Duisburg", as_of=2025, avoid_modes=["sea", "air"])
    for b in ("duisburg", "almaty", "tashkent", "duisburg", "busan"):
        near = replace(q, destination=b)
        assert _search(router, near, ()) == _state_search(router, near, ()), b
    assert _search(router, replace(q, destination="busan"), ()) is None


@common
@given(
    spec=networks(),
    optimize=st.sampled_from(sorted(ATTR)),
    options=st.sampled_from([{}, {"avoid_modes": ["sea"]}, {"crew": 2}]),
    ends=st.tuples(st.integers(0, 4), st.integers(0, 4)),
    marks=st.lists(st.integers(0, 4), max_size=3, unique=True),
)
def test_trees_give_the_state_search_paths_on_random_networks(
    spec: dict[str, Any], optimize: str, options: dict[str, Any], ends: tuple[int, int], marks: list[int]
) -> None:
    net = make(spec)
    ids = [h["id"] for h in spec["hubs"]]
    a, b = (ids[i % len(ids)] for i in ends)
    if a == b:
        return
    q = net.query(a, b, optimize=optimize, as_of=2040, **options)
    router = net.router
    assert _search(router, q, ()) == _state_search(router, q, ())
    once = tuple(ids[i % len(ids)] for i in dict.fromkeys(marks))
    assert _search(router, q, once) == _state_search(router, q, once)


def test_query_changed_equals_dataclasses_replace(net: cp.Network) -> None:
    q = net.query("Beijing", "Duisburg", avoid_countries=["RU"], as_of=2025)
    q.constraints  # noqa: B018 - made and kept on q
    for changes in (
        {"origin": "almaty", "destination": "baku"},
        {"as_of": 2040},
        {"avoid_countries": frozenset(), "cargo": ""},
        {"optimize": "cost", "via": (("aktau", None),)},
    ):
        new = q.changed(**changes)  # type: ignore[arg-type]
        assert new == replace(q, **changes)  # type: ignore[arg-type]
        assert hash(new) == hash(replace(q, **changes))  # type: ignore[arg-type]
        assert new.constraints == replace(q, **changes).constraints  # type: ignore[arg-type]
    assert q == net.query("Beijing", "Duisburg", avoid_countries=["RU"], as_of=2025)  # q itself unchanged
    with pytest.raises(TypeError):
        q.changed(colour="red")  # type: ignore[arg-type]
