"""Routing layers: the one place that knows how a layer name is spelled.

A *layer* is what a box travels on between two hubs, finer than a mode:

- ``rail1435``, ``rail1520``, ``rail1668``, ``rail1676`` (rail by track gauge, one of
  :data:`GAUGES_MM`: changing gauge is a transfer),
- ``road``, ``air``, ``pipeline``,
- ``sea:<service>`` (one layer per sea service: staying on a ship is a port call,
  changing ships is a transshipment).

Rules at hubs (``transfers.csv``) name layers more coarsely: ``rail`` (any gauge),
``rail<gauge>``, ``road``, ``sea`` (any service), ``air``, ``pipeline``.

Examples
--------
>>> layer_mode("rail1520"), layer_mode("sea:caspian_ferry"), layer_mode("road")
('rail', 'sea', 'road')
>>> rule_layer("sea:caspian_ferry"), rule_layer("rail1435")
('sea', 'rail1435')
>>> is_rule_layer("rail"), is_rule_layer("sea:x")
(True, False)
"""

from __future__ import annotations

import re

GAUGES_MM = (1435, 1520, 1668, 1676)
"""Track gauges a rail link may have, in mm: standard (1435), Russian (1520), Iberian (1668, Spain and
Portugal) and Indian broad gauge (1676, India and Pakistan). Each is its own routing layer."""

_RULE_LAYER = re.compile(r"^(rail(\d+)?|road|sea|air|pipeline)$")
RULE_LAYERS_HELP = "rail, rail<gauge>, road, sea, air, pipeline"
"""How a rule's layer may be spelled, for error messages."""


def link_layer(mode: str, gauge_mm: int | None, service: str | None, link_id: str) -> str:
    """The layer a link of ``mode`` runs on: rail by gauge, sea by service (a link without service is its own)."""
    if mode == "rail":
        return f"rail{gauge_mm}"
    if mode == "sea":
        return f"sea:{service or link_id}"
    return mode


def layer_mode(layer: str) -> str:
    """The mode of a layer (or of a rule's layer): ``rail1435`` -> ``rail``, ``sea:feeder`` -> ``sea``."""
    return layer.split(":", 1)[0].rstrip("0123456789")


def rule_layer(layer: str) -> str:
    """The name a transfer rule uses for a routing layer: every sea service is ``sea``; rail keeps its gauge."""
    return "sea" if layer.startswith("sea:") else layer


def is_rule_layer(text: str) -> bool:
    """Whether ``text`` is a layer a rule may name (:data:`RULE_LAYERS_HELP`)."""
    return bool(_RULE_LAYER.match(text))
