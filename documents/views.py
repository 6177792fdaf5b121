"""The documents pages: a case's documents, adding one, a document with its versions,
replacing and deleting it, and the download that streams a file after the access check.

Thin views over ``documents.services``; who may do what is ``cases.access``. A file is
never at a public address: ``download`` checks the access policy, logs the read (the
record-access log and the document's own download log), and sends the file as an
attachment that the browser must not sniff.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.models import User
from agencies.submissions import submit_once
from cases.access import (
    break_glass_grant_in_use,
    can_add_document,
    can_change_document,
    can_open_document,
    ensure_can_add_document,
    ensure_can_change_document,
    get_case_for_user,
    get_document_for_user,
)
from cases.models import AccessPurpose, Case
from documents import content
from documents.forms import AddDocumentForm, DeleteDocumentForm, ReplaceDocumentForm
from documents.models import Document, DocumentVersion
from documents.services import (
    DocumentDetails,
    add_document,
    current_version,
    delete_document,
    record_download,
    replace_document,
    scan_again,
    too_large_message,
)

#: Room for the form's other fields around the largest file allowed.
_FORM_OVERHEAD_BYTES = 64 * 1024


def _documents() -> QuerySet[Document]:
    return Document.objects.current().select_related(
        "added_by__agency", "assessment__child", "meeting", "action"
    )


def _apply_errors(form: AddDocumentForm | ReplaceDocumentForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            if name in ("assessment", "meeting", "action"):
                target = "attached_to" if "attached_to" in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _too_large(request: AuthenticatedHttpRequest) -> bool:
    """Whether the request body is larger than any allowed file could make it: refused
    before the upload is read at all."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.TAC_DOCUMENT_MAX_BYTES + _FORM_OVERHEAD_BYTES


def _refuse_unread(form: AddDocumentForm | ReplaceDocumentForm) -> None:
    """The size error on a form whose upload was never read (so never bound)."""
    form.cleaned_data = {}
    form.add_error("file", too_large_message())


def _openable(user: User, case: Case, documents: list[Document]) -> set[int]:
    break_glass_only = break_glass_grant_in_use(user, case) is not None
    return {
        d.pk
        for d in documents
        if can_open_document(
            user,
            case,
            visibility=d.visibility,
            added_by_id=d.added_by_id,
            named_user_ids=[u.pk for u in d.named_users.all()],
            break_glass_only=break_glass_only,
        )
    }


def case_document_rows(
    case: Case, user: User, documents: list[Document]
) -> list[dict[str, object]]:
    """What the documents list shows of each document, as ``user`` may see it."""
    openable = _openable(user, case, documents)
    rows = []
    for document in documents:
        versions = list(document.versions.all())
        current = next((v for v in versions if v.is_available), None)
        rows.append(
            {
                "document": document,
                "may_open": document.pk in openable,
                "current": current,
                "latest": versions[0] if versions else None,
                "version_count": len(versions),
            }
        )
    return rows


def case_documents_queryset(case: Case) -> QuerySet[Document]:
    return (
        _documents()
        .filter(case=case)
        .prefetch_related(
            "named_users",
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")),
        )
    )


@login_required
@require_GET
def case_documents(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A case's documents, newest first."""
    case = get_case_for_user(request, pk, purpose=AccessPurpose.DOCUMENT)
    documents = list(case_documents_queryset(case))
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "rows": case_document_rows(case, request.user, documents),
            "can_add": can_add_document(request.user, case),
        },
    )


def _attachable_records(case: Case) -> list[tuple[str, str]]:
    """The case's assessments, meetings and actions, as "kind:id" choices."""
    choices: list[tuple[str, str]] = []
    for assessment in case.assessments.select_related("child").order_by("-started_at", "-id")[:50]:
        choices.append(
            (
                f"assessment:{assessment.pk}",
                f"Assessment of {assessment.child.full_name}, started "
                f"{assessment.started_at:%-d %B %Y}",
            )
        )
    for meeting in case.meetings.order_by("-starts_at", "-id")[:50]:
        choices.append(
            (
                f"meeting:{meeting.pk}",
                f"{meeting.get_kind_display()}, {meeting.starts_at:%-d %B %Y}",
            )
        )
    for action in case.actions.order_by("due_on", "id")[:50]:
        text = (
            action.description if len(action.description) <= 60 else action.description[:57] + "…"
        )
        choices.append((f"action:{action.pk}", f"Action: {text}"))
    return choices


