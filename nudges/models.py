from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel


class Device(UUIDModel):
    """A phone's push token. A token belongs to its newest owner (a shared or resold phone)."""

    class Platform(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices"
    )
    token = models.CharField(_("push token"), max_length=4096)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    platform = models.CharField(max_length=16, choices=Platform.choices)
    app_version = models.CharField(max_length=32, blank=True)
    locale = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["user", "updated_at", "id"], name="device_sync_idx")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device of {self.user_id}"


class Notification(UUIDModel):
    """One entry in a person's in-app inbox. The subject is the object that caused it, so
    one reason never becomes two notifications (unique per recipient, kind and subject)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=48)
    subject_id = models.UUIDField()
    due_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_id"], name="notification_once_per_reason"
            )
        ]
        indexes = [models.Index(fields=["recipient", "due_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
