"""bench/seed.py on a tiny population: what it writes, that it reuses a seeded database, and
that every row it COPYs holds to the schema's constraints (deferred ones checked here)."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client

from accounts.models import Consent, User
from bench import seed as bench_seed
from checkins.models import CheckIn
from couples.models import (
    Agreement,
    AgreementRevision,
    Boundary,
    BoundaryRevision,
    Couple,
    Membership,
)
from nudges.models import Notification, NudgeSettings
from tests.utils import access_token_for, bearer

pytestmark = pytest.mark.django_db

COUPLES = 3  # the demo pair and two others
PEOPLE = 2 * COUPLES


def _seed(**kwargs):
    summary = bench_seed.seed(COUPLES, log=lambda *_: None, **kwargs)
    with connection.cursor() as cursor:  # the foreign keys a commit would check, now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as a fresh transaction has them
    return summary


def test_every_couple_is_two_verified_people_with_their_settings_and_consent():
    summary = _seed()

    assert summary.reused is False
    assert Couple.objects.count() == COUPLES
    assert Membership.objects.filter(left_at__isnull=True).count() == PEOPLE
    assert set(Membership.objects.values_list("couple_id", flat=True)) == set(
        Couple.objects.values_list("id", flat=True)
    )
    assert User.objects.count() == PEOPLE
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == PEOPLE
    assert NudgeSettings.objects.count() == PEOPLE
    assert Consent.objects.filter(sensitive_data=True).count() == PEOPLE
    assert summary.rows["User"] == PEOPLE
    assert summary.rows["Couple"] == COUPLES


def test_one_password_hash_serves_everyone_and_signs_the_demo_person_in():
    _seed()

    assert User.objects.values("password").distinct().count() == 1
    demo, partner = bench_seed.demo_pair()
    assert demo.check_password(bench_seed.DEMO_PASSWORD)
    assert Couple.objects.filter(memberships__user=demo).get() == (
        Couple.objects.filter(memberships__user=partner).get()
    )


def test_the_others_have_ninety_days_of_checkins_boundaries_agreements_notifications():
    _seed()
    demo_ids = [person.pk for person in bench_seed.demo_pair()]
    others = User.objects.exclude(pk__in=demo_ids)
    today = dt.datetime.now(dt.UTC).date()

    for person in others:
        days = list(CheckIn.objects.filter(author=person).values_list("local_date", flat=True))
        assert 0 < len(days) <= bench_seed.DAYS
        assert min(days) >= today - dt.timedelta(days=bench_seed.DAYS)
        assert max(days) < today
        assert Boundary.objects.filter(owner=person).count() == bench_seed.BOUNDARIES_PER_PERSON
        assert Notification.objects.filter(recipient=person).count() == len(
            range(1, bench_seed.DAYS + 1, bench_seed.NOTIFICATION_EVERY_DAYS)
        )
    assert Agreement.objects.exclude(couple__memberships__user__in=demo_ids).count() == 2 * (
        COUPLES - 1
    )
    # Written as the product writes them: each with its first revision, shared with the couple.
    assert BoundaryRevision.objects.count() == Boundary.objects.count()
    assert AgreementRevision.objects.count() == Agreement.objects.count()
    assert not Agreement.objects.filter(latest_revision__isnull=True).exists()
    assert not CheckIn.objects.filter(couple__isnull=True).exists()


def test_the_demo_pair_holds_a_month_with_the_partners_checkin_today():
    _seed()
    demo, partner = bench_seed.demo_pair()
    today = dt.datetime.now(dt.UTC).date()

    assert CheckIn.objects.filter(author=demo).count() == bench_seed.DEMO_CHECKIN_DAYS
    assert not CheckIn.objects.filter(author=demo, local_date=today).exists()  # the PUT's to write
    partner_today = CheckIn.objects.get(author=partner, local_date=today)
    assert partner_today.passed is False and partner_today.is_shared is True
    assert partner_today.mood == 4
    notes = set(CheckIn.objects.filter(author=demo).values_list("private_note", flat=True))
    assert notes == {"", "Only mine to read."}  # encrypted at rest, read back through the field
    assert Notification.objects.filter(recipient=demo).count() == bench_seed.DEMO_NOTIFICATIONS
    assert Boundary.objects.filter(owner=demo).count() == 4
    assert Agreement.objects.filter(couple__memberships__user=demo).count() == 3


def test_a_database_already_seeded_with_n_couples_is_reused_and_reseed_starts_again():
    first = _seed()
    checkins = set(CheckIn.objects.values_list("id", flat=True))

    again = _seed()
    assert again.reused is True
    assert again.demo_user_ids == first.demo_user_ids
    assert set(CheckIn.objects.values_list("id", flat=True)) == checkins

    fresh = _seed(reseed=True)
    assert fresh.reused is False
    assert Couple.objects.count() == COUPLES
    assert User.objects.count() == PEOPLE


def test_the_inbox_is_written_as_haven_writes_it_and_names_the_partner_when_read():
    _seed()
    demo, partner = bench_seed.demo_pair()
    rows = Notification.objects.filter(recipient=demo).select_related("nudge")
    assert {(n.names_at_read, n.nudge.actor_id, n.nudge.state) for n in rows} == {
        (True, partner.pk, "sent")
    }
    assert all(n.nudge.subject_id == n.subject_id for n in rows)
    page = Client(**bearer(access_token_for(demo))).get("/api/v1/notifications").json()
    assert len(page["results"]) == bench_seed.DEMO_NOTIFICATIONS
    assert {n["body"] for n in page["results"]} == {
        f"{partner.display_name} is thinking of you. No reply needed."
    }


def test_a_database_seeded_with_an_older_inbox_is_seeded_anew():
    _seed()
    Notification.objects.update(nudge=None, names_at_read=False)
    with connection.cursor() as cursor:  # its foreign-key checks done, as a commit does
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    summary = _seed()

    assert summary.reused is False
    assert not Notification.objects.filter(nudge__isnull=True).exists()


def test_a_database_another_key_encrypted_is_seeded_anew(settings):
    from cryptography.fernet import Fernet

    _seed()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    summary = _seed()

    assert summary.reused is False
    demo, _partner = bench_seed.demo_pair()
    notes = set(CheckIn.objects.filter(author=demo).values_list("private_note", flat=True))
    assert notes == {"", "Only mine to read."}  # written, and read, with the key now in use


def test_a_different_n_seeds_again():
    _seed()

    summary = bench_seed.seed(COUPLES + 1, log=lambda *_: None)

    assert summary.reused is False
    assert Couple.objects.count() == COUPLES + 1


def test_a_seeded_database_reused_on_a_later_day_gets_the_partners_checkin_for_that_day():
    _seed()
    demo, partner = bench_seed.demo_pair()
    later = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)

    assert bench_seed.demo_partner_checks_in_today(later) is True
    assert bench_seed.demo_partner_checks_in_today(later) is False  # once

    checkin = CheckIn.objects.get(author=partner, local_date=later)
    assert checkin.is_shared and not checkin.passed and checkin.mood == 4
    assert checkin.couple.memberships.filter(user=demo).exists()


def test_the_load_without_foreign_key_triggers_writes_the_same_rows():
    checked = _seed().rows

    unchecked = _seed(reseed=True, skip_fk_checks=True).rows

    assert unchecked == checked
    assert Couple.objects.count() == COUPLES


# VACUUM cannot run inside a transaction; the rows the migrations wrote are put back after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_settling_vacuums_and_analyzes_every_table_as_autovacuum_would_and_says_so():
    bench_seed.seed(COUPLES, log=lambda *_: None)
    said: list[str] = []

    bench_seed.settle(log=said.append)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables"
            " WHERE last_vacuum IS NULL OR last_analyze IS NULL"
        )
        unsettled = [name for (name,) in cursor.fetchall()]
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = %s",
            [CheckIn._meta.db_table],
        )
        pages, all_visible = cursor.fetchone()
    assert unsettled == []
    # The loaded check-ins' pages are all marked visible: an index may answer alone.
    assert pages > 0
    assert all_visible == pages
    assert len(said) == 1
    assert "vacuumed and analyzed" in said[0]
    assert "autovacuum: " in said[0]
