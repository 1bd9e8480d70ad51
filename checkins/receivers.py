"""When a couple ends, each ex-partner's phone drops the other's check-ins."""

from django.dispatch import receiver

from checkins.models import CheckIn
from common.sync import tombstones_record_bulk
from couples.signals import couple_ended, couple_left_quietly


@receiver(couple_ended, dispatch_uid="checkins_on_couple_ended")
def _hide_partner_checkins(sender, couple, ended_by, partner, **kwargs) -> None:
    other = {ended_by.pk: partner.pk, partner.pk: ended_by.pk}
    written = CheckIn.objects.filter(couple=couple, passed=False, is_shared=True).values_list(
        "author_id", "id"
    )
    tombstones_record_bulk(
        kind=CheckIn.SYNC_KIND, pairs=[(other[author], pk) for author, pk in written]
    )


@receiver(couple_left_quietly, dispatch_uid="checkins_on_couple_left_quietly")
def _leaver_drops_partner_checkins(sender, couple, leaver, partner, **kwargs) -> None:
    """Leaving safely: the leaver's phone drops the partner's check-ins at once."""
    written = CheckIn.objects.filter(
        couple=couple, author=partner, passed=False, is_shared=True
    ).values_list("id", flat=True)
    tombstones_record_bulk(kind=CheckIn.SYNC_KIND, pairs=[(leaver.pk, pk) for pk in written])
