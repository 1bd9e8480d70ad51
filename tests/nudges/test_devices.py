"""me/devices: a person's push tokens, with phone sync (updated_since + removed ids)."""

import datetime as dt

from nudges.models import Device
from tests.factories import UserFactory
from tests.utils import client_for


def _register(client, token="tok-1", platform="ios"):
    response = client.post(
        "/api/v1/me/devices", {"token": token, "platform": platform}, format="json"
    )
    assert response.status_code in (200, 201), response.content
    return response.json()


def test_register_lists_and_never_echoes_the_token(auth_client):
    device = _register(auth_client)
    listed = auth_client.get("/api/v1/me/devices").json()["results"]
    assert [d["id"] for d in listed] == [device["id"]]
    assert "token" not in device and "token" not in listed[0]


def test_registering_the_same_token_again_updates_rather_than_duplicates(auth_client):
    first = _register(auth_client)
    again = auth_client.post(
        "/api/v1/me/devices",
        {"token": "tok-1", "platform": "ios", "app_version": "2.0"},
        format="json",
    )
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["app_version"] == "2.0"
    assert Device.objects.count() == 1


def test_a_token_moves_to_its_newest_owner_and_the_old_owner_is_told_by_sync(db):
    old_owner, new_owner = UserFactory(), UserFactory()
    old_client, new_client = client_for(old_owner), client_for(new_owner)
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    old_device = _register(old_client, token="shared-phone")
    new_device = _register(new_client, token="shared-phone")

    assert old_client.get("/api/v1/me/devices").json()["results"] == []
    assert [d["id"] for d in new_client.get("/api/v1/me/devices").json()["results"]] == [
        new_device["id"]
    ]
    synced = old_client.get("/api/v1/me/devices", {"updated_since": since}).json()
    assert synced["removed"] == [old_device["id"]]


def test_devices_of_another_person_are_404(auth_client, db):
    stranger = UserFactory()
    theirs = _register(client_for(stranger), token="their-token")
    assert auth_client.delete(f"/api/v1/me/devices/{theirs['id']}").status_code == 404
    assert Device.objects.filter(pk=theirs["id"]).exists()
    assert auth_client.get("/api/v1/me/devices").json()["results"] == []


def test_sync_after_removal_returns_the_removed_id(auth_client):
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat()
    kept = _register(auth_client, token="kept")
    gone = _register(auth_client, token="gone")
    assert auth_client.delete(f"/api/v1/me/devices/{gone['id']}").status_code == 204

    synced = auth_client.get("/api/v1/me/devices", {"updated_since": since}).json()
    assert [d["id"] for d in synced["results"]] == [kept["id"]]
    assert synced["removed"] == [gone["id"]]
    assert synced["server_time"]

    later = auth_client.get("/api/v1/me/devices", {"updated_since": synced["server_time"]}).json()
    assert later["results"] == [] and later["removed"] == []


def test_sync_pages_by_updated_at_then_id_without_gaps(
    auth_client, user, django_assert_max_num_queries
):
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat()
    ids = {_register(auth_client, token=f"t{n}")["id"] for n in range(5)}
    seen, url, params = [], "/api/v1/me/devices", {"updated_since": since, "page_size": 2}
    while url:
        with django_assert_max_num_queries(6):
            page = auth_client.get(url, params).json()
        seen += [d["id"] for d in page["results"]]
        url, params = page["next"], None
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == ids


def test_sync_rejects_a_malformed_or_too_old_timestamp(auth_client):
    bad = auth_client.get("/api/v1/me/devices", {"updated_since": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "updated_since"
    old = auth_client.get("/api/v1/me/devices", {"updated_since": "2001-01-01T00:00:00Z"})
    assert old.status_code == 400
    assert old.json()["errors"][0]["code"] == "sync_window_expired"


def test_device_list_query_count_is_pinned(auth_client, django_assert_max_num_queries):
    for n in range(3):
        _register(auth_client, token=f"q{n}")
    with django_assert_max_num_queries(6):
        response = auth_client.get("/api/v1/me/devices")
    assert len(response.json()["results"]) == 3


# --- Access matrix ---------------------------------------------------------------------------


def test_devices_need_sign_in(api_client, db):
    owner = UserFactory()
    from nudges.services import device_register

    device, _ = device_register(user=owner, token="t", platform="ios")
    assert api_client.get("/api/v1/me/devices").status_code == 401
    post = api_client.post("/api/v1/me/devices", {"token": "x", "platform": "ios"}, format="json")
    assert post.status_code == 401
    assert api_client.delete(f"/api/v1/me/devices/{device.pk}").status_code == 401
    assert Device.objects.filter(pk=device.pk).exists()


def test_owner_may_list_and_remove_a_stranger_may_do_neither(db):
    owner, stranger = UserFactory(), UserFactory()
    owner_client, stranger_client = client_for(owner), client_for(stranger)
    mine = _register(owner_client, token="owner-phone")

    assert stranger_client.get("/api/v1/me/devices").json()["results"] == []
    assert stranger_client.delete(f"/api/v1/me/devices/{mine['id']}").status_code == 404
    assert owner_client.delete(f"/api/v1/me/devices/{mine['id']}").status_code == 204
    assert owner_client.delete(f"/api/v1/me/devices/{mine['id']}").status_code == 404


def test_a_token_fcm_gave_up_on_is_listed_inactive_for_its_owner_alone(auth_client, db):
    from nudges.services import device_deactivate

    device = _register(auth_client, token="dead-token", platform="android")
    device_deactivate(device_id=device["id"])
    [listed] = auth_client.get("/api/v1/me/devices").json()["results"]
    assert listed["id"] == device["id"] and listed["is_active"] is False
    # The app registering the token again revives it.
    again = _register(auth_client, token="dead-token", platform="android")
    assert again["id"] == device["id"] and again["is_active"] is True


def test_registration_records_platform_app_version_and_locale(auth_client):
    response = auth_client.post(
        "/api/v1/me/devices",
        {"token": "t-1", "platform": "android", "app_version": "3.1.4", "locale": "es-MX"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["platform"], body["app_version"], body["locale"]) == ("android", "3.1.4", "es")
    # A phone in a language Haven does not ship still registers (its words follow the
    # person's own locale anyway).
    german = auth_client.post(
        "/api/v1/me/devices",
        {"token": "t-3", "platform": "ios", "locale": "de-DE"},
        format="json",
    )
    assert german.status_code == 201 and german.json()["locale"] == ""
    bad = auth_client.post(
        "/api/v1/me/devices", {"token": "t-2", "platform": "pager"}, format="json"
    )
    assert bad.status_code == 400
