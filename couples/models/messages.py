from typing import ClassVar

from django.conf import settings
from django.db import models

from common.models import UUIDModel


class Appreciation(UUIDModel):
    """A short note of thanks to the partner. Its author keeps it after the couple ends; the
    recipient loses access then."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "appreciation"

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appreciations_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appreciations_received"
    )
    text = models.CharField(max_length=500)
    love_language = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["couple", "created_at"], name="appreciation_feed_idx"),
            models.Index(fields=["couple", "updated_at", "id"], name="appreciation_sync_idx"),
        ]

    def __str__(self) -> str:
        return f"Appreciation {self.pk}"


class Ping(UUIDModel):
    """'Thinking of you': one tap, no reply expected, a small daily budget per sender."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "ping"

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pings_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pings_received"
    )

    class Meta:
        indexes = [models.Index(fields=["sender", "created_at"], name="ping_budget_idx")]

    def __str__(self) -> str:
        return f"Ping {self.pk}"
