from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "checkins"
    verbose_name = _("Check-ins")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from checkins import (
            data_rights,  # noqa: F401 - registers export sections and deletion rules
            library,  # noqa: F401 - the prompt library hears of its changes
            receivers,  # noqa: F401 - connects receivers
        )
        from checkins.nudging import register

        register()  # the nudge kinds this app owns
