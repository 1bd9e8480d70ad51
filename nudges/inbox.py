"""Delivering claimed nudges into the inbox, a batch at a time: load everything the policy
needs for the whole batch in a handful of queries, decide each nudge (send, defer or drop),
then write the inbox rows and the nudges' new states in bulk, in one transaction, and hand
the sent ones to the other channels (their push and email copies: `nudges.channels.sending`).
Rows another worker holds are skipped (skip_locked) and rows no longer pending are left
alone, so a task delivered twice, or two workers given the same ids, write each inbox row
exactly once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import structlog
from django.db import transaction
from django.utils import formats, timezone, translation

from accounts.localtime import local_zone
from accounts.models import Preferences
from accounts.selectors import AloneTimeWindow
from common.bulk import bulk_update_values
from common.i18n import language_of
from nudges import channels
from nudges.kinds import NudgeKind, holds, kind_named, withholds
from nudges.models import Notification, Nudge, NudgeSettings
from nudges.naming import ACTOR_PLACEHOLDER
from nudges.policy import (
    DEFER,
    DROP,
    HELD,
    SEND,
    AloneWindow,
    Candidate,
    History,
    Person,
    decide,
)
from nudges.selectors import nudge_settings_of

logger = structlog.get_logger(__name__)
HISTORY_DAYS = 8  # a local week, plus a day for the widest zone difference
# The reason on a nudge that reached its recipient inside another's notification.
ARRIVED_AS_ONE = "arrived_as_one"


def nudges_deliver(ids: Sequence[uuid.UUID | str], now: dt.datetime | None = None) -> Counter:
    """Decide and deliver these nudges. Returns how many were sent, deferred, dropped (and
    how many arrived inside another's notification: `arrived_as_one`)."""
    now = now or timezone.now()
    outcome: Counter = Counter()
    with transaction.atomic():
        batch = list(
            Nudge.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(ids), state=Nudge.State.PENDING, due_at__lte=now)
            .select_related("recipient__nudge_settings", "actor")
        )
        if not batch:
            return outcome
        batch += _waited_alongside(batch)
        recipients = {nudge.recipient_id for nudge in batch}
        prefs = _settings_for(batch)
        people = _people(batch, prefs, now)
        history = _history(recipients, now)
        relevant = _still_relevant(batch)
        copy_context = _copy_context(batch)
        sent: list[tuple[Nudge, Notification, NudgeSettings]] = []
        touched_settings: dict[uuid.UUID, NudgeSettings] = {}
        # What waited out a hold and arrives now, by (recipient, kind, actor): one
        # notification each, in the kind's held words.
        together: dict[tuple, list[Nudge]] = defaultdict(list)

        def send(nudge: Nudge, spec: NudgeKind, held: bool = False) -> None:
            notification = _notification(
                nudge, spec, copy_context.get(nudge.pk, {}), now, held=held
            )
            row = prefs[nudge.recipient_id]
            sent.append((nudge, notification, row))
            if spec.is_engagement:
                history[nudge.recipient_id].append(now)
            if spec.backs_off:
                row.checkin_reminders_ignored += 1
                row.last_checkin_reminder_on = nudge.local_date
                touched_settings[row.pk] = row

        for nudge in sorted(batch, key=_order):
            spec = kind_named(nudge.kind)
            if nudge.pk not in relevant:
                _finish(nudge, Nudge.State.DROPPED, "no_longer_needed")
                outcome["dropped"] += 1
                continue
            decision = decide(
                person=people[nudge.recipient_id],
                nudge=_candidate(nudge, spec),
                moment=now,
                history=History(engagement_sent=history[nudge.recipient_id]),
            )
            if decision.action == SEND:
                _finish(nudge, Nudge.State.SENT, decision.reason)
                nudge.sent_at = now
                if nudge.was_held and spec.arrives_as_one_after_a_hold:
                    together[(nudge.recipient_id, nudge.kind, nudge.actor_id)].append(nudge)
                    continue
                send(nudge, spec)
            elif decision.action == DEFER:
                assert decision.until is not None
                nudge.due_at = decision.until
                nudge.claimed_until = None
                nudge.reason = decision.reason
                if decision.reason == HELD:
                    nudge.was_held = True
            else:
                assert decision.action == DROP
                _finish(nudge, Nudge.State.DROPPED, decision.reason)
            outcome[{SEND: "sent", DEFER: "deferred", DROP: "dropped"}[decision.action]] += 1
        for group in together.values():
            first, *others = sorted(group, key=lambda nudge: (nudge.created_at, str(nudge.pk)))
            send(first, kind_named(first.kind), held=True)
            for nudge in others:
                # Delivered inside the first one's notification: no inbox row, push or email
                # of its own.
                nudge.reason = ARRIVED_AS_ONE
            outcome["sent"] += 1
            outcome[ARRIVED_AS_ONE] += len(others)
        Notification.objects.bulk_create(
            [notification for _, notification, _ in sent], ignore_conflicts=True
        )
        for nudge in batch:
            nudge.updated_at = now
        bulk_update_values(
            batch,
            ["state", "reason", "due_at", "claimed_until", "sent_at", "was_held", "updated_at"],
        )
        _back_off_record(list(touched_settings.values()))
        channels.fan_out(sent)
    logger.info("nudges_delivered", **outcome)
    return outcome


