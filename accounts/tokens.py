"""allauth's JWT token strategy with refresh-token reuse detection.

A sign-in (one allauth session, stored in PostgreSQL) is a family of tokens. Each refresh spends
its refresh token and mints the next one. A spent refresh token that comes back means two
holders have the family (a stolen token, or a stolen phone's backup): the whole sign-in ends,
so every access and refresh token of that session is refused from then on. A phone that sends
two requests at once may refresh twice with the same token: a second use within
`HAVEN_REFRESH_REUSE_GRACE_SECONDS` of the first is answered like the first.

Revocation lives in the session row, so PostgreSQL decides it; the cache is never consulted."""

from __future__ import annotations

import time

import structlog
from allauth.headless import app_settings
from allauth.headless.tokens.strategies.jwt import internal
from allauth.headless.tokens.strategies.jwt.strategy import JWTTokenStrategy
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from accounts.services import user_session_end

logger = structlog.get_logger(__name__)

# Session key: refresh-token ids spent within the grace window, with when they were spent.
RECENTLY_ROTATED_KEY = "haven_rotated_refresh_tokens"


class ReuseDetectingJWTTokenStrategy(JWTTokenStrategy):
    def refresh_token(self, refresh_token: str) -> tuple[str, str] | None:
        if not app_settings.JWT_ROTATE_REFRESH_TOKEN:
            return super().refresh_token(refresh_token)
        payload = internal.decode_token(refresh_token, "refresh")
        if payload is None:
            return None
        session_key = internal.session_key_from_sid(payload["sid"])
        if not session_key:
            return None
        with transaction.atomic():
            # Two refreshes of one sign-in take turns, so neither loses the other's token.
            if not Session.objects.select_for_update().filter(session_key=session_key).exists():
                return None
            session = internal.get_token_session(payload)
            if session is None:
                return None
            user = internal.validate_token_user(payload, session)
            if user is None:
                return None
            now = time.time()
            grace = settings.HAVEN_REFRESH_REUSE_GRACE_SECONDS
            live = internal.get_refresh_token_state(session)
            rotated: dict[str, float] = {
                jti: spent_at
                for jti, spent_at in session.get(RECENTLY_ROTATED_KEY, {}).items()
                if spent_at + grace > now
            }
            jti = payload["jti"]
            if jti in live:
                live.pop(jti)
                rotated[jti] = now
            elif jti not in rotated:
                # Signed by us, unexpired, for this live session, yet spent: a reuse.
                logger.warning("refresh_token_reused", user_id=str(user.pk))
                user_session_end(user=user, session_key=session_key)
                return None
            session[RECENTLY_ROTATED_KEY] = rotated
            access_token = internal.create_access_token(user, session, self.get_claims(user))
            next_refresh_token = internal.create_refresh_token(user, session)
            session.save()
        return access_token, next_refresh_token
