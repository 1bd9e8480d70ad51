"""A password change or reset signs the person out everywhere else: another phone's access
and refresh tokens are refused at once (their sessions are gone, and allauth validates every
token against its session)."""

from allauth.account.signals import password_changed, password_reset
from allauth.headless import app_settings as headless_settings
from django.dispatch import receiver

from accounts.services import user_sessions_end


@receiver(password_changed, dispatch_uid="accounts_end_other_sessions_on_change")
def _end_other_sessions_on_password_change(sender, request, user, **kwargs) -> None:
    current = getattr(getattr(request, "session", None), "session_key", None)
    user_sessions_end(user=user, keep_session_key=current)
    headless = getattr(getattr(request, "allauth", None), "headless", None)
    if current and getattr(headless, "client", None) == "app":
        # Django cycles the session key on a password change, which orphans the tokens of
        # the phone that made the change; it gets fresh ones in the response's `meta`
        # (see accounts.middleware.ReissuedTokensMiddleware).
        request.haven_reissued_tokens = (
            headless_settings.TOKEN_STRATEGY.create_access_token_payload(request)
        )


@receiver(password_reset, dispatch_uid="accounts_end_sessions_on_reset")
def _end_sessions_on_password_reset(sender, request, user, **kwargs) -> None:
    user_sessions_end(user=user, keep_session_key=None)
