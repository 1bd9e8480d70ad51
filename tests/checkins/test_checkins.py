"""Daily check-ins: the server decides "today", mutual reveal by calendar date, passes that
reveal nothing, unsend, reactions, and the private note that only its author ever sees."""

import datetime as dt
import json
import threading

import pytest
from django.db import connection

from checkins.models import CheckIn
from tests.factories import CheckInFactory, UserFactory, pair
from tests.utils import assert_error_shape, client_for, today_for

PRIVATE = "PRIVATE-NOTE-91B2"
# Words planted in a shared note, to prove they never reach someone: distinctive, so that no
# prompt or copy of the day can contain them by chance.
UNSENT = "planted-unsent-5b1e"
SHARED = "planted-shared-7f3a"
FOR_THE_EX = "planted-for-the-ex-c41d"


@pytest.fixture
def far_apart(db):
    """A couple in UTC-8 (Los Angeles) and UTC+10 (Sydney), both with daylight saving."""
    la = UserFactory(time_zone="America/Los_Angeles", display_name="Lee")
    syd = UserFactory(time_zone="Australia/Sydney", display_name="Sky")
    pair(la, syd)
    return la, syd


def _put(client, date, **body):
    return client.put(f"/api/v1/checkins/{date}", body, format="json")


def test_a_checkin_for_today_works_solo(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    solo = UserFactory(time_zone="Europe/Berlin")
    response = _put(client_for(solo), "2026-06-01", mood=4, energy=3, dial=1, capacity="light")
    assert response.status_code == 200, response.content
    assert response.json()["mood"] == 4
    today = client_for(solo).get("/api/v1/checkins/today").json()
    assert today["my_checkin"]["id"] == response.json()["id"]
    assert today["partner"] is None and today["bridge"] is None
    assert today["prompt"]["text"]


def test_the_server_decides_today_and_yesterday_in_my_own_time_zone(far_apart, time_machine):
    la, syd = far_apart
    # 2026-06-01 03:00 UTC: still May 31 in Los Angeles, already June 1 in Sydney.
    time_machine.move_to(dt.datetime(2026, 6, 1, 3, tzinfo=dt.UTC))
    assert client_for(la).get("/api/v1/checkins/today").json()["date"] == "2026-05-31"
    assert client_for(syd).get("/api/v1/checkins/today").json()["date"] == "2026-06-01"
    assert _put(client_for(la), "2026-05-30", mood=3).status_code == 200  # yesterday
    refused = _put(client_for(la), "2026-06-01", mood=3)  # tomorrow, for Lee
    assert refused.status_code == 400
    body = refused.json()
    assert body["errors"][0]["attr"] == "date"
    assert body["allowed_dates"] == ["2026-05-30", "2026-05-31"]
    assert _put(client_for(la), "2026-05-29", mood=3).status_code == 400


def test_yesterday_just_after_local_midnight(far_apart, time_machine):
    la, _syd = far_apart
    # 00:05 on June 2 in Los Angeles (PDT, UTC-7).
    time_machine.move_to(dt.datetime(2026, 6, 2, 7, 5, tzinfo=dt.UTC))
    assert _put(client_for(la), "2026-06-01", mood=2).status_code == 200
    assert client_for(la).get("/api/v1/checkins/today").json()["date"] == "2026-06-02"


@pytest.mark.parametrize(
    "instant",
    [
        # Los Angeles springs forward (Mar 8) and falls back (Nov 1);
        # Sydney leaves daylight saving (Apr 5) and starts it (Oct 4), all 2026.
        dt.datetime(2026, 3, 8, 10, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 4, 16, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 3, 16, 30, tzinfo=dt.UTC),
    ],
)
def test_reveal_pairs_by_calendar_date_across_dst_days(far_apart, time_machine, instant):
    la, syd = far_apart
    time_machine.move_to(instant)
    la_day = client_for(la).get("/api/v1/checkins/today").json()["date"]
    syd_day = client_for(syd).get("/api/v1/checkins/today").json()["date"]
    # Each person's "today" is their own wall-clock date at this instant.
    assert la_day == today_for(la, at=instant).isoformat()
    assert syd_day == today_for(syd, at=instant).isoformat()

    # Sky checks in for Sky's today; Lee sees only "checked in" for that date until Lee's own
    # check-in for the same calendar date.
    _put(client_for(syd), syd_day, mood=4, shared_note="Long day, happy now", private_note=PRIVATE)
    if la_day == syd_day:
        before = client_for(la).get("/api/v1/checkins/today").json()["partner"]
        assert before == {"state": "checked_in", "checkin": None}
    listed = client_for(la).get("/api/v1/checkins").json()["results"]
    assert listed == []
    time_machine.move_to(instant + dt.timedelta(days=1 if la_day < syd_day else 0))
    _put(client_for(la), syd_day, mood=3)
    revealed = [
        c for c in client_for(la).get("/api/v1/checkins").json()["results"] if not c["is_mine"]
    ]
    assert [c["shared_note"] for c in revealed] == ["Long day, happy now"]
    assert PRIVATE not in json.dumps(revealed)


def test_mutual_reveal_and_the_partner_state(couple, django_assert_max_num_queries):
    a, b = client_for(couple.a), client_for(couple.b)
    today = a.get("/api/v1/checkins/today").json()["date"]
    assert a.get("/api/v1/checkins/today").json()["partner"] == {
        "state": "not_yet",
        "checkin": None,
    }
    _put(
        b, today, mood=5, dial=2, capacity="deeper", shared_note="Missed you", private_note=PRIVATE
    )
    assert a.get("/api/v1/checkins/today").json()["partner"]["state"] == "checked_in"
    _put(a, today, mood=3, dial=-2, capacity="light")
    with django_assert_max_num_queries(14):
        seen = a.get("/api/v1/checkins/today").json()
    assert seen["partner"]["state"] == "revealed"
    assert seen["partner"]["checkin"]["shared_note"] == "Missed you"
    assert "private_note" not in seen["partner"]["checkin"]
    assert seen["bridge"] is not None
    assert seen["bridge"]["talk"] == "light"
    assert PRIVATE not in json.dumps(seen)


def test_a_partner_may_keep_having_checked_in_to_themselves(couple):
    a, b = client_for(couple.a), client_for(couple.b)
    b.patch("/api/v1/me/checkin-settings", {"announce_checked_in": False}, format="json")
    today = a.get("/api/v1/checkins/today").json()["date"]
    _put(b, today, mood=4)
    assert a.get("/api/v1/checkins/today").json()["partner"]["state"] == "not_yet"


def test_a_pass_reveals_nothing_and_unlocks_nothing(couple):
    a, b = client_for(couple.a), client_for(couple.b)
    today = a.get("/api/v1/checkins/today").json()["date"]
    _put(b, today, mood=4, shared_note="Here's my day")
    assert _put(a, today, **{"pass": True}).status_code == 200
    # My pass does not unlock my partner's answers...
    assert a.get("/api/v1/checkins/today").json()["partner"] == {
        "state": "checked_in",
        "checkin": None,
    }
    assert [c["is_mine"] for c in a.get("/api/v1/checkins").json()["results"]] == [True]
    # ...and my partner sees my pass as "not yet".
    assert b.get("/api/v1/checkins/today").json()["partner"]["state"] == "not_yet"
    assert b.get("/api/v1/checkins/today").json()["bridge"] is None


def test_unsend_makes_it_private_and_sync_reports_it_removed(couple):
    a, b = client_for(couple.a), client_for(couple.b)
    today = a.get("/api/v1/checkins/today").json()["date"]
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat()
    mine = _put(a, today, mood=2, shared_note=UNSENT).json()
    _put(b, today, mood=4)
    assert b.get("/api/v1/checkins/today").json()["partner"]["state"] == "revealed"
    assert a.post(f"/api/v1/checkins/{today}/unsend").status_code == 200
    assert b.get("/api/v1/checkins/today").json()["partner"]["checkin"] is None
    synced = b.get("/api/v1/checkins", {"updated_since": since}).json()
    assert mine["id"] in synced["removed"]
    assert UNSENT not in json.dumps(synced)


def test_acknowledging_a_revealed_checkin_with_a_warm_reaction(couple):
    a, b = client_for(couple.a), client_for(couple.b)
    today = a.get("/api/v1/checkins/today").json()["date"]
    theirs = _put(b, today, mood=4, private_note=PRIVATE).json()
    # Not revealed to me yet: as if it did not exist.
    assert (
        a.post(f"/api/v1/checkins/{theirs['id']}/acknowledge", {"reaction": "hug"}).status_code
        == 404
    )
    _put(a, today, mood=3)
    reacted = a.post(f"/api/v1/checkins/{theirs['id']}/acknowledge", {"reaction": "hug"})
    assert reacted.status_code == 200
    again = a.post(f"/api/v1/checkins/{theirs['id']}/acknowledge", {"reaction": "thanks"})
    assert again.json()["id"] == reacted.json()["id"]
    own = b.get(f"/api/v1/checkins/{today}").json()
    assert [ack["reaction"] for ack in own["acknowledgements"]] == ["thanks"]
    assert PRIVATE not in json.dumps(reacted.json())
    assert (
        b.post(f"/api/v1/checkins/{theirs['id']}/acknowledge", {"reaction": "hug"}).status_code
        == 403
    )


def test_put_twice_is_one_row_and_the_later_wins(couple):
    a = client_for(couple.a)
    today = a.get("/api/v1/checkins/today").json()["date"]
    _put(a, today, mood=1)
    _put(a, today, mood=5, shared_note="Better now")
    assert CheckIn.objects.filter(author=couple.a).count() == 1
    assert CheckIn.objects.get(author=couple.a).mood == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_puts_leave_one_row_and_no_500():
    user = UserFactory()
    today = client_for(user).get("/api/v1/checkins/today").json()["date"]
    barrier = threading.Barrier(2)
    statuses = []
    phones = {mood: client_for(user) for mood in (2, 4)}

    def put(mood):
        try:
            barrier.wait()
            statuses.append(_put(phones[mood], today, mood=mood).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=put, args=(m,)) for m in (2, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200, 200]
    assert CheckIn.objects.filter(author=user).count() == 1


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"mood": 0}, "mood"),
        ({"mood": 6}, "mood"),
        ({"energy": 9}, "energy"),
        ({"dial": 3}, "dial"),
        ({"dial": -3}, "dial"),
        ({"capacity": "always"}, "capacity"),
        ({"pass": True, "mood": 3}, "pass"),
        ({}, "pass"),
        ({"shared_note": "x" * 1001}, "shared_note"),
        ({"private_note": "x" * 2001}, "private_note"),
        ({"prompt_answer": "x" * 1001}, "prompt_answer"),
    ],
)
def test_bad_input_names_the_field(user, body, attr):
    client = client_for(user)
    today = client.get("/api/v1/checkins/today").json()["date"]
    response = _put(client, today, **body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("a lone half of an emoji \ud83d", "surrogate_characters_not_allowed"),
        ("\udfff" + "x" * 900, "surrogate_characters_not_allowed"),
        ("a NUL \x00 inside", "null_characters_not_allowed"),
    ],
)
def test_text_postgresql_cannot_store_is_a_clear_400_and_nothing_is_written(user, note, code):
    client = client_for(user)
    today = client.get("/api/v1/checkins/today").json()["date"]
    for field in ("shared_note", "private_note", "prompt_answer"):
        # As a phone sends it: JSON escapes (`\\ud83d`), which decode to what UTF-8 cannot hold.
        sent = json.dumps({"mood": 3, field: note})
        response = client.generic(
            "PUT", f"/api/v1/checkins/{today}", sent, content_type="application/json"
        )
        body = assert_error_shape(response, 400, code, "validation_error")
        assert body["errors"][0]["attr"] == field
    assert not CheckIn.objects.filter(author=user).exists()
    assert _put(client, today, mood=3, shared_note="a whole emoji \U0001f600").status_code == 200


