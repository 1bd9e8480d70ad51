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
