"""Who looked at which child's record: the append-only record-access log."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models


class RecordAccess(models.Model):
    """One row per child shown to someone, per request (ASVS L3: every read is logged).

    Rows are never changed or removed: a database trigger rejects UPDATE and
    DELETE whatever the code path. TRUNCATE is not trapped (the test suite empties
    tables with it): in production the application's database role must lose
    UPDATE, DELETE and TRUNCATE on this table (see README).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_accesses",
    )
    client_id = models.CharField(
        max_length=100, blank=True, help_text="The partner system, for API reads."
    )
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    route = models.CharField(max_length=100, help_text="What was shown (the route name).")
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    break_glass_grant_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "record accesses"
        indexes = [
            # Access report by child: who looked, newest first.
            models.Index(fields=["child", "-at"], name="recordaccess_child_idx"),
            # Access report by professional: what they looked at.
            models.Index(fields=["user", "-at"], name="recordaccess_user_idx"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="record_access_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} at {self.at:%Y-%m-%d %H:%M}"
