"""'Can we talk?' requests. Rules (DESIGN, "Conversation requests"):

- The requester names a topic, a depth, how soon, and up to three future times; and notes,
  privately, how calm they feel (1 to 5). At 1 or 2 the answer offers to hold the request and send
  it later; asking for a hold (`hold_minutes`) keeps it from the partner until then.
- The partner answers the request: pick one of the times (scheduled: a reminder goes to both
  at that time), propose up to three others (the requester then picks one the same way), or
  ask for time until a date (at most 14 days). The requester may withdraw at any point.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError, ConflictError
from couples.models import ConversationRequest
from couples.selectors import couple_and_partner_required
from nudges.services import nudge_relay, nudges_cancel

MAX_TIMES = 3
MAX_HOLD_MINUTES = 24 * 60
MAX_TIME_ASKED_DAYS = 14
CALM_LOW = 2
Status = ConversationRequest.Status
OPEN = (Status.PENDING, Status.PROPOSED_OTHER, Status.TIME_ASKED)


def calm_offer(calm_score: int) -> dict[str, Any] | None:
    """A gentle pause, offered (never imposed) when the requester does not feel calm."""
    if calm_score > CALM_LOW:
        return None
    return {
        "suggestion": _(
            "It sounds like a lot right now. A few slow breaths, a glass of water or a short "
            "walk can help; the conversation will still be there. Would you like to send this "
            "a little later?"
        ),
        "hold_minutes_options": [30, 60, 120, 240],
    }


def _future_times(times: list[dt.datetime], attr: str) -> list[str]:
    now = timezone.now()
    if len(times) > MAX_TIMES:
        raise ApplicationError(_("Offer at most three times."), code="too_many_times", attr=attr)
    if any(moment <= now for moment in times):
        raise ApplicationError(
            _("Choose times that are still ahead."), code="time_in_past", attr=attr
        )
    return [moment.astimezone(dt.UTC).isoformat() for moment in sorted(times)]


def conversation_request(
    *,
    requester: User,
    topic: str,
    depth: str,
    urgency: str,
    proposed_times: list[dt.datetime],
    calm_score: int,
    hold_minutes: int | None = None,
) -> ConversationRequest:
    couple, partner = couple_and_partner_required(requester)
    times = _future_times(proposed_times, "proposed_times")
    if not times:
        raise ApplicationError(
            _("Offer at least one time that would suit you."),
            code="no_times",
            attr="proposed_times",
        )
    hold_until = None
    if hold_minutes:
        if not 0 < hold_minutes <= MAX_HOLD_MINUTES:
            raise ApplicationError(
                _("Hold it for up to a day."), code="hold_out_of_range", attr="hold_minutes"
            )
        hold_until = timezone.now() + dt.timedelta(minutes=hold_minutes)
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
            hold_until=hold_until,
            status=Status.HELD if hold_until else Status.PENDING,
        )
        # A held request reaches the partner when the hold ends (its inbox row is due then).
        nudge_relay(
            recipient=partner,
            kind="conversation_request",
            subject_id=request.pk,
            actor=requester,
            due_at=hold_until,
        )
    return request


def _locked(request: ConversationRequest) -> ConversationRequest:
    return ConversationRequest.objects.select_for_update().get(pk=request.pk)


def _schedule(request: ConversationRequest, chosen: dt.datetime) -> None:
    request.status = Status.SCHEDULED
    request.chosen_time = chosen
    for person in (request.requester, request.partner):
        nudge_relay(
            recipient=person,
            kind="conversation_reminder",
            subject_id=request.pk,
            due_at=chosen,
            at_chosen_time=True,  # both chose it: quiet hours don't move it
        )


def conversation_respond(
    *,
    request: ConversationRequest,
    user: User,
    action: str,
    time: dt.datetime | None = None,
    times: list[dt.datetime] | None = None,
    until: dt.date | None = None,
) -> ConversationRequest:
    """The partner answers a request (or, after the partner proposed other times, the
    requester picks one of those)."""
    with transaction.atomic():
        request = _locked(request)
        if (
            request.status == Status.HELD
            and request.hold_until
            and request.hold_until <= timezone.now()
        ):
            request.status = Status.PENDING
        if request.status not in OPEN:
            raise ConflictError(
                _("This request is no longer open."),
                code="conversation_not_open",
                extra={"status": request.status},
            )
        answering = (
            request.requester_id if request.status == Status.PROPOSED_OTHER else request.partner_id
        )
        if user.pk != answering:
            raise ConflictError(_("It's the other person's turn to answer."), code="not_your_turn")
        offered = (
            request.partner_proposed_times
            if request.status == Status.PROPOSED_OTHER
            else request.proposed_times
        )
        if action == "pick":
            if time is None or time.astimezone(dt.UTC).isoformat() not in offered:
                raise ApplicationError(
                    _("Pick one of the times offered."), code="time_not_offered", attr="time"
                )
            if time <= timezone.now():
                raise ApplicationError(
                    _("That time has passed; propose another."), code="time_in_past", attr="time"
                )
            _schedule(request, time)
            other = request.requester if user.pk == request.partner_id else request.partner
        elif action == "propose":
            if user.pk != request.partner_id:
                raise ApplicationError(
                    _("Pick one of the times offered."), code="time_not_offered", attr="action"
                )
            request.partner_proposed_times = _future_times(times or [], "times")
            if not request.partner_proposed_times:
                raise ApplicationError(_("Offer at least one time."), code="no_times", attr="times")
            request.status = Status.PROPOSED_OTHER
            other = request.requester
        elif action == "ask_for_time":
            today = local_today(user)
            if until is None or not today < until <= today + dt.timedelta(days=MAX_TIME_ASKED_DAYS):
                raise ApplicationError(
                    _("Choose a date within the next 14 days."),
                    code="until_out_of_range",
                    attr="until",
                )
            request.status = Status.TIME_ASKED
            request.time_asked_until = until
            other = request.requester
        else:  # the input serializer only lets the three actions through
            raise ApplicationError(_("Unknown answer."), code="invalid", attr="action")
        request.save()
        nudge_relay(
            recipient=other, kind=f"conversation_{action}", subject_id=request.pk, actor=user
        )
    return request


def conversation_withdraw(*, request: ConversationRequest, user: User) -> ConversationRequest:
    if request.requester_id != user.pk:
        raise NotFound()
    with transaction.atomic():
        request = _locked(request)
        if request.status in (Status.WITHDRAWN, Status.CLOSED):
            return request
        request.status = Status.WITHDRAWN
        request.save(update_fields=["status", "updated_at"])
        nudges_cancel(
            recipient_ids=[request.requester_id, request.partner_id], subject_id=request.pk
        )
    return request
