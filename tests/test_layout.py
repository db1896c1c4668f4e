"""The layout holds: steps are words (no shell command, no transport, no provider), harness/'s imports
form no cycle and run down the layers, modules stay small."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "harness"
MAX_LINES = 300
MAX_TOP_LEVEL_MODULES = 10
# package -> the packages it must never import (the layers above it)
TOP = ("harness.plan", "harness.cli", "harness.plugin", "harness.scenario", "harness.fixtures")
UPPER = {
    "harness.probes": ("harness.ops", "harness.clusters", "harness.workloads", "harness.verdicts", *TOP),
    "harness.ops": ("harness.clusters", "harness.workloads", "harness.verdicts", *TOP),
    "harness.lab": ("harness.clusters", "harness.workloads", "harness.verdicts", *TOP),
    "harness.clusters": ("harness.workloads", "harness.verdicts", *TOP),
    "harness.workloads": ("harness.verdicts", *TOP),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in HARNESS.rglob("*.py")}


def imported(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The modules a file imports (a name taken from a package counts as its module when it is one)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in known else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for m in imported(path, known) if m in known and m != name}
            for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("lower", sorted(UPPER))
def test_lower_layers_never_import_upper_ones(lower: str) -> None:
    def under(module: str, package: str) -> bool:
        return module == package or module.startswith(package + ".")
    wrong = sorted(f"{a} -> {b}" for a, targets in import_graph().items() if under(a, lower)
                   for b in targets if any(under(b, up) for up in UPPER[lower]))
    assert not wrong, wrong


def test_modules_are_small_and_the_top_level_is_short() -> None:
    long = {str(p.relative_to(ROOT)): n for p in HARNESS.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
    top = sorted(p.name for p in HARNESS.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top
    assert not (HARNESS / "cli_vagrant.py").exists()


STEPS = sorted((ROOT / "steps").glob("*.py"))
TRANSPORTS = ("paramiko", "fabric", "invoke", "harness.lab.providers")


@pytest.mark.parametrize("path", STEPS, ids=lambda p: p.name)
def test_a_step_module_is_words_over_the_harness(path: Path) -> None:
    tree = ast.parse(path.read_text())
    shell = [f"{path.name}:{n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Attribute) and n.func.attr in ("run", "sh")]
    assert not shell, f"shell commands in steps (make them a probe or an op): {shell}"
    transports = [m for m in imported(path, {})
                  if any(m == t or m.startswith(t + ".") for t in TRANSPORTS)]
    assert not transports, f"{path.name} imports {transports}"
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    assert "facts" not in names, f"{path.name} passes an untyped facts dict: use the scenario record"


def test_the_walk_sees_a_cycle_and_a_shell_command(tmp_path: Path) -> None:
    """The checks above can fail: a made-up cycle is found, and so is a step that runs a command."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    step = tmp_path / "bad_steps.py"
    step.write_text("def _(node):\n    node.run('uname -n')\n")
    with pytest.raises(AssertionError, match="shell commands in steps"):
        test_a_step_module_is_words_over_the_harness(step)


def test_paths_found_from_a_modules_place_lead_to_the_project() -> None:
    """The Vagrantfile and a BMC's working folder are found from where their modules sit."""
    from harness.lab.providers import bmc_control, vagrantcli
    assert (vagrantcli.VAGRANT_DIR / "Vagrantfile").is_file()
    assert Path(bmc_control.__file__).parents[3] == ROOT


def test_every_area_a_topology_is_named_for_exists() -> None:
    from harness import areas
    known = {areas.area_of(p) for p in (ROOT / "steps").glob("test_*.py")}
    assert set(areas.TOPOLOGIES) <= known, sorted(set(areas.TOPOLOGIES) - known)
