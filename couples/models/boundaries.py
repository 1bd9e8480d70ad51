from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel


class Boundary(UUIDModel):
    """Something a person states about themselves: a need, a limit or a non-negotiable.
    It belongs to its owner, not to a couple: a person keeps boundaries before pairing and
    after a couple ends, and a partner sees only the shared, active ones. There is no
    consequence ("or else") field on purpose: a boundary says what I need, not what I will
    do to you (DESIGN, principle 4)."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "boundary"

    class Kind(models.TextChoices):
        NEED = "need", _("Need")
        LIMIT = "limit", _("Limit")
        NON_NEGOTIABLE = "non_negotiable", _("Non-negotiable")

    class Visibility(models.TextChoices):
        SHARED = "shared", _("Shared with my partner")
        PRIVATE = "private", _("Only me")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boundaries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=500)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    revisit_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="boundary_version_from_1"),
        ]
        indexes = [
            models.Index(fields=["owner", "created_at"], name="boundary_owner_list_idx"),
            models.Index(fields=["owner", "updated_at", "id"], name="boundary_sync_idx"),
        ]

    def __str__(self) -> str:
        # Never the text: a private boundary's words must not reach logs or admin pages.
        return f"Boundary {self.pk} (v{self.version})"

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.SHARED

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class BoundaryRevision(models.Model):
    """A boundary as it read at one version (version 1 is the creation). Written once, never
    changed: the owner's history stays whole, and a partner's view of it can be filtered by
    what was shared at the time."""

    boundary = models.ForeignKey(Boundary, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Boundary.Kind.choices)
    text = models.CharField(max_length=500)
    visibility = models.CharField(max_length=8, choices=Boundary.Visibility.choices)
    revisit_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["boundary", "version"], name="boundary_revision_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"Boundary {self.boundary_id} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A boundary revision is read-only once written.")
        super().save(*args, **kwargs)


class BoundaryAcknowledgement(models.Model):
    """The partner's "I've read this" for one version of a shared boundary. A new version
    needs a new acknowledgement, so the owner knows which wording was read."""

    boundary = models.ForeignKey(
        Boundary, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["boundary", "user", "version"], name="boundary_ack_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.boundary_id} v{self.version}"