def _waited_alongside(batch: Sequence[Nudge]) -> list[Nudge]:
    """The other pending nudges that waited out a hold with ones in this batch (the same
    recipient, kind and actor, for a kind that then arrives as one): they are decided with
    the batch, so what waited together arrives together, however the rows were split into
    tasks. Rows another worker holds are its business (skip_locked)."""
    waited = {
        (nudge.recipient_id, nudge.kind, nudge.actor_id)
        for nudge in batch
        if nudge.was_held and kind_named(nudge.kind).arrives_as_one_after_a_hold
    }
    if not waited:
        return []
    candidates = (
        Nudge.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            state=Nudge.State.PENDING,
            was_held=True,
            recipient_id__in={recipient for recipient, _, _ in waited},
            kind__in={kind for _, kind, _ in waited},
        )
        .exclude(pk__in=[nudge.pk for nudge in batch])
        .select_related("recipient__nudge_settings", "actor")
    )
    return [n for n in candidates if (n.recipient_id, n.kind, n.actor_id) in waited]


def _order(nudge: Nudge) -> tuple:
    # Relayed first, then engagement by priority: what competes for a day's cap is ordered.
    spec = kind_named(nudge.kind)
    return (spec.is_engagement, spec.priority, nudge.due_at)


def _finish(nudge: Nudge, state: str, reason: str) -> None:
    nudge.state = state
    nudge.reason = reason
    nudge.claimed_until = None


def _candidate(nudge: Nudge, spec: NudgeKind) -> Candidate:
    return Candidate(
        kind=nudge.kind,
        engagement=spec.is_engagement,
        local_date=nudge.local_date,
        at_chosen_time=nudge.at_chosen_time,
        same_day_only=spec.same_day_only,
        passes_space_hold=spec.passes_space_hold,
        backs_off=spec.backs_off,
    )


def _settings_for(batch: Sequence[Nudge]) -> dict[uuid.UUID, NudgeSettings]:
    # One row per person (the batch may hold two of their nudges), loaded with the batch.
    return {nudge.recipient_id: nudge_settings_of(user=nudge.recipient) for nudge in batch}


_BACK_OFF_FIELDS = ["checkin_reminders_ignored", "last_checkin_reminder_on"]


def _back_off_record(rows: Sequence[NudgeSettings]) -> None:
    """Write the back-off counts of the people just sent a kind that backs off. Someone
    without a settings row yet gets it written now, their first change."""
    bulk_update_values([row for row in rows if not row._state.adding], _BACK_OFF_FIELDS)
    NudgeSettings.objects.bulk_create(
        [row for row in rows if row._state.adding],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=_BACK_OFF_FIELDS,
    )


