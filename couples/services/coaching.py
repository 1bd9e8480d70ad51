"""Coach consent grants, coach notes and the audit log of coach views.

A coach sees a couple only after both partners said yes; either partner takes that back at
once; a grant runs out after COACH_GRANT_DAYS unless both renew it (DESIGN, "Coaches").
Saying yes, renewing or revoking twice changes nothing the second time and answers the same
success. A coach whose access was taken away (or whose invitation was declined) cannot be
invited again for REINVITE_PAUSE_DAYS: the one who said no is not asked again at once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError, ConflictError
from couples.coach_lessons import lesson_choices
from couples.invite_codes import invite_code_generate, invite_code_normalize
from couples.models import (
    COACHES_GROUP,
    CoachAccess,
    CoachConsent,
    CoachGrant,
    CoachNote,
    CoachProfile,
    Couple,
    Membership,
)
from couples.selectors import couple_and_partner_required, couples_visible_to_coach
from nudges.services import nudge_relay

LIVE = [CoachGrant.Status.PENDING, CoachGrant.Status.ACTIVE]
REINVITE_PAUSE_DAYS = 7
# A renewal (or the first yes) this recent means the grant already runs its full time.
JUST_RENEWED = timedelta(hours=1)


class CoachNotFound(NotFound):
    """One answer for an unknown address, a person who is not a coach and a wrong code, so
    the endpoint never tells who works here."""

    default_detail = gettext_lazy("We could not find a coach with these details.")
    default_code = "coach_not_found"


def coach_profile_ensure(*, user: User) -> CoachProfile:
    """A coach's profile with a code to share with couples, made once."""
    profile = CoachProfile.objects.filter(user=user).first()
    while profile is None:
        try:
            with transaction.atomic():
                profile = CoachProfile.objects.create(user=user, code=invite_code_generate())
        except IntegrityError:
            profile = CoachProfile.objects.filter(user=user).first()
    return profile


def coach_find(*, email: str = "", code: str = "") -> User:
    coaches = User.objects.filter(is_active=True, is_staff=True, groups__name=COACHES_GROUP)
    if email:
        coach = coaches.filter(email=User.objects.normalize_email(email)).first()
    else:
        coach = coaches.filter(coach_profile__code=invite_code_normalize(code)).first()
    if coach is None:
        raise CoachNotFound()
    return coach


def _locked(grant: CoachGrant) -> CoachGrant:
    return CoachGrant.objects.select_for_update(no_key=True).get(pk=grant.pk)


