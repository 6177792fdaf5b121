from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _reminder_rules(request: pytest.FixtureRequest) -> None:
    """The seeded rules: these tests are transactional, and those empty every table."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("reminder_rules")
