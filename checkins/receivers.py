"""When a couple ends, each ex-partner's phone drops the other's check-ins."""

from django.dispatch import receiver

from checkins.models import CheckIn
from common.sync import tombstones_record_bulk
from couples.signals import couple_ended


@receiver(couple_ended, dispatch_uid="checkins_on_couple_ended")
def _hide_partner_checkins(sender, couple, ended_by, partner, **kwargs) -> None:
    other = {ended_by.pk: partner.pk, partner.pk: ended_by.pk}
    written = CheckIn.objects.filter(couple=couple, passed=False, is_shared=True).values_list(
        "author_id", "id"
    )
    tombstones_record_bulk(
        kind=CheckIn.SYNC_KIND, pairs=[(other[author], pk) for author, pk in written]
    )
