"""allauth's account adapter, for one thing only: the emails allauth sends (confirm the
address, reset the password) are written in the person's own language, like everything else
Haven sends them, not in whatever language the request that caused them happened to carry.
An email for no known account (enumeration prevention) follows the request's
`Accept-Language`, as nothing else is known."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from common.i18n import language_of


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user")
        if getattr(user, "pk", None) is None:
            super().send_mail(template_prefix, email, context)
            return
        with translation.override(language_of(user)):
            super().send_mail(template_prefix, email, context)
