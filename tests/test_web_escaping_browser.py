"""Web maps in a real browser: template syntax in names (Jinja, JavaScript) is shown as text, never evaluated.

folium renders the scripts of a page as a Jinja template, and puts popup and
tooltip HTML in JavaScript template literals; a hub name such as ``{{7*7}}``
must show as ``{{7*7}}``, not ``49``. Reuses the harness of
``test_explore_browser.py`` (Chromium kept off the network, Leaflet stubbed);
skipped like it without Chromium unless ``CORRIDOR_PLANNER_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_explore_browser import _alert_text, _open, driver

import corridor_planner as cp
import corridor_planner.cli

__all__ = ["driver"]  # the fixture, imported from the harness

NAMES = [
    "{{7*191}} {{7*7}}",
    "{% raw %}x{% endraw %} {# c #}",
    "</script><script>alert(5)</script>",
    "`${alert(6)}` ${7*191}",
    "{{ cycler.__init__.__globals__.os.system('touch /tmp/cp-pwned') }}",
]


def _templated_network() -> cp.Network:
    hubs = [
        {"id": f"h{i}", "name": name, "country": "KZ", "kind": "city", "lon": 70.0 + i, "lat": 45.0, "aliases": [name]}
        for i, name in enumerate(NAMES)
    ]
    links = [
        {"id": f"l{i}", "from": f"h{i}", "to": f"h{i + 1}", "mode": "road", "note": NAMES[i]}
        for i in range(len(NAMES) - 1)
    ]
    return cp.Network.from_records(hubs, links)


def _check(driver: Any, page: Path) -> None:
    _open(driver, page)
    assert _alert_text(driver) is None, "a name from the data ran as script"
    assert driver.execute_script("return window.__cpShown || 0") > 0, "the page's scripts did not run"
    text: str = driver.execute_script("return document.getElementById('cp-test-sink').textContent")
    for name in NAMES:
        assert name in text, f"{name!r} is not shown literally"
    assert "1337" not in text  # 7*191: nothing was evaluated, neither by Jinja nor by JavaScript
    assert not Path("/tmp/cp-pwned").exists()
    assert driver.execute_script("return document.querySelectorAll('#cp-test-sink script').length") == 0


def test_network_map_shows_template_syntax_literally(driver: Any, tmp_path: Path) -> None:
    page = tmp_path / "network.html"
    _templated_network().explore().save(str(page))
    _check(driver, page)


def test_route_map_shows_template_syntax_literally(driver: Any, tmp_path: Path) -> None:
    net = _templated_network()
    page = tmp_path / "route.html"
    net.plan("h0", f"h{len(NAMES) - 1}").explore(network=net).save(str(page))
    _check(driver, page)


def test_cli_map_of_a_dataset_shows_template_syntax_literally(driver: Any, tmp_path: Path) -> None:
    folder = _templated_network().to_geojson(tmp_path / "data")
    page = tmp_path / "cli.html"
    assert cp.cli.main(["map", "h0", f"h{len(NAMES) - 1}", "--data", str(folder), "-o", str(page)]) == 0
    _check(driver, page)
