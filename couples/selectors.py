from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.models import User
from couples.models import (
    COACHES_GROUP,
    Appreciation,
    Boundary,
    BoundaryAcknowledgement,
    BoundaryRevision,
    CoachAccess,
    CoachGrant,
    CoachNote,
    ConversationRequest,
    Couple,
    Invite,
    Membership,
    Ping,
    SpacePeriod,
)


def membership_of(user: User) -> Membership | None:
    """The person's active membership, with its couple."""
    return (
        Membership.objects.select_related("couple").filter(user=user, left_at__isnull=True).first()
    )


def couple_of(user: User) -> Couple | None:
    membership = membership_of(user)
    return membership.couple if membership else None


def couple_and_partner_of(user: User) -> tuple[Couple, User] | None:
    """One query: the active couple and the other member."""
    other = (
        Membership.objects.select_related("couple", "user")
        .filter(
            couple__memberships__user=user,
            couple__memberships__left_at__isnull=True,
            left_at__isnull=True,
        )
        .exclude(user=user)
        .first()
    )
    return (other.couple, other.user) if other else None


class NotPaired(NotFound):
    default_detail = _("You are not in a couple right now.")
    default_code = "not_paired"


def couple_and_partner_required(user: User) -> tuple[Couple, User]:
    """As `couple_and_partner_of`, for the places that only make sense in a couple."""
    pair = couple_and_partner_of(user)
    if pair is None:
        raise NotPaired()
    return pair


def space_active_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(ended_at__isnull=True) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def space_of(user: User) -> SpacePeriod | None:
    """The space a person is taking right now; one past its end time has ended by itself."""
    return SpacePeriod.objects.filter(space_active_q(), user=user).first()


def invites_sent_by(user: User) -> QuerySet[Invite]:
    return Invite.objects.filter(inviter=user)


def appreciations_visible_to(user: User) -> QuerySet[Appreciation]:
    """What I wrote, always; what my partner wrote to me, while we are a couple."""
    couple = couple_of(user)
    visible = Q(author=user)
    if couple is not None:
        visible |= Q(recipient=user, couple=couple)
    return Appreciation.objects.filter(visible)


def pings_visible_to(user: User) -> QuerySet[Ping]:
    couple = couple_of(user)
    visible = Q(sender=user)
    if couple is not None:
        visible |= Q(recipient=user, couple=couple)
    return Ping.objects.filter(visible)


# --- Boundaries -----------------------------------------------------------------------------
# A boundary belongs to its owner, not to a couple. Its owner always sees it (retired ones
# too, so their history stays whole); the owner's active partner sees it only while it is
# shared and not retired, and never learns that a private one exists.


def boundary_shared_active_q() -> Q:
    return Q(visibility=Boundary.Visibility.SHARED, retired_at__isnull=True)


def _acknowledged_by(user_id) -> Exists:
    """An acknowledgement of the boundary's current version by this person."""
    return Exists(
        BoundaryAcknowledgement.objects.filter(
            boundary=OuterRef("pk"), version=OuterRef("version"), user_id=user_id
        )
    )


def _boundaries_annotated_for(
    queryset: QuerySet[Boundary], *, viewer: User, viewer_partner: User | None
) -> QuerySet[Boundary]:
    """What the output needs, in the list query itself: whose it is, and who read the
    current version. On my own: did my (current) partner read it; on my partner's: did I."""
    mine = Q(owner_id=viewer.pk)
    nullable_bool = BooleanField(null=True)
    partner_read = (
        _acknowledged_by(viewer_partner.pk) if viewer_partner is not None else Value(False)
    )
    return queryset.annotate(
        is_mine=ExpressionWrapper(mine, output_field=BooleanField()),
        acknowledged_by_partner=Case(
            When(mine, then=partner_read), default=Value(None), output_field=nullable_bool
        ),
        acknowledged_by_me=Case(
            When(mine, then=Value(None)),
            default=_acknowledged_by(viewer.pk),
            output_field=nullable_bool,
        ),
    )


def boundaries_visible_to(user: User) -> QuerySet[Boundary]:
    """My own boundaries (retired included) and my active partner's shared, active ones,
    annotated for `BoundaryOutput`."""
    pair = couple_and_partner_of(user)
    partner = pair[1] if pair is not None else None
    visible = Q(owner=user)
    if partner is not None:
        visible |= Q(owner=partner) & boundary_shared_active_q()
    return _boundaries_annotated_for(
        Boundary.objects.filter(visible), viewer=user, viewer_partner=partner
    )


def boundaries_shared_by(user: User, *, viewer: User | None = None) -> QuerySet[Boundary]:
    """What a partner may see of `user`'s boundaries: shared and not retired. The caller
    decides who the partner is; with `viewer` (that partner), annotated for
    `BoundaryOutput`."""
    queryset = Boundary.objects.filter(boundary_shared_active_q(), owner=user)
    if viewer is None:
        return queryset
    return _boundaries_annotated_for(queryset, viewer=viewer, viewer_partner=user)


