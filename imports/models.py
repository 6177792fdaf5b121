"""Bulk import of a local authority's open caseload (docs/import-template.md).

An ``ImportBatch`` is one uploaded file: its dry-run report, then the import itself. An
``ImportedRecord`` is the provenance of each record an import created: which file (the
batch) and which row (the sheet's stable source key). Source keys are unique per kind of
record, so importing the same file again, or a later file that repeats its rows,
creates nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tac_portal.fields import BoundedTextField


class RecordKind(models.TextChoices):
    """The sheets of the template, in the order they are imported."""

    FAMILY = "families", "Families"
    CHILD = "children", "Children"
    CARER = "carers", "Parents and carers"
    CASE = "cases", "Open cases"
    TEAM = "team", "Team members"
    ACTION = "actions", "Open actions"


class ImportBatch(models.Model):
    """One uploaded file, from its dry run to its import (all or nothing)."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Dry run ready"
        QUEUED = "queued", "Waiting to import"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    # The file itself, kept so that the import reads exactly what the dry run read.
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    #: The dry run: counts per sheet and outcome, and one entry per row (imports.services).
    report = models.JSONField(default=dict, blank=True)
    #: What the import created, per sheet.
    created = models.JSONField(default=dict, blank=True)
    failure = BoundedTextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name_plural = "import batches"
        indexes = [
            # "This file was imported before": batches with the same file.
            models.Index(fields=["file_sha256"], name="import_batch_sha_idx"),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.file_name})"

    @property
    def label(self) -> str:
        return f"import {self.pk} ({self.file_name})"


class ImportedRecord(models.Model):
    """Where an imported record came from: the file (batch) and the row's source key.

    Exactly one of the record columns is set, the one that fits ``kind``.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=10, choices=RecordKind.choices)
    source_key = models.CharField(max_length=100)
    row = models.PositiveIntegerField(help_text="The row of the sheet, counting the header as 1.")
    family = models.ForeignKey(
        "cases.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    child = models.ForeignKey(
        "cases.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_records",
    )
    family_member = models.ForeignKey(
        "cases.FamilyMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_records",
    )
    membership = models.ForeignKey(
        "cases.TeamMembership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        "meetings.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            # A row's source key makes one record, whichever file it comes in.
            models.UniqueConstraint(fields=["kind", "source_key"], name="imported_once_per_key"),
        ]
        indexes = [
            # The case page's "Where this came from": the case's and its children's rows.
            models.Index(fields=["case"], name="imported_case_idx"),
            models.Index(fields=["child"], name="imported_child_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_key}"
