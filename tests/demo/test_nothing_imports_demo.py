"""The demo app sits above every other layer: no portal module imports it (ARCHITECTURE §3)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def portal_packages() -> list[Path]:
    """The project's own apps, except demo, and the project package itself."""
    packages = [ROOT / "tac_portal"]
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.parent == ROOT and config.name != "demo":
            packages.append(path)
    return packages


def imports_demo(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name == "demo" or name.startswith("demo.") for name in names):
            lines.append(node.lineno)
    return lines


def test_it_finds_the_portal_apps() -> None:
    names = {path.name for path in portal_packages()}
    assert {"tac_portal", "agencies", "cases", "dashboards"} <= names
    assert "demo" not in names


def test_it_is_imported_by_no_portal_module() -> None:
    offenders = []
    for package in portal_packages():
        for path in sorted(package.rglob("*.py")):
            for line in imports_demo(ast.parse(path.read_text(), filename=str(path))):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []


def test_it_notices_an_import_of_demo() -> None:
    assert imports_demo(ast.parse("from demo.authority import DEMO_EMAILS")) == [1]
    assert imports_demo(ast.parse("import demo.small")) == [1]
    assert imports_demo(ast.parse("from demographics import x\nfrom . import demo")) == []
