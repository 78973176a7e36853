"""The house rules for imports: data flows one way, and only the UI talks to Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"
# The Streamlit page (app.py and ui/) and Streamlit's server entry points (asgi.py, serve.py).
MAY_IMPORT_STREAMLIT = ("app", "asgi", "serve", "ui")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, top_level_only: bool) -> set[str]:
    """Modules ``path`` imports (absolute names), at the top level only or anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from . import x` names a module
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_only_the_ui_imports_streamlit():
    assert "streamlit" in imports(PACKAGE / "app.py", top_level_only=False)  # the walk sees it where it is
    offenders = []
    for name, path in modules().items():
        top = name.split(".")[1] if "." in name else ""
        if top in MAY_IMPORT_STREAMLIT:
            continue
        if any(m == "streamlit" or m.startswith("streamlit.") for m in imports(path, top_level_only=False)):
            offenders.append(name)
    assert offenders == []


def test_no_import_circle_in_the_package():
    known = modules()
    graph = {
        name: {m for m in imports(path, top_level_only=True) if m in known and m != name}
        for name, path in known.items()
    }
    # A package's __init__ runs before its submodules: importing "dashboard.parse.draft" from
    # inside dashboard.parse is not a circle through dashboard.parse.
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    assert "dashboard.parse.draft" in graph["dashboard.parse.text"]  # the walk sees relative imports
    state: dict[str, int] = {}
    path: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == []


def test_the_parser_package_is_entered_only_through_its_public_names():
    private = []
    for name, path in modules().items():
        if name.startswith("dashboard.parse"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and "parse" in node.module.split("."):
                private += [f"{name}: {alias.name}" for alias in node.names if alias.name.startswith("_")]
    assert private == []