def boundary_revisions_visible_to(user: User, *, boundary: Boundary) -> QuerySet[BoundaryRevision]:
    """A boundary's history, for a boundary `user` may see (from `boundaries_visible_to`).
    The owner sees every revision; the partner only the revisions that were shared, so a
    wording the owner kept private never reaches them, even after it was made shared."""
    revisions = BoundaryRevision.objects.filter(boundary_id=boundary.pk)
    if boundary.owner_id == user.pk:
        return revisions
    if not (boundary.is_shared and boundary.is_active):
        return revisions.none()
    return revisions.filter(visibility=Boundary.Visibility.SHARED)


# --- Agreements -----------------------------------------------------------------------------
# An agreement belongs to a couple. While together, both partners see all of theirs, except a
# proposal its proposer took back (theirs alone) and versions the other took back. After the
# couple ends, each still sees what both accepted (archived) and what they proposed
# themselves; never the other's words that were only ever proposed.


def _proposed_by(user: User) -> Exists:
    from couples.models import AgreementRevision

    return Exists(
        AgreementRevision.objects.filter(agreement_id=OuterRef("pk"), number=1, author=user)
    )


def agreements_visible_to(user: User) -> QuerySet:
    from couples.models import Agreement

    current = couple_of(user)
    past_couples = Membership.objects.filter(user=user, left_at__isnull=False).values("couple_id")
    visible = Q(couple_id__in=past_couples) & (
        Q(active_revision__isnull=False) | Q(_proposed_by(user))
    )
    if current is not None:
        visible |= Q(couple=current) & (~Q(state=Agreement.State.WITHDRAWN) | Q(_proposed_by(user)))
    return Agreement.objects.filter(visible).select_related("latest_revision", "active_revision")


def agreement_revisions_of(agreement, *, viewer: User) -> QuerySet:
    """The history of an agreement the caller may see (from `agreements_visible_to`): every
    version, except those the partner took back; once the couple ended, the version both
    accepted and the viewer's own."""
    from couples.models import AgreementRevision

    revisions = AgreementRevision.objects.filter(agreement_id=agreement.pk)
    if agreement.archived_at is not None:
        return revisions.filter(Q(author=viewer) | Q(pk=agreement.active_revision_id))
    return revisions.filter(Q(withdrawn_at__isnull=True) | Q(author=viewer))


# --- Conversation requests -------------------------------------------------------------------


def conversations_visible_to(user: User) -> QuerySet[ConversationRequest]:
    """Mine, always (held ones and my calm score included); my partner's to me, while we
    are a couple, once any hold has ended."""
    pair = couple_and_partner_of(user)
    visible = Q(requester=user)
    if pair is not None:
        held = Q(status=ConversationRequest.Status.HELD, hold_until__gt=timezone.now())
        visible |= Q(partner=user, couple=pair[0]) & ~held
    return ConversationRequest.objects.filter(visible)


# --- Coaches ----------------------------------------------------------------------------------
# A coach sees a couple only through a grant both partners consented to, that has not
# expired, been revoked or ended with the couple. Every coach-facing admin page scopes its
# rows with `couples_visible_to_coach`, and nothing else decides it.


def coach_grant_active_q(now=None, prefix: str = "") -> Q:
    now = now or timezone.now()
    return Q(**{f"{prefix}status": "active", f"{prefix}expires_at__gt": now})


def couples_visible_to_coach(user: User) -> QuerySet[Couple]:
    """The couples whose active grant names this coach; none for anyone not in the
    Coaches group (a staff member without the role is not a coach)."""
    if not (user.is_active and user.is_staff and user.groups.filter(name=COACHES_GROUP).exists()):
        return Couple.objects.none()
    granted = CoachGrant.objects.filter(coach_grant_active_q(), coach=user, couple=OuterRef("pk"))
    return Couple.objects.filter(Exists(granted), ended_at__isnull=True)


def coach_grants_of_couple(user: User) -> QuerySet[CoachGrant]:
    """The grants of my current couple, with the coach and each round's consents."""
    couple = couple_of(user)
    if couple is None:
        return CoachGrant.objects.none()
    return (
        CoachGrant.objects.filter(couple=couple)
        .select_related("coach", "couple")
        .prefetch_related("consents")
    )


def coach_accesses_of_couple(user: User) -> QuerySet[CoachAccess]:
    """Every coach view of my current couple's data, for the partners to see."""
    couple = couple_of(user)
    if couple is None:
        return CoachAccess.objects.none()
    return CoachAccess.objects.filter(couple=couple)


def coach_notes_of_couple(user: User) -> QuerySet[CoachNote]:
    couple = couple_of(user)
    if couple is None:
        return CoachNote.objects.none()
    return CoachNote.objects.filter(couple=couple).select_related("coach")
