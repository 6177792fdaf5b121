"""The "What happens next" section of the case page (DOMAIN §3.1: no dead ends).

It names the stage the case is in and offers the steps that move it on, to the
people who may take them. The steps come from every app, as the case page's
sections do: each app lists its own in a module-level ``NextStepSource`` named in
``settings.TAC_NEXT_STEPS`` (the assessments app offers starting and continuing an
assessment, the meetings app the first TAC and reviews). Who may take a step is
always asked of ``cases.access``. The first one or two steps are shown as buttons;
closure and step-up, open from every stage, are listed under them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from cases.access import can_record_on_case, can_reopen, stage_steps_for
from cases.models import Case, CaseSubject
from cases.panels import CasePanel
from cases.services.lifecycle import RE_REFERRAL_DAYS

if TYPE_CHECKING:
    from agencies.models import User

S = Case.Status

#: A step's rank: the lowest ranks are the next step or two, shown as buttons.
NEXT = 10
THEN = 30
OTHER = 80


@dataclass(frozen=True)
class NextStep:
    """One way forward: a link (``method="get"``) or a button posting ``fields``."""

    label: str
    url: str
    rank: int = NEXT
    method: str = "get"
    fields: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""


@dataclass(frozen=True)
class NextStepSource:
    """An app's steps for a case and a viewer (a fixed number of queries)."""

    steps: Callable[[Case, User], Sequence[NextStep]]


#: What each stage means for the people working with the family.
STAGE_GUIDANCE: dict[str, str] = {
    S.IDENTIFIED: "A need has been identified. Ask the family whether they agree to early "
    "help, then start the assessment with them.",
    S.REQUEST_SUBMITTED: "The request for support is waiting for the early help hub.",
    S.TRIAGED: "The hub has triaged the request. Start the assessment with the family.",
    S.CONSENT_PENDING: "Waiting for the family's agreement. Record it, then start the "
    "assessment with them.",
    S.ASSESSING: "The assessment is being written with the family. Completing it moves the "
    "case to planning.",
    S.PLANNING: "The assessment is complete. The first TAC meeting agrees the plan and who "
    "leads; holding it starts the plan.",
    S.ACTIVE: "The plan is under way. Review it with the family and the team; when needs "
    "are met, agree to close.",
    S.REASSESSING: "Needs have changed, so the assessment is being done again. Completing "
    "it returns the case to its plan.",
    S.STEP_UP_REQUESTED: "The child has been referred to children's social care. The case "
    "stays open, with its lead professional, until social care decide.",
    S.CLOSING: "Closure has been agreed. Record the closure with the family's views.",
}


def _case_steps(case: Case, user: User) -> list[NextStep]:
    """The steps ``cases`` owns: asking the family, closure, step-up, reopening."""
    steps: list[NextStep] = []
    status = case.status
    if not case.is_open:
        return _reopen_steps(case, user)
    may = stage_steps_for(user, case)
    if status == S.IDENTIFIED and S.CONSENT_PENDING in may.moves:
        steps.append(
            NextStep(
                "Ask the family for their agreement",
                reverse("cases:stage", args=[case.pk, S.CONSENT_PENDING]),
                rank=THEN,
            )
        )
    if status in {S.IDENTIFIED, S.TRIAGED, S.CONSENT_PENDING} and (
        may.runs or can_record_on_case(user, case)
    ):
        steps.append(
            NextStep(
                "Record the family's agreement",
                reverse("cases:consent_new", args=[case.pk]),
                rank=THEN if status == S.CONSENT_PENDING else OTHER,
            )
        )
    if may.step_up_decision:
        steps.append(
            NextStep(
                "Record social care's decision",
                reverse("cases:step_up_decision", args=[case.pk]),
            )
        )
    if status == S.CLOSING and may.close:
        steps.append(NextStep("Record the closure", reverse("cases:closure", args=[case.pk])))
    if status == S.ACTIVE and S.CLOSING in may.moves:
        steps.append(
            NextStep(
                "Agree that the case should close",
                reverse("cases:stage", args=[case.pk, S.CLOSING]),
                rank=OTHER,
                hint="Agreed with the family at a final review; the closure record follows.",
            )
        )
    if status == S.REASSESSING and S.ACTIVE in may.moves:
        steps.append(
            NextStep(
                "Return to the plan without a new assessment",
                reverse("cases:stage", args=[case.pk, S.ACTIVE]),
                rank=OTHER,
            )
        )
    if status != S.CLOSING and may.close:
        label = (
            "Close the case"
            if status in {S.ACTIVE, S.REASSESSING}
            else "Close the case, or no further action"
        )
        steps.append(NextStep(label, reverse("cases:closure", args=[case.pk]), rank=OTHER + 5))
    if may.step_up:
        steps.append(
            NextStep(
                "Step up to children's social care",
                reverse("cases:step_up_request", args=[case.pk]),
                rank=OTHER + 6,
            )
        )
    return steps


def _reopen_steps(case: Case, user: User) -> list[NextStep]:
    """A closed case: its children can start a new case, a re-referral within 12 months."""
    if not can_reopen(user, case) or case.closed_at is None:
        return []
    if (timezone.now() - case.closed_at).days > RE_REFERRAL_DAYS:
        return []
    subjects = CaseSubject.objects.filter(case=case).select_related("child").order_by("child_id")
    # One query for whether each child is free: a child already in an open case is not.
    busy = set(
        CaseSubject.objects.filter(
            child__in=[s.child_id for s in subjects], is_open=True
        ).values_list("child_id", flat=True)
    )
    return [
        NextStep(
            f"Start a new case for {s.child.full_name} (re-referral)",
            reverse("cases:start_case"),
            method="post",
            fields={"child": str(s.child_id)},
            hint="Closed in the last 12 months: the new case is linked to this one.",
        )
        for s in subjects
        if s.child_id not in busy
    ]


CASE_STEPS = NextStepSource(steps=_case_steps)


def registered_sources() -> tuple[NextStepSource, ...]:
    sources = tuple(import_string(path) for path in settings.TAC_NEXT_STEPS)
    for path, source in zip(settings.TAC_NEXT_STEPS, sources, strict=True):
        if not isinstance(source, NextStepSource):
            raise ImproperlyConfigured(f"{path} is not a NextStepSource")
    return sources


def next_steps(case: Case, user: User) -> list[NextStep]:
    """Every step ``user`` may take on ``case`` now, the most pressing first."""
    steps = [step for source in registered_sources() for step in source.steps(case, user)]
    return sorted(steps, key=lambda step: step.rank)


def next_steps_panel(case: Case, user: User) -> Mapping[str, Any]:
    steps = next_steps(case, user)
    main = [s for s in steps if s.rank < OTHER][:2]
    others = [s for s in steps if s not in main]
    return {
        "case": case,
        "stage": case.get_status_display(),
        "guidance": STAGE_GUIDANCE.get(case.status, ""),
        "main": main,
        "others": others,
    }


NEXT_STEPS = CasePanel(
    key="next_steps",
    template="cases/panels/next_steps.html",
    context=next_steps_panel,
    at_top=True,
)
