"""The documents forms: add a document, replace it with a new version, delete it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from agencies.models import User
from documents import content
from documents.content import BinaryFile
from documents.models import TITLE_MAX_LENGTH, Document
from documents.services import check_file
from tac_portal.forms import FreeTextField, SubmissionTokenField

NO_RECORD = ""


class _FileForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text=f"{content.ALLOWED_LABELS}. The file is checked for viruses before anyone "
        "can open it.",
        error_messages={"required": "Choose the file to add"},
    )

    def clean_file(self) -> Any:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        # Field-level answers for the size and the type; the scan comes after.
        try:
            check_file(cast("BinaryFile", upload), name=upload.name or "")
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from None
        return upload


class AddDocumentForm(_FileForm):
    """A new document on a case (title, kind, who may see it, what it belongs to)."""

    submission_token = SubmissionTokenField()
    title = FreeTextField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        help_text="For example, Signed consent form or School report, summer term",
        error_messages={"required": "Give the document a title"},
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document it is"},
    )
    visibility = forms.ChoiceField(
        label="Who may open it?",
        choices=Document.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Document.Visibility.TEAM,
        help_text="Professionals only: never part of what the family is given. Restricted: "
        "only you and the people you name below.",
        error_messages={"required": "Choose who may open it"},
    )
    named_users = forms.MultipleChoiceField(
        label="Who else may open a restricted document? (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attached_to = forms.ChoiceField(
        label="Does it belong to an assessment, a meeting or an action? (optional)",
        required=False,
    )

    field_order = [
        "submission_token",
        "title",
        "file",
        "kind",
        "visibility",
        "named_users",
        "attached_to",
    ]

    def __init__(
        self,
        *args: Any,
        team: list[User] | None = None,
        records: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        named = cast(forms.MultipleChoiceField, self.fields["named_users"])
        named.choices = [
            (str(u.pk), f"{u.full_name} ({u.agency.name if u.agency is not None else 'no agency'})")
            for u in team or []
        ]
        if not team:
            del self.fields["named_users"]
        attached = cast(forms.ChoiceField, self.fields["attached_to"])
        attached.choices = [(NO_RECORD, "No, just the case"), *(records or [])]

    def named_user_ids(self) -> tuple[int, ...]:
        if self.cleaned_data.get("visibility") != Document.Visibility.RESTRICTED:
            return ()
        return tuple(int(pk) for pk in self.cleaned_data.get("named_users") or [])

    def attachment(self) -> dict[str, int]:
        """``assessment_id``, ``meeting_id`` or ``action_id``, from "meeting:12"."""
        chosen = self.cleaned_data.get("attached_to") or ""
        if not chosen:
            return {}
        name, _, pk = chosen.partition(":")
        return {f"{name}_id": int(pk)}


class ReplaceDocumentForm(_FileForm):
    """A new version of a document; the earlier versions are kept."""

    submission_token = SubmissionTokenField()
    file = forms.FileField(
        label="New version",
        help_text=f"{content.ALLOWED_LABELS}. The earlier versions are kept.",
        error_messages={"required": "Choose the file to add"},
    )


class DeleteDocumentForm(forms.Form):
    reason = FreeTextField(
        label="Why is it being deleted?",
        max_length=1000,
        help_text="The reason is kept in the case's history.",
        error_messages={"required": "Say why the document is being deleted"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
