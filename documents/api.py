"""Partner API: a case's documents (``GET``/``POST cases/<id>/documents/``) and each
document's file (``GET documents/<id>/file/``).

The same policy as the portal's pages: a case the caller may not reach is a 404, and so
is a document of it. A partner system reads a case's documents only where the family's
sharing preferences give its agency additional information, and never a restricted
document (machines never unmask). A file is sent after the access check, logged, as an
attachment that must not be sniffed. An upload is a ``multipart/form-data`` body (the
one endpoint that takes one), checked, scanned and stored by the same service as the
portal's form; ``Idempotency-Key`` makes a retry answer what the first upload answered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpResponseBase
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.api_writes import history_context, idempotent, validation_problem
from agencies.models import ApiScope, User
from cases.access import (
    DOCUMENT_RESTRICTED,
    agency_may_read_documents,
    can_open_document,
    record_records_shown,
)
from cases.api.base import CASES_READ, CaseDataView, CaseScopedListView
from cases.models import AccessPurpose, CaseSubject
from cases.sharing import information_levels
from documents.models import Document, DocumentVersion
from documents.services import DocumentDetails, add_document, current_version, record_download
from documents.views import stream
from tac_portal.api.problems import ApiProblem
from tac_portal.api.serializers import ApiModelSerializer, StrictInputSerializer, UtcDateTimeField
from tac_portal.api.views import get_object_or_404

DOCUMENTS_WRITE = ApiScope.DOCUMENTS_WRITE.value
_UPLOAD_OVERHEAD_BYTES = 64 * 1024


class VersionSerializer(ApiModelSerializer):
    uploaded_at = UtcDateTimeField(read_only=True)

    class Meta:
        model = DocumentVersion
        fields = ["number", "file_type", "content_type", "size", "sha256", "uploaded_at"]


class DocumentSerializer(ApiModelSerializer):
    created_at = UtcDateTimeField(read_only=True)
    updated_at = UtcDateTimeField(read_only=True)
    current_version = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    scan_detail = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "title",
            "kind",
            "visibility",
            "assessment",
            "meeting",
            "action",
            "created_at",
            "updated_at",
            "status",
            "scan_detail",
            "current_version",
            "file_url",
        ]

    def _current(self, document: Document) -> DocumentVersion | None:
        return next((v for v in document.versions.all() if v.is_available), None)

    def _latest(self, document: Document) -> DocumentVersion | None:
        return max(document.versions.all(), key=lambda v: v.number, default=None)

    def get_current_version(self, document: Document) -> dict[str, Any] | None:
        current = self._current(document)
        return VersionSerializer(current).data if current is not None else None

    def get_status(self, document: Document) -> str:
        """ "available" when a version may be opened; "quarantined" when none may."""
        return "available" if self._current(document) is not None else "quarantined"

    def get_scan_detail(self, document: Document) -> str:
        """Why the newest version is quarantined, if it is."""
        latest = self._latest(document)
        return latest.scan_detail if latest is not None and latest.is_quarantined else ""

    def get_file_url(self, document: Document) -> str | None:
        if self._current(document) is None:
            return None
        return reverse("api:document-file", kwargs={"pk": document.pk})


class DocumentInputSerializer(StrictInputSerializer):
    """A new document: its details and its file (``multipart/form-data``)."""

    title = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    visibility = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in Document.Visibility.choices
            if value != Document.Visibility.RESTRICTED
        ],
        help_text="A partner system cannot add a restricted document: it names no one.",
    )
    file = serializers.FileField(
        help_text="PDF, Word (.docx), Excel (.xlsx), OpenDocument text, PNG, JPEG or plain "
        "text, checked by content; scanned for viruses before anyone can open it."
    )


def _documents_for(
    viewer_user: User | None, documents: Iterable[Document], case: Any
) -> list[Document]:
    """Of ``documents``, those the caller may see: for a partner system never a restricted
    one; for a professional the documents they may open."""
    if viewer_user is None:
        return [d for d in documents if d.visibility != DOCUMENT_RESTRICTED]
    return [
        d
        for d in documents
        if can_open_document(
            viewer_user,
            case,
            visibility=d.visibility,
            added_by_id=d.added_by_id,
            named_user_ids=[u.pk for u in d.named_users.all()],
            break_glass_only=False,
        )
    ]


@extend_schema(summary="The case's documents; add one (multipart/form-data)")
class CaseDocumentList(CaseScopedListView):
    """The case's documents (not deleted), and adding one."""

    serializer_class = DocumentSerializer
    queryset = Document.objects.none()
    parser_classes = [MultiPartParser]
    body_media_types = frozenset({"multipart/form-data"})
    method_scopes: ClassVar[dict[str, Sequence[str]]] = {"POST": [CASES_READ, DOCUMENTS_WRITE]}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Refused before the body is read at all (authentication would read it).
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.TAC_DOCUMENT_MAX_BYTES + _UPLOAD_OVERHEAD_BYTES:
            raise ApiProblem(
                413,
                kind="urn:tac-portal:problem:file-too-large",
                title="The file is too large",
                detail=f"A document may be at most {settings.TAC_DOCUMENT_MAX_BYTES} bytes.",
            )
        super().initial(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Document]:
        if not agency_may_read_documents(self.level) and self.viewer.user is None:
            return Document.objects.none()
        queryset = (
            Document.objects.current()
            .filter(case=self.case)
            .prefetch_related(
                "named_users",
                Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")),
            )
        )
        if self.viewer.user is None:
            queryset = queryset.exclude(visibility=DOCUMENT_RESTRICTED)
        return queryset

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        return _documents_for(self.viewer.user, page, self.case)

    @extend_schema(
        request={"multipart/form-data": DocumentInputSerializer}, responses=DocumentSerializer
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.case  # 404 before anything is read for a case out of reach
        serializer = DocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        digest = hashlib.sha256()
        for name in ("title", "kind", "visibility"):
            digest.update(f"{name}={data[name]}\n".encode())
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        viewer = self.viewer

        def write() -> Response:
            with history_context(request):
                try:
                    version = add_document(
                        case,
                        details=DocumentDetails(
                            title=data["title"], kind=data["kind"], visibility=data["visibility"]
                        ),
                        file=upload,
                        file_name=upload.name or "",
                        by=viewer.user,
                        client_id=viewer.client_id,
                    )
                except DjangoValidationError as exc:
                    raise validation_problem(exc) from exc
            document = Document.objects.prefetch_related("versions").get(pk=version.document_id)
            response = Response(DocumentSerializer(document).data, status=201)
            response["Location"] = reverse("api:case-documents", kwargs={"case_pk": case.pk})
            return response

        return idempotent(request, write, request_hash=digest.hexdigest())


@extend_schema(summary="A document's current file (an attachment)", responses={(200, "*/*"): bytes})
class DocumentFile(CaseDataView):
    """The document's current version, streamed after the access check and logged."""

    required_scopes = [CASES_READ]
    queryset = Document.objects.none()

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        viewer = self.viewer
        document: Document = get_object_or_404(
            Document.objects.current()
            .filter(case__in=viewer.reachable_cases())
            .select_related("case")
            .prefetch_related("named_users"),
            pk=self.kwargs["pk"],
        )
        case = document.case
        if viewer.user is None:
            level = information_levels([case.pk], viewer.agency_id)[case.pk]
            allowed = (
                agency_may_read_documents(level) and document.visibility != DOCUMENT_RESTRICTED
            )
        else:
            allowed = bool(_documents_for(viewer.user, [document], case))
        version = current_version(document) if allowed else None
        if version is None:
            get_object_or_404(Document.objects.none(), pk=0)
        assert version is not None  # noqa: S101 - the line above raised otherwise
        children = CaseSubject.objects.filter(case=case).values_list("child_id", flat=True)
        record_records_shown(
            request._request,
            [(child_id, case.pk) for child_id in children],
            purpose=AccessPurpose.DOCUMENT,
            client_id=viewer.client_id,
        )
        record_download(request._request, version, client_id=viewer.client_id)
        return stream(version, document)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, FileResponse):
            response["Cache-Control"] = "no-store"
            return response
        return super().finalize_response(request, response, *args, **kwargs)
