"""Permission-matrix routes served by the imports area (see tests/matrix.py)."""

from __future__ import annotations

from django.utils import timezone

from agencies.models import User
from imports.models import ImportBatch
from tests.matrix import Objects, Route, only


def _batch(o: Objects) -> int:
    return ImportBatch.objects.create(
        file_name="families.csv",
        file_sha256="0" * 64,
        content=b"family_key,family_name\n",
        uploaded_by=User.objects.get(role=User.Role.SYSTEM_ADMINISTRATOR),
        uploaded_at=timezone.now(),
        status=ImportBatch.Status.CHECKED,
        report={"has_problems": False, "to_create": 0, "counts": {}, "rows": []},
    ).pk


# Bulk import is the system administrator's; for anyone else the pages do not exist.
ROUTES: dict[str, Route] = {
    "imports:list": Route("get", expect=only(200, "admin")),
    "imports:upload": Route("get", expect=only(200, "admin")),
    "imports:xlsx_template": Route("get", expect=only(200, "admin")),
    "imports:csv_template": Route("get", args=lambda o: ["children"], expect=only(200, "admin")),
    "imports:detail": Route("get", args=lambda o: [_batch(o)], expect=only(200, "admin")),
    "imports:progress": Route("get", args=lambda o: [_batch(o)], expect=only(200, "admin")),
    # Nothing to create in the batch: refused with a message, back to the dry run.
    "imports:confirm": Route("post", args=lambda o: [_batch(o)], expect=only(302, "admin")),
}
