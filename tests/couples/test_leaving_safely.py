"""Leaving safely (issue 16, item 3): `couple/end` with a delay before the partner sees it.

Both directions at every step: the partner's view (every GET route in the schema, as the
partner) stays byte-identical to what it was just before the request, and the leaver reads
nothing of the partner from the request on; nothing the partner sends reaches the leaver;
when the delay is over the ordinary end runs."""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.services import love_languages_set
from checkins.services import checkin_upsert
from couples.models import CoachGrant, Couple, DelayedEnd, Membership
from couples.selectors import couples_visible_to_coach
from couples.services.agreements import agreement_accept, agreement_propose
from couples.services.boundaries import boundary_create
from couples.services.coaching import coach_grant_consent, coach_grant_invite
from couples.services.couples import couple_end, space_start
from couples.services.invites import invite_create
from couples.services.leaving import couple_end_requested, delayed_ends_complete_due
from couples.services.messages import appreciation_create, ping_send
from couples.tasks import complete_delayed_ends
from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Notification, Nudge
from tests.factories import CoachFactory, UserFactory, pair
from tests.utils import (
    EXPORT_PATH,
    assert_error_shape,
    client_for,
    every_get,
    race,
    today_for,
)

LEAVER_WORDS = "LEAVER-WORDS-7QH3"
PARTNER_WORDS = "PARTNER-WORDS-K2M8"
TEXTS = {"my_need": "Rest.", "your_need_as_i_understand": "Quiet."}


def _fill(couple, coaches_group: Group) -> None:
    """A couple with something of each kind from each side (a = the leaver, b = the
    partner), each carrying its author's planted words."""
    a, b = couple.a, couple.b
    for owner, words in ((a, LEAVER_WORDS), (b, PARTNER_WORDS)):
        boundary_create(owner=owner, kind="need", text=f"Mornings {words}", visibility="shared")
        appreciation_create(author=owner, text=f"Thank you {words}")
        checkin_upsert(
            author=owner, local_date=today_for(owner), data={"mood": 3, "shared_note": words}
        )
        love_languages_set(user=owner, data={"small_things": [words], "shared_with_partner": True})
    ping_send(sender=b)
    agreement = agreement_propose(author=a, title="Sundays", terms=f"Slow {LEAVER_WORDS}", **TEXTS)
    agreement_accept(agreement=agreement, user=b, based_on=1)
    agreement_propose(author=b, title="Evenings", terms=f"Walks {PARTNER_WORDS}", **TEXTS)
    space_start(user=b, ends_at=timezone.now() + dt.timedelta(hours=5), check_back_at=None)
    coach = CoachFactory(groups=[coaches_group])
    grant = coach_grant_invite(user=a, coach_email=coach.email)
    coach_grant_consent(grant=grant, user=b)
    couple.coach = coach


AUTHOR_KEYS = {"author", "author_id", "sender", "sender_id", "owner", "owner_id", "requester_id"}


def _authors(value) -> set[str]:
    """Every author named in an answer (whoever wrote, sent or owns each object in it)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in AUTHOR_KEYS and isinstance(item, str):
                found.add(item)
            found |= _authors(item)
    elif isinstance(value, list):
        for item in value:
            found |= _authors(item)
    return found


def _assert_reads_nothing_of(client, partner) -> None:
    """Every GET route, as the leaver: nothing the partner wrote or owns, not their name (the
    leaver's own things may still say to whom they were sent, as after any end; the inbox
    held nothing of the partner's before the request, and stays so)."""
    for path, (status, body) in every_get(client).items():
        assert status < 500, path
        text = body.decode()
        assert PARTNER_WORDS not in text, path
        assert partner.display_name not in text, path
        assert str(partner.pk) not in _authors(json.loads(body) if body else None), path


@pytest.fixture
def at_noon(time_machine):
    """Noon in Berlin (the factories' time zone), from before the couple exists: the half
    hour the scenario moves on never crosses midnight, whatever the hour the suite runs
    (from 23:30 on, "yesterday" was the fixture's own check-in, still in the couple)."""
    time_machine.move_to(dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC))


@pytest.fixture
def leaving(at_noon, couple, coaches_group):
    # Names no factory would give either partner, so "not their name" means exactly that
    # (two random first names can be the same, or one inside the other).
    for person, name in ((couple.a, "Leaver Quillon"), (couple.b, "Partner Marrowby")):
        person.display_name = name
        person.save(update_fields=["display_name"])
    _fill(couple, coaches_group)
    return couple


