from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound

from accounts.localtime import local_zone
from accounts.models import User
from accounts.selectors import AloneTimeWindow, preferences_of, profile_shared_with_partner
from common.compiled import NOT_READ_BESIDE, CompiledLookup, taken_beside
from couples import conversation_states
from couples.models import (
    COACHES_GROUP,
    Agreement,
    AgreementRevision,
    Appreciation,
    Boundary,
    BoundaryAcknowledgement,
    BoundaryRevision,
    CoachAccess,
    CoachGrant,
    CoachNote,
    ConversationRequest,
    Couple,
    DelayedEnd,
    Invite,
    Membership,
    Ping,
    Reassurance,
    SpacePeriod,
)


def _own_membership(user_id: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("couple")
        .current_for_self()
        .filter(user_id=user_id)
        .order_by("pk")
    )


# Composed once per database connection (common.compiled): every agreement, space and
# conversation screen asks it.
_MEMBERSHIP = CompiledLookup("membership", _own_membership, user_id=User._meta.pk)


def membership_of(user: User) -> Membership | None:
    """The person's active membership, with its couple (read with their sign-in when the
    view asked for it, `MEMBERSHIP_BESIDE_SIGN_IN`)."""
    found = taken_beside(user, _MEMBERSHIP)
    if found is NOT_READ_BESIDE:
        found = _MEMBERSHIP.first(user_id=user.pk)
    return cast(Membership | None, found)


def couple_of(user: User) -> Couple | None:
    membership = membership_of(user)
    return membership.couple if membership else None


def _partner_membership(*, profile: bool) -> Callable[[Any], QuerySet[Membership]]:
    related = ["couple", "user"]
    if profile:
        related += ["user__love_languages", "user__preferences"]

    def build(user_id: Any) -> QuerySet[Membership]:
        mine = Membership.objects.current_for_self().filter(user_id=user_id)
        return (
            Membership.objects.select_related(*related)
            .filter(couple_id__in=mine.values("couple_id"), left_at__isnull=True)
            .exclude(user_id=user_id)
            .order_by("pk")
        )

    return build


# Composed once per database connection (common.compiled): nearly every request asks it.
_PARTNER = CompiledLookup("partner", _partner_membership(profile=False), user_id=User._meta.pk)
_PARTNER_AND_PROFILE = CompiledLookup(
    "partner_and_profile", _partner_membership(profile=True), user_id=User._meta.pk
)


# What a read view names as `read_beside_sign_in` (accounts.authentication) when its first
# question is the caller's couple: the row comes back in the sign-in's own statement, one round
# trip fewer, and the selectors above take it from there once.
MEMBERSHIP_BESIDE_SIGN_IN = _MEMBERSHIP
PARTNER_BESIDE_SIGN_IN = _PARTNER
PARTNER_AND_PROFILE_BESIDE_SIGN_IN = _PARTNER_AND_PROFILE


def couple_and_partner_of(
    user: User, *, partner_profile: bool = False
) -> tuple[Couple, User] | None:
    """One query: the active couple and the other member. A couple I asked to leave with a
    delay is not mine any more (`Membership.objects.current_for_self`), while my partner
    still sees me in it until the end runs. With `partner_profile`, the partner's love
    languages and preferences come in the same query (what
    `accounts.selectors.profile_shared_with_partner` reads)."""
    lookup = _PARTNER_AND_PROFILE if partner_profile else _PARTNER
    other = taken_beside(user, lookup)  # read with the sign-in (`PARTNER_BESIDE_SIGN_IN`)
    if other is NOT_READ_BESIDE:
        other = lookup.first(user_id=user.pk)
    return (other.couple, other.user) if other else None


def is_former_partner(viewer_id: Any, person: Any) -> Q:
    """`person` (an expression naming a person's id, an `OuterRef`) was in a couple with the
    viewer that has ended, and is not their partner again today. The one rule behind
    `former_partner_names` and the inbox's reading of it beside each row (nudges)."""
    shared = Membership.objects.filter(user_id=person, couple__memberships__user_id=viewer_id)
    return Q(Exists(shared.filter(couple__ended_at__isnull=False))) & ~Q(
        Exists(shared.filter(couple__ended_at__isnull=True))
    )


# What a former partner is called, in the reader's language when rendered.
FORMER_PARTNER = gettext_lazy("your former partner")


