"""Writing an assessment: a section's page, its fields, and saving them (autosave too)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agencies.http import AuthenticatedHttpRequest
from assessments.definition import Definition
from assessments.forms import (
    ConsentForm,
)
from assessments.models import Assessment, Source, ViewRecord
from assessments.services import content as content_services
from assessments.services.common import can_edit
from assessments.services.content import (
    ELEMENT_FIELDS,
    VIEW_FIELDS,
    Base,
    Conflict,
    SaveResult,
    field_value,
    fingerprint,
    parents_and_carers,
)
from assessments.views.common import YES_NO, messages_of, open_assessment
from cases.masking import masks_for
from cases.models import ConsentRecord, FamilyMember
from tac_portal.forms import (
    PARTS,
    ErrorSummary,
    FieldSpec,
    GovUKDateField,
    date_problem,
    parse_date_parts,
)


def _field(
    form_id: str,
    name: str,
    label: str,
    kind: str,
    value: str,
    version: int,
    *,
    hint: str = "",
    conflict: Conflict | None = None,
    error: str = "",
    base: Base | None = None,
    parts: list[str] | None = None,
) -> dict[str, Any]:
    id_ = f"{form_id}-{name}"
    anchor = id_
    if kind == "date":
        # The error summary links to the first wrong box of a date.
        problem = date_problem(parts) if parts else None
        anchor = f"{id_}_{problem.parts[0] if problem else 'day'}"
    return {
        "id": id_,
        "anchor": anchor,
        "form_id": form_id,
        "name": name,
        "label": label,
        "type": kind,
        "hint": hint,
        "value": value,
        "values": [v for v in value.split(",") if v] if kind == "choices" else [],
        "version": base.version if base else version,
        "fingerprint": base.fingerprint if base else fingerprint(value),
        "conflict": conflict,
        "error": error,
        "spec": _spec(id_, name, label, kind, value, hint=hint, error=error, parts=parts),
    }


def _spec(
    id_: str,
    name: str,
    label: str,
    kind: str,
    value: str,
    *,
    hint: str,
    error: str,
    parts: list[str] | None,
) -> FieldSpec:
    """How one assessment field is shown: the same GOV.UK templates as every form."""
    shown: Any = value
    choices: list[tuple[str, str]] = []
    template = {"text": "textarea", "string": "input", "date": "date"}.get(kind, kind)
    if kind == "yes_no":
        template, choices = "radios", YES_NO
    elif kind == "choices":
        template, choices = "checkboxes", list(Source.choices)
        shown = [v for v in value.split(",") if v]
    elif kind == "method":
        template, choices = "select", [("", "Choose how"), *ViewRecord.Method.choices]
    elif kind == "date" and parts is not None:
        shown = parts  # what was typed, even when it is not a date
    return FieldSpec(
        kind=template,
        name=f"f_{name}",
        id=id_,
        label=label,
        value=shown,
        hint=hint,
        errors=[error] if error else [],
        choices=choices,
    )


def _fields_for(
    form_id: str,
    spec: Mapping[str, tuple[str, str]],
    current: Mapping[str, str],
    versions: Mapping[str, int],
    *,
    hints: Mapping[str, str] | None = None,
    posted: Mapping[str, str] | None = None,
    bases: Mapping[str, Base] | None = None,
    conflicts: list[Conflict] | None = None,
    errors: Mapping[str, str] | None = None,
    dates: Mapping[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    by_field = {c.field: c for c in conflicts or []}
    return [
        _field(
            form_id,
            name,
            label,
            kind,
            (posted or {}).get(name, current.get(name, "")),
            versions.get(name, 0),
            hint=(hints or {}).get(name, ""),
            conflict=by_field.get(name),
            error=(errors or {}).get(name, ""),
            base=(bases or {}).get(name) if posted and name in posted else None,
            parts=(dates or {}).get(name),
        )
        for name, (label, kind) in spec.items()
    ]


def _versions(record: Any) -> dict[str, int]:
    return {k: int(v.get("v", 0)) for k, v in (record.versions if record else {}).items()}


def _section_spec(section: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {f["key"]: (f["label"], f["type"]) for f in section.get("fields", [])}


@login_required
@require_GET
def section(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    assessment = open_assessment(request, pk)
    return render_section(request, assessment, key)


def render_section(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    key: str,
    *,
    override: Mapping[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a section; ``override`` replaces one form's fields (after a failed save)."""
    definition = Definition(assessment.template.definition)
    section = definition.section(key)
    if section is None:
        raise Http404("No such section")
    override = override or {}
    editable = assessment.is_open and can_edit(request.user, assessment)
    forms: list[dict[str, Any]] = []
    context: dict[str, Any] = {}
    kind = section["kind"]
    if kind in ("fields", "child_details"):
        record = assessment.sections.filter(key=key).first()
        form_id = "form-section"
        forms.append(
            {
                "id": form_id,
                "action": reverse("assessments:save_section", args=[assessment.pk, key]),
                "fields": override.get(form_id)
                or _fields_for(
                    form_id,
                    _section_spec(section),
                    record.data if record else {},
                    _versions(record),
                    hints={f["key"]: f.get("hint", "") for f in section.get("fields", [])},
                ),
            }
        )
        if kind == "child_details":
            context["child"] = assessment.child
            context["masks"] = masks_for(assessment.case, request.user, request)
    elif kind == "domain":
        entries = {
            e.element_code: e
            for e in assessment.elements.filter(
                element_code__in=[
                    e["code"] for e in definition.domains[section["domain"]]["elements"]
                ]
            )
        }
        for element in definition.domains[section["domain"]]["elements"]:
            entry = entries.get(element["code"])
            form_id = f"form-el-{element['code']}"
            current = {n: field_value(entry, n) for n in ELEMENT_FIELDS} if entry else {}
            forms.append(
                {
                    "id": form_id,
                    "element": element,
                    "action": reverse(
                        "assessments:save_element", args=[assessment.pk, element["code"]]
                    ),
                    "fields": override.get(form_id)
                    or _fields_for(form_id, ELEMENT_FIELDS, current, _versions(entry)),
                }
            )
        context["domain"] = definition.domains[section["domain"]]
        context["sources"] = Source.choices
    elif kind == "views":
        records = list(assessment.views.select_related("family_member"))
        speakers: list[tuple[str, str, FamilyMember | None]] = [
            ("child", assessment.child.full_name + " (the child)", None)
        ] + [
            (str(m.pk), f"{m.full_name} ({m.get_relationship_display()})", m)
            for m in parents_and_carers(assessment)
        ]
        for who, name, member in speakers:
            view = next(
                (
                    r
                    for r in records
                    if (r.family_member_id == member.pk if member else r.speaker == "child")
                ),
                None,
            )
            form_id = f"form-view-{who}"
            current = {n: field_value(view, n) for n in VIEW_FIELDS} if view else {}
            forms.append(
                {
                    "id": form_id,
                    "speaker": name,
                    "action": reverse("assessments:save_view", args=[assessment.pk, who]),
                    "fields": override.get(form_id)
                    or _fields_for(form_id, VIEW_FIELDS, current, _versions(view)),
                    "record": view,
                }
            )
        context["methods"] = ViewRecord.Method.choices
    elif kind == "consent":
        members = parents_and_carers(assessment)
        consents = {
            c.pk: c
            for c in ConsentRecord.objects.filter(
                pk__in=[assessment.consent_to_assessment_id, assessment.consent_to_share_id]
            ).select_related("given_by", "given_by_child", "recorded_by")
        }
        context["consent_start"] = consents.get(assessment.consent_to_assessment_id or 0)
        context["consent_share"] = consents.get(assessment.consent_to_share_id or 0)
        context["consent_forms"] = override.get("consent") or {
            stage: ConsentForm(
                members=members,
                child_name=assessment.child.full_name,
                prefix=stage,
                initial={"given_on": timezone.localdate(), "information_level": "additional"},
            )
            for stage in ("start", "completion")
        }
    context["field_errors"] = ErrorSummary(
        [(f["anchor"], f["error"]) for form in forms for f in form["fields"] if f["error"]]
    )
    context["conflicts_found"] = ErrorSummary(
        [
            (f"conflict-{f['form_id']}-{f['name']}", f["label"])
            for form in forms
            for f in form["fields"]
            if f["conflict"]
        ],
        title="Not saved: someone else changed this while you were writing",
        description="Your text is kept below, next to theirs. Nothing has been lost.",
    )
    return render(
        request,
        f"assessments/section_{kind if kind != 'child_details' else 'fields'}.html",
        {
            "assessment": assessment,
            "case": assessment.case,
            "section": section,
            "forms": forms,
            "editable": editable,
            **context,
        },
        status=status,
    )