@pytest.mark.parametrize(
    ("delay", "code"), [(-1, "min_value"), (25, "max_value"), ("x", "invalid")]
)
def test_the_delay_is_bounded_and_declared(couple, delay, code):
    response = couple.client_a.post("/api/v1/couple/end", {"delay_hours": delay}, format="json")
    assert_error_shape(response, 400, code, "validation_error")
    assert Couple.objects.get(pk=couple.couple.pk).ended_at is None
    assert not DelayedEnd.objects.exists()


def test_leaving_with_a_delay_both_directions_at_every_step(leaving):
    a, b = leaving.a, leaving.b
    with time_machine.travel(timezone.now(), tick=False) as clock:
        before = every_get(leaving.client_b)
        assert any(PARTNER_WORDS in body.decode() for _, body in before.values())
        assert any(LEAVER_WORDS in body.decode() for _, body in before.values())

        # 1. The leaver asks, with six hours before the partner sees it.
        ended = leaving.client_a.post("/api/v1/couple/end", {"delay_hours": 6}, format="json")
        assert ended.status_code == 200, ended.content
        body = ended.json()
        assert body["ended_at"] == timezone.now().isoformat().replace("+00:00", "Z")
        seen_at = dt.datetime.fromisoformat(body["partner_sees_it_at"])
        assert seen_at - timezone.now() == dt.timedelta(hours=6)

        # The partner's view: byte for byte what it was.
        assert every_get(leaving.client_b) == before
        # The leaver's: as after an end, and nothing of the partner's.
        for path in ("/api/v1/couple", "/api/v1/couple/partner"):
            assert_error_shape(leaving.client_a.get(path), 404, "couple_ended")
        _assert_reads_nothing_of(leaving.client_a, b)
        # No coach sees the couple any more; the grant row (which the partner lists) is as it was.
        assert not couples_visible_to_coach(leaving.coach).exists()
        assert CoachGrant.objects.get(couple=leaving.couple).status == "active"
        # Nothing that was pending for the leaver will reach them.
        assert not Nudge.objects.filter(recipient=a, state=Nudge.State.PENDING).exists()

        # 2. The partner goes on as usual: accepted for them, never delivered to the leaver.
        clock.shift(dt.timedelta(minutes=30))
        leaving.client_a, leaving.client_b = client_for(a), client_for(b)  # tokens last minutes
        assert leaving.client_b.post("/api/v1/pings").status_code == 201
        sent = leaving.client_b.post(
            "/api/v1/appreciations", {"text": f"Still here {PARTNER_WORDS}"}, format="json"
        )
        assert sent.status_code == 201, sent.content
        asked = leaving.client_b.post(
            "/api/v1/agreements",
            {"title": "Mornings", "terms": f"Tea {PARTNER_WORDS}", **TEXTS},
            format="json",
        )
        assert asked.status_code == 201, asked.content
        pending = list(Nudge.objects.filter(recipient=a, state=Nudge.State.PENDING))
        nudges_deliver([n.pk for n in pending], now=timezone.now() + dt.timedelta(days=1))
        assert not Notification.objects.filter(recipient=a).exists()
        assert not Delivery.objects.filter(nudge__recipient=a).exists()
        _assert_reads_nothing_of(leaving.client_a, b)

        # 3. The leaver writes alone now: nothing new of theirs reaches the partner's view,
        # and what the partner could already see of theirs cannot change until the end.
        partner_view = every_get(leaving.client_b)
        yesterday = (today_for(a) - dt.timedelta(days=1)).isoformat()
        alone = leaving.client_a.put(
            f"/api/v1/checkins/{yesterday}", {"mood": 2, "shared_note": "Alone"}, format="json"
        )
        assert alone.status_code in (200, 201), alone.content
        private = leaving.client_a.post(
            "/api/v1/boundaries", {"kind": "need", "text": "Mine"}, format="json"
        )
        assert private.status_code == 201, private.content
        refused = [
            leaving.client_a.put(
                f"/api/v1/checkins/{today_for(a).isoformat()}",
                {"mood": 2, "shared_note": f"Later {LEAVER_WORDS}"},
                format="json",
            ),
            leaving.client_a.post(f"/api/v1/checkins/{today_for(a).isoformat()}/unsend"),
            leaving.client_a.post(
                "/api/v1/boundaries",
                {"kind": "need", "text": "Shared", "visibility": "shared"},
                format="json",
            ),
            leaving.client_a.patch("/api/v1/me", {"display_name": "Someone new"}, format="json"),
            leaving.client_a.patch(
                "/api/v1/me/love-languages", {"small_things": ["new"]}, format="json"
            ),
        ]
        for response in refused:
            assert_error_shape(response, 409, "leaving_in_progress")
        assert_error_shape(leaving.client_a.post("/api/v1/pings"), 404, "not_paired")
        assert every_get(leaving.client_b) == partner_view

        # 4. A second tap with the delay (a retry) changes nothing.
        again = leaving.client_a.post("/api/v1/couple/end", {"delay_hours": 6}, format="json")
        assert again.json() == body
        assert Couple.objects.get(pk=leaving.couple.pk).ended_at is None

        # 5. The moment comes: beat's sweep runs the ordinary end.
        clock.shift(dt.timedelta(hours=6))
        assert delayed_ends_complete_due() == 1
        assert delayed_ends_complete_due() == 0  # running twice changes nothing
        leaving.client_a, leaving.client_b = client_for(a), client_for(b)
        ended_couple = Couple.objects.get(pk=leaving.couple.pk)
        assert ended_couple.ended_at == timezone.now() and ended_couple.ended_by == a
        assert not Membership.objects.filter(couple=ended_couple, left_at__isnull=True).exists()
        assert Nudge.objects.filter(recipient=b, kind="couple_ended").count() == 1
        assert not Nudge.objects.filter(recipient=a, state=Nudge.State.PENDING).exists()
        assert CoachGrant.objects.get(couple=leaving.couple).status == "ended"
        for client in (leaving.client_a, leaving.client_b):
            assert_error_shape(client.get("/api/v1/couple"), 404, "couple_ended")
        _assert_reads_nothing_of(leaving.client_a, b)
        # The leaver may change their own things again.
        renamed = leaving.client_a.patch("/api/v1/me", {"display_name": "New"}, format="json")
        assert renamed.status_code == 200


