"""Every person has a nudge settings row from the start, and its copy of the person's time
zone follows the person's own.

The row written at sign-up is the planner's index, not a fallback for readers: the planner
finds who is due with one indexed query on this table (planner.due_people_query), so
default check-in reminders at 20:00 reach people who never changed a setting. Readers never
write a row (nudges.selectors.nudge_settings_of gives unsaved defaults); the first change
does (nudges.services.nudge_settings_update)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from accounts.sessions import other_sessions_ended
from nudges.models import NudgeSettings
from nudges.services import devices_remove_other_sign_ins


@receiver(post_save, sender=User, dispatch_uid="nudges_settings_follow_user")
def _settings_follow_user(sender, instance: User, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    if created:
        NudgeSettings.objects.get_or_create(
            user=instance, defaults={"time_zone": instance.time_zone}
        )
    else:
        NudgeSettings.objects.filter(user=instance).exclude(time_zone=instance.time_zone).update(
            time_zone=instance.time_zone
        )


@receiver(other_sessions_ended, dispatch_uid="nudges_devices_follow_sign_ins")
def _devices_follow_sign_ins(sender, user: User, kept_fingerprint: str | None, **kwargs) -> None:
    """A phone whose sign-in ended (signed out everywhere else, a password change or reset)
    receives nothing more of this person's."""
    devices_remove_other_sign_ins(user=user, kept_fingerprint=kept_fingerprint)
