from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouplesConfig(AppConfig):
    name = "couples"
    verbose_name = _("Couples")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.services import register_partner_visible_write_check
        from couples import data_rights, receivers  # noqa: F401 - registers, connects
        from couples.nudging import register
        from couples.services.leaving import leaving_profile_guard

        register()  # the nudge kinds this app owns
        # Leaving safely: a leaver's profile, as the partner sees it, stays as it was.
        register_partner_visible_write_check(leaving_profile_guard)
