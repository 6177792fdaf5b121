"""OAuth evidence for docs/security.md (ASVS 5.0 V10, V11 and V14): the portal is an
authorization server for one grant only, client credentials; secrets and tokens are
stored hashed; a token is accepted only in the Authorization header."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from oauth2_provider.models import AccessToken, Application

from agencies.models import Agency
from cases.models import Case
from tests.api.conftest import SECRET, Partner, get_token


def test_only_the_token_and_revocation_endpoints_exist(db: None) -> None:
    client = Client()
    for url in (
        "/o/authorize/",
        "/o/applications/",
        "/o/applications/register/",
        "/o/introspect/",
        "/o/userinfo/",
        "/o/.well-known/openid-configuration/",
        "/o/logout/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/o/token/", {}).status_code in {400, 401}
    assert client.post("/o/revoke_token/", {}).status_code in {400, 401}


def test_only_the_client_credentials_grant_is_given_a_token(
    school_partner: Partner, lead: object
) -> None:
    for data in (
        {"grant_type": "password", "username": "lead@example.org", "password": "x"},
        {"grant_type": "authorization_code", "code": "abc", "redirect_uri": "https://a.example"},
        {"grant_type": "refresh_token", "refresh_token": "abc"},
        {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "x"},
    ):
        response = Client(HTTP_AUTHORIZATION=school_partner.basic_auth()).post("/o/token/", data)
        assert response.status_code in {400, 401}, data["grant_type"]
        assert "access_token" not in response.json()
    status, body = get_token(school_partner)
    assert status == 200
    assert "refresh_token" not in body  # nothing to replay or to outlive its client


def test_an_application_registered_for_another_grant_gets_no_token(
    make_partner: Callable[..., Partner], school_agency: Agency
) -> None:
    partner = make_partner(school_agency)
    Application.objects.filter(client_id=partner.client_id).update(
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE
    )
    status, body = get_token(partner)
    assert status in {400, 401}
    assert "access_token" not in body


def test_client_secrets_and_tokens_are_stored_hashed(school_partner: Partner) -> None:
    application = Application.objects.get(client_id=school_partner.client_id)
    assert SECRET not in application.client_secret
    assert application.client_secret.startswith(("pbkdf2_", "argon2", "md5$"))
    _, body = get_token(school_partner)
    token = str(body["access_token"])
    assert len(token) >= 30
    stored = AccessToken.objects.get()
    assert stored.token != token
    assert stored.token_checksum != token


def test_a_token_in_the_url_or_the_body_is_not_accepted(
    case: Case, school_partner: Partner
) -> None:
    _, body = get_token(school_partner)
    token = str(body["access_token"])
    assert Client().get(f"/api/v1/cases/?access_token={token}").status_code == 401
    assert (
        Client()
        .post("/api/v1/referrals/", {"access_token": token}, content_type="application/json")
        .status_code
        == 401
    )
    header = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert header.get("/api/v1/cases/").status_code == 200
