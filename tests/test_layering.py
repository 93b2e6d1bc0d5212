"""Runtime code never reaches into test support: spiders/, translate/, warehouse/, pipeline/ and dags/
import no ``testkit`` (the spiders import no ``translate`` either), neither at the top of a module nor
inside a function, nor through one of their imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from testkit.processes import run_python
from warehouse.paths import PROJECT_ROOT

RUNTIME_PACKAGES = ("spiders", "translate", "warehouse", "pipeline")
FORBIDDEN = {
    "spiders": {"testkit", "translate"},
    "translate": {"testkit"},
    "warehouse": {"testkit"},
    "pipeline": {"testkit"},
    "dags": {"testkit"},
}


def imported_modules(file: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module or "")
    return names


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_runtime_module_imports_test_support(folder: str) -> None:
    files = sorted((PROJECT_ROOT / folder).rglob("*.py"))
    assert files, f"no Python files in {folder}/"
    offending = [
        f"{file.relative_to(PROJECT_ROOT)} imports {name}"
        for file in files
        for name in imported_modules(file)
        if name.split(".")[0] in FORBIDDEN[folder]
    ]
    assert offending == []


@pytest.mark.parametrize("package", RUNTIME_PACKAGES)
def test_importing_every_runtime_module_loads_no_test_support(package: str) -> None:
    program = (
        "import importlib, pkgutil, sys\n"
        f"root = importlib.import_module({package!r})\n"
        f"for module in pkgutil.walk_packages(root.__path__, {package!r} + '.'):\n"
        "    if not module.name.endswith('.__main__'):\n"
        "        importlib.import_module(module.name)\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    completed = run_python(["-c", program])
    assert completed.returncode == 0, completed.stderr
    assert package in completed.stdout.split()
    assert set(completed.stdout.split()) & FORBIDDEN[package] == set()
