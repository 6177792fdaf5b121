"""The demo's partner systems: a school MIS and a police case system, ready to call the
partner API (docs/partner-api.md) as soon as ``make run`` starts.

Client secrets are stored hashed, so they cannot be read back: each start-up gives each
client a new secret and prints it to the console, never to a log or a file.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from oauth2_provider.models import get_application_model

from agencies.models import Agency, ApiScope, PartnerClient

SHARING_AGREEMENT = "ISA-DEMO-01 Demo Borough early help information sharing agreement"


@dataclass(frozen=True)
class PartnerSpec:
    client_id: str
    name: str
    agency: str
    scopes: tuple[str, ...]
    purpose: str


PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        "riverside-school-mis",
        "Riverside Primary School MIS",
        "Riverside Primary School",
        (
            ApiScope.CASES_READ,
            ApiScope.REFERENCE_READ,
            ApiScope.REFERRALS_WRITE,
            ApiScope.ACTIONS_WRITE,
            ApiScope.CONTRIBUTIONS_WRITE,
            ApiScope.MEETINGS_WRITE,
        ),
        "Attendance and pastoral support for pupils on an early help plan.",
    ),
    PartnerSpec(
        "demo-constabulary-cases",
        "Demo Constabulary case system",
        "Demo Constabulary",
        (
            ApiScope.CASES_READ,
            ApiScope.REFERENCE_READ,
            ApiScope.REFERRALS_WRITE,
            ApiScope.ACTIONS_WRITE,
            ApiScope.CONTRIBUTIONS_WRITE,
            ApiScope.MEETINGS_WRITE,
        ),
        "Sending requests for support after a domestic incident, following the plan's "
        "actions the police own and recording the officers' part: progress on those "
        "actions, contributions, and replies to TAC meetings.",
    ),
)


@dataclass(frozen=True)
class IssuedSecret:
    name: str
    agency: str
    client_id: str
    secret: str
    scopes: tuple[str, ...]


@transaction.atomic
def issue_partner_clients() -> list[IssuedSecret]:
    """Create the demo's partner clients where their agencies exist, and give each a new
    secret. Returns the secrets, to be shown once; an agency missing from the data (the
    demo not loaded) is skipped."""
    application_model = get_application_model()
    issued = []
    for spec in PARTNERS:
        agency = Agency.objects.filter(name=spec.agency).first()
        if agency is None:
            continue
        secret = secrets.token_urlsafe(32)
        application = application_model.objects.filter(client_id=spec.client_id).first()
        if application is None:
            application = application_model(
                client_id=spec.client_id,
                name=spec.name,
                client_type=application_model.CLIENT_CONFIDENTIAL,
                authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
            )
        application.client_secret = secret
        application.save()
        PartnerClient.objects.update_or_create(
            application=application,
            defaults={
                "agency": agency,
                "allowed_scopes": list(spec.scopes),
                "sharing_agreement": SHARING_AGREEMENT,
                "purpose": spec.purpose,
                "is_active": True,
            },
        )
        issued.append(IssuedSecret(spec.name, agency.name, spec.client_id, secret, spec.scopes))
    return issued
