from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today
from accounts.models import User
from checkins.models import Acknowledgement, CheckIn, CheckinSettings
from checkins.prompts import prompt_for_day
from common.errors import ApplicationError
from common.sync import tombstones_clear, tombstones_record
from couples.models import Couple
from couples.selectors import couple_and_partner_of
from nudges.services import nudge_relay, nudges_back_off_reset


def checkin_dates_open(user: User) -> tuple[dt.date, dt.date]:
    """A check-in may be written for today or yesterday, in the person's own time zone."""
    today = local_today(user)
    return today - dt.timedelta(days=1), today


def checkin_upsert(*, author: User, local_date: dt.date, data: dict[str, Any]) -> CheckIn:
    """Create or replace my check-in for a date. A pass carries nothing else. All or
    nothing: the check-in, the reminder back-off, the partner's sync and the "bridge is
    ready" nudge are written together (the nudge goes out only once they are committed).
    Two racing PUTs for one date leave one row, the later one's answers."""
    yesterday, today = checkin_dates_open(author)
    if local_date not in (yesterday, today):
        raise ApplicationError(
            _("A check-in can be for today (%(today)s) or yesterday (%(yesterday)s).")
            % {"today": today.isoformat(), "yesterday": yesterday.isoformat()},
            code="date_out_of_range",
            attr="date",
            extra={"allowed_dates": [yesterday.isoformat(), today.isoformat()]},
        )
    pair = couple_and_partner_of(author)
    values: dict[str, Any] = {
        "couple": pair[0] if pair is not None else None,
        "passed": bool(data.get("passed")),
        "mood": data.get("mood"),
        "energy": data.get("energy"),
        "dial": data.get("dial"),
        "capacity": data.get("capacity") or "",
        "shared_note": data.get("shared_note") or "",
        "private_note": data.get("private_note") or "",
        "prompt_answer": data.get("prompt_answer") or "",
        "prompt": None,
        "is_shared": True,
    }
    with transaction.atomic():
        # One check-in write per couple (or per person alone) at a time: the second partner
        # to check in always sees the first one's row, so the bridge is announced exactly
        # once, never twice and never (both still uncommitted) not at all.
        if pair is not None:
            Couple.objects.select_for_update().get(pk=pair[0].pk)
        else:
            User.objects.select_for_update().get(pk=author.pk)
        if values["prompt_answer"]:
            values["prompt"] = prompt_for_day(user=author, local_date=local_date)
        checkin, created = CheckIn.objects.update_or_create(
            author=author, local_date=local_date, defaults=values
        )
        nudges_back_off_reset(user=author)
        if pair is not None:
            tombstones_clear(viewer_ids=[pair[1].pk], kind=CheckIn.SYNC_KIND, object_id=checkin.pk)
            if created and not checkin.passed:
                _tell_partner_the_bridge_is_ready(checkin, partner=pair[1])
    return checkin


def _tell_partner_the_bridge_is_ready(checkin: CheckIn, *, partner: User) -> None:
    """The second check-in of a day (neither a pass) opens the day's bridge for both: the
    one who checked in first hears that there is something for the two of them. Said once
    per day (the subject is this check-in), and never what anyone answered."""
    theirs = CheckIn.objects.filter(
        author=partner, local_date=checkin.local_date, passed=False, is_shared=True
    )
    if theirs.exists():
        nudge_relay(
            recipient=partner,
            kind="checkin_bridge_ready",
            subject_id=checkin.pk,
            actor=checkin.author,
        )


def checkin_unsend(*, checkin: CheckIn, user: User) -> CheckIn:
    """The author takes back what they shared: it becomes private, the partner no longer
    sees it, and the partner's phone is told to drop it."""
    if checkin.author_id != user.pk:
        raise NotFound()
    with transaction.atomic():
        CheckIn.objects.filter(pk=checkin.pk).update(is_shared=False, updated_at=timezone.now())
        pair = couple_and_partner_of(user)
        if pair is not None:
            tombstones_record(viewer_ids=[pair[1].pk], kind=CheckIn.SYNC_KIND, object_id=checkin.pk)
    checkin.refresh_from_db()
    return checkin


def acknowledgement_set(*, checkin: CheckIn, user: User, reaction: str) -> Acknowledgement:
    """A warm reaction to a partner's revealed check-in (the caller has already scoped the
    check-in to what `user` may see). Changing one's reaction replaces it."""
    if checkin.author_id == user.pk:
        raise ApplicationError(
            _("Reactions are for your partner's check-ins."), code="own_checkin", status_code=403
        )
    with transaction.atomic():
        acknowledgement, _created = Acknowledgement.objects.update_or_create(
            checkin=checkin, by=user, defaults={"reaction": reaction}
        )
        # The author's phone syncs the reaction with their check-in.
        CheckIn.objects.filter(pk=checkin.pk).update(updated_at=timezone.now())
    return acknowledgement


def checkin_settings_update(*, user: User, data: dict[str, Any]) -> CheckinSettings:
    settings_row, _created = CheckinSettings.objects.update_or_create(user=user, defaults=data)
    return settings_row