def test_non_json_is_a_clear_400(user):
    client = client_for(user)
    today = client.get("/api/v1/checkins/today").json()["date"]
    response = client.generic(
        "PUT", f"/api/v1/checkins/{today}", "{mood: 3", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_an_impossible_date_is_not_found(user):
    assert (
        client_for(user).put("/api/v1/checkins/2026-02-30", {"mood": 3}, format="json").status_code
        == 404
    )


def test_the_private_note_is_encrypted_in_the_database_and_only_mine(couple):
    a = client_for(couple.a)
    today = a.get("/api/v1/checkins/today").json()["date"]
    mine = _put(a, today, mood=3, private_note=PRIVATE).json()
    assert mine["private_note"] == PRIVATE
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_note FROM checkins_checkin WHERE id = %s", [mine["id"]])
        (raw,) = cursor.fetchone()
    assert PRIVATE not in raw and raw.startswith("gAAAA")
    assert a.get(f"/api/v1/checkins/{today}").json()["private_note"] == PRIVATE


def test_the_private_note_never_reaches_the_partner_anywhere(couple, caplog):
    a, b = client_for(couple.a), client_for(couple.b)
    today = a.get("/api/v1/checkins/today").json()["date"]
    theirs = _put(b, today, mood=4, shared_note="ok", private_note=PRIVATE).json()
    _put(a, today, mood=3)
    responses = [
        a.get("/api/v1/checkins/today"),
        a.get("/api/v1/checkins"),
        a.get("/api/v1/checkins/trends"),
        a.post(f"/api/v1/checkins/{theirs['id']}/acknowledge", {"reaction": "sun"}),
        a.get("/api/v1/couple/partner"),
    ]
    assert all(r.status_code == 200 for r in responses)
    assert PRIVATE not in json.dumps([r.json() for r in responses])
    assert PRIVATE not in caplog.text


def test_trends_are_mine_averages_and_never_count_missed_days(couple, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC))
    a = client_for(couple.a)  # signed in at the moment travelled to, as a phone would be
    _put(a, "2026-06-09", mood=2, energy=2, dial=-1)
    _put(a, "2026-06-10", mood=4, energy=4, dial=1)
    _put(client_for(couple.b), "2026-06-10", mood=5, dial=2)
    trends = a.get("/api/v1/checkins/trends").json()
    assert trends["mine"]["7"] == {"mood": 3.0, "energy": 3.0, "dial": 0.0}
    assert trends["couple"]["shared_dial_balance"] == 1.5
    assert trends["couple"]["shared_dial_gap"] == 1.0
    assert "streak" not in json.dumps(trends) and "missed" not in json.dumps(trends)


