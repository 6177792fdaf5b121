from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.http import AuthenticatedHttpRequest
from agencies.models import User
from cases.access import (
    break_glass_grant_in_use,
    can_add_child_to_case,
    can_change_family_details,
    can_merge_children,
    can_read_access_report,
    can_read_case_history,
    can_restrict,
    can_triage,
    can_work_on_cases,
    get_case_for_history,
    get_case_for_user,
    is_information_governance,
    record_records_shown,
)
from cases.forms.chronology import ChronologyFilterForm
from cases.history import case_history_page
from cases.masking import masks_for
from cases.models import (
    AccessPurpose,
    Case,
    CaseSubject,
    ChildRelationship,
    ConsentRecord,
    DetailChange,
    FamilyMember,
    RequestForSupport,
)
from cases.panels import case_panels, my_work_panels
from cases.views.people import adult_editable, change_rows
from cases.views.records import undo_forms

MY_CASES_PAGE_SIZE = 50
#: "My work" counts the requests waiting for triage up to this many.
WAITING_COUNTED = 1000
DISCLOSURES_SHOWN = 10
#: The latest steps on the case shown on its page; the chronology page has them all.
HISTORY_SHOWN = 5
CHRONOLOGY_PAGE_SIZE = 50
#: Steps the case page shows elsewhere, so its history leaves them out: a member's
#: contribution is in the feed in their own words.
SHOWN_IN_THE_FEED = ("contribution.added",)
#: The panels the case page places in its sections (tabs) itself; any other panel
#: follows the sections.
TAB_PANEL_KEYS = ("meetings", "contributions", "assessments", "episode", "documents")


@login_required
@require_GET
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "My work": the cases the professional may see, open ones first, and their work.

    Other apps add sections (actions, meetings, draft assessments) as ``MyWorkPanel``.
    """
    show_closed = request.GET.get("show") == "closed"
    cases = Case.objects.listed_for(request.user)
    cases = cases.closed() if show_closed else cases.open()
    cases = cases.with_list_details().order_by("next_review_due", "reference")
    page = list(cases[:MY_CASES_PAGE_SIZE])
    record_records_shown(
        request,
        [(s.child_id, case.pk) for case in page for s in case.subjects.all()],
        purpose=AccessPurpose.CASE_LIST,
    )
    user = request.user
    may_triage = can_triage(user)
    waiting = None
    if may_triage:
        # Counted up to a bound: the link needs "how many, roughly", not a count of
        # every request waiting in the authority on every visit to "My work".
        received = RequestForSupport.objects.filter(status=RequestForSupport.Status.RECEIVED)
        counted = received[:WAITING_COUNTED].count()
        waiting = f"{counted:,}" if counted < WAITING_COUNTED else f"{WAITING_COUNTED:,} or more"
    return render(
        request,
        "cases/my_cases.html",
        {
            "cases": page,
            "truncated": len(page) == MY_CASES_PAGE_SIZE,
            "show_closed": show_closed,
            "today": timezone.localdate(),
            "panels": my_work_panels(request.user),
            "can_work": can_work_on_cases(user),
            "may_triage": may_triage,
            "waiting_requests": waiting,
        },
    )


@login_required
@require_GET
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A read-only view of one case. Invisible and missing cases are both 404."""
    case = get_case_for_user(request, pk, purpose=AccessPurpose.CASE)
    # Read once here and shared with the panels (``Case.subjects_with_children``).
    subjects = case.subjects_with_children()
    prefetch_related_objects([s.child for s in subjects], "known_names")
    grant = break_glass_grant_in_use(request.user, case)
    members = (
        case.memberships.active()
        .select_related("professional__agency", "professional__team", "family_member")
        .order_by("joined_at", "id")
    )
    leads = case.lead_assignments.select_related("professional", "agency", "assigned_by")
    judgements = case.level_judgements.select_related("level", "judged_by__agency")
    # System events fold into the history; the feed carries the members' own words.
    events = list(
        case.events.exclude(code__in=SHOWN_IN_THE_FEED)
        .select_related("actor__agency")
        .order_by("-at", "-id")[: HISTORY_SHOWN + 1]
    )
    consents = list(
        case.consents.select_related("given_by", "given_by_child", "recorded_by").prefetch_related(
            "subject_children", "agencies_allowed", "agencies_excluded"
        )
    )
    disclosures = list(case.disclosures.select_related("decided_by__agency")[:DISCLOSURES_SHOWN])
    concerns = list(case.safeguarding_concerns.select_related("raised_by__agency"))
    panels = case_panels(case, request.user)
    masks = masks_for(case, request.user, request)
    child_ids = {s.child_id for s in subjects}
    # A manager merges a duplicate record of a child, or undoes a recent merge.
    # The merge page is reached through the case's details, so only by those who keep them.
    keeps_details = can_change_family_details(request.user, case)
    mergeable = {
        cid for cid in child_ids if keeps_details and can_merge_children(request.user, [cid])
    }
    changes = change_rows(
        DetailChange.objects.filter(
            Q(child_id__in=child_ids) | Q(child__isnull=True, family_id=case.family_id)
        ).select_related("changed_by__agency", "child", "family", "family_member"),
        masks,
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "subjects": subjects,
            "children": [
                (
                    s,
                    [r for r in changes if r.change.child_id == s.child_id],
                    {
                        "can_merge": s.child_id in mergeable,
                        "undo": undo_forms(s.child) if s.child_id in mergeable else [],
                    },
                )
                for s in subjects
            ],
            "family_history": [r for r in changes if r.change.child_id is None],
            "adults": [
                (adult, adult_editable(adult, masks))
                for adult in FamilyMember.objects.filter(family_id=case.family_id)
                .prefetch_related(
                    Prefetch(
                        "child_relationships",
                        queryset=ChildRelationship.objects.select_related("child"),
                    )
                )
                .order_by("-lives_with_children", "created_at", "pk")
            ],
            "can_change_details": keeps_details,
            "can_add_child": can_add_child_to_case(request.user, case),
            "members": members,
            "lead": next((a for a in leads if a.ended_at is None), None),
            "previous_leads": [a for a in leads if a.ended_at is not None],
            "judgements": judgements,
            "events": events[:HISTORY_SHOWN],
            "more_events": len(events) > HISTORY_SHOWN,
            "can_read_history": can_read_case_history(request.user, case),
            "summary_rows": [row for p in panels for row in p.data.get("summary_rows", ())],
            "agreement": next(
                (c for c in consents if c.kind == ConsentRecord.Kind.AGREEMENT_TO_SERVICE),
                None,
            ),
            "sharing": next(
                (
                    c
                    for c in consents
                    if c.kind != ConsentRecord.Kind.AGREEMENT_TO_SERVICE and not c.withdrawn_at
                ),
                None,
            ),
            "today": timezone.localdate(),
            "break_glass_grant": grant,
            "can_read_access_report": can_read_access_report(request.user, case),
            "panel_by_key": {p.key: p for p in panels},
            "tab_panel_keys": TAB_PANEL_KEYS,
            "voice_panels": [p for p in panels if p.family_voice],
            "voice_recorded": any(p.data.get("any_views") for p in panels if p.family_voice),
            "top_panels": [p for p in panels if p.at_top],
            "panels": [p for p in panels if not p.family_voice and not p.at_top],
            "consents": consents,
            "service_withdrawn": next(
                (
                    c
                    for c in consents
                    if c.kind == ConsentRecord.Kind.AGREEMENT_TO_SERVICE and c.withdrawn_at
                ),
                None,
            ),
            "decisions": disclosures,
            "more_decisions": len(disclosures) == DISCLOSURES_SHOWN,
            "concerns": concerns,
            "mash_contact": settings.TAC_MASH_CONTACT,
            "can_work": can_work_on_cases(request.user),
            "masks": masks,
            "can_restrict": can_restrict(request.user, case),
        },
    )


