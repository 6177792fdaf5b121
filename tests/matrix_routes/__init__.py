"""Each area's permission-matrix routes, joined into one dictionary.

A module per area keeps parallel work from colliding: add a page's route to the
module of the app that serves it.
"""

from __future__ import annotations

from tests.matrix import Route
from tests.matrix_routes import (
    api,
    assessments,
    dashboards,
    episode,
    journeys,
    meetings,
    notifications,
)

AREA_ROUTES: dict[str, Route] = {}
for _module in (journeys, assessments, meetings, dashboards, api, episode, notifications):
    _overlap = AREA_ROUTES.keys() & _module.ROUTES.keys()
    assert not _overlap, f"routes listed twice: {sorted(_overlap)}"
    AREA_ROUTES |= _module.ROUTES
