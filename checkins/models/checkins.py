from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Case, F, OuterRef, Prefetch, Q, When
from django.db.models.functions import JSONObject
from django.utils.translation import gettext_lazy as _

from common.fields import EncryptedTextField
from common.models import UUIDModel


def prompts_from_library(checkins: Iterable[CheckIn], *, library: Any = None) -> None:
    """Give each check-in its prompt from the library this process holds
    (`checkins.library`), or the `library` the caller already read, instead of through a
    join: no prompt row read or built again for every check-in. A prompt the library does
    not hold yet loads as any relation does."""
    from checkins.library import prompt_library

    for checkin in checkins:
        if checkin.prompt_id is not None:
            library = library if library is not None else prompt_library()
            prompt = library.get(checkin.prompt_id)
            if prompt is not None:
                checkin.prompt = prompt


# The reader's own private note, read beside each row (`CheckInQuerySet.private_notes_of`).
OWN_PRIVATE_NOTE = "own_private_note"


def own_private_notes_in_place(checkins: Iterable[CheckIn]) -> None:
    """Each of the reader's own check-ins gets its private note from the column read beside
    it; another author's (NULL there: the column itself is never NULL) keeps it unread."""
    for checkin in checkins:
        note = checkin.__dict__.pop(OWN_PRIVATE_NOTE, None)
        if note is not None:
            checkin.private_note = note


class _FinishedRows(models.query.ModelIterable):
    """Check-ins as Django makes them, then `finish`: each of `steps` over the rows (a
    `common.compiled.CompiledLookup` replaying the statement calls `finish` too)."""

    steps: ClassVar[tuple[Any, ...]] = ()

    @classmethod
    def finish(cls, rows: list[CheckIn]) -> None:
        for step in cls.steps:
            step(rows)

    def __iter__(self):
        rows = list(super().__iter__())
        self.finish(rows)
        yield from rows


_FINISHED: dict[tuple[Any, ...], type[_FinishedRows]] = {}


def _finished_with(queryset: CheckInQuerySet, step: Any) -> CheckInQuerySet:
    """`queryset`, its rows finished by `step` too (once, after the steps it has)."""
    steps = getattr(queryset._iterable_class, "steps", ())
    if step not in steps:
        steps = (*steps, step)
    iterable = _FINISHED.get(steps)
    if iterable is None:
        iterable = _FINISHED[steps] = type("CheckInRows", (_FinishedRows,), {"steps": steps})
    clone = queryset.all()
    clone._iterable_class = iterable
    return clone


class CheckInQuerySet(models.QuerySet):
    def with_prompts(self) -> CheckInQuerySet:
        """Each check-in's prompt, from the process's prompt library (`prompts_from_library`):
        what `select_related("prompt")` gives, without the join."""
        return _finished_with(self, prompts_from_library)

    def private_notes_of(self, viewer_id: Any) -> CheckInQuerySet:
        """Private notes leave PostgreSQL on the viewer's own check-ins alone: another
        author's rows (a partner's) come without theirs, never fetched nor decrypted in this
        process, and reading it there would cost a query of its own (the pinned budgets
        catch one); the viewer's own come beside each row and are put in place."""
        notes = Case(
            When(author_id=viewer_id, then=F("private_note")),
            output_field=EncryptedTextField(),
        )
        return _finished_with(
            self.defer("private_note").annotate(**{OWN_PRIVATE_NOTE: notes}),
            own_private_notes_in_place,
        )

    def with_acknowledgements(self) -> CheckInQuerySet:
        """Each check-in's reactions (oldest first) in a column of its own row, read by
        `CheckIn.acknowledgements_shown`: what a prefetch gives, without a second query. The
        column is PostgreSQL's (an array subquery); the embedded SQLite of `make run` reads
        the same reactions with a prefetch instead."""
        if connections[self.db].vendor != "postgresql":
            return self.prefetch_related(
                Prefetch("acknowledgements", Acknowledgement.objects.order_by("created_at"))
            )
        rows = (
            Acknowledgement.objects.filter(checkin=OuterRef("pk"))
            .order_by("created_at")
            .values(
                row=JSONObject(
                    id="id",
                    by_id="by_id",
                    reaction="reaction",
                    created_at="created_at",
                    updated_at="updated_at",
                )
            )
        )
        return self.annotate(acknowledgement_rows=ArraySubquery(rows))

    def shared_in(self, couple) -> CheckInQuerySet:
        """What a partner may ever be shown or signalled of a check-in (its state, the bridge,
        trends, nudges, the signals lessons read): written in this couple, not a pass, and
        shared. An unsent check-in is absent, exactly as if it had never been written."""
        return self.filter(couple=couple, passed=False, is_shared=True)