@login_required
@require_GET
def case_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every tracked change to a case and its records (see ``get_case_for_history``)."""
    case = get_case_for_history(request, pk)
    child_ids = list(CaseSubject.objects.filter(case=case).values_list("child_id", flat=True))
    # Information governance reads the history whole; those who run the case see its
    # restricted items masked, as everywhere else.
    masks = (
        None if is_information_governance(request.user) else masks_for(case, request.user, request)
    )
    page = case_history_page(case, child_ids, request.GET.get("page"), masks=masks)
    return render(request, "cases/case_history.html", {"case": case, "page": page})


@login_required
@require_GET
def case_chronology(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every step on the case, newest first, filtered by kind and by person.

    Whoever may see the case may read its chronology (it is the case page's history,
    in full); the change history of its records is ``case_history``.
    """
    case = get_case_for_user(request, pk, purpose=AccessPurpose.CASE)
    all_events = case.events.all()
    kinds = sorted({code.split(".", 1)[0] for code in all_events.values_list("code", flat=True)})
    people = list(
        User.objects.filter(pk__in=all_events.exclude(actor=None).values("actor"))
        .select_related("agency")
        .order_by("full_name", "pk")
    )
    kind_choices = [(k, KIND_NAMES.get(k, k.replace("_", " ").capitalize())) for k in kinds]
    form = ChronologyFilterForm(
        request.GET,
        kinds=kind_choices,
        people=[(str(p.pk), f"{p.full_name}, {p.role_and_agency}") for p in people],
    )
    events = all_events.select_related("actor__agency").order_by("-at", "-id")
    kind = person = ""
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        person = form.cleaned_data["person"]
        if kind:
            events = events.filter(code__startswith=f"{kind}.")
        if person:
            events = events.filter(actor_id=int(person))
    page = Paginator(events, CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("kind", kind), ("person", person)) if v})
    return render(
        request,
        "cases/case_chronology.html",
        {
            "case": case,
            "page": page,
            "form": form,
            "filtered": bool(kind or person),
            "query": query,
            "can_read_history": can_read_case_history(request.user, case),
        },
    )


#: How the chronology's filter names each kind of step (the first part of its code).
KIND_NAMES = {
    "case": "The case and its stage",
    "contribution": "Contributions",
    "meeting": "Meetings",
    "review": "Reviews",
    "assessment": "Assessments",
    "action": "Actions",
    "plan": "The plan",
    "child": "Children's details",
    "family": "The family's details",
    "level": "Level of need",
    "request": "Request for support",
    "restriction": "Restricted details",
    "team": "The team",
    "lead": "Lead professional",
    "consent": "Agreement and sharing",
    "disclosure": "Decisions to share",
    "safeguarding": "Safeguarding",
    "step_up": "Step-up",
    "closure": "Closure",
}
