from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today
from accounts.models import User
from checkins.models import Acknowledgement, CheckIn, CheckinSettings
from checkins.prompts import (
    checkins_of_day,
    pacing_week,
    prompt_assignment_store,
    prompt_of_day,
)
from common.compiled import CompiledLookup
from common.errors import ApplicationError
from common.sync import tombstones_clear, tombstones_record
from couples.models import Couple
from couples.selectors import couple_and_partner_of
from couples.services.leaving import (
    leaving_couple_subquery,
    leaving_writes_check,
    leaving_writes_guard,
)
from nudges.models import NudgeSettings
from nudges.services import nudge_relay, nudges_back_off_reset


def checkin_dates_open(user: User) -> tuple[dt.date, dt.date]:
    """A check-in may be written for today or yesterday, in the person's own time zone."""
    today = local_today(user)
    return today - dt.timedelta(days=1), today


# A check-in with no answers (CheckIn.ANSWER_FIELDS): what a pass carries.
_EMPTY: dict[str, Any] = {
    "mood": None,
    "energy": None,
    "dial": None,
    "capacity": "",
    "shared_note": "",
    "prompt_answer": "",
}


def checkin_upsert(*, author: User, local_date: dt.date, data: dict[str, Any]) -> CheckIn:
    """Create or replace my check-in for a date (PUT): every answer is replaced by what was
    sent (a field left out is cleared), except the private note, which changes only when it
    is sent. A pass carries no answers but keeps the private note. An edit never shares an
    unsent check-in again: only `checkin_share` does. All or nothing: the check-in, the
    reminder back-off, the partner's sync and the "bridge is ready" nudge are written
    together (the nudge goes out only once they are committed). Two racing PUTs for one date
    leave one row, the later one's answers."""
    return _checkin_write(author=author, local_date=local_date, data=data, partial=False)


def checkin_update(*, author: User, local_date: dt.date, data: dict[str, Any]) -> CheckIn:
    """Correct my check-in for a date (PATCH): only the fields sent change, so softening the
    shared note loses nothing else. Sending `pass: true` turns it into a pass (its answers
    go, the private note stays); sending an answer on a pass turns it back into a check-in.
    With no check-in for the date yet, this writes one from what was sent. The result must
    still say something, or be a pass."""
    return _checkin_write(author=author, local_date=local_date, data=data, partial=True)


def _checkin_dates_check(author: User, local_date: dt.date) -> None:
    yesterday, today = checkin_dates_open(author)
    if local_date not in (yesterday, today):
        raise ApplicationError(
            _("A check-in can be for today (%(today)s) or yesterday (%(yesterday)s).")
            % {"today": today.isoformat(), "yesterday": yesterday.isoformat()},
            code="date_out_of_range",
            attr="date",
            extra={"allowed_dates": [yesterday.isoformat(), today.isoformat()]},
        )


