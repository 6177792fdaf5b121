"""Adding, replacing and deleting a case's documents, and recording each download.

Every file is checked before anything is written: its size against
``settings.TAC_DOCUMENT_MAX_BYTES``, its type by its content against the allow-list
(``documents.content``), and then the virus scanner's verdict (``documents.scanning``).
The scan runs before the version exists, so there is no moment when anyone could open
an unscanned file; a file the scanner flags, or could not scan, is stored in
quarantine with the reason and never served. Each change writes its case event
(the chronology) and, through the tracked model, its change-history entry.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from agencies.models import User
from assessments.models import Assessment
from cases.access import (
    DOCUMENT_RESTRICTED,
    ensure_can_add_document,
    ensure_can_change_document,
    is_active_member,
)
from cases.models import Case
from cases.services.common import record_event
from documents import content, scanning
from documents.content import BinaryFile
from documents.models import TITLE_MAX_LENGTH, Document, DocumentDownload, DocumentVersion
from meetings.models import Action, Meeting

if TYPE_CHECKING:
    from django.http import HttpRequest

security_log = logging.getLogger("tac.security")

MSG_NO_FILE = "Choose the file to add"
MSG_EMPTY_FILE = "The file you chose is empty"
MSG_WRONG_TYPE = f"The file must be a {content.ALLOWED_LABELS}"
MSG_NAME_SOMEONE = "Name at least one person who may open a restricted document"
MSG_NOT_ON_TEAM = "Only active professional members of the team can be named"
MSG_CHOOSE_ONE_RECORD = "A document can belong to one assessment, meeting or action, not more"
MSG_RECORD_NOT_ON_CASE = "That record is not part of this case"
MSG_DELETION_REASON = "Say why the document is being deleted"
MSG_TITLE = "Give the document a title"


def too_large_message() -> str:
    return f"The file must be smaller than {filesizeformat(settings.TAC_DOCUMENT_MAX_BYTES)}"


@dataclass(frozen=True)
class DocumentDetails:
    """What is said about a new document, besides its file."""

    title: str
    kind: str
    visibility: str
    named_user_ids: tuple[int, ...] = ()
    assessment_id: int | None = None
    meeting_id: int | None = None
    action_id: int | None = None


@dataclass
class CheckedFile:
    """A file that passed the size and type checks, with what was learned about it."""

    file: BinaryFile
    file_type: content.FileType
    size: int
    sha256: str
    original_name: str = ""
    scan: scanning.ScanResult = field(
        default_factory=lambda: scanning.ScanResult(scanning.ScanOutcome.FAILED)
    )


def _chunks(file: BinaryFile) -> Iterable[bytes]:
    file.seek(0)
    while chunk := file.read(scanning.CHUNK_BYTES):
        yield chunk
    file.seek(0)


def check_file(file: BinaryFile | None, *, name: str = "") -> CheckedFile:
    """The size and type checks, as field errors on ``file``; nothing is scanned yet."""
    if file is None:
        raise ValidationError({"file": MSG_NO_FILE}, code="required")
    size = 0
    digest = hashlib.sha256()
    for chunk in _chunks(file):
        size += len(chunk)
        if size > settings.TAC_DOCUMENT_MAX_BYTES:
            raise ValidationError({"file": too_large_message()}, code="too_large")
        digest.update(chunk)
    if size == 0:
        raise ValidationError({"file": MSG_EMPTY_FILE}, code="empty")
    file_type = content.detect(file)
    if file_type is None:
        raise ValidationError({"file": MSG_WRONG_TYPE}, code="file_type")
    return CheckedFile(
        file=file,
        file_type=file_type,
        size=size,
        sha256=digest.hexdigest(),
        original_name=_clean_name(name),
    )


def _clean_name(name: str) -> str:
    """The uploaded file's own name, kept for the uploader's reference only."""
    kept = "".join(c for c in name.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())
    return kept.strip()[:200]


def scan(checked: CheckedFile) -> CheckedFile:
    """Ask the virus scanner about the file (never raises: a failure is a verdict)."""
    checked.scan = scanning.scan_chunks(_chunks(checked.file))
    return checked


def _attachment(case: Case, details: DocumentDetails) -> dict[str, object]:
    chosen = [
        (name, pk)
        for name, pk in (
            ("assessment", details.assessment_id),
            ("meeting", details.meeting_id),
            ("action", details.action_id),
        )
        if pk is not None
    ]
    if len(chosen) > 1:
        raise ValidationError({chosen[1][0]: MSG_CHOOSE_ONE_RECORD}, code="attached_twice")
    if not chosen:
        return {}
    name, pk = chosen[0]
    model: Any = {
        "assessment": Assessment,
        "meeting": Meeting,
        "action": Action,
    }[name]
    record = model.objects.filter(case=case, pk=pk).first()
    if record is None:
        raise ValidationError({name: MSG_RECORD_NOT_ON_CASE}, code="not_on_case")
    return {name: record}


def _named_users(case: Case, details: DocumentDetails, by: User | None) -> list[User]:
    if details.visibility != DOCUMENT_RESTRICTED:
        return []
    ids = set(details.named_user_ids) - ({by.pk} if by is not None else set())
    users = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(users) != len(ids) or not all(is_active_member(u, case) for u in users):
        raise ValidationError({"named_users": MSG_NOT_ON_TEAM}, code="not_on_team")
    if not users and by is None:
        raise ValidationError({"named_users": MSG_NAME_SOMEONE}, code="nobody_named")
    return users


def _new_version(
    document: Document, checked: CheckedFile, *, number: int, by: User | None, client_id: str
) -> DocumentVersion:
    status = {
        scanning.ScanOutcome.CLEAN: DocumentVersion.ScanStatus.CLEAN,
        scanning.ScanOutcome.INFECTED: DocumentVersion.ScanStatus.INFECTED,
    }.get(checked.scan.outcome, DocumentVersion.ScanStatus.FAILED)
    version = DocumentVersion(
        document=document,
        number=number,
        file_type=checked.file_type.key,
        content_type=checked.file_type.content_type,
        size=checked.size,
        sha256=checked.sha256,
        original_name=checked.original_name,
        scan_status=status,
        scan_detail=checked.scan.detail[:200],
        scanned_at=timezone.now(),
        uploaded_by=by,
        uploaded_by_client=client_id,
    )
    checked.file.seek(0)
    stored = checked.file if isinstance(checked.file, File) else File(cast(Any, checked.file))
    version.file.save("document", stored, save=False)
    version.save()
    if version.is_quarantined:
        # Ids only: the security log never carries a child's details or a file's name.
        security_log.warning(
            "document quarantined: document=%s version=%s status=%s detail=%s",
            document.pk,
            version.pk,
            status,
            checked.scan.detail,
        )
    return version


def add_document(
    case: Case,
    *,
    details: DocumentDetails,
    file: BinaryFile | None,
    file_name: str = "",
    by: User | None,
    client_id: str = "",
) -> DocumentVersion:
    """Add a document to ``case``: checked, scanned, stored, and its first version made.

    ``by`` is the professional adding it (``cases.access.can_add_document``), or None
    for a partner system (``client_id``), whose reach the API has already checked.
    Returns the version: quarantined (``is_quarantined``, with ``scan_detail`` saying
    why) when the scanner found a virus or could not scan it. Raises
    ``ValidationError`` naming the field at fault; nothing is written then.
    """
    if by is not None:
        ensure_can_add_document(by, case)
    title = details.title.strip()
    if not title:
        raise ValidationError({"title": MSG_TITLE}, code="required")
    attachment = _attachment(case, details)
    named = _named_users(case, details, by)
    checked = scan(check_file(file, name=file_name))
    with transaction.atomic():
        document = Document.objects.create(
            case=case,
            title=title[:TITLE_MAX_LENGTH],
            kind=details.kind,
            visibility=details.visibility,
            added_by=by,
            added_by_client=client_id,
            **attachment,
        )
        if named:
            document.named_users.set(named)
        version = _new_version(document, checked, number=1, by=by, client_id=client_id)
        record_event(
            case,
            "document.added" if version.is_available else "document.quarantined",
            by=by,
            summary=(
                f"Document added: {_shown_title(document)}"
                if version.is_available
                else f"Document quarantined: {_shown_title(document)}"
            ),
            data={"document": document.pk, "version": version.pk, "client": client_id},
        )
    return version


def _shown_title(document: Document) -> str:
    """The title as the chronology shows it: a restricted document's title is not."""
    return "restricted document" if document.is_restricted else document.title[:200]


