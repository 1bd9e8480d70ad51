from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.localtime import local_day_bounds
from accounts.models import User
from common.errors import ApplicationError, ConflictError
from common.sync import tombstones_record
from couples.models import Appreciation, Couple, Ping, Reassurance
from couples.selectors import (
    NotPaired,
    couple_and_partner_required,
    reassurance_words_seen_by,
)
from couples.services.leaving import leaving_writes_guard
from nudges.services import nudge_relay, nudges_cancel


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


def appreciation_unsend(*, appreciation: Appreciation, author: User) -> Appreciation:
    """The author takes a note back within `Appreciation.UNSEND_WINDOW` of sending it: it
    is gone for both (their phones drop it), its words are not kept, and a nudge still
    waiting (quiet hours, space) is cancelled. After the window it stays: what the partner
    may have read stays read. Unsending twice answers like once. Only the author unsends;
    the partner who received it is told so plainly (403)."""
    with transaction.atomic():
        appreciation = Appreciation.objects.select_for_update(no_key=True).get(pk=appreciation.pk)
        if appreciation.author_id != author.pk:
            raise ApplicationError(
                _("Only the person who wrote this appreciation can take it back."),
                code="not_author",
                status_code=403,
            )
        if appreciation.unsent_at is not None:
            return appreciation
        leaving_writes_guard(user=author, couple_id=appreciation.couple_id)
        now = timezone.now()
        if now - appreciation.created_at > Appreciation.UNSEND_WINDOW:
            raise ConflictError(
                _(
                    "An appreciation can be taken back in the first %(minutes)d minutes. "
                    "This one stays as it is; a new note can always add to it."
                )
                % {"minutes": Appreciation.UNSEND_WINDOW // dt.timedelta(minutes=1)},
                code="unsend_window_passed",
            )
        appreciation.unsent_at = now
        appreciation.text = ""
        appreciation.save(update_fields=["unsent_at", "text", "updated_at"])
        tombstones_record(
            viewer_ids=[appreciation.author_id, appreciation.recipient_id],
            kind=Appreciation.SYNC_KIND,
            object_id=appreciation.pk,
        )
        # A notification already in the inbox stays there: the nudges app offers no way
        # to withdraw one yet (it says only "sent you an appreciation", never the words).
        nudges_cancel(
            recipient_ids=[appreciation.recipient_id],
            kinds=["appreciation"],
            subject_id=appreciation.pk,
        )
    return appreciation


def _couple_locked(sender: User) -> tuple[Couple, User]:
    """The sender's couple, locked for a send: a couple's sends go one at a time, so one
    sender's daily budget holds under retries. The couple row is the first and only lock,
    as in every couple service (FOR NO KEY UPDATE: the new rows may still refer to it). Each
    partner once locked their own row, so two partners pinging each other at the same
    moment each waited for the other's row to insert their ping: a deadlock, and a 500."""
    couple, partner = couple_and_partner_required(sender)
    locked = Couple.objects.select_for_update(no_key=True).get(pk=couple.pk)
    if locked.ended_at is not None:  # ended by the partner a moment ago
        raise NotPaired()
    return locked, partner


def ping_send(*, sender: User) -> Ping:
    """'Thinking of you'. A small daily budget (in the sender's own day) keeps an anxious
    moment from becoming a flood for the partner."""
    now = timezone.now()
    with transaction.atomic():
        couple, partner = _couple_locked(sender)
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


def reassurance_send(*, sender: User, line: str) -> Reassurance:
    """A ready-made line of reassurance, sent with one tap: one of Haven's own lines, or
    `their_words`, the words the partner said they like to hear, only while they share
    them. It arrives as a reassurance (its own kind of nudge, waiting out quiet hours like
    a ping). A few a day, in the sender's own day, keep each one meaningful."""
    now = timezone.now()
    with transaction.atomic():
        couple, partner = _couple_locked(sender)
        if line == Reassurance.THEIR_WORDS and partner.pk not in reassurance_words_seen_by(sender):
            # The same answer whether they keep their words private or never wrote any.
            raise ApplicationError(
                _(
                    "Your partner hasn't shared words they like to hear yet. One of Haven's "
                    "lines can say it for you."
                ),
                code="no_shared_words",
                attr="line",
            )
        day_start, day_end = local_day_bounds(sender, now)
        sent_today = Reassurance.objects.filter(sender=sender, created_at__gte=day_start).count()
        if sent_today >= settings.REASSURANCES_PER_DAY:
            raise ApplicationError(
                _(
                    "You've sent today's reassurances, and your partner has every one. A new "
                    "day brings new ones."
                ),
                code="reassurance_budget_spent",
                status_code=429,
                retry_after=max(1, int((day_end - now).total_seconds())),
            )
        reassurance = Reassurance.objects.create(
            couple=couple, sender=sender, recipient=partner, line=line
        )
        nudge_relay(recipient=partner, kind="reassurance", subject_id=reassurance.pk, actor=sender)
    return reassurance
