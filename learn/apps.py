from django.apps import AppConfig


class LearnConfig(AppConfig):
    """Lessons: the top of the import graph. It reads `couples` and `checkins` through their
    selectors and registers what it adds with the apps below it; nothing imports it."""

    name = "learn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from learn import data_rights  # noqa: F401 - registers export sections and deletion
        from learn.nudging import register

        register()  # lesson_idea and lesson_shared; the lessons a coach may attach
