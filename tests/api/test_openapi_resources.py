"""The OpenAPI schema documents every endpoint of the resources beside tickets, each with
its answers, and the docs page still loads only our static files under our CSP."""

from __future__ import annotations

from tests.support.tenancy import client_for

PATHS = {
    "/api/v1/tickets/{number}/files": {"get": "200", "post": "201"},
    "/api/v1/tickets/{number}/files/{attachment_id}": {"get": "200"},
    "/api/v1/tickets/{number}/files/{attachment_id}/content": {"get": "200"},
    "/api/v1/people": {"get": "200"},
    "/api/v1/people/me": {"get": "200"},
    "/api/v1/people/{person_id}": {"get": "200"},
    "/api/v1/people/invitations": {"get": "200", "post": "201"},
    "/api/v1/contacts": {"get": "200"},
    "/api/v1/contacts/{contact_id}": {"get": "200"},
    "/api/v1/categories": {"get": "200", "post": "201"},
    "/api/v1/categories/{category_id}": {"get": "200", "patch": "200"},
    "/api/v1/tags": {"get": "200"},
    "/api/v1/fields": {"get": "200"},
    "/api/v1/fields/{field_id}": {"get": "200"},
    "/api/v1/views": {"get": "200", "post": "201"},
    "/api/v1/views/{view_id}": {"get": "200", "delete": "204"},
    "/api/v1/kb/sections": {"get": "200"},
    "/api/v1/kb/articles": {"get": "200", "post": "201"},
    "/api/v1/kb/articles/{article_id}": {"get": "200", "patch": "200"},
    "/api/v1/kb/articles/{article_id}/versions": {"get": "200"},
}


def test_every_resource_path_is_in_the_schema_with_its_answers(system_a, agent_a):
    response = client_for(system_a, agent_a).get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path, methods in PATHS.items():
        assert path in paths, path
        for method, status in methods.items():
            operation = paths[path][method]
            assert status in operation["responses"], (path, method)
            assert operation["security"], (path, method)


def test_the_upload_is_documented_as_multipart(system_a, agent_a):
    schema = client_for(system_a, agent_a).get("/api/v1/openapi.json").json()

    upload = schema["paths"]["/api/v1/tickets/{number}/files"]["post"]

    assert "multipart/form-data" in upload["requestBody"]["content"]


def test_the_docs_page_still_passes_the_csp(system_a, agent_a):
    response = client_for(system_a, agent_a).get("/api/v1/docs")

    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
