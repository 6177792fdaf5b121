"""The API documentation page: vendored Swagger UI under the portal's CSP, in Chromium."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


def test_the_docs_page_uses_no_inline_script_or_cdn() -> None:
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body
    assert "style=" not in body
    assert "http" not in body.replace('lang="en"', "")
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_schema_is_public_and_documents_problems() -> None:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    cases = schema["paths"]["/api/v1/cases/"]["get"]
    assert "application/problem+json" in cases["responses"]["404"]["content"]
    assert cases["security"][0] == {"partnerClient": ["cases:read"]}
    assert "304" in schema["paths"]["/api/v1/cases/{id}/"]["get"]["responses"]
    assert schema["components"]["securitySchemes"]["partnerClient"]["type"] == "oauth2"


def test_the_description_promises_nothing_the_api_does_not_do() -> None:
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    description = schema["info"]["description"]
    assert "(soon)" not in description
    assert "submit requests for support" in description
    assert "/api/v1/referrals/" in schema["paths"]


@pytest.mark.browser
def test_swagger_ui_renders_under_the_csp(
    page: Any,
    check_page: Callable[[Any, str], None],
) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/cases/")
    assert "TAC Portal partner API" in page.inner_text(".swagger-ui .info .title")
    assert refused == []
    check_page(page, "api-docs")