def test_another_couple_and_strangers_reach_nothing(couple, other_couple, stranger_client):
    a, b = client_for(couple.a), client_for(couple.b)
    today = a.get("/api/v1/checkins/today").json()["date"]
    theirs = _put(b, today, mood=4, shared_note=SHARED).json()
    _put(a, today, mood=3)
    for client in (client_for(other_couple.a), stranger_client):
        assert (
            client.post(
                f"/api/v1/checkins/{theirs['id']}/acknowledge", {"reaction": "sun"}
            ).status_code
            == 404
        )
        assert client.get("/api/v1/checkins").json()["results"] == []
        assert SHARED not in json.dumps(client.get("/api/v1/checkins/today").json())


def test_checkins_need_sign_in(api_client, db):
    for method, path in [
        ("get", "/api/v1/checkins"),
        ("get", "/api/v1/checkins/today"),
        ("get", "/api/v1/checkins/trends"),
        ("put", "/api/v1/checkins/2026-01-01"),
        ("get", "/api/v1/me/checkin-settings"),
    ]:
        assert getattr(api_client, method)(path).status_code == 401


def test_the_list_query_budget_does_not_grow(couple, django_assert_max_num_queries):
    today = today_for(couple.a)
    for days_ago in range(6):
        day = today - dt.timedelta(days=days_ago)
        CheckInFactory(author=couple.a, local_date=day, mood=3)
        CheckInFactory(author=couple.b, local_date=day, mood=4, shared_note=f"day {days_ago}")
    with django_assert_max_num_queries(7):
        listed = couple.client_a.get("/api/v1/checkins").json()["results"]
    assert len(listed) == 12


