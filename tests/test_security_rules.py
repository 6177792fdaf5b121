"""The project's semgrep rules catch what they are for (they run offline in CI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / ".semgrep" / "project-rules.yml"

BAD_PYTHON = """
from django.db import connection
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from rest_framework import serializers
from rest_framework.permissions import AllowAny


def raw(qs, name):
    qs.raw("SELECT * FROM cases_child")
    qs.extra(where=["1=1"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM cases_child WHERE family_name = '{name}'")
        cursor.execute("SELECT %s" % name)
    return mark_safe(name)


@csrf_exempt
def view(request):
    pass


class ChildSerializer(serializers.ModelSerializer):
    permission_classes = [AllowAny]

    class Meta:
        fields = "__all__"
"""

GOOD_PYTHON = """
from django.db import connection
from django.utils.safestring import mark_safe


def fine(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_child WHERE family_name = %s", [name])
    return mark_safe("<br>")
"""


def _findings(tmp_path: Path) -> list[str]:
    semgrep = Path(sys.executable).parent / "semgrep"
    result = subprocess.run(
        [
            str(semgrep),
            "scan",
            "--metrics=off",
            "--disable-version-check",
            "--quiet",
            "--json",
            "--config",
            str(RULES),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return sorted(r["check_id"].rsplit(".", 1)[-1] for r in json.loads(result.stdout)["results"])


@pytest.mark.slow
def test_each_rule_fires_on_what_it_guards_against(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD_PYTHON)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ child.family_name|safe }}</p>\n")

    findings = _findings(tmp_path)

    assert set(findings) == {
        "no-raw-or-extra-querysets",
        "no-formatted-sql",
        "no-mark-safe-on-variables",
        "no-csrf-exempt",
        "no-allow-any",
        "no-serializer-all-fields",
        "no-safe-filter-in-templates",
    }
    assert findings.count("no-raw-or-extra-querysets") == 2
    assert findings.count("no-formatted-sql") == 2


@pytest.mark.slow
def test_the_rules_leave_parameterised_sql_and_literal_markup_alone(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD_PYTHON)
    assert _findings(tmp_path) == []