def _former_partners_of(*, viewer_id: Any) -> QuerySet[Membership, Any]:
    """The people the viewer was in a couple with (`is_former_partner`), each once."""
    return (
        Membership.objects.filter(couple__memberships__user_id=viewer_id)
        .exclude(user_id=viewer_id)
        .filter(is_former_partner(viewer_id, OuterRef("user_id")))
        .values_list("user_id")
        .distinct()
    )


# Composed once per database connection (common.compiled).
_FORMER_PARTNERS = CompiledLookup(
    "former_partners_of", _former_partners_of, viewer_id=User._meta.pk
)


def former_partner_names(viewer: User) -> dict[uuid.UUID, str]:
    """Everyone `viewer` was in a couple with that has ended (and is not their partner again
    today), named as what they are now: "your former partner". Rendered at read time in the
    reader's language, so it reads the same after an ordinary end and after the other
    person deleted their account. One query, composed once per connection."""
    words = str(FORMER_PARTNER)
    return {user_id: words for (user_id,) in _FORMER_PARTNERS.all(viewer_id=viewer.pk)}


class NotPaired(NotFound):
    default_detail = gettext_lazy("You are not in a couple right now.")
    default_code = "not_paired"


def couple_and_partner_required(user: User) -> tuple[Couple, User]:
    """As `couple_and_partner_of`, for the places that only make sense in a couple."""
    pair = couple_and_partner_of(user)
    if pair is None:
        raise NotPaired()
    return pair


class CoupleEnded(NotFound):
    """Not in a couple because the last one ended (whoever ended it): said plainly and kindly,
    never why."""

    default_detail = gettext_lazy("Your couple in Haven has ended. What you wrote stays yours.")
    default_code = "couple_ended"


def couple_and_partner_or_ended(
    user: User, *, partner_profile: bool = False
) -> tuple[Couple, User]:
    """As `couple_and_partner_required`, for the couple's own reads: someone whose couple
    ended, and who has not paired again, hears that it ended (`CoupleEnded`) rather than
    that they are not in one; someone never paired hears `NotPaired`."""
    pair = couple_and_partner_of(user, partner_profile=partner_profile)
    if pair is not None:
        return pair
    if (
        Membership.objects.filter(user=user, left_at__isnull=False).exists()
        or DelayedEnd.objects.filter(leaver=user, completed_at__isnull=True).exists()
    ):
        raise CoupleEnded()
    raise NotPaired()


def space_active_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(ended_at__isnull=True) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def _active_spaces_among(now: dt.datetime, ids: list) -> QuerySet[SpacePeriod]:
    return SpacePeriod.objects.filter(space_active_q(now), user_id__in=ids).order_by("pk")


def _active_spaces(*, now: dt.datetime, first: Any, second: Any = None) -> QuerySet[SpacePeriod]:
    return _active_spaces_among(now, [first] if second is None else [first, second])


# Composed once per database connection (common.compiled), for one person and for two: the
# couple page and every screen that minds a partner's space ask it.
_ACTIVE_SPACES = {
    count: CompiledLookup(
        f"active_spaces_of_{count}",
        _active_spaces,
        now=cast(Field, SpacePeriod._meta.get_field("ends_at")),
        first=User._meta.pk,
        **({"second": User._meta.pk} if count == 2 else {}),
    )
    for count in (1, 2)
}


def space_of(user: User) -> SpacePeriod | None:
    """The space a person is taking right now; one past its end time has ended by itself."""
    return cast(SpacePeriod | None, _ACTIVE_SPACES[1].first(now=timezone.now(), first=user.pk))


def spaces_of(*people: User) -> dict[uuid.UUID, SpacePeriod | None]:
    """{person id: `space_of(person)`} for a few people, in one query."""
    spaces: dict[uuid.UUID, SpacePeriod | None] = {person.pk: None for person in people}
    ids, now = list(spaces), timezone.now()
    if len(ids) == 1:
        found = _ACTIVE_SPACES[1].all(now=now, first=ids[0])
    elif len(ids) == 2:
        found = _ACTIVE_SPACES[2].all(now=now, first=ids[0], second=ids[1])
    else:
        found = list(_active_spaces_among(now, ids))
    for space in found:
        if spaces[space.user_id] is None:  # the first by primary key, as `space_of` picks
            spaces[space.user_id] = space
    return spaces


def invites_sent_by(user: User) -> QuerySet[Invite]:
    return Invite.objects.filter(inviter=user)


