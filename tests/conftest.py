"""Shared fixtures."""

from __future__ import annotations

import pytest

import corridor_planner as cp


@pytest.fixture(scope="session")
def net() -> cp.Network:
    """The shipped network, loaded once."""
    return cp.load_network()
