"""What the home screen and the check-in list and write cost in SQL statements (issue 17),
and that reading the home screen writes nothing. Signing in costs 1 statement (the person's
row with their session's); on the home screen and the list the couple and partner come back
in it (`read_beside_sign_in`); the budgets below are that plus each endpoint's own."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from accounts.models import LoveLanguages, Preferences, User
from checkins.library import prompt_library
from checkins.models import CheckIn, CheckinSettings, Prompt, PromptAssignment
from checkins.prompts import _AUTHOR_COLUMNS_UNREAD, PACING_WINDOW_DAYS
from tests.factories import CheckInFactory, UserFactory
from tests.utils import client_for, today_for

SIGN_IN = 1
TODAY = "/api/v1/checkins/today"


@pytest.fixture(autouse=True)
def _library_held(db):
    """As in any process past its first home screen: the prompt library is held
    (`checkins.library`; what its first read costs is tested in test_prompt_library)."""
    prompt_library()


def _put(client, date, **body):
    return client.put(f"/api/v1/checkins/{date}", body, format="json")


def _answered_week(couple, *, depth: str = Prompt.Depth.MEDIUM) -> None:
    """Both partners answered a prompt on each of the seven days before today."""
    prompt = Prompt.objects.filter(depth=depth, is_active=True).order_by("id").first()
    today = today_for(couple.a)
    for days_ago in range(1, 8):
        for person in (couple.a, couple.b):
            CheckInFactory(
                author=person,
                local_date=today - dt.timedelta(days=days_ago),
                prompt=prompt,
                prompt_answer="A few words.",
            )


def _shared_profiles(*people) -> None:
    for person in people:
        LoveLanguages.objects.create(
            user=person, receiving=["words_of_affirmation"], shared_with_partner=True
        )
        Preferences.objects.create(
            user=person, connection_activities=["walk"], shared_with_partner=True
        )


def _every_table() -> dict[str, tuple[int, object]]:
    """Each table's row count and newest `updated_at` (where it has one)."""
    state = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = model._default_manager.all()
        newest = None
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            newest = rows.aggregate(newest=Max("updated_at"))["newest"]
        state[model._meta.db_table] = (rows.count(), newest)
    return state


# --- GET checkins/today ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    ["nobody_yet", "partner_only", "both_with_bridge", "week_answered_deep", "prompt_stored"],
)
def test_today_costs_two_statements_beyond_sign_in(couple, day, django_assert_max_num_queries):
    today = today_for(couple.a)
    if day == "week_answered_deep":
        CheckinSettings.objects.create(user=couple.a, deeper_prompts=True)
        CheckinSettings.objects.create(user=couple.b, deeper_prompts=True)
        _answered_week(couple)
    if day in ("partner_only", "both_with_bridge"):
        assert _put(couple.client_b, today, mood=4, dial=1, capacity="light").status_code == 200
    if day == "both_with_bridge":
        _shared_profiles(couple.a, couple.b)
        assert _put(couple.client_a, today, mood=3, dial=-1).status_code == 200
    if day == "prompt_stored":
        assert _put(couple.client_b, today, prompt_answer="Tea.").status_code == 200
    # Both partners' check-ins of the week with everything the screen and the prompt's pace
    # read; today's prompt (the couple and partner came with the sign-in).
    with django_assert_max_num_queries(SIGN_IN + 2):
        response = couple.client_a.get(TODAY)
    assert response.status_code == 200
    body = response.json()
    assert body["prompt"]["id"]
    if day == "both_with_bridge":
        assert body["partner"]["state"] == "revealed" and body["bridge"] is not None
    if day == "week_answered_deep":
        assert body["prompt"]["depth"] == Prompt.Depth.DEEP


def test_today_alone_costs_two_statements_beyond_sign_in(db, django_assert_max_num_queries):
    phone = client_for(UserFactory())
    with django_assert_max_num_queries(SIGN_IN + 2):
        body = phone.get(TODAY).json()
    assert body["partner"] is None and body["prompt"]["id"]


def test_reading_today_leaves_every_table_unchanged(couple):
    today = today_for(couple.a)
    _answered_week(couple)
    _put(couple.client_b, today, mood=4, shared_note="Fine.")
    before = _every_table()
    for client in (couple.client_a, couple.client_b, couple.client_a):
        assert client.get(TODAY).status_code == 200
        assert client.get("/api/v1/prompts/today").status_code == 200
    assert _every_table() == before
    assert not PromptAssignment.objects.filter(local_date=today).exists()


