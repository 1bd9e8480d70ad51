from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel
from couples.models.couples import Couple

COACHES_GROUP = "Coaches"


class CoachProfile(models.Model):
    """A coach's public handle: the code partners type to invite them. Made when a person
    joins the Coaches group (couples.receivers), so the code exists before anyone asks."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_profile"
    )
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coach profile")
        verbose_name_plural = _("coach profiles")

    def __str__(self) -> str:
        return f"Coach {self.user_id}"


class CoachGrant(UUIDModel):
    """Both partners' consent for one coach to see their couple's shared content in the
    admin. Pending until both consented; then active until it expires, either partner
    revokes it, or the couple ends. Renewing needs both again (a new `round`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for both partners")
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")
        ENDED = "ended", _("Ended with the couple")

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="coach_grants")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_grants_received"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # 0 is the first consent; each renewal asks both partners again under the next number.
    round = models.PositiveIntegerField(default=0)
    activated_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "coach"],
                condition=Q(status__in=["pending", "active"]),
                name="one_live_coach_grant_per_couple_and_coach",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(expires_at__isnull=False),
                name="coach_grant_active_has_expiry",
            ),
        ]
        indexes = [
            models.Index(fields=["coach", "status", "expires_at"], name="coach_grant_scope_idx"),
        ]

    def __str__(self) -> str:
        return f"Coach grant {self.pk} ({self.status})"


class CoachConsent(models.Model):
    """One partner's yes to one round of a grant (the first consent or a renewal)."""

    grant = models.ForeignKey(CoachGrant, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "user", "round"], name="coach_consent_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} consents to {self.grant_id} (round {self.round})"


class CoachNote(UUIDModel):
    """A coach's words to both partners, written in the admin and delivered as a nudge."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="coach_notes")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=2000)
    # A short read the coach attached, by its slug: one the lessons app registered as
    # attachable (couples.coach_lessons), checked when the note is written. Blank for none.
    lesson = models.SlugField(max_length=60, blank=True)

    class Meta:
        indexes = [models.Index(fields=["couple", "created_at"], name="coach_note_couple_idx")]

    def __str__(self) -> str:
        return f"Coach note {self.pk}"


class CoachAccess(models.Model):
    """One coach view of a couple's data: who, which couple, what, when. Written by the
    admin, never changed; it names what was seen (a list row, the couple page), never the
    words on it."""

    class What(models.TextChoices):
        LIST_ROW = "list_row", _("Saw the couple in a list")
        COUPLE_PAGE = "couple_page", _("Opened the couple's page")

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept when the coach's account goes, so partners still see who it was.
    coach_name = models.CharField(max_length=254)
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="coach_accesses")
    what = models.CharField(max_length=16, choices=What.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("coach access")
        verbose_name_plural = _("coach access log")
        indexes = [models.Index(fields=["couple", "created_at"], name="coach_access_couple_idx")]

    def __str__(self) -> str:
        return f"{self.coach_name}: {self.what} of {self.couple_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("An audit entry is read-only once written.")
        super().save(*args, **kwargs)
