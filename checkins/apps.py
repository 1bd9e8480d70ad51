from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "checkins"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from checkins import (
            data_rights,  # noqa: F401 - registers export sections and deletion rules
            receivers,  # noqa: F401 - connects receivers
        )
        from checkins.nudging import register

        register()  # the nudge kinds this app owns
