import uuid

from accounts.models import User


def test_me_is_identified_by_a_uuid(auth_client, user):
    body = auth_client.get("/api/v1/me").json()
    assert body["id"] == str(user.pk)
    assert uuid.UUID(body["id"]).version == 4
    assert set(body) == {
        "id",
        "email",
        "display_name",
        "time_zone",
        "locale",
        "date_joined",
        "consent_required",
    }


def test_patch_changes_display_name_time_zone_and_locale(auth_client, user):
    response = auth_client.patch(
        "/api/v1/me",
        {"display_name": "Sam", "time_zone": "America/Sao_Paulo", "locale": "es"},
        format="json",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.locale) == ("Sam", "America/Sao_Paulo", "es")


def test_patching_email_staff_flags_or_ids_changes_nothing(auth_client, user):
    before = User.objects.values().get(pk=user.pk)
    response = auth_client.patch(
        "/api/v1/me",
        {
            "email": "attacker@example.com",
            "is_staff": True,
            "is_superuser": True,
            "id": "00000000-0000-0000-0000-000000000000",
            "public_id": "00000000-0000-0000-0000-000000000000",
            "pk": 999,
        },
        format="json",
    )
    assert response.status_code == 200
    after = User.objects.values().get(pk=user.pk)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


def test_unsupported_locale_is_refused(auth_client):
    response = auth_client.patch("/api/v1/me", {"locale": "xx"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "locale"


def test_the_api_speaks_the_persons_language_before_the_phones(auth_client, user):
    user.locale = "es"
    user.save()
    response = auth_client.delete(
        "/api/v1/me/devices/00000000-0000-0000-0000-000000000000", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "No encontrado."
    assert response["Content-Language"] == "es"
    # A locale Haven does not ship (written before it stopped accepting it) reads as English.
    user.locale = "de"
    user.save()
    response = auth_client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "en"


def test_without_a_person_accept_language_decides(api_client, db):
    response = api_client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 401
    assert response["Content-Language"] == "es"