def test_a_new_partner_never_sees_checkins_written_alone_or_with_someone_before(db):
    from couples.models import Couple

    robin, ex, jules = UserFactory(), UserFactory(), UserFactory()
    couple, _, _ = pair(robin, ex)
    r = client_for(robin)
    yesterday = r.get("/api/v1/checkins/today").json()["allowed_dates"][0]
    _put(r, yesterday, mood=2, shared_note=FOR_THE_EX)
    _put(client_for(ex), yesterday, mood=3)
    # While together, the ex saw it (both checked in that day).
    notes = [c["shared_note"] for c in client_for(ex).get("/api/v1/checkins").json()["results"]]
    assert FOR_THE_EX in notes
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat()
    client_for(ex).post("/api/v1/couple/end")
    assert Couple.objects.get(pk=couple.pk).ended_at is not None
    # The ex's phone is told to drop what Robin wrote.
    removed = client_for(ex).get("/api/v1/checkins", {"updated_since": since}).json()["removed"]
    assert len(removed) == 1

    pair(robin, jules)
    _put(client_for(jules), yesterday, mood=4)
    seen = json.dumps(client_for(jules).get("/api/v1/checkins").json())
    assert FOR_THE_EX not in seen


def test_trends_show_the_gap_that_a_balance_of_zero_hides(couple, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC))
    a, b = client_for(couple.a), client_for(couple.b)
    _put(a, "2026-06-09", mood=3, dial=-2)
    _put(b, "2026-06-09", mood=3, dial=2)
    apart = b.get("/api/v1/checkins/trends").json()["couple"]
    # -2 and +2 average to 0, which alone would read as "balanced".
    assert (apart["shared_dial_balance"], apart["shared_dial_gap"]) == (0.0, 4.0)
    _put(a, "2026-06-10", mood=3, dial=0)
    _put(b, "2026-06-10", mood=3, dial=0)
    both_days = a.get("/api/v1/checkins/trends").json()["couple"]
    assert (both_days["shared_dial_balance"], both_days["shared_dial_gap"]) == (0.0, 2.0)
    # A day one of them left the dial unanswered has no gap to show.
    _put(a, "2026-06-10", mood=3)
    assert a.get("/api/v1/checkins/trends").json()["couple"]["shared_dial_gap"] == 4.0
