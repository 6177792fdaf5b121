"""Permission-matrix routes served by the journeys area (see tests/matrix.py for the helpers)."""

from __future__ import annotations

from tests.matrix import Route

ROUTES: dict[str, Route] = {}
