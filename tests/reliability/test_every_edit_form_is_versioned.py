"""Every form in the portal is sorted: it creates something (a one-time submission
token), edits a record (a ``VersionField``: a stale save is refused and shown beside what
the record says now), or is named below with why it needs neither. A new form that is
none of these fails here, so an edit cannot be added without its version.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from django import forms
from django.urls import get_resolver

from tac_portal.forms import SubmissionTokenField, VersionField

APPS = (
    "agencies",
    "assessments",
    "audit",
    "cases",
    "dashboards",
    "disclosures",
    "documents",
    "imports",
    "meetings",
    "notifications",
    "retention",
    "webhooks",
)

#: Forms that change no stored record, or are only the base of other forms.
NOT_EDITS = {
    "agencies.admin.ProfessionalChangeForm": "Django's admin, for system administrators",
    "agencies.admin.ProfessionalCreationForm": "Django's admin, for system administrators",
    "assessments.admin.PublishTemplateForm": "Django's admin: publishes a new template",
    "agencies.forms.ChangePasswordForm": "one's own password: checked against the current one",
    "agencies.forms.NewPasswordForm": "signing in",
    "agencies.forms.ResetPasswordForm": "signing in",
    "agencies.forms.SignInForm": "signing in",
    "agencies.forms.TwoFactorCodeForm": "signing in",
    "agencies.forms.TwoFactorSetupForm": "signing in",
    "audit.forms.AccessReportFilterForm": "a report's filter",
    "cases.forms.chronology.ChronologyFilterForm": "a list's filter",
    "cases.forms.journeys.ChildSearchForm": "a search",
    "cases.forms.team.DirectorySearchForm": "a search",
    "dashboards.forms.AnnexAForm": "a report's dates",
    "dashboards.forms.FilterForm": "a dashboard's filter",
    "disclosures.forms.FindPersonForm": "a search",
    "audit.forms.BreakGlassRequestForm": "asks for access: a new grant, refused while one is open",
    "audit.forms.UnmaskForm": "shows a masked detail: a new log entry",
    "documents.forms._FileForm": "the base of the document forms",
    "meetings.forms.plan.ForOneChildForm": "the base of meeting mode's forms",
    "meetings.forms.plan.OwnedForm": "the base of the action forms",
    "meetings.forms.scheduling.WhenForm": "the base of the meeting forms",
    "cases.forms.people.FamilyMemberForm": "the base of the family member forms",
    "cases.forms.people.RelationshipToChildForm": "part of adding an adult (a create)",
    "assessments.forms.ConsentForm": "records consent given for an assessment (a new record)",
}

#: Edits that carry what the editor saw in a field of their own.
OWN_VERSION = {
    "cases.forms.reviews.ReviewDateForm": "the review date the page showed (seen_due)",
    "cases.views.level.LevelOfNeedForm": "the latest judgement the page showed",
    "cases.forms.episode.HandoverForm": "the lead's assignment the page showed",
    "dashboards.forms.LateReasonForm": "the reason the page showed (seen)",
    "dashboards.forms.ReassignCaseloadForm": "each case's lead the page showed",
    "audit.forms.BreakGlassReviewForm": "when the review shown was saved (seen)",
    "assessments.forms.FamilyCopyForm": "the day the family's copy was given, as shown (seen)",
    "notifications.forms.PreferenceForm": "when the choice shown was saved (seen)",
    "meetings.forms.plan.LeadForm": "meeting mode: the lead's assignment shown (seen_lead)",
    "meetings.forms.plan.NextReviewForm": "meeting mode: the agreed review date shown (seen)",
    "meetings.forms.scheduling.AttendanceForm": "meeting mode: the attendance shown (seen)",
}

#: Steps taken once (a decision, a closure, a deletion): the service locks the record
#: and refuses the step when it has already been taken, so nothing is overwritten.
ONE_WAY_STEPS = {
    "audit.forms.RestrictionReviewForm": "reviewing a restriction",
    "agencies.forms.ConfirmPasswordForm": "ending one's own sessions: one already ended says so",
    "cases.forms.episode.ClosureForm": "closing a case",
    "cases.forms.episode.StageForm": "a move named by the stage it leaves: refused once taken",
    "cases.forms.episode.StepUpDecisionForm": "deciding a step-up",
    "cases.forms.journeys.WithdrawConsentForm": "withdrawing consent",
    "documents.forms.DeleteDocumentForm": "deleting a document",
    "assessments.forms.ReasonForm": "stopping an assessment",
    "assessments.forms.EscalationForm": "recording an escalation (adds to the history)",
}

#: Edits still without a version: each would be a known gap, to be closed and moved out
#: of here. None is left; keep it so.
KNOWN_GAPS: dict[str, str] = {}


def _project_forms() -> Iterator[type[forms.BaseForm]]:
    get_resolver().url_patterns  # noqa: B018 - imports every view, and forms made there
    for app in APPS:
        for name in (f"{app}.forms", f"{app}.admin"):
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
                importlib.import_module(f"{name}.{info.name}")

    def below(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    seen: set[type] = set()
    for cls in below(forms.BaseForm):
        if cls not in seen and cls.__module__.split(".")[0] in APPS:
            seen.add(cls)
            yield cls


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _has(cls: type[forms.BaseForm], kind: type) -> bool:
    fields = getattr(cls, "base_fields", {})  # set on every form class by its metaclass
    return any(isinstance(f, kind) for f in fields.values())


def test_every_form_creates_edits_with_a_version_or_says_why_not() -> None:
    listed = NOT_EDITS | OWN_VERSION | ONE_WAY_STEPS | KNOWN_GAPS
    unsorted = [
        _name(cls)
        for cls in _project_forms()
        if not _has(cls, VersionField)
        and not _has(cls, SubmissionTokenField)
        and _name(cls) not in listed
    ]
    assert unsorted == [], (
        "Each of these forms needs a VersionField (an edit), a SubmissionTokenField "
        f"(a create), or a line in this test saying why it needs neither: {unsorted}"
    )


def test_the_lists_name_only_forms_that_exist_and_need_them() -> None:
    found = {_name(cls): cls for cls in _project_forms()}
    listed = NOT_EDITS | OWN_VERSION | ONE_WAY_STEPS | KNOWN_GAPS
    missing = sorted(set(listed) - set(found))
    assert missing == [], f"listed here but no longer in the code: {missing}"
    versioned = sorted(n for n in listed if _has(found[n], VersionField))
    assert versioned == [], f"these now carry a version: take them off the lists: {versioned}"


def test_every_edit_form_shows_a_stale_save_beside_what_it_says_now() -> None:
    """The edit forms with a version: counted, so the report can say how many."""
    edits = sorted(_name(cls) for cls in _project_forms() if _has(cls, VersionField))
    assert len(edits) >= 26, edits
