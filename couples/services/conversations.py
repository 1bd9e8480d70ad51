"""'Can we talk?' requests. Rules (DESIGN, "Conversation requests"; the statuses and turns
are the table in `couples.conversation_states`, applied here under a row lock):

- The requester names a topic, a depth, how soon, and up to three future times; and notes,
  privately, how calm they feel (1 to 5). Calm first: with a low score and no explicit choice
  the request waits with its author as a draft, with a gentle offer to pause; "send_now"
  sends it at once whatever the score, a timer (`hold_minutes`) holds it, and
  `hold_until_confirmed` keeps it as a draft. When a timer ends, the author alone is asked
  once, gently, whether they still want to send it; nothing goes out by itself. What nobody
  confirms is let go after a week.
- The partner answers: pick one of the times (scheduled: a reminder goes to both at that
  time), propose up to three others (the requester then picks, or offers others again), or
  ask for time until a date (at most 14 days). The one who asked for time holds the turn; the
  one asked to wait may offer times after it, and is never the one told about their own move.
- The requester may withdraw a sent request at any point: it leaves the partner's view.
- Repeating a move that changes nothing answers as the first did (a double tap is no error).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today, local_zone
from accounts.models import User
from common.errors import ApplicationError, ConflictError
from common.sync import tombstones_record, tombstones_record_bulk
from couples import conversation_states as states
from couples.models import ConversationRequest
from couples.selectors import couple_and_partner_required
from couples.services.leaving import leaving_writes_guard
from nudges.services import nudge_relay, nudges_cancel

MAX_TIMES = 3
MAX_HOLD_MINUTES = 24 * 60
MAX_TIME_ASKED_DAYS = 14
HOLD_MINUTES_OPTIONS = [30, 60, 120, 240]
Status = ConversationRequest.Status
UNSENT_FOR = dt.timedelta(days=states.UNSENT_DAYS)
# The author's own reminder when a timer they chose ends.
HOLD_ENDED_KIND = "conversation_hold_ended"
# The short read on calming down first that the calm offer points to, by its slug (the app
# opens lessons/<slug>). couples never imports the lessons app; tests/learn checks that the
# seeded lessons contain this slug.
CALM_LESSON = "calm-first"


def calm_offer(calm_score: int) -> dict[str, Any] | None:
    """A gentle pause, offered (never imposed) when the requester does not feel calm."""
    if calm_score > states.CALM_LOW:
        return None
    return {
        "suggestion": _(
            "It sounds like a lot right now. A few slow breaths, a glass of water or a short "
            "walk can help; the conversation will still be there. Would you like to send this "
            "a little later?"
        ),
        "hold_minutes_options": HOLD_MINUTES_OPTIONS,
        "lesson": CALM_LESSON,
    }


def role_of(request: ConversationRequest, user: User) -> str:
    return states.REQUESTER if user.pk == request.requester_id else states.PARTNER


def unsent_expires_at(request: ConversationRequest) -> dt.datetime:
    """When a request still with its author is let go."""
    return request.created_at + UNSENT_FOR


def time_asked_ends_at(request: ConversationRequest) -> dt.datetime | None:
    """The end of the time asked for: midnight after its last day, in the asker's calendar."""
    if not request.time_asked_by or request.time_asked_until is None:
        return None
    asker = request.requester if request.time_asked_by == states.REQUESTER else request.partner
    next_day = request.time_asked_until + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, dt.time(), tzinfo=local_zone(asker))


def _future_times(times: list[dt.datetime], attr: str) -> list[str]:
    now = timezone.now()
    if len(times) > MAX_TIMES:
        raise ApplicationError(_("Offer at most three times."), code="too_many_times", attr=attr)
    if any(moment <= now for moment in times):
        raise ApplicationError(
            _("Choose times that are still ahead."), code="time_in_past", attr=attr
        )
    if not times:
        raise ApplicationError(
            _("Offer at least one time that would suit you."), code="no_times", attr=attr
        )
    return sorted({moment.astimezone(dt.UTC).isoformat() for moment in times})


def _hold_until(hold_minutes: int) -> dt.datetime:
    if not 0 < hold_minutes <= MAX_HOLD_MINUTES:
        raise ApplicationError(
            _("Hold it for up to a day."), code="hold_out_of_range", attr="hold_minutes"
        )
    return timezone.now() + dt.timedelta(minutes=hold_minutes)


