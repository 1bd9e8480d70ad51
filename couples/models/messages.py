import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel
from couples.models.couples import SpacePeriod


class Appreciation(UUIDModel):
    """A short note of thanks to the partner. Its author keeps it after the couple ends; the
    recipient loses access then. Its author may unsend it within `UNSEND_WINDOW`: then
    nobody sees it any more and its words are not kept."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "appreciation"
    # Long enough to catch a slip, short enough that what the partner has read stays read.
    UNSEND_WINDOW: ClassVar[dt.timedelta] = dt.timedelta(minutes=10)

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appreciations_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appreciations_received"
    )
    text = models.CharField(max_length=500)
    love_language = models.CharField(max_length=32, blank=True)
    unsent_at = models.DateTimeField(null=True, blank=True)

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


# The lines a one-tap reassurance may carry: the recipient's own words, or one of Haven's
# lines (the ones a person taking space may leave with their partner).
THEIR_WORDS = "their_words"
REASSURANCE_LINES: list[tuple[str, Any]] = [
    (THEIR_WORDS, _("The words they like to hear")),
    *SpacePeriod.Reassurance.choices,
]


class Reassurance(UUIDModel):
    """A ready-made line of reassurance, sent with one tap (the bridge suggests it to the one
    taking space). Only a code is stored: one of Haven's own lines, or `their_words`, the
    words the recipient said they like to hear (their preferences, while shared). Nothing
    the sender types is ever part of it, so nothing of theirs can reach a lock screen, and
    the recipient's words are read from their preferences when shown, never copied."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "reassurance"
    THEIR_WORDS: ClassVar[str] = THEIR_WORDS

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reassurances_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reassurances_received"
    )
    line = models.CharField(max_length=32, choices=REASSURANCE_LINES)

    class Meta:
        indexes = [models.Index(fields=["sender", "created_at"], name="reassurance_budget_idx")]

    def __str__(self) -> str:
        return f"Reassurance {self.pk}"
