from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from assessments.definition import default_definition, validate_definition
from assessments.models import AssessmentTemplate
from assessments.services.templates import publish_template

# Templates are configuration, not case data: a published version never changes
# (assessments keep the version they started on); a change is a new version.


class PublishTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    definition = forms.JSONField(
        help_text="Sections, domains and elements as JSON. It is checked before it is published.",
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
    )

    make_default = forms.BooleanField(label="Use for new assessments", required=False, initial=True)

    class Meta:
        model = AssessmentTemplate
        fields = ["code", "name", "definition"]

    def clean_definition(self) -> Any:
        definition = self.cleaned_data["definition"]
        validate_definition(definition)
        return definition


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(admin.ModelAdmin[AssessmentTemplate]):
    list_display = ["name", "code", "version", "is_default", "published_at"]
    list_filter = ["code", "is_default"]
    readonly_fields = ["code", "version", "name", "pretty_definition", "is_default", "published_at"]

    def get_form(
        self,
        request: HttpRequest,
        obj: AssessmentTemplate | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is None:
            kwargs["form"] = PublishTemplateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(  # type: ignore[override]
        self, request: HttpRequest, obj: AssessmentTemplate | None = None
    ) -> list[str]:
        if obj is None:
            return ["code", "name", "definition", "make_default"]
        return self.readonly_fields

    def get_readonly_fields(
        self, request: HttpRequest, obj: AssessmentTemplate | None = None
    ) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        latest = AssessmentTemplate.objects.filter(is_default=True).first()
        return {
            "code": latest.code if latest else "caf-2009",
            "name": latest.name if latest else "",
            "definition": latest.definition if latest else default_definition(),
            "make_default": True,
        }

    @admin.display(description="Definition")
    def pretty_definition(self, obj: AssessmentTemplate) -> str:
        return json.dumps(obj.definition, indent=2)

    def save_model(
        self, request: HttpRequest, obj: AssessmentTemplate, form: Any, change: bool
    ) -> None:
        if change:
            return  # published versions are read-only
        published = publish_template(
            code=obj.code,
            name=obj.name,
            definition=obj.definition,
            make_default=form.cleaned_data["make_default"],
        )
        obj.pk = published.pk
        obj.version = published.version
        obj.published_at = published.published_at

    def has_delete_permission(
        self, request: HttpRequest, obj: AssessmentTemplate | None = None
    ) -> bool:
        return False