class _Dates:
    """A form's dates as typed (day, month and year boxes) and what is wrong with them."""

    def __init__(self) -> None:
        self.typed: dict[str, list[str]] = {}
        self.errors: dict[str, str] = {}

    def read(self, post: Any, name: str, label: str) -> str:
        """The date as stored (ISO, or empty), or empty with an error noted."""
        parts = [str(post.get(f"f_{name}_{part}", "")) for part in PARTS]
        self.typed[name] = parts
        try:
            day = parse_date_parts(parts)
        except ValueError:
            problem = date_problem(parts)
            code, missing = (problem.code, problem.missing) if problem else ("invalid", "")
            self.errors[name] = GovUKDateField(label=label).message(code, missing=missing)
            return ""
        return day.isoformat() if day else ""


def _parse(
    post: Any, spec: Mapping[str, tuple[str, str]], dates: _Dates
) -> tuple[dict[str, str], dict[str, Base], dict[str, int]]:
    names = [n for n in post.get("fields", "").split(",") if n in spec]
    values: dict[str, str] = {}
    bases: dict[str, Base] = {}
    overwrite: dict[str, int] = {}
    for name in names:
        if spec[name][1] == "choices":
            values[name] = ",".join(post.getlist(f"f_{name}"))
        elif spec[name][1] == "date":
            values[name] = dates.read(post, name, spec[name][0])
        else:
            values[name] = post.get(f"f_{name}", "")
        try:
            version = int(post.get(f"v_{name}", ""))
        except ValueError:
            version = -1
        bases[name] = Base(version=version, fingerprint=post.get(f"h_{name}", ""))
        raw = post.get(f"overwrite_{name}")
        if raw is not None and raw.isdecimal():
            overwrite[name] = int(raw)
    return values, bases, overwrite


