"""Quiet exit (issue 16, item 3): one setting stops every notification to the person's
devices and email at once, including what was already on its way; the in-app inbox still
records. Reversible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from couples.services.messages import ping_send
from nudges.channels.sending import deliveries_send
from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Notification, Nudge
from nudges.policy import reaches_channel
from nudges.services import device_register
from tests.utils import client_for, next_noon_for

CHANNELS = st.sampled_from(["push", "email"])


@given(
    channel=CHANNELS,
    order=st.lists(CHANNELS, unique=True),
    kind=st.sampled_from(["ping", "checkin_reminder"]),
    opted_out=st.frozensets(st.sampled_from(["ping", "checkin_reminder"])),
)
def test_quiet_exit_closes_every_channel_whatever_else_is_set(channel, order, kind, opted_out):
    assert not reaches_channel(
        channel=channel, channel_order=order, kind=kind, opted_out=opted_out, quiet_exit=True
    )
    assert reaches_channel(
        channel=channel, channel_order=order, kind=kind, opted_out=opted_out, quiet_exit=False
    ) == (channel in order and kind not in opted_out)


def _deliver_ping(couple) -> Nudge:
    ping = ping_send(sender=couple.b)
    nudge = Nudge.objects.get(kind="ping", subject_id=ping.pk)
    nudges_deliver([nudge.pk], now=next_noon_for(couple.a))
    return nudge


@pytest.mark.django_db
def test_quiet_exit_keeps_the_inbox_and_stops_push_and_email(couple, settings):
    device_register(user=couple.a, token="push-a", platform="ios")
    patched = couple.client_a.patch(
        "/api/v1/me/nudge-settings", {"quiet_exit": True}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["quiet_exit"] is True
    nudge = _deliver_ping(couple)
    assert Notification.objects.filter(nudge=nudge, recipient=couple.a).exists()
    assert not Delivery.objects.filter(nudge=nudge).exists()

    # Reversible: off again, the next one reaches the phone too.
    couple.client_a.patch("/api/v1/me/nudge-settings", {"quiet_exit": False}, format="json")
    later = _deliver_ping(couple)
    assert Delivery.objects.filter(nudge=later, channel="push").exists()


@pytest.mark.django_db
def test_quiet_exit_stops_what_was_already_on_its_way(couple):
    device_register(user=couple.a, token="push-a", platform="ios")
    nudge = _deliver_ping(couple)
    waiting = list(Delivery.objects.filter(nudge=nudge, state=Delivery.State.PENDING))
    assert waiting
    client_for(couple.a).patch("/api/v1/me/nudge-settings", {"quiet_exit": True}, format="json")
    assert set(Delivery.objects.filter(nudge=nudge).values_list("state", "last_error")) == {
        (Delivery.State.SKIPPED, "quiet_exit")
    }
    # A copy a worker picks up anyway (claimed before the switch) is not sent either.
    Delivery.objects.filter(nudge=nudge).update(state=Delivery.State.PENDING)
    outcome = deliveries_send([d.pk for d in waiting], now=next_noon_for(couple.a))
    assert outcome["sent"] == 0
    assert set(Delivery.objects.filter(nudge=nudge).values_list("last_error", flat=True)) == {
        "quiet_exit"
    }
