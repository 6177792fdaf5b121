"""Documents written straight into the database and the "documents" storage, for the
tests of what other apps do with them (subject access, retention): the upload, the
scan and their rules are tested with the real scanner in this directory's own tests."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from documents.models import Document, DocumentVersion

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def store_version(
    document: Document,
    data: bytes,
    *,
    by: User,
    status: str = DocumentVersion.ScanStatus.CLEAN,
    name: str = "letter.pdf",
) -> DocumentVersion:
    number = document.versions.count() + 1
    version = DocumentVersion(
        document=document,
        number=number,
        file_type="pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=name,
        scan_status=status,
        scan_detail="" if status == DocumentVersion.ScanStatus.CLEAN else "Eicar-Signature",
        scanned_at=timezone.now(),
        uploaded_by=by,
    )
    version.file.save("document", ContentFile(data), save=False)
    version.save()
    return version


def store_document(
    case: Case,
    *,
    by: User,
    title: str = "Letter from the health visitor",
    visibility: str = Document.Visibility.TEAM,
    data: bytes = PDF_BYTES,
) -> Document:
    document = Document.objects.create(
        case=case,
        title=title,
        kind=Document.Kind.LETTER,
        visibility=visibility,
        added_by=by,
    )
    store_version(document, data, by=by)
    return document