def test_the_prompt_shown_is_the_one_an_answer_is_linked_to_and_then_stored(couple):
    today = today_for(couple.a)
    shown = couple.client_a.get(TODAY).json()["prompt"]
    assert couple.client_b.get(TODAY).json()["prompt"] == shown
    written = _put(couple.client_b, today, prompt_answer="Tea on the balcony.").json()
    assert written["prompt"]["id"] == shown["id"]
    assert PromptAssignment.objects.get(couple=couple.couple, local_date=today).prompt_id == (
        CheckIn.objects.get(author=couple.b).prompt_id
    )
    # Stored now: whatever the pace does next, the date keeps it.
    Prompt.objects.filter(pk=shown["id"]).update(is_active=False)
    assert couple.client_a.get(TODAY).json()["prompt"]["id"] == shown["id"]


# --- GET checkins ------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 10])
def test_the_list_costs_the_same_for_one_row_and_twenty(
    couple, days, django_assert_max_num_queries
):
    today = today_for(couple.a)
    for days_ago in range(days):
        day = today - dt.timedelta(days=days_ago)
        mine = CheckInFactory(author=couple.a, local_date=day, mood=3)
        CheckInFactory(author=couple.b, local_date=day, mood=4, couple=couple.couple)
        mine.acknowledgements.create(by=couple.b, reaction="hug")
    # The page with each check-in's reactions and prompt (the couple came with the sign-in).
    with django_assert_max_num_queries(SIGN_IN + 1):
        listed = couple.client_a.get("/api/v1/checkins?page_size=20").json()["results"]
    assert len(listed) == 2 * days
    assert all(c["acknowledgements"][0]["reaction"] == "hug" for c in listed if c["is_mine"])


# --- PUT checkins/{date} -----------------------------------------------------------------------
# Under pytest the write's transaction is a savepoint: SAVEPOINT and RELEASE are two of the
# statements counted here (in production they are BEGIN and COMMIT, which are not).


def test_a_check_in_write_costs_at_most_six_statements_beyond_sign_in(
    couple, django_assert_max_num_queries
):
    today = today_for(couple.a)
    _answered_week(couple)
    # The first write of the day (the couple and partner came with the sign-in): the lock
    # (with the leaving and back-off state), the day's check-ins, the insert; SAVEPOINT and
    # RELEASE.
    with django_assert_max_num_queries(SIGN_IN + 5):
        assert _put(couple.client_a, today, mood=3).status_code == 200
    # Editing it: the same, with an update for the insert.
    with django_assert_max_num_queries(SIGN_IN + 5):
        assert _put(couple.client_a, today, mood=4, shared_note="Better.").status_code == 200
    # Sending the same again writes nothing.
    updated = CheckIn.objects.get(author=couple.a, local_date=today).updated_at
    with django_assert_max_num_queries(SIGN_IN + 4):
        assert _put(couple.client_a, today, mood=4, shared_note="Better.").status_code == 200
    assert CheckIn.objects.get(author=couple.a, local_date=today).updated_at == updated
    # Answering today's prompt also reads the prompt: the first answer of the couple's day
    # stores the date's assignment too (one statement more, once a day).
    with django_assert_max_num_queries(SIGN_IN + 7):
        assert _put(couple.client_a, today, mood=4, prompt_answer="Tea.").status_code == 200
    # Turning it into a pass (the partner, not checked in, needs no tombstone).
    with django_assert_max_num_queries(SIGN_IN + 5):
        assert _put(couple.client_a, today, **{"pass": True}).status_code == 200
    with django_assert_max_num_queries(SIGN_IN + 6):
        assert _put(couple.client_b, today, mood=4, prompt_answer="Cake.").status_code == 200
    assert PromptAssignment.objects.filter(couple=couple.couple, local_date=today).count() == 1


