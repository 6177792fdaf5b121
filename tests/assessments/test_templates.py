"""Templates are data: the shipped CAF definition, and the validator that guards publishing."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from agencies.models import User
from assessments.definition import Definition, default_definition, validate_definition
from assessments.models import Assessment, AssessmentTemplate
from assessments.services.templates import publish_template
from cases.models import Case


def test_the_default_template_is_the_2009_caf_with_three_domains_and_16_elements(
    caf_template: AssessmentTemplate,
) -> None:
    validate_definition(caf_template.definition)
    definition = Definition(caf_template.definition)
    assert [len(d["elements"]) for d in definition.domains.values()] == [9, 3, 4]
    assert definition.sections[0]["fields"][0]["label"] == "What's happening for this family?"
    assert all(e["prompts"] for e in definition.elements.values())


def test_the_data_migration_seeds_version_1_as_the_default(db: None) -> None:
    import importlib

    from django.apps import apps

    seed = importlib.import_module("assessments.migrations.0003_default_caf_template").seed
    AssessmentTemplate.objects.all().delete()
    seed(apps, None)
    seed(apps, None)  # idempotent
    template = AssessmentTemplate.objects.get(is_default=True)
    assert (template.code, template.version) == ("caf-2009", 1)
    assert template.definition == default_definition()


def broken(change: Any) -> dict[str, Any]:
    definition = copy.deepcopy(default_definition())
    change(definition)
    return definition


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("domains"), "domains: must be a non-empty list."),
        (lambda d: d["sections"][0]["fields"][0].update(type="number"), "type: must be one of"),
        (lambda d: d["sections"].insert(0, d["sections"].pop(7)), "first section must be"),
        (lambda d: d["sections"].pop(10), "exactly one views section"),
        (lambda d: d["sections"][1].update(key="story"), "is used twice"),
        (lambda d: d["domains"][0]["elements"][0].update(code="learning"), "is used twice"),
        (lambda d: d["sections"][7].update(domain="nowhere"), "names no domain"),
        (lambda d: d["sections"][0].update(score=True), "unknown entries score"),
        (lambda d: d["domains"][1]["elements"][0].update(prompts=[""]), "non-empty texts"),
    ],
)
def test_the_validator_refuses_invalid_definitions_with_a_clear_message(
    change: Any, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_definition(broken(change))
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_publishing_a_new_version_keeps_assessments_on_theirs(
    assessment: Assessment, case: Case, lead: User
) -> None:
    definition = broken(lambda d: d["sections"][0]["fields"][0].update(label="Our story"))
    new = publish_template(code="caf-2009", name="Local EHA", definition=definition)
    assert new.version == 2
    assert new.is_default
    assessment.refresh_from_db()
    assert assessment.template.version == 1
    with pytest.raises(ValidationError):
        publish_template(code="caf-2009", name="Bad", definition={"schema": 1})
    assert AssessmentTemplate.objects.filter(code="caf-2009").count() == 2


def test_publishing_in_the_configuration_site_refuses_an_invalid_definition(
    admin_client_: Any, caf_template: AssessmentTemplate
) -> None:
    url = "/admin/assessments/assessmenttemplate/add/"
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(
        url, {"code": "caf-2009", "name": "Broken", "definition": '{"schema": 1, "sections": []}'}
    )
    assert response.status_code == 200
    assert "sections: must be a non-empty list." in response.content.decode()
    assert AssessmentTemplate.objects.count() == 1
    response = admin_client_.post(
        url,
        {
            "code": "caf-2009",
            "name": "Local EHA",
            "definition": __import__("json").dumps(default_definition()),
            "make_default": "on",
        },
    )
    assert response.status_code == 302
    assert AssessmentTemplate.objects.get(is_default=True).version == 2
