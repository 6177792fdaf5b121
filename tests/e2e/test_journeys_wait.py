"""Journeys assert with Playwright's waiting `expect`, never with `is_visible()`.

`is_visible()` answers at once. Straight after a click that submits a form, the browser
may not have shown the next page yet, so an `assert ….is_visible()` there fails at
random on a busy machine. `expect(…).to_be_visible()` waits for the page.
"""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _non_waiting_asserts(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Assert):
            continue
        for call in ast.walk(node.test):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr in {"is_visible", "is_hidden"}
            ):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_journey_asserts_without_waiting() -> None:
    found = [hit for path in sorted(HERE.glob("*.py")) for hit in _non_waiting_asserts(path)]

    assert found == [], f"use expect(…).to_be_visible() instead: {found}"


def test_the_check_finds_a_non_waiting_assert(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text("def test_x(page):\n    assert page.get_by_text('x').is_visible()\n")

    assert _non_waiting_asserts(sample) == ["test_sample.py:2"]
