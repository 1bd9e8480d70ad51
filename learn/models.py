"""Lessons, their versions and texts, and what one person did with them.

A lesson's words are never edited in place: a coach's change writes a new `LessonVersion`
with one `LessonText` per language (English now; another language is one more row per
version, English the fallback). A lesson that is no longer wanted is retired (`is_active`),
never deleted: what people did with it keeps pointing at it.

What a person does with a lesson (read, put aside, a private reflection, a share) is theirs:
`LessonProgress` and `LessonOffer` are never shown to the partner or a coach, and
`learn/data_rights.py` puts them in the person's export and deletes them with the person."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fields import EncryptedTextField
from common.models import UUIDModel

ENGLISH = "en"


class Feature(models.TextChoices):
    """The Haven feature that practises a lesson: a typed link the app knows how to open."""

    TONE_CHECK = "tone_check", _("Phrasing help")
    CONVERSATION_REQUEST = "conversation_request", _("Can we talk?")
    SPACE = "space", _("Taking space")
    BOUNDARIES = "boundaries", _("Boundaries")
    AGREEMENTS = "agreements", _("Agreements")
    BRIDGE = "bridge", _("The daily bridge")
    APPRECIATIONS = "appreciations", _("Appreciations")
    COACH_GRANTS = "coach_grants", _("Inviting a coach")
    LOVE_LANGUAGES = "love_languages", _("Love languages")
    CHECKINS = "checkins", _("Check-ins")
    REASSURANCES = "reassurances", _("Reassurances")


class Lesson(UUIDModel):
    """One short lesson, named by a stable slug the app and the rule table use."""

    slug = models.SlugField(max_length=60, unique=True)
    # Its place in the list (the source guide's strategy number for the first fifteen).
    position = models.PositiveSmallIntegerField(default=100)
    feature = models.CharField(max_length=32, choices=Feature.choices)
    is_active = models.BooleanField(_("offered"), default=True)
    current_version = models.ForeignKey(
        "learn.LessonVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class LessonVersion(models.Model):
    """One version of a lesson's words, in every language it has. Written once."""

    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "number"], name="lesson_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} v{self.number}"


class LessonText(models.Model):
    """A version's words in one language. Every field is Haven's own writing: a title, the
    60-90 second read, what it means from each side (needing space, wanting closeness), one
    small thing to try today and one question to answer privately."""

    version = models.ForeignKey(LessonVersion, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=8, default=ENGLISH)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=2000)
    for_space = models.TextField(_("if you need space"), max_length=800)
    for_closeness = models.TextField(_("if you want closeness"), max_length=800)
    try_today = models.TextField(_("one small thing to try today"), max_length=400)
    reflection_question = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="lesson_text_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title


class LessonProgress(UUIDModel):
    """What one person did with one lesson: theirs alone. `reflection` is encrypted at rest
    like a private note; nobody but its author ever reads it (not the partner, not a coach,
    not an admin page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="progress")
    completed_at = models.DateTimeField(null=True, blank=True)
    # Put aside: not offered again for a while (learn.rules.DISMISSED_FOR).
    dismissed_at = models.DateTimeField(null=True, blank=True)
    reflection = EncryptedTextField(blank=True, max_length=4000)
    reflection_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.lesson_id}"


class LessonOffer(models.Model):
    """The lesson offered to one person on one of their local days (at most one a day), and
    why: the rule table's reason code. Kept so the same lesson is not offered again soon.
    Its UUID is the subject of the day's `lesson_idea` nudge."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="lesson_offer_once_a_day")
        ]
        indexes = [
            models.Index(fields=["user", "lesson", "local_date"], name="lesson_offer_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.local_date}: {self.lesson_id} for {self.user_id}"


class LessonShare(UUIDModel):
    """ "I read about giving space today": a person chose to tell their partner they read a
    lesson. It names the lesson only; progress, reflections and how often stay private. One
    per lesson and couple: sharing again answers like the first time."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_shares_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_shares_received"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "author", "lesson"], name="lesson_share_once_per_couple"
            ),
            models.CheckConstraint(
                condition=~Q(author=models.F("recipient")), name="lesson_share_to_the_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"Lesson share {self.pk}"
