from django.conf import settings
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel

# Sent after a bulk write to prompts (which sends no post_save): the library each process
# holds listens (`checkins.library`).
prompts_changed = Signal()


class PromptQuerySet(models.QuerySet):
    """Bulk writes say that the library changed, as a save or a delete does through the
    model's own signals (the admin's "retire the selected prompts" is an update)."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        prompts_changed.send(sender=self.model)
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        prompts_changed.send(sender=self.model)
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        prompts_changed.send(sender=self.model)
        return rows


class Prompt(UUIDModel):
    """A question a couple may answer in their check-in. Curated by coaches in the admin;
    the seeded library is in migration 0002 (its Spanish in 0006). A prompt that is no
    longer wanted is made inactive rather than deleted: the dates it was given keep
    pointing at it.

    `text` is the English; `translations` holds the same prompt in each other shipped
    language (`{"es": "…"}`), written by people side by side with the English in the
    admin. A reader whose language has no text yet gets the English: adding a language
    needs no migration, only translations."""

    class Depth(models.TextChoices):
        LIGHT = "light", _("Light")
        MEDIUM = "medium", _("Medium")
        DEEP = "deep", _("Deep")

    class Theme(models.TextChoices):
        GRATITUDE = "gratitude", _("Gratitude")
        MEMORIES = "memories", _("Memories")
        EVERYDAY = "everyday", _("Everyday")
        PLAY = "play", _("Play")
        DREAMS = "dreams", _("Dreams")
        NEEDS = "needs", _("Needs")
        REPAIR = "repair", _("Repair")
        APPRECIATION = "appreciation", _("Appreciation")
        SPACE = "space", _("Space")
        CLOSENESS = "closeness", _("Closeness")

    text = models.CharField(_("text (English)"), max_length=300)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        # Rows written by code that predates the field (a seeding migration, an old process
        # during a deploy) have no translations rather than failing.
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
        help_text=_("The prompt in each other language, by language code."),
    )
    depth = models.CharField(_("depth"), max_length=8, choices=Depth.choices)
    theme = models.CharField(_("theme"), max_length=40, choices=Theme.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        indexes = [models.Index(fields=["depth", "is_active"], name="prompt_depth_idx")]

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str | None) -> str:
        """The prompt in `language` ("es", or a regional "es-mx"), else the English."""
        if language:
            for code in (language.lower(), language.lower().split("-")[0]):
                text = (self.translations or {}).get(code)
                if text:
                    return str(text)
        return self.text


class PromptAssignment(models.Model):
    """The prompt of one calendar date, for a couple (both partners get the same one) or,
    before pairing, for one person. Once made, a date's assignment never changes."""

    couple = models.ForeignKey(
        "couples.Couple", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    local_date = models.DateField()
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(couple__isnull=False, user__isnull=True)
                | Q(couple__isnull=True, user__isnull=False),
                name="prompt_assignment_for_couple_or_person",
            ),
            models.UniqueConstraint(
                fields=["couple", "local_date"],
                condition=Q(couple__isnull=False),
                name="one_prompt_per_couple_day",
            ),
            models.UniqueConstraint(
                fields=["user", "local_date"],
                condition=Q(user__isnull=False),
                name="one_prompt_per_person_day",
            ),
        ]
        indexes = [
            # "When did this couple (or person) last get this prompt?", asked for every
            # candidate prompt when a date is assigned: one index probe each.
            models.Index(
                fields=["couple", "prompt", "local_date"],
                condition=Q(couple__isnull=False),
                name="prompt_last_use_couple_idx",
            ),
            models.Index(
                fields=["user", "prompt", "local_date"],
                condition=Q(user__isnull=False),
                name="prompt_last_use_person_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_date}: {self.prompt_id}"