def _people(
    batch: Sequence[Nudge], prefs: dict[uuid.UUID, NudgeSettings], now: dt.datetime
) -> dict[uuid.UUID, Person]:
    recipients = {nudge.recipient_id: nudge.recipient for nudge in batch}
    windows: dict[Any, list] = dict(
        Preferences.objects.filter(user_id__in=list(recipients)).values_list(
            "user_id", "alone_time_windows"
        )
    )
    held: dict[uuid.UUID, dt.datetime] = {}
    for hold in holds():
        for user_id, until in hold(list(recipients), now).items():
            held[user_id] = max(until, held.get(user_id, until))
    people = {}
    for user_id, user in recipients.items():
        row = prefs[user_id]
        alone = tuple(
            AloneWindow(w.weekday, w.start_minute, w.end_minute)
            for w in map(AloneTimeWindow.from_stored, windows.get(user_id) or [])
        )
        people[user_id] = Person(
            zone=local_zone(user),
            quiet_start=row.quiet_start,
            quiet_end=row.quiet_end,
            alone_windows=alone,
            opted_out=frozenset(row.opted_out_kinds),
            daily_cap=row.daily_cap,
            weekly_cap=row.weekly_cap,
            space_allowed=frozenset(row.space_allowed_kinds),
            held_until=held.get(user_id),
            checkin_reminders_ignored=row.checkin_reminders_ignored,
            last_checkin_reminder_on=row.last_checkin_reminder_on,
        )
    return people


def _history(recipients: set[uuid.UUID], now: dt.datetime) -> dict[uuid.UUID, list[dt.datetime]]:
    history: dict[uuid.UUID, list[dt.datetime]] = defaultdict(list)
    sent = Nudge.objects.filter(
        recipient_id__in=list(recipients),
        state=Nudge.State.SENT,
        nudge_class=Nudge.Class.ENGAGEMENT,
        sent_at__gte=now - dt.timedelta(days=HISTORY_DAYS),
    ).values_list("recipient_id", "sent_at")
    for recipient_id, sent_at in sent:
        if sent_at is not None:
            history[recipient_id].append(sent_at)
    return history


def _still_relevant(batch: Sequence[Nudge]) -> set[uuid.UUID]:
    by_kind: dict[str, list[Nudge]] = defaultdict(list)
    for nudge in batch:
        by_kind[nudge.kind].append(nudge)
    relevant: set[uuid.UUID] = set()
    for kind, nudges in by_kind.items():
        check = kind_named(kind).still_relevant
        relevant |= check(nudges) if check else {nudge.pk for nudge in nudges}
    for withhold in withholds():
        relevant -= withhold(batch)
    return relevant


def _copy_context(batch: Sequence[Nudge]) -> dict[uuid.UUID, dict[str, Any]]:
    by_kind: dict[str, list[Nudge]] = defaultdict(list)
    for nudge in batch:
        by_kind[nudge.kind].append(nudge)
    context: dict[uuid.UUID, dict[str, Any]] = {}
    for kind, nudges in by_kind.items():
        provider = kind_named(kind).context
        if provider is not None:
            context.update(provider(nudges))
    return context


def nudge_copy(
    nudge: Nudge,
    spec: NudgeKind,
    extra: dict[str, Any],
    *,
    held: bool = False,
    name_at_read: bool = False,
) -> tuple[str, str]:
    """The nudge's title and body in the recipient's language (with `held`, the kind's words
    for what waited out a hold). Only display names and words Haven wrote: never anything a
    person typed, never a count. With `name_at_read` (the inbox row), the actor stays a
    placeholder, named when read (`notification_text`); push and email name them now."""
    title, body = (spec.held_title, spec.held_body) if held else (spec.title, spec.body)
    assert title is not None and body is not None
    with translation.override(language_of(nudge.recipient)):
        if name_at_read:
            escaped = {
                k: v.replace("%", "%%") if isinstance(v, str) else v for k, v in extra.items()
            }
            params = {**escaped, "actor": ACTOR_PLACEHOLDER}
        else:
            params = {"actor": nudge.actor.display_name if nudge.actor else "", **extra}
        params = {name: _in_their_words(value, nudge.recipient) for name, value in params.items()}
        return str(title) % params, str(body) % params


def _in_their_words(value: Any, person: Any) -> Any:
    """A date or a time in a copy, written the way the recipient reads one: in their
    language's format (the active one) and, for a moment, their own time zone."""
    if isinstance(value, dt.datetime):
        moment = value.astimezone(local_zone(person)) if timezone.is_aware(value) else value
        return formats.date_format(moment, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


def _notification(
    nudge: Nudge, spec: NudgeKind, extra: dict[str, Any], now: dt.datetime, *, held: bool = False
) -> Notification:
    title, body = nudge_copy(nudge, spec, extra, held=held, name_at_read=True)
    return Notification(
        recipient_id=nudge.recipient_id,
        nudge=nudge,
        kind=nudge.kind,
        subject_id=nudge.subject_id,
        title=title[:200],
        body=body[:500],
        names_at_read=True,
        due_at=now,
    )
