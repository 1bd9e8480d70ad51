import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as "Europe/Berlin"; the server computes local dates from it."""
    if value not in _time_zones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone name (e.g. Europe/Berlin)."),
            code="invalid_time_zone",
            params={"value": value},
        )
