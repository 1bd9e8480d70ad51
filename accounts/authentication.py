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
