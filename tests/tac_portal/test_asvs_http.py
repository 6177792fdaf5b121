"""HTTP and error-handling evidence for docs/security.md (ASVS 5.0 V3, V4, V13, V14 and
V16): content types, no CORS, no TRACE, no directory listings, errors that say nothing
of the code, and a security log that is JSON, in UTC, one line per entry, with refusals
in it."""

from __future__ import annotations

import json
import logging
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from agencies.models import User
from cases.models import Case
from documents.models import DocumentVersion, version_file_name
from documents.views import attachment_name
from tac_portal import views
from tac_portal.validators import validate_person_name, validate_text

SECRET_DETAIL = "connection string postgres://portal:hunter2@db/tac"


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


# A URL configuration with one view that fails, for the error tests below.
urlpatterns = [path("boom/", _boom), path("", include("tac_portal.urls"))]
handler500 = views.server_error


def _json_handler() -> logging.Handler:
    for handler in logging.getLogger().handlers:
        if type(handler.formatter).__name__ == "JsonFormatter":
            return handler
    raise AssertionError("the console handler with the JSON formatter is not configured")


def test_pages_and_problems_say_what_they_are_and_their_character_set(
    client: Client, case: Case, member_client: Client
) -> None:
    page = client.get(reverse("agencies:sign_in"))
    assert page["Content-Type"] == "text/html; charset=utf-8"
    signed_in = member_client.get(reverse("cases:detail", args=[case.pk]))
    assert signed_in["Content-Type"] == "text/html; charset=utf-8"
    api = member_client.get(f"/api/v1/cases/{case.pk}/")
    assert api["Content-Type"] == "application/json"
    problem = client.get("/api/v1/cases/")
    assert problem.status_code == 401
    assert problem["Content-Type"] == "application/problem+json"


def test_no_other_site_is_allowed_to_read_a_response(case: Case, member_client: Client) -> None:
    evil = {"Origin": "https://evil.example"}
    for response in (
        member_client.get(f"/api/v1/cases/{case.pk}/", headers=evil),
        member_client.options(f"/api/v1/cases/{case.pk}/", headers=evil),
        member_client.get(reverse("cases:detail", args=[case.pk]), headers=evil),
        member_client.post("/o/token/", {"grant_type": "client_credentials"}, headers=evil),
    ):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Credentials" not in response


def test_trace_is_refused_everywhere(client: Client, member_client: Client) -> None:
    for who, url in (
        (client, reverse("agencies:sign_in")),
        (member_client, reverse("cases:my_cases")),
        (member_client, "/"),
        (member_client, "/api/v1/cases/"),
    ):
        for method in ("TRACE", "TRACK"):
            response = who.generic(method, url, HTTP_X_SECRET_HEADER="echo-me")
            assert response.status_code == 405, (method, url)
            assert b"echo-me" not in response.content


def test_pages_redirect_to_https_but_the_api_refuses_plain_http(
    client: Client, settings: Any
) -> None:
    import tac_portal.settings as production

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    page = client.get(reverse("agencies:sign_in"))
    assert page.status_code == 301
    assert page["Location"].startswith("https://")
    for url, method in (("/api/v1/cases/", "get"), ("/o/token/", "post")):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "Location" not in response
        assert response["Content-Type"] == "application/problem+json"
        assert "HTTPS only" in response.json()["detail"]
    # Over HTTPS the API answers as usual (here: who are you?).
    assert client.get("/api/v1/cases/", secure=True).status_code == 401


def test_no_directory_is_listed(client: Client, member_client: Client) -> None:
    for url in ("/static/", "/static/js/", "/static/vendor/", "/media/", "/documents/"):
        for who in (client, member_client):
            response = who.get(url)
            assert response.status_code in {302, 404}, url
            assert b"Index of" not in response.content
            assert b"meeting.js" not in response.content


def test_a_download_is_named_in_safe_characters_and_stored_under_a_random_name() -> None:
    hostile = SimpleNamespace(title='x"; filename=evil.exe\r\nSet-Cookie: a=b ../../etc')
    version = SimpleNamespace(file_type="pdf")
    name = attachment_name(hostile, version)  # type: ignore[arg-type]
    assert name.endswith(".pdf")
    for unsafe in ('"', ";", "\r", "\n", "/", "="):
        assert unsafe not in name
    stored = SimpleNamespace(
        scan_status=DocumentVersion.ScanStatus.CLEAN, document=SimpleNamespace(case_id=7)
    )
    first = version_file_name(stored, "../../Jamie Example's consent.pdf")  # type: ignore[arg-type]
    second = version_file_name(stored, "../../Jamie Example's consent.pdf")  # type: ignore[arg-type]
    assert first != second
    assert "Jamie" not in first
    assert ".." not in first
    assert re.fullmatch(r"available/case-7/[0-9a-f]{32}", first)


