from django.db import migrations

TASKS = {
    "Agreements: wake snoozed (every 10 minutes)": "couples.tasks.wake_snoozed_agreements",
    "Agreements: finish unanswered retirements (hourly)": "couples.tasks.finish_retiring_agreements",
}


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_ten, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    for (name, task), interval in zip(TASKS.items(), (every_ten, hourly), strict=True):
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=TASKS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("couples", "0004_conversation_requests"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
