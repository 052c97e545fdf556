"""The import graph: no cycles, and ``config`` is a leaf (it imports nothing from k8slint but ``errors``)."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "k8slint"
# cycles that exist only through imports inside functions, each for a reason; a new one fails the test
KNOWN_LAZY_CYCLES = {
    # a Source re-reads its document's node after a process hop (parse reads Sources), and carries the
    # role layout gives its file, while layout reads kustomization files as Sources
    frozenset({"k8slint.layout", "k8slint.parse", "k8slint.sources"}),
    # the catalog reads a cluster's api-resources file into its own Resource rows
    frozenset({"k8slint.kube.apis", "k8slint.kube.apiresources"}),
}


def _modules() -> dict[str, ast.Module]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = ast.parse(path.read_text(encoding="utf-8"))
    return modules


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module ``name`` is, or belongs to (``k8slint.config.Settings`` -> ``k8slint.config``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking(node) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.Module, lazy: bool) -> set[str]:
    """k8slint modules imported at module level (or, with ``lazy``, anywhere), leaving out TYPE_CHECKING blocks."""
    found = set()
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if _type_checking(node):
            continue
        if isinstance(node, ast.Import):
            found.update(_resolve(alias.name) for alias in node.names if alias.name.startswith("k8slint"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("k8slint"):
            found.update(_resolve(f"{node.module}.{alias.name}") for alias in node.names)
        elif lazy or isinstance(node, (ast.If, ast.Try)):
            todo.extend(ast.iter_child_nodes(node))
    found.discard(None)
    return found


def _cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), set()

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def _graph(lazy: bool) -> dict[str, set[str]]:
    return {name: _imports(tree, lazy) - {name} for name, tree in MODULES.items()}


def test_module_level_imports_have_no_cycles():
    assert _cycles(_graph(lazy=False)) == set()


def test_imports_inside_functions_add_no_new_cycles():
    assert _cycles(_graph(lazy=True)) == KNOWN_LAZY_CYCLES


def test_config_is_a_leaf():
    assert _imports(MODULES["k8slint.config"], lazy=True) == {"k8slint.errors"}
    assert _imports(MODULES["k8slint.errors"], lazy=True) == set()


def test_the_graph_sees_imports():
    # the checks above mean something only if imports are found at all
    assert "k8slint.registry" in _graph(lazy=False)["k8slint.engine"]
    assert "k8slint.commands.linting" in _graph(lazy=True)["k8slint.commands.lint"]
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == {frozenset({"a", "b"})}


# the stages of the pipeline and the front ends; the domain knowledge below them never reaches up into them
_ABOVE_THE_DOMAIN = ("checks", "engine", "pool", "filters", "report", "commands", "cli", "diagnose", "fixing")


def _reaches_up(package: str) -> dict[str, set[str]]:
    above = tuple(f"k8slint.{stage}" for stage in _ABOVE_THE_DOMAIN)
    return {
        name: {target for target in imports if target.startswith(above)}
        for name, imports in _graph(lazy=True).items()
        if name.startswith(package)
    }


def test_kubernetes_and_compose_knowledge_import_no_stage_above_them():
    for package in ("k8slint.kube", "k8slint.compose"):
        reaching = {name: targets for name, targets in _reaches_up(package).items() if targets}
        assert reaching == {}, package
    assert "k8slint.kube.schemas" in _graph(lazy=True)["k8slint.checks.schema"]  # the checks do use the domain
