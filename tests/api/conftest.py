"""Partner clients for the API tests.

- ``school_client``: Riverside Primary's MIS; Sam School (Riverside) is on ``case``'s TAC.
- ``police_client``: Demo Constabulary's system; no one from the police is on ``case``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from oauth2_provider.models import Application

from agencies.models import Agency, ApiScope, PartnerClient, User
from cases.models import Case, FamilyMember

SECRET = "a-long-test-client-secret-0123456789abcdef"
ALL_SCOPES = [s.value for s in ApiScope]


@dataclass
class Partner:
    record: PartnerClient
    client_id: str
    secret: str

    def basic_auth(self) -> str:
        raw = f"{self.client_id}:{self.secret}".encode()
        return "Basic " + base64.b64encode(raw).decode()


@pytest.fixture
def make_partner(db: None) -> Callable[..., Partner]:
    counter = iter(range(1, 1000))

    def make(agency: Agency, *, scopes: list[str] | None = None) -> Partner:
        n = next(counter)
        application = Application.objects.create(
            name=f"{agency.name} system {n}",
            client_id=f"test-client-{agency.pk}-{n}",
            client_secret=SECRET,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        )
        record = PartnerClient.objects.create(
            application=application,
            agency=agency,
            allowed_scopes=ALL_SCOPES if scopes is None else scopes,
            sharing_agreement="ISA-2026-07 Early help information sharing agreement",
            purpose="Attendance and pastoral support for pupils on an early help plan.",
        )
        return Partner(record=record, client_id=application.client_id, secret=SECRET)

    return make


def get_token(partner: Partner, scope: str | None = None) -> tuple[int, dict[str, object]]:
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    response = Client().post("/o/token/", data, HTTP_AUTHORIZATION=partner.basic_auth())
    return response.status_code, response.json()


def bearer_client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def school_partner(make_partner: Callable[..., Partner], school_agency: Agency) -> Partner:
    return make_partner(school_agency)


@pytest.fixture
def police_partner(make_partner: Callable[..., Partner], police_agency: Agency) -> Partner:
    return make_partner(police_agency)


def client_with_token(partner: Partner, scope: str | None = None) -> Client:
    status, body = get_token(partner, scope)
    assert status == 200, body
    return bearer_client(str(body["access_token"]))


@pytest.fixture
def school_api(school_partner: Partner) -> Client:
    return client_with_token(school_partner)


@pytest.fixture
def police_api(police_partner: Partner) -> Client:
    return client_with_token(police_partner)


@pytest.fixture
def share(case: Case, lead: User, family_member: FamilyMember) -> Callable[..., object]:
    """Record a sharing preference on ``case`` (given by its parent, recorded by the lead)."""
    import datetime as dt

    from django.utils import timezone

    from cases.models import ConsentRecord

    def record(
        level: str = "additional",
        *,
        allowed: list[Agency] | None = None,
        excluded: list[Agency] | None = None,
        withdrawn: bool = False,
        expired: bool = False,
        on: Case | None = None,
    ) -> ConsentRecord:
        now = timezone.now()
        consent = ConsentRecord.objects.create(
            case=on or case,
            kind=ConsentRecord.Kind.SHARING_PREFERENCE,
            given_by=family_member,
            capacity_basis=ConsentRecord.CapacityBasis.ADULT,
            information_level=level,
            method=ConsentRecord.Method.WRITTEN,
            given_at=now - dt.timedelta(days=2),
            expires_at=now - dt.timedelta(days=1) if expired else None,
            withdrawn_at=now - dt.timedelta(hours=1) if withdrawn else None,
            recorded_by=lead,
        )
        consent.agencies_allowed.set(allowed or [])
        consent.agencies_excluded.set(excluded or [])
        return consent

    return record
