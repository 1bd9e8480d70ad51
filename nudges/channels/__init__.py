"""Delivery channels, pluggable like Django's email backends.

The inbox is not optional and not a backend: `nudges.inbox` writes the inbox row in the
same transaction that marks a nudge sent, so it exists exactly once. Every other channel
(push, email) is a backend named in `settings.NUDGE_CHANNELS` ({"push": "dotted.Path"}):
`fan_out` is called with the nudges just sent, inside that transaction, and each backend
records what it will send (its own delivery rows) and sends after commit, at most once per
(nudge, channel).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from nudges.kinds import is_inbox_only
from nudges.models import Notification, Nudge, NudgeSettings
from nudges.policy import reaches_channel


class ChannelBackend:
    """A way of reaching a person outside the app. Subclasses set `name` and implement
    `fan_out`; `is_configured` says at start-up whether it can send at all."""

    name: str = ""

    def is_configured(self) -> bool:
        return True

    def fan_out(
        self,
        sent: Sequence[tuple[Nudge, Notification, NudgeSettings]],
    ) -> None:
        """Record (and, after commit, send) this channel's copy of each sent nudge for the
        people whose channel order names this channel."""
        raise NotImplementedError


@cache
def backends() -> tuple[ChannelBackend, ...]:
    return tuple(import_string(path)() for path in settings.NUDGE_CHANNELS.values())


def fan_out(sent: Sequence[tuple[Nudge, Notification, NudgeSettings]]) -> None:
    for backend in backends():
        # A kind the person turned off, or quiet exit, reaches the inbox only (relayed ones
        # are never lost), and so does a kind registered as inbox-only (a small idea is no
        # reason to buzz).
        wanted = [
            (nudge, notification, prefs)
            for nudge, notification, prefs in sent
            if reaches_channel(
                channel=backend.name,
                channel_order=prefs.channels or [],
                kind=nudge.kind,
                opted_out=frozenset(prefs.opted_out_kinds or []),
                quiet_exit=prefs.quiet_exit,
            )
            and not is_inbox_only(nudge.kind)
        ]
        if wanted and backend.is_configured():
            backend.fan_out(wanted)
