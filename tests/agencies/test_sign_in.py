"""Sign-in with an email address, sign-out by POST."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from agencies.models import User
from tests.helpers import PASSWORD


def test_it_signs_in_with_email_in_any_case(client: Client, lead: User) -> None:
    response = client.post(
        reverse("agencies:sign_in"), {"username": lead.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_shows_a_clear_error_and_keeps_the_email(client: Client, lead: User) -> None:
    response = client.post(
        reverse("agencies:sign_in"), {"username": lead.email, "password": "wrong password"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter a correct email address and password" in body
    assert lead.email in body


def test_it_refuses_a_deactivated_professional(client: Client, lead: User) -> None:
    lead.is_active = False
    lead.save()
    response = client.post(
        reverse("agencies:sign_in"), {"username": lead.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_says_when_two_factor_is_off(client: Client, db: None) -> None:
    body = client.get(reverse("agencies:sign_in")).content.decode()
    assert "two-factor sign-in is turned off" in body


def test_it_signs_out_only_by_post(lead_client: Client) -> None:
    assert lead_client.get(reverse("agencies:sign_out")).status_code == 405
    response = lead_client.post(reverse("agencies:sign_out"))
    assert response.status_code == 302
    assert lead_client.get(reverse("cases:my_cases")).status_code == 302


def test_it_stores_emails_in_lower_case(db: None) -> None:
    user = User.objects.create_user("Mixed.Case@Example.ORG", PASSWORD, full_name="Mixed Case")
    assert user.email == "mixed.case@example.org"