def _tell_partner(request: ConversationRequest) -> None:
    """The partner has it now; the author's own reminder about it is no longer needed."""
    nudges_cancel(
        recipient_ids=[request.requester_id], kinds=[HOLD_ENDED_KIND], subject_id=request.pk
    )
    nudge_relay(
        recipient=request.partner,
        kind="conversation_request",
        subject_id=request.pk,
        actor=request.requester,
    )


def _remind_author(request: ConversationRequest) -> None:
    """When the timer they chose ends, the author alone is asked once, gently, whether they
    still want to send it. The one pending reminder follows a changed timer."""
    assert request.hold_until is not None
    nudge_relay(
        recipient=request.requester,
        kind=HOLD_ENDED_KIND,
        subject_id=request.pk,
        due_at=request.hold_until,
    )


def conversation_request(
    *,
    requester: User,
    topic: str,
    depth: str,
    urgency: str,
    proposed_times: list[dt.datetime],
    calm_score: int,
    send_now: bool = False,
    hold_minutes: int | None = None,
    hold_until_confirmed: bool = False,
) -> ConversationRequest:
    """Write a request. Where it goes first is `conversation_states.status_on_write`: sent at
    once, held on a timer, or kept with its author as a draft."""
    couple, partner = couple_and_partner_required(requester)
    times = _future_times(proposed_times, "proposed_times")
    if sum([bool(send_now), bool(hold_minutes), bool(hold_until_confirmed)]) > 1:
        raise ApplicationError(
            _("Choose one: send it now, hold it for a while, or keep it until you confirm."),
            code="one_sending_choice",
            attr="send_now",
        )
    hold_until = _hold_until(hold_minutes) if hold_minutes else None
    status = states.status_on_write(
        calm_score=calm_score,
        send_now=send_now,
        hold=hold_until is not None,
        until_confirmed=hold_until_confirmed,
    )
    now = timezone.now()
    with transaction.atomic():
        request = ConversationRequest.objects.create(
            couple=couple,
            requester=requester,
            partner=partner,
            topic=topic,
            depth=depth,
            urgency=urgency,
            proposed_times=times,
            calm_score=calm_score,
            status=status,
            hold_until=hold_until,
            sent_at=now if status == Status.PENDING else None,
        )
        if status == Status.PENDING:
            _tell_partner(request)
        elif status == Status.HELD:
            _remind_author(request)
    return request


def _locked(request: ConversationRequest) -> ConversationRequest:
    return (
        ConversationRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("requester", "partner")
        .get(pk=request.pk)
    )


def _locked_for_author(request: ConversationRequest, user: User) -> ConversationRequest:
    """The author's own moves (send, hold, discard, withdraw): for anyone else the request
    is not theirs to move, and the route answers as if it did not exist."""
    if request.requester_id != user.pk:
        raise NotFound()
    return _locked(request)


def _refuse_if_over(request: ConversationRequest) -> None:
    if request.status in states.FINAL:
        raise ConflictError(
            _("This request is no longer open."),
            code="conversation_not_open",
            extra={"status": request.status},
        )
    if request.status in states.UNSENT and unsent_expires_at(request) <= timezone.now():
        raise ConflictError(
            _(
                "This waited with you for a week and has been let go. You can write it again "
                "whenever you like."
            ),
            code="conversation_expired",
        )


def conversation_send(*, request: ConversationRequest, user: User) -> ConversationRequest:
    """The author confirms a draft or a held request: the partner has it now. Sending one
    already sent answers as the first send did."""
    with transaction.atomic():
        request = _locked_for_author(request, user)
        if request.status in states.SEEN_BY_PARTNER:
            return request
        leaving_writes_guard(user=user, couple_id=request.couple_id)
        _refuse_if_over(request)
        request.status = Status.PENDING
        request.sent_at = timezone.now()
        request.save()
        _tell_partner(request)
    return request


def conversation_hold(
    *, request: ConversationRequest, user: User, hold_minutes: int
) -> ConversationRequest:
    """The author puts a draft (or a held request) on a timer they choose."""
    until = _hold_until(hold_minutes)
    with transaction.atomic():
        request = _locked_for_author(request, user)
        if request.status in states.SEEN_BY_PARTNER:
            raise ConflictError(
                _("This has already reached your partner."), code="conversation_sent"
            )
        _refuse_if_over(request)
        # A double tap moves the timer by a moment: the same hold, unchanged.
        if (
            request.status == Status.HELD
            and request.hold_until is not None
            and abs(request.hold_until - until) < dt.timedelta(minutes=1)
        ):
            return request
        request.status = Status.HELD
        request.hold_until = until
        request.save()
        _remind_author(request)
    return request


