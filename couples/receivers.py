"""What ending a couple means for the messages kept here: each person keeps what they
sent; what they received disappears from their phone (sync tombstones)."""

from django.dispatch import receiver

from common.sync import tombstones_record_bulk
from couples.models import Appreciation, Boundary, Ping
from couples.selectors import boundary_shared_active_q
from couples.signals import couple_ended


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
