from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.localtime import local_day_bounds
from accounts.models import User
from common.errors import ApplicationError
from couples.models import Appreciation, Ping
from couples.selectors import couple_and_partner_required
from nudges.services import nudge_relay


def appreciation_create(*, author: User, text: str, love_language: str = "") -> Appreciation:
    """A note of thanks, relayed to the partner (it waits out their quiet hours)."""
    with transaction.atomic():
        couple, partner = couple_and_partner_required(author)
        appreciation = Appreciation.objects.create(
            couple=couple, author=author, recipient=partner, text=text, love_language=love_language
        )
        nudge_relay(
            recipient=partner, kind="appreciation", subject_id=appreciation.pk, actor=author
        )
    return appreciation


def ping_send(*, sender: User) -> Ping:
    """'Thinking of you'. A small daily budget (in the sender's own day) keeps an anxious
    moment from becoming a flood for the partner."""
    now = timezone.now()
    with transaction.atomic():
        # One sender's pings are counted one at a time, so the budget holds under retries.
        User.objects.select_for_update().get(pk=sender.pk)
        couple, partner = couple_and_partner_required(sender)
        day_start, day_end = local_day_bounds(sender, now)
        sent_today = Ping.objects.filter(sender=sender, created_at__gte=day_start).count()
        if sent_today >= settings.PINGS_PER_DAY:
            raise ApplicationError(
                _(
                    "You've sent %(count)d pings today, which is the daily limit. Your partner "
                    "has them all; a new day brings new ones."
                )
                % {"count": sent_today},
                code="ping_budget_spent",
                status_code=429,
                retry_after=max(1, int((day_end - now).total_seconds())),
            )
        ping = Ping.objects.create(couple=couple, sender=sender, recipient=partner)
        nudge_relay(recipient=partner, kind="ping", subject_id=ping.pk, actor=sender)
    return ping
