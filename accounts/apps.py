from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import (
            own_data,  # noqa: F401 - registers this app's export sections and deletion rules
            signals,  # noqa: F401 - connects receivers
        )
        from accounts.authentication import time_zone_of_bearer
        from common.safety.countries import register_time_zone_reader

        register_time_zone_reader(time_zone_of_bearer)
