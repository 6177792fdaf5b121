"""Subject access requests: only information governance, the statutory clock, the search
across every source, third-party flags, redaction decisions and the exported package."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import AccessPurpose, Case, Child, FamilyMember, RecordAccess
from cases.services.lifecycle import open_case
from disclosures import services
from disclosures.models import (
    Disclosure,
    DisclosureItem,
    Redaction,
    RequestEvent,
    SubjectAccessRequest,
    add_months,
    next_working_day,
)
from meetings.services.contributions import add_contribution
from tac_portal.concurrency import StaleEdit
from tests.helpers import client_for, date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def siblings(case: Case, make_child: Callable[..., Child], lead: User) -> tuple[Child, Child]:
    """Jamie is the case's child; Morgan, a sibling, is on another case of the family."""
    jamie = case.children.get()
    morgan = make_child(family=case.family, given_names="Morgan", date_of_birth=dt.date(2012, 1, 9))
    open_case(case.family, children=[morgan], by=lead, interim_lead=lead, status="ACTIVE")
    return jamie, morgan


@pytest.fixture
def mother(case: Case) -> FamilyMember:
    return FamilyMember.objects.create(
        family=case.family,
        given_names="Rowena",
        family_name="Fairweather",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )


def log(subject: Child | FamilyMember, by: User, **overrides: Any) -> SubjectAccessRequest:
    fields: dict[str, Any] = {
        "requester_name": "Rowena Fairweather",
        "requester_relationship": SubjectAccessRequest.RequesterRelationship.PARENT,
        "received_on": dt.date(2026, 11, 2),
    }
    fields.update(overrides)
    return services.log_subject_access_request(subject, by=by, **fields)


def package_of(disclosure: Disclosure) -> tuple[str, dict[str, Any]]:
    assert disclosure.package is not None
    archive = zipfile.ZipFile(io.BytesIO(bytes(disclosure.package)))
    reference = disclosure.request.reference
    html = archive.read(f"{reference}.html").decode()
    return html, json.loads(archive.read(f"{reference}.json"))


# --- The statutory clock ----------------------------------------------------------------


def test_it_is_due_one_calendar_month_after_receipt() -> None:
    assert add_months(dt.date(2026, 11, 2), 1) == dt.date(2026, 12, 2)
    # No 31 September: the last day of the month.
    assert add_months(dt.date(2026, 8, 31), 1) == dt.date(2026, 9, 30)
    assert add_months(dt.date(2026, 12, 15), 3) == dt.date(2027, 3, 15)


def test_a_due_date_on_a_weekend_or_bank_holiday_moves_to_the_next_working_day() -> None:
    assert next_working_day(dt.date(2026, 12, 5)) == dt.date(2026, 12, 7)  # Saturday
    assert next_working_day(dt.date(2026, 12, 25)) == dt.date(2026, 12, 29)  # Christmas
    assert next_working_day(dt.date(2026, 12, 2)) == dt.date(2026, 12, 2)


def test_it_extends_the_time_limit_by_two_months_with_a_reason(
    siblings: tuple[Child, Child], auditor: User
) -> None:
    sar = log(siblings[0], auditor)
    assert sar.due_on == dt.date(2026, 12, 2)

    with pytest.raises(StaleEdit):
        services.extend_deadline(sar, by=auditor, reason="Complex", version=sar.version + 1)
    sar = services.extend_deadline(
        sar, by=auditor, reason="Records across four agencies", version=sar.version
    )

    assert sar.due_on == dt.date(2027, 2, 2)
    assert RequestEvent.objects.filter(request=sar, code="sar.extended").count() == 1


