from django.db.models import QuerySet

from nudges.models import Device, Notification


def devices_of(user) -> QuerySet[Device]:
    """A person's devices are listed for them alone."""
    return Device.objects.filter(user=user)


def notifications_of(user) -> QuerySet[Notification]:
    """A person's inbox: what was sent to them, for them alone. Nothing here says whether
    anyone else read anything."""
    return Notification.objects.filter(recipient=user)


def unread_count_of(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
