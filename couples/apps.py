from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "couples"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from couples import (
            data_rights,  # noqa: F401 - registers export sections and deletion rules
            receivers,  # noqa: F401 - connects receivers
        )
        from couples.nudging import register

        register()  # the nudge kinds this app owns
