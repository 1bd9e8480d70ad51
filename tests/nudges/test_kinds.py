"""What a kind registers is what the policy does with it: `nudges` names no other app's kind.
Kinds that are allowed while taking space make up a new person's list of them (which stays
theirs to change), and kinds that back off are the ones counted on the settings row."""

import datetime as dt
import uuid

import pytest
import time_machine

from couples.models import CoachNote
from couples.services.couples import space_start
from nudges import kinds
from nudges.kinds import ENGAGEMENT, RELAYED, NudgeKind, all_kinds, kind_named
from nudges.models import Notification, Nudge, NudgeSettings
from nudges.services import nudge_relay, nudge_schedule, nudge_settings_update
from tests.factories import UserFactory, pair
from tests.nudges.delivering import berlin, deliver_due, settings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe_kind(monkeypatch):
    """Register a kind for one test only (the registry is the process's)."""

    def register(**properties) -> NudgeKind:
        kind = NudgeKind(name=f"probe_{uuid.uuid4().hex[:8]}", title="Probe", body="", **properties)
        monkeypatch.setitem(kinds._kinds, kind.name, kind)
        return kind

    return register


def test_the_apps_register_what_their_kinds_do():
    assert kind_named("checkin_reminder").backs_off
    assert {kind.name for kind in all_kinds() if kind.backs_off} == {
        "checkin_reminder",
        "lesson_idea",
    }
    assert kinds.space_allowed_by_default() == ["coach_note", "conversation_reminder"]


def test_a_new_persons_space_allowed_kinds_are_the_registered_ones(probe_kind):
    allowed = probe_kind(nudge_class=RELAYED, allowed_while_space=True)
    probe_kind(nudge_class=RELAYED)
    user = UserFactory()
    expected = sorted(["coach_note", "conversation_reminder", allowed.name])
    assert settings_of(user).space_allowed_kinds == expected
    assert NudgeSettings().space_allowed_kinds == expected


def test_a_kind_registered_allowed_while_space_reaches_someone_taking_space(probe_kind):
    allowed = probe_kind(nudge_class=RELAYED, allowed_while_space=True)
    held = probe_kind(nudge_class=RELAYED)
    _, _a, b = pair()
    now = berlin(2027, 5, 4, 12, 0)
    with time_machine.travel(now, tick=False):
        space_start(user=b, ends_at=berlin(2027, 5, 4, 18, 0), check_back_at=None)
    for kind in (allowed, held):
        nudge_relay(recipient=b, kind=kind.name, subject_id=uuid.uuid4(), due_at=now)
    deliver_due(now)
    assert Nudge.objects.get(recipient=b, kind=allowed.name).state == "sent"
    waiting = Nudge.objects.get(recipient=b, kind=held.name)
    assert (waiting.state, waiting.reason) == ("pending", "taking_space")


def test_a_person_who_takes_a_kind_off_their_list_is_not_reached_by_it_while_away():
    couple, _a, b = pair()
    nudge_settings_update(user=b, data={"space_allowed_kinds": []})
    now = berlin(2027, 5, 4, 12, 0)
    with time_machine.travel(now, tick=False):
        space_start(user=b, ends_at=berlin(2027, 5, 4, 18, 0), check_back_at=None)
    note = CoachNote.objects.create(couple=couple, coach=UserFactory(), text="Gently")
    nudge_relay(recipient=b, kind="coach_note", subject_id=note.pk, due_at=now)
    deliver_due(now)
    assert Nudge.objects.get(recipient=b, kind="coach_note").reason == "taking_space"
    assert not Notification.objects.filter(recipient=b).exists()


def test_only_kinds_registered_to_back_off_are_counted(probe_kind):
    backs_off = probe_kind(nudge_class=ENGAGEMENT, backs_off=True)
    plain = probe_kind(nudge_class=ENGAGEMENT)
    user = UserFactory()
    nudge_schedule(
        recipient=user, kind=plain.name, subject_id=uuid.uuid4(), due_at=berlin(2027, 5, 4, 12)
    )
    deliver_due(berlin(2027, 5, 4, 12))
    row = settings_of(user)
    assert (row.checkin_reminders_ignored, row.last_checkin_reminder_on) == (0, None)
    nudge_schedule(
        recipient=user, kind=backs_off.name, subject_id=uuid.uuid4(), due_at=berlin(2027, 5, 5, 12)
    )
    deliver_due(berlin(2027, 5, 5, 12))
    row = settings_of(user)
    assert (row.checkin_reminders_ignored, row.last_checkin_reminder_on) == (1, dt.date(2027, 5, 5))


def test_a_kind_that_backs_off_is_dropped_once_it_has_gone_unanswered(probe_kind):
    backs_off = probe_kind(nudge_class=ENGAGEMENT, backs_off=True)
    user = UserFactory()
    NudgeSettings.objects.filter(user=user).update(
        checkin_reminders_ignored=3, last_checkin_reminder_on=dt.date(2027, 5, 4)
    )
    nudge = nudge_schedule(
        recipient=user, kind=backs_off.name, subject_id=uuid.uuid4(), due_at=berlin(2027, 5, 5, 12)
    )
    deliver_due(berlin(2027, 5, 5, 12))
    nudge.refresh_from_db()
    assert (nudge.state, nudge.reason) == ("dropped", "backing_off")
