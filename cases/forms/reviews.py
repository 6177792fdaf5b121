"""The form for moving a case's next review date by hand, with a reason."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.services.reviews import REASON_MAX_LENGTH
from tac_portal.forms import GovUKDateField


class ReviewDateForm(forms.Form):
    # The review date the page showed (ISO, or empty for none), posted back unchanged: a
    # date moved by someone else since is not silently written over (tac_portal.concurrency).
    seen_due = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    next_review_due = GovUKDateField(label="New review date", help_text="For example, 27 3 2027")
    reason = forms.CharField(
        label="Why is the review date changing?",
        widget=forms.Textarea(attrs={"rows": 3, "character_count": True}),
        max_length=REASON_MAX_LENGTH,
        help_text="If the review is late, this is shown beside the overdue flag, for "
        "example: the family asked to move the meeting.",
        error_messages={
            "required": "Enter why the review date is changing",
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
        },
    )

    def stale_values(self, case: Any) -> dict[str, Any]:
        """What the fields say now, for a save refused as stale (tac_portal.forms)."""
        return {"next_review_due": case.next_review_due}
