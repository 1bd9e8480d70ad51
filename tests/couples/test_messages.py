"""Appreciations and pings: relayed to the partner, never a flood."""

import datetime as dt
import json

from django.utils import timezone

from couples.models import Appreciation, Ping
from nudges.models import Nudge
from tests.nudges.delivering import deliver_due
from tests.utils import assert_error_shape, client_for, next_noon_for


def test_appreciation_is_listed_for_both_and_relayed_to_the_partner(couple):
    created = couple.client_a.post(
        "/api/v1/appreciations",
        {"text": "Thank you for the quiet evening", "love_language": "quality_time"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["tone_hints"] == []
    for client in (couple.client_a, couple.client_b):
        listed = client.get("/api/v1/appreciations").json()["results"]
        assert [a["id"] for a in listed] == [created.json()["id"]]
        assert "tone_hints" not in listed[0]
    assert Nudge.objects.get(recipient=couple.b).kind == "appreciation"


def test_appreciation_bad_input_names_the_field(couple):
    too_long = couple.client_a.post("/api/v1/appreciations", {"text": "x" * 501}, format="json")
    assert too_long.json()["errors"][0]["attr"] == "text"
    unknown = couple.client_a.post(
        "/api/v1/appreciations", {"text": "thanks", "love_language": "money"}, format="json"
    )
    assert unknown.json()["errors"][0]["attr"] == "love_language"


def test_appreciation_list_query_count_does_not_grow(couple, django_assert_max_num_queries):
    for n in range(6):
        couple.client_a.post("/api/v1/appreciations", {"text": f"thanks {n}"}, format="json")
    with django_assert_max_num_queries(7):
        response = couple.client_b.get("/api/v1/appreciations")
    assert len(response.json()["results"]) == 6


def test_a_retried_appreciation_is_not_sent_twice(couple):
    for _ in range(2):
        couple.client_a.post(
            "/api/v1/appreciations",
            {"text": "thank you"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="same-tap",
        )
    assert Nudge.objects.filter(recipient=couple.b).count() == 1


def test_each_ping_reaches_the_partner_and_the_sixth_in_a_day_is_gently_refused(couple):
    for _ in range(5):
        assert couple.client_a.post("/api/v1/pings").status_code == 201
    sixth = couple.client_a.post("/api/v1/pings")
    assert sixth.status_code == 429
    assert sixth.json()["errors"][0]["code"] == "ping_budget_spent"
    assert int(sixth["Retry-After"]) > 0
    assert Nudge.objects.filter(recipient=couple.b, kind="ping").count() == 5
    # The partner's own budget is theirs.
    assert couple.client_b.post("/api/v1/pings").status_code == 201


def test_the_ping_budget_follows_the_senders_own_day(couple, time_machine):
    couple.a.time_zone = "Pacific/Auckland"
    couple.a.save()
    for _ in range(5):
        couple.client_a.post("/api/v1/pings")
    Ping.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    assert couple.client_a.post("/api/v1/pings").status_code == 201


def test_pings_list_for_both_with_a_fixed_query_budget(couple, django_assert_max_num_queries):
    for _ in range(3):
        couple.client_a.post("/api/v1/pings")
    with django_assert_max_num_queries(7):
        response = couple.client_b.get("/api/v1/pings")
    assert len(response.json()["results"]) == 3


# --- Unsending an appreciation (issue 13) -----------------------------------------------------

UNSENT_WORDS = "UNSENT-thank-you-for-last-night-5c1e"


def _appreciate(client, text: str = UNSENT_WORDS) -> dict:
    response = client.post("/api/v1/appreciations", {"text": text}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _synced(client, since: str) -> dict:
    response = client.get("/api/v1/appreciations", {"updated_since": since})
    assert response.status_code == 200, response.content
    return response.json()


def _a_minute_ago() -> str:
    return (timezone.now() - dt.timedelta(minutes=1)).isoformat()


def test_the_author_unsends_within_ten_minutes_and_it_is_gone_for_both(couple):
    note = _appreciate(couple.client_a)
    url = f"/api/v1/appreciations/{note['id']}"
    since_a = _synced(couple.client_a, _a_minute_ago())["server_time"]
    since_b = _synced(couple.client_b, _a_minute_ago())["server_time"]
    nudge = Nudge.objects.get(recipient=couple.b, kind="appreciation")

    unsent = couple.client_a.delete(url)
    assert unsent.status_code == 204, unsent.content

    # Neither partner lists or reads it; both phones drop it.
    for client, since in ((couple.client_a, since_a), (couple.client_b, since_b)):
        assert client.get("/api/v1/appreciations").json()["results"] == []
        assert client.get(url).status_code == 404
        synced = _synced(client, since)
        assert (synced["results"], synced["removed"]) == ([], [note["id"]])
    # The waiting nudge never goes out, and the words are not kept.
    nudge.refresh_from_db()
    assert nudge.state == Nudge.State.CANCELLED
    assert Appreciation.objects.get(pk=note["id"]).text == ""
    deliver_due(next_noon_for(couple.b))
    assert couple.client_b.get("/api/v1/notifications").json()["results"] == []
    assert UNSENT_WORDS not in couple.client_b.get("/api/v1/appreciations").content.decode()

    # A double tap answers the same, and changes nothing.
    again = couple.client_a.delete(url)
    assert (again.status_code, again.content) == (unsent.status_code, unsent.content)
    assert Nudge.objects.filter(recipient=couple.b).count() == 1


def test_after_ten_minutes_an_appreciation_stays_with_a_kind_409(couple, time_machine):
    note = _appreciate(couple.client_a)
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=10, seconds=5))
    client_a, client_b = client_for(couple.a), client_for(couple.b)
    response = client_a.delete(f"/api/v1/appreciations/{note['id']}")
    body = assert_error_shape(response, 409, "unsend_window_passed")
    assert "10 minutes" in body["errors"][0]["detail"]
    for client in (client_a, client_b):
        listed = client.get("/api/v1/appreciations").json()["results"]
        assert [(a["id"], a["text"]) for a in listed] == [(note["id"], UNSENT_WORDS)]
    assert Nudge.objects.get(recipient=couple.b).state == Nudge.State.PENDING


def test_only_the_author_unsends_and_others_get_404(couple, other_couple, stranger_client):
    note = _appreciate(couple.client_a)
    url = f"/api/v1/appreciations/{note['id']}"
    assert_error_shape(couple.client_b.delete(url), 403, "not_author")
    for client in (other_couple.client_a, stranger_client):
        assert_error_shape(client.delete(url), 404, "not_found")
    for client in (couple.client_a, couple.client_b):
        assert [a["id"] for a in client.get("/api/v1/appreciations").json()["results"]] == [
            note["id"]
        ]
    assert Nudge.objects.get(recipient=couple.b).state == Nudge.State.PENDING


def test_an_appreciation_already_delivered_is_unsent_from_the_list_and_never_quoted(couple):
    note = _appreciate(couple.client_a)
    deliver_due(next_noon_for(couple.b))
    [notification] = couple.client_b.get("/api/v1/notifications").json()["results"]
    assert couple.client_a.delete(f"/api/v1/appreciations/{note['id']}").status_code == 204
    assert couple.client_b.get("/api/v1/appreciations").json()["results"] == []
    # What reached the inbox named the moment, never the words.
    assert UNSENT_WORDS not in json.dumps(notification)
    assert UNSENT_WORDS not in couple.client_b.get("/api/v1/notifications").content.decode()
