"""Permission-matrix routes served by the documents area (see tests/matrix.py for the helpers).

Who may do what: anyone who sees the case reads its documents and opens one shared with
the whole team; the TAC's members and those who run the case add documents (a manager
who only sees the case gets 403); whoever added a document and those who run the case
replace or delete it. The partner API follows the same policy with a session.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from documents.models import Document, DocumentVersion
from tests.matrix import PERSONAS, SIGN_IN, Objects, Route, case_page, runs_the_case
from tests.matrix_routes.api import api_case_data

Expect = dict[str, int | frozenset[int]]


def adders(ok: int) -> Expect:
    """The TAC's members and those who run the case (``cases.access.can_add_document``)."""
    allowed = {"lead", "member", "manager", "coordinator"}
    expect: Expect = {"anonymous": SIGN_IN}
    for persona in PERSONAS[:-1]:
        expect[persona] = ok if persona in allowed else 403 if persona == "member_manager" else 404
    return expect


def _document(o: Objects) -> list[int]:
    """A scanned PDF the lead added for the whole team."""
    lead = o.case.opened_by
    document = Document.objects.create(
        case=o.case,
        title="Matrix consent form",
        kind=Document.Kind.CONSENT_FORM,
        visibility=Document.Visibility.TEAM,
        added_by=lead,
    )
    version = DocumentVersion(
        document=document,
        number=1,
        file_type="pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        scan_status=DocumentVersion.ScanStatus.CLEAN,
        scanned_at=timezone.now(),
        uploaded_by=lead,
    )
    version.file.save("document", ContentFile(b"%PDF-1.4\n"), save=True)
    return [document.pk]


ROUTES: dict[str, Route] = {
    "documents:case_documents": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    "documents:add": Route("get", args=lambda o: [o.case.pk], expect=adders(200)),
    "documents:detail": Route("get", args=_document, expect=case_page()),
    "documents:download": Route("get", args=_document, expect=case_page()),
    "documents:download_version": Route(
        "get", args=lambda o: [*_document(o), 1], expect=case_page()
    ),
    "documents:replace": Route("get", args=_document, expect=runs_the_case(200)),
    # Version 1 was scanned: "only a file that could not be scanned" (a message, back to
    # the document) for those who may change it.
    "documents:rescan": Route("post", args=lambda o: [*_document(o), 1], expect=runs_the_case(302)),
    "documents:delete": Route("get", args=_document, expect=runs_the_case(200)),
    "api:case-documents": Route("get", args=lambda o: [o.case.pk], expect=api_case_data()),
    "api:document-file": Route("get", args=_document, expect=api_case_data()),
}
