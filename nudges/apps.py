from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "nudges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django imports this module before any model is loaded, so what touches models comes
        # in here, once the registry is ready (Django's documented place for receivers).
        from nudges import (
            data_rights,  # noqa: F401 - registers export sections and deletion rules
            receivers,  # noqa: F401 - connects receivers
        )
        from nudges.channels.sending import channels_announce

        channels_announce()