def appreciations_visible_to(user: User, *, own_unsent: bool = False) -> QuerySet[Appreciation]:
    """What I wrote, always; what my partner wrote to me, while we are a couple. An unsent
    one is gone for both; with `own_unsent`, my own unsent ones are found too (so unsending
    twice answers like once)."""
    couple = couple_of(user)
    visible = Q(author=user) if own_unsent else Q(author=user, unsent_at__isnull=True)
    if couple is not None:
        visible |= Q(recipient=user, couple=couple, unsent_at__isnull=True)
    return Appreciation.objects.filter(visible)


def pings_visible_to(user: User) -> QuerySet[Ping]:
    couple = couple_of(user)
    visible = Q(sender=user)
    if couple is not None:
        visible |= Q(recipient=user, couple=couple)
    return Ping.objects.filter(visible)


def reassurances_visible_to(user: User) -> QuerySet[Reassurance]:
    """What I sent, always; what my partner sent me, while we are a couple (like pings)."""
    couple = couple_of(user)
    visible = Q(sender=user)
    if couple is not None:
        visible |= Q(recipient=user, couple=couple)
    return Reassurance.objects.filter(visible)


def reassurance_words_seen_by(user: User) -> dict[uuid.UUID, str]:
    """{person id: the words they like to hear} as `user` may read them: their own, always
    (they wrote them), and their current partner's only while shared. Anyone else's, and
    words never set, are absent: a `their_words` reassurance then shows no text."""
    words: dict[uuid.UUID, str] = {}
    own = preferences_of(user=user).reassurance
    if own:
        words[user.pk] = own
    pair = couple_and_partner_of(user)
    if pair is not None:
        partner = pair[1]
        shared = profile_shared_with_partner(user=partner)["preferences"] or {}
        if shared.get("reassurance"):
            words[partner.pk] = shared["reassurance"]
    return words


def reassurance_lines_for(user: User) -> list[tuple[str, str]]:
    """The lines `user` can send their partner now, as (code, words): the partner's own
    words first, while they share them, then Haven's lines in the active language."""
    _couple, partner = couple_and_partner_required(user)
    lines = []
    partner_words = reassurance_words_seen_by(user).get(partner.pk)
    if partner_words:
        lines.append((Reassurance.THEIR_WORDS, partner_words))
    lines.extend((code, str(label)) for code, label in SpacePeriod.Reassurance.choices)
    return lines


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


