"""The API's OpenAPI schema and docs page."""

from __future__ import annotations


def test_openapi_lists_the_endpoints(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, method in [
        ("/api/me", "get"),
        ("/api/orgs", "get"),
        ("/api/orgs/alliances", "get"),
        ("/api/orgs/{org_id}", "get"),
        ("/api/people/workers", "get"),
        ("/api/people/workers/{worker_id}", "get"),
        ("/api/workplans", "get"),
        ("/api/workplans/meetings", "get"),
        ("/api/workplans/tasks/{task_id}/status", "post"),
    ]:
        assert method in paths.get(path, {}), path
    # Endpoints that need a login say so; public ones do not.
    assert paths["/api/people/workers"]["get"].get("security")
    assert not paths["/api/orgs"]["get"].get("security")


def test_docs_page(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"ok": True}
