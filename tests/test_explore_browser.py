"""Web maps in a real browser: names from a user's dataset are shown as text, never run as code.

Needs headless Chromium and chromedriver (Debian: ``apt-get install chromium
chromium-driver``) and selenium. Without them the tests skip, unless
``CORRIDOR_PLANNER_REQUIRE_BROWSER=1`` is set (as ``.ci/run`` does): then they
fail, so CI cannot skip them silently.

folium loads Leaflet and jQuery from CDNs. The browser is kept off the network
(every http(s) request is blocked), and small stand-ins for ``L`` and ``$``
are installed before the page runs: ``$(html)`` parses HTML into live elements
as jQuery does, and every popup or tooltip content is put into the page. So the
page's own inline scripts run as they would with Leaflet, every popup and
tooltip ends up in the DOM, and an injected ``<img onerror>`` or ``<script>``
would run. A control test checks that this harness does catch an unescaped
name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import corridor_planner as cp

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REQUIRED = os.environ.get("CORRIDOR_PLANNER_REQUIRE_BROWSER") == "1"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(2)> `${alert(3)}`"

STUBS = r"""
(() => {
  const sink = () => {
    let d = document.getElementById("cp-test-sink");
    if (!d) {
      d = document.createElement("div");
      d.id = "cp-test-sink";
      (document.body || document.documentElement).appendChild(d);
    }
    return d;
  };
  const show = (content) => {
    if (content instanceof Node) {
      sink().appendChild(content);
    } else if (typeof content === "string") {
      const div = document.createElement("div");
      div.innerHTML = content;
      sink().appendChild(div);
    }
  };
  let stub;
  const handler = {
    get(target, prop) {
      if (prop === Symbol.toPrimitive) return () => "";
      if (prop === "setContent" || prop === "bindTooltip" || prop === "bindPopup") {
        return (content) => { window.__cpShown = (window.__cpShown || 0) + 1; show(content); return stub; };
      }
      return stub;
    },
    apply() { return stub; },
    construct() { return stub; },
  };
  stub = new Proxy(function () {}, handler);
  window.L = stub;
  window.$ = window.jQuery = (html) => {
    const div = document.createElement("div");
    div.innerHTML = html;
    return [div.firstElementChild || div];
  };
})();
"""


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason}, and CORRIDOR_PLANNER_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            _unavailable(f"{path} is missing (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install selenium)")
    try:
        import folium  # noqa: F401
    except ImportError:
        _unavailable('folium is not installed (pip install "corridor_planner[plot]")')
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,900",
    ):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("unhandledPromptBehavior", "ignore")  # leave an alert open, for the test to see
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        browser.set_page_load_timeout(20)
        browser.set_script_timeout(10)
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": STUBS})
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, page: Path) -> None:
    from selenium.common.exceptions import TimeoutException, UnexpectedAlertPresentException

    with contextlib.suppress(TimeoutException):  # a slow resource: the inline scripts still run; wait below
        driver.get(page.as_uri())
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if driver.execute_script("return document.readyState") == "complete":
                break
        except UnexpectedAlertPresentException:
            return  # an alert is open: the caller sees it
        time.sleep(0.1)
    time.sleep(0.5)  # let image errors and other async handlers fire


def _alert_text(driver: Any) -> str | None:
    """The text of an open alert (accepting it), or None when no alert is open."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return None
    text: str = alert.text
    alert.accept()
    return text


def _hostile_network() -> cp.Network:
    hubs = [
        {"id": "a", "name": HOSTILE, "country": "KZ", "kind": "city", "lon": 70.0, "lat": 45.0},
        {"id": "b", "name": HOSTILE_IMG, "country": "KZ", "kind": "station", "lon": 71.0, "lat": 45.2},
        {"id": "c", "name": "C & D", "country": "KZ", "kind": "city", "lon": 72.0, "lat": 44.8},
    ]
    links = [
        {"id": "ab", "from": "a", "to": "b", "mode": "rail", "gauge_mm": 1520},
        {"id": "bc", "from": "b", "to": "c", "mode": "road"},
    ]
    transfer = {"at": "b", "from_layer": "rail", "to_layer": "road", "two_way": "true", "cost_usd": 100,
                "time_h_min": 2, "time_h_typ": 4, "time_h_max": 8}  # fmt: skip
    return cp.Network.from_records(hubs, links, {"transfers.csv": [transfer]})


def _check_page(driver: Any, page: Path) -> str:
    _open(driver, page)
    assert _alert_text(driver) is None, "a name from the data ran as script"
    shown = driver.execute_script("return window.__cpShown || 0")
    assert shown > 0, "the page's scripts did not run (no popup or tooltip was created)"
    text: str = driver.execute_script("return document.getElementById('cp-test-sink').textContent")
    assert HOSTILE in text  # shown as the literal text
    assert HOSTILE_IMG in text
    return text


def test_network_explore_shows_hostile_names_as_text(driver: Any, tmp_path: Path) -> None:
    page = tmp_path / "network.html"
    _hostile_network().explore().save(str(page))
    text = _check_page(driver, page)
    assert "C & D" in text
    assert (
        driver.execute_script("return document.querySelectorAll('#cp-test-sink img, #cp-test-sink script').length") == 0
    )


def test_route_explore_shows_hostile_names_as_text(driver: Any, tmp_path: Path) -> None:
    net = _hostile_network()
    route = net.plan("a", "c")
    page = tmp_path / "route.html"
    route.explore(network=net).save(str(page))
    text = _check_page(driver, page)
    assert "kind" in text and "station" in text
    assert "road" in text and "rail" in text
    assert "transfer 4.0 h" in text  # the stop at the hostile hub, in its popup


def test_the_harness_catches_an_unescaped_name(driver: Any, tmp_path: Path) -> None:
    """Control: the same page machinery with a raw (unescaped) name does raise an alert."""
    import folium

    fmap = folium.Map(location=[45, 70], zoom_start=5, tiles=None)
    folium.Marker([45, 70], popup=folium.Popup("<img src=x onerror=alert('xss')>", parse_html=False)).add_to(fmap)
    page = tmp_path / "unsafe.html"
    fmap.save(str(page))
    _open(driver, page)
    deadline = time.monotonic() + 5
    text = _alert_text(driver)
    while text is None and time.monotonic() < deadline:
        time.sleep(0.1)
        text = _alert_text(driver)
    assert text == "xss"