def test_an_edit_writes_only_what_it_changed_and_the_moment(couple):
    today = today_for(couple.a)
    assert _put(couple.client_a, today, mood=3, private_note="Only mine.").status_code == 200
    checkin = CheckIn.objects.get(author=couple.a, local_date=today)

    def stored_note() -> str:
        with connection.cursor() as cursor:  # the ciphertext, as it is at rest
            cursor.execute("SELECT private_note FROM checkins_checkin WHERE id = %s", [checkin.pk])
            return cursor.fetchone()[0]

    sealed = stored_note()
    with CaptureQueriesContext(connection) as queries:
        assert _put(couple.client_a, today, mood=4).status_code == 200

    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    columns = re.findall(r'"(\w+)" = ', updates[0].split(" WHERE ", 1)[0])
    assert sorted(columns) == ["mood", "updated_at"]
    edited = CheckIn.objects.get(pk=checkin.pk)
    assert edited.mood == 4 and edited.updated_at > checkin.updated_at
    # The note was kept (a PUT changes it only when sent), and not encrypted again.
    assert edited.private_note == "Only mine."
    assert stored_note() == sealed


def test_the_write_that_opens_the_bridge_adds_only_the_partners_nudge(
    couple, django_assert_max_num_queries
):
    today = today_for(couple.a)
    assert _put(couple.client_b, today, mood=4).status_code == 200
    # As a first write, plus the "bridge is ready" nudge (nudges.services.nudge_relay: a
    # pending one looked up, then the insert with its two savepoints).
    with django_assert_max_num_queries(SIGN_IN + 5 + 7):
        assert _put(couple.client_a, today, mood=3).status_code == 200


def test_the_reminder_back_off_is_reset_by_a_check_in_and_only_when_counting(couple):
    from nudges.models import NudgeSettings

    today = today_for(couple.a)
    NudgeSettings.objects.update_or_create(user=couple.a, defaults={"checkin_reminders_ignored": 3})
    assert _put(couple.client_a, today, mood=3).status_code == 200
    assert NudgeSettings.objects.get(user=couple.a).checkin_reminders_ignored == 0


def test_no_reader_of_the_weeks_authors_asks_for_a_column_left_unread(couple, monkeypatch):
    """The pacing week leaves some of its authors' columns in PostgreSQL
    (`checkins.prompts._AUTHOR_COLUMNS_UNREAD`), and the partner's private notes: reading one
    would cost a query per row.
    Walked through every reader of those rows: the home screen (alone, revealed, with the
    bridge), the write that opens the bridge (the partner's nudge names the author), an
    edit, a pass, today's prompt."""
    unread = {column.rsplit("__", 1)[1] for column in _AUTHOR_COLUMNS_UNREAD}
    asked = []
    # And a partner's private note: the week's rows of the partner come without it.
    for model, left in ((User, unread), (CheckinSettings, unread), (CheckIn, {"private_note"})):

        def spy(self, *args, fields=None, _real=model.refresh_from_db, _left=left, **kwargs):
            asked.extend(set(fields or ()) & _left)
            return _real(self, *args, fields=fields, **kwargs)

        monkeypatch.setattr(model, "refresh_from_db", spy)
    today = today_for(couple.a)
    _answered_week(couple)
    CheckIn.objects.update(private_note="Kept to myself.")
    _shared_profiles(couple.a, couple.b)
    for person in (couple.a, couple.b):
        CheckinSettings.objects.create(user=person, announce_checked_in=True)
    for client in (couple.client_a, couple.client_b):
        assert client.get(TODAY).status_code == 200
    assert (
        _put(
            couple.client_b, today, mood=4, shared_note="Long day.", private_note="Mine."
        ).status_code
        == 200
    )
    assert couple.client_a.get(TODAY).json()["partner"]["state"] == "checked_in"
    assert _put(couple.client_a, today, mood=3, prompt_answer="Tea.").status_code == 200
    for client in (couple.client_a, couple.client_b):
        body = client.get(TODAY).json()
        assert body["partner"]["state"] == "revealed" and body["bridge"] is not None
        assert client.get("/api/v1/prompts/today").status_code == 200
    assert _put(couple.client_a, today, mood=2, shared_note="Worse.").status_code == 200
    assert _put(couple.client_b, today, **{"pass": True}).status_code == 200
    assert couple.client_a.get(TODAY).status_code == 200
    assert asked == []


def _pacing_reads(queries) -> list[tuple]:
    """The (since, until) dates of each read of the members' check-ins (`pacing_week`,
    `checkins_of_day`: one statement, two date parameters)."""
    reads = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and '"checkins_checkin"."local_date" >=' in sql:
            dates = re.findall(r"'(\d{4}-\d{2}-\d{2})'::date", sql)
            reads.append(tuple(dates[-2:]))
    return reads


