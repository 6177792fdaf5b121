"""Documents in a subject access request: found with their versions' metadata, their
files copied into the package, and left out (with the package saying so) when the
record is withheld, redacted or restricted, or the file was quarantined."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse

from agencies.models import User
from cases.models import Case
from disclosures import services
from disclosures.models import Disclosure, DisclosureItem, Redaction, SubjectAccessRequest
from documents.disclosure import QUARANTINED_NOTE, RESTRICTED_NOTE
from documents.models import Document, DocumentVersion
from tests.documents.stored import PDF_BYTES, store_document, store_version
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

SECOND_PDF = PDF_BYTES.replace(b"1.4", b"1.7")


@pytest.fixture
def sar(case: Case, auditor: User) -> SubjectAccessRequest:
    return services.log_subject_access_request(
        case.children.get(),
        by=auditor,
        requester_name="Robin Requester",
        requester_relationship=SubjectAccessRequest.RequesterRelationship.PARENT,
        received_on=dt.date(2026, 11, 2),
    )


def _export(sar: SubjectAccessRequest, auditor: User) -> tuple[Disclosure, zipfile.ZipFile]:
    disclosure = services.start_disclosure(sar, by=auditor)
    disclosure = services.build_disclosure_package(Disclosure.objects.get(pk=disclosure.pk))
    return disclosure, zipfile.ZipFile(io.BytesIO(bytes(disclosure.package or b"")))


def _item(sar: SubjectAccessRequest, document: Document) -> DisclosureItem:
    return sar.items.get(key=f"documents.document:{document.pk}")


def test_a_document_is_found_with_its_versions_and_its_files_are_in_the_package(
    case: Case, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    document = store_document(case, by=lead)
    store_version(document, SECOND_PDF, by=lead, name="letter-signed.pdf")
    store_version(document, b"X5O!P%@AP", by=lead, status=DocumentVersion.ScanStatus.INFECTED)

    services.search_for_subject(sar, by=auditor)

    item = _item(sar, document)
    assert (item.kind, item.title, item.case_id) == ("Document", document.title, case.pk)
    fields = dict(item.fields)
    assert fields["Kind"] == "Letter"
    assert fields["Visibility"] == "The whole team around the child"
    assert fields["Version 1: file name"] == "letter.pdf"
    assert fields["Version 2: file name"] == "letter-signed.pdf"
    assert fields["Version 2: uploaded by"] == str(lead)
    assert fields["Version 1: virus scan"] == "Scanned: no virus found"
    assert fields["Version 3: virus scan"].startswith("Quarantined: a virus was found")
    assert fields["Version 3: file"] == QUARANTINED_NOTE
    assert [f["name"] for f in item.files] == [
        f"document-{document.pk}-version-1.pdf",
        f"document-{document.pk}-version-2.pdf",
    ]

    officer = client_for(auditor)
    review = officer.get(reverse("disclosures:review", args=[sar.pk])).content.decode()
    assert "2 files held with this record" in review

    disclosure, package = _export(sar, auditor)

    status = officer.get(reverse("disclosures:export_status", args=[disclosure.pk]))
    assert "Document files in the package" in status.content.decode()
    names = package.namelist()
    assert package.read(f"documents/document-{document.pk}-version-1.pdf") == PDF_BYTES
    assert package.read(f"documents/document-{document.pk}-version-2.pdf") == SECOND_PDF
    assert f"documents/document-{document.pk}-version-3.pdf" not in names  # quarantined
    data = json.loads(package.read(f"{sar.reference}.json"))
    record = next(r for r in data["records"] if r["kind"] == "Document")
    assert [f["file"] for f in record["files"]] == [
        f"documents/document-{document.pk}-version-1.pdf",
        f"documents/document-{document.pk}-version-2.pdf",
    ]
    html = package.read(f"{sar.reference}.html").decode()
    assert f'href="documents/document-{document.pk}-version-1.pdf"' in html
    assert disclosure.summary["files"] == 2
    assert sar.events.get(code="sar.disclosed").data["files"] == 2


def test_a_withheld_document_s_file_is_left_out_and_the_package_says_so(
    case: Case, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    kept = store_document(case, by=lead, title="School report")
    withheld = store_document(case, by=lead, title="Police letter", data=SECOND_PDF)
    services.search_for_subject(sar, by=auditor)
    item = _item(sar, withheld)
    services.withhold_item(
        item, by=auditor, withheld=True, reason="Crime and taxation exemption", version=item.version
    )

    disclosure, package = _export(sar, auditor)

    names = package.namelist()
    assert f"documents/document-{kept.pk}-version-1.pdf" in names
    assert not any(name.startswith(f"documents/document-{withheld.pk}-") for name in names)
    assert SECOND_PDF not in [package.read(name) for name in names]
    html = package.read(f"{sar.reference}.html").decode()
    assert "1 file belonging to it was left out" in html
    data = json.loads(package.read(f"{sar.reference}.json"))
    assert data["withheld"] == [
        {"kind": "Document", "reason": "Crime and taxation exemption", "files_left_out": 1}
    ]
    assert disclosure.summary["files"] == 1


def test_a_restricted_document_is_flagged_and_its_file_left_out_until_disclosed(
    case: Case, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    document = store_document(
        case, by=lead, title="Refuge address letter", visibility=Document.Visibility.RESTRICTED
    )
    services.search_for_subject(sar, by=auditor)
    flag = Redaction.objects.get(item=_item(sar, document))
    assert (flag.term, flag.flagged_as, flag.flag_note) == (
        "Refuge address letter",
        Redaction.Reason.RESTRICTED,
        RESTRICTED_NOTE,
    )

    _, package = _export(sar, auditor)

    assert not any(name.startswith("documents/") for name in package.namelist())
    data = json.loads(package.read(f"{sar.reference}.json"))
    record = next(r for r in data["records"] if r["kind"] == "Document")
    assert record["title"] == services.REDACTED
    assert record["files"][0]["left_out"] == services.FILE_LEFT_OUT_REDACTED
    assert "Refuge address letter" not in package.read(f"{sar.reference}.html").decode()


def test_a_disclosed_restricted_document_goes_with_its_file(
    case: Case, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    document = store_document(case, by=lead, visibility=Document.Visibility.RESTRICTED)
    services.search_for_subject(sar, by=auditor)
    flag = Redaction.objects.get(item=_item(sar, document))
    services.decide_redaction(
        flag, by=auditor, redacted=False, reason="The parent wrote it", version=flag.version
    )

    _, package = _export(sar, auditor)

    assert package.read(f"documents/document-{document.pk}-version-1.pdf") == PDF_BYTES


def test_a_file_changed_in_storage_is_not_disclosed(
    case: Case, sar: SubjectAccessRequest, lead: User, auditor: User
) -> None:
    document = store_document(case, by=lead)
    services.search_for_subject(sar, by=auditor)
    version = document.versions.get()
    storage = version.file.storage
    name = str(version.file.name)
    storage.delete(name)
    storage.save(name, io.BytesIO(b"%PDF-1.4 something else"))

    _, package = _export(sar, auditor)

    assert not any(name.startswith("documents/") for name in package.namelist())
    data = json.loads(package.read(f"{sar.reference}.json"))
    record = next(r for r in data["records"] if r["kind"] == "Document")
    assert record["files"][0]["left_out"] == services.FILE_LEFT_OUT_UNREADABLE


def test_an_adult_s_request_finds_the_family_s_documents(
    case: Case, family_member: object, lead: User, auditor: User
) -> None:
    document = store_document(case, by=lead)
    sar = services.log_subject_access_request(
        family_member,  # type: ignore[arg-type]
        by=auditor,
        requester_name="The person themselves",
        requester_relationship=SubjectAccessRequest.RequesterRelationship.SELF,
        received_on=dt.date(2026, 11, 2),
    )
    services.search_for_subject(sar, by=auditor)
    assert _item(sar, document).files
