from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound

from accounts.models import User
from common.errors import ApplicationError, ConflictError
from couples.invite_codes import invite_code_generate, invite_code_normalize
from couples.models import Couple, Invite, Membership
from couples.selectors import membership_of
from couples.services.leaving import delayed_ends_complete_for
from couples.signals import couple_started


class InviteNotFound(NotFound):
    """One answer for unknown, expired, revoked, declined and used codes alike, so a code's
    state can never be probed."""

    default_detail = gettext_lazy("This code doesn't work. Ask your partner to share a fresh one.")
    default_code = "invite_not_found"


def _already_paired() -> ConflictError:
    return ConflictError(
        _("You are already in a couple. End it first if you want to pair with someone new."),
        code="already_paired",
    )


def invite_create(*, inviter: User) -> Invite:
    """A person without a couple invites someone; a handful of live invites at most."""
    now = timezone.now()
    with transaction.atomic():
        # Serialises this person's invite creation against their own accepts and invites.
        User.objects.select_for_update(no_key=True).get(pk=inviter.pk)
        if membership_of(inviter) is not None:
            raise _already_paired()
        live = Invite.objects.filter(
            inviter=inviter, status=Invite.Status.PENDING, expires_at__gt=now
        ).count()
        if live >= settings.INVITES_LIVE_MAX:
            raise ConflictError(
                _("You already have %(count)d invites waiting. Revoke one to make another.")
                % {"count": live},
                code="too_many_live_invites",
            )
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return Invite.objects.create(
                        inviter=inviter,
                        code=invite_code_generate(),
                        expires_at=now + timedelta(hours=settings.INVITE_TTL_HOURS),
                    )
            except IntegrityError:  # a code collision: astronomically rare, simply redraw
                continue
    raise RuntimeError("could not draw a unique invite code")


def _live_invite(raw_code: str, *, for_update: bool = False) -> Invite:
    code = invite_code_normalize(raw_code)
    queryset = Invite.objects.select_related("inviter")
    if for_update:
        queryset = queryset.select_for_update(no_key=True, of=("self",))
    invite = queryset.filter(code=code).first()
    if (
        invite is None
        or invite.status != Invite.Status.PENDING
        or invite.expires_at <= timezone.now()
    ):
        raise InviteNotFound()
    return invite


def invite_preview(*, raw_code: str) -> Invite:
    return _live_invite(raw_code)


def invite_revoke(*, invite: Invite) -> Invite:
    """The inviter withdraws a pending invite; revoking twice is harmless."""
    updated = Invite.objects.filter(pk=invite.pk, status=Invite.Status.PENDING).update(
        status=Invite.Status.REVOKED, updated_at=timezone.now()
    )
    if updated:
        invite.refresh_from_db()
    return invite


@transaction.atomic
def invite_decline(*, raw_code: str, user: User) -> None:
    """Say no to an invite. Saying it twice (a double tap) is the same no; everyone else
    still gets the one answer every spent code gets."""
    code = invite_code_normalize(raw_code)
    if Invite.objects.filter(code=code, status=Invite.Status.DECLINED, responded_by=user).exists():
        return
    invite = _live_invite(raw_code, for_update=True)
    if invite.inviter_id == user.pk:
        raise ApplicationError(_("This is your own invite."), code="own_invite")
    invite.status = Invite.Status.DECLINED
    invite.responded_at = timezone.now()
    invite.responded_by = user
    invite.save()


def invite_accept(*, raw_code: str, user: User) -> Couple:
    """Pair the inviter and the person accepting. Exactly one couple comes out of racing
    accepts: both people are locked in a fixed order and then the invite row (so two
    people accepting each other's invites at once cannot both win, nor deadlock), and the
    partial unique index on active memberships is the last word."""
    code = invite_code_normalize(raw_code)
    # A double tap by the person it paired answers the same couple; for everyone else the code
    # is spent like any other.
    accepted = (
        Invite.objects.filter(
            code=code,
            status=Invite.Status.ACCEPTED,
            responded_by=user,
            couple__ended_at__isnull=True,
        )
        .select_related("couple")
        .first()
    )
    if accepted is not None and accepted.couple is not None:
        return accepted.couple
    inviter_id = Invite.objects.filter(code=code).values_list("inviter_id", flat=True).first()
    if inviter_id is None:
        raise InviteNotFound()
    try:
        with transaction.atomic():
            # People first, in a fixed order, then the invite: every pairing write takes its
            # locks in this order, so crossing accepts queue up instead of deadlocking.
            list(
                User.objects.select_for_update(no_key=True)
                .filter(pk__in={inviter_id, user.pk})
                .order_by("pk")
            )
            invite = _live_invite(raw_code, for_update=True)
            if invite.inviter_id == user.pk:
                raise ApplicationError(
                    _("This is your own invite: share it with your partner instead."),
                    code="own_invite",
                )
            # An end either of them asked to delay runs now: they see themselves as free.
            delayed_ends_complete_for(user_ids=[user.pk, invite.inviter_id])
            if membership_of(user) is not None:
                raise _already_paired()
            if membership_of(invite.inviter) is not None:
                raise ConflictError(
                    _("The person who invited you is already in a couple."),
                    code="inviter_already_paired",
                )
            now = timezone.now()
            couple = Couple.objects.create()
            Membership.objects.bulk_create(
                [
                    Membership(couple=couple, user_id=invite.inviter_id),
                    Membership(couple=couple, user=user),
                ]
            )
            invite.status = Invite.Status.ACCEPTED
            invite.responded_at = now
            invite.responded_by = user
            invite.couple = couple
            invite.save()
            # Any other invite either person had out is spent now.
            Invite.objects.filter(
                inviter_id__in=[invite.inviter_id, user.pk], status=Invite.Status.PENDING
            ).update(status=Invite.Status.REVOKED, updated_at=now)
            couple_started.send(sender=Couple, couple=couple, members=[invite.inviter, user])
            return couple
    except IntegrityError as exc:  # the unique index caught a race the locks did not
        raise _already_paired() from exc
