"""Who is calling the partner API: a partner system's token or a professional's session.

Partner systems are agencies' clients (``PartnerClient``), so their authentication,
scopes and throttling live here. Kept apart from the views (``tac_portal.api``)
because DRF imports these classes from its settings while its own view module is still
loading. What each caller may reach of the case data is ``cases.api.base.Viewer``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken, Application
from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from agencies.models import Agency, PartnerClient, User
from agencies.oauth import partner_client_for
from agencies.security import log_event
from tac_portal.api.compiled import CompiledQuery

if TYPE_CHECKING:
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class PartnerPrincipal:
    """``request.user`` for a partner system's token: the client, never a person."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, client: PartnerClient) -> None:
        self.client = client
        self.pk = f"client:{client.pk}"

    def __str__(self) -> str:
        return self.client.client_id


class PartnerTokenAuthentication(OAuth2Authentication):
    """A bearer token from ``/o/token/`` whose partner client and agency are still active.

    The check runs on every request, so deactivating a client or its agency stops
    its tokens at once, whatever code path made the change.
    """

    www_authenticate_realm = "tac-portal"

    def authenticate(self, request: Request) -> tuple[PartnerPrincipal, Any] | None:
        quick = self._authenticate_quickly(request)
        if quick is not None:
            return quick
        # Anything the quick path does not settle (no header, an unknown, expired or
        # audience-restricted token, an inactive client) takes oauthlib's full path,
        # which also words the WWW-Authenticate challenge.
        result = super().authenticate(request)
        if result is None:
            if request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer "):
                raise exceptions.AuthenticationFailed("The access token is invalid or expired.")
            return None
        token = result[1]
        client = partner_client_for(token.application)
        if client is None:
            raise exceptions.AuthenticationFailed("This partner client is no longer active.")
        return PartnerPrincipal(client), token

    def _authenticate_quickly(self, request: Request) -> tuple[PartnerPrincipal, Any] | None:
        """A valid ``Authorization: Bearer`` token of a usable partner client, in one query.

        The same checks as django-oauth-toolkit's validator (the token by its SHA-256
        checksum, not expired, no audience restriction) and ``partner_client_for``
        (client and agency active, an agreement on record), with the token, its
        application, partner client and agency read together. Nothing is cached: a
        revoked token, a deactivated client or agency is refused on the next request.
        Returns None for anything else, which the full path then decides.
        """
        if "access_token" in request._request.GET:
            return None  # refused by the full path (RFC 9700: no tokens in URLs)
        parts = request.META.get("HTTP_AUTHORIZATION", "").split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return None
        checksum = hashlib.sha256(parts[1].encode("utf-8")).hexdigest()
        token = _token_by_checksum(checksum)
        if token is None or token.application is None or token.resource:
            return None
        if token.expires is None or timezone.now() >= token.expires:
            return None
        client: PartnerClient | None = getattr(token.application, "partner", None)
        if client is None or not client.is_usable:
            return None
        return PartnerPrincipal(client), token


#: What the checks read of a token, its application, partner client and agency, and
#: what ``partner_client_for`` loads of the client: (model, its fields, the lookup path).
_TOKEN_PARTS: tuple[tuple[type[Any], tuple[str, ...], str], ...] = (
    (AccessToken, ("id", "expires", "scope", "resource", "application_id"), ""),
    (
        Application,
        ("id", "client_id", "name", "authorization_grant_type"),
        "application__",
    ),
    (
        PartnerClient,
        ("id", "is_active", "allowed_scopes", "sharing_agreement", "application_id", "agency_id"),
        "application__partner__",
    ),
    (Agency, ("id", "name", "is_active"), "application__partner__agency__"),
)

# The token's row with its application, client and agency, in one statement whose SQL is
# compiled once per process (compiling it took longer than running it). Every request
# still reads the row: a revoked token or a deactivated client is refused at once.
_TOKEN_ROW = CompiledQuery(
    lambda key, checksum: AccessToken.objects.filter(token_checksum=checksum).values_list(
        *(path + name for _, names, path in _TOKEN_PARTS for name in names)
    )[:1]
)


def _token_by_checksum(checksum: str) -> AccessToken | None:
    """The token with its application, partner client and agency attached, as
    ``select_related`` would give them; None when there is no such token."""
    rows = _TOKEN_ROW.rows("token", checksum=checksum)
    if not rows:
        return None
    values = iter(rows[0])
    made: list[Any] = []
    for model, names, _ in _TOKEN_PARTS:
        read = dict(zip(names, values, strict=False))
        if read["id"] is None:
            made.append(None)
            continue
        # from_db takes the values in the model's own field order, converted as the ORM
        # converts them (the cursor gives JSON as text, for one).
        fields = [f for f in model._meta.concrete_fields if f.attname in read]
        converted = [
            f.from_db_value(read[f.attname], None, connection)
            if hasattr(f, "from_db_value")
            else read[f.attname]
            for f in fields
        ]
        made.append(model.from_db("default", [f.attname for f in fields], converted))
    token, application, client, agency = made
    if application is not None:
        token.application = application
        if client is not None:
            if agency is not None:
                client.agency = agency
            client.application = application
    return token  # type: ignore[no-any-return]


