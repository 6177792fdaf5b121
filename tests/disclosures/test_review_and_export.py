"""The review and the export of a subject access request: restricted items, versioned
decisions, a failed export, the progress page, and the registry of sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse

from agencies.models import User
from audit.services import set_restriction
from cases.models import Case, Child, FamilyMember, RestrictionTarget
from disclosures import services
from disclosures.models import Disclosure, Redaction, SubjectAccessRequest
from meetings.services.contributions import add_contribution
from tac_portal.disclosure import FoundRecord, Subject
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(case: Case) -> Child:
    return case.children.get()


@pytest.fixture
def sar(child: Child, auditor: User) -> SubjectAccessRequest:
    return services.log_subject_access_request(
        child,
        by=auditor,
        requester_name="Robin Requester",
        requester_relationship=SubjectAccessRequest.RequesterRelationship.PARENT,
        received_on=dt.date(2026, 11, 2),
    )


def test_a_restricted_record_is_flagged_and_redacted(
    case: Case, child: Child, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    informant = FamilyMember.objects.create(
        family=case.family,
        given_names="Quentin",
        family_name="Quietly",
        relationship=FamilyMember.Relationship.FAMILY_FRIEND,
        phone="07700 900123",
    )
    set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.FAMILY_MEMBER,
        target_id=informant.pk,
        field_name="",
        reason="Informant: must not be identified",
    )
    add_contribution(case, by=lead, body="Quentin Quietly called from 07700 900123.")

    services.search_for_subject(sar, by=auditor)

    flags = {
        r.term: r for r in Redaction.objects.filter(item__request=sar, item__kind="Contribution")
    }
    assert flags["Quentin Quietly"].flagged_as == Redaction.Reason.RESTRICTED
    assert flags["07700 900123"].flagged_as == Redaction.Reason.RESTRICTED
    body = dict(sar.items.get(kind="Contribution").fields)["Body"]
    assert services.redact(body, list(flags.values())) == "[Redacted] called from [Redacted]."


def test_a_decision_made_on_an_old_page_is_refused(
    case: Case, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    FamilyMember.objects.create(
        family=case.family,
        given_names="Morgan",
        family_name="Fairweather",
        relationship=FamilyMember.Relationship.SIBLING,
    )
    add_contribution(case, by=lead, body="Morgan Fairweather helps at home.")
    services.search_for_subject(sar, by=auditor)
    flag = Redaction.objects.get(item__request=sar, term="Morgan Fairweather")
    services.decide_redaction(flag, by=auditor, redacted=False, reason="Agreed", version=1)

    response = client_for(auditor).post(
        reverse("disclosures:redaction", args=[flag.pk]),
        {"redacted": "yes", "reason": "On second thoughts", "version": 1},
    )

    assert response.status_code == 200
    assert "Someone else changed this since you opened it" in response.content.decode()
    flag.refresh_from_db()
    assert flag.redacted is False
    assert flag.decision_reason == "Agreed"


def test_a_failed_export_says_so_and_discloses_nothing(
    sar: SubjectAccessRequest, auditor: User, django_capture_on_commit_callbacks: Any
) -> None:
    services.search_for_subject(sar, by=auditor)
    with (
        mock.patch.object(services, "render_to_string", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.start_disclosure(sar, by=auditor)

    disclosure = Disclosure.objects.get()
    assert disclosure.status == Disclosure.Status.FAILED
    assert disclosure.package is None
    sar.refresh_from_db()
    assert sar.status == SubjectAccessRequest.Status.IN_REVIEW
    page = client_for(auditor).get(reverse("disclosures:export_status", args=[disclosure.pk]))
    assert "could not be built" in page.content.decode()


def test_the_status_page_shows_progress_and_checks_again(
    sar: SubjectAccessRequest, auditor: User
) -> None:
    services.search_for_subject(sar, by=auditor)
    # Queued, not yet built (its task runs when the transaction commits).
    disclosure = services.start_disclosure(sar, by=auditor)
    # A second export while one is queued is the same export.
    assert services.start_disclosure(sar, by=auditor) == disclosure

    page = client_for(auditor).get(reverse("disclosures:export_status", args=[disclosure.pk]))

    body = page.content.decode()
    assert f"0 of {disclosure.total} records" in body
    assert "data-reload-while-running" in body
    assert "js/progress" in body
    assert (
        not client_for(auditor)
        .get(reverse("disclosures:download", args=[disclosure.pk]))
        .has_header("Content-Disposition")
    )


def extra_source(subject: Subject) -> Iterator[FoundRecord]:
    yield FoundRecord(
        source="letters",
        key=f"letters.letter:{subject.person_id}",
        kind="Letter",
        title="A letter about the child",
        fields=[("Text", "Dear family, Jamie is doing well.")],
    )


def test_an_app_adds_its_records_through_the_registry(
    sar: SubjectAccessRequest, auditor: User
) -> None:
    from django.conf import settings

    from tac_portal import disclosure

    sources = [*settings.TAC_DISCLOSURE_SOURCES, f"{__name__}.extra_source"]
    with override_settings(TAC_DISCLOSURE_SOURCES=sources):
        disclosure._resolve.cache_clear()
        try:
            services.search_for_subject(sar, by=auditor)
        finally:
            disclosure._resolve.cache_clear()

    letter = sar.items.get(kind="Letter")
    assert letter.fields == [["Text", "Dear family, Jamie is doing well."]]


def test_a_record_no_longer_held_is_marked_and_left_out(
    case: Case, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    contribution = add_contribution(case, by=lead, body="A note made in error.")
    services.search_for_subject(sar, by=auditor)
    item = sar.items.get(key=f"meetings.contribution:{contribution.pk}")
    services.search_for_subject(sar, by=auditor)
    assert sar.items.get(pk=item.pk).version == item.version  # unchanged, not bumped

    with mock.patch("meetings.disclosure._stream", return_value=iter(())):
        services.search_for_subject(sar, by=auditor)

    item.refresh_from_db()
    assert item.still_held is False
    assert item not in sar.items.filter(still_held=True)


def test_a_withdrawn_request_takes_no_more_steps(sar: SubjectAccessRequest, auditor: User) -> None:
    client = client_for(auditor)
    url = reverse("disclosures:withdraw", args=[sar.pk])
    response = client.post(url, {"reason": "", "version": sar.version})
    assert "Enter why the request is withdrawn" in response.content.decode()

    response = client.post(url, {"reason": "The requester withdrew it", "version": sar.version})

    assert response["Location"] == reverse("disclosures:detail", args=[sar.pk])
    sar.refresh_from_db()
    assert sar.status == SubjectAccessRequest.Status.WITHDRAWN
    refused = client.post(reverse("disclosures:search", args=[sar.pk])).content.decode()
    assert "This request was withdrawn" in refused
    assert not sar.items.exists()
    assert sar.events.filter(code="sar.withdrawn").count() == 1
