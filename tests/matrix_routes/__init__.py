"""Each area's permission-matrix routes, joined into one dictionary.

A module per area keeps parallel work from colliding: add a page's route to the
module of the app that serves it.
"""

from __future__ import annotations

from tests.matrix import Route
from tests.matrix_routes import (
    api,
    assessments,
    core,
    dashboards,
    disclosures,
    documents,
    episode,
    imports,
    journeys,
    meetings,
    notifications,
    people,
    retention,
    team,
    webhooks,
)

#: Every URL pattern (but the configuration site's) → who may reach it.
ROUTES: dict[str, Route] = {}
for _module in (
    core,
    journeys,
    assessments,
    meetings,
    dashboards,
    disclosures,
    documents,
    api,
    episode,
    notifications,
    people,
    retention,
    team,
    webhooks,
    imports,
):
    _overlap = ROUTES.keys() & _module.ROUTES.keys()
    assert not _overlap, f"routes listed twice: {sorted(_overlap)}"
    ROUTES |= _module.ROUTES
