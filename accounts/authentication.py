from allauth.headless.contrib.rest_framework.authentication import JWTTokenAuthentication
from django.utils import translation

from common.i18n import language_of


class JWTAuthentication(JWTTokenAuthentication):
    """allauth's access tokens, validated against their live session. Once the person is
    known, their own language setting decides the language of what the API says to them
    (DESIGN: the person's locale first, then the request's Accept-Language)."""

    def authenticate_credentials(self, key: str):
        user, payload = super().authenticate_credentials(key)
        translation.activate(language_of(user))
        return user, payload


def time_zone_of_bearer(request) -> str | None:
    """The time zone of the person whose valid bearer token a request carries, for routes
    that ignore credentials (crisis resources) yet answer better knowing the country. Never
    raises and never authenticates the request: a missing, bad or expired token, or a
    database that cannot answer, is simply no time zone."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    try:
        found = JWTAuthentication().authenticate_credentials(header.split(" ", 1)[1].strip())
    except Exception:  # any failure means "not known"; this route never refuses anyone
        return None
    if not found:
        return None
    return getattr(found[0], "time_zone", None) or None
