"""The layout's rules, checked on the source: one-way layers, no import cycle, no reading of others' private names.

Layers, lowest first: ``errors`` and ``text`` (sanitising text for HTML and terminals; imports nothing) < ``model`` < ``io`` < ``routing`` < ``analysis``
< ``network`` (the facade) < ``viz`` < the package root (the public API) < ``cli``
(the command line uses the public API).
A module imports, at module level, only its own layer and lower ones. Going up
is allowed only lazily (inside a function: ``Route.plot()`` importing ``viz``),
which cannot form an import cycle at import time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "corridor_planner"
LAYERS = {
    "errors": 0,
    "text": 0,  # the one text-sanitising path: used by every layer from model (messages) to viz and cli
    "model": 1,
    "io": 2,
    "routing": 3,
    "analysis": 4,
    "network": 5,
    "viz": 6,
    "cli": 8,
}
ROOT_LAYER = 7


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, *, top_level_only: bool) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) of the package's own imports in ``module``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.ImportFrom):
                target = _resolve(module, node, is_package)
                if target.startswith("corridor_planner"):
                    found.append((target, [a.name for a in node.names], node.lineno))
            elif isinstance(node, ast.Import):
                found.extend((a.name, [], node.lineno) for a in node.names if a.name.startswith("corridor_planner"))
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue  # type-only imports do not run
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(getattr(node, "orelse", []))
            elif not top_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(node.body)
            elif not top_level_only:
                visit([n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt)])

    visit(tree.body)
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package root re-exports everything
    return LAYERS.get(parts[1])


def test_every_module_belongs_to_a_layer() -> None:
    loose = [m for m in MODULES if "." in m and _layer(m) is None and m != "corridor_planner.__main__"]
    assert not loose, f"modules outside the layers of tests/test_architecture.py: {loose}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) is not None))
def test_module_level_imports_go_down_only(module: str) -> None:
    mine = _layer(module)
    assert mine is not None
    bad = []
    for target, _, line in _imports(module, top_level_only=True):
        theirs = ROOT_LAYER if target == "corridor_planner" else _layer(target)
        if theirs is not None and theirs > mine:
            bad.append(f"line {line}: {target}")
    assert not bad, f"{module} imports a higher layer at module level: {bad}"


def test_no_import_cycle_at_module_level() -> None:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        targets = set()
        for target, names, _ in _imports(module, top_level_only=True):
            # `from .pkg import submodule` imports the submodule too
            targets.add(target)
            targets.update(f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES)
        graph[module] = {t for t in targets if t in MODULES and t != module}
    # a package's __init__ importing its own submodules is not a cycle with them: drop child -> parent-package edges
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)


def test_no_module_imports_another_modules_private_names() -> None:
    bad = []
    for module in MODULES:
        for target, names, line in _imports(module, top_level_only=False):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                bad.append(f"{module}:{line} imports {private} from {target}")
    assert not bad, bad


def test_no_module_reads_another_objects_private_attributes() -> None:
    """``obj._name`` is only read on ``self`` or ``cls`` (a class's own state), or on a third-party object where
    the line says why (``# third-party private: ...``)."""
    bad = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Attribute) and "# third-party private:" in lines[node.lineno - 1]:
                continue
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                bad.append(f"{module}:{node.lineno} {ast.unparse(node)}")
    assert not bad, bad
