from allauth.headless.contrib.rest_framework.authentication import JWTTokenAuthentication
from django.utils import translation


class JWTAuthentication(JWTTokenAuthentication):
    """allauth's access tokens, validated against their live session. Once the person is
    known, their own language setting decides the language of what the API says to them
    (DESIGN: the person's locale first, then the request's Accept-Language)."""

    def authenticate_credentials(self, key: str):
        user, payload = super().authenticate_credentials(key)
        if getattr(user, "locale", ""):
            translation.activate(user.locale)
        return user, payload