class BrowserSessionAuthentication(SessionAuthentication):
    """A signed-in professional's session; DRF enforces CSRF on unsafe methods."""


def scopes_for(view: Any, method: str) -> Sequence[str]:
    """The scopes a token needs for ``method`` (``method_scopes``, else ``required_scopes``)."""
    per_method: dict[str, Sequence[str]] = getattr(view, "method_scopes", {})
    if method.upper() in per_method:
        return per_method[method.upper()]
    required: Sequence[str] = getattr(view, "required_scopes", ())
    return required


class HasRequiredScopes(BasePermission):
    """A token needs every scope the view names in ``required_scopes``.

    Sessions are not scoped: a professional's reach is the access policy itself.
    """

    message = "This client's token does not have the scope this endpoint needs."

    def has_permission(self, request: Request, view: APIView) -> bool:
        required = scopes_for(view, request.method or "GET")
        if not isinstance(request.user, PartnerPrincipal):
            return True
        token = request.auth
        if token is None or not token.allow_scopes(required):
            self.message = (
                "This client's token does not have the scope this endpoint needs: "
                + " ".join(required)
            )
            return False
        return True


class PerClientThrottle(SimpleRateThrottle):
    """One request budget per partner client or professional, counted in Redis.

    The budget is a fixed window (``TAC_API_RATE``, 600 a minute unless set): one
    counter per caller per window, incremented and given its expiry in a single round
    trip, so the check costs one Redis call where a sliding window costs two (read the
    history, write it back). At a window's edge a caller can make up to twice the rate
    in a few seconds, which the budget, a guard against a runaway client, allows.

    When Redis cannot be reached the request is let through, with a warning in the log:
    the budget protects the portal from a runaway client, and refusing every partner
    while Redis is away would do more harm than the budget prevents. (Sign-in lockouts
    are kept in the database, so they hold whether Redis is there or not.)
    """

    scope = "api"
    wait_seconds = 0
    # Set by SimpleRateThrottle from the rate.
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = int(self.timer())
        window, into = divmod(now, self.duration)
        try:
            count = _count_in_window(f"{self.key}:{window}", self.duration)
        except (RedisError, OSError) as exc:
            logger.warning(
                "api throttle unavailable: request allowed",
                extra={"error": type(exc).__name__, "throttle": self.scope},
            )
            return True
        if count <= self.num_requests:
            return True
        self.wait_seconds = self.duration - into
        # The key names the client or professional by id only.
        log_event("api_throttled", request._request, level=logging.WARNING, throttle_key=self.key)
        return False

    def wait(self) -> float:
        return float(max(self.wait_seconds, 1))

    def get_rate(self) -> str | None:
        # Read at call time so that a changed setting (and the tests) take effect.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        principal = request.user
        if isinstance(principal, PartnerPrincipal):
            ident = f"client-{principal.client.pk}"
        elif isinstance(principal, User):
            ident = f"user-{principal.pk}"
        else:
            return None
        return f"throttle_{self.scope}_{ident}"


_redis_clients: dict[str, redis.Redis] = {}


def _count_in_window(key: str, seconds: int) -> int:
    """Add one to ``key``'s count, which lives ``seconds``; the count, in one round trip
    to the cache's Redis (its first server: the primary)."""
    cache: dict[str, Any] = settings.CACHES["default"]
    url = re.split("[;,]", str(cache["LOCATION"]))[0]
    client = _redis_clients.get(url)
    if client is None:
        options: dict[str, Any] = dict(cache.get("OPTIONS", {}))
        client = _redis_clients[url] = redis.Redis.from_url(url, **options)
    pipe = client.pipeline(transaction=False)
    name = f"{settings.CACHE_KEY_PREFIX}:{key}"
    pipe.incr(name)
    pipe.expire(name, seconds)
    count, _ = pipe.execute()
    return int(count)


class PartnerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "agencies.api_auth.PartnerTokenAuthentication"
    name = "partnerClient"

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        return {self.name: list(scopes_for(auto_schema.view, auto_schema.method))}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": "OAuth2 client credentials: one client per partner system.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/o/token/",
                    "scopes": settings.OAUTH2_PROVIDER["SCOPES"],
                }
            },
        }


class BrowserSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "agencies.api_auth.BrowserSessionAuthentication"
    name = "professionalSession"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A professional signed in to the portal (send X-CSRFToken on writes).",
        }
