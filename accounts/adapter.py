"""Haven's account adapter for django-allauth: which address a request comes from, how
failed sign-ins are counted, and the language of the emails allauth sends.

allauth counts a failed login *before* it checks the password and refuses every attempt once
an email or an address has used up its failures. Behind a shared address (a home network, a
phone carrier's NAT) that lets anyone lock out the others, and anyone who knows a person's
email (an abusive partner does) can keep that person out of their own account. Haven counts a
failure only once a password has been checked and found wrong, and never refuses the right
password: while an account or an address is over its failure limit, a correct password asks
for a one-time code sent to the account's email (allauth's own login-by-code step,
`auth/code/confirm`) instead of signing in at once. Guesses stay slow (a wrong password over
the limit is answered `too_many_login_attempts` with a true `Retry-After`), and the person
who owns the account always gets in.

The emails allauth sends (confirm the address, reset the password) are written in the person's
own language, like everything else Haven sends them, not in whatever language the request that
caused them carried. An email for no known account (enumeration prevention) follows the
request's `Accept-Language`, as nothing else is known."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation

from common.i18n import language_of
from common.net import client_ip

LOGIN_FAILED = "login_failed"
# The request attributes the adapter leaves for the login stage and for the response.
CODE_REQUIRED_ATTR = "haven_login_code_required"
RETRY_AFTER_ATTR = "haven_retry_after"


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The one rule for a client's address (`common.net.client_ip`), so allauth's limits,
        DRF's throttles and the admin's lockout agree on who is asking."""
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Refuse nothing before the password is checked; remember whether this account or
        address is already over its failure limit (a dry run: nothing is counted)."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        over_limit = not ratelimit.consume(
            request, app="allauth.account", action=LOGIN_FAILED, key=key, dry_run=True
        )
        setattr(request, CODE_REQUIRED_ATTR, over_limit)
        self._login_failed_rl_usage = None

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        """A wrong password: count it against the address and the account. Once over either
        limit, say so, and when the oldest counted failure frees a try."""
        setattr(request, CODE_REQUIRED_ATTR, False)
        key = self._get_login_attempts_cache_key(request, **credentials)
        counted = ratelimit.consume(request, app="allauth.account", action=LOGIN_FAILED, key=key)
        if not counted:
            setattr(request, RETRY_AFTER_ATTR, seconds_until_allowed(request, LOGIN_FAILED, key))
            raise self.validation_error("too_many_login_attempts")

    def is_login_by_code_required(self, login) -> bool:
        """The right password for an account (or from an address) over its failure limit
        signs in after a code sent to the account's email, never refused."""
        request = self.request or context.request
        if request is not None and getattr(request, CODE_REQUIRED_ATTR, False):
            return True
        return super().is_login_by_code_required(login)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user")
        if getattr(user, "pk", None) is None:
            super().send_mail(template_prefix, email, context)
            return
        with translation.override(language_of(user)):
            super().send_mail(template_prefix, email, context)


def seconds_until_allowed(request: HttpRequest, action: str, key: str | None = None) -> int:
    """How long until allauth's limits for `action` allow one more try from this request:
    the time until the oldest counted hit that keeps a window full leaves it. At least 1."""
    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(
        app="allauth.account", action=action, config=account_settings.RATE_LIMITS
    ):
        if rate.per == "key" and key is None:
            continue
        if rate.per == "user" and not request.user.is_authenticated:
            continue
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action=action, rate=rate, key=key
        )
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return max(1, int(wait + 0.999))
