from django.db.models import QuerySet

from accounts.models import User
from common.i18n import language_of
from common.models import row_or_default
from nudges.models import Device, Notification, NudgeSettings


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


def notifications_of(user) -> QuerySet[Notification]:
    """A person's inbox: what was sent to them, for them alone. Nothing here says whether
    anyone else read anything."""
    return Notification.objects.filter(recipient=user).select_related("nudge__actor")


def unread_count_of(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def language_of_person(user_id) -> str:
    """The language a page for this person is written in (their `locale`, English when
    they chose none Haven ships, or have left)."""
    return language_of(User.objects.filter(pk=user_id).only("locale").first())
