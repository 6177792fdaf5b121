from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tac_portal.navigation import items_for


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.TAC_SERVICE_NAME,
        "authority_name": settings.TAC_AUTHORITY_NAME,
        "mfa_required": settings.TAC_REQUIRE_MFA,
    }


def navigation(request: HttpRequest) -> dict[str, object]:
    """``navigation``: the header links the signed-in person is offered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {"navigation": items_for(user, request.path)}
