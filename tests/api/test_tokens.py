"""OAuth2 client credentials: short-lived scoped tokens, revoked when a client or agency stops."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from agencies.models import Agency, PartnerClient, User
from agencies.oauth import deactivate_partner_client
from cases.models import Case
from tests.api.conftest import Partner, bearer_client, get_token
from tests.helpers import client_for


def test_it_issues_a_ten_minute_token_with_the_clients_scopes(school_partner: Partner) -> None:
    status, body = get_token(school_partner)
    assert status == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert set(str(body["scope"]).split()) == {
        "cases:read",
        "referrals:write",
        "actions:write",
        "contributions:write",
        "meetings:write",
        "reference:read",
        "documents:write",
    }
    assert "refresh_token" not in body


def test_it_refuses_a_wrong_secret(school_partner: Partner) -> None:
    school_partner.secret = "not-the-secret"
    status, body = get_token(school_partner)
    assert status == 401
    assert body["error"] == "invalid_client"


def test_it_refuses_a_scope_the_client_was_not_given(
    make_partner: Callable[..., Partner], school_agency: Agency
) -> None:
    partner = make_partner(school_agency, scopes=["cases:read"])
    status, body = get_token(partner, scope="cases:read referrals:write")
    assert status == 400
    assert body["error"] == "invalid_scope"
    status, body = get_token(partner)
    assert (status, body["scope"]) == (200, "cases:read")


def test_an_expired_token_is_refused(case: Case, school_partner: Partner) -> None:
    _, body = get_token(school_partner)
    AccessToken.objects.update(expires="2000-01-01T00:00:00Z")
    response = bearer_client(str(body["access_token"])).get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("how", ["service", "flag"])
def test_deactivating_a_client_stops_its_tokens_at_once(
    case: Case, school_partner: Partner, how: str
) -> None:
    _, body = get_token(school_partner)
    api = bearer_client(str(body["access_token"]))
    assert api.get("/api/v1/cases/").status_code == 200
    if how == "service":
        deactivate_partner_client(school_partner.record)
        assert not AccessToken.objects.filter(application=school_partner.record.application_id)
    else:
        # Whatever path flips the flag, the next request is refused.
        type(school_partner.record).objects.filter(pk=school_partner.record.pk).update(
            is_active=False
        )
    assert api.get("/api/v1/cases/").status_code == 401
    status, token_body = get_token(school_partner)
    assert (status, token_body["error"]) == (401, "invalid_client")


def test_deactivating_the_agency_in_the_admin_revokes_its_clients_tokens(
    case: Case, school_partner: Partner, school_agency: Agency, admin_user: User
) -> None:
    _, body = get_token(school_partner)
    api = bearer_client(str(body["access_token"]))
    assert api.get("/api/v1/cases/").status_code == 200
    admin = client_for(admin_user)
    response = admin.post(
        f"/admin/agencies/agency/{school_agency.pk}/change/",
        {
            "name": school_agency.name,
            "kind": school_agency.kind,
            "cin_source_code": school_agency.cin_source_code,
            "school_urn": "",
            "ods_code": "",
            "locality": "",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 302
    school_agency.refresh_from_db()
    assert not school_agency.is_active
    assert not AccessToken.objects.exists()
    assert api.get("/api/v1/cases/").status_code == 401


def test_an_inactive_agency_stops_its_clients_even_with_a_live_token(
    case: Case, school_partner: Partner, school_agency: Agency
) -> None:
    _, body = get_token(school_partner)
    Agency.objects.filter(pk=school_agency.pk).update(is_active=False)
    assert bearer_client(str(body["access_token"])).get("/api/v1/cases/").status_code == 401


def test_an_application_without_a_partner_record_gets_no_token(
    school_partner: Partner,
) -> None:
    school_partner.record.delete()
    status, body = get_token(school_partner)
    assert (status, body["error"]) == (401, "invalid_client")


def test_a_client_without_a_sharing_agreement_gets_no_data(
    case: Case, school_partner: Partner
) -> None:
    _, body = get_token(school_partner)
    school_partner.record.sharing_agreement = " "
    school_partner.record.save(update_fields=["sharing_agreement"])
    assert bearer_client(str(body["access_token"])).get("/api/v1/cases/").status_code == 401
    status, body = get_token(school_partner)
    assert (status, body["error"]) == (401, "invalid_client")


def test_the_admin_will_not_register_a_client_without_an_agreement(
    admin_user: User, school_agency: Agency
) -> None:
    response = client_for(admin_user).post(
        "/admin/oauth2_provider/application/add/",
        {
            "name": "Riverside MIS",
            "client_id": "riverside-mis",
            "client_secret": "riverside-mis-secret-0123456789abcdef",
            "hash_client_secret": "on",
            "client_type": "confidential",
            "authorization_grant_type": "client-credentials",
            "partner-TOTAL_FORMS": "1",
            "partner-INITIAL_FORMS": "0",
            "partner-MIN_NUM_FORMS": "1",
            "partner-MAX_NUM_FORMS": "1",
            "partner-0-agency": str(school_agency.pk),
            "partner-0-allowed_scopes": "cases:read",
            "partner-0-is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not PartnerClient.objects.exists()


def test_the_admin_registers_a_partner_client(admin_user: User, school_agency: Agency) -> None:
    admin = client_for(admin_user)
    page = admin.get("/admin/oauth2_provider/application/add/")
    assert page.status_code == 200
    response = admin.post(
        "/admin/oauth2_provider/application/add/",
        {
            "name": "Riverside MIS",
            "client_id": "riverside-mis",
            "client_secret": "riverside-mis-secret-0123456789abcdef",
            "hash_client_secret": "on",
            "client_type": "confidential",
            "authorization_grant_type": "client-credentials",
            "redirect_uris": "",
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
            "algorithm": "",
            "partner-TOTAL_FORMS": "1",
            "partner-INITIAL_FORMS": "0",
            "partner-MIN_NUM_FORMS": "1",
            "partner-MAX_NUM_FORMS": "1",
            "partner-0-agency": str(school_agency.pk),
            "partner-0-allowed_scopes": "cases:read,reference:read",
            "partner-0-contact_email": "mis@riverside.example",
            "partner-0-is_active": "on",
            "partner-0-sharing_agreement": "ISA-2026-07 Early help information sharing",
            "partner-0-purpose": "Pastoral support for pupils on an early help plan.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION="Basic "
        + __import__("base64")
        .b64encode(b"riverside-mis:riverside-mis-secret-0123456789abcdef")
        .decode(),
    )
    assert response.status_code == 200
    assert set(response.json()["scope"].split()) == {"cases:read", "reference:read"}
