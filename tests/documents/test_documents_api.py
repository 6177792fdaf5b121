"""The partner API's documents: the same policy, the same scanner, the same logging."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from agencies.models import ApiScope, User
from cases.models import AccessPurpose, Case, RecordAccess
from documents.models import Document, DocumentDownload, DocumentVersion
from documents.services import DocumentDetails, add_document
from tests import clamav
from tests.api.conftest import Partner, client_with_token
from tests.documents.conftest import PDF_BYTES, body

pytestmark = pytest.mark.django_db


def _document(case: Case, by: User, *, visibility: str = Document.Visibility.TEAM) -> Document:
    version = add_document(
        case,
        details=DocumentDetails(title="School report", kind="report", visibility=visibility),
        file=io.BytesIO(PDF_BYTES),
        by=by,
    )
    return version.document


def _upload(api: Client, case: Case, content: bytes, **headers: str) -> Any:
    return api.post(
        f"/api/v1/cases/{case.pk}/documents/",
        {
            "title": "Attendance letter",
            "kind": "letter",
            "visibility": "team",
            "file": io.BytesIO(content),
        },
        headers=headers,
    )


def test_it_lists_and_streams_the_documents_of_a_case_shared_with_the_agency(
    school_api: Client,
    share: Callable[..., object],
    case: Case,
    lead: User,
    school_partner: Partner,
) -> None:
    share("additional")
    document = _document(case, lead)
    _document(case, lead, visibility=Document.Visibility.RESTRICTED)

    listing = school_api.get(f"/api/v1/cases/{case.pk}/documents/")

    assert listing.status_code == 200
    results = listing.json()["results"]
    assert [d["id"] for d in results] == [document.pk]
    assert results[0]["status"] == "available"
    file = school_api.get(results[0]["file_url"])
    assert file.status_code == 200
    assert body(file) == PDF_BYTES
    assert file["Content-Disposition"].startswith("attachment;")
    assert file["X-Content-Type-Options"] == "nosniff"
    client_id = school_partner.client_id
    assert DocumentDownload.objects.filter(client_id=client_id).count() == 1
    assert RecordAccess.objects.filter(
        client_id=client_id, purpose=AccessPurpose.DOCUMENT, case=case
    ).exists()


def test_it_shows_no_documents_without_additional_information_shared(
    school_api: Client, case: Case, lead: User
) -> None:
    document = _document(case, lead)

    assert school_api.get(f"/api/v1/cases/{case.pk}/documents/").json()["results"] == []
    assert school_api.get(f"/api/v1/documents/{document.pk}/file/").status_code == 404


def test_it_returns_404_to_an_agency_with_no_relationship(
    police_api: Client, case: Case, lead: User
) -> None:
    document = _document(case, lead)

    assert police_api.get(f"/api/v1/cases/{case.pk}/documents/").status_code == 404
    response = police_api.get(f"/api/v1/documents/{document.pk}/file/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert _upload(police_api, case, PDF_BYTES).status_code == 404
    assert not DocumentDownload.objects.exists()


def test_a_partner_upload_is_scanned_and_a_retry_adds_nothing(
    school_api: Client, share: Callable[..., object], case: Case
) -> None:
    share("additional")

    first = _upload(school_api, case, clamav.EICAR, **{"Idempotency-Key": "upload-1"})
    again = _upload(school_api, case, clamav.EICAR, **{"Idempotency-Key": "upload-1"})

    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["status"] == "quarantined"
    assert clamav.SIGNATURE_NAME in body["scan_detail"]
    assert body["file_url"] is None
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Document.objects.filter(case=case).count() == 1
    version = DocumentVersion.objects.get(document__case=case)
    assert version.scan_status == DocumentVersion.ScanStatus.INFECTED
    assert version.uploaded_by_client


def test_a_partner_upload_of_a_disallowed_type_is_a_problem_with_field_errors(
    school_api: Client, case: Case
) -> None:
    response = _upload(school_api, case, b"MZ\x90\x00" + b"\x00" * 64)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "file" in str(response.json())
    assert not Document.objects.exists()


def test_a_partner_upload_needs_the_documents_write_scope(
    make_partner: Callable[..., Partner],
    school_agency: object,
    case: Case,
) -> None:
    reader = client_with_token(
        make_partner(school_agency, scopes=[ApiScope.CASES_READ, ApiScope.REFERENCE_READ])
    )

    assert _upload(reader, case, PDF_BYTES).status_code == 403
    assert not Document.objects.exists()
