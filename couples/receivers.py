"""What pairing and ending a couple mean for what is kept here: on ending, each person
keeps what they wrote and what the partner wrote disappears from their phone (sync
tombstones); on pairing, what each already shares reaches the new partner's phone."""

from django.dispatch import receiver
from django.utils import timezone

from common.models import Tombstone
from common.sync import tombstones_record_bulk
from couples.models import Appreciation, Boundary, Ping
from couples.selectors import boundary_shared_active_q
from couples.signals import couple_ended, couple_started
from nudges.services import nudges_cancel


@receiver(couple_ended, dispatch_uid="couples_messages_on_couple_ended")
def _hide_received_messages(sender, couple, **kwargs) -> None:
    for model, kind in ((Appreciation, "appreciation"), (Ping, "ping")):
        pairs = model.objects.filter(couple=couple).values_list("recipient_id", "id")
        tombstones_record_bulk(kind=kind, pairs=list(pairs))


@receiver(couple_ended, dispatch_uid="couples_boundaries_on_couple_ended")
def _hide_partner_boundaries(sender, couple, ended_by, partner, **kwargs) -> None:
    """Each ex-partner's phone drops the other's shared boundaries. Only the shared, active
    ones were ever on it; the owner keeps all of theirs."""
    other = {ended_by.pk: partner.pk, partner.pk: ended_by.pk}
    owned = Boundary.objects.filter(
        boundary_shared_active_q(), owner_id__in=list(other)
    ).values_list("owner_id", "id")
    tombstones_record_bulk(kind="boundary", pairs=[(other[owner], pk) for owner, pk in owned])


@receiver(couple_started, dispatch_uid="couples_boundaries_on_couple_started")
def _show_shared_boundaries_to_new_partner(sender, couple, members, **kwargs) -> None:
    """Boundaries shared before pairing are older than the new partner's last sync: touch
    them so they sync as updates, and forget tombstones from any earlier time together."""
    member_ids = [member.pk for member in members]
    shared = Boundary.objects.filter(boundary_shared_active_q(), owner_id__in=member_ids)
    shared_ids = list(shared.values_list("pk", flat=True))
    shared.update(updated_at=timezone.now())
    Tombstone.objects.filter(
        viewer_id__in=member_ids, kind="boundary", object_id__in=shared_ids
    ).delete()


@receiver(couple_ended, dispatch_uid="couples_agreements_on_couple_ended")
def _archive_agreements(sender, couple, ended_by, partner, **kwargs) -> None:
    """Open negotiations close; what both accepted stays readable to both, archived."""
    from couples.services.agreements import agreements_close_for_couple

    agreements_close_for_couple(couple=couple, member_ids=[ended_by.pk, partner.pk])


@receiver(couple_ended, dispatch_uid="couples_conversations_on_couple_ended")
def _close_conversation_requests(sender, couple, **kwargs) -> None:
    """Open requests close; each person keeps their own, the partner's phone drops it."""
    from couples.models import ConversationRequest

    requests = ConversationRequest.objects.filter(couple=couple)
    tombstones_record_bulk(
        kind="conversation", pairs=list(requests.values_list("partner_id", "id"))
    )
    requests.exclude(
        status__in=[ConversationRequest.Status.WITHDRAWN, ConversationRequest.Status.SCHEDULED]
    ).update(status=ConversationRequest.Status.CLOSED, updated_at=timezone.now())


@receiver(couple_ended, dispatch_uid="couples_nudges_on_couple_ended")
def _cancel_pending_nudges(sender, couple, ended_by, partner, **kwargs) -> None:
    """Pending nudges between the two (and Haven's own about the couple) are cancelled."""
    members = [ended_by.pk, partner.pk]
    nudges_cancel(recipient_ids=members, actor_ids=members, except_kinds=["couple_ended"])
