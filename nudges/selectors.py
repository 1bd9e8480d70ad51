from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from common.compiled import CompiledLookup
from common.i18n import language_of
from common.models import row_or_default
from nudges.kinds import relations
from nudges.models import Device, Notification, Nudge, NudgeSettings


def nudge_settings_of(*, user: User) -> NudgeSettings:
    """A person's nudge settings. Everyone has a row from signing up (the planner's index);
    for anyone without one these are the unsaved defaults, in their time zone: reading never
    writes (the first change does, `nudge_settings_update`)."""
    return row_or_default(
        user, "nudge_settings", NudgeSettings, user=user, time_zone=user.time_zone
    )


def devices_of(user) -> QuerySet[Device]:
    """A person's devices are listed for them alone."""
    return Device.objects.filter(user=user)


def _unread(*, recipient_id: Any) -> QuerySet:
    """The count of a person's unread notifications, as a row (none when there are none)."""
    return (
        Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True)
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread")
    )


def _inbox(*, recipient_id: Any) -> QuerySet[Notification]:
    """The inbox's rows, each carrying the number of the reader's unread notifications
    (`unread_in_inbox`, the app's badge) and, for each registered relation, whether it
    holds for the row's actor (`names_read_with`): read with the page in the same
    statement, two round trips fewer per page, in the same snapshot as the rows (issue 17)."""
    unread = Coalesce(Subquery(_unread(recipient_id=recipient_id)), 0)
    actor = OuterRef("nudge__actor_id")
    held = {
        f"{_HOLDS}{index}": ExpressionWrapper(
            relation.holds(recipient_id, actor), output_field=BooleanField()
        )
        for index, relation in enumerate(relations())
    }
    return (
        Notification.objects.filter(recipient_id=recipient_id)
        .select_related("nudge__actor")
        .defer(*INBOX_COLUMNS_UNREAD)
        .annotate(unread_in_inbox=unread, **held)
    )


# What an inbox row reads of its nudge and actor: who the actor is, and their name. The rest
# (the nudge's schedule, state and moments; the actor's password hash, email and moments)
# stays in PostgreSQL: 26 columns a row, 20 rows a page (issue 17). Reading one would cost a
# query per row; `tests/nudges/test_inbox_api.py` walks every reader of the rows.
INBOX_COLUMNS_UNREAD = tuple(
    f"nudge__{field.name}"
    for field in Nudge._meta.concrete_fields
    if field.name not in ("id", "actor")
) + tuple(
    f"nudge__actor__{field.name}"
    for field in User._meta.concrete_fields
    if field.name not in ("id", "display_name")
)


# Each inbox row's answer for the registered relation at that index (`_inbox`).
_HOLDS = "relation_holds_for_actor_"
_NOT_READ = object()


def names_read_with(notification: Notification) -> dict[Any, str] | None:
    """What the registered relations call the row's actor, {actor id: words}, as the inbox's
    statement read them beside the row; None for a row read without them."""
    names: dict[Any, str] = {}
    for index, relation in enumerate(relations()):
        holds = notification.__dict__.get(f"{_HOLDS}{index}", _NOT_READ)
        if holds is _NOT_READ:
            return None
        if holds:
            names[notification.nudge.actor_id] = str(relation.words)  # type: ignore[union-attr]
    return names


# The inbox's pages, composed once per connection and page shape (common.compiled).
_INBOX = CompiledLookup("inbox", _inbox, recipient_id=User._meta.pk)


def notifications_of(user, *, compiled: bool = False) -> QuerySet[Notification]:
    """A person's inbox: what was sent to them, for them alone. Nothing here says whether
    anyone else read anything. With `compiled`, for a list's pages: a `CompiledQuerySet`
    standing in for the same queryset, its statement composed once per page shape."""
    return _INBOX.queryset(compiled=compiled, recipient_id=user.pk)


# Composed once per database connection (common.compiled): every inbox page counts them.
_UNREAD = CompiledLookup("unread_notifications", _unread, recipient_id=User._meta.pk)


def unread_count_of(user, *, page: Sequence[Notification] = ()) -> int:
    """The number of a person's unread notifications: as the first row of an inbox `page`
    carries it, or else counted (an empty page)."""
    if page:
        return int(getattr(page[0], "unread_in_inbox"))  # noqa: B009 (an annotation)
    rows = _UNREAD.all(recipient_id=user.pk)
    return rows[0][0] if rows else 0


def language_of_person(user_id) -> str:
    """The language a page for this person is written in (their `locale`, English when
    they chose none Haven ships, or have left)."""
    return language_of(User.objects.filter(pk=user_id).only("locale").first())
