"""The record classes with schedules of their own besides cases and children: subject
access requests, import files, the document download log and leavers' accounts. Each is
kept just inside its schedule and goes just past it, exactly as the page says; listing
twice lists nothing twice; what a legal hold protects stays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pghistory
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from agencies.models import User
from agencies.services import deactivate_user
from cases.models import Case, CaseEvent, Child
from disclosures import services as disclosures
from disclosures.models import (
    Disclosure,
    DisclosureItem,
    Redaction,
    RequestEvent,
    SubjectAccessRequest,
)
from documents.models import DocumentDownload
from imports import services as imports
from imports.models import ImportBatch, ImportedRecord
from retention import services, tasks
from retention.classes import MSG_IMPORT_FILE_DELETED, record_classes
from retention.models import DisposalItem
from retention.parts import REMOVED
from tests.documents.stored import store_document
from tests.imports.caseload import good_file, mixed_file

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC)


def _on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(_at(day))


def _due(record_class: str, day: dt.date) -> list[DisposalItem]:
    """List what is due on ``day``; the due items of ``record_class``."""
    with _on(day):
        services.list_due_records()
    return list(DisposalItem.objects.due().filter(record_class=record_class))


def _confirm(item: DisposalItem, by: User, day: dt.date) -> DisposalItem:
    with _on(day):
        return services.confirm_disposal(item, by=by, version=item.version)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_every_class_and_its_schedule(auditor_client: Client) -> None:
    page = auditor_client.get(reverse("retention:index")).content.decode()
    codes = {record_class.code for record_class in record_classes()}
    assert {"subject_access", "import_content", "document_downloads", "leaver_account"} <= codes
    for record_class in record_classes():
        assert escape(record_class.label) in page
    assert "1 year after the request&#x27;s last step" in page
    assert "30 days after the import finished" in page
    assert "2 years after the account was deactivated" in page


# --- Subject access requests -------------------------------------------------------------

ANSWERED = dt.date(2026, 11, 2)


@pytest.fixture
def answered(case: Case, auditor: User) -> SubjectAccessRequest:
    """A request about the case's child, searched and answered with a package."""
    with _on(ANSWERED):
        sar = disclosures.log_subject_access_request(
            case.children.get(),
            by=auditor,
            requester_name="Robin Requester",
            requester_relationship=SubjectAccessRequest.RequesterRelationship.PARENT,
            received_on=ANSWERED,
        )
        disclosures.search_for_subject(sar, by=auditor)
        disclosure = disclosures.start_disclosure(sar, by=auditor)
        disclosures.build_disclosure_package(Disclosure.objects.get(pk=disclosure.pk))
    sar.refresh_from_db()
    assert sar.status == SubjectAccessRequest.Status.DISCLOSED
    assert sar.items.exists()
    return sar


def test_a_subject_access_request_keeps_its_copies_a_year_then_only_its_outline(
    answered: SubjectAccessRequest, case: Case, auditor: User
) -> None:
    steps = list(RequestEvent.objects.filter(request=answered).values_list("code", flat=True))
    assert _due("subject_access", dt.date(2027, 11, 1)) == []
    (item,) = _due("subject_access", dt.date(2027, 11, 2))
    assert (item.record_key, item.label) == (
        str(answered.pk),
        f"Subject access request {answered.pk}",
    )
    assert item.event_on == ANSWERED

    # The request's records came from the case: a hold on it keeps the request.
    (hold,) = services.place_legal_hold(case, by=auditor, reason="Complaint to the ICO")
    with pytest.raises(ValidationError, match="legal hold"):
        _confirm(item, auditor, dt.date(2027, 11, 2))
    services.lift_legal_hold(hold, by=auditor, reason="Closed", version=hold.version)
    done = _confirm(item, auditor, dt.date(2027, 11, 2))

    assert done.status == DisposalItem.Status.DISPOSED
    assert not DisclosureItem.objects.filter(request=answered).exists()
    assert not Redaction.objects.filter(item__request=answered).exists()
    disclosure = Disclosure.objects.get(request=answered)
    assert (disclosure.package, disclosure.sha256) == (None, "")
    assert "disclosed" not in disclosure.summary
    assert "redactions" in disclosure.summary  # the counts stay
    answered.refresh_from_db()
    assert answered.requester_name == REMOVED
    assert (answered.status, answered.received_on) == (
        SubjectAccessRequest.Status.DISCLOSED,
        ANSWERED,
    )
    assert list(RequestEvent.objects.filter(request=answered).values_list("code", flat=True)) == (
        steps
    )
    # The request's page still opens, and there is no package to download.
    client = _signed_in(auditor)
    page = client.get(reverse("disclosures:detail", args=[answered.pk]))
    assert page.status_code == 200
    assert "Robin Requester" not in page.content.decode()
    download = client.get(reverse("disclosures:download", args=[disclosure.pk]))
    assert download.status_code == 404


