"""notifications and me/nudge-settings over the API: each person sees and marks their own
inbox alone, the unread count and phone sync work, bad settings get the one error shape."""

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nudges.models import Notification, Nudge
from nudges.selectors import INBOX_COLUMNS_UNREAD
from nudges.services import nudge_relay
from tests.nudges.delivering import deliver_due, subject_for

pytestmark = pytest.mark.django_db
LATER = dt.datetime(2027, 5, 4, 10, 0, tzinfo=dt.UTC)  # noon in Berlin, outside quiet hours


def _notify(user, kind="ping", actor=None) -> Notification:
    nudge = nudge_relay(
        recipient=user, kind=kind, subject_id=subject_for(user, kind), actor=actor, due_at=LATER
    )
    deliver_due(LATER)
    return Notification.objects.get(nudge=nudge)


def test_the_inbox_lists_my_notifications_newest_first_with_the_unread_count(couple):
    first = _notify(couple.a, actor=couple.b)
    second = _notify(couple.a, kind="appreciation", actor=couple.b)
    Notification.objects.filter(pk=second.pk).update(due_at=LATER + dt.timedelta(minutes=1))
    body = couple.client_a.get("/api/v1/notifications").json()
    assert [n["id"] for n in body["results"]] == [str(second.pk), str(first.pk)]
    assert body["unread_count"] == 2
    assert body["results"][1]["title"] == "Thinking of you"
    assert couple.b.display_name in body["results"][1]["body"]
    assert set(body["results"][0]) == set(
        [
            "id",
            "kind",
            "subject_id",
            "title",
            "body",
            "sent_at",
            "read_at",
            "created_at",
            "updated_at",
        ]
    )