def _is_autosave(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.POST.get("autosave") == "1"


def _save(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    *,
    key: str,
    form_id: str,
    spec: Mapping[str, tuple[str, str]],
    save: Callable[..., SaveResult],
    anchor: str,
    validate: Callable[[dict[str, str]], dict[str, str]] | None = None,
) -> HttpResponse:
    """Shared handler of the three save endpoints: autosave (htmx) or a plain form post."""
    dates = _Dates()
    values, bases, overwrite = _parse(request.POST, spec, dates)
    autosave = _is_autosave(request)
    hints: dict[str, str] = {}
    errors = dict(dates.errors)
    if not errors and not autosave and validate is not None:
        errors = validate(values)
    if not errors:
        try:
            result = save(values=values, bases=bases, overwrite=overwrite, by=request.user)
        except ValidationError as error:
            errors = (
                {k: str(v[0]) for k, v in error.message_dict.items()}
                if hasattr(error, "error_dict")
                else {next(iter(values), ""): " ".join(messages_of(error))}
            )
        else:
            if autosave:
                return render(
                    request,
                    "assessments/includes/save_status.html",
                    {
                        "result": result,
                        "form_id": form_id,
                        # Only what this save wrote: a field someone else changed keeps
                        # the version the person saw, so editing it later conflicts.
                        "fields": [
                            f
                            for f in _fields_for(form_id, spec, result.values, result.versions)
                            if f["name"] in result.saved
                        ],
                        "saved_at": timezone.localtime(),
                    },
                )
            if result.ok:
                messages.success(request, "Your changes have been saved.")
                url = reverse("assessments:section", args=[assessment.pk, key])
                return redirect(f"{url}#{anchor}")
            fields = _fields_for(
                form_id,
                spec,
                result.values,
                result.versions,
                hints=hints,
                posted=values,
                bases=bases,
                conflicts=result.conflicts,
            )
            return render_section(request, assessment, key, override={form_id: fields}, status=409)
    if autosave:
        return render(
            request, "assessments/includes/save_status.html", {"errors": errors, "form_id": form_id}
        )
    fields = _fields_for(
        form_id, spec, {}, {}, posted=values, bases=bases, errors=errors, dates=dates.typed
    )
    return render_section(request, assessment, key, override={form_id: fields}, status=400)


@login_required
@require_POST
def save_section(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    assessment = open_assessment(request, pk, edit=True)
    section = Definition(assessment.template.definition).section(key)
    if section is None or section["kind"] not in ("fields", "child_details"):
        raise Http404("No such section")

    def save(**kwargs: Any) -> SaveResult:
        return content_services.save_section(assessment, key, **kwargs)

    return _save(
        request,
        assessment,
        key=key,
        form_id="form-section",
        spec=_section_spec(section),
        save=save,
        anchor="form-section",
    )


@login_required
@require_POST
def save_element(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = open_assessment(request, pk, edit=True)
    definition = Definition(assessment.template.definition)
    if code not in definition.elements:
        raise Http404("No such element")
    domain_section = definition.domain_section(definition.element_domain[code])
    if domain_section is None:
        raise Http404("No such section")

    def save(**kwargs: Any) -> SaveResult:
        return content_services.save_element(assessment, code, **kwargs)

    return _save(
        request,
        assessment,
        key=domain_section["key"],
        form_id=f"form-el-{code}",
        spec=ELEMENT_FIELDS,
        save=save,
        anchor=f"form-el-{code}",
    )


@login_required
@require_POST
def save_view(request: AuthenticatedHttpRequest, pk: int, who: str) -> HttpResponse:
    assessment = open_assessment(request, pk, edit=True)
    member: FamilyMember | None = None
    if who != "child":
        member = next((m for m in parents_and_carers(assessment) if str(m.pk) == who), None)
        if member is None:
            raise Http404("No such parent or carer")
    views_section = Definition(assessment.template.definition).section_of_kind("views")
    if views_section is None:
        raise Http404("No such section")
    name = member.full_name if member else assessment.child.full_name

    def validate(values: dict[str, str]) -> dict[str, str]:
        errors: dict[str, str] = {}
        words = values.get("own_words", "").strip()
        if not words and not values.get("not_obtained_reason", "").strip():
            errors["own_words"] = (
                f"Enter {name}'s views in their own words, or say why they could not be given."
            )
        elif words and not values.get("communication_method"):
            errors["communication_method"] = f"Choose how {name} gave their views."
        return errors

    def save(**kwargs: Any) -> SaveResult:
        return content_services.save_view(assessment, family_member=member, **kwargs)

    return _save(
        request,
        assessment,
        key=views_section["key"],
        form_id=f"form-view-{who}",
        spec=VIEW_FIELDS,
        save=save,
        anchor=f"form-view-{who}",
        validate=validate,
    )
