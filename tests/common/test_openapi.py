from io import StringIO

from django.core.management import call_command


def test_schema_generates_with_no_warnings(db):
    out = StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    schema = out.getvalue()
    assert '"/api/v1/me"' in schema
    assert "Idempotency-Key" in schema


def test_swagger_ui_is_served_locally_and_offers_the_sign_in_spec_too(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page
    assert "/_allauth/openapi.json" in page
    spec = client.get("/_allauth/openapi.json")
    assert spec.status_code == 200
    assert "/_allauth/app/v1/auth/login" in spec.content.decode()
