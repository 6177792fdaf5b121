"""Inviting someone with no account to a case's team: the agency's administrator approves
an account, the person sets a password from an emailed link and joins the team when they
first sign in."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, AgencyKind, User
from cases.access import account_requests_for, can_see_case
from cases.models import Case, CaseEvent, TeamInvitation
from cases.services import invitations
from cases.services.common import CaseError
from notifications.models import EmailOutbox, Notification
from tac_portal.concurrency import StaleEdit
from tests.helpers import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing() -> Agency:
    return Agency.objects.create(name="Demoton Housing", kind=AgencyKind.HOUSING)


def _invite_form(client: Client, case: Case, **data: str) -> dict[str, str]:
    page = client.get(reverse("cases:team_invite", args=[case.pk]))
    assert page.status_code == 200
    token = page.context["form"]["submission_token"].value()
    return {
        "full_name": "Hana Housing",
        "job_title": "Housing officer",
        "email": "hana.housing@housing.example",
        "role": "practitioner",
        "involvement": "core",
        "submission_token": token,
        **data,
    }


def test_the_lead_invites_and_the_administrator_approves_and_they_join_on_sign_in(
    case: Case, lead: User, lead_client: Client, admin_user: User, housing: Agency
) -> None:
    team_page = lead_client.get(reverse("cases:team", args=[case.pk])).content.decode()
    assert reverse("cases:team_invite", args=[case.pk]) in team_page

    data = _invite_form(lead_client, case, agency=str(housing.pk))
    sent = lead_client.post(reverse("cases:team_invite", args=[case.pk]), data)
    assert sent.status_code == 302
    # The same form sent twice is one invitation.
    assert lead_client.post(reverse("cases:team_invite", args=[case.pk]), data).status_code == 302
    invitation = TeamInvitation.objects.get()
    assert invitation.status == TeamInvitation.Status.PENDING
    assert CaseEvent.objects.filter(case=case, code="team.invited").count() == 1
    assert "Hana Housing" in lead_client.get(reverse("cases:team", args=[case.pk])).content.decode()

    # The authority's administrator (the housing agency has none of its own) is told, and
    # sees who is invited but nothing of the case.
    assert Notification.objects.filter(recipient=admin_user).count() == 1
    admin = client_for(admin_user)
    listing = admin.get(reverse("cases:account_requests")).content.decode()
    assert "Hana Housing" in listing
    assert case.reference not in listing
    detail_url = reverse("cases:account_request", args=[invitation.pk])
    detail = admin.get(detail_url).content.decode()
    assert case.reference not in detail
    assert case.family.name not in detail

    missing_reason = admin.post(
        detail_url, {"version": str(invitation.version), "decision": "decline", "reason": ""}
    )
    assert "Enter why the account is declined" in missing_reason.content.decode()
    approved = admin.post(detail_url, {"version": str(invitation.version), "decision": "approve"})
    assert approved.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.APPROVED
    account = User.objects.get(email="hana.housing@housing.example")
    assert account.agency == housing
    assert not account.has_usable_password()
    # An account alone shows nothing of the case.
    assert not can_see_case(account, case)

    # The email holds a link to set a password and nothing about the case.
    email = EmailOutbox.objects.get(to_address="hana.housing@housing.example")
    assert case.reference not in email.body_text
    assert case.family.name not in email.body_text
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", email.body_text)
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    form = anonymous.get("/" + path, follow=True)
    assert form.status_code == 200
    set_password = anonymous.post(
        form.redirect_chain[-1][0] if form.redirect_chain else "/" + path,
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert set_password.status_code == 302

    # First sign-in: they join the team, and the lead is told.
    signed_in = Client()
    response = signed_in.post(
        reverse("agencies:sign_in"),
        {"username": "hana.housing@housing.example", "password": PASSWORD},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.JOINED
    assert invitation.membership is not None
    assert invitation.membership.involvement == "core"
    assert can_see_case(account, case)
    assert signed_in.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert Notification.objects.filter(recipient=lead, title=invitations.TITLE_JOINED).exists()
    assert Notification.objects.filter(recipient=account, title=invitations.TITLE_WELCOME).exists()


def test_someone_with_an_account_is_added_from_the_directory_instead(
    case: Case, lead_client: Client, outsider: User, housing: Agency
) -> None:
    data = _invite_form(lead_client, case, agency=str(housing.pk), email=outsider.email.upper())
    page = lead_client.post(reverse("cases:team_invite", args=[case.pk]), data)
    assert page.status_code == 200
    assert "already has an account: add them from the directory" in page.content.decode()
    assert not TeamInvitation.objects.exists()


def test_bad_input_gets_field_messages(case: Case, lead_client: Client) -> None:
    data = _invite_form(lead_client, case, full_name="", email="not-an-email", agency="")
    page = lead_client.post(reverse("cases:team_invite", args=[case.pk]), data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Enter their full name" in body
    assert "Enter their work email address, like name@agency.example" in body
    assert "Choose their agency" in body
    assert "<title>Error: " in body


def test_only_those_who_run_the_case_invite(
    case: Case, member_client: Client, outsider_client: Client
) -> None:
    assert member_client.get(reverse("cases:team_invite", args=[case.pk])).status_code == 403
    assert outsider_client.get(reverse("cases:team_invite", args=[case.pk])).status_code == 404


def test_a_closed_case_takes_no_invitations(case: Case, lead: User, housing: Agency) -> None:
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    case.refresh_from_db()
    with pytest.raises(CaseError):
        invitations.invite_to_team(
            case, full_name="Hana Housing", email="h@housing.example", agency=housing, by=lead
        )


def test_the_agencys_own_administrator_decides_not_the_authoritys(
    case: Case, lead: User, admin_user: User, housing: Agency
) -> None:
    own = User.objects.create_user(
        "admin@housing.example",
        PASSWORD,
        full_name="Harriet Admin",
        agency=housing,
        role=User.Role.SYSTEM_ADMINISTRATOR,
    )
    invitation = invitations.invite_to_team(
        case, full_name="Hana Housing", email="h@housing.example", agency=housing, by=lead
    )
    assert list(account_requests_for(own)) == [invitation]
    assert not account_requests_for(admin_user).exists()
    assert not account_requests_for(lead).exists()
    with pytest.raises(PermissionDenied):
        invitations.decide_account_request(
            invitation, approve=True, by=admin_user, expected_version=invitation.version
        )
    assert client_for(lead).get(reverse("cases:account_requests")).status_code == 404


def test_declining_tells_the_inviter_and_a_stale_decision_is_refused(
    case: Case, lead: User, admin_user: User, housing: Agency
) -> None:
    invitation = invitations.invite_to_team(
        case, full_name="Hana Housing", email="h@housing.example", agency=housing, by=lead
    )
    seen = invitation.version
    invitations.decide_account_request(
        invitation, approve=False, by=admin_user, expected_version=seen, reason="Not our staff"
    )
    assert Notification.objects.filter(recipient=lead, title=invitations.TITLE_DECLINED).exists()
    assert not User.objects.filter(email="h@housing.example").exists()
    with pytest.raises(StaleEdit):
        invitations.decide_account_request(
            invitation, approve=True, by=admin_user, expected_version=seen
        )


def test_the_lead_withdraws_an_invitation(
    case: Case, lead: User, lead_client: Client, admin_user: User, housing: Agency
) -> None:
    invitation = invitations.invite_to_team(
        case, full_name="Hana Housing", email="h@housing.example", agency=housing, by=lead
    )
    url = reverse("cases:team_invitation_withdraw", args=[case.pk, invitation.pk])
    assert lead_client.post(url, {"version": str(invitation.version)}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.WITHDRAWN
    assert not account_requests_for(admin_user).exists()
    # A new invitation to the same address is open again.
    again = invitations.invite_to_team(
        case, full_name="Hana Housing", email="H@housing.example", agency=housing, by=lead
    )
    assert again.pk != invitation.pk


def test_a_case_closed_before_they_sign_in_is_not_joined(
    case: Case, lead: User, admin_user: User, housing: Agency
) -> None:
    invitation = invitations.invite_to_team(
        case, full_name="Hana Housing", email="h@housing.example", agency=housing, by=lead
    )
    invitations.decide_account_request(
        invitation, approve=True, by=admin_user, expected_version=invitation.version
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    account = User.objects.get(email="h@housing.example")
    assert invitations.join_invited_teams(account) == []
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.WITHDRAWN
    assert not can_see_case(account, case)
