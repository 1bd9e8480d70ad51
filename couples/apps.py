from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouplesConfig(AppConfig):
    name = "couples"
    verbose_name = _("Couples")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from couples import receivers  # noqa: F401 - connects receivers
        from couples.nudging import register

        register()  # the nudge kinds this app owns