class CheckIn(UUIDModel):
    """One person's check-in for one local calendar date: a few dials, optional words, or a
    pass. A pass is private and never counted against anyone."""

    # Phone sync: the Tombstone kind of these objects (common/sync.py).
    SYNC_KIND: ClassVar[str] = "checkin"
    # What a check-in answers; a pass carries none of them. The private note is not among
    # them: it is its author's alone, and a pass may keep one.
    ANSWER_FIELDS: ClassVar[tuple[str, ...]] = (
        "mood",
        "energy",
        "dial",
        "capacity",
        "shared_note",
        "prompt_answer",
    )

    class Capacity(models.TextChoices):
        NOT_TODAY = "not_today", _("Not today")
        LIGHT = "light", _("Something light")
        DEEPER = "deeper", _("Open to something deeper")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    local_date = models.DateField()
    # The couple this was shared with: a check-in written alone, or with an earlier partner,
    # is never revealed to a later one.
    couple = models.ForeignKey(
        "couples.Couple", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    passed = models.BooleanField(default=False)
    mood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    energy = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    dial = models.SmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
        help_text=_("-2 'I'd like space' … +2 'I'd like closeness'"),
    )
    capacity = models.CharField(max_length=16, choices=Capacity.choices, blank=True)
    shared_note = models.CharField(max_length=1000, blank=True)
    # Seen by its author alone: encrypted at rest, never in a partner's response.
    private_note = EncryptedTextField(blank=True)
    prompt = models.ForeignKey(
        "checkins.Prompt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prompt_answer = models.CharField(max_length=1000, blank=True)
    # "Unsend": the shared answers become private again; the partner no longer sees them.
    # Only the author's explicit "share" makes it shared again, never an edit.
    is_shared = models.BooleanField(default=True)

    objects = CheckInQuerySet.as_manager()
    # Set by `CheckInQuerySet.with_acknowledgements` (rows of JSON), else absent.
    acknowledgement_rows: list[dict[str, Any]]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "local_date"], name="one_checkin_per_day"),
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | Q(mood__gte=1, mood__lte=5),
                name="checkin_mood_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(energy__isnull=True) | Q(energy__gte=1, energy__lte=5),
                name="checkin_energy_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(dial__isnull=True) | Q(dial__gte=-2, dial__lte=2),
                name="checkin_dial_minus2_to_2",
            ),
            models.CheckConstraint(
                condition=Q(passed=False)
                | Q(
                    mood__isnull=True,
                    energy__isnull=True,
                    dial__isnull=True,
                    capacity="",
                    shared_note="",
                    prompt_answer="",
                ),
                name="checkin_pass_carries_no_answers",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "local_date"], name="checkin_author_date_idx"),
            models.Index(fields=["author", "updated_at", "id"], name="checkin_sync_idx"),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.local_date} by {self.author_id}"

    @property
    def acknowledgements_shown(self) -> list[Acknowledgement]:
        """The reactions on this check-in, oldest first: from the column
        `CheckInQuerySet.with_acknowledgements` loaded, else from the (prefetched) relation."""
        rows = getattr(self, "acknowledgement_rows", None)
        if rows is None:
            return list(self.acknowledgements.all())
        return [
            Acknowledgement(
                id=uuid.UUID(row["id"]),
                checkin=self,
                by_id=uuid.UUID(row["by_id"]),
                reaction=row["reaction"],
                created_at=dt.datetime.fromisoformat(row["created_at"]),
                updated_at=dt.datetime.fromisoformat(row["updated_at"]),
            )
            for row in rows
        ]


class Acknowledgement(UUIDModel):
    """A warm reaction to a partner's revealed check-in: no reply owed, no 'seen' marker."""

    class Reaction(models.TextChoices):
        THANKS = "thanks", _("Thanks for sharing")
        HUG = "hug", _("Sending a hug")
        HEART = "heart", _("With you")
        SUN = "sun", _("Glad to hear it")
        TEA = "tea", _("Here if you need me")

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="acknowledgements")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reaction = models.CharField(max_length=16, choices=Reaction.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkin", "by"], name="one_acknowledgement_each")
        ]

    def __str__(self) -> str:
        return f"{self.reaction} on {self.checkin_id}"


class CheckinSettings(models.Model):
    """Per person: whether the partner may learn 'has checked in' before they check in
    themselves, and whether deeper prompts are welcome (both partners must opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_settings"
    )
    announce_checked_in = models.BooleanField(default=True)
    deeper_prompts = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Check-in settings of {self.user_id}"
