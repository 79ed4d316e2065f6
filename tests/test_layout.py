"""The package's shape: no import circle between its modules, and private names stay private."""

from __future__ import annotations

import ast
from pathlib import Path

import isoguide

PACKAGE = Path(isoguide.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports() -> dict[str, set[tuple[str, str]]]:
    """module -> {(imported module, imported name)} for imports run when the module loads
    (top level, not under ``if TYPE_CHECKING``)."""
    graph: dict[str, set[tuple[str, str]]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[tuple[str, str]] = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                target = _resolve(module, node, path.name == "__init__.py")
                for alias in node.names:
                    found.add((target, alias.name))
            elif isinstance(node, ast.Import):
                found |= {(alias.name, "") for alias in node.names}
        graph[module] = {(t, n) for t, n in found if t.startswith("isoguide")}
    return graph


def test_no_import_circle() -> None:
    graph = _imports()
    modules = set(graph)
    edges = {
        m: {t if t in modules else f"{t}.{n}" for t, n in deps} & modules - {m}
        for m, deps in graph.items()
    }
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for d in sorted(edges[m]):
            if state.get(d) == 1:
                cycle = path[path.index(d) :] + [d]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if d not in state:
                visit(d)
        path.pop()
        state[m] = 2

    for m in sorted(modules):
        if m not in state:
            visit(m)


def test_no_module_imports_a_private_name_of_another() -> None:
    offenders = [
        f"{m} imports {n} from {t}"
        for m, deps in _imports().items()
        for t, n in deps
        if n.startswith("_") and not n.startswith("__") and t != m
    ]
    assert not offenders, offenders
