"""``make run`` creates the partner clients the README and the API guide name, and prints
their secrets to the console only."""

from __future__ import annotations

import base64
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from agencies.models import Agency, AgencyKind, PartnerClient
from demo.partners import PARTNERS, issue_partner_clients

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies() -> None:
    Agency.objects.create(name="Riverside Primary School", kind=AgencyKind.SCHOOL)
    Agency.objects.create(name="Demo Constabulary", kind=AgencyKind.POLICE)


def _token(client_id: str, secret: str) -> int:
    auth = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {auth}"
    )
    return response.status_code


def test_a_school_mis_and_a_police_system_get_tokens(agencies: None) -> None:
    issued = issue_partner_clients()
    assert {c.client_id for c in issued} == {spec.client_id for spec in PARTNERS}
    kinds = {c.agency.kind for c in PartnerClient.objects.select_related("agency")}
    assert kinds == {AgencyKind.SCHOOL, AgencyKind.POLICE}
    for client in issued:
        assert _token(client.client_id, client.secret) == 200


def test_each_start_gives_new_secrets_and_no_second_client(agencies: None) -> None:
    first = {c.client_id: c.secret for c in issue_partner_clients()}
    second = {c.client_id: c.secret for c in issue_partner_clients()}
    assert PartnerClient.objects.count() == len(PARTNERS)
    for client_id, secret in first.items():
        assert second[client_id] != secret
        assert _token(client_id, secret) == 401
        assert _token(client_id, second[client_id]) == 200


def test_the_secrets_go_to_the_console_and_never_to_a_log(
    agencies: None, caplog: pytest.LogCaptureFixture
) -> None:
    out = StringIO()
    with caplog.at_level(logging.DEBUG):
        call_command("demo_partner_clients", stdout=out)
    printed = out.getvalue()
    for client in PartnerClient.objects.select_related("application"):
        assert client.client_id in printed
    secrets = [line.split()[-1] for line in printed.splitlines() if "client secret" in line]
    assert len(secrets) == len(PARTNERS)
    for secret in secrets:
        assert secret not in caplog.text


def test_without_the_demo_data_there_is_nothing_to_create() -> None:
    out = StringIO()
    call_command("demo_partner_clients", stdout=out)
    assert "load the demo data first" in out.getvalue()
    assert not PartnerClient.objects.exists()


def test_both_systems_may_write_for_their_staff(agencies: None) -> None:
    issue_partner_clients()
    writes = {"actions:write", "contributions:write", "meetings:write"}
    for client in PartnerClient.objects.all():
        assert writes <= set(client.allowed_scopes), client
