"""Names in an inbox are rendered when read, never stored: while together the partner is
named; after any end (and after a deletion) they read "your former partner"."""

from __future__ import annotations

import pytest

from accounts.deletion import account_delete
from nudges.models import Notification
from tests.factories import UserFactory, pair
from tests.nudges.delivering import NOON, ping_delivered
from tests.utils import client_for

pytestmark = pytest.mark.django_db


def _bodies(client) -> list[str]:
    return [n["body"] for n in client.get("/api/v1/notifications").json()["results"]]


def test_the_inbox_names_the_partner_then_a_former_partner_after_an_end(time_machine):
    time_machine.move_to(NOON, tick=False)
    _couple, a, b = pair(UserFactory(display_name="Robin"), UserFactory(display_name="Sam"))
    ping_delivered(a)
    stored = Notification.objects.get(recipient=b)
    assert "Robin" not in stored.title + stored.body  # no table keeps the name
    assert _bodies(client_for(b)) == ["Robin is thinking of you. No reply needed."]

    assert client_for(a).post("/api/v1/couple/end").status_code == 200
    bodies = _bodies(client_for(b))
    assert "your former partner is thinking of you. No reply needed." in bodies
    assert not any("Robin" in body for body in bodies)
    # Pairing again with the same person names them again.
    pair(a, b)
    assert "Robin is thinking of you. No reply needed." in _bodies(client_for(b))


def test_a_row_written_before_names_were_rendered_loses_the_name_on_deletion(time_machine):
    time_machine.move_to(NOON, tick=False)
    _couple, a, b = pair(UserFactory(display_name="Robin 100%"), UserFactory())
    ping_delivered(a)
    legacy = Notification.objects.get(recipient=b)
    Notification.objects.filter(pk=legacy.pk).update(
        names_at_read=False, body="Robin 100% is thinking of you. 100% no reply needed."
    )
    account_delete(person=a, via="app")
    legacy.refresh_from_db()
    assert "Robin" not in legacy.body
    assert "your former partner is thinking of you. 100% no reply needed." in _bodies(client_for(b))


def test_the_inbox_reads_who_each_actor_is_as_the_export_names_them(time_machine):
    """The inbox reads "your former partner" beside each row, in SQL (issue 17); the export
    and the channels ask `relation_names`. Both come from one rule (`is_former_partner`):
    through together, an end, pairing again, an end and a new partner, and the former
    partner's deletion, every row names its actor as `relation_names` does."""
    from nudges.kinds import relation_names
    from nudges.selectors import names_read_with, notifications_of

    time_machine.move_to(NOON, tick=False)
    me, robin, sam = UserFactory(), UserFactory(display_name="Robin"), UserFactory()

    def assert_one_rule(expected_former: set) -> None:
        named = relation_names(me)
        assert set(named) == expected_former
        for compiled in (False, True):
            rows = list(notifications_of(me, compiled=compiled))
            assert rows
            for row in rows:
                actor = row.nudge.actor_id
                assert names_read_with(row) == ({actor: named[actor]} if actor in named else {})

    pair(me, robin)
    ping_delivered(robin)
    assert_one_rule(set())
    assert client_for(robin).post("/api/v1/couple/end").status_code == 200
    assert_one_rule({robin.pk})
    pair(me, robin)
    assert_one_rule(set())
    assert client_for(me).post("/api/v1/couple/end").status_code == 200
    pair(me, sam)
    ping_delivered(sam)
    assert_one_rule({robin.pk})
    account_delete(person=robin, via="app")
    assert_one_rule({robin.pk})  # the anonymised row stays: still a former partner
    assert "Robin" not in " ".join(_bodies(client_for(me)))
