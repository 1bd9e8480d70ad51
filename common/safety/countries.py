"""Which country a request is about, for crisis resources: the `?country=` asked for, else
the country of the signed-in person's time zone, else the region of `Accept-Language`, else
none (the international directories answer).

Python's `zoneinfo` has no country map; the `tzdata` package ships `zone.tab` (one country
per zone), which is read once, at first use, without any network."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources

from django.http import HttpRequest
from django.utils.translation.trans_real import parse_accept_lang_header

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")

QUERY = "query"
TIME_ZONE = "time_zone"
ACCEPT_LANGUAGE = "accept_language"
NONE = "none"
SELECTED_BY = (QUERY, TIME_ZONE, ACCEPT_LANGUAGE, NONE)

# Apps higher up name the signed-in person's time zone for a request that DRF did not
# authenticate (crisis resources ignore credentials): `accounts` registers a reader at
# start-up that returns the zone or None and never raises. `common` imports no app.
_time_zone_readers: list[Callable[[HttpRequest], str | None]] = []


def register_time_zone_reader(reader: Callable[[HttpRequest], str | None]) -> None:
    if reader not in _time_zone_readers:
        _time_zone_readers.append(reader)


@cache
def zone_countries() -> dict[str, str]:
    """IANA zone name → ISO 3166-1 alpha-2 code, from tzdata's zone.tab."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) >= 3:
            table[columns[2]] = columns[0]
    return table


def country_code(value: str | None) -> str | None:
    """Two letters, upper-cased, or None for anything else."""
    if value and _COUNTRY.match(value):
        return value.upper()
    return None


def country_of_time_zone(zone: str | None) -> str | None:
    if not zone:
        return None
    return zone_countries().get(zone)


def country_of_accept_language(header: str | None) -> str | None:
    """The region of the first language range that names one ("de-AT" → AT)."""
    if not header:
        return None
    for language, _quality in parse_accept_lang_header(header):
        parts = language.replace("_", "-").split("-")
        for part in parts[1:]:
            code = country_code(part)
            if code:
                return code
    return None


def person_time_zone(request: HttpRequest) -> str | None:
    """The time zone of the person a request acts for, if any: the authenticated user's, or
    what a registered reader finds in credentials that were not authenticated."""
    zone = getattr(getattr(request, "user", None), "time_zone", None)
    if isinstance(zone, str) and zone:
        return zone
    for reader in _time_zone_readers:
        zone = reader(request)
        if zone:
            return zone
    return None


def select_country(request: HttpRequest, asked: str | None = None) -> tuple[str | None, str]:
    """(country or None, what selected it: one of `SELECTED_BY`)."""
    code = country_code(asked)
    if code:
        return code, QUERY
    code = country_of_time_zone(person_time_zone(request))
    if code:
        return code, TIME_ZONE
    code = country_of_accept_language(request.headers.get("Accept-Language"))
    if code:
        return code, ACCEPT_LANGUAGE
    return None, NONE
