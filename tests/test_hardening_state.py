"""Regression corpus of issue 8 (hardening), shared state: public collections cannot be changed, a Network pickles to an equal one."""

from __future__ import annotations

import pickle

import pytest

import corridor_planner as cp

# --------------------------------------------------------------------------- 7. shared mutable state, pickling


def test_public_frames_are_copies(net: cp.Network, capsys: pytest.CaptureFixture[str]) -> None:
    frame = net.hubs
    frame.loc[frame.index[0], "name"] = "CHANGED"
    frame.iloc[0, frame.columns.get_loc("aliases")].append("changed")
    links = net.links
    links["distance_km"] = 0.0
    assert "CHANGED" not in set(net.hubs["name"]) and (net.links["distance_km"] > 0).all()
    assert "changed" not in net.hubs.iloc[0]["aliases"]


def test_public_mappings_are_read_only() -> None:
    net = cp.load_network()
    for mapping in (net.modes, net.services, net.borders, net.corridors, net.countries, net.sources):
        with pytest.raises((TypeError, AttributeError)):
            mapping.clear()  # type: ignore[attr-defined]
        with pytest.raises(TypeError):
            mapping["x"] = 1  # type: ignore[index]
    assert net.apply("red_sea_closed").plan("Shanghai", "Rotterdam")


def test_a_network_pickles_to_an_equal_network(net: cp.Network) -> None:
    net.plan("Beijing", "Baku")  # fill the caches: they must not travel
    changed = net.apply("red_sea_closed")
    for n in (net, changed):
        again = pickle.loads(pickle.dumps(n))
        assert again == n and hash(again) == hash(n)
        assert again.plan("Beijing", "Baku").to_dict() == n.plan("Beijing", "Baku").to_dict()
    assert changed != net
    assert len(pickle.dumps(net)) < 3 * len(pickle.dumps(net.dataset))
