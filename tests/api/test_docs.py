"""The OpenAPI schema and the interactive docs: for signed-in people, served from our own
static files (no CDN) with no inline script, under our CSP."""

from __future__ import annotations

import re

from django.test import Client

from tests.support.tenancy import client_for, host_of


def test_the_schema_lists_the_tickets_endpoints_and_the_bearer_scheme(system_a, agent_a):
    schema = client_for(system_a, agent_a).get("/api/v1/openapi.json").json()

    assert {"/api/v1/tickets", "/api/v1/tickets/{number}", "/api/v1/tickets/{number}/merge"} <= set(
        schema["paths"]
    )
    schemes = schema["components"]["securitySchemes"]
    assert any(s == {"type": "http", "scheme": "bearer"} for s in schemes.values())


def test_the_docs_are_for_signed_in_people(system_a):
    visitor = Client(HTTP_HOST=host_of(system_a))

    for path in ("/api/v1/docs", "/api/v1/openapi.json"):
        response = visitor.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_docs_load_only_our_static_files_and_no_inline_script(system_a, agent_a):
    response = client_for(system_a, agent_a).get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in page.lower()
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
        attributes, _body = script
        assert "src=" in attributes or 'type="application/json"' in attributes, script
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
