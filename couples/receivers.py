"""What pairing and ending a couple mean for what is kept here: on ending, each person
keeps what they wrote and what the partner wrote disappears from their phone (sync
tombstones); on pairing, what each already shares reaches the new partner's phone."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import User
from common.models import Tombstone
from common.sync import tombstones_record_bulk
from couples.models import (
    COACHES_GROUP,
    Appreciation,
    Boundary,
    ConversationRequest,
    Ping,
    Reassurance,
)
from couples.nudging import couple_kind_names
from couples.selectors import boundary_shared_active_q
from couples.services.agreements import agreements_close_for_couple
from couples.services.coaching import coach_grants_end_for_couple, coach_profile_ensure
from couples.services.conversations import conversations_close_for_couple
from couples.signals import couple_ended, couple_left_quietly, couple_started
from nudges.services import nudges_cancel


@receiver(couple_ended, dispatch_uid="couples_messages_on_couple_ended")
def _hide_received_messages(sender, couple, **kwargs) -> None:
    for model in (Appreciation, Ping, Reassurance):
        pairs = model.objects.filter(couple=couple).values_list("recipient_id", "id")
        tombstones_record_bulk(kind=model.SYNC_KIND, pairs=list(pairs))


@receiver(couple_ended, dispatch_uid="couples_boundaries_on_couple_ended")
def _hide_partner_boundaries(sender, couple, ended_by, partner, **kwargs) -> None:
    """Each ex-partner's phone drops the other's shared boundaries. Only the shared, active
    ones were ever on it; the owner keeps all of theirs."""
    other = {ended_by.pk: partner.pk, partner.pk: ended_by.pk}
    owned = Boundary.objects.filter(
        boundary_shared_active_q(), owner_id__in=list(other)
    ).values_list("owner_id", "id")
    tombstones_record_bulk(
        kind=Boundary.SYNC_KIND, pairs=[(other[owner], pk) for owner, pk in owned]
    )


@receiver(couple_left_quietly, dispatch_uid="couples_on_couple_left_quietly")
def _leaver_drops_the_partners_things(sender, couple, leaver, partner, **kwargs) -> None:
    """Leaving safely: the leaver's phone drops, at once, what the partner sent them, the
    partner's shared boundaries and the partner's requests; the partner's phone keeps all."""
    for model in (Appreciation, Ping, Reassurance):
        ids = model.objects.filter(couple=couple, recipient=leaver).values_list("id", flat=True)
        tombstones_record_bulk(kind=model.SYNC_KIND, pairs=[(leaver.pk, pk) for pk in ids])
    shared = Boundary.objects.filter(boundary_shared_active_q(), owner=partner).values_list(
        "id", flat=True
    )
    tombstones_record_bulk(kind=Boundary.SYNC_KIND, pairs=[(leaver.pk, pk) for pk in shared])
    requests = ConversationRequest.objects.filter(
        couple=couple, requester=partner, partner=leaver
    ).values_list("id", flat=True)
    tombstones_record_bulk(
        kind=ConversationRequest.SYNC_KIND, pairs=[(leaver.pk, pk) for pk in requests]
    )


@receiver(couple_started, dispatch_uid="couples_boundaries_on_couple_started")
def _show_shared_boundaries_to_new_partner(sender, couple, members, **kwargs) -> None:
    """Boundaries shared before pairing are older than the new partner's last sync: touch
    them so they sync as updates, and forget tombstones from any earlier time together."""
    member_ids = [member.pk for member in members]
    shared = Boundary.objects.filter(boundary_shared_active_q(), owner_id__in=member_ids)
    shared_ids = list(shared.values_list("pk", flat=True))
    shared.update(updated_at=timezone.now())
    Tombstone.objects.filter(
        viewer_id__in=member_ids, kind=Boundary.SYNC_KIND, object_id__in=shared_ids
    ).delete()


@receiver(couple_ended, dispatch_uid="couples_agreements_on_couple_ended")
def _archive_agreements(sender, couple, ended_by, partner, **kwargs) -> None:
    """Open negotiations close; what both accepted stays readable to both, archived; each
    keeps the proposals they made (their own words only), and the other's phone drops them."""
    agreements_close_for_couple(couple=couple, member_ids=[ended_by.pk, partner.pk])


@receiver(couple_ended, dispatch_uid="couples_conversations_on_couple_ended")
def _close_conversation_requests(sender, couple, ended_by, partner, **kwargs) -> None:
    """Every request not over yet closes, scheduled ones too, with their reminders; each
    person keeps what they wrote, the partner's phone drops it."""
    conversations_close_for_couple(couple_id=couple.pk, member_ids=[ended_by.pk, partner.pk])


@receiver(couple_ended, dispatch_uid="couples_nudges_on_couple_ended")
def _cancel_pending_nudges(sender, couple, ended_by, partner, **kwargs) -> None:
    """Nothing of the couple reaches either phone after it ends: every pending nudge of a kind
    this app registered is about the couple, whoever caused it (a conversation reminder has
    no actor), and is cancelled for both; so is anything else pending between the two (a
    kind another app registered, e.g. the check-in bridge) and Haven's own nudges. The one
    gentle "your couple has ended" is relayed after this."""
    members = [ended_by.pk, partner.pk]
    told = ["couple_ended"]  # an earlier couple's ending, still waiting out quiet hours
    nudges_cancel(recipient_ids=members, kinds=couple_kind_names(), except_kinds=told)
    nudges_cancel(recipient_ids=members, actor_ids=members, except_kinds=told)


@receiver(couple_ended, dispatch_uid="couples_coach_grants_on_couple_ended")
def _end_coach_grants(sender, couple, **kwargs) -> None:
    """A coach's access ends with the couple: no grant outlives the two who gave it."""
    coach_grants_end_for_couple(couple=couple)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="couples_coach_profile")
def _give_new_coaches_a_code(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """An operator makes someone a coach by adding them to the Coaches group (from the
    person's page or the group's); from then on they have a code to give to couples."""
    if action != "post_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(...): the group is `instance`, people are `pk_set`
        new_coaches = (
            list(User.objects.filter(pk__in=pk_set)) if instance.name == COACHES_GROUP else []
        )
    elif Group.objects.filter(pk__in=pk_set, name=COACHES_GROUP).exists():
        new_coaches = [instance]
    else:
        new_coaches = []
    for user in new_coaches:
        coach_profile_ensure(user=user)
