"""The Jupyter tour, examples/corridor_tour.ipynb, runs top to bottom and shows its tables and pictures.

The notebook is executed with nbclient in a fresh kernel, in a temporary
working directory. The kernel is the ``python3`` spec of ipykernel (installed
by the ``test`` extra), written for this interpreter into a temporary kernel
folder: nothing is installed into the environment or the user's Jupyter
folders, and a ``python3`` kernelspec installed elsewhere on the machine
cannot substitute another Python.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from loadfile import load_module

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("folium")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOK = EXAMPLES / "corridor_tour.ipynb"
GENERATOR = EXAMPLES / "make_tour_notebook.py"
CELL_TIMEOUT_S = 120


def _generator() -> Any:
    return load_module(GENERATOR, "make_tour_notebook")


def _kernel_manager(kernel_dir: Path) -> Any:
    """A KernelManager for ``python3`` that resolves only to ipykernel running on this interpreter."""
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    write_kernel_spec(kernel_dir / "python3")  # argv: [sys.executable, "-m", "ipykernel_launcher", ...]
    specs = KernelSpecManager(kernel_dirs=[str(kernel_dir)], ensure_native_kernel=False)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    assert km.kernel_spec is not None and km.kernel_spec.argv[0] == sys.executable
    return km


def _tagged(nb: Any, tag: str) -> Any:
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def _outputs(cell: Any, mime: str) -> list[str]:
    found = []
    for out in cell.outputs:
        data = out.get("data", {})
        if mime in data:
            found.append(data[mime])
    return found


def test_notebook_is_generated_and_stored_without_outputs() -> None:
    """The stored notebook is the one make_tour_notebook.py writes, with no outputs."""
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert text == _generator().render(), "run: python examples/make_tour_notebook.py"
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook, executed top to bottom (an error in any cell fails here, naming the cell)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("tour")
    km = _kernel_manager(tmp_path_factory.mktemp("kernels"))
    client = nbclient.NotebookClient(
        nb, km=km, kernel_name="python3", timeout=CELL_TIMEOUT_S, allow_errors=False,
        resources={"metadata": {"path": str(workdir)}},
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernel's own inline backend draws PNGs
    client.execute(env=env)
    assert not list(workdir.iterdir()), "the tour should not write files"
    return nb


def test_notebook_runs_without_errors(executed: Any) -> None:
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{cell.id}: {errors}"
        streams = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
        assert "Traceback" not in streams, f"{cell.id}: {streams}"


def test_network_and_routes_render_as_html(executed: Any) -> None:
    (network,) = _outputs(_tagged(executed, "network"), "text/html")
    assert "<table>" in network and "rail" in network and "sea" in network
    (train,) = _outputs(_tagged(executed, "train"), "text/html")
    assert "Aktau" in train and "<table>" in train
    (headline,) = _outputs(_tagged(executed, "headline"), "text/markdown")
    assert "times as long" in headline and "days" in headline


def test_tables_render(executed: Any) -> None:
    for tag, expected in [
        ("breakdown", ["rail-sea-rail", "by sea", "border", "port_dwell"]),
        ("alternatives", ["label", "days", "km", "cost_usd"]),
        ("pareto", ["days", "cost_usd", "co2_t"]),
        ("compare", ["red_sea_closed", "avoid_russia", "caspian_congestion", "delta_days"]),
        ("compare-sea", ["red_sea_closed", "cape_of_good_hope"]),
    ]:
        (table,) = _outputs(_tagged(executed, tag), "text/html")
        assert "<table" in table
        for text in expected:
            assert text in table, f"{tag}: {text!r} not in the table"


@pytest.mark.parametrize("tag", ["route-map", "routes-map", "timeline"])
def test_figures_are_drawn(executed: Any, tag: str) -> None:
    cell = _tagged(executed, tag)
    pngs = _outputs(cell, "image/png")
    assert len(pngs) == 1, f"{tag}: expected one PNG, got {len(pngs)}"
    assert len(pngs[0]) > 20_000  # base64 of a drawn map, not an empty canvas
    assert not _outputs(cell, "text/plain") or all("Figure" in t for t in _outputs(cell, "text/plain"))


def test_interactive_map(executed: Any) -> None:
    (page,) = _outputs(_tagged(executed, "explore"), "text/html")
    assert "iframe" in page and "Alashankou" in page and "leaflet" in page.lower()