def test_listing_twice_and_after_disposal_lists_nothing_again(
    answered: SubjectAccessRequest, auditor: User
) -> None:
    with _on(dt.date(2027, 11, 2)):
        assert tasks.list_due_records() == 1
        assert tasks.list_due_records() == 0
    (item,) = DisposalItem.objects.due()
    _confirm(item, auditor, dt.date(2027, 11, 2))
    with _on(dt.date(2028, 11, 2)):
        assert tasks.list_due_records() == 0
    assert DisposalItem.objects.filter(record_class="subject_access").count() == 1


# --- Import files ------------------------------------------------------------------------

IMPORTED = dt.date(2026, 3, 2)


def test_an_import_file_goes_30_days_after_the_import_and_its_counts_stay(
    lead: User,
    member: User,
    make_child: Callable[..., Child],
    admin_user: User,
    auditor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_child()  # the file's duplicate of a child already in the portal
    with _on(IMPORTED):
        with django_capture_on_commit_callbacks(execute=True):
            done = imports.upload_file(
                SimpleUploadedFile("caseload.xlsx", good_file()), by=admin_user
            )
        with django_capture_on_commit_callbacks(execute=True):
            imports.confirm_import(ImportBatch.objects.get(pk=done.pk), by=admin_user)
        with django_capture_on_commit_callbacks(execute=True):
            # A dry run nobody imported: its file goes 30 days after it was checked.
            unused = imports.upload_file(
                SimpleUploadedFile("mixed.xlsx", mixed_file()), by=admin_user
            )
    done.refresh_from_db()
    assert done.status == ImportBatch.Status.DONE
    report, created = done.report, done.created
    records = ImportedRecord.objects.filter(batch=done).count()
    assert bytes(done.content)
    assert report["rows"]

    assert _due("import_content", dt.date(2026, 3, 31)) == []
    items = _due("import_content", dt.date(2026, 4, 1))
    assert {item.record_key for item in items} == {str(done.pk), str(unused.pk)}
    assert {item.schedule_event for item in items} == {
        "30 days after the import finished (or the file was checked, if it was never imported)"
    }
    for item in items:
        _confirm(item, auditor, dt.date(2026, 4, 1))

    done.refresh_from_db()
    assert bytes(done.content) == b""
    assert "rows" not in done.report
    assert done.report["counts"] == report["counts"]
    assert done.report["to_create"] == report["to_create"]
    assert (done.created, done.status, done.file_name) == (created, "done", "caseload.xlsx")
    assert ImportedRecord.objects.filter(batch=done).count() == records
    unused.refresh_from_db()
    assert bytes(unused.content) == b""
    assert (unused.status, unused.failure) == (ImportBatch.Status.FAILED, MSG_IMPORT_FILE_DELETED)
    client = _signed_in(admin_user)
    assert client.get(reverse("imports:detail", args=[done.pk])).status_code == 200
    assert _due("import_content", dt.date(2026, 5, 1)) == []


# --- The document download log -------------------------------------------------------------


def test_the_download_log_goes_by_month_after_six_years_except_what_a_hold_keeps(
    make_case: Callable[..., Case], lead: User, auditor: User
) -> None:
    kept, gone = make_case(), make_case()
    versions = {case.pk: store_document(case, by=lead).versions.get() for case in (kept, gone)}
    for case in (kept, gone):
        with _on(dt.date(2026, 3, 10)):
            DocumentDownload.objects.create(version=versions[case.pk], user=lead)
    with _on(dt.date(2026, 4, 10)):
        DocumentDownload.objects.create(version=versions[gone.pk], user=lead)
    services.place_legal_hold(kept, by=auditor, reason="Claim against the council")

    assert _due("document_downloads", dt.date(2032, 3, 31)) == []
    (item,) = _due("document_downloads", dt.date(2032, 4, 1))
    assert (item.record_key, item.label) == ("2026-03", "Document download log, March 2026")
    done = _confirm(item, auditor, dt.date(2032, 4, 1))
    assert done.rows_disposed == 1
    assert DocumentDownload.objects.filter(version=versions[kept.pk]).count() == 1  # held
    assert DocumentDownload.objects.filter(version=versions[gone.pk]).count() == 1  # April's


# --- Leavers' accounts ---------------------------------------------------------------------

LEFT = dt.date(2026, 1, 12)


def _leaver(name: str, email: str, team_of: User) -> User:
    return User.objects.create_user(
        email,
        full_name=name,
        job_title="Family support worker",
        agency=team_of.agency,
        team=team_of.team,
        phone="07700 900456",
    )


def _personal(*people: User) -> list[tuple[str, str, str]]:
    return [
        (p.full_name, p.email, p.phone)
        for p in User.objects.filter(pk__in=[p.pk for p in people]).order_by("pk")
    ]


def test_a_leaver_is_anonymised_two_years_on_and_their_history_still_reads(
    case: Case, lead: User, member: User, admin_user: User, auditor: User
) -> None:
    leaver = _leaver("Fern Former", "fern.former@northgate.example", lead)
    returner = _leaver("Rafe Returner", "rafe.returner@northgate.example", lead)
    with pghistory.context(user=leaver.pk, url=f"/cases/{case.pk}/"):
        Case.objects.filter(pk=case.pk).update(next_review_due=dt.date(2026, 2, 1))
    CaseEvent.objects.create(
        case=case, code="plan.updated", actor=leaver, at=_at(LEFT), summary="Plan updated"
    )
    before = _personal(returner, member, lead)
    with _on(LEFT):
        for person in (leaver, returner, member):  # Sam is still on the case's team
            deactivate_user(person, by=admin_user)
    leaver.refresh_from_db()
    assert leaver.deactivated_at == _at(LEFT)

    assert _due("leaver_account", dt.date(2028, 1, 11)) == []
    with _on(dt.date(2028, 1, 12)):
        assert tasks.list_due_records() == 2
        assert tasks.list_due_records() == 0
    items = {
        i.record_key: i for i in DisposalItem.objects.due().filter(record_class="leaver_account")
    }
    assert set(items) == {str(leaver.pk), str(returner.pk)}  # not Sam, nor anyone active

    with _on(dt.date(2028, 1, 12)):
        review = _signed_in(auditor).get(reverse("retention:item", args=[items[str(leaver.pk)].pk]))
    assert "2 years after the account was deactivated" in review.content.decode()
    assert "Fern Former" not in review.content.decode()

    returner.is_active = True  # back before the disposal was confirmed
    returner.save()
    withdrawn = _confirm(items[str(returner.pk)], auditor, dt.date(2028, 1, 12))
    assert withdrawn.status == DisposalItem.Status.WITHDRAWN
    done = _confirm(items[str(leaver.pk)], auditor, dt.date(2028, 1, 12))
    assert (done.status, done.rows_disposed) == (DisposalItem.Status.DISPOSED, 1)

    leaver.refresh_from_db()
    assert leaver.full_name == f"Former professional {leaver.pk}"
    assert leaver.email == f"former-professional-{leaver.pk}@account.invalid"
    assert leaver.phone == ""
    assert not leaver.has_usable_password()
    assert (leaver.role, leaver.agency, leaver.team, leaver.job_title) == (
        User.Role.PRACTITIONER,
        lead.agency,
        lead.team,
        "Family support worker",
    )
    assert _personal(returner, member, lead) == before

    register = _signed_in(auditor).get(reverse("retention:register")).content.decode()
    assert f"Account {leaver.pk}" in register
    assert "Fern Former" not in register
    history = _signed_in(auditor).get(reverse("cases:history", args=[case.pk]))
    assert history.status_code == 200
    assert f"Former professional {leaver.pk}" in history.content.decode()
    assert "Fern Former" not in history.content.decode()
    chronology = _signed_in(lead).get(reverse("cases:chronology", args=[case.pk]))
    assert chronology.status_code == 200
    assert "Fern Former" not in chronology.content.decode()
    with _on(dt.date(2029, 1, 12)):
        assert tasks.list_due_records() == 0
