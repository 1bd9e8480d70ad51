"""Every person has nudge settings from the start, and their copy of the person's time zone
(the planner's index) follows the person's own."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from nudges.models import NudgeSettings


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