def replace_document(
    document: Document,
    *,
    file: BinaryFile | None,
    file_name: str = "",
    by: User | None,
    client_id: str = "",
) -> DocumentVersion:
    """Add a new version of ``document``; the earlier versions are kept.

    The newest version that passed its scan is the one opened; a quarantined
    replacement leaves the earlier one in place.
    """
    case = document.case
    if by is not None:
        ensure_can_change_document(by, case, added_by_id=document.added_by_id)
    if document.is_deleted:
        raise ValidationError("This document has been deleted.", code="deleted")
    checked = scan(check_file(file, name=file_name))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = _new_version(locked, checked, number=last + 1, by=by, client_id=client_id)
        locked.save(update_fields=["updated_at"])
        record_event(
            case,
            "document.replaced" if version.is_available else "document.quarantined",
            by=by,
            summary=(
                f"New version {version.number} of {_shown_title(locked)}"
                if version.is_available
                else f"Document quarantined: version {version.number} of {_shown_title(locked)}"
            ),
            data={"document": locked.pk, "version": version.pk, "client": client_id},
        )
    return version


def scan_again(version: DocumentVersion, *, by: User) -> DocumentVersion:
    """Scan again a version that could not be scanned (the scanner was away): clean, it
    becomes the version opened; otherwise it stays quarantined with the new reason. A
    version in which a virus was found is never scanned again."""
    document = version.document
    ensure_can_change_document(by, document.case, added_by_id=document.added_by_id)
    if version.scan_status != DocumentVersion.ScanStatus.FAILED or document.is_deleted:
        raise ValidationError("Only a file that could not be scanned can be scanned again.")
    with version.file.open("rb") as stored:
        data = stored.read()
    result = scanning.scan_chunks([data])
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        locked.scanned_at = timezone.now()
        if result.is_clean:
            locked.scan_status = DocumentVersion.ScanStatus.CLEAN
            locked.scan_detail = ""
            old_name = str(locked.file.name)
            storage = locked.file.storage
            locked.file.save("document", File(io.BytesIO(data)), save=False)
            # The quarantined copy goes once the clean one is on record.
            transaction.on_commit(lambda: storage.delete(old_name))
        else:
            locked.scan_status = {
                scanning.ScanOutcome.INFECTED: DocumentVersion.ScanStatus.INFECTED
            }.get(result.outcome, DocumentVersion.ScanStatus.FAILED)
            locked.scan_detail = result.detail[:200]
        locked.save(update_fields=["scan_status", "scan_detail", "scanned_at", "file"])
        record_event(
            document.case,
            "document.scanned_again",
            by=by,
            summary=(
                f"Scanned again, no virus found: {_shown_title(document)}"
                if result.is_clean
                else f"Scanned again, still quarantined: {_shown_title(document)}"
            ),
            data={"document": document.pk, "version": locked.pk},
        )
    return locked


