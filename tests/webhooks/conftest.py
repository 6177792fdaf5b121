"""Webhook fixtures.

- ``la_admin``: Ada, system administrator at the local authority (Northgate Family Hub,
  an early help agency): administers every partner system's webhooks.
- ``school_admin``: Sid, system administrator at Riverside Primary: only Riverside's.
- ``school_client``: Riverside Primary's MIS; Sam School (Riverside) is on ``case``'s TAC.
- ``receiver``: a partner endpoint on 127.0.0.1 (tests/webhooks/receiver.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oauth2_provider.models import Application

from agencies.models import Agency, ApiScope, PartnerClient, User
from tests.helpers import PASSWORD
from tests.webhooks.receiver import Receiver, running_receiver
from webhooks.models import EventType, WebhookSubscription
from webhooks.services import create_subscription


def make_partner_client(agency: Agency, *, name: str, client_id: str) -> PartnerClient:
    application = Application.objects.create(
        name=name,
        client_id=client_id,
        client_secret="a-long-test-client-secret-0123456789abcdef",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    return PartnerClient.objects.create(
        application=application,
        agency=agency,
        allowed_scopes=[ApiScope.CASES_READ, ApiScope.REFERENCE_READ],
        contact_email="mis-support@riverside.example",
        sharing_agreement="ISA-2026-07 Early help information sharing agreement",
        purpose="Attendance and pastoral support for pupils on an early help plan.",
    )


@pytest.fixture
def la_admin(early_help_agency: Agency) -> User:
    return User.objects.create_user(
        "ada.admin@northgate.example",
        PASSWORD,
        full_name="Ada Admin",
        role=User.Role.SYSTEM_ADMINISTRATOR,
        agency=early_help_agency,
    )


@pytest.fixture
def school_admin(school_agency: Agency) -> User:
    return User.objects.create_user(
        "sid.admin@riverside.example",
        PASSWORD,
        full_name="Sid Systems",
        role=User.Role.SYSTEM_ADMINISTRATOR,
        agency=school_agency,
    )


@pytest.fixture
def school_client(school_agency: Agency) -> PartnerClient:
    return make_partner_client(
        school_agency, name="Riverside Primary School MIS", client_id="riverside-mis"
    )


@pytest.fixture
def police_client(police_agency: Agency) -> PartnerClient:
    return make_partner_client(
        police_agency, name="Demo Constabulary case system", client_id="constabulary-cases"
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from running_receiver()


@pytest.fixture
def subscription(
    school_client: PartnerClient, la_admin: User, receiver: Receiver
) -> WebhookSubscription:
    return create_subscription(
        school_client, url=receiver.url, event_types=EventType.values, by=la_admin
    )
