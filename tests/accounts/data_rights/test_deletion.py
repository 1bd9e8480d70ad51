"""Deleting an account in the app (`DELETE me`): what goes, what stays, and that to the
former partner it looks exactly like an ordinary `couple/end`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEvent, User
from checkins.models import CheckIn
from common.fields import EncryptedTextField
from tests.accounts.data_rights.life import (
    NOON,
    former_partner_view,
    later,
    live_together,
    planted,
    signed_in_couple,
)
from tests.factories import PASSWORD, UserFactory
from tests.nudges.delivering import deliver_due
from tests.utils import assert_error_shape, client_for

pytestmark = pytest.mark.django_db(transaction=False)


def _delete(client, password=PASSWORD):
    return client.delete("/api/v1/me", {"password": password}, format="json")


def _text_columns() -> list[tuple[str, str]]:
    """Every text, varchar and json column of every table in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
        )
        return list(cursor.fetchall())


def _tables_holding(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1',
                [f"%{needle}%"],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def test_a_wrong_password_deletes_nothing(db):
    person = UserFactory()
    response = _delete(client_for(person), password="not it at all")
    assert_error_shape(response, 400, "password_incorrect", "validation_error")
    assert User.objects.get(pk=person.pk).deleted_at is None


def test_deleting_revokes_every_sign_in_and_frees_the_email(db):
    person = UserFactory(email="leaving@example.com")
    phone, tablet = client_for(person), client_for(person)
    assert _delete(phone).status_code == 204
    assert tablet.get("/api/v1/me").status_code == 401
    assert phone.get("/api/v1/me").status_code == 401
    row = User.objects.get(pk=person.pk)
    assert row.email != "leaving@example.com" and not row.is_active
    assert not row.has_usable_password() and row.display_name == ""
    # The address can sign up again as a new person.
    newcomer = UserFactory(email="leaving@example.com")
    assert newcomer.pk != person.pk
    assert AuditEvent.objects.filter(user_id=person.pk, kind="account_deleted").exists()


def test_deleting_twice_changes_nothing(db):
    from accounts.deletion import account_delete

    person = UserFactory()
    account_delete(person=person, via="app")
    account_delete(person=person, via="app")
    assert AuditEvent.objects.filter(user_id=person.pk, kind="account_deleted").count() == 1


def test_no_table_keeps_anything_the_person_wrote_their_email_or_name(db, time_machine):
    """Plant a unique string in every free-text field the person can write (and their
    partner too), delete the person, then search every text and json column of every table
    for the person's strings, email and name. Only what the issue keeps may remain: the
    agreement terms both accepted, which are the partner's words here."""
    time_machine.move_to(NOON, tick=False)
    people = signed_in_couple()
    live_together(people, tag_a="leaver", tag_b="stayer")
    later(time_machine, people, minutes=1)
    email = people.a.email
    fields = [
        "name",
        "small_things",
        "reassurance",
        "connection_activities_other",
        "text_shared",
        "text_private",
        "shared_note",
        "private_note",
        "prompt_answer",
        "appreciation",
        "topic",
        "title_accepted",
        "terms_first",
        "my_need_first",
        "your_need_first",
        "terms_counter",
        "my_need_counter",
        "your_need_counter",
        "reassurance_text",
    ]
    # Before: each planted string is stored somewhere (the private note encrypted).
    assert _tables_holding(planted("leaver", "shared_note"))
    assert CheckIn.objects.filter(author=people.a).first().private_note == planted(
        "leaver", "private_note"
    )
    assert isinstance(CheckIn._meta.get_field("private_note"), EncryptedTextField)

    assert _delete(people.client_a).status_code == 204

    leftovers = {
        what: _tables_holding(what)
        for what in [planted("leaver", field) for field in fields] + [email]
    }
    # The agreement both accepted keeps its title (the leaver's proposal): shared terms stay
    # in the former partner's archive by design; everything else is gone.
    allowed = {planted("leaver", "title_accepted"): ["couples_agreement.title"]}
    assert {k: v for k, v in leftovers.items() if v and allowed.get(k) != v} == {}
    # Encrypted fields: no check-in of theirs is left to decrypt.
    assert not CheckIn.objects.filter(author_id=people.a.pk).exists()
    # What the partner wrote is theirs and stays.
    assert _tables_holding(planted("stayer", "shared_note"))
    assert _tables_holding(planted("stayer", "terms_accepted"))


def _twin(time_machine, *, tag_a: str, tag_b: str):
    people = signed_in_couple()
    live_together(people, tag_a=tag_a, tag_b=tag_b)
    later(time_machine, people, minutes=1)
    return people


def test_to_the_former_partner_a_deletion_looks_exactly_like_an_ordinary_end(db, time_machine):
    """Two twin couples live the same week; in one, `a` deletes their account, in the other
    `a` ends the couple. Every answer `b` can get afterwards (couple, partner, inbox,
    agreements and each one's history, boundaries, check-ins, conversations, …) is the same,
    once ids, times and each twin's own planted words are normalised."""
    time_machine.move_to(NOON, tick=True)  # rows get distinct times, so lists order alike
    deleted = _twin(time_machine, tag_a="kwdela", tag_b="kwdelb")
    ended = _twin(time_machine, tag_a="kwenda", tag_b="kwendb")

    assert _delete(deleted.client_a).status_code == 204
    assert ended.client_a.post("/api/v1/couple/end").status_code == 200
    later(time_machine, deleted, minutes=5)
    later(time_machine, ended, minutes=0)
    later(time_machine, deleted, hours=1)
    later(time_machine, ended, minutes=0)
    deliver_due(timezone.now())  # the couple_ended notification, in the afternoon

    def view(people, tags):
        replace = {people.b.email: "<email b>", people.a.email: "<email a>"} | tags
        seen = former_partner_view(people.client_b, replace)
        for agreement in people.client_b.get("/api/v1/agreements").json()["results"]:
            for suffix in ("", "/revisions"):
                path = f"/api/v1/agreements/{agreement['id']}{suffix}"
                response = people.client_b.get(path)
                text = response.content.decode()
                for old, new in replace.items():
                    text = text.replace(old, new)
                seen[f"agreement #{len(seen)}{suffix}"] = (response.status_code, text.count("zq"))
        return seen

    after_deletion = view(deleted, {"kwdela": "A", "kwdelb": "B"})
    after_end = view(ended, {"kwenda": "A", "kwendb": "B"})
    # The day's prompt is drawn for each couple: the twins may have been asked different ones.
    differences = [d for d in _differences(after_deletion, after_end) if "/prompt/" not in d]
    assert differences == [], "\n".join(differences)
    # And the inbox names the one who left as any former partner, never a stored name.
    inbox = deleted.client_b.get("/api/v1/notifications").json()["results"]
    assert "couple_ended" in [n["kind"] for n in inbox]
    titles = [n["body"] for n in inbox]
    assert any("your former partner" in body for body in titles), titles
    assert not any(planted("kwdela", "name") in body for body in titles)


def _differences(left, right, where="") -> list[str]:
    if isinstance(left, dict) and isinstance(right, dict):
        found = []
        for key in sorted(set(left) | set(right), key=str):
            found += _differences(left.get(key), right.get(key), f"{where}/{key}")
        return found
    if (
        isinstance(left, list | tuple)
        and isinstance(right, list | tuple)
        and len(left) == len(right)
    ):
        found = []
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found += _differences(a, b, f"{where}[{index}]")
        return found
    return [] if left == right else [f"{where}: {left!r} != {right!r}"]
