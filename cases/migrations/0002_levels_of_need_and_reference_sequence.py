from __future__ import annotations

from typing import Any

from django.db import migrations

# The four common levels on the continuum of need (DOMAIN §4.1). They are data:
# a local authority renames or re-describes them in the admin.
LEVELS = [
    (
        "UNIVERSAL",
        1,
        "Universal",
        "Needs met by universal services such as health and education.",
    ),
    (
        "EARLY_HELP",
        2,
        "Early help",
        "Emerging or additional needs; early signs of vulnerability. Single-agency "
        "or light multi-agency early help.",
    ),
    (
        "TARGETED",
        3,
        "Targeted",
        "Multiple or complex needs; a multi-agency team around the family with a "
        "lead professional.",
    ),
    (
        "SPECIALIST",
        4,
        "Specialist",
        "Suffering or likely to suffer significant harm, or acute needs: statutory "
        "children's social care.",
    ),
]


def add_levels(apps: Any, schema_editor: Any) -> None:
    LevelOfNeed = apps.get_model("cases", "LevelOfNeed")
    for code, ordinal, label, description in LEVELS:
        LevelOfNeed.objects.update_or_create(
            code=code, defaults={"ordinal": ordinal, "label": label, "description": description}
        )


def remove_levels(apps: Any, schema_editor: Any) -> None:
    LevelOfNeed = apps.get_model("cases", "LevelOfNeed")
    LevelOfNeed.objects.filter(code__in=[code for code, *_ in LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(add_levels, remove_levels),
        # Case references (EH-000123) come from a sequence so that concurrent
        # openings never collide.
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS cases_case_reference_seq START 1",
            "DROP SEQUENCE IF EXISTS cases_case_reference_seq",
        ),
    ]
