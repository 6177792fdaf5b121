"""Forms parse and check input; the services decide and write."""

from __future__ import annotations

from meetings.forms.common import (
    NETWORK_OWNER,
    MemberChoiceField,
    MembershipChoices,
    OutcomeChoices,
    ProfessionalChoices,
    apply_service_error,
)
from meetings.forms.plan import (
    ActionForm,
    ActionReviewForm,
    AutosaveForm,
    DecisionForm,
    DissentForm,
    LeadForm,
    NextReviewForm,
    OutcomeForm,
)
from meetings.forms.reviews import (
    KEEP_OWNER,
    ActionUpdateForm,
    CancelActionForm,
    ChangeActionForm,
    ContributionForm,
    DiscussionForm,
    FamilyFeedbackForm,
    OutcomeReviewForm,
    ReviewForm,
)
from meetings.forms.scheduling import (
    AttendanceForm,
    CancelForm,
    InviteForm,
    RecordReplyForm,
    RescheduleForm,
    ResponseForm,
    ScheduleMeetingForm,
    WhenForm,
    parse_externals,
)

__all__ = [
    "KEEP_OWNER",
    "NETWORK_OWNER",
    "ActionForm",
    "ActionReviewForm",
    "ActionUpdateForm",
    "AttendanceForm",
    "AutosaveForm",
    "CancelActionForm",
    "CancelForm",
    "ChangeActionForm",
    "ContributionForm",
    "DecisionForm",
    "DiscussionForm",
    "DissentForm",
    "FamilyFeedbackForm",
    "InviteForm",
    "LeadForm",
    "MemberChoiceField",
    "MembershipChoices",
    "NextReviewForm",
    "OutcomeChoices",
    "OutcomeForm",
    "OutcomeReviewForm",
    "ProfessionalChoices",
    "RecordReplyForm",
    "RescheduleForm",
    "ResponseForm",
    "ReviewForm",
    "ScheduleMeetingForm",
    "WhenForm",
    "apply_service_error",
    "parse_externals",
]