def test_ending_again_without_a_delay_ends_it_now(couple):
    couple.client_a.post("/api/v1/couple/end", {"delay_hours": 12}, format="json")
    now = couple.client_a.post("/api/v1/couple/end")
    assert now.status_code == 200
    assert now.json()["partner_sees_it_at"] == now.json()["ended_at"]
    assert Couple.objects.get(pk=couple.couple.pk).ended_at is not None
    assert Nudge.objects.filter(recipient=couple.b, kind="couple_ended").count() == 1
    assert DelayedEnd.objects.get().completed_at is not None
    assert_error_shape(couple.client_b.get("/api/v1/couple"), 404, "couple_ended")


def test_the_ordinary_end_completes_a_pending_delay_first(couple):
    """What `DELETE me` is built on: `couple_end` ends a delay at once."""
    couple.client_a.post("/api/v1/couple/end", {"delay_hours": 24}, format="json")
    ended = couple_end(user=couple.a)
    assert ended.ended_at is not None and ended.ended_by == couple.a
    assert Nudge.objects.filter(recipient=couple.b, kind="couple_ended").count() == 1


def test_the_partner_ending_during_the_delay_tells_the_leaver_nothing(couple):
    couple.client_a.post("/api/v1/couple/end", {"delay_hours": 3}, format="json")
    assert couple.client_b.post("/api/v1/couple/end").status_code == 200
    assert not Nudge.objects.filter(recipient=couple.a).exists()
    assert DelayedEnd.objects.get().completed_at is not None
    assert delayed_ends_complete_due(now=timezone.now() + dt.timedelta(hours=4)) == 0


def test_the_leaver_can_pair_anew_and_the_old_end_runs_first(couple):
    couple.client_a.post("/api/v1/couple/end", {"delay_hours": 24}, format="json")
    someone = UserFactory()
    code = invite_create(inviter=someone).code
    accepted = couple.client_a.post(f"/api/v1/invites/{code}/accept")
    assert accepted.status_code in (200, 201), accepted.content
    assert Couple.objects.get(pk=couple.couple.pk).ended_at is not None
    assert Nudge.objects.filter(recipient=couple.b, kind="couple_ended").exists()


def test_the_sweep_is_scheduled_by_beat_and_the_task_is_thin(couple):
    # The schedule is data from migration 0011; a transactional test elsewhere on the same
    # worker may have flushed it, so its own function puts it back (as the migration did).
    migration = importlib.import_module("couples.migrations.0011_delayed_end")
    if not PeriodicTask.objects.filter(name=migration.SWEEP).exists():
        migration.schedule(django_apps, None)
    task = PeriodicTask.objects.get(name=migration.SWEEP)
    assert task.task == "couples.tasks.complete_delayed_ends"
    assert task.enabled and task.interval.every == 1 and task.interval.period == "minutes"
    couple.client_a.post("/api/v1/couple/end", {"delay_hours": 1}, format="json")
    assert complete_delayed_ends() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert complete_delayed_ends() == 1
        assert complete_delayed_ends() == 0
    assert Couple.objects.get(pk=couple.couple.pk).ended_at is not None


