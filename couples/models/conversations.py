from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel


class ConversationRequest(UUIDModel):
    """ "Can we talk?": a topic, how deep, how soon, and up to three times that would suit.
    The requester's calm self-check, and a request kept back (a draft, or held on a timer),
    are theirs alone. Its statuses and turns follow `couples.conversation_states`."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "conversation"

    class Depth(models.TextChoices):
        LIGHT = "light", _("Light")
        MEDIUM = "medium", _("Medium")
        DEEP = "deep", _("Deep")

    class Urgency(models.TextChoices):
        NO_RUSH = "no_rush", _("No rush")
        THIS_WEEK = "this_week", _("This week")
        TODAY = "today", _("Today")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for you to send it")
        HELD = "held", _("Held to send later")
        PENDING = "pending", _("Waiting for an answer")
        PROPOSED_OTHER = "proposed_other", _("Other times proposed")
        SCHEDULED = "scheduled", _("A time is chosen")
        TIME_ASKED = "time_asked", _("Asked for time")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISCARDED = "discarded", _("Let go before sending")
        EXPIRED = "expired", _("Let go after a week unsent")
        CLOSED = "closed", _("Closed")

    class Role(models.TextChoices):
        REQUESTER = "requester", _("The one who asked")
        PARTNER = "partner", _("The partner")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations_asked"
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations_received"
    )
    topic = models.CharField(max_length=200)
    depth = models.CharField(max_length=8, choices=Depth.choices)
    urgency = models.CharField(max_length=12, choices=Urgency.choices)
    proposed_times = models.JSONField(default=list)
    # Private to the requester: never in the partner's view.
    calm_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    hold_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    partner_proposed_times = models.JSONField(default=list)
    chosen_time = models.DateTimeField(null=True, blank=True)
    time_asked_until = models.DateField(null=True, blank=True)
    # Who asked for the time in force (it is theirs to end by answering); blank when nobody.
    time_asked_by = models.CharField(max_length=9, choices=Role.choices, blank=True)
    # When the partner received it; a draft or a held request has not been sent.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["couple", "updated_at", "id"], name="conversation_sync_idx")
        ]

    def __str__(self) -> str:
        return f"Conversation request {self.pk}"
