"""Partner systems' OAuth2 clients: who may get a token, with which scopes, and revocation.

Tokens come from django-oauth-toolkit's client-credentials grant at ``/o/token/``.
An application must be linked to an active ``PartnerClient`` of an active agency
to get a token; each request checks the same again (``tac_portal.api``), so a
deactivation takes effect on the next request even before the tokens are deleted.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from oauth2_provider.models import AccessToken, RefreshToken, get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings

from agencies.models import Agency, PartnerClient

security_log = logging.getLogger("tac.security")


def partner_client_for(application: Any) -> PartnerClient | None:
    """The usable partner client behind an OAuth2 application, or None."""
    if application is None:
        return None
    try:
        client: PartnerClient = (
            PartnerClient.objects.select_related("agency", "application")
            .only(
                "id",
                "is_active",
                "allowed_scopes",
                "sharing_agreement",
                "agency__id",
                "agency__name",
                "agency__is_active",
                "application__id",
                "application__client_id",
                "application__name",
                "application__authorization_grant_type",
            )
            .get(application_id=application.pk)
        )
    except PartnerClient.DoesNotExist:
        return None
    return client if client.is_usable else None


class PartnerClientScopes(BaseScopes):
    """A client may ask only for the scopes its partner record allows."""

    def get_all_scopes(self) -> dict[str, str]:
        scopes: dict[str, str] = oauth2_settings.SCOPES
        return scopes

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        client = partner_client_for(application)
        if client is None:
            return []
        return [s for s in client.allowed_scopes if s in oauth2_settings.SCOPES]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)


class PartnerClientValidator(OAuth2Validator):
    """Client credentials only, and only for usable partner clients."""

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        application = request.client
        if application.authorization_grant_type != "client-credentials":
            return False
        return partner_client_for(application) is not None


def revoke_tokens(applications: Any) -> int:
    """Delete every access and refresh token of the given applications; return how many."""
    refresh = RefreshToken.objects.filter(application__in=applications)
    access = AccessToken.objects.filter(application__in=applications)
    count = int(access.count())
    refresh.delete()
    access.delete()
    return count


@transaction.atomic
def deactivate_partner_client(client: PartnerClient) -> int:
    """Stop a partner client: no new tokens, and its current tokens revoked now."""
    if client.is_active:
        client.is_active = False
        client.save(update_fields=["is_active", "updated_at"])
    revoked = revoke_tokens([client.application_id])
    security_log.info(
        "partner client deactivated",
        extra={"partner_client": client.pk, "tokens_revoked": revoked},
    )
    return revoked


@transaction.atomic
def revoke_agency_tokens(agency: Agency) -> int:
    """Revoke every token of every partner client of ``agency`` (on deactivating it)."""
    applications = get_application_model().objects.filter(partner__agency=agency)
    revoked = revoke_tokens(applications.values("pk"))
    security_log.info(
        "agency partner tokens revoked", extra={"agency": agency.pk, "tokens_revoked": revoked}
    )
    return revoked
