from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel


class Couple(UUIDModel):
    """Two people who paired by invite. Ending is immediate and one-sided; the row stays so
    that what both accepted together remains readable, archived."""

    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("couple")
        verbose_name_plural = _("couples")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("created_at")),
                name="couple_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        # Named by the two who paired, inviter first ("Sam & Alex"), even after it ended: that
        # is how a coach or an operator knows it. Lists prefetch `memberships__user`, which
        # this reads, so a page of couples costs no query per row.
        members = sorted(self.memberships.all(), key=lambda membership: membership.pk)
        return " & ".join(str(membership.user) for membership in members) or f"Couple {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class MembershipQuerySet(models.QuerySet):
    def current_for_self(self) -> MembershipQuerySet:
        """Memberships their own person still sees as current: not left, and not one whose
        person asked to leave with a delay (`DelayedEnd`). For the one leaving, the couple
        reads as ended from the moment they ask; the partner's side is untouched (the
        partner's own membership, and the leaver's as the partner sees it, stay current
        until the end runs). Every "my couple" read starts here, so this is the one place
        that decides it."""
        leaving = DelayedEnd.objects.filter(
            couple_id=OuterRef("couple_id"),
            leaver_id=OuterRef("user_id"),
            completed_at__isnull=True,
        )
        return self.filter(left_at__isnull=True).exclude(Exists(leaving))


class Membership(models.Model):
    """A person's place in a couple. The partial unique index is what guarantees, even under
    racing accepts, that a person is in at most one active couple."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(left_at__isnull=True),
                name="one_active_couple_per_user",
            ),
            models.UniqueConstraint(fields=["couple", "user"], name="membership_once_per_couple"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.couple_id}"


class SpacePeriod(UUIDModel):
    """'Taking some space': an explicit, visible state, never silence. Ends by itself at
    `ends_at`; an open-ended one carries a check-back time instead."""

    class Reassurance(models.TextChoices):
        NOT_ABOUT_YOU = "not_about_you", _("This is about my energy, not about you.")
        RECHARGING = "recharging", _("I'm recharging so I can be present with you.")
        STILL_CARE = "still_care", _("I still care about you while I'm quiet.")
        BACK_SOON = "back_soon", _("I'll come back to you soon.")
        THINKING_OF_YOU = "thinking_of_you", _("I'm thinking of you even while I rest.")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_periods"
    )
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="space_periods")
    ends_at = models.DateTimeField(null=True, blank=True)
    check_back_at = models.DateTimeField(null=True, blank=True)
    reassurance = models.CharField(max_length=32, choices=Reassurance.choices, blank=True)
    reassurance_text = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=False) | Q(check_back_at__isnull=False),
                name="space_has_an_end_or_a_check_back",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(ended_at__isnull=True), name="one_open_space_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Space for {self.user_id}"


class DelayedEnd(UUIDModel):
    """Leaving safely (issue 16): a person ended the couple and asked that the partner see it
    only later (at most 24 hours). From `requested_at` the leaver sees
    the couple as ended (`Membership.objects.current_for_self`), the partner sees it exactly
    as it was, and nothing the partner sends reaches the leaver; at `due_at` the ordinary
    end runs (`couples.services.leaving.delayed_ends_complete_due`). Never shown to the
    partner, a coach or an export of the partner."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="delayed_ends")
    leaver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delayed_ends"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple"],
                condition=Q(completed_at__isnull=True),
                name="one_pending_delayed_end_per_couple",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("requested_at")),
                name="delayed_end_due_after_request",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(completed_at__isnull=True),
                name="delayed_end_pending_due",
            )
        ]

    def __str__(self) -> str:
        return f"Delayed end of {self.couple_id}"
