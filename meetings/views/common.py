"""How the meeting pages reach their records: through a case the user can see (404
otherwise), with the read logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from agencies.http import AuthenticatedHttpRequest
from cases.access import (
    get_case_record_for_user,
)
from cases.models import AccessPurpose
from meetings import forms
from meetings.models import (
    Action,
    Invitation,
    Meeting,
)
from meetings.services.common import (
    ensure_can_run_meeting,
)


def meeting_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, purpose: str = AccessPurpose.MEETING
) -> Meeting:
    """The meeting if its case is visible to the user (404 for missing and invisible alike);
    the read is logged."""
    meetings = Meeting.objects.select_related("case__family", "chair__agency", "note_taker__agency")
    return get_case_record_for_user(request, meetings, pk, purpose=purpose)


def runnable_meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    meeting = meeting_for_user(request, pk)
    ensure_can_run_meeting(request.user, meeting)
    return meeting


def is_htmx(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def invitation_of(meeting: Meeting, invitation_pk: int) -> Invitation:
    try:
        return meeting.invitations.select_related("meeting").get(pk=invitation_pk)
    except Invitation.DoesNotExist:
        raise Http404("No invitation found") from None


def saved(form: Any, save: Callable[[dict[str, Any]], object]) -> bool:
    """Check ``form`` and hand its data to ``save`` (a service call).

    False when the form is invalid or the service refuses: its errors are then on
    the form's fields, with what was typed.
    """
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        forms.apply_service_error(form, error)
        return False
    return True


def action_for_user(request: AuthenticatedHttpRequest, pk: int) -> Action:
    """The action if its case is visible to the user (else 404); the read is logged."""
    actions = Action.objects.select_related(
        "case__family", "owner_professional__agency", "owner_family_member"
    )
    return get_case_record_for_user(request, actions, pk, purpose=AccessPurpose.PLAN)
