import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
