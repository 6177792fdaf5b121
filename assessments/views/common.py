"""What the assessment pages share. Every assessment is reached through a case the user can
see."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from agencies.http import AuthenticatedHttpRequest
from assessments.models import Assessment
from assessments.services.common import ensure_can_edit
from cases.access import get_case_record_for_user
from cases.models import AccessPurpose

YES_NO = [("yes", "Yes"), ("no", "No")]


def open_assessment(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    edit: bool = False,
    purpose: str = AccessPurpose.ASSESSMENT,
) -> Assessment:
    """The assessment if its case is visible to the user (else 404) and, with ``edit``, the
    user may change it (else 403). Its child's record is logged as shown."""
    assessments = Assessment.objects.select_related("case__family", "child", "template", "assessor")
    assessment = get_case_record_for_user(
        request, assessments, pk, purpose=purpose, child_field="child_id"
    )
    if edit:
        ensure_can_edit(request.user, assessment)
    return assessment


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]