# --- Who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lead", "manager", "coordinator", "admin_user"])
def test_no_one_but_information_governance_reaches_the_pages(
    name: str, request: pytest.FixtureRequest, siblings: tuple[Child, Child], auditor: User
) -> None:
    sar = log(siblings[0], auditor)
    client = client_for(request.getfixturevalue(name))
    for url in (
        reverse("disclosures:list"),
        reverse("disclosures:new"),
        reverse("disclosures:detail", args=[sar.pk]),
        reverse("disclosures:review", args=[sar.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("disclosures:search", args=[sar.pk])).status_code == 404
    assert not sar.items.exists()
    assert client_for(auditor).get(reverse("disclosures:detail", args=[sar.pk])).status_code == 200


def test_anonymous_is_sent_to_sign_in(siblings: tuple[Child, Child], auditor: User) -> None:
    sar = log(siblings[0], auditor)
    response = Client().get(reverse("disclosures:detail", args=[sar.pk]))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_the_service_refuses_anyone_else(siblings: tuple[Child, Child], lead: User) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        log(siblings[0], lead)
    assert not SubjectAccessRequest.objects.exists()


# --- Logging a request through the pages -------------------------------------------------


def test_it_logs_a_request_once_with_clear_messages_for_bad_input(
    siblings: tuple[Child, Child], auditor: User
) -> None:
    client = client_for(auditor)
    assert "Subject access requests" in client.get(reverse("disclosures:list")).content.decode()

    response = client.post(reverse("disclosures:new"), {"family_name": ""})
    page = response.content.decode()
    assert "Enter the person&#x27;s last name" in page
    assert "Select whether the request is about a child or an adult" in page

    search = {"subject_kind": "child", "given_names": "Jamie", "family_name": "Fairweather"}
    response = client.post(reverse("disclosures:new"), search)
    page = response.content.decode()
    assert "Jamie Fairweather" in page
    assert "Morgan" not in page
    token = response.context["form"]["submission_token"].value()

    bad = {**search, "person": f"child:{siblings[0].pk}", "submission_token": token}
    response = client.post(reverse("disclosures:log"), bad)
    assert "Enter the name of the person who made the request" in response.content.decode()
    assert "Enter the date the request was received" in response.content.decode()

    good = {
        **bad,
        "requester_name": "Rowena Fairweather",
        "requester_relationship": "parent",
        "child_consulted": "yes",
        **date_fields("received_on", dt.date(2026, 11, 2)),
    }
    first = client.post(reverse("disclosures:log"), good)
    second = client.post(reverse("disclosures:log"), good)

    sar = SubjectAccessRequest.objects.get()
    assert first["Location"] == second["Location"] == reverse("disclosures:detail", args=[sar.pk])
    assert sar.child == siblings[0]
    detail = client.get(first["Location"]).content.decode()
    assert "2 December 2026" in detail
    assert RecordAccess.objects.filter(
        child=siblings[0], purpose=AccessPurpose.SUBJECT_ACCESS, user=auditor
    ).exists()


def test_it_finds_an_adult_by_name(mother: FamilyMember, auditor: User) -> None:
    response = client_for(auditor).post(
        reverse("disclosures:new"),
        {"subject_kind": "adult", "given_names": "Rowena", "family_name": "fairweather"},
    )
    assert f"adult:{mother.pk}" in response.content.decode()


# --- Finding, flagging, redacting, exporting ---------------------------------------------


def test_everything_about_the_child_is_found_and_a_third_party_is_redacted(
    case: Case,
    siblings: tuple[Child, Child],
    mother: FamilyMember,
    lead: User,
    auditor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    jamie, _morgan = siblings
    add_contribution(case, by=lead, body="Jamie said Morgan shouts at night; mum Rowena agrees.")
    sar = log(jamie, auditor)
    client = client_for(auditor)

    assert client.post(reverse("disclosures:search", args=[sar.pk])).status_code == 302

    kinds = set(sar.items.values_list("kind", flat=True))
    assert {"Child's record", "Family household", "Case", "Chronology", "Contribution"} <= kinds
    assert "Team around the child" in kinds
    # Only the child's own case: the sibling's case is not about them.
    assert set(sar.items.exclude(case=None).values_list("case_id", flat=True)) == {case.pk}
    contribution = sar.items.get(kind="Contribution")
    flags = {r.term: r for r in contribution.redactions.all()}
    assert {"Morgan", "Rowena"} <= set(flags)
    assert all(r.redacted for r in flags.values())
    assert "Jamie" not in flags

    # The officer decides the mother's name may go to her, the requester.
    response = client.post(
        reverse("disclosures:redaction", args=[flags["Rowena"].pk]),
        {"redacted": "no", "reason": "", "version": flags["Rowena"].version},
    )
    assert "Enter why" in response.content.decode()
    client.post(
        reverse("disclosures:redaction", args=[flags["Rowena"].pk]),
        {"redacted": "no", "reason": "The requester's own name", "version": 1},
    )
    assert Redaction.objects.get(pk=flags["Rowena"].pk).redacted is False

    review = client.get(reverse("disclosures:review", args=[sar.pk])).content.decode()
    assert "[Redacted] shouts at night" in review

    # Searching again keeps the decisions and adds nothing twice.
    services.search_for_subject(sar, by=auditor)
    assert Redaction.objects.get(pk=flags["Rowena"].pk).redacted is False
    assert sar.items.filter(kind="Contribution").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("disclosures:export", args=[sar.pk]))
    disclosure = Disclosure.objects.get()
    assert response["Location"] == reverse("disclosures:export_status", args=[disclosure.pk])
    assert disclosure.status == Disclosure.Status.READY

    html, data = package_of(disclosure)
    assert "Jamie said [Redacted] shouts at night; mum Rowena agrees." in html
    assert "Morgan" not in html
    assert "Morgan" not in json.dumps(data)
    assert data["subject"] == "Jamie Fairweather"

    sar.refresh_from_db()
    assert sar.status == SubjectAccessRequest.Status.DISCLOSED
    assert disclosure.summary["redactions"] >= 1
    assert len(disclosure.summary["disclosed"]) == sar.items.count()
    assert disclosure.requested_by == auditor
    codes = list(sar.events.values_list("code", flat=True))
    assert codes[:3] == ["sar.logged", "sar.searched", "sar.unredacted"]
    assert "sar.disclosed" in codes

    status = client.get(response["Location"]).content.decode()
    assert "Package ready" in status
    download = client.get(reverse("disclosures:download", args=[disclosure.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{sar.reference}.zip"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert sar.events.filter(code="sar.downloaded").count() == 1


def test_a_withheld_record_is_left_out_with_its_exemption(
    case: Case,
    siblings: tuple[Child, Child],
    lead: User,
    auditor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    add_contribution(case, by=lead, body="Information from the police, not to be shared.")
    sar = services.search_for_subject(log(siblings[0], auditor), by=auditor)
    item = sar.items.get(kind="Contribution")
    client = client_for(auditor)

    response = client.post(
        reverse("disclosures:withhold", args=[item.pk]), {"withheld": "yes", "version": 1}
    )
    assert "Enter the exemption that applies, and why" in response.content.decode()
    client.post(
        reverse("disclosures:withhold", args=[item.pk]),
        {"withheld": "yes", "reason": "Crime and taxation exemption", "version": 1},
    )

    with django_capture_on_commit_callbacks(execute=True):
        disclosure = services.start_disclosure(sar, by=auditor)
    disclosure.refresh_from_db()
    html, data = package_of(disclosure)
    assert "Information from the police" not in html
    assert data["withheld"] == [{"kind": "Contribution", "reason": "Crime and taxation exemption"}]
    assert DisclosureItem.objects.get(pk=item.pk).withheld


def test_an_adult_gets_their_own_record_and_the_children_are_flagged(
    case: Case, siblings: tuple[Child, Child], mother: FamilyMember, lead: User, auditor: User
) -> None:
    add_contribution(case, by=lead, body="Rowena brought Jamie and Morgan Fairweather along.")
    sar = services.search_for_subject(log(mother, auditor, requester_name="Rowena"), by=auditor)

    own = sar.items.get(kind="Family member's record")
    assert own.title == "Rowena Fairweather"
    terms = set(Redaction.objects.filter(item__request=sar).values_list("term", flat=True))
    assert {"Jamie", "Morgan Fairweather"} <= terms
    # Both of the family's cases are searched for a parent.
    assert sar.items.filter(kind="Case").count() == 2


def test_export_needs_a_search_first(siblings: tuple[Child, Child], auditor: User) -> None:
    sar = log(siblings[0], auditor)
    response = client_for(auditor).post(reverse("disclosures:export", args=[sar.pk]))
    assert "Search for what is held" in response.content.decode()
    assert not Disclosure.objects.exists()
