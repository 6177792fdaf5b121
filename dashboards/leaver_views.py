"""The pages for workers who leave: who has left with open work, and their caseload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies.http import AuthenticatedHttpRequest
from agencies.models import User
from cases.access import get_professional_to_reassign, record_records_shown
from cases.models import AccessPurpose, Case
from dashboards import leavers, metrics
from dashboards.forms import ReassignCaseloadForm
from tac_portal.forms import add_service_errors


@login_required
@require_GET
def leaver_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deactivated accounts still holding open work, and (for a manager) their teams'
    members, whose caseload can be handed on before they leave."""
    scope = metrics.dashboard_scope(request.user)
    found, total = leavers.leavers_with_open_work(scope)
    team_members: list[User] = []
    if scope.team_ids is not None:
        team_members = list(
            User.objects.filter(
                team_id__in=scope.team_ids, is_active=True, role__in=User.CASE_WORKING_ROLES
            )
            .exclude(pk=request.user.pk)
            .select_related("team")
            .order_by("full_name", "pk")
        )
    return render(
        request,
        "dashboards/leavers.html",
        {"leavers": found, "total": total, "team_members": team_members},
    )


@login_required
@require_http_methods(["GET", "POST"])
def leaver_caseload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A professional's open work, case by case, and who takes it on."""
    professional = get_professional_to_reassign(request, pk)
    held = leavers.caseload(professional)
    form = ReassignCaseloadForm(
        request.POST if request.method == "POST" else None,
        successors=leavers.successors_for(professional, request.user),
        held=held,
        leaver=professional,
    )
    if request.method == "POST" and held and form.is_valid():
        data = form.cleaned_data
        try:
            handed = leavers.reassign_caseload(
                professional,
                by=request.user,
                successors=form.successors(),
                expected_leads=form.expected_leads(),
                note=data["note"],
                family_consulted=data["family_consulted"] == "yes",
                family_note=data["family_note"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(
                form, ValidationError(str(error)) if isinstance(error, PermissionDenied) else error
            )
        else:
            messages.success(
                request,
                f"{len(handed)} case{'s' if len(handed) != 1 else ''} handed on from "
                f"{professional.full_name}. The new lead professionals have been told.",
            )
            return HttpResponseRedirect(reverse("dashboards:leaver_caseload", args=[pk]))
    visible = set(
        Case.objects.visible_to(request.user)
        .filter(pk__in=[item.case.pk for item in held])
        .values_list("pk", flat=True)
    )
    record_records_shown(
        request,
        [
            (subject.child_id, item.case.pk)
            for item in held
            if item.case.pk in visible
            for subject in item.case.subjects.all()
        ],
        purpose=AccessPurpose.DASHBOARD,
    )
    return render(
        request,
        "dashboards/leaver_caseload.html",
        {"professional": professional, "form": form, "held": held, "visible": visible},
    )
