from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "nudges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nudges import receivers  # noqa: F401 - connects receivers
        from nudges.channels.deliveries import channels_announce

        channels_announce()
