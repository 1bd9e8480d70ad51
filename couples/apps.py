from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "couples"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from couples import receivers  # noqa: F401 - connects receivers
        from couples.nudging import register

        register()  # the nudge kinds this app owns
        from accounts.services import register_partner_visible_write_check
        from couples.services.leaving import leaving_writes_guard

        # Leaving safely: a leaver's profile, as the partner sees it, stays as it was.
        register_partner_visible_write_check(lambda user: leaving_writes_guard(user=user))
