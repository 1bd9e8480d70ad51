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


def test_options_is_not_served_on_any_route_of_the_schema(couple):
    """DRF's OPTIONS metadata is not the API's contract (the schema is), and building it ran
    object lookups some views do not have (found by schemathesis: a 500 on checkins/{date}).
    Every route answers OPTIONS with a 405 in the error shape."""
    from tests.schema_truth import generated_schema

    for path in generated_schema()["paths"]:
        concrete = path.replace("{date}", "2026-01-31").replace("{code}", "ABCDE-FGHJK")
        concrete = concrete.replace("{id}", "00000000-0000-0000-0000-000000000000")
        concrete = concrete.replace("{token}", "x").replace("{slug}", "calm-first")
        response = couple.client_a.options(concrete)
        assert response.status_code == 405, (path, response.content)
        assert response.json()["errors"][0]["code"] == "method_not_allowed"


def test_the_answer_bases_notes_for_developers_stay_out_of_the_schema(db):
    """A component without a docstring of its own is not described by its base class's:
    `OutputModelSerializer` and `OutputSerializer` say how fields are copied, which tells a
    reader of the API nothing (it once described 13 answers)."""
    import yaml

    from common.serializers import OutputModelSerializer, OutputSerializer

    out = StringIO()
    call_command("spectacular", "--format", "openapi", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    notes = {
        " ".join(OutputModelSerializer.__doc__.split()[:8]),
        " ".join(OutputSerializer.__doc__.split()[:8]),
    }
    described = [
        name
        for name, component in schema["components"]["schemas"].items()
        if any(note in " ".join(component.get("description", "").split()) for note in notes)
    ]
    assert described == []
    assert "CheckInOutput" in schema["components"]["schemas"]
