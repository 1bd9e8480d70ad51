from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel
from nudges.kinds import space_allowed_by_default


def _default_channels() -> list[str]:
    return ["push", "email"]


def _default_space_allowed_kinds() -> list[str]:
    # While someone takes space, only what they asked for themselves gets through: the kinds
    # their owning apps registered as allowed_while_space. Migration 0003 names this function.
    return space_allowed_by_default()


class NudgeSettings(models.Model):
    """How, when and how often Haven may contact one person; every field has a gentle
    default. The row is created with the person (nudges.receivers) because it is the
    planner's index: `time_zone` mirrors the person's own (kept in step by a receiver) so the
    planner finds who is due, default check-in time included, with one index on this table.
    Readers never write it: where it is missing (a person from before it existed), reading
    gives unsaved defaults (`nudges.selectors.nudge_settings_of`), and the first change
    saves it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="nudge_settings",
    )
    time_zone = models.CharField(max_length=64, default="UTC", editable=False)
    checkin_time = models.TimeField(_("preferred check-in time"), default=dt.time(20, 0))
    # Quiet hours in local time; they may wrap midnight. Equal start and end: none.
    quiet_start = models.TimeField(_("quiet hours start"), default=dt.time(22, 0))
    quiet_end = models.TimeField(_("quiet hours end"), default=dt.time(8, 0))
    channels = models.JSONField(_("channel order"), default=_default_channels, blank=True)
    opted_out_kinds = models.JSONField(_("kinds turned off"), default=list, blank=True)
    daily_cap = models.PositiveSmallIntegerField(default=1)
    weekly_cap = models.PositiveSmallIntegerField(default=5)
    space_allowed_kinds = models.JSONField(default=_default_space_allowed_kinds, blank=True)
    discreet = models.BooleanField(
        _("discreet notifications"),
        default=True,
        help_text=_("Lock screens and email subjects never name the partner or quote them."),
    )
    quiet_exit = models.BooleanField(
        _("quiet exit"),
        default=False,
        help_text=_(
            "Nothing reaches this person's phone or email (no push, no email); what Haven has "
            "for them waits in the in-app inbox. On at once, off whenever they like."
        ),
    )
    # Back-off: nudges of the kinds registered with `backs_off` (the check-in reminder) sent
    # since the person last answered one, and the last one's local date; answering resets
    # the count. The names predate the registered property and stay: renaming the columns
    # would break the workers still running the old code during a deploy.
    checkin_reminders_ignored = models.PositiveSmallIntegerField(default=0, editable=False)
    last_checkin_reminder_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "nudge settings"
        indexes = [
            # The planner's due-set query: preferred minute first, then the zone bucket.
            models.Index(fields=["checkin_time", "time_zone"], name="nudge_settings_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Nudge settings of {self.user_id}"


class Device(UUIDModel):
    """A phone's push token. A token belongs to its newest owner (a shared or resold phone)."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "device"

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
    # The sign-in it was registered from (`accounts.sessions.session_fingerprint`, never the
    # session key): signing out everywhere else removes the devices of the other sign-ins.
    # '' for a device registered before sign-ins were recorded.
    session_fingerprint = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["user", "updated_at", "id"], name="device_sync_idx")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} device of {self.user_id}"


class Nudge(UUIDModel):
    """One reason to contact one person, planned or relayed, from the moment it exists until
    it is sent, dropped or cancelled. Deferred nudges wait here with a later `due_at`, never
    in the broker. (recipient, kind, subject, local date) is the dedupe key: a retried or
    duplicated planner run or task can never make a second one."""

    class Class(models.TextChoices):
        RELAYED = "relayed", _("relayed or agreed")
        ENGAGEMENT = "engagement", _("engagement")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        DROPPED = "dropped", _("dropped")
        CANCELLED = "cancelled", _("cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges"
    )
    # Who caused it (the partner who pinged); none for Haven's own initiative.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=48)
    nudge_class = models.CharField(max_length=16, choices=Class.choices)
    subject_id = models.UUIDField()
    local_date = models.DateField(help_text="The recipient's calendar day this nudge is for.")
    due_at = models.DateTimeField()
    # A moment the recipient chose themselves (a conversation time): quiet hours don't move it.
    at_chosen_time = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    reason = models.CharField(max_length=32, blank=True)
    # Deferred by a hold (the recipient taking space) at least once. When the hold ends, early
    # or on time, what waited is due at once (`services.nudges_release_held`), and several of
    # one kind from one person arrive as one notification (`inbox`, the kind's held copy).
    was_held = models.BooleanField(default=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_id", "local_date"], name="nudge_dedupe_key"
            )
        ]
        indexes = [
            # The claim query reads only pending rows, oldest due first.
            models.Index(fields=["due_at"], condition=Q(state="pending"), name="nudge_due_idx"),
            # Caps: a person's engagement nudges sent in their recent local days.
            models.Index(
                fields=["recipient", "sent_at"],
                condition=Q(state="sent", nudge_class="engagement"),
                name="nudge_caps_idx",
            ),
            models.Index(
                fields=["recipient", "actor"], condition=Q(state="pending"), name="nudge_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.state})"


class Notification(UUIDModel):
    """One entry in a person's in-app inbox: written exactly once per nudge, in the words of
    the recipient's language at the moment it was sent."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "notification"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    nudge = models.OneToOneField(
        Nudge, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )
    kind = models.CharField(max_length=48)
    subject_id = models.UUIDField()
    title = models.CharField(max_length=200, blank=True)
    body = models.CharField(max_length=500, blank=True)
    # Title and body keep "%(actor)s" where the person who caused it is named: the name is
    # rendered when the inbox is read (nudges.inbox.notification_text), so after a couple
    # ends it reads "your former partner", and no table keeps anyone's name. False only on
    # rows written before names were rendered at read time.
    names_at_read = models.BooleanField(default=False)
    due_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "due_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient", "updated_at", "id"], name="notification_sync_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class PlannerRun(models.Model):
    """A UTC minute the planner has planned. A tick after an outage catches up on the minutes
    it missed (bounded), and a second tick for the same minute finds it done."""

    minute = models.DateTimeField(primary_key=True)
    planned = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"planner run {self.minute:%Y-%m-%d %H:%M}"


class Delivery(UUIDModel):
    """One sent nudge's copy on one channel besides the inbox (for push, on one phone).

    It exists once per (nudge, channel[, device]) and is claimed (pending → sending) in its
    own short transaction before the provider is called, then marked: so a retried or
    duplicated task never sends it twice. A row left in "sending" by a crash is never sent
    again (docs/delivery-semantics.md). `last_error` is a code, never the message's words."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16)
    # Push only. A token that moves to a new owner takes its undelivered copies with it.
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=64, blank=True)
    # The provider's id for what it accepted (an FCM message name, an email Message-ID).
    provider_id = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["nudge", "channel", "device"],
                condition=Q(device__isnull=False),
                name="delivery_once_per_device",
            ),
            models.UniqueConstraint(
                fields=["nudge", "channel"],
                condition=Q(device__isnull=True),
                name="delivery_once_per_channel",
            ),
        ]
        indexes = [
            # The beat's re-dispatch reads only pending rows, oldest due first.
            models.Index(
                fields=["next_attempt_at"], condition=Q(state="pending"), name="delivery_due_idx"
            ),
            # Rows a crash left in flight, for the operator (and to mark them interrupted).
            models.Index(
                fields=["claimed_at"], condition=Q(state="sending"), name="delivery_sending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} copy of {self.nudge_id} ({self.state})"
