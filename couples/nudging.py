"""The nudges that pairs cause, registered with the nudges app at start-up (couples asks
`nudges` to contact people; `nudges` never imports couples). Every word is Haven's own and
gentle: a nudge names what happened, never quotes what a person wrote, never counts."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import LoveLanguage, LoveLanguages
from couples import conversation_states
from couples.models import (
    Agreement,
    Appreciation,
    Boundary,
    CoachGrant,
    CoachNote,
    ConversationRequest,
    DelayedEnd,
    Membership,
    Ping,
    Reassurance,
    SpacePeriod,
)
from couples.selectors import (
    FORMER_PARTNER,
    former_partner_names,
    is_former_partner,
    space_active_q,
)
from nudges.kinds import (
    ENGAGEMENT,
    RELAYED,
    NudgeKind,
    Relation,
    StillRelevant,
    register_hold,
    register_kind,
    register_relation,
    register_withhold,
)

_RELAYED_COPY: dict[str, tuple[Any, Any]] = {
    "ping": (_("Thinking of you"), _("%(actor)s is thinking of you. No reply needed.")),
    "appreciation": (
        _("A little appreciation"),
        _("%(actor)s sent you an appreciation. Read it whenever you like."),
    ),
    # A one-tap reassurance (POST reassurances), titled as what it is. It never quotes the
    # line: that is read in the app, not on a lock screen.
    "reassurance": (
        _("A reassurance"),
        _("%(actor)s sent you a few reassuring words. No reply needed."),
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
    "couple_ended": (
        _("Your couple in Haven has ended"),
        _("Your shared space in Haven has closed. What you wrote stays yours."),
    ),
    "partner_back_from_space": (
        _("Back from some space"),
        _("%(actor)s is back from taking some space."),
    ),
}

# What waited while the recipient took space arrives as one notification per kind and person,
# in these words (nudges.kinds.NudgeKind.held_title): never a count, which would read as
# pressure.
_HELD_COPY: dict[str, tuple[Any, Any]] = {
    "ping": (
        _("Thinking of you"),
        _("%(actor)s thought of you while you had space. No reply needed."),
    ),
    "appreciation": (
        _("A little appreciation"),
        _("%(actor)s sent you appreciation while you had space. Read it whenever you like."),
    ),
    "reassurance": (
        _("A reassurance"),
        _("%(actor)s sent you a few reassuring words while you had space. No reply needed."),
    ),
}

# "Can we talk?": each still relevant while its request is at the step it names (a request
# withdrawn, discarded, closed or answered since drops what was waiting to say otherwise).
_CONVERSATION_COPY: dict[str, tuple[Any, Any, frozenset[str]]] = {
    "conversation_request": (
        _("Can we talk?"),
        _("%(actor)s would like to talk sometime. Choose a time that works for you."),
        # Until the partner answers: a request they already answered is not news to them.
        frozenset({conversation_states.PENDING}),
    ),
    "conversation_pick": (
        _("A time to talk"),
        _("%(actor)s picked a time to talk."),
        frozenset({conversation_states.SCHEDULED}),
    ),
    "conversation_propose": (
        _("Other times to talk"),
        _("%(actor)s suggested other times to talk."),
        conversation_states.OPEN,
    ),
    "conversation_ask_for_time": (
        _("A little more time"),
        _("%(actor)s would like a little more time before talking. That's okay."),
        conversation_states.OPEN,
    ),
    "conversation_reminder": (
        _("Your time to talk"),
        _("The time you both chose to talk is here. Go gently."),
        frozenset({conversation_states.SCHEDULED}),
    ),
    # The author's own, once, when a timer they chose ends: it stays with them until they
    # answer (send it, hold it again, or let it go).
    "conversation_hold_ended": (
        _("Still want to send it?"),
        _(
            "The conversation you held is still here with you. Send it when it feels right, "
            "or let it go. Either is okay."
        ),
        frozenset({conversation_states.HELD}),
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
        Membership.objects.current_for_self()
        .filter(user_id__in=list(user_ids))
        .values_list("user_id", "couple_id")
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
    members = Membership.objects.current_for_self().filter(user_id__in=list(dates))
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


# --- Still relevant? (relayed kinds, checked just before delivery) --------------------------
# A relayed nudge waits out quiet hours and space; by the time it is due, what it announces
# may have been answered, withdrawn or ended with the couple. Each check is one query for the
# whole batch of its kind.


def _subjects_found(nudges: Sequence, rows: QuerySet, field: str = "pk") -> set[uuid.UUID]:
    """The nudges whose subject is among `rows` (matched on `field`)."""
    found = set(
        rows.filter(**{f"{field}__in": {n.subject_id for n in nudges}}).values_list(
            field, flat=True
        )
    )
    return {n.pk for n in nudges if n.subject_id in found}


def _while_couple_lasts(model) -> StillRelevant:
    """A ping, an appreciation, a reassurance, a coach's note (a model, or the rows of it that
    still stand): relevant while its couple lasts (and while it exists at all: an appreciation
    unsent is gone)."""
    rows = model if isinstance(model, QuerySet) else model.objects.all()
    return lambda nudges: _subjects_found(nudges, rows.filter(couple__ended_at__isnull=True))


def _agreement_where(field: str, *states: str) -> StillRelevant:
    """An agreement notice is relevant while the agreement is still where the notice left it:
    `field` (the revision answered, the revision accepted, or the agreement itself) still
    matches and the agreement is still in one of `states` (never once archived: the couple
    ended)."""
    rows = Agreement.objects.filter(state__in=states, archived_at__isnull=True)
    return lambda nudges: _subjects_found(nudges, rows, field)


def _conversation_while(*statuses: str) -> StillRelevant:
    """A notice about a "can we talk?" request is relevant while the request still waits
    where the notice left it (not withdrawn, not answered since, not closed with the
    couple)."""
    rows = ConversationRequest.objects.filter(status__in=statuses, couple__ended_at__isnull=True)
    return lambda nudges: _subjects_found(nudges, rows)


def _coach_consent_request_relevant(nudges: Sequence) -> set[uuid.UUID]:
    """Asked to consent to a coach: relevant while the grant still waits for this person's
    yes to the round the asker said yes to (not given since, not revoked, not ended)."""
    rows = CoachGrant.objects.filter(
        pk__in={n.subject_id for n in nudges},
        status__in=[CoachGrant.Status.PENDING, CoachGrant.Status.ACTIVE],
        couple__ended_at__isnull=True,
    ).values_list("pk", "status", "round", "consents__user_id", "consents__round")
    asked: dict[uuid.UUID, int] = {}
    consented: set[tuple[uuid.UUID, Any, int]] = set()
    for pk, status, round_, user_id, consent_round in rows:
        # A pending grant asks for its first round; an active one, for a renewal.
        asked[pk] = round_ if status == CoachGrant.Status.PENDING else round_ + 1
        if user_id is not None:
            consented.add((pk, user_id, consent_round))
    return {
        n.pk
        for n in nudges
        if n.subject_id in asked
        and (n.subject_id, n.actor_id, asked[n.subject_id]) in consented
        and (n.subject_id, n.recipient_id, asked[n.subject_id]) not in consented
    }


def _partner_back_relevant(nudges: Sequence) -> set[uuid.UUID]:
    """ "Back from some space" is true while the couple lasts and they have not taken space
    again since (a later space has its own "back", or is still going on)."""
    later = SpacePeriod.objects.filter(
        user_id=OuterRef("user_id"), created_at__gt=OuterRef("created_at")
    )
    rows = SpacePeriod.objects.filter(couple__ended_at__isnull=True).exclude(Exists(later))
    return _subjects_found(nudges, rows)


_State = Agreement.State
_STILL_RELEVANT: dict[str, StillRelevant] = {
    "ping": _while_couple_lasts(Ping),
    "appreciation": _while_couple_lasts(Appreciation.objects.filter(unsent_at__isnull=True)),
    "reassurance": _while_couple_lasts(Reassurance),
    "coach_note": _while_couple_lasts(CoachNote),
    "coach_consent_request": _coach_consent_request_relevant,
    # Subject: the revision to answer, still the latest and still waiting for an answer (a
    # first proposal, or a change beside the terms in force).
    "agreement_proposed": _agreement_where("latest_revision_id", _State.NEGOTIATING),
    "agreement_countered": _agreement_where(
        "latest_revision_id", _State.NEGOTIATING, _State.CHANGING
    ),
    "agreement_change_proposed": _agreement_where("latest_revision_id", _State.CHANGING),
    "agreement_amended": _agreement_where(
        "latest_revision_id", _State.NEGOTIATING, _State.CHANGING
    ),
    # Subject: the revision accepted, still the one in force (a change may be talked over).
    "agreement_accepted": _agreement_where(
        "active_revision_id",
        _State.ACTIVE,
        _State.CHANGING,
        _State.CHANGE_SNOOZED,
        _State.RETIRING,
    ),
    "agreement_snoozed": _agreement_where(
        "latest_revision_id", _State.SNOOZED, _State.CHANGE_SNOOZED
    ),
    "agreement_snooze_ended": _agreement_where(
        "latest_revision_id", _State.NEGOTIATING, _State.CHANGING
    ),
    # Subject: the agreement.
    "agreement_retire_requested": _agreement_where("pk", _State.RETIRING),
    "agreement_retired": _agreement_where("pk", _State.RETIRED),
    "agreement_kept": _agreement_where("pk", _State.ACTIVE, _State.CHANGING, _State.CHANGE_SNOOZED),
    # Conversation kinds: see _CONVERSATION_COPY.
    # Subject: the space that ended.
    "partner_back_from_space": _partner_back_relevant,
    # "couple_ended" is always true.
}


def withheld_from_leavers(nudges: Sequence) -> set[uuid.UUID]:
    """Leaving safely: while a person's delayed end is pending, nothing of the couple
    reaches them: no nudge of a kind this app registered, and nothing their partner caused
    (a check-in bridge included). Dropped at delivery; the partner's side is untouched."""
    recipients = {nudge.recipient_id for nudge in nudges}
    leaving = dict(
        DelayedEnd.objects.filter(leaver_id__in=recipients, completed_at__isnull=True).values_list(
            "leaver_id", "couple_id"
        )
    )
    if not leaving:
        return set()
    partner_of = {
        couple_id: user_id
        for couple_id, user_id in Membership.objects.filter(
            couple_id__in=set(leaving.values()), left_at__isnull=True
        ).values_list("couple_id", "user_id")
        if user_id not in leaving or leaving[user_id] != couple_id
    }
    couple_kinds = couple_kind_names()
    return {
        nudge.pk
        for nudge in nudges
        if nudge.recipient_id in leaving
        and (
            nudge.kind in couple_kinds
            or (
                nudge.actor_id is not None
                and nudge.actor_id == partner_of.get(leaving[nudge.recipient_id])
            )
        )
    }


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


