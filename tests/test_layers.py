"""The layer contract of the whole csoffice tree, read from the source (AST), not by importing.

- Qt (PySide6) only in csoffice/ui and csoffice/app.py: the domain and printing run headless.
- Nothing from csoffice.db in csoffice/ui or csoffice/printing: the UI asks the domain, and
  printing renders plain data.
- Printing imports nothing from csoffice.auth, csoffice.audit or csoffice.settings: the domain
  checks permissions, writes the audit row and passes the settings' values in the data.
- No import cycle between csoffice modules, function-level (late) imports included; the only
  late imports left out are the start-up laziness of cli.py, app.py and ui/main_window.py.
- No module over 650 lines, except the commented allow-list below.

Every failure names the module and the import (or the size) that breaks the rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "csoffice"
MAX_LINES = 650

# Modules allowed past MAX_LINES, each with the reason. Keep it short: split rather than add.
LONG_MODULES: dict[str, str] = {
    # The whole data model in one file on purpose: every table and its indexes side by side.
    "csoffice.db.models": "the schema, read as one",
}

# Late (function-level) imports that keep start-up fast: the command line and the window load
# a feature's module when it is first used. Only these modules may import late for that; their
# late imports are not counted as edges of the import graph.
STARTUP_LAZY = {"csoffice.cli", "csoffice.app", "csoffice.ui.main_window"}

QT_PACKAGES = ("PySide6", "shiboken6")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it imports (a module, or module.name for ``from m import name``)
    line: int
    late: bool  # inside a function or method, not at module level

    def __str__(self) -> str:
        where = "late import" if self.late else "import"
        return f"{self.module} (line {self.line}): {where} of {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


MODULES = modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, path: Path) -> list[Import]:
    """Every import statement of ``module``; ``from m import a`` gives ``m`` and ``m.a``.
    Imports under ``if TYPE_CHECKING:`` are for the type checker only and not counted."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, late: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child, late)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(module, alias.name, node.lineno, late) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path, node)
            found.append(Import(module, base, node.lineno, late))
            found.extend(
                Import(module, f"{base}.{alias.name}", node.lineno, late)
                for alias in node.names
                if alias.name != "*"
            )
        inner = late or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, False)
    return found


IMPORTS = {module: imports_of(module, path) for module, path in MODULES.items()}


def _within(target: str, package: str) -> bool:
    return target == package or target.startswith(package + ".")


def _is_ui(module: str) -> bool:
    return _within(module, "csoffice.ui") or module == "csoffice.app"


def _violations(modules_: list[str], forbidden: tuple[str, ...]) -> list[str]:
    """One line per offending import statement (its first forbidden target)."""
    found: dict[tuple[str, int], Import] = {}
    for module in modules_:
        for imp in IMPORTS[module]:
            if any(_within(imp.target, bad) for bad in forbidden):
                found.setdefault((module, imp.line), imp)
    return [str(imp) for imp in found.values()]


def test_the_tree_is_found():
    assert "csoffice.ui.main_window" in MODULES and "csoffice.db.models" in MODULES
    assert any(imp.late for imp in IMPORTS["csoffice.cli"])  # late imports are seen


def test_qt_only_in_the_ui_and_the_app():
    outside = [module for module in MODULES if not _is_ui(module)]
    bad = _violations(outside, QT_PACKAGES)
    assert not bad, "Qt outside csoffice/ui and csoffice/app.py:\n" + "\n".join(bad)


def test_the_ui_and_printing_import_nothing_from_the_database_layer():
    layers = [m for m in MODULES if _within(m, "csoffice.ui") or _within(m, "csoffice.printing")]
    bad = _violations(layers, ("csoffice.db",))
    assert not bad, "csoffice.db imported by the UI or printing:\n" + "\n".join(bad)


def test_printing_imports_no_permissions_audit_or_settings():
    printing = [m for m in MODULES if _within(m, "csoffice.printing")]
    forbidden = ("csoffice.auth", "csoffice.audit", "csoffice.settings", "csoffice.permissions")
    bad = _violations(printing, forbidden)
    assert not bad, "printing must only render plain data:\n" + "\n".join(bad)


def import_graph() -> dict[str, dict[str, Import]]:
    """Module → {imported csoffice module: the first import that makes the edge}."""
    graph: dict[str, dict[str, Import]] = {module: {} for module in MODULES}
    for module, found in IMPORTS.items():
        for imp in found:
            if imp.late and module in STARTUP_LAZY:
                continue
            target = imp.target
            if target not in MODULES:
                continue  # ``from m import name`` where name is not a module
            if target != module and not _within(module, target):
                # A package's own modules import the package's __init__ only for its names;
                # the __init__ importing them back is how a package re-exports, not a cycle.
                graph[module].setdefault(target, imp)
    return graph


def cycles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles_between_csoffice_modules():
    graph = import_graph()
    found = cycles(graph)
    lines = []
    for component in found:
        members = set(component)
        lines.append("cycle: " + " ↔ ".join(component))
        lines += [
            f"  {imp}"
            for module in component
            for target, imp in sorted(graph[module].items())
            if target in members
        ]
    assert not found, "import cycles between csoffice modules:\n" + "\n".join(lines)


def test_the_cycle_finder_sees_a_late_import_cycle():
    graph = {
        "a": {"b": Import("a", "b", 1, False)},
        "b": {"a": Import("b", "a", 9, True)},
        "c": {"a": Import("c", "a", 1, False)},
    }
    assert cycles(graph) == [["a", "b"]]


def test_no_module_over_650_lines():
    too_long = []
    for module, path in MODULES.items():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_LINES and module not in LONG_MODULES:
            too_long.append(f"{module}: {count} lines ({path.relative_to(ROOT)})")
    assert not too_long, f"modules over {MAX_LINES} lines (split by responsibility):\n" + (
        "\n".join(too_long)
    )


def test_the_long_module_allow_list_names_real_long_modules():
    stale = [
        module
        for module in LONG_MODULES
        if module not in MODULES
        or len(MODULES[module].read_text(encoding="utf-8").splitlines()) <= MAX_LINES
    ]
    assert not stale, "take these off LONG_MODULES (gone or short now): " + ", ".join(stale)