def test_a_write_reads_its_date_alone_unless_it_answers_the_prompt(couple):
    """A check-in write needs the members' whole pacing week only to choose the day's
    prompt; any other write reads their check-ins of the date alone (the same statement,
    one day wide)."""
    today = today_for(couple.a)
    _answered_week(couple)
    day = today.isoformat()
    week_start = (today - dt.timedelta(days=PACING_WINDOW_DAYS)).isoformat()
    with CaptureQueriesContext(connection) as queries:
        assert _put(couple.client_a, today, mood=3, shared_note="Tired.").status_code == 200
    assert _pacing_reads(queries) == [(day, day)]
    with CaptureQueriesContext(connection) as queries:
        answered = _put(couple.client_a, today, mood=3, prompt_answer="A walk.")
    assert answered.status_code == 200
    assert _pacing_reads(queries) == [(week_start, day)]
    shown = couple.client_b.get(TODAY).json()["prompt"]
    assert answered.json()["prompt"]["id"] == shown["id"]


def test_an_answer_kept_from_before_without_its_prompt_gets_the_days_prompt_back(couple):
    """The one write without a new answer that still chooses a prompt: an answer kept by a
    partial edit whose check-in lost its prompt (rows from before prompts were stored per
    day). It reads the week then, and links the day's stored prompt."""
    today = today_for(couple.a)
    _answered_week(couple)
    first = _put(couple.client_a, today, mood=3, prompt_answer="Tea.").json()
    CheckIn.objects.filter(pk=first["id"]).update(prompt=None)
    with CaptureQueriesContext(connection) as queries:
        edited = couple.client_a.patch(f"/api/v1/checkins/{today}", {"mood": 5}, format="json")
    assert edited.status_code == 200, edited.content
    assert edited.json()["prompt"]["id"] == first["prompt"]["id"]
    assert edited.json()["prompt_answer"] == "Tea." and edited.json()["mood"] == 5
    day = today.isoformat()
    week_start = (today - dt.timedelta(days=PACING_WINDOW_DAYS)).isoformat()
    assert _pacing_reads(queries) == [(day, day), (week_start, day)]
    assert CheckIn.objects.get(pk=first["id"]).prompt_id is not None


def test_once_todays_prompt_is_stored_the_screens_read_today_alone(
    couple, django_assert_max_num_queries
):
    """The home screen and `prompts/today` need the pacing week only to choose today's
    prompt; once it is stored (someone answered it), the home screen reads today's
    check-ins alone and `prompts/today` no check-ins at all, and both still show it."""
    today = today_for(couple.a)
    _answered_week(couple)
    _shared_profiles(couple.a, couple.b)
    day = today.isoformat()
    week = ((today - dt.timedelta(days=PACING_WINDOW_DAYS)).isoformat(), day)

    with CaptureQueriesContext(connection) as queries:
        shown = couple.client_a.get(TODAY).json()["prompt"]
    assert _pacing_reads(queries) == [week]
    with CaptureQueriesContext(connection) as queries:
        assert couple.client_a.get("/api/v1/prompts/today").json()["id"] == shown["id"]
    assert _pacing_reads(queries) == [week]

    answered = _put(couple.client_b, today, mood=4, prompt_answer="The sea.")
    assert answered.json()["prompt"]["id"] == shown["id"]
    for client in (couple.client_a, couple.client_b):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(TODAY).json()
        assert _pacing_reads(queries) == [(day, day)]
        assert body["prompt"]["id"] == shown["id"]
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/prompts/today").json()["id"] == shown["id"]
        assert _pacing_reads(queries) == []
    # What each partner sees of the other is unchanged by the shorter read.
    assert couple.client_a.get(TODAY).json()["partner"]["state"] == "checked_in"
    assert _put(couple.client_a, today, mood=3, prompt_answer="Bread.").status_code == 200
    for client in (couple.client_a, couple.client_b):
        with django_assert_max_num_queries(SIGN_IN + 2):
            body = client.get(TODAY).json()
        assert body["partner"]["state"] == "revealed"
        assert body["my_checkin"]["prompt"]["id"] == shown["id"]
        assert body["bridge"] is not None  # the profiles came with today's two check-ins
