"""`GET me/export`: one versioned document with everything the person provided, never the
partner's private words; after an end, each keeps exactly what they wrote."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent, User
from couples.models import Appreciation, BoundaryRevision, Ping
from tests.accounts.data_rights.life import NOON, later, live_together, signed_in_couple
from tests.factories import AgreementFactory, BoundaryFactory, CheckInFactory, NudgeFactory, pair
from tests.utils import assert_error_shape, client_for

PLANTED = re.compile(r"zq(kw[a-z]+)9([a-z]+)qz")


def _planted_in(document: dict) -> set[tuple[str, str]]:
    """(writer's tag, field) of every planted string in the document."""
    return set(PLANTED.findall(json.dumps(document, default=str)))


def _export(client) -> dict:
    response = client.get("/api/v1/me/export")
    assert response.status_code == 200, response.content
    return response.json()


def test_after_an_end_each_export_holds_what_its_person_wrote_and_not_the_other(db, time_machine):
    time_machine.move_to(NOON, tick=True)
    people = signed_in_couple()
    live_together(people, tag_a="kwaa", tag_b="kwbb")
    later(time_machine, people, minutes=1)

    # Together: each sees their own words, private ones included, and only what the other
    # shared with them (never the other's private note or private boundary).
    together_a = _planted_in(_export(people.client_a))
    together_b = _planted_in(_export(people.client_b))
    for planted, other in ((together_a, "kwbb"), (together_b, "kwaa")):
        assert (other, "privatenote") not in planted
        assert (other, "textprivate") not in planted
    assert ("kwaa", "privatenote") in together_a and ("kwaa", "textprivate") in together_a
    assert ("kwbb", "appreciation") in together_a  # received while together

    assert people.client_a.post("/api/v1/couple/end").status_code == 200
    later(time_machine, people, minutes=1)
    after_a = _planted_in(_export(people.client_a))
    after_b = _planted_in(_export(people.client_b))

    written_by_a = {field for tag, field in together_a if tag == "kwaa"}
    written_by_b = {field for tag, field in together_b if tag == "kwbb"}
    # Each keeps everything they wrote...
    assert {f for t, f in after_a if t == "kwaa"} == written_by_a
    assert {f for t, f in after_b if t == "kwbb"} == written_by_b
    # ...and of the other's words, only the agreement both accepted (b's counter, which a
    # accepted; its title is a's proposal), exactly what each still sees in the archive.
    assert {(t, f) for t, f in after_a if t == "kwbb"} == {("kwbb", "termsaccepted")}
    assert {(t, f) for t, f in after_b if t == "kwaa"} == {("kwaa", "titleaccepted")}


def test_the_export_is_versioned_and_carries_every_registered_section(db):
    from accounts.data_rights import export_sections

    _couple, person, _partner = pair()
    document = _export(client_for(person))
    assert document["format"] == "haven-export/1"
    assert set(document) == {"format", "exported_at"} | {s.name for s in export_sections()}
    assert document["account"]["email"] == person.email
    assert "token" not in json.dumps(document["devices"])


def test_download_serves_an_attachment_with_a_dated_name(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 15, tzinfo=dt.UTC), tick=False)
    _couple, person, _partner = pair()
    response = client_for(person).get("/api/v1/me/export?download=1")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="haven-export-2026-11-29.json"'
    )
    assert response.json()["format"] == "haven-export/1"


def test_three_exports_a_day_each_recorded_then_a_clear_429(db, time_machine, settings):
    settings.EXPORTS_PER_DAY = 3
    time_machine.move_to(NOON, tick=False)
    _couple, person, _partner = pair()
    client = client_for(person)
    for _ in range(3):
        assert client.get("/api/v1/me/export").status_code == 200
    response = client.get("/api/v1/me/export")
    assert_error_shape(response, 429, "export_limit")
    assert int(response["Retry-After"]) == 24 * 3600
    assert AuditEvent.objects.filter(user=person, kind="export").count() == 3
    time_machine.move_to(NOON + dt.timedelta(days=1, seconds=1), tick=False)
    assert client_for(person).get("/api/v1/me/export").status_code == 200


def _a_life_of(person: User, partner: User, days: int) -> None:
    """`days` of daily use: a check-in a day, a boundary revised, messages both ways,
    agreements and notifications."""
    start = timezone.now().date() - dt.timedelta(days=days)
    CheckInFactory.create_batch(
        days,
        author=person,
        local_date=factory_dates(start, days),
        shared_note="A fine day.",
        private_note="Only mine.",
    )
    for index in range(max(1, days // 30)):
        boundary = BoundaryFactory(owner=person, text=f"Quiet mornings {index}")
        BoundaryRevision.objects.create(
            boundary=boundary, version=2, kind=boundary.kind, text="Quieter", visibility="private"
        )
        AgreementFactory(author=person)
    couple = person.memberships.get(left_at__isnull=True).couple
    for _ in range(max(1, days // 7)):
        Appreciation.objects.create(couple=couple, author=person, recipient=partner, text="Ty")
        Ping.objects.create(couple=couple, sender=partner, recipient=person)
        NudgeFactory(recipient=person)


def factory_dates(start: dt.date, days: int):
    import factory

    return factory.Iterator([start + dt.timedelta(days=n) for n in range(days)])


def _queries_for_export(person: User) -> int:
    client = client_for(person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/me/export").status_code == 200
    return len(captured)


@pytest.mark.parametrize("days", [7, 365])
def test_a_year_of_daily_use_exports_in_a_bounded_number_of_queries(
    db, days, django_assert_max_num_queries
):
    """The same number of queries for a week as for a year (its time: bench/export_timing.py)."""
    _couple, person, partner = pair()
    _a_life_of(person, partner, days)
    with django_assert_max_num_queries(50):
        assert client_for(person).get("/api/v1/me/export").status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_data(db):
    _c1, small, small_partner = pair()
    _c2, large, large_partner = pair()
    _a_life_of(small, small_partner, 7)
    _a_life_of(large, large_partner, 365)
    assert _queries_for_export(small) == _queries_for_export(large)