def _shared_versions_up_to(*, boundary: str, version: str) -> Coalesce:
    """How many versions of the outer row's boundary, up to the outer row's version, were
    shared: the version number a partner sees. A partner counts only what they could have
    read, so the number never tells them that private drafts came before (or between)."""
    counted = (
        BoundaryRevision.objects.filter(
            boundary_id=OuterRef(boundary),
            version__lte=OuterRef(version),
            visibility=Boundary.Visibility.SHARED,
        )
        .order_by()
        .values("boundary_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _boundaries_annotated_for(
    queryset: QuerySet[Boundary], *, viewer_id: Any, partner_id: Any | None
) -> QuerySet[Boundary]:
    """What the output needs, in the list query itself: whose it is, the version as the
    viewer may count it, and who read the current version. On my own: my (current)
    partner's "I've read this" when they gave it, and null otherwise, never a standing
    "not yet" (an acknowledgement is the partner's gift, not a debt); on my partner's: did
    I read it."""
    mine = Q(owner_id=viewer_id)
    nullable_bool = BooleanField(null=True)
    # Without a partner there is nobody to have read it: null, like "not yet".
    partner_read = (
        [When(mine & _acknowledged_by(partner_id), then=Value(True))]
        if partner_id is not None
        else []
    )
    return queryset.annotate(
        is_mine=ExpressionWrapper(mine, output_field=BooleanField()),
        seen_version=Case(
            When(mine, then=F("version")),
            default=_shared_versions_up_to(boundary="pk", version="version"),
            output_field=IntegerField(),
        ),
        acknowledged_by_partner=Case(
            *partner_read, default=Value(None), output_field=nullable_bool
        ),
        acknowledged_by_me=Case(
            When(mine, then=Value(None)),
            default=_acknowledged_by(viewer_id),
            output_field=nullable_bool,
        ),
    )


def _boundaries_visible(*, viewer_id: Any, partner_id: Any = None) -> QuerySet[Boundary]:
    visible = Q(owner_id=viewer_id)
    if partner_id is not None:
        visible |= Q(owner_id=partner_id) & boundary_shared_active_q()
    return _boundaries_annotated_for(
        Boundary.objects.filter(visible), viewer_id=viewer_id, partner_id=partner_id
    )


# The boundaries list's pages, composed once per connection and page shape (common.compiled).
_BOUNDARIES_ALONE = CompiledLookup("boundaries_alone", _boundaries_visible, viewer_id=User._meta.pk)
_BOUNDARIES_PAIRED = CompiledLookup(
    "boundaries_paired", _boundaries_visible, viewer_id=User._meta.pk, partner_id=User._meta.pk
)


def boundaries_visible_to(user: User, *, compiled: bool = False) -> QuerySet[Boundary]:
    """My own boundaries (retired included) and my active partner's shared, active ones,
    annotated for `BoundaryOutput`. With `compiled`, for a list's pages: a
    `CompiledQuerySet` standing in for the same queryset, its statement composed once per
    page shape."""
    pair = couple_and_partner_of(user)
    if pair is None:
        return _BOUNDARIES_ALONE.queryset(compiled=compiled, viewer_id=user.pk)
    return _BOUNDARIES_PAIRED.queryset(compiled=compiled, viewer_id=user.pk, partner_id=pair[1].pk)


def boundaries_shared_by(
    user: User, *, viewer: User | None = None, compiled: bool = False
) -> QuerySet[Boundary]:
    """What a partner may see of `user`'s boundaries: shared and not retired. The caller
    decides who the partner is; with `viewer` (that partner), annotated for
    `BoundaryOutput`, and with `compiled` too, a `CompiledQuerySet` standing in for the
    same queryset, its statement composed once per shape."""
    if viewer is None:
        return Boundary.objects.filter(boundary_shared_active_q(), owner=user)
    if viewer.pk == user.pk:
        return _boundaries_annotated_for(
            Boundary.objects.filter(boundary_shared_active_q(), owner=user),
            viewer_id=viewer.pk,
            partner_id=user.pk,
        )
    return _PARTNER_BOUNDARIES.queryset(compiled=compiled, owner_id=user.pk, viewer_id=viewer.pk)


def _partner_boundaries(*, owner_id: Any, viewer_id: Any) -> QuerySet[Boundary]:
    # Every row is the partner's: what `_boundaries_annotated_for` answers for a row that is
    # not mine, without its branches for mine (a third of the page's time went to building
    # and compiling them, issue 17).
    return Boundary.objects.filter(boundary_shared_active_q(), owner_id=owner_id).annotate(
        is_mine=Value(False, output_field=BooleanField()),
        seen_version=_shared_versions_up_to(boundary="pk", version="version"),
        acknowledged_by_partner=Value(None, output_field=BooleanField(null=True)),
        acknowledged_by_me=_acknowledged_by(viewer_id),
    )


# The partner's boundaries on the couple/partner page (common.compiled).
_PARTNER_BOUNDARIES = CompiledLookup(
    "partner_boundaries", _partner_boundaries, owner_id=User._meta.pk, viewer_id=User._meta.pk
)


def boundary_revisions_visible_to(user: User, *, boundary: Boundary) -> QuerySet[BoundaryRevision]:
    """A boundary's history, for a boundary `user` may see (from `boundaries_visible_to`),
    each revision annotated with `seen_version`, its number as the viewer counts it. The
    owner sees every revision, numbered as written; the partner only the revisions that
    were shared, so a wording the owner kept private never reaches them, even after it was
    made shared, and numbered by shared versions only, so no gap gives a draft away."""
    revisions = BoundaryRevision.objects.filter(boundary_id=boundary.pk)
    if boundary.owner_id == user.pk:
        return revisions.annotate(seen_version=F("version"))
    if not (boundary.is_shared and boundary.is_active):
        return revisions.none()
    return revisions.filter(visibility=Boundary.Visibility.SHARED).annotate(
        seen_version=_shared_versions_up_to(boundary="boundary_id", version="version")
    )


# --- Agreements -----------------------------------------------------------------------------
# An agreement belongs to a couple. While together, both partners see all of theirs, except a
# proposal its proposer took back (theirs alone) and versions the other took back. After the
# couple ends, each still sees what both accepted (archived) and what they proposed
# themselves; never the other's words that were only ever proposed.


def _proposed_by(user_id: Any) -> Exists:
    from couples.models import AgreementRevision

    return Exists(
        AgreementRevision.objects.filter(agreement_id=OuterRef("pk"), number=1, author_id=user_id)
    )


def _agreements_visible(*, viewer_id: Any, couple_id: Any = None) -> QuerySet:
    from couples.models import Agreement

    past_couples = Membership.objects.filter(user_id=viewer_id, left_at__isnull=False).values(
        "couple_id"
    )
    visible = Q(couple_id__in=past_couples) & (
        Q(active_revision__isnull=False) | Q(_proposed_by(viewer_id))
    )
    if couple_id is not None:
        visible |= Q(couple_id=couple_id) & (
            ~Q(state=Agreement.State.WITHDRAWN) | Q(_proposed_by(viewer_id))
        )
    # Both branches lie within the person's own couples, past or present: said first, it lets
    # PostgreSQL start from the couple index rather than read every agreement (the OR alone
    # scanned all of them: 3 s at 10,000 couples, `make bench`).
    mine = Membership.objects.filter(user_id=viewer_id).values("couple_id")
    return Agreement.objects.filter(Q(couple_id__in=mine) & visible).select_related(
        "latest_revision", "active_revision"
    )


# The agreements list's pages, composed once per connection and page shape (common.compiled).
_AGREEMENTS_ALONE = CompiledLookup("agreements_alone", _agreements_visible, viewer_id=User._meta.pk)
_AGREEMENTS_IN_COUPLE = CompiledLookup(
    "agreements_in_couple", _agreements_visible, viewer_id=User._meta.pk, couple_id=Couple._meta.pk
)


def agreements_visible_to(user: User, *, compiled: bool = False) -> QuerySet:
    """With `compiled`, for a list's pages: a `CompiledQuerySet` standing in for the same
    queryset, its statement composed once per page shape."""
    current = couple_of(user)
    if current is None:
        return _AGREEMENTS_ALONE.queryset(compiled=compiled, viewer_id=user.pk)
    return _AGREEMENTS_IN_COUPLE.queryset(
        compiled=compiled, viewer_id=user.pk, couple_id=current.pk
    )


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
    """Mine, always, in every status (drafts, held ones and my calm score included); my
    partner's to me while we are a couple, once sent and until withdrawn. A draft or a held
    request is its author's alone; a withdrawn one leaves the partner's view for good."""
    pair = couple_and_partner_of(user)
    visible = Q(requester=user)
    if pair is not None:
        visible |= Q(partner=user, couple=pair[0], status__in=conversation_states.SEEN_BY_PARTNER)
    return ConversationRequest.objects.filter(visible)


def conversation_time_notes(*, viewer: User, request: ConversationRequest) -> list[dict]:
    """Gentle notes for the one whose times are on the table: which of them fall while the
    other is taking space, or in an alone-time window the other shares (in the other's own
    time zone). Never refused, and never more than the other already shares: a taking-space
    period is on their couple page anyway; alone-time windows only when their preferences
    are shared. [] when the viewer has no times waiting for an answer."""
    mine = viewer.pk == request.requester_id
    if mine and request.status in (*conversation_states.UNSENT, conversation_states.PENDING):
        times, other = request.proposed_times, request.partner
    elif not mine and request.status == conversation_states.PROPOSED_OTHER:
        times, other = request.partner_proposed_times, request.requester
    else:
        return []
    moments = [dt.datetime.fromisoformat(moment) for moment in times]
    notes = []
    space = space_of(other)
    if space is not None:
        space_until = space.ends_at or space.check_back_at
        during = [m for m in moments if space_until is None or m < space_until]
        if during:
            notes.append(
                {
                    "code": "partner_space",
                    "message": _(
                        "One of these times falls while your partner is taking some space. "
                        "It may land more gently a little later."
                    ),
                    "times": [m.isoformat() for m in during],
                }
            )
    shared = profile_shared_with_partner(user=other)["preferences"]
    if shared and shared["alone_time_windows"]:
        windows = [AloneTimeWindow.from_stored(w) for w in shared["alone_time_windows"]]
        zone = local_zone(other)
        alone = [m for m in moments if any(w.contains(m.astimezone(zone)) for w in windows)]
        if alone:
            notes.append(
                {
                    "code": "partner_alone_time",
                    "message": _(
                        "One of these times falls in the alone time your partner keeps for "
                        "themselves. Another moment might suit them better."
                    ),
                    "times": [m.isoformat() for m in alone],
                }
            )
    return notes


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
    # A couple one partner asked to leave with a delay is out of every coach's sight at once.
    leaving = DelayedEnd.objects.filter(couple=OuterRef("pk"), completed_at__isnull=True)
    return Couple.objects.filter(Exists(granted), ended_at__isnull=True).exclude(Exists(leaving))


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


# --- Many people at once: the signals the lessons app reads (learn/signals.py) ---------------
# Each takes the people (or couples) of one batch and answers in one query, never one per
# person. They read only what the person wrote themself or what is already shared with them.


def couples_and_partners_of(
    user_ids: list[uuid.UUID],
) -> dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]]:
    """{person: (couple id, partner id)} for those in an active couple of two."""
    mine = dict(
        Membership.objects.filter(user_id__in=user_ids, left_at__isnull=True).values_list(
            "user_id", "couple_id"
        )
    )
    if not mine:
        return {}
    members: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user_id, couple_id in Membership.objects.filter(
        couple_id__in=set(mine.values()), left_at__isnull=True
    ).values_list("user_id", "couple_id"):
        members.setdefault(couple_id, []).append(user_id)
    return {
        user_id: (couple_id, next(m for m in members[couple_id] if m != user_id))
        for user_id, couple_id in mine.items()
        if len(members.get(couple_id, [])) == 2
    }


