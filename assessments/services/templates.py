"""Assessment templates: the default (the national 2009 CAF structure) and publishing a version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from assessments.definition import (
    validate_definition,
)
from assessments.models import (
    AssessmentTemplate,
)
from assessments.services.common import AssessmentError

if TYPE_CHECKING:
    pass


def default_template() -> AssessmentTemplate:
    template = AssessmentTemplate.objects.filter(is_default=True).first()
    if template is None:
        raise AssessmentError(
            "No assessment template is published as the default. Ask your system "
            "administrator to publish one.",
            code="no_template",
        )
    return template


@transaction.atomic
def publish_template(
    *, code: str, name: str, definition: Any, make_default: bool = True
) -> AssessmentTemplate:
    """Publish ``definition`` as the next version of template ``code``.

    Raises ``ValidationError`` (one message per problem) for an invalid
    definition. Existing assessments keep the version they started on.
    """
    validate_definition(definition)
    latest = (
        AssessmentTemplate.objects.select_for_update()
        .filter(code=code)
        .order_by("-version")
        .first()
    )
    if make_default:
        AssessmentTemplate.objects.filter(is_default=True).update(is_default=False)
    return AssessmentTemplate.objects.create(
        code=code,
        version=(latest.version + 1) if latest else 1,
        name=name,
        definition=definition,
        published_at=timezone.now(),
        is_default=make_default,
    )
