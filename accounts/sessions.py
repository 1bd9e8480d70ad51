"""Where am I signed in (issue 16, item 4): the pieces shared by the list, the sign-out and
the apps that keep something per signed-in session (push devices, in `nudges`).

A sign-in is an allauth session (PostgreSQL); its access tokens carry the session in `sid`,
encrypted. Outside allauth a session is named only by its fingerprint (`session_fingerprint`),
never by its key: the key is a credential, the fingerprint is not."""

from __future__ import annotations

import hashlib

from allauth.headless.tokens.strategies.jwt.internal import session_key_from_sid
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

# Sent after a person's other sign-ins ended (sign out everywhere else, a password change or
# reset), with `user` and `kept_fingerprint` (the one sign-in that stays, or None when none
# does). Apps that keep something per sign-in drop what belonged to the others: `nudges`
# removes their push devices, so an ended sign-in's phone gets nothing more.
other_sessions_ended = Signal()


def session_fingerprint(session_key: str | None) -> str:
    """A stable, non-secret name for a sign-in: what the list shows as `id` and what a push
    device records as the sign-in it was registered from. '' for no session."""
    if not session_key:
        return ""
    return hashlib.sha256(f"haven-session:{session_key}".encode()).hexdigest()[:32]


def session_key_of(request: Request | HttpRequest) -> str | None:
    """The sign-in a request is made with: the session its bearer token names (API), or the
    request's own session (the admin)."""
    payload = getattr(request, "auth", None)
    if isinstance(payload, dict) and isinstance(payload.get("sid"), str):
        return session_key_from_sid(payload["sid"])
    session = getattr(request, "session", None)
    return getattr(session, "session_key", None)


def device_summary(user_agent: str) -> str:
    """A few words a person recognises ("iPhone", "Android phone", "Web browser"), never the
    raw user agent string: enough to tell one's own phone from another, nothing to track."""
    agent = user_agent.lower()
    for needle, label in (
        ("iphone", _("iPhone")),
        ("ipad", _("iPad")),
        ("android", _("Android phone")),
        ("macintosh", _("Mac")),
        ("windows", _("Windows computer")),
        ("linux", _("Linux computer")),
        ("haven", _("Haven app")),
    ):
        if needle in agent:
            return str(label)
    return str(_("A device Haven could not name"))
