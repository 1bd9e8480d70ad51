from django.db.models import QuerySet

from nudges.models import Device


def devices_of(user) -> QuerySet[Device]:
    """A person's devices are listed for them alone."""
    return Device.objects.filter(user=user)