def _member_ids(couple_id) -> set:
    return set(
        Membership.objects.filter(couple_id=couple_id, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def _consent(*, grant: CoachGrant, user: User, round: int) -> bool:
    """Record `user`'s yes to `round`; True once both current partners said yes to it."""
    CoachConsent.objects.get_or_create(grant=grant, user=user, round=round)
    consented = set(grant.consents.filter(round=round).values_list("user_id", flat=True))
    members = _member_ids(grant.couple_id)
    return len(members) == 2 and members <= consented


def coach_grant_invite(*, user: User, coach_email: str = "", coach_code: str = "") -> CoachGrant:
    """A partner invites a coach by email or coach code; that is their consent. The grant
    stays pending, and the coach sees nothing, until the other partner consents too."""
    coach = coach_find(email=coach_email, code=coach_code)
    with transaction.atomic():
        couple, partner = couple_and_partner_required(user)
        Couple.objects.select_for_update(no_key=True).get(pk=couple.pk)
        if coach.pk in (user.pk, partner.pk):
            raise ApplicationError(
                _("A coach for your couple cannot be one of you."), code="coach_is_partner"
            )
        existing = CoachGrant.objects.filter(couple=couple, coach=coach, status__in=LIVE).first()
        if existing is not None:
            raise ConflictError(
                _("This coach already has a grant for your couple; consent to it or renew it."),
                code="coach_grant_exists",
                extra={"grant_id": str(existing.pk)},
            )
        _reinvite_pause_check(couple=couple, coach=coach, user=user)
        grant = CoachGrant.objects.create(couple=couple, coach=coach, requested_by=user)
        _consent(grant=grant, user=user, round=0)
        nudge_relay(
            recipient=partner, kind="coach_consent_request", subject_id=grant.pk, actor=user
        )
    return grant


def _reinvite_pause_check(*, couple: Couple, coach: User, user: User) -> None:
    """After a partner took a coach's access away (or declined the invitation), the same
    coach can be invited again only after a pause: a "no" is not met with the same question
    straight away. The answer says from when it is possible."""
    since = timezone.now() - timedelta(days=REINVITE_PAUSE_DAYS)
    last = (
        CoachGrant.objects.filter(
            couple=couple, coach=coach, status=CoachGrant.Status.REVOKED, revoked_at__gt=since
        )
        .order_by("-revoked_at")
        .values_list("revoked_at", flat=True)
        .first()
    )
    if last is None:
        return
    possible_at = last + timedelta(days=REINVITE_PAUSE_DAYS)
    raise ConflictError(
        _(
            "Access for this coach ended a few days ago, so there is a pause before inviting "
            "them again. You can invite them from %(date)s."
        )
        # In the reader's own words for a date (their language's format, their calendar).
        % {"date": formats.date_format(local_today(user, possible_at), "DATE_FORMAT")},
        code="coach_reinvite_paused",
        extra={"invite_possible_at": possible_at.isoformat()},
    )


def coach_grant_consent(*, grant: CoachGrant, user: User) -> CoachGrant:
    """The second partner's yes makes the grant active, for COACH_GRANT_DAYS. A yes already
    given (the inviter's, or a double tap) changes nothing and answers the same."""
    with transaction.atomic():
        grant = _locked(grant)
        if (
            grant.status == CoachGrant.Status.ACTIVE
            and grant.consents.filter(user=user, round=grant.round).exists()
        ):
            return grant
        if grant.status != CoachGrant.Status.PENDING:
            raise ConflictError(
                _("This grant is not waiting for consent."), code="coach_grant_not_pending"
            )
        if _consent(grant=grant, user=user, round=grant.round):
            now = timezone.now()
            grant.status = CoachGrant.Status.ACTIVE
            grant.activated_at = now
            grant.expires_at = now + timedelta(days=settings.COACH_GRANT_DAYS)
            grant.save(update_fields=["status", "activated_at", "expires_at", "updated_at"])
    return grant


def coach_grant_renew(*, grant: CoachGrant, user: User) -> CoachGrant:
    """Renewing asks both partners again: one partner's yes waits for the other's; with
    both, the grant runs COACH_GRANT_DAYS from now (an expired grant comes back too). A grant
    that began or was renewed within the last hour already runs its full time: renewing it
    (a double tap on the renewal that just completed) changes nothing."""
    with transaction.atomic():
        grant = _locked(grant)
        if grant.status != CoachGrant.Status.ACTIVE:
            raise ConflictError(
                _("Only an active or expired grant can be renewed."),
                code="coach_grant_not_renewable",
            )
        full_term = timezone.now() + timedelta(days=settings.COACH_GRANT_DAYS) - JUST_RENEWED
        if grant.expires_at is not None and grant.expires_at > full_term:
            return grant
        next_round = grant.round + 1
        if _consent(grant=grant, user=user, round=next_round):
            grant.round = next_round
            grant.expires_at = timezone.now() + timedelta(days=settings.COACH_GRANT_DAYS)
            grant.save(update_fields=["round", "expires_at", "updated_at"])
        else:
            other = _member_ids(grant.couple_id) - {user.pk}
            for partner in User.objects.filter(pk__in=other):
                nudge_relay(
                    recipient=partner,
                    kind="coach_consent_request",
                    subject_id=grant.pk,
                    actor=user,
                )
    return grant


def coach_grant_revoke(*, grant: CoachGrant, user: User) -> CoachGrant:
    """Either partner, at once, no reason asked. The coach loses access on their next
    request (every admin page scopes by live grants). Revoking a pending grant declines the
    invitation. A grant already revoked or ended stays as it is, and says so with success."""
    with transaction.atomic():
        grant = _locked(grant)
        if grant.status not in LIVE:
            return grant
        grant.status = CoachGrant.Status.REVOKED
        grant.revoked_at = timezone.now()
        grant.revoked_by = user
        grant.save(update_fields=["status", "revoked_at", "revoked_by", "updated_at"])
    return grant


def coach_grants_end_for_couple(*, couple: Couple) -> int:
    """A couple that ends takes its grants with it."""
    now = timezone.now()
    return CoachGrant.objects.filter(couple=couple, status__in=LIVE).update(
        status=CoachGrant.Status.ENDED, ended_at=now, updated_at=now
    )


def coach_note_write(*, coach: User, couple: Couple, text: str, lesson: str = "") -> CoachNote:
    """A coach's note reaches both partners through the nudges app. Only a coach the
    couple consented to can write one. The coach may attach one of the lessons registered
    as attachable (`couples.coach_lessons`); it becomes each partner's lesson of the day."""
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write a note first."), code="coach_note_empty", attr="text")
    if lesson and lesson not in dict(lesson_choices()):
        raise ApplicationError(
            _("Choose one of the lessons in the list."), code="unknown_lesson", attr="lesson"
        )
    with transaction.atomic():
        if not couples_visible_to_coach(coach).filter(pk=couple.pk).exists():
            raise ApplicationError(
                _("This couple has not given you access."),
                code="coach_not_granted",
                status_code=403,
            )
        note = CoachNote.objects.create(couple=couple, coach=coach, text=text, lesson=lesson)
        for partner in User.objects.filter(pk__in=_member_ids(couple.pk)):
            nudge_relay(recipient=partner, kind="coach_note", subject_id=note.pk)
    return note


def coach_accesses_record(*, coach: User, couples: Iterable[Couple], what: str) -> None:
    """The audit trail: which couples a coach saw and how; never what was on the page."""
    name = coach.display_name or coach.email
    CoachAccess.objects.bulk_create(
        [
            CoachAccess(coach=coach, coach_name=name, couple_id=couple.pk, what=what)
            for couple in couples
        ]
    )
