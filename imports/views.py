"""Bulk import pages: the template, the upload, the dry run and the import's progress.

Only the system administrator reaches them (``cases.access.can_import_records``); to
anyone else they do not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.access import ensure_can_import_records
from imports import columns, services
from imports.forms import UploadForm
from imports.models import ImportBatch, RecordKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    ensure_can_import_records(request.user)
    batches = ImportBatch.objects.select_related("uploaded_by").defer("content", "report")[:50]
    kinds = [(kind.value, kind.label) for kind in RecordKind]
    return render(request, "imports/import_list.html", {"batches": batches, "kinds": kinds})


@login_required
@require_GET
def xlsx_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    ensure_can_import_records(request.user)
    response = HttpResponse(columns.xlsx_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tac-import-template.xlsx"'
    return response


@login_required
@require_GET
def csv_template(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    ensure_can_import_records(request.user)
    if kind not in columns.SHEETS:
        raise Http404("No such sheet")
    response = HttpResponse(columns.csv_template(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tac-import-{kind}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    ensure_can_import_records(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            batch = services.upload_file(form.cleaned_data["file"], by=request.user)
            return redirect("imports:detail", batch.pk)

        return submit_once(request, form.cleaned_data["submission_token"], create)
    return render(request, "imports/upload.html", {"form": form})


def _batch(request: AuthenticatedHttpRequest, pk: int) -> ImportBatch:
    ensure_can_import_records(request.user)
    return get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk)


@login_required
@require_GET
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The dry run (and, once confirmed, the import's progress and result)."""
    batch = _batch(request, pk)
    report = batch.report or {}
    counts = report.get("counts", {})
    sheets = [(RecordKind(kind).label, counts[kind]) for kind in columns.SHEETS if kind in counts]
    rows = [
        {
            **row,
            "sheet_label": RecordKind(row["sheet"]).label,
            "outcome_label": services.OUTCOMES[row["outcome"]],
        }
        for row in report.get("rows", [])
    ]
    done, total = services.progress(batch)
    return render(
        request,
        "imports/batch_detail.html",
        {
            "batch": batch,
            "report": report,
            "sheets": sheets,
            "rows": rows,
            "rows_hidden": max(0, report.get("rows_total", 0) - len(rows)),
            "earlier": services.earlier_import_of_same_file(batch),
            "in_progress": batch.status
            in {ImportBatch.Status.CHECKING, ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING},
            "done": done,
            "total": total,
            "can_confirm": batch.status == ImportBatch.Status.CHECKED
            and not report.get("has_problems")
            and report.get("to_create", 0) > 0,
        },
    )


@login_required
@require_GET
def batch_progress(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """What the status page polls while the file is checked or imported."""
    batch = _batch(request, pk)
    done, total = services.progress(batch)
    return JsonResponse(
        {"status": batch.status, "label": batch.get_status_display(), "done": done, "total": total}
    )


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        services.confirm_import(batch, by=request.user)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
    return redirect(reverse("imports:detail", args=[batch.pk]))
