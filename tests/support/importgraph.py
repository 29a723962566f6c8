"""The import graph of the docextract package, read with ``ast`` (nothing is imported).

Each edge records how the import is written, because the kinds count differently:

- ``module``: at module level (inside ``try``, ``if`` or a class body too): runs when the module is imported.
- ``function``: inside a function: runs when that function first runs, but still at run time.
- ``typing``: inside ``if TYPE_CHECKING:``: never runs; the type checker alone follows it.

A parent package's ``__init__`` runs before any of its submodules, but that is not an edge: only the
imports written in a module are.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["module", "function", "typing"]
PACKAGE = "docextract"


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    kind: Kind
    line: int


@dataclass(frozen=True)
class Graph:
    modules: dict[str, Path]
    edges: tuple[Edge, ...]

    def runtime(self) -> dict[str, set[str]]:
        """Importer → imported over the imports that run (module- and function-level)."""
        out: dict[str, set[str]] = {name: set() for name in self.modules}
        for edge in self.edges:
            if edge.kind != "typing" and edge.importer != edge.imported:
                out[edge.importer].add(edge.imported)
        return out

    def circles(self) -> list[frozenset[str]]:
        """The import circles over the runtime imports: each a set of two or more modules that all reach each
        other (a strongly connected component)."""
        runtime = self.runtime()
        reach = {name: _reachable(runtime, name) for name in runtime}
        found: set[frozenset[str]] = set()
        for name, ahead in reach.items():
            component = frozenset({name} | {other for other in ahead if name in reach[other]})
            if len(component) > 1:
                found.add(component)
        return sorted(found, key=sorted)


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(edges[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges[name])
    return seen


def package_modules(root: Path) -> dict[str, Path]:
    """Dotted name → file for every module under ``root`` (the package folder), symlinked folders included:
    ``docextract/schemas`` and ``docextract/validators`` link to the top-level folders installed there."""
    modules: dict[str, Path] = {}
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        parts = [PACKAGE, *Path(folder).relative_to(root).parts]
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            stem = name[: -len(".py")]
            modules[".".join(parts if stem == "__init__" else [*parts, stem])] = Path(folder) / name
    return modules


def build(root: Path) -> Graph:
    modules = package_modules(root)
    edges: list[Edge] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node, kind in _imports(tree.body, "module"):
            for target in _targets(node, name, is_package, modules):
                edges.append(Edge(name, target, kind, node.lineno))
    return Graph(modules, tuple(edges))


def _imports(body: list[ast.stmt], kind: Kind) -> Iterator[tuple[ast.Import | ast.ImportFrom, Kind]]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, kind
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _imports(node.body, "typing" if kind == "typing" else "function")
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.body, "typing")
            yield from _imports(node.orelse, kind)
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, ()):
                    inner = child.body if isinstance(child, ast.ExceptHandler | ast.match_case) else [child]
                    yield from _imports(inner, kind)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool, modules: dict[str, Path]) -> set[str]:
    """The package modules an import statement loads: ``from a.b import c`` is module ``a.b.c`` when that
    is a module, else the names come from ``a.b`` itself."""
    if isinstance(node, ast.Import):
        return {_owner(alias.name, modules) for alias in node.names} - {""}
    base = node.module or ""
    if node.level:
        anchor = importer.split(".")
        anchor = anchor if is_package else anchor[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    if base != PACKAGE and not base.startswith(PACKAGE + "."):
        return set()
    out = set()
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        out.add(sub if sub in modules else _owner(base, modules))
    return out - {""}


def _owner(dotted: str, modules: dict[str, Path]) -> str:
    """The deepest package module that ``dotted`` names ("" when it is not ours)."""
    parts = dotted.split(".")
    while parts:
        name = ".".join(parts)
        if name in modules:
            return name
        parts.pop()
    return ""
