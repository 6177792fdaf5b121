"""Documents on a case: consent forms, reports, letters, plans (issue 19, point 1).

A ``Document`` belongs to a case and, optionally, to one of its assessments, meetings
or actions. Its content is a series of ``DocumentVersion``s: replacing a document adds
a version and keeps the old ones. Each version is scanned by the virus scanner before
it is stored as available; one that fails the scan, or could not be scanned, is
quarantined and never served. Deleting a document is a soft delete with a reason; the
file stays, out of sight, for the retention schedule to dispose of.
"""

from __future__ import annotations

import uuid
from typing import Any

import pgtrigger
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models

from cases.models import Case, tracked
from tac_portal.fields import BoundedTextField

TITLE_MAX_LENGTH = 120
#: The alias of the storage documents are kept in (``settings.STORAGES``).
STORAGE = "documents"


def document_storage() -> Storage:
    """The storage documents are kept in (``settings.STORAGES["documents"]``)."""
    return storages[STORAGE]


def version_file_name(instance: DocumentVersion, filename: str) -> str:
    """A random name, by case: nothing about the child or the file in the object's key.

    Quarantined files are kept apart under their own prefix.
    """
    prefix = (
        "available" if instance.scan_status == DocumentVersion.ScanStatus.CLEAN else "quarantine"
    )
    return f"{prefix}/case-{instance.document.case_id}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet["Document"]):
    def current(self) -> DocumentQuerySet:
        """Documents not deleted."""
        return self.filter(deleted_at__isnull=True)


@tracked
class Document(models.Model):
    """A document kept on a case, with its versions (``versions``)."""

    class Kind(models.TextChoices):
        CONSENT_FORM = "consent_form", "Consent form"
        REPORT = "report", "Report"
        LETTER = "letter", "Letter"
        PLAN = "plan", "Plan"
        OTHER = "other", "Other"

    class Visibility(models.TextChoices):
        TEAM = "team", "The whole team around the child"
        PROFESSIONALS = "professionals", "Professionals only"
        RESTRICTED = "restricted", "Restricted: only the people I name"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    action = models.ForeignKey(
        "meetings.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    named_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="restricted_documents",
        help_text="Who may open a restricted document (whoever added it always may).",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents_added",
    )
    added_by_client = models.CharField(
        max_length=100, blank=True, help_text="The partner system that added it, if any."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deletion_reason = BoundedTextField(blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The case page's documents panel and the case's documents page.
            models.Index(
                fields=["case", "-created_at"],
                condition=models.Q(deleted_at__isnull=True),
                name="document_case_current_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(assessment__isnull=True, meeting__isnull=True)
                    | models.Q(assessment__isnull=True, action__isnull=True)
                    | models.Q(meeting__isnull=True, action__isnull=True)
                ),
                name="document_attached_to_one_record",
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | ~models.Q(deletion_reason=""),
                name="document_deletion_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Document {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_restricted(self) -> bool:
        return self.visibility == self.Visibility.RESTRICTED

    @property
    def attached_to(self) -> Any:
        """The assessment, meeting or action it belongs to, if any."""
        return self.assessment or self.meeting or self.action

    @property
    def attached_label(self) -> str:
        """What it belongs to, in words (needs ``assessment__child``, ``meeting`` and
        ``action`` loaded with it)."""
        if self.assessment is not None:
            return f"Assessment of {self.assessment.child.full_name}"
        if self.meeting is not None:
            return f"{self.meeting.get_kind_display()}, {self.meeting.starts_at:%-d %B %Y}"
        if self.action is not None:
            text = self.action.description
            return f"Action: {text if len(text) <= 60 else text[:57] + '…'}"
        return ""


class DocumentVersion(models.Model):
    """One upload of a document's content, as scanned and stored."""

    class ScanStatus(models.TextChoices):
        CLEAN = "clean", "Scanned: no virus found"
        INFECTED = "infected", "Quarantined: a virus was found"
        FAILED = "failed", "Quarantined: could not be scanned"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(storage=document_storage, upload_to=version_file_name, max_length=200)
    file_type = models.CharField(max_length=10, help_text="The type its content shows.")
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)
    scan_status = models.CharField(max_length=10, choices=ScanStatus.choices)
    scan_detail = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by_client = models.CharField(max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documentversion_number"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of document {self.document_id}"

    @property
    def is_available(self) -> bool:
        """Whether it may be opened: it passed its scan, and its file has not been
        deleted under the retention schedule (``file`` is then empty)."""
        return self.scan_status == self.ScanStatus.CLEAN and bool(self.file.name)

    @property
    def is_quarantined(self) -> bool:
        return self.scan_status != self.ScanStatus.CLEAN


class DocumentDownload(models.Model):
    """One opening of a document version: who, when, through which route. Append-only.

    The record-access log (``cases.RecordAccess``) says that the child's record was
    opened; this row says which document it was.
    """

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_id = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="document_download_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"Download of {self.version}"