def test_an_unexpected_error_shows_a_reference_and_nothing_of_the_code(
    lead: User, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    for leak in ("Traceback", "RuntimeError", "hunter2", "postgres://", "_boom", ".py"):
        assert leak not in body
    assert response["X-Request-ID"] in body
    # The details go to the log instead, with the exception, for whoever investigates.
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert errors
    assert errors[0].exc_info is not None


def test_each_log_entry_is_one_json_line_in_utc_with_who_what_and_where(
    lead_client: Client, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tac.security"):
        lead_client.post(reverse("agencies:sign_out"))
    record = next(r for r in caplog.records if getattr(r, "event", "") == "sign_out")
    # A hostile value with a line break stays inside its own entry.
    record.msg = "sign_out\nfake_entry admin signed in"
    for filter_ in _json_handler().filters:
        filter_.filter(record)  # type: ignore[union-attr]
    line = _json_handler().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "sign_out\nfake_entry admin signed in"
    assert entry["time"].endswith("+00:00")
    assert entry["level"] == "INFO"
    assert entry["logger"] == "tac.security"
    assert entry["event"] == "sign_out"
    assert entry["user_id"] == lead.pk
    assert entry["ip"] == "127.0.0.1"
    assert "request_id" in entry


def test_logs_go_only_to_the_console_for_the_platform_to_collect() -> None:
    logging_settings: dict[str, Any] = django_settings.LOGGING
    handlers = logging_settings["handlers"]
    assert {name: h["class"] for name, h in handlers.items()} == {
        "console": "logging.StreamHandler"
    }


def test_refused_pages_and_forged_forms_are_logged(
    case: Case,
    outsider_client: Client,
    outsider: User,
    member_client: Client,
    member: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="tac.security"):
        outsider_client.get(reverse("cases:detail", args=[case.pk]))  # 404: not theirs
        member_client.get(reverse("cases:review_date", args=[case.pk]))  # 403: not the lead
        forged = Client(enforce_csrf_checks=True)
        forged.force_login(outsider)
        forged.post(reverse("agencies:sign_out"))
    records = [r for r in caplog.records if r.name == "tac.security"]
    by_event = {getattr(r, "event", ""): r for r in records}
    assert by_event["not_found"].user_id == outsider.pk  # type: ignore[attr-defined]
    assert by_event["not_found"].route == "cases:detail"  # type: ignore[attr-defined]
    assert by_event["access_refused"].user_id == member.pk  # type: ignore[attr-defined]
    assert by_event["access_refused"].route == "cases:review_date"  # type: ignore[attr-defined]
    assert "csrf_refused" in by_event
    for record in records:
        assert str(case.pk) not in str(getattr(record, "route", ""))


def test_hostile_input_and_throttled_clients_are_logged(
    member_client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1/min"},
    }
    hostile = {
        "given_names": "<img src=x onerror=alert(1)>",
        "family_name": '=HYPERLINK("https://evil.example")',
    }
    with caplog.at_level(logging.INFO, logger="tac.security"):
        for name in hostile.values():
            with pytest.raises(ValidationError):
                validate_person_name(name)
        with pytest.raises(ValidationError):
            validate_text("a note with a NUL \x00 in it")
        with pytest.raises(ValidationError):
            validate_person_name("Jamie2")  # a slip, not an attack: not logged
        member_client.get("/api/v1/agency-kinds/")
        throttled = member_client.get("/api/v1/agency-kinds/")
    assert throttled.status_code == 429
    records = [r for r in caplog.records if r.name == "tac.security"]
    rules = [getattr(r, "rule", "") for r in records if getattr(r, "event", "") == "input_refused"]
    assert rules == ["markup", "formula_trigger", "control_characters"]
    [throttle] = [r for r in records if getattr(r, "event", "") == "api_throttled"]
    assert throttle.ip == "127.0.0.1"  # type: ignore[attr-defined]
    logged = "\n".join(str(r.__dict__) for r in records)
    assert "onerror" not in logged
    assert "HYPERLINK" not in logged
