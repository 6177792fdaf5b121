"""Code evidence for docs/security.md (ASVS 5.0 V1, V3, V11 and V14): what the portal's
own code never does. Each test reads the source, so a change that starts doing it fails."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from tac_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
APPS = (
    "agencies",
    "cases",
    "assessments",
    "meetings",
    "notifications",
    "audit",
    "dashboards",
    "disclosures",
    "webhooks",
    "retention",
    "documents",
    "imports",
    "tac_portal",
)
#: The two modules that start processes: the virus scanner's local daemon for development
#: and the embedded services for `make run`. Both pass fixed argument lists, never a shell.
STARTS_PROCESSES = {"documents/local_scanner.py", "tac_portal/embedded.py"}


def _portal_python() -> dict[str, str]:
    files = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                files[str(path.relative_to(ROOT))] = path.read_text()
    return files


def _lines_matching(pattern: str, files: dict[str, str]) -> list[str]:
    regex = re.compile(pattern)
    return [
        f"{name}:{number}"
        for name, text in files.items()
        for number, line in enumerate(text.splitlines(), start=1)
        if regex.search(line) and not line.lstrip().startswith("#")
    ]


def test_it_finds_the_portal_code() -> None:
    files = _portal_python()
    assert len(files) > 100
    assert any(
        n.startswith("agencies/views.py:") for n in _lines_matching(r"^def _safe_next", files)
    )


def test_no_code_is_evaluated_at_run_time() -> None:
    files = _portal_python()
    assert _lines_matching(r"(?<![\w.])(eval|exec|compile)\(", files) == []
    assert _lines_matching(r"__import__\(|import_module\(.*request", files) == []


def test_no_shell_and_processes_only_from_fixed_argument_lists() -> None:
    files = _portal_python()
    assert _lines_matching(r"shell\s*=\s*True|os\.system\(|os\.popen\(", files) == []
    starters = set(_lines_matching(r"^import subprocess|^from subprocess", files))
    assert {name.split(":")[0] for name in starters} <= STARTS_PROCESSES


def test_no_template_is_built_from_text_at_run_time() -> None:
    files = _portal_python()
    assert _lines_matching(r"\bTemplate\(|from_string\(", files) == []


def test_nothing_is_unpickled_and_every_serializer_is_json() -> None:
    files = _portal_python()
    assert _lines_matching(r"\bpickle\b|\bmarshal\b|yaml\.load\(|yaml\.unsafe_load", files) == []
    assert settings.SESSION_SERIALIZER == "django.contrib.sessions.serializers.JSONSerializer"
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.result_serializer == "json"
    assert set(celery_app.conf.accept_content) <= {"json", "application/json"}


def test_random_values_come_from_the_operating_system() -> None:
    files = _portal_python()
    # The random module is predictable; secrets (or os.urandom) is used wherever a value
    # must not be guessed: tokens, object names, codes.
    assert _lines_matching(r"^import random|^from random import", files) == []
    assert _lines_matching(r"\bsecrets\.|get_random_string\(|os\.urandom\(", files)


def test_no_weak_hash_is_used() -> None:
    files = _portal_python()
    found = _lines_matching(r"hashlib\.(md5|sha1)\(|\bMD5\b|new\(['\"](md5|sha1)", files)
    # One exception: Pwned Passwords' range API is keyed by SHA-1, so the breached-password
    # check computes one to look a password up; it is never stored or trusted for security.
    lookup = [line for line in found if line.startswith("agencies/validators.py:")]
    assert len(lookup) <= 1
    assert [line for line in found if line not in lookup] == []


def test_the_portals_scripts_never_write_markup_or_evaluate_text() -> None:
    scripts = {path.name: path.read_text() for path in (ROOT / "static" / "js").glob("*.js")}
    assert scripts
    for name, text in scripts.items():
        for danger in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "postMessage",
        ):
            assert danger not in text, f"{name} uses {danger}"
    # Nor may any script the browser runs: the CSP allows no eval at all.
    assert "unsafe-eval" not in str(settings.CONTENT_SECURITY_POLICY)


def test_pages_load_nothing_from_another_site() -> None:
    templates = {
        str(path.relative_to(ROOT)): path.read_text()
        for path in (ROOT / "templates").rglob("*.html")
    }
    assert templates
    external = re.compile(
        r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*"
        r"\b(src|href|data)=\"(https?:)?//",
        re.IGNORECASE,
    )
    assert [name for name, text in templates.items() if external.search(text)] == []


def test_no_template_turns_escaping_off() -> None:
    templates = {
        str(path.relative_to(ROOT)): path.read_text()
        for path in (ROOT / "templates").rglob("*.html")
    }
    assert [name for name, text in templates.items() if "{% autoescape off" in text] == []


def test_every_form_names_the_fields_it_takes() -> None:
    # The configuration site (admin.py) is the administrator's own, where every field is
    # meant to be edited; everywhere else, a form or serializer that takes "__all__" (or all
    # but some) fields would let a request set a field no page offers, such as a case's
    # status or its lead.
    files = {name: text for name, text in _portal_python().items() if "admin" not in name}
    pattern = r"fields\s*=\s*['\"]__all__['\"]|^\s+exclude\s*=\s*[(\[]"
    assert _lines_matching(pattern, files) == []


def test_the_image_holds_no_source_control_metadata_or_tests() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    copies = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY")]
    assert copies
    for source in copies:
        assert source not in {".", "./", ".git", "tests", "benchmarks", "demo"}, source
