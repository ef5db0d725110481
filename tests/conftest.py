"""Shared fixtures."""

from __future__ import annotations

import pytest
from hypothesis import settings

import corridor_planner as cp


@pytest.fixture(scope="session")
def net() -> cp.Network:
    """The shipped network, loaded once."""
    return cp.load_network()


# `pytest tests/test_fuzz.py --hypothesis-profile=deep`: thousands of examples per fuzz property (local runs)
settings.register_profile("deep", max_examples=3000, deadline=None)
