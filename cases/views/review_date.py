"""Change the next review date (DOMAIN §3.6, §7.3): the step, its form and its page.

The lead professional, their team managers and the coordinator move the date with
a reason. When the review is already overdue, or the new date is in the past, the
reason is kept on the case as "why late" (``Case.review_late_reason``), shown
beside the overdue flag on dashboards so the flag is not read as poor practice.
The date itself goes through ``cases.services.set_next_review_due``, which moves
the review reminders in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies.http import AuthenticatedHttpRequest
from cases.access import get_case_to_run
from cases.forms.reviews import ReviewDateForm
from cases.models import AccessPurpose
from cases.services.reviews import move_next_review_due
from tac_portal.forms import add_service_errors, seen_on_page

# --- The page --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_date(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move the next review date. Who cannot see the case: 404; who cannot run it: 403."""
    case = get_case_to_run(request, pk, purpose=AccessPurpose.CASE_WORK)
    seen = case.next_review_due.isoformat() if case.next_review_due else ""
    form = ReviewDateForm(
        request.POST if request.method == "POST" else None, initial={"seen_due": seen}
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            move_next_review_due(
                case,
                due=data["next_review_due"],
                reason=data["reason"],
                by=request.user,
                # The page always sends it; a post without it is no editor's page.
                seen_due=seen_on_page(form, "seen_due"),
            )
        except ValidationError as error:
            # A stale save keeps what they typed, shows the date now held beside theirs,
            # and the next save is checked against that date.
            add_service_errors(form, error)
            case.refresh_from_db(fields=["next_review_due", "review_late_reason"])
        else:
            messages.success(
                request, f"Next review date changed to {data['next_review_due']:%-d %B %Y}"
            )
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/review_date.html",
        {
            "case": case,
            "form": form,
            "today": timezone.localdate(),
            "first_field_id": form["next_review_due"].auto_id,
        },
    )
