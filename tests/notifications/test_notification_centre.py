"""The notification centre: your own notifications only, mark read, preferences."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from notifications.context_processors import unread_count
from notifications.models import Notification, NotificationPreference
from notifications.services import notify

pytestmark = pytest.mark.django_db


def _notify(user: User, title: str = "A case review is due today", link: str = "/cases/1/"):
    return Notification.objects.create(
        recipient=user, title=title, link=link, created_at=timezone.now()
    )


def test_it_lists_only_your_own_notifications(
    lead_client: Client, lead: User, member: User
) -> None:
    _notify(lead, "A case review is due today")
    _notify(member, "Something for Sam only")
    response = lead_client.get("/notifications/")
    assert response.status_code == 200
    assert "A case review is due today" in response.content.decode()
    assert "Something for Sam only" not in response.content.decode()


def test_it_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_it_marks_a_notification_read(lead_client: Client, lead: User) -> None:
    notification = _notify(lead)
    response = lead_client.post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_marks_a_read_notification_unread_again(
    lead_client: Client, lead: User, outsider_client: Client
) -> None:
    notification = _notify(lead)
    lead_client.post(f"/notifications/{notification.pk}/read/")
    page = lead_client.get("/notifications/").content.decode()
    assert "Mark as unread" in page

    # Someone else's is a 404, and stays as it was.
    assert outsider_client.post(f"/notifications/{notification.pk}/unread/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is not None

    assert lead_client.post(f"/notifications/{notification.pk}/unread/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None
    page = lead_client.get("/notifications/").content.decode()
    assert "(1 unread)" in page or "Unread" in page
    assert lead_client.get(f"/notifications/{notification.pk}/unread/").status_code == 405


def test_it_returns_404_for_someone_elses_notification(
    outsider_client: Client, lead_client: Client, lead: User
) -> None:
    notification = _notify(lead)
    assert outsider_client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert outsider_client.get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    # The same request from the recipient succeeds.
    assert lead_client.post(f"/notifications/{notification.pk}/read/").status_code == 302


def test_opening_a_notification_marks_it_read_and_goes_to_the_thing(
    lead_client: Client, lead: User
) -> None:
    notification = _notify(lead, link="/cases/42/")
    response = lead_client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/cases/42/"
    notification.refresh_from_db()
    assert notification.is_read


def test_it_never_redirects_off_site(lead_client: Client, lead: User) -> None:
    notification = _notify(lead, link="//evil.example/")
    assert lead_client.get(f"/notifications/{notification.pk}/")["Location"] == "/"


def test_it_marks_all_read(lead_client: Client, lead: User, member: User) -> None:
    _notify(lead)
    _notify(lead)
    other = _notify(member)
    assert lead_client.post("/notifications/read-all/").status_code == 302
    assert Notification.objects.filter(recipient=lead, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_needs_a_post(lead_client: Client, lead: User) -> None:
    notification = _notify(lead)
    assert lead_client.get(f"/notifications/{notification.pk}/read/").status_code == 405


def test_it_counts_unread_for_the_header(lead: User, member: User) -> None:
    _notify(lead)
    _notify(lead)
    read = _notify(lead)
    read.read_at = timezone.now()
    read.save()
    _notify(member)
    request = RequestFactory().get("/")
    request.user = lead
    assert unread_count(request) == {"unread_notifications": 2}


def test_it_saves_email_preferences(lead_client: Client, lead: User) -> None:
    assert lead_client.get("/notifications/preferences/").status_code == 200
    response = lead_client.post(
        "/notifications/preferences/", {"email_frequency": "daily_digest", "digest_hour": "7"}
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=lead)
    assert (preference.email_frequency, preference.digest_hour) == ("daily_digest", 7)


def test_it_rejects_an_unknown_preference(lead_client: Client, lead: User) -> None:
    response = lead_client.post(
        "/notifications/preferences/", {"email_frequency": "hourly", "digest_hour": "7"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=lead).exists()


def test_the_list_uses_a_fixed_number_of_queries(
    lead_client: Client, lead: User, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        _notify(lead)
    with django_assert_max_num_queries(8):
        assert lead_client.get("/notifications/").status_code == 200


def test_the_centre_groups_notifications_by_case_and_marks_unread(
    case: Case, make_case: Callable[..., Case], lead: User, lead_client: Client
) -> None:
    other = make_case()
    notify(lead, title="You are now the lead professional for a case", link="/", case=case)
    notify(lead, title="A step-up was not accepted", link="/", case=other)
    read = notify(lead, title="A review is due", link="/", case=case)
    read.read_at = timezone.now()
    read.save(update_fields=["read_at"])
    notify(lead, title="Your email preferences changed", link="/")

    body = lead_client.get(reverse("notifications:list")).content.decode()
    captions = re.findall(r'<caption class="govuk-table__caption[^"]*">(.*?)</caption>', body, re.S)
    labels = [re.sub(r"<.*", "", c, flags=re.S).strip() for c in captions]
    assert labels == [
        "Not about a case",
        f"Case {case.notification_label}",  # its newest notification is newer
        f"Case {other.notification_label}",
    ]
    assert case.notification_label == f"{case.reference} (J.F.)"
    assert "(1 unread)" in captions[1]
    assert "Jamie" not in body
    assert "Fairweather" not in body


def test_team_notices_name_the_case_by_reference_and_initials(
    case: Case, lead: User, member: User, outsider: User
) -> None:
    from cases.services.joining import ask_to_join, decide_join_request
    from cases.services.teams import end_membership

    ask_to_join(case, by=outsider, reason="The child's brother is known to us")
    request = case.join_requests.get(requester=outsider)
    decide_join_request(request, by=lead, approve=False, expected_version=request.version)
    membership = case.memberships.active().get(professional=member)
    end_membership(
        membership, by=lead, reason="No longer involved", expected_version=membership.version
    )

    notices = Notification.objects.filter(recipient__in=[lead, member])
    assert notices.count() == 2
    # Someone refused a place on the team is told no more of the case than they knew.
    declined = Notification.objects.get(recipient=outsider)
    assert declined.case_id is None
    assert declined.case_label == ""
    for notice in notices:
        assert notice.case_id == case.pk
        assert notice.case_label == case.notification_label
        assert "Jamie" not in notice.title
