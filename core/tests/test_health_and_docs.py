"""Health check, OpenAPI schema and the offline API docs."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_health_reports_every_service(api):
    response = api.get("/api/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert set(body["services"]) == {
        "database",
        "cache",
        "broker",
        "channel_layer",
        "beat",
        "periodic_jobs",
    }
    assert set(body["services"].values()) == {"healthy"}
    assert "timestamp" in body


def test_health_is_503_when_a_service_fails(api, monkeypatch):
    from core import views

    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setitem(views._CHECKS, "cache", broken)
    response = api.get("/api/v1/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["services"]["cache"] == "unhealthy"
    assert "cache down" not in response.content.decode()


def test_openapi_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/auth/register/" in text
    assert "\n  /api/auth/" not in text  # the alias prefix is not documented
    assert "/sandbox/" not in text


def test_schema_endpoint_and_docs_are_served_without_a_cdn(api):
    assert api.get("/api/schema/").status_code == 200
    for path in ("/api/docs/", "/api/redoc/"):
        page = api.get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert "cdn." not in html
        assert "unpkg" not in html
        assert "/static/drf_spectacular_sidecar/" in html
    assert (
        api.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code
        == 200
    )


@pytest.mark.parametrize("path", ["/api/health/live/", "/api/v1/health/live/"])
def test_liveness_answers_alive_without_touching_database_or_cache(
    api, path, django_assert_num_queries, monkeypatch
):
    from django.core.cache import cache

    def untouchable(*args, **kwargs):
        raise AssertionError("liveness touched the cache")

    for method in ("get", "set", "add", "delete", "incr"):
        monkeypatch.setattr(cache, method, untouchable)
    with django_assert_num_queries(0):
        response = api.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_liveness_is_documented_beside_readiness():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    live = schema["paths"]["/api/v1/health/live/"]["get"]
    assert live["tags"] == ["health"]
    assert live["security"] == [] or "security" not in live or live["security"] == [{}]
    body = live["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["$ref"] == "#/components/schemas/Liveness"
    assert "/api/v1/health/" in schema["paths"]