def conversation_discard(*, request: ConversationRequest, user: User) -> ConversationRequest:
    """The author lets a draft or a held request go. It never reached anyone."""
    with transaction.atomic():
        request = _locked_for_author(request, user)
        if request.status == Status.DISCARDED:
            return request
        if request.status in states.SEEN_BY_PARTNER:
            raise ConflictError(
                _("This has already reached your partner; you can withdraw it instead."),
                code="conversation_sent",
            )
        if request.status in states.FINAL:
            _refuse_if_over(request)
        request.status = Status.DISCARDED
        request.save(update_fields=["status", "updated_at"])
        nudges_cancel(recipient_ids=[request.requester_id], subject_id=request.pk)
    return request


def conversation_withdraw(*, request: ConversationRequest, user: User) -> ConversationRequest:
    """The requester takes a sent request back: it leaves the partner's view and phone (a
    sync tombstone) and every pending nudge about it is cancelled. The author keeps it."""
    with transaction.atomic():
        request = _locked_for_author(request, user)
        if request.status == Status.WITHDRAWN:
            return request
        leaving_writes_guard(user=user, couple_id=request.couple_id)
        if request.status in states.UNSENT:
            raise ConflictError(
                _("This hasn't been sent; you can let it go instead."),
                code="conversation_not_sent",
            )
        moved = states.step(request.status, mover=states.REQUESTER, action="withdraw")
        if moved is None:
            _refuse_if_over(request)
            raise ConflictError(_("This request is no longer open."), code="conversation_not_open")
        request.status = moved.status
        request.time_asked_by, request.time_asked_until = "", None
        request.save(update_fields=["status", "time_asked_by", "time_asked_until", "updated_at"])
        nudges_cancel(
            recipient_ids=[request.requester_id, request.partner_id], subject_id=request.pk
        )
        tombstones_record(
            viewer_ids=[request.partner_id],
            kind=ConversationRequest.SYNC_KIND,
            object_id=request.pk,
        )
    return request


# --- Answers: pick, propose, ask for time ----------------------------------------------------


def _offer_of(request: ConversationRequest, role: str) -> list[str]:
    return request.proposed_times if role == states.REQUESTER else request.partner_proposed_times


def _unchanged(
    request: ConversationRequest,
    role: str,
    action: str,
    time: dt.datetime | None,
    times: list[dt.datetime] | None,
    until: dt.date | None,
) -> bool:
    """Whether this answer repeats one already given (a double tap)."""
    if action == "pick":
        return (
            request.status == Status.SCHEDULED
            and time is not None
            and (request.chosen_time == time)
        )
    if action == "propose":
        offered = sorted({moment.astimezone(dt.UTC).isoformat() for moment in times or []})
        return (
            request.status == states.offered_to(states.other(role))
            and bool(offered)
            and _offer_of(request, role) == offered
        )
    return (
        request.status == Status.TIME_ASKED
        and request.time_asked_by == role
        and request.time_asked_until == until
    )


def _refuse_answer(request: ConversationRequest, role: str, action: str) -> None:
    if request.status in states.UNSENT:
        raise ConflictError(_("This hasn't been sent yet."), code="conversation_not_sent")
    if request.status not in states.OPEN:
        raise ConflictError(
            _("This request is no longer open."),
            code="conversation_not_open",
            extra={"status": request.status},
        )
    if request.status == Status.TIME_ASKED and request.time_asked_by != role:
        raise ConflictError(
            _(
                "Your partner asked for a little time first. You can offer times after it, "
                "or simply wait."
            ),
            code="time_asked",
        )
    raise ConflictError(_("It's the other person's turn to answer."), code="not_your_turn")


