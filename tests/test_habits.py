"""House rules that code review misses: tests stand alone, benchmarks import what exists."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_test_imports_from_the_benchmarks() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imports(path) if m.split(".")[0] == "bench")
        for path in (ROOT / "tests").rglob("*.py")
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_every_module_a_benchmark_imports_from_the_project_exists() -> None:
    missing = {
        f"{path.name}: {module}"
        for path in (ROOT / "bench").glob("*.py")
        for module in _imports(path)
        if module.split(".")[0] in ("bench", "tests", "diplo")
        and importlib.util.find_spec(module) is None
    }
    assert missing == set()
