"""The package works when installed from a built wheel, shipped data included."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_loads_its_own_data(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True
    )
    wheel = next(dist.glob("corridor_planner-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    # the dependencies come from the test environment; the package itself only from the wheel
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    script = (
        "import corridor_planner as cp, corridor_planner.model as model; "
        "print(cp.__file__); print(model.default_data_dir()); "
        "r = cp.load_network().plan('Beijing', 'Baku', as_of=2025); print(round(r.transit_days, 1)); "
        "n = cp.load_network().apply(*cp.list_scenarios()); print(','.join(n.scenarios)); "
        "p = cp.load_network().plan((69.24, 41.30), 'Baku'); print(p.legs[0].approximate)"  # data/circuity.csv shipped
    )
    out = subprocess.run([str(python), "-c", script], cwd=outside, check=True, capture_output=True, text=True)
    package_file, data_dir, days, scenarios, approximate = out.stdout.split()
    assert approximate == "True"
    assert {"red_sea_closed", "cku_railway_open", "avoid_russia"} <= set(scenarios.split(","))  # data/scenarios shipped
    assert Path(package_file).is_relative_to(env_dir)
    assert Path(data_dir).is_relative_to(env_dir) and Path(data_dir).name == "_data"
    assert 10 < float(days) < 20