def _team(case: Case, user: User) -> list[User]:
    """The case's active professional members other than ``user``: who may be named."""
    ids = case.memberships.active().filter(professional__isnull=False).values("professional")
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(pk=user.pk)
        .select_related("agency")
        .order_by("full_name", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a document to a case: checked, scanned and stored."""
    case = get_case_for_user(request, pk, purpose=AccessPurpose.DOCUMENT)
    ensure_can_add_document(request.user, case)
    team = _team(case, request.user)
    records = _attachable_records(case)
    if request.method == "POST" and _too_large(request):
        form = AddDocumentForm(team=team, records=records)
        _refuse_unread(form)
        return render(request, "documents/add.html", {"case": case, "form": form}, status=413)
    form = AddDocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        team=team,
        records=records,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]

        def create() -> HttpResponse:
            version = add_document(
                case,
                details=DocumentDetails(
                    title=data["title"],
                    kind=data["kind"],
                    visibility=data["visibility"],
                    named_user_ids=form.named_user_ids(),
                    **form.attachment(),
                ),
                file=upload,
                file_name=upload.name or "",
                by=request.user,
            )
            _say_how_it_went(request, version)
            return redirect("documents:detail", pk=version.document_id)

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "documents/add.html",
        {"case": case, "form": form, "allowed": content.ALLOWED_LABELS},
    )


def _say_how_it_went(request: AuthenticatedHttpRequest, version: DocumentVersion) -> None:
    if version.is_available:
        messages.success(request, "The document was scanned, no virus was found, and it was added.")
    else:
        messages.error(
            request,
            f"The document was quarantined and nobody can open it. {version.scan_detail} "
            "Check the file, then add it again.",
        )


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A document: what it is, its versions with their scan results, and what may be done."""
    document = get_document_for_user(
        request, _documents().prefetch_related("named_users"), pk, to_open=False
    )
    case = document.case
    user = request.user
    versions = list(document.versions.select_related("uploaded_by").order_by("-number"))
    may_open = bool(_openable(user, case, [document]))
    return render(
        request,
        "documents/detail.html",
        {
            "case": case,
            "document": document,
            "versions": versions,
            "current": next((v for v in versions if v.is_available), None),
            "may_open": may_open,
            "may_change": can_change_document(user, case, added_by_id=document.added_by_id),
            "named": list(document.named_users.all()) if may_open else [],
        },
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9 ._-]+")


def attachment_name(document: Document, version: DocumentVersion) -> str:
    """The file's name when saved: the title in safe characters, and the extension its
    content shows (never the uploaded name's)."""
    base = _UNSAFE.sub("", document.title).strip(" .") or "document"
    extension = (
        content.BY_KEY[version.file_type].extension
        if version.file_type in content.BY_KEY
        else "bin"
    )
    return f"{base[:80]}.{extension}"


def stream(version: DocumentVersion, document: Document) -> FileResponse:
    """The version's file as a download: attachment, no sniffing, no caching."""
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=attachment_name(document, version),
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, pk: int, number: int | None = None) -> FileResponse:
    """The document's current version (or version ``number``), once the access policy
    allows it; every download is logged. Quarantined versions are never sent."""
    document = get_document_for_user(
        request, _documents().prefetch_related("named_users"), pk, to_open=True
    )
    if number is None:
        version = current_version(document)
    else:
        version = document.versions.filter(number=number).first()
    if version is None or not version.is_available:
        raise Http404("This version cannot be opened")
    record_download(request, version)
    return stream(version, document)


@login_required
@require_http_methods(["GET", "POST"])
def replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new version of a document; the earlier ones are kept."""
    document = get_document_for_user(request, _documents(), pk, to_open=True)
    case = document.case
    ensure_can_change_document(request.user, case, added_by_id=document.added_by_id)
    if request.method == "POST" and _too_large(request):
        form = ReplaceDocumentForm()
        _refuse_unread(form)
        return render(
            request,
            "documents/replace.html",
            {"case": case, "document": document, "form": form},
            status=413,
        )
    form = ReplaceDocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def create() -> HttpResponse:
            version = replace_document(
                document, file=upload, file_name=upload.name or "", by=request.user
            )
            _say_how_it_went(request, version)
            return redirect("documents:detail", pk=document.pk)

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request, "documents/replace.html", {"case": case, "document": document, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Delete a document, with a reason (a soft delete, shown in the case's history)."""
    document = get_document_for_user(request, _documents(), pk, to_open=False)
    case = document.case
    ensure_can_change_document(request.user, case, added_by_id=document.added_by_id)
    form = DeleteDocumentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            delete_document(document, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "The document was deleted. The reason is in the case's history."
            )
            return redirect("documents:case_documents", pk=case.pk)
    return render(
        request, "documents/delete.html", {"case": case, "document": document, "form": form}
    )


@login_required
@require_POST
def rescan(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    """Scan again a version that could not be scanned."""
    document = get_document_for_user(request, _documents(), pk, to_open=True)
    ensure_can_change_document(request.user, document.case, added_by_id=document.added_by_id)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    try:
        version = scan_again(version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _say_how_it_went(request, version)
    return redirect("documents:detail", pk=document.pk)
