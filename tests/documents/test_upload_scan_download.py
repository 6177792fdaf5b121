"""Adding, scanning, opening, replacing and deleting a case's documents in the portal,
with the real ClamAV daemon (tests/clamav.py)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from agencies.models import User
from cases.models import AccessPurpose, BreakGlassGrant, Case, CaseEvent, RecordAccess
from documents.models import Document, DocumentDownload, DocumentVersion
from documents.services import DocumentDetails, add_document
from meetings.models import Action
from tests import clamav
from tests.documents.conftest import EXECUTABLE_BYTES, PDF_BYTES, body, docx_bytes

pytestmark = pytest.mark.django_db


def _post(
    client: Client,
    case: Case,
    content: bytes,
    *,
    name: str = "consent.pdf",
    title: str = "Signed consent form",
    **extra: Any,
) -> Any:
    data = {
        "title": title,
        "kind": Document.Kind.CONSENT_FORM,
        "visibility": Document.Visibility.TEAM,
        "attached_to": "",
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        **extra,
    }
    return client.post(f"/documents/case/{case.pk}/add/", data)


def test_it_adds_a_scanned_document_and_streams_it_as_an_attachment(
    member_client: Client, case: Case, member: User
) -> None:
    response = _post(member_client, case, PDF_BYTES)

    document = Document.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/"
    version = document.versions.get()
    assert version.scan_status == DocumentVersion.ScanStatus.CLEAN
    assert version.content_type == "application/pdf"
    assert document.added_by == member
    assert CaseEvent.objects.filter(case=case, code="document.added").exists()

    download = member_client.get(f"/documents/{document.pk}/download/")

    assert download.status_code == 200
    assert body(download) == PDF_BYTES
    assert str(download["Content-Disposition"]).startswith("attachment;")
    assert 'filename="Signed consent form.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store"
    assert "sandbox" in download["Content-Security-Policy"]


def test_it_logs_every_download(member_client: Client, case: Case, member: User) -> None:
    _post(member_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)
    member_client.get(f"/documents/{document.pk}/download/")
    member_client.get(f"/documents/{document.pk}/download/")

    assert DocumentDownload.objects.filter(version__document=document, user=member).count() == 2
    logged = RecordAccess.objects.filter(
        purpose=AccessPurpose.DOCUMENT, user=member, case=case, route="documents:download"
    )
    assert logged.count() == 2 * case.subjects.count()


def test_it_quarantines_the_eicar_file_and_tells_the_uploader_why(
    member_client: Client, case: Case
) -> None:
    response = _post(member_client, case, clamav.EICAR, name="report.txt", title="School report")

    document = Document.objects.get(case=case)
    version = document.versions.get()
    assert version.scan_status == DocumentVersion.ScanStatus.INFECTED
    assert clamav.SIGNATURE_NAME in version.scan_detail
    assert str(version.file.name).startswith("quarantine/")
    page = member_client.get(response["Location"])
    text = page.content.decode()
    assert "quarantined" in text
    assert clamav.SIGNATURE_NAME in text
    assert CaseEvent.objects.filter(case=case, code="document.quarantined").exists()
    # Nobody can open it, not even whoever added it.
    assert member_client.get(f"/documents/{document.pk}/download/").status_code == 404
    assert member_client.get(f"/documents/{document.pk}/versions/1/download/").status_code == 404
    assert not DocumentDownload.objects.exists()


def test_it_quarantines_a_file_when_the_scanner_cannot_be_reached(
    member_client: Client, case: Case, settings: Any, tmp_path: Any
) -> None:
    settings.TAC_CLAMD_ADDRESS = f"unix://{tmp_path}/nobody-listens.sock"

    response = _post(member_client, case, PDF_BYTES)

    version = DocumentVersion.objects.get(document__case=case)
    assert version.scan_status == DocumentVersion.ScanStatus.FAILED
    assert "could not be reached" in version.scan_detail
    page = member_client.get(response["Location"], follow=True)
    assert "could not be reached" in page.content.decode()
    assert member_client.get(f"/documents/{version.document_id}/download/").status_code == 404


def test_it_refuses_an_oversized_file_with_a_field_error(
    member_client: Client, case: Case, settings: Any
) -> None:
    settings.TAC_DOCUMENT_MAX_BYTES = 1024

    response = _post(member_client, case, PDF_BYTES + b"0" * 2000)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["file"] == ["The file must be smaller than 1.0\xa0KB"]
    assert not Document.objects.exists()


def test_it_refuses_a_body_far_too_large_before_reading_it(
    member_client: Client, case: Case, settings: Any
) -> None:
    settings.TAC_DOCUMENT_MAX_BYTES = 1024

    response = _post(member_client, case, PDF_BYTES + b"0" * 200_000)

    assert response.status_code == 413
    assert "must be smaller than" in response.content.decode()
    assert not Document.objects.exists()


def test_it_refuses_a_type_not_on_the_allow_list_whatever_its_name(
    member_client: Client, case: Case
) -> None:
    response = _post(member_client, case, EXECUTABLE_BYTES, name="letter.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file must be a PDF, Word (.docx), Excel (.xlsx), OpenDocument text (.odt), "
        "PNG, JPEG or plain text"
    ]
    assert not Document.objects.exists()


def test_it_keeps_the_type_its_content_shows_not_its_name(
    member_client: Client, case: Case
) -> None:
    _post(member_client, case, docx_bytes(), name="plan.pdf", title="Family plan")

    version = DocumentVersion.objects.get(document__case=case)
    assert version.file_type == "docx"
    download = member_client.get(f"/documents/{version.document_id}/download/")
    assert 'filename="Family plan.docx"' in download["Content-Disposition"]


def test_it_returns_404_to_a_non_member_for_every_page_and_the_file(
    member_client: Client, outsider_client: Client, case: Case
) -> None:
    _post(member_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)

    for url in (
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/download/",
        f"/documents/{document.pk}/versions/1/download/",
        f"/documents/{document.pk}/replace/",
        f"/documents/{document.pk}/delete/",
        f"/documents/case/{case.pk}/",
        f"/documents/case/{case.pk}/add/",
    ):
        assert outsider_client.get(url).status_code == 404, url
    assert _post(outsider_client, case, PDF_BYTES).status_code == 404
    assert Document.objects.count() == 1


def test_it_asks_anonymous_visitors_to_sign_in(member_client: Client, case: Case) -> None:
    _post(member_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)

    response = Client().get(f"/documents/{document.pk}/download/")

    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_it_opens_a_restricted_document_only_for_those_named(
    lead_client: Client, member_client: Client, manager_client: Client, case: Case, member: User
) -> None:
    _post(
        lead_client,
        case,
        PDF_BYTES,
        title="Letter naming an informant",
        visibility=Document.Visibility.RESTRICTED,
    )
    document = Document.objects.get(case=case)
    url = f"/documents/{document.pk}/download/"

    assert member_client.get(url).status_code == 403
    listing = member_client.get(f"/documents/case/{case.pk}/").content.decode()
    assert "Letter naming an informant" not in listing
    assert "Restricted document" in listing
    assert lead_client.get(url).status_code == 200

    document.named_users.add(member)
    assert member_client.get(url).status_code == 200
    # Someone who sees the case but is not named, the lead's manager, still cannot.
    assert manager_client.get(url).status_code == 403


def test_it_keeps_every_version_when_a_document_is_replaced(
    member_client: Client, case: Case
) -> None:
    _post(member_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)
    page = member_client.get(f"/documents/{document.pk}/replace/")
    token = page.context["form"]["submission_token"].value()

    new = b"Second version of the plan, as plain text.\n"
    response = member_client.post(
        f"/documents/{document.pk}/replace/",
        {"submission_token": token, "file": SimpleUploadedFile("v2.txt", new)},
    )

    assert response.status_code == 302
    assert list(document.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    latest = member_client.get(f"/documents/{document.pk}/download/")
    assert body(latest) == new
    first = member_client.get(f"/documents/{document.pk}/versions/1/download/")
    assert body(first) == PDF_BYTES
    assert CaseEvent.objects.filter(case=case, code="document.replaced").exists()


def test_a_quarantined_replacement_leaves_the_earlier_version_in_place(
    member_client: Client, case: Case
) -> None:
    _post(member_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)

    member_client.post(
        f"/documents/{document.pk}/replace/",
        {"file": SimpleUploadedFile("v2.txt", clamav.EICAR)},
    )

    assert document.versions.get(number=2).scan_status == DocumentVersion.ScanStatus.INFECTED
    current = member_client.get(f"/documents/{document.pk}/download/")
    assert body(current) == PDF_BYTES


def test_it_deletes_a_document_softly_with_the_reason_in_the_history(
    member_client: Client, lead_client: Client, case: Case, member: User
) -> None:
    _post(member_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)

    refused = member_client.post(f"/documents/{document.pk}/delete/", {"reason": ""})
    assert refused.context["form"].errors["reason"] == ["Say why the document is being deleted"]

    response = member_client.post(
        f"/documents/{document.pk}/delete/", {"reason": "Added to the wrong case"}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.deleted_by == member
    assert document.deletion_reason == "Added to the wrong case"
    assert document.versions.count() == 1  # the file is kept, out of sight
    event = CaseEvent.objects.get(case=case, code="document.deleted")
    assert "Added to the wrong case" in event.summary
    history = document.history  # type: ignore[attr-defined]
    assert history.filter(pgh_label="update", deletion_reason="Added to the wrong case").exists()
    assert member_client.get(f"/documents/{document.pk}/download/").status_code == 404
    assert (
        "Signed consent form"
        not in member_client.get(f"/documents/case/{case.pk}/").content.decode()
    )
    # The case page's chronology shows the deletion and its reason.
    assert "Added to the wrong case" in lead_client.get(f"/cases/{case.pk}/").content.decode()


def test_only_the_uploader_or_those_who_run_the_case_replace_or_delete(
    lead_client: Client, member_client: Client, case: Case
) -> None:
    _post(lead_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)

    assert member_client.get(f"/documents/{document.pk}/delete/").status_code == 403
    assert member_client.get(f"/documents/{document.pk}/replace/").status_code == 403
    assert member_client.get(f"/documents/{document.pk}/download/").status_code == 200


def test_sending_the_form_twice_adds_one_document(member_client: Client, case: Case) -> None:
    page = member_client.get(f"/documents/case/{case.pk}/add/")
    token = page.context["form"]["submission_token"].value()

    first = _post(member_client, case, PDF_BYTES, submission_token=token)
    second = _post(member_client, case, PDF_BYTES, submission_token=token)

    assert Document.objects.filter(case=case).count() == 1
    assert second["Location"] == first["Location"]


def test_the_case_page_lists_the_documents_and_links_to_adding_one(
    member_client: Client, case: Case
) -> None:
    _post(member_client, case, PDF_BYTES)

    page = member_client.get(f"/cases/{case.pk}/").content.decode()

    assert "Signed consent form" in page
    assert f"/documents/case/{case.pk}/add/" in page


def _action(case: Case, by: User) -> Action:
    return Action.objects.create(
        case=case,
        description="Poppy's school to send the attendance report",
        owner_professional=by,
        owner_agency=by.agency,
        due_on=dt.date(2026, 12, 1),
        created_by=by,
    )


def test_it_attaches_a_document_to_an_action_of_the_case(
    member_client: Client, case: Case, member: User
) -> None:
    action = _action(case, member)
    page = member_client.get(f"/documents/case/{case.pk}/add/")
    assert f"action:{action.pk}" in page.content.decode()

    _post(member_client, case, PDF_BYTES, attached_to=f"action:{action.pk}")

    document = Document.objects.get(case=case)
    assert document.action == action
    shown = member_client.get(f"/documents/{document.pk}/").content.decode()
    assert "Action: Poppy" in shown


def test_it_refuses_a_record_of_another_case(
    case: Case, member: User, make_case: Callable[..., Case], lead: User
) -> None:
    other = _action(make_case(), lead)

    with pytest.raises(ValidationError) as refused:
        add_document(
            case,
            details=DocumentDetails(
                title="Report", kind="report", visibility="team", action_id=other.pk
            ),
            file=io.BytesIO(PDF_BYTES),
            by=member,
        )

    assert refused.value.message_dict == {"action": ["That record is not part of this case"]}
    assert not Document.objects.exists()


def test_emergency_access_opens_team_documents_but_never_a_restricted_one(
    lead_client: Client, outsider_client: Client, case: Case, outsider: User
) -> None:
    _post(lead_client, case, PDF_BYTES, title="Team letter")
    _post(
        lead_client,
        case,
        PDF_BYTES,
        title="Informant's statement",
        visibility=Document.Visibility.RESTRICTED,
    )
    team = Document.objects.get(title="Team letter")
    restricted = Document.objects.get(title="Informant's statement")
    now = timezone.now()
    BreakGlassGrant.objects.create(
        user=outsider,
        case=case,
        reason_code=BreakGlassGrant.ReasonCode.SAFEGUARDING_CONCERN,
        justification="Police called to the family home tonight",
        granted_at=now,
        expires_at=now + dt.timedelta(hours=4),
    )

    assert outsider_client.get(f"/documents/{team.pk}/download/").status_code == 200
    assert outsider_client.get(f"/documents/{restricted.pk}/download/").status_code == 403
    # Emergency access only reads: it adds nothing.
    assert outsider_client.get(f"/documents/case/{case.pk}/add/").status_code == 403


def test_a_file_that_could_not_be_scanned_is_scanned_again_when_the_scanner_is_back(
    member_client: Client, case: Case, settings: Any, tmp_path: Any, clamd: clamav.Daemon
) -> None:
    settings.TAC_CLAMD_ADDRESS = f"unix://{tmp_path}/nobody-listens.sock"
    _post(member_client, case, PDF_BYTES)
    document = Document.objects.get(case=case)
    assert member_client.get(f"/documents/{document.pk}/download/").status_code == 404
    assert (
        "Scan version 1 again" in member_client.get(f"/documents/{document.pk}/").content.decode()
    )

    settings.TAC_CLAMD_ADDRESS = clamd.address
    response = member_client.post(f"/documents/{document.pk}/versions/1/scan/")

    assert response.status_code == 302
    version = document.versions.get()
    assert version.scan_status == DocumentVersion.ScanStatus.CLEAN
    assert str(version.file.name).startswith("available/")
    assert body(member_client.get(f"/documents/{document.pk}/download/")) == PDF_BYTES
    assert CaseEvent.objects.filter(case=case, code="document.scanned_again").exists()


def test_a_file_with_a_virus_is_never_scanned_again(member_client: Client, case: Case) -> None:
    _post(member_client, case, clamav.EICAR, name="report.txt")
    document = Document.objects.get(case=case)

    member_client.post(f"/documents/{document.pk}/versions/1/scan/")

    assert document.versions.get().scan_status == DocumentVersion.ScanStatus.INFECTED
    assert member_client.get(f"/documents/{document.pk}/download/").status_code == 404


def test_the_change_history_shows_a_deletion_and_masks_a_restricted_title(
    member_client: Client, lead_client: Client, manager_client: Client, case: Case
) -> None:
    _post(member_client, case, PDF_BYTES, title="Team letter")
    _post(
        member_client,
        case,
        PDF_BYTES,
        title="Informant's statement",
        visibility=Document.Visibility.RESTRICTED,
    )
    team = Document.objects.get(title="Team letter")
    member_client.post(f"/documents/{team.pk}/delete/", {"reason": "Added to the wrong case"})

    history = manager_client.get(f"/cases/{case.pk}/history/").content.decode()

    assert "Added to the wrong case" in history
    assert "Team letter" in history
    assert "Informant&#x27;s statement" not in history
    assert "Informant's statement" not in history


def test_a_file_of_several_megabytes_is_scanned_and_kept_whole(
    member_client: Client, case: Case
) -> None:
    # Larger than Django keeps in memory: the upload arrives as a temporary file.
    large = PDF_BYTES + b"%" + b"0" * (3 * 1024 * 1024)

    _post(member_client, case, large, title="Health visitor's report")

    version = DocumentVersion.objects.get(document__case=case)
    assert version.scan_status == DocumentVersion.ScanStatus.CLEAN
    assert version.size == len(large)
    assert body(member_client.get(f"/documents/{version.document_id}/download/")) == large
