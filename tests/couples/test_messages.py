"""Appreciations and pings: relayed to the partner, never a flood."""

import datetime as dt

from couples.models import Ping
from nudges.models import Nudge


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
