import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"
SIGN_IN_PREFIX = "/_allauth/"


class ReissuedTokensMiddleware:
    """Adds tokens minted during an allauth request (after a password change) to the JSON
    response's `meta`, where allauth's app clients already look for `access_token` and
    `refresh_token`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        tokens = getattr(request, "haven_reissued_tokens", None)
        if (
            tokens
            and response.status_code == 200
            and response["Content-Type"].startswith("application/json")
        ):
            body = json.loads(response.content)
            body.setdefault("meta", {}).update(tokens)
            response.content = json.dumps(body).encode()
        return response


class NoStoreForCredentialsMiddleware:
    """What a signed-in person reads is theirs alone: no shared cache, proxy or phone's HTTP
    cache may keep it. Responses to API requests a bearer token authenticated (DRF records the
    token on the request as `auth`) and every sign-in response (they carry tokens) answer
    `Cache-Control: no-store`. Public pages that ignore credentials keep their own header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        authenticated = getattr(request, "auth", None) is not None
        if request.path.startswith(SIGN_IN_PREFIX) or (
            authenticated and request.path.startswith(API_PREFIX)
        ):
            response["Cache-Control"] = "no-store"
        return response