def conversation_respond(
    *,
    request: ConversationRequest,
    user: User,
    action: str,
    time: dt.datetime | None = None,
    times: list[dt.datetime] | None = None,
    until: dt.date | None = None,
) -> ConversationRequest:
    """One of the two answers: pick one of the times the other offered, propose other times,
    or ask for time. Whoever moves, the other one is told."""
    if action not in states.ANSWERS:  # the input serializer only lets the three through
        raise ApplicationError(_("Unknown answer."), code="invalid", attr="action")
    with transaction.atomic():
        request = _locked(request)
        role = role_of(request, user)
        if _unchanged(request, role, action, time, times, until):
            return request
        moved = states.step(
            request.status, mover=role, action=action, time_asked_by=request.time_asked_by or None
        )
        if moved is None:
            _refuse_answer(request, role, action)
        assert moved is not None and moved.tell is not None
        other = request.partner if role == states.REQUESTER else request.requester
        due_at = None
        if action == "pick":
            _check_pick(request, role, time)
            assert time is not None
            request.chosen_time = time
            for person in (request.requester, request.partner):
                nudge_relay(
                    recipient=person,
                    kind="conversation_reminder",
                    subject_id=request.pk,
                    due_at=time,
                    at_chosen_time=True,  # both chose it: quiet hours don't move it
                )
        elif action == "propose":
            offered = _future_times(times or [], "times")
            asked_ends = time_asked_ends_at(request)
            if moved.time_asked_by is not None and asked_ends and asked_ends > timezone.now():
                # Times from the one asked to wait fall after the time asked, and the news
                # waits for its end too: the one who asked is not pressed during it.
                if any(dt.datetime.fromisoformat(moment) < asked_ends for moment in offered):
                    raise ApplicationError(
                        _("Your partner asked for time until %(until)s. Offer times after that.")
                        % {"until": formats.date_format(request.time_asked_until, "DATE_FORMAT")},  # type: ignore[arg-type]
                        code="inside_time_asked",
                        attr="times",
                    )
                due_at = asked_ends
            if role == states.REQUESTER:
                request.proposed_times = offered
            else:
                request.partner_proposed_times = offered
        else:
            today = local_today(user)
            if until is None or not today < until <= today + dt.timedelta(days=MAX_TIME_ASKED_DAYS):
                raise ApplicationError(
                    _("Choose a date within the next 14 days."),
                    code="until_out_of_range",
                    attr="until",
                )
            request.time_asked_until = until
        request.status = moved.status
        request.time_asked_by = moved.time_asked_by or ""
        if moved.time_asked_by is None:
            request.time_asked_until = None
        request.save()
        nudge_relay(
            recipient=other,
            kind=f"conversation_{action}",
            subject_id=request.pk,
            actor=user,
            due_at=due_at,
        )
    return request


def _check_pick(request: ConversationRequest, role: str, time: dt.datetime | None) -> None:
    """A pick is one of the times the OTHER one offered, still ahead."""
    offered = _offer_of(request, states.other(role))
    if time is None or time.astimezone(dt.UTC).isoformat() not in offered:
        raise ApplicationError(
            _("Pick one of the times offered."), code="time_not_offered", attr="time"
        )
    if time <= timezone.now():
        raise ApplicationError(
            _("That time has passed; propose another."), code="time_in_past", attr="time"
        )


# --- Haven's own moves: a week unconfirmed, the couple ended ---------------------------------


def conversations_expire_unsent(now: dt.datetime | None = None) -> int:
    """Drafts and held requests nobody confirmed for a week are let go, quietly: their author
    keeps them (as expired), nobody is told, and the author's reminder is cancelled. Safe to
    run twice. Returns how many."""
    now = now or timezone.now()
    unsent = [status for (status, who, action) in states.TRANSITIONS if action == "expire"]
    with transaction.atomic():
        due = list(
            ConversationRequest.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(status__in=unsent, created_at__lte=now - UNSENT_FOR)
            .values_list("pk", "requester_id")
        )
        for pk, requester_id in due:
            nudges_cancel(recipient_ids=[requester_id], subject_id=pk)
        ConversationRequest.objects.filter(pk__in=[pk for pk, _ in due]).update(
            status=Status.EXPIRED, updated_at=now
        )
    return len(due)


def conversations_close_for_couple(*, couple_id: uuid.UUID, member_ids: list[uuid.UUID]) -> int:
    """The couple ended: every request not yet over closes (drafts, held, open and scheduled
    alike), the partner's phone drops each one, and their pending nudges are cancelled.
    Each person keeps the requests they wrote."""
    closable = [status for (status, who, action) in states.TRANSITIONS if action == "close"]
    requests = ConversationRequest.objects.filter(couple_id=couple_id)
    tombstones_record_bulk(
        kind=ConversationRequest.SYNC_KIND, pairs=list(requests.values_list("partner_id", "id"))
    )
    subject_ids = list(requests.filter(status__in=closable).values_list("pk", flat=True))
    for pk in subject_ids:
        nudges_cancel(recipient_ids=member_ids, subject_id=pk)
    return requests.filter(pk__in=subject_ids).update(
        status=Status.CLOSED, time_asked_by="", time_asked_until=None, updated_at=timezone.now()
    )