def test_marking_read_is_mine_alone_and_idempotent(couple):
    notification = _notify(couple.a)
    response = couple.client_a.post(f"/api/v1/notifications/{notification.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    again = couple.client_a.post(f"/api/v1/notifications/{notification.pk}/read")
    assert again.json()["read_at"] == response.json()["read_at"]
    assert couple.client_a.get("/api/v1/notifications").json()["unread_count"] == 0


def test_read_all_marks_every_unread_notification(couple):
    for _ in range(3):
        _notify(couple.a)
    assert couple.client_a.post("/api/v1/notifications/read-all").json() == {"marked": 3}
    assert couple.client_a.get("/api/v1/notifications").json()["unread_count"] == 0


def test_nobody_else_can_see_or_mark_my_notifications(couple, other_couple, stranger_client):
    notification = _notify(couple.a, actor=couple.b)
    for client in (couple.client_b, other_couple.client_a, stranger_client):
        listed = client.get("/api/v1/notifications")
        assert listed.status_code == 200, listed.content
        assert listed.json()["results"] == []
        response = client.post(f"/api/v1/notifications/{notification.pk}/read")
        assert response.status_code == 404
        assert response.json()["type"] == "client_error"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_inbox_needs_a_signed_in_person(api_client):
    assert api_client.get("/api/v1/notifications").status_code == 401


def test_a_phone_syncs_what_changed_since_its_last_sync(couple):
    first = _notify(couple.a)
    since = couple.client_a.get(
        "/api/v1/notifications",
        {"updated_since": (timezone.now() - dt.timedelta(days=1)).isoformat()},
    ).json()
    assert [n["id"] for n in since["results"]] == [str(first.pk)] and since["removed"] == []
    second = _notify(couple.a)
    changed = couple.client_a.get(
        "/api/v1/notifications", {"updated_since": since["server_time"]}
    ).json()
    assert [n["id"] for n in changed["results"]] == [str(second.pk)]


def test_the_inbox_list_takes_a_fixed_number_of_queries(couple, django_assert_max_num_queries):
    for _ in range(12):
        _notify(couple.a)
    with django_assert_max_num_queries(8):
        response = couple.client_a.get("/api/v1/notifications")
    assert len(response.json()["results"]) == 12


def test_who_people_are_to_me_is_read_in_the_pages_own_statement(couple):
    """Whether a row's actor is a former partner is read beside each row, in the page's one
    statement (issue 17): a page naming the partner costs what a page naming no one does."""

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            response = couple.client_a.get("/api/v1/notifications")
        assert response.status_code == 200
        return [q["sql"] for q in queries.captured_queries]

    for _ in range(3):
        _notify(couple.a)  # no actor: nobody to name
    naming_no_one = statements()
    for _ in range(3):
        _notify(couple.a, kind="appreciation", actor=couple.b)
    naming_the_partner = statements()
    assert len(naming_the_partner) == len(naming_no_one) == 2  # the sign-in, the page
    [page] = [sql for sql in naming_the_partner if "nudges_notification" in sql]
    assert "couples_membership" in page


def test_no_reader_of_the_inbox_rows_asks_for_a_column_left_unread(couple, monkeypatch):
    """An inbox page leaves most of each row's nudge and actor in PostgreSQL
    (`nudges.selectors.INBOX_COLUMNS_UNREAD`): reading one would cost a query per row.
    Walked through every reader of those rows: a page naming the partner, a page of notices
    naming no one, phone sync, marking one read, and a page after the couple ended (the
    partner named as a former partner), each for the reader and in the statements pinned."""
    unread = {column.rsplit("__", 1)[1] for column in INBOX_COLUMNS_UNREAD}
    asked = []
    for model in (Nudge, type(couple.a)):

        def spy(self, *args, fields=None, _real=model.refresh_from_db, **kwargs):
            asked.extend(set(fields or ()) & unread)
            return _real(self, *args, fields=fields, **kwargs)

        monkeypatch.setattr(model, "refresh_from_db", spy)
    a_day_ago = (timezone.now() - dt.timedelta(days=1)).isoformat()
    since = couple.client_a.get("/api/v1/notifications", {"updated_since": a_day_ago}).json()
    _notify(couple.a)
    pinged = _notify(couple.a, actor=couple.b)
    _notify(couple.a, kind="appreciation", actor=couple.b)
    page = couple.client_a.get("/api/v1/notifications").json()
    assert couple.b.display_name in " ".join(n["body"] for n in page["results"])
    synced = couple.client_a.get("/api/v1/notifications", {"updated_since": since["server_time"]})
    assert len(synced.json()["results"]) == 3
    read = couple.client_a.post(f"/api/v1/notifications/{pinged.pk}/read")
    assert read.status_code == 200 and couple.b.display_name in read.json()["body"]
    assert couple.client_b.post("/api/v1/couple/end").status_code == 200
    after = couple.client_a.get("/api/v1/notifications").json()
    bodies = " ".join(n["body"] for n in after["results"])
    assert "your former partner" in bodies and couple.b.display_name not in bodies
    assert asked == []


# --- me/nudge-settings ---------------------------------------------------------------------


def test_settings_start_gentle(auth_client, user):
    body = auth_client.get("/api/v1/me/nudge-settings").json()
    assert body == {
        "time_zone": user.time_zone,
        "checkin_time": "20:00",
        "quiet_start": "22:00",
        "quiet_end": "08:00",
        "channels": ["push", "email"],
        "opted_out_kinds": [],
        "space_allowed_kinds": ["coach_note", "conversation_reminder"],
        "daily_cap": 1,
        "weekly_cap": 5,
        "discreet": True,
        "quiet_exit": False,
        "updated_at": body["updated_at"],
    }


def test_settings_change_only_what_is_sent(auth_client):
    response = auth_client.patch(
        "/api/v1/me/nudge-settings",
        {
            "checkin_time": "07:45",
            "quiet_start": "23:30",
            "quiet_end": "06:00",
            "opted_out_kinds": ["appreciation_idea"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    times = (body["checkin_time"], body["quiet_start"], body["quiet_end"])
    assert times == ("07:45", "23:30", "06:00")
    assert body["opted_out_kinds"] == ["appreciation_idea"] and body["daily_cap"] == 1


@pytest.mark.parametrize(
    ("payload", "attr", "code"),
    [
        ({"daily_cap": 2}, "daily_cap", "max_value"),
        ({"weekly_cap": 6}, "weekly_cap", "max_value"),
        ({"daily_cap": -1}, "daily_cap", "min_value"),
        ({"opted_out_kinds": ["spam"]}, "opted_out_kinds.0", "invalid_choice"),
        ({"channels": ["push", "push"]}, "channels", "duplicate"),
        ({"channels": ["sms"]}, "channels.0", "invalid_choice"),
        ({"checkin_time": "25:00"}, "checkin_time", "invalid"),
    ],
)
def test_bad_settings_get_a_clear_400_and_change_nothing(auth_client, user, payload, attr, code):
    before = auth_client.get("/api/v1/me/nudge-settings").json()
    response = auth_client.patch("/api/v1/me/nudge-settings", payload, format="json")
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]
    assert auth_client.get("/api/v1/me/nudge-settings").json() == before


def test_caps_may_go_down_to_zero(auth_client):
    response = auth_client.patch(
        "/api/v1/me/nudge-settings", {"daily_cap": 0, "weekly_cap": 0}, format="json"
    )
    assert response.status_code == 200 and response.json()["daily_cap"] == 0


def test_settings_are_each_persons_own(couple):
    couple.client_a.patch("/api/v1/me/nudge-settings", {"checkin_time": "06:00"}, format="json")
    assert couple.client_b.get("/api/v1/me/nudge-settings").json()["checkin_time"] == "20:00"


def test_no_notification_ever_says_whether_anyone_read_anything(couple):
    mine = _notify(couple.a, actor=couple.b)  # so what a reads below is a real inbox
    theirs = _notify(couple.b, actor=couple.a)
    assert couple.client_b.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 200
    theirs.refresh_from_db()
    when_b_read = {theirs.read_at.isoformat(), theirs.read_at.isoformat().replace("+00:00", "Z")}

    inbox = couple.client_a.get("/api/v1/notifications").json()
    # a's inbox holds a's own notification, with a's own (unread) state, and nothing of b's.
    assert [(n["id"], n["read_at"]) for n in inbox["results"]] == [(str(mine.pk), None)]
    assert inbox["unread_count"] == 1
    for path in ("/api/v1/notifications", "/api/v1/couple", "/api/v1/couple/partner"):
        text = couple.client_a.get(path).content.decode()
        assert str(theirs.pk) not in text, path
        assert not any(moment in text for moment in when_b_read), path
        if path != "/api/v1/notifications":
            assert "read_at" not in text, path


def test_the_unread_count_is_the_same_on_every_page_and_on_an_empty_one(couple):
    """The badge's number rides on the page's rows (one statement): a later page, a page of
    one, a sync page with nothing new and my partner's inbox each say the right number."""
    made = [_notify(couple.a, actor=couple.b) for _ in range(3)]
    Notification.objects.filter(pk=made[0].pk).update(read_at=LATER)
    _notify(couple.b, actor=couple.a)
    first = couple.client_a.get("/api/v1/notifications?page_size=1").json()
    assert len(first["results"]) == 1 and first["unread_count"] == 2
    link = urlparse(first["next"])
    second = couple.client_a.get(f"{link.path}?{link.query}").json()
    assert second["results"] and second["unread_count"] == 2
    later = (timezone.now() + dt.timedelta(days=2)).isoformat().replace("+00:00", "Z")
    empty = couple.client_a.get(f"/api/v1/notifications?updated_since={later}").json()
    assert empty["results"] == [] and empty["unread_count"] == 2
    assert couple.client_b.get("/api/v1/notifications").json()["unread_count"] == 1
    couple.client_a.post("/api/v1/notifications/read-all")
    assert couple.client_a.get("/api/v1/notifications").json()["unread_count"] == 0
