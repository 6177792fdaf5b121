from __future__ import annotations

from typing import Any

from django import forms

from imports.files import MAX_BYTES
from tac_portal.forms import SubmissionTokenField


class UploadForm(forms.Form):
    """The file to check: a CSV (one sheet) or an XLSX workbook in the template."""

    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or XLSX file in the import template, smaller than 64 MB",
        error_messages={
            "required": "Choose a CSV or XLSX file to upload",
            "empty": "The file is empty",
            "invalid": "Choose a CSV or XLSX file to upload",
        },
    )
    submission_token = SubmissionTokenField()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an XLSX file")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 64 MB")
        return upload
