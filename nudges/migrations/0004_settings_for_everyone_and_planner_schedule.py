from django.db import migrations

PLANNER = "Nudges: plan and dispatch (every minute)"


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    NudgeSettings = apps.get_model("nudges", "NudgeSettings")
    have = set(NudgeSettings.objects.values_list("user_id", flat=True))
    NudgeSettings.objects.bulk_create(
        [
            NudgeSettings(user_id=pk, time_zone=zone)
            for pk, zone in User.objects.values_list("pk", "time_zone").iterator()
            if pk not in have
        ],
        batch_size=1000,
    )
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=PLANNER,
        defaults={"task": "nudges.tasks.plan_and_dispatch", "interval": every_minute},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=PLANNER).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("nudges", "0003_nudge_nudgesettings_plannerrun_and_more"),
        ("accounts", "0002_lovelanguages_preferences"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