def _merged(existing: CheckIn | None, data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The check-in's answers after this write (see checkin_upsert and checkin_update)."""
    if partial and existing is not None:
        values: dict[str, Any] = {name: getattr(existing, name) for name in _EMPTY}
        values["passed"] = existing.passed
    else:
        values = {**_EMPTY, "passed": False}
    values["private_note"] = existing.private_note if existing is not None else ""

    answers = {name: data[name] for name in CheckIn.ANSWER_FIELDS if name in data}
    for name, value in answers.items():
        values[name] = "" if value is None and _EMPTY[name] == "" else value
    if "private_note" in data:
        values["private_note"] = data["private_note"] or ""
    if "passed" in data:
        values["passed"] = bool(data["passed"])
    elif partial and any(v not in (None, "") for v in answers.values()):
        values["passed"] = False  # answering on a pass is checking in after all
    if values["passed"]:
        values.update(_EMPTY)
    elif not any(
        values[name] not in (None, "") for name in (*CheckIn.ANSWER_FIELDS, "private_note")
    ):
        raise ApplicationError(
            _("Say something, even just a mood, or send a pass."), code="empty_checkin", attr="pass"
        )
    return values


def _is_open(checkin: CheckIn | None) -> bool:
    """Shared with the partner (not a pass, not unsent): what the partner may be shown."""
    return checkin is not None and not checkin.passed and checkin.is_shared


def _write_lock(*, author: User, couple: Couple | None) -> tuple[Any, int]:
    """Lock what serialises this person's check-in writes (the couple row, or their own row
    alone) and read, in the same statement, what the write needs to know about them: the
    couple they are leaving with a delay, if any, and whether reminders are backing off.
    Returns (that couple's id or None, reminders ignored).

    One check-in write per couple (or per person alone) at a time: the second partner to
    check in always sees the first one's row, so the bridge is announced exactly once,
    never twice and never (both still uncommitted) not at all. The lock is FOR NO KEY
    UPDATE, the couple first like every couple service (couples/services/): it queues the
    other writes of the couple but lets rows that refer to it be inserted meanwhile."""
    lookup = _WRITE_LOCK[couple is not None]
    row = lookup.first(
        locked_id=couple.pk if couple is not None else author.pk, author_id=author.pk
    )
    if row is None:  # the couple (or person) is gone: as `.get()` says it
        model = Couple if couple is not None else User
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    return row[0], row[1] or 0


def _write_lock_query(*, couple: bool) -> Callable[..., QuerySet[Any]]:
    def build(locked_id: Any, author_id: Any) -> QuerySet[Any]:
        backing_off = NudgeSettings.objects.filter(user_id=author_id).values(
            "checkin_reminders_ignored"
        )
        locked: QuerySet[Any] = (
            Couple.objects.filter(pk=locked_id) if couple else User.objects.filter(pk=locked_id)
        )
        return (
            locked.select_for_update(no_key=True, of=("self",))
            .annotate(
                leaving=leaving_couple_subquery(author_id),
                reminders_ignored=Subquery(backing_off[:1]),
            )
            .values_list("leaving", "reminders_ignored")
        )

    return build


# Composed once per database connection (common.compiled): every check-in write takes it.
_WRITE_LOCK = {
    couple: CompiledLookup(
        f"checkin_write_lock_{'couple' if couple else 'person'}",
        _write_lock_query(couple=couple),
        locked_id=(Couple if couple else User)._meta.pk,
        author_id=User._meta.pk,
    )
    for couple in (False, True)
}


def _checkin_write(
    *, author: User, local_date: dt.date, data: dict[str, Any], partial: bool
) -> CheckIn:
    _checkin_dates_check(author, local_date)
    # The first question, before anything is written: the view may have read it with the
    # sign-in (`CheckInDayView.read_beside_sign_in_on`).
    pair = couple_and_partner_of(author)
    couple, partner = pair if pair is not None else (None, None)
    members = [author.pk] if partner is None else [author.pk, partner.pk]
    # A write that answers the prompt may have to choose the day's prompt, which reads the
    # members' whole pacing week; any other write reads only their check-ins of the date.
    answering = bool(data.get("prompt_answer"))
    with transaction.atomic():
        leaving, reminders_ignored = _write_lock(author=author, couple=couple)
        # The members' check-ins of the date (and of the week before, when answering), with
        # the reactions on mine: every read the write needs, at once.
        if answering:
            recent = pacing_week(members, up_to=local_date)
        else:
            recent = checkins_of_day(members, day=local_date)
        on_the_day = {c.author_id: c for c in recent if c.local_date == local_date}
        existing = on_the_day.get(author.pk)
        theirs = on_the_day.get(partner.pk) if partner is not None else None
        if existing is not None and existing.couple_id is not None:
            leaving_writes_check(pending_couple_id=leaving, couple_id=existing.couple_id)
        was_open = _is_open(existing)
        was_in = existing.couple_id if existing is not None else None
        values = _merged(existing, data, partial=partial)
        values["couple"] = couple
        if not values["prompt_answer"]:
            values["prompt"] = None
        elif existing is None or not existing.prompt_answer or existing.prompt_id is None:
            if not answering:  # an answer kept from before whose prompt is gone: rare
                recent = pacing_week(members, up_to=local_date)
            values["prompt"], stored = prompt_of_day(
                user=author, couple=couple, local_date=local_date, recent=recent
            )
            if not stored:
                prompt_assignment_store(
                    user=author, couple=couple, local_date=local_date, prompt=values["prompt"]
                )
        if existing is None:
            checkin = CheckIn.objects.create(author=author, local_date=local_date, **values)
            checkin.acknowledgement_rows = []  # a new check-in has no reactions yet
        else:
            checkin = existing
            changed = [name for name, value in values.items() if _differs(checkin, name, value)]
            for name, value in values.items():
                setattr(checkin, name, value)
            if changed:
                # Sending the same check-in again changes nothing, not even `updated_at`
                # (a phone that synced it has nothing new to fetch). An edit writes what it
                # changed and the moment, not every column again (issue 17): the statement
                # is composed for three columns, not twenty, and a private note left as it
                # was is not encrypted again.
                checkin.save(update_fields=[*changed, "updated_at"])
        if reminders_ignored:
            nudges_back_off_reset(user=author)
        if partner is not None:
            # A tombstone for the partner exists only for a check-in that stopped being
            # open to them: none for a new one, none for one open in this couple already.
            still_open = was_open and _is_open(checkin) and checkin.couple_id == was_in
            if existing is not None and not still_open:
                _partner_sync(checkin, partner=partner, was_open=was_open, theirs=theirs)
            if _is_open(checkin) and not was_open:
                _tell_partner_the_bridge_is_ready(checkin, partner=partner, theirs=theirs)
    return checkin


def _differs(checkin: CheckIn, name: str, value: Any) -> bool:
    if name in ("couple", "prompt"):  # by id: loading the row would cost a query
        return getattr(checkin, f"{name}_id") != (value.pk if value is not None else None)
    return bool(getattr(checkin, name) != value)


# The partner's check-in of the date, not read yet (the helpers below then read it).
_NOT_READ: Any = object()


def _partners_checkin(checkin: CheckIn, *, partner: User, theirs: Any) -> CheckIn | None:
    if theirs is not _NOT_READ:
        return theirs
    return CheckIn.objects.filter(author=partner, local_date=checkin.local_date).first()


def _partner_sync(
    checkin: CheckIn, *, partner: User, was_open: bool, theirs: Any = _NOT_READ
) -> None:
    """The partner's phone follows what they may see: a shared check-in syncs as an ordinary
    update; one that stops being shared (unsent, or turned into a pass) is reported removed,
    but only to a partner it was revealed to (who checked in that date): anyone else never
    had it, and a removed id they never saw would say that something was withdrawn.
    `theirs`: the partner's check-in of that date (or None), when the caller has read it."""
    if _is_open(checkin):
        tombstones_clear(viewer_ids=[partner.pk], kind=CheckIn.SYNC_KIND, object_id=checkin.pk)
        return
    if not was_open:
        return
    theirs = _partners_checkin(checkin, partner=partner, theirs=theirs)
    if theirs is not None and not theirs.passed:
        tombstones_record(viewer_ids=[partner.pk], kind=CheckIn.SYNC_KIND, object_id=checkin.pk)


def _tell_partner_the_bridge_is_ready(
    checkin: CheckIn, *, partner: User, theirs: Any = _NOT_READ
) -> None:
    """A check-in that opens the day's bridge (the second shared check-in of a day, or one
    shared again) tells the partner who shared theirs first that there is something for the
    two of them. Said once per day (the subject is this check-in), never what anyone
    answered, and never for a check-in unsent before delivery (nudging.py checks again).
    `theirs`: the partner's check-in of that date (or None), when the caller has read it."""
    yesterday, today = checkin_dates_open(checkin.author)
    if checkin.local_date not in (yesterday, today):
        return
    theirs = _partners_checkin(checkin, partner=partner, theirs=theirs)
    # Shared in the same couple (`CheckInQuerySet.shared_in`): only then is there a bridge.
    if (
        theirs is not None
        and theirs.couple_id == checkin.couple_id
        and not theirs.passed
        and theirs.is_shared
    ):
        nudge_relay(
            recipient=partner,
            kind="checkin_bridge_ready",
            subject_id=checkin.pk,
            actor=checkin.author,
        )


def checkin_unsend(*, checkin: CheckIn, user: User) -> CheckIn:
    """The author takes back what they shared: it becomes private, and to the partner it is
    as if it had never been written (no "checked in", no bridge, no trends, no nudge). A
    partner who had it revealed is told through sync to drop it. Unsending twice is one
    unsend. Only `checkin_share` shares it again."""
    if checkin.author_id != user.pk:
        raise NotFound()
    pair = couple_and_partner_of(user)
    with transaction.atomic():
        # The couple first, as every check-in write does (`_write_lock`), then the row.
        if pair is not None:
            Couple.objects.select_for_update(no_key=True).get(pk=pair[0].pk)
        checkin = CheckIn.objects.select_for_update(no_key=True).get(pk=checkin.pk)
        if not checkin.is_shared:
            return checkin
        if checkin.couple_id is not None:
            leaving_writes_guard(user=user, couple_id=checkin.couple_id)
        was_open = _is_open(checkin)
        checkin.is_shared = False
        checkin.save(update_fields=["is_shared", "updated_at"])
        if pair is not None:
            _partner_sync(checkin, partner=pair[1], was_open=was_open)
    return checkin


def checkin_share(*, checkin: CheckIn, user: User) -> CheckIn:
    """The author shares an unsent check-in again: their explicit act, never a side effect
    of an edit. The partner sees it under the usual reveal rule, and if it opens today's
    bridge, the partner hears so once. Sharing what is already shared changes nothing."""
    if checkin.author_id != user.pk:
        raise NotFound()
    pair = couple_and_partner_of(user)
    with transaction.atomic():
        # Like a check-in write: one per couple at a time, so the bridge is announced once.
        if pair is not None:
            Couple.objects.select_for_update(no_key=True).get(pk=pair[0].pk)
        checkin = CheckIn.objects.select_for_update(no_key=True).get(pk=checkin.pk)
        if checkin.is_shared:
            return checkin
        if checkin.couple_id is not None:
            leaving_writes_guard(user=user, couple_id=checkin.couple_id)
        checkin.is_shared = True
        checkin.save(update_fields=["is_shared", "updated_at"])
        if pair is not None and checkin.couple_id == pair[0].pk:
            _partner_sync(checkin, partner=pair[1], was_open=False)
            if _is_open(checkin):
                _tell_partner_the_bridge_is_ready(checkin, partner=pair[1])
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


def acknowledgement_remove(*, checkin: CheckIn, user: User) -> None:
    """The giver takes their reaction back (the caller has already scoped the check-in to
    what `user` may see). The author's phone syncs the check-in without it, and learns
    nothing more: no nudge, no trace. Removing a reaction that is not there changes nothing."""
    with transaction.atomic():
        deleted, _rows = Acknowledgement.objects.filter(checkin=checkin, by=user).delete()
        if deleted:
            CheckIn.objects.filter(pk=checkin.pk).update(updated_at=timezone.now())


def checkin_settings_update(*, user: User, data: dict[str, Any]) -> CheckinSettings:
    settings_row, _created = CheckinSettings.objects.update_or_create(user=user, defaults=data)
    return settings_row
