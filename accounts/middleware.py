import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.adapter import RETRY_AFTER_ATTR, seconds_until_allowed

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


# The allauth rate-limit action behind each headless path that answers 429 (app client).
SIGN_IN_ACTIONS = {
    "auth/login": "login",
    "auth/signup": "signup",
    "auth/password/request": "reset_password",
    "auth/password/reset": "reset_password_from_key",
    "account/password/change": "change_password",
    "account/email": "manage_email",
    "auth/reauthenticate": "reauthenticate",
}


class SignInRetryAfterMiddleware:
    """A sign-in answer that says "not now" says when: allauth's 429s and its
    `too_many_login_attempts` carry no `Retry-After`, so the true number of seconds until the
    limit's window frees a try is added here (from the same counters allauth keeps)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(SIGN_IN_PREFIX) or response.has_header("Retry-After"):
            return response
        seconds = getattr(request, RETRY_AFTER_ATTR, None)
        if seconds is None and response.status_code == 429:
            action = _sign_in_action(request.path)
            seconds = seconds_until_allowed(request, action) if action else None
        if seconds is not None and response.status_code in (400, 429):
            response["Retry-After"] = str(seconds)
        return response


def _sign_in_action(path: str) -> str | None:
    # /_allauth/app/v1/auth/login → auth/login
    parts = path.rstrip("/").split("/")
    return SIGN_IN_ACTIONS.get("/".join(parts[4:]))