# Every kind this app registers (filled by `register`): what ending a couple cancels.
_REGISTERED: set[str] = set()


def _register(kind: NudgeKind) -> None:
    _REGISTERED.add(kind.name)
    register_kind(kind)


def couple_kind_names() -> frozenset[str]:
    """The kinds of nudge the couples app registered: each one is about the recipient's
    couple (a space check-back too: spaces end with the couple)."""
    return frozenset(_REGISTERED)


def register() -> None:
    for name, (title, body) in _RELAYED_COPY.items():
        held_title, held_body = _HELD_COPY.get(name, (None, None))
        _register(
            NudgeKind(
                name=name,
                nudge_class=RELAYED,
                title=title,
                body=body,
                still_relevant=_STILL_RELEVANT.get(name),
                allowed_while_space=name in _ALLOWED_WHILE_SPACE,
                held_title=held_title,
                held_body=held_body,
            )
        )
    for name, (title, body, statuses) in _CONVERSATION_COPY.items():
        _register(
            NudgeKind(
                name=name,
                nudge_class=RELAYED,
                title=title,
                body=body,
                still_relevant=_conversation_while(*statuses),
                allowed_while_space=name in _ALLOWED_WHILE_SPACE,
            )
        )
    _register(
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
    _register(
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
    _register(
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
    _register(
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
    # An inbox names a former partner "your former partner", after any end (and a deletion).
    register_relation(
        Relation(names=former_partner_names, holds=is_former_partner, words=FORMER_PARTNER)
    )
    register_withhold(withheld_from_leavers)
