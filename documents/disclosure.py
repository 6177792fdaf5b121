"""What the documents on a person's cases hold about them, for a subject access request.

The collector for ``settings.TAC_DISCLOSURE_SOURCES`` (interface: ``tac_portal.disclosure``):
every document on each of the person's cases, deleted ones too (a soft-deleted document
is still held until the retention schedule disposes of it), with its versions'
metadata (file name, type, size, who uploaded it and when, the virus scan's result).

Each version that passed its scan and is still stored is a ``FoundFile``: the package
carries a copy of it. A quarantined version is never handed out: its metadata says it
was quarantined and that its file is not included. A restricted document is marked
``restricted``, so the reviewing officer decides on it like any other restricted item.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.template.defaultfilters import filesizeformat

from documents import content
from documents.models import STORAGE, Document, DocumentVersion
from tac_portal.disclosure import FoundFile, FoundRecord, Subject, as_text, record_fields

SOURCE = "documents"

RESTRICTED_NOTE = "Restricted document: only the people named on it may open it"
QUARANTINED_NOTE = "Not included: the file was quarantined by the virus scan and is never opened"


def package_file_name(version: DocumentVersion) -> str:
    """The file's name in the package: ids and its type only, never its title or the
    name it was uploaded with (either may name someone)."""
    known = content.BY_KEY.get(version.file_type)
    extension = known.extension if known is not None else "bin"
    return f"document-{version.document_id}-version-{version.number}.{extension}"


def _version_fields(version: DocumentVersion) -> list[tuple[str, str]]:
    label = f"Version {version.number}"
    uploaded_by = str(version.uploaded_by) if version.uploaded_by else version.uploaded_by_client
    scan = version.get_scan_status_display()
    if version.scan_detail:
        scan = f"{scan} ({version.scan_detail})"
    pairs = [
        (f"{label}: file name", version.original_name),
        (f"{label}: type", version.content_type),
        (f"{label}: size", str(filesizeformat(version.size))),
        (f"{label}: uploaded by", uploaded_by),
        (f"{label}: uploaded", as_text(version.uploaded_at)),
        (f"{label}: virus scan", scan),
    ]
    if version.is_quarantined:
        pairs.append((f"{label}: file", QUARANTINED_NOTE))
    elif not version.file.name:
        pairs.append((f"{label}: file", "Deleted under the retention schedule"))
    return [(name, text) for name, text in pairs if text]


def _files(versions: list[DocumentVersion]) -> list[FoundFile]:
    return [
        FoundFile(
            name=package_file_name(version),
            label=f"Version {version.number} of the document",
            storage=STORAGE,
            path=str(version.file.name),
            size=version.size,
            sha256=version.sha256,
        )
        for version in versions
        if version.is_available
    ]


def collect(subject: Subject) -> Iterator[FoundRecord]:
    documents = (
        Document.objects.filter(case_id__in=subject.case_ids)
        .select_related("added_by", "deleted_by", "assessment__child", "meeting", "action")
        .prefetch_related("versions__uploaded_by")
        .order_by("created_at", "pk")
    )
    for document in documents:
        fields = record_fields(document, skip=("case", "assessment", "meeting", "action"))
        if document.attached_to is not None:
            fields.append(("Belongs to", document.attached_label))
        versions = sorted(document.versions.all(), key=lambda v: v.number)
        for version in versions:
            fields += _version_fields(version)
        yield FoundRecord(
            source=SOURCE,
            key=f"documents.document:{document.pk}",
            kind="Document",
            title=document.title,
            at=document.created_at,
            case_id=document.case_id,
            fields=fields,
            files=_files(versions),
            restricted=RESTRICTED_NOTE if document.is_restricted else "",
        )
