"""Sphinx configuration: the API reference, built from the numpy-style docstrings (``make docs``, warnings are errors)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import corridor_planner  # noqa: E402

project = "corridor_planner"
author = "corridor_planner developers"
release = corridor_planner.__version__
version = release

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
# names the type hints mention that Sphinx cannot link (third-party or type-only); not missing documentation
nitpicky = False
suppress_warnings = ["ref.python", "autodoc.import_object"]
exclude_patterns = ["_build", "research"]
html_theme = "alabaster"
html_static_path: list[str] = []