def test_the_leavers_phone_drops_the_partners_things_at_once_and_the_partners_keeps_all(couple):
    theirs = appreciation_create(author=couple.b, text=f"Thanks {PARTNER_WORDS}")
    mine = appreciation_create(author=couple.a, text="Thanks back")
    boundary = boundary_create(owner=couple.b, kind="need", text="Mornings", visibility="shared")
    checkin = checkin_upsert(
        author=couple.b, local_date=today_for(couple.b), data={"mood": 3, "shared_note": "Hi"}
    )
    since = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    couple.client_a.post("/api/v1/couple/end", {"delay_hours": 2}, format="json")
    for path, pk in (
        ("/api/v1/appreciations", theirs.pk),
        ("/api/v1/boundaries", boundary.pk),
        ("/api/v1/checkins", checkin.pk),
    ):
        synced = couple.client_a.get(path, {"updated_since": since})
        assert synced.status_code == 200, (path, synced.content)
        assert str(pk) in synced.json()["removed"], path
    partner_sync = couple.client_b.get("/api/v1/appreciations", {"updated_since": since}).json()
    assert partner_sync["removed"] == []
    assert str(mine.pk) not in partner_sync["removed"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_quiet_requests_at_once_leave_once_and_end_nothing_early():
    _couple, a, _b = pair()
    phone1, phone2 = client_for(a), client_for(a)
    body = {"delay_hours": 4}
    results = race(
        lambda: phone1.post("/api/v1/couple/end", body, format="json"),
        lambda: phone2.post("/api/v1/couple/end", body, format="json"),
    )
    assert [r.status_code for r in results] == [200, 200]
    assert results[0].json() == results[1].json()
    assert DelayedEnd.objects.count() == 1
    assert Couple.objects.get().ended_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_partner_ending_while_the_sweep_ends_it_is_one_end():
    couple, a, b = pair()
    couple_end_requested(user=a, delay_hours=1)
    later = timezone.now() + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=True):
        partner = client_for(b)
        results = race(
            lambda: partner.post("/api/v1/couple/end").status_code,
            lambda: delayed_ends_complete_due(),
        )
    assert results[0] == 200
    ended = Couple.objects.get(pk=couple.pk)
    assert ended.ended_at is not None
    assert DelayedEnd.objects.get().completed_at is not None
    # Exactly one end: the partner is told once if the sweep won (and ended it for a), not
    # at all if their own end won; the leaver never.
    told = 1 if ended.ended_by == a else 0
    assert Nudge.objects.filter(recipient=b, kind="couple_ended").count() == told
    assert not Nudge.objects.filter(recipient=a, kind="couple_ended").exists()


def _export_without_its_own_record(client) -> dict:
    """The export, less what asking for it changes by itself: when it was made and the
    person's own log of data requests (each export adds a row to it)."""
    response = client.get(EXPORT_PATH)
    assert response.status_code == 200, response.content
    document = response.json()
    document.pop("exported_at")
    document.pop("data_requests")
    return document


def test_during_the_delay_the_partners_export_is_what_it_was(leaving):
    """The export is a read `every_get` leaves out: during the delay it too shows the
    partner nothing of the end (no ended couple, no ended grant, no left membership)."""
    with time_machine.travel(timezone.now(), tick=False):
        before = _export_without_its_own_record(leaving.client_b)
        ended = leaving.client_a.post("/api/v1/couple/end", {"delay_hours": 6}, format="json")
        assert ended.status_code == 200, ended.content
        assert _export_without_its_own_record(leaving.client_b) == before


def test_during_the_delay_the_leavers_export_holds_nothing_of_the_partners(leaving):
    """As after an ordinary end, the leaver's export is what they wrote alone, from the
    moment they ask: nothing the partner wrote before, nor what the partner sends during
    the delay (accepted for the partner, never delivered to the leaver)."""
    ended = leaving.client_a.post("/api/v1/couple/end", {"delay_hours": 6}, format="json")
    assert ended.status_code == 200, ended.content
    asked = leaving.client_b.post(
        "/api/v1/conversations",
        {
            "topic": f"Can we talk {PARTNER_WORDS}",
            "depth": "light",
            "urgency": "no_rush",
            "calm_score": 4,
            "proposed_times": [(timezone.now() + dt.timedelta(days=1)).isoformat()],
        },
        format="json",
    )
    assert asked.status_code == 201, asked.content
    export = leaving.client_a.get(EXPORT_PATH)
    assert export.status_code == 200
    assert LEAVER_WORDS in export.content.decode()
    assert PARTNER_WORDS not in export.content.decode()
    assert leaving.b.display_name not in export.content.decode()