def delete_document(document: Document, *, by: User, reason: str) -> Document:
    """Delete ``document`` (a soft delete): out of every list and closed to everyone,
    with the reason in the chronology and the change history. The files stay for the
    retention schedule."""
    ensure_can_change_document(by, document.case, added_by_id=document.added_by_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": MSG_DELETION_REASON}, code="required")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.is_deleted:
            return locked
        locked.deleted_at = timezone.now()
        locked.deleted_by = by
        locked.deletion_reason = reason
        locked.save(update_fields=["deleted_at", "deleted_by", "deletion_reason", "updated_at"])
        record_event(
            locked.case,
            "document.deleted",
            by=by,
            summary=f"Document deleted: {_shown_title(locked)}. Reason: {reason}"[:300],
            data={"document": locked.pk},
        )
    return locked


def current_version(document: Document) -> DocumentVersion | None:
    """The version that is opened: the newest one that passed its scan."""
    return (
        document.versions.filter(scan_status=DocumentVersion.ScanStatus.CLEAN)
        .exclude(file="")
        .order_by("-number")
        .first()
    )


def record_download(request: HttpRequest, version: DocumentVersion, *, client_id: str = "") -> None:
    """Which document was opened, by whom (the record-access log says the child's record
    was; ``cases.access`` writes that row when it hands out the document)."""
    user = getattr(request, "user", None)
    DocumentDownload.objects.create(
        version=version,
        user=user if isinstance(user, User) else None,
        client_id=client_id,
        request_id=getattr(request, "request_id", ""),
    )
