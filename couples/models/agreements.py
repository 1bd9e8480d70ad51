import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel
from couples.models.couples import Couple


class Agreement(UUIDModel):
    """A compromise two partners reach together: negotiated in revisions, accepted by the
    partner who did not write the latest one, reviewed (kept), changed or retired by both.
    It belongs to the couple; when the couple ends, what both accepted stays readable to
    both, archived, and a proposal never accepted stays with the one who proposed it
    (DESIGN, "Agreements (compromise)"). The allowed moves between states are in
    `couples.agreement_states.TRANSITIONS`."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "agreement"

    class State(models.TextChoices):
        NEGOTIATING = "negotiating", _("Negotiating")
        SNOOZED = "snoozed", _("Taking time")
        ACTIVE = "active", _("Active")
        # Active, with a change being talked over (the API says `active` + `pending_change`).
        CHANGING = "changing", _("Active, a change proposed")
        CHANGE_SNOOZED = "change_snoozed", _("Active, taking time over a change")
        RETIRING = "retiring", _("Retiring")
        RETIRED = "retired", _("Retired")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEGOTIATING)
    # The newest revision still standing (what is being answered) and the one both accepted
    # (what is in force). While a change is negotiated they differ: the old terms stay active.
    latest_revision = models.ForeignKey(
        "AgreementRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active_revision = models.ForeignKey(
        "AgreementRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_on = models.DateField(null=True, blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retire_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retire_requested_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "negotiating",
                        "snoozed",
                        "active",
                        "changing",
                        "change_snoozed",
                        "retiring",
                        "retired",
                        "closed",
                        "withdrawn",
                    ]
                ),
                name="agreement_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["snoozed", "change_snoozed"])
                | Q(snoozed_until__isnull=False),
                name="agreement_snoozed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["couple", "state"], name="agreement_couple_state_idx"),
            models.Index(fields=["couple", "updated_at", "id"], name="agreement_sync_idx"),
        ]

    def __str__(self) -> str:
        # Never the title or terms: they are the couple's private words.
        return f"Agreement {self.pk} ({self.state})"


class AgreementRevision(models.Model):
    """One proposal, counter or change, as its author wrote it: the terms, their own need
    and what they understand the partner's need to be (a compromise names both sides).
    The words are written once, never changed: the history of how two people got there
    stays whole. An author who amends writes a new revision; one who takes a version back
    marks it `withdrawn_at` (then only they still see it, and its number is free again, so
    the partner's history never shows a gap)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The version this one answers (a counter: the partner's; a change: the terms in force;
    # an amendment: what the amended one answered); none for revision 1. Taking this one
    # back returns the agreement to it.
    answers = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    terms = models.TextField(max_length=2000)
    my_need = models.TextField(max_length=1000)
    your_need_as_i_understand = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                condition=Q(withdrawn_at__isnull=True),
                name="agreement_revision_once_per_number",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="agreement_revision_from_1"),
        ]

    def __str__(self) -> str:
        return f"Agreement {self.agreement_id} r{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("An agreement revision is read-only once written.")
        super().save(*args, **kwargs)
