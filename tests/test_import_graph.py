"""The import graph of jobmatch/ has no cycle, counting imports inside functions too: a
cycle hidden in a function is still a knot between features."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "jobmatch"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _with_packages(names: set[str], modules: dict) -> set[str]:
    """Importing jobmatch.a.b runs jobmatch/a/__init__.py first: an edge to that too."""
    out = set(names)
    for name in names:
        parts = name.split(".")
        out |= {".".join(parts[:i]) for i in range(2, len(parts))} & modules.keys()
    return out


def _imports(path: Path, modules: dict) -> set[str]:
    return _with_packages(_direct_imports(path, modules), modules)


def _direct_imports(path: Path, modules: dict) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
            # `from jobmatch import reference` imports the submodule, not the package's body
            out |= submodules or ({node.module} & modules.keys())
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names} & modules.keys()
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:  # noqa: C901  (Tarjan, as written)
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_a_submodule_import_runs_its_package():
    modules = {"jobmatch.demo": None, "jobmatch.demo.content": None}
    assert _with_packages({"jobmatch.demo.content"}, modules) == set(modules)


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_jobmatch_has_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    assert len(graph) > 100 and sum(map(len, graph.values())) > 300  # the graph is real
    assert cycles(graph) == []
