"""The national 2009 CAF structure as the default assessment template, version 1."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

# Read from the file as it was shipped with version 1; a new version is published
# in the configuration site, never by editing this file.
DEFINITION = Path(__file__).resolve().parents[1] / "definitions" / "caf-2009-v1.json"


def seed(apps, schema_editor):
    AssessmentTemplate = apps.get_model("assessments", "AssessmentTemplate")
    if AssessmentTemplate.objects.filter(code="caf-2009", version=1).exists():
        return
    AssessmentTemplate.objects.create(
        code="caf-2009",
        version=1,
        name="Early help assessment (national CAF 2009 structure)",
        definition=json.loads(DEFINITION.read_text(encoding="utf-8")),
        published_at=timezone.now(),
        is_default=not AssessmentTemplate.objects.filter(is_default=True).exists(),
    )


def unseed(apps, schema_editor):
    AssessmentTemplate = apps.get_model("assessments", "AssessmentTemplate")
    AssessmentTemplate.objects.filter(code="caf-2009", version=1, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_content_and_lifecycle")]

    operations = [migrations.RunPython(seed, unseed)]
