"""The nudges that pairs cause, registered with the nudges app at start-up (couples asks
`nudges` to contact people; `nudges` never imports couples). Every word is Haven's own and
gentle: a nudge names what happened, never quotes what a person wrote, never counts."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import LoveLanguage, LoveLanguages
from couples.models import Agreement, Boundary, Membership, SpacePeriod
from couples.selectors import space_active_q
from nudges.kinds import ENGAGEMENT, RELAYED, NudgeKind, register_hold, register_kind

_RELAYED_COPY: dict[str, tuple[Any, Any]] = {
    "ping": (_("Thinking of you"), _("%(actor)s is thinking of you. No reply needed.")),
    "appreciation": (
        _("A little appreciation"),
        _("%(actor)s sent you an appreciation. Read it whenever you like."),
    ),
    "coach_note": (_("A note from your coach"), _("Your coach left a note for you both.")),
    "coach_consent_request": (
        _("A coach invitation"),
        _("%(actor)s would like to invite a coach. Nothing changes unless you both agree."),
    ),
    "agreement_proposed": (
        _("An idea for you both"),
        _("%(actor)s proposed an agreement. Take the time you need to look at it."),
    ),
    "agreement_countered": (
        _("A new version of your agreement"),
        _("%(actor)s suggested a change to the agreement you're shaping together."),
    ),
    "agreement_change_proposed": (
        _("A change to an agreement"),
        _("%(actor)s would like to adjust one of your agreements."),
    ),
    "agreement_amended": (
        _("An updated version"),
        _("%(actor)s reworded what they proposed. Take the time you need to look at it."),
    ),
    "agreement_kept": (
        _("Keeping an agreement"),
        _("%(actor)s would like to keep one of your agreements as it is."),
    ),
    "agreement_accepted": (
        _("You agreed"),
        _("%(actor)s accepted your agreement. Nice work finding a middle ground."),
    ),
    "agreement_snoozed": (
        _("Some time to think"),
        _("%(actor)s asked for a little time before answering. That's part of the process."),
    ),
    "agreement_snooze_ended": (
        _("Back to an agreement"),
        _("An agreement you paused is ready for another look, whenever suits you."),
    ),
    "agreement_retire_requested": (
        _("Letting an agreement go"),
        _("%(actor)s would like to retire one of your agreements."),
    ),
    "agreement_retired": (
        _("An agreement was retired"),
        _("One of your agreements has been retired. It stays in your history."),
    ),
    "conversation_request": (
        _("Can we talk?"),
        _("%(actor)s would like to talk sometime. Choose a time that works for you."),
    ),
    "conversation_pick": (
        _("A time to talk"),
        _("%(actor)s picked a time to talk."),
    ),
    "conversation_propose": (
        _("Other times to talk"),
        _("%(actor)s suggested other times to talk."),
    ),
    "conversation_ask_for_time": (
        _("A little more time"),
        _("%(actor)s would like a little more time before talking. That's okay."),
    ),
    "conversation_reminder": (
        _("Your time to talk"),
        _("The time you both chose to talk is here. Go gently."),
    ),
    "couple_ended": (
        _("Your couple in Haven has ended"),
        _("Your shared space in Haven has closed. What you wrote stays yours."),
    ),
    "partner_back_from_space": (
        _("Back from some space"),
        _("%(actor)s is back from taking some space."),
    ),
}

# What a person asked for themselves (their coach's note, a conversation at a time they both
# chose): on everyone's list of kinds that reach them while they take space, until they
# change that list.
_ALLOWED_WHILE_SPACE = {"coach_note", "conversation_reminder"}

# A gesture in the partner's receiving love language, asking for no reply.
_GESTURES = {
    LoveLanguage.WORDS_OF_AFFIRMATION: _("a few words about something you appreciate in them"),
    LoveLanguage.QUALITY_TIME: _("a little unhurried time together, phones away"),
    LoveLanguage.ACTS_OF_SERVICE: _("taking one small task off their plate"),
    LoveLanguage.GIFTS: _("a small, thoughtful something"),
    LoveLanguage.PHYSICAL_TOUCH: _("a warm hug, if it's welcome"),
}
_ANY_GESTURE = _("a small gesture that asks nothing back")


def _partners_of(user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """{person: partner} for those in an active couple: two queries for any number."""
    mine = dict(
        Membership.objects.filter(user_id__in=list(user_ids), left_at__isnull=True).values_list(
            "user_id", "couple_id"
        )
    )
    others = Membership.objects.filter(couple_id__in=set(mine.values()), left_at__isnull=True)
    members: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user_id, couple_id in others.values_list("user_id", "couple_id"):
        members.setdefault(couple_id, []).append(user_id)
    return {
        user_id: next(m for m in members[couple_id] if m != user_id)
        for user_id, couple_id in mine.items()
        if len(members.get(couple_id, [])) == 2
    }


def _plan_appreciation_ideas(people: Sequence[tuple[uuid.UUID, dt.date]]) -> list:
    partners = _partners_of([user_id for user_id, _ in people])
    return [(user_id, partner, partner) for user_id, partner in partners.items()]


def _appreciation_idea_relevant(nudges: Sequence) -> set[uuid.UUID]:
    partners = _partners_of([nudge.recipient_id for nudge in nudges])
    return {n.pk for n in nudges if partners.get(n.recipient_id) == n.subject_id}


def _appreciation_idea_context(nudges: Sequence) -> dict[uuid.UUID, dict[str, Any]]:
    shared = dict(
        LoveLanguages.objects.filter(
            user_id__in={n.subject_id for n in nudges}, shared_with_partner=True
        ).values_list("user_id", "receiving")
    )
    context = {}
    for nudge in nudges:
        ranking = shared.get(nudge.subject_id) or []
        context[nudge.pk] = {
            "gesture": _GESTURES.get(ranking[0], _ANY_GESTURE) if ranking else _ANY_GESTURE
        }
    return context


def _plan_agreement_reviews(people: Sequence[tuple[uuid.UUID, dt.date]]) -> list:
    dates = dict(people)
    members = Membership.objects.filter(user_id__in=list(dates), left_at__isnull=True)
    by_couple: dict[uuid.UUID, list[uuid.UUID]] = {}
    for couple_id, user_id in members.values_list("couple_id", "user_id"):
        by_couple.setdefault(couple_id, []).append(user_id)
    due = Agreement.objects.filter(
        couple_id__in=list(by_couple),
        state=Agreement.State.ACTIVE,
        archived_at__isnull=True,
        review_on__in=set(dates.values()),
    ).values_list("pk", "couple_id", "review_on")
    return [
        (user_id, pk, None)
        for pk, couple_id, review_on in due
        for user_id in by_couple.get(couple_id, [])
        if dates[user_id] == review_on
    ]


def _agreement_review_relevant(nudges: Sequence) -> set[uuid.UUID]:
    """Still active and still due: kept since ("keep it" renews the review date), it waits
    for the new date."""
    review_on = dict(
        Agreement.objects.filter(
            pk__in={n.subject_id for n in nudges},
            state=Agreement.State.ACTIVE,
            archived_at__isnull=True,
        ).values_list("pk", "review_on")
    )
    return {
        n.pk
        for n in nudges
        if n.subject_id in review_on
        and (review_on[n.subject_id] is None or review_on[n.subject_id] <= n.local_date)
    }


def _plan_boundary_revisits(people: Sequence[tuple[uuid.UUID, dt.date]]) -> list:
    dates = dict(people)
    due = Boundary.objects.filter(
        owner_id__in=list(dates), retired_at__isnull=True, revisit_on__in=set(dates.values())
    ).values_list("owner_id", "pk", "revisit_on")
    return [(owner, pk, None) for owner, pk, revisit_on in due if dates[owner] == revisit_on]


def _boundary_revisit_relevant(nudges: Sequence) -> set[uuid.UUID]:
    open_ids = set(
        Boundary.objects.filter(
            pk__in={n.subject_id for n in nudges}, retired_at__isnull=True
        ).values_list("pk", flat=True)
    )
    return {n.pk for n in nudges if n.subject_id in open_ids}


def _space_check_back_relevant(nudges: Sequence) -> set[uuid.UUID]:
    still_away = set(
        SpacePeriod.objects.filter(
            space_active_q(), pk__in={n.subject_id for n in nudges}
        ).values_list("pk", flat=True)
    )
    return {n.pk for n in nudges if n.subject_id in still_away}


def space_holds(user_ids: Sequence[uuid.UUID], now: dt.datetime) -> dict[uuid.UUID, dt.datetime]:
    """People taking space hold their nudges until the end they chose or, open-ended, until
    their check-back time (then the hold is looked at again)."""
    holds = {}
    spaces = SpacePeriod.objects.filter(space_active_q(now), user_id__in=list(user_ids))
    for user_id, ends_at, check_back_at in spaces.values_list(
        "user_id", "ends_at", "check_back_at"
    ):
        until = ends_at or check_back_at
        if until is None or until <= now:
            until = now + dt.timedelta(hours=1)
        holds[user_id] = until
    return holds


def register() -> None:
    for name, (title, body) in _RELAYED_COPY.items():
        register_kind(
            NudgeKind(
                name=name,
                nudge_class=RELAYED,
                title=title,
                body=body,
                allowed_while_space=name in _ALLOWED_WHILE_SPACE,
            )
        )
    register_kind(
        NudgeKind(
            name="appreciation_idea",
            nudge_class=ENGAGEMENT,
            title=_("An idea for this week"),
            body=_("Something that might land well with %(actor)s: %(gesture)s."),
            planner=_plan_appreciation_ideas,
            still_relevant=_appreciation_idea_relevant,
            context=_appreciation_idea_context,
            same_day_only=True,
            weekly=True,
            priority=60,
        )
    )
    register_kind(
        NudgeKind(
            name="agreement_review_due",
            nudge_class=ENGAGEMENT,
            title=_("An agreement to look at together"),
            body=_(
                "One of your agreements is ready for a review. Keep it, change it, or let it go."
            ),
            planner=_plan_agreement_reviews,
            still_relevant=_agreement_review_relevant,
            priority=20,
        )
    )
    register_kind(
        NudgeKind(
            name="boundary_revisit",
            nudge_class=ENGAGEMENT,
            title=_("A boundary to revisit"),
            body=_("You asked to look at one of your boundaries again around now."),
            planner=_plan_boundary_revisits,
            still_relevant=_boundary_revisit_relevant,
            priority=30,
        )
    )
    register_kind(
        NudgeKind(
            name="space_check_back",
            nudge_class=ENGAGEMENT,
            title=_("Checking back"),
            body=_("You planned to check back around now. Take more time if you need it."),
            still_relevant=_space_check_back_relevant,
            passes_space_hold=True,
            priority=10,
        )
    )
    register_hold(space_holds)