def people_taking_space(user_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these people are taking space now (their partner sees it plainly)."""
    return set(
        SpacePeriod.objects.filter(space_active_q(), user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )


def people_who_felt_unsettled(
    user_ids: list[uuid.UUID], *, since: dt.datetime, calm_at_most: int
) -> set[uuid.UUID]:
    """Who wrote a "can we talk?" since then with their own calm score at most this (the
    score is theirs alone; the answer goes back to them alone)."""
    return set(
        ConversationRequest.objects.filter(
            requester_id__in=user_ids, created_at__gte=since, calm_score__lte=calm_at_most
        ).values_list("requester_id", flat=True)
    )


def couples_with_agreements_revised(
    couple_ids: list[uuid.UUID], *, revisions: int
) -> set[uuid.UUID]:
    """Couples with an agreement still being shaped that has reached this many revisions
    (both partners see every revision of it)."""
    return set(
        Agreement.objects.filter(
            couple_id__in=couple_ids,
            state=Agreement.State.NEGOTIATING,
            latest_revision__number__gte=revisions,
        ).values_list("couple_id", flat=True)
    )


def coach_note_lessons_of(
    couple_ids: list[uuid.UUID], *, since: dt.datetime
) -> dict[uuid.UUID, str]:
    """{couple: the lesson slug on its latest coach note since then that carries one}."""
    found: dict[uuid.UUID, str] = {}
    for couple_id, lesson in (
        CoachNote.objects.filter(couple_id__in=couple_ids, created_at__gte=since)
        .exclude(lesson="")
        .order_by("couple_id", "-created_at")
        .values_list("couple_id", "lesson")
    ):
        found.setdefault(couple_id, lesson)
    return found


def own_texts_since(
    user_ids: list[uuid.UUID], *, since: dt.datetime
) -> list[tuple[uuid.UUID, str, str]]:
    """(author, field, text) of what these people saved since then in `couples`, as they
    saved it: appreciations still sent, the topics of their "can we talk?" requests, and
    the revisions of agreements they wrote. The field names are the tone helper's. One
    query (a union) for any number of people."""
    appreciations = (
        Appreciation.objects.filter(
            author_id__in=user_ids, created_at__gte=since, unsent_at__isnull=True
        )
        .annotate(person=F("author_id"), field=Value("text"), words=F("text"))
        .values_list("person", "field", "words")
    )
    topics = (
        ConversationRequest.objects.filter(requester_id__in=user_ids, created_at__gte=since)
        .annotate(person=F("requester_id"), field=Value("topic"), words=F("topic"))
        .values_list("person", "field", "words")
    )
    revisions = AgreementRevision.objects.filter(
        author_id__in=user_ids, created_at__gte=since, withdrawn_at__isnull=True
    )
    parts = [
        revisions.annotate(person=F("author_id"), field=Value(name), words=F(name)).values_list(
            "person", "field", "words"
        )
        for name in ("terms", "my_need", "your_need_as_i_understand")
    ]
    return list(appreciations.union(topics, *parts, all=True))
