"""Middleware the pages need and the JSON API does not, skipped for the API's paths.

The API under /api/v1/ authenticates by bearer token alone (DRF with
accounts.authentication.JWTAuthentication): it reads no session cookie, posts no form, shows no
flash message and keeps no per-session activity, so sessions, authentication from the
session, messages and allauth's user-session tracking would only cost time there (the session
middleware alone reads a cookie and may touch the session table). Every other path (the admin,
allauth's headless endpoints under /_allauth/, the web deletion page, the docs and schema under
/api/docs/ and /api/schema/) keeps all of them, in the same order as before.

settings.WEB_ONLY_MIDDLEWARE lists them once; settings.MIDDLEWARE names each at its place as
`common.web_only.<ClassName>`, which resolves here to a subclass that steps aside for an API path
and otherwise runs the original unchanged. Being subclasses, they still satisfy the admin's
checks for the session, authentication and messages middleware.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

# The JSON API's paths. Not /api/ as a whole: the docs page and the schema stay on the full stack.
API_PATH_PREFIX = "/api/v1/"

_HOOKS = ("process_view", "process_exception", "process_template_response")


def __getattr__(name: str) -> type:
    matches = [path for path in settings.WEB_ONLY_MIDDLEWARE if path.rsplit(".", 1)[1] == name]
    if len(matches) != 1:
        raise AttributeError(f"{__name__} has no web-only middleware named {name!r}")
    return _web_only(matches[0])


@cache
def _web_only(dotted_path: str) -> type:
    original = import_string(dotted_path)

    def __call__(self: Any, request: Any) -> Any:
        if request.path.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        return original.__call__(self, request)

    namespace: dict[str, Any] = {
        "__call__": __call__,
        "__module__": __name__,
        "__doc__": f"{dotted_path}, except on the JSON API's paths (common.web_only).",
    }
    for hook in _HOOKS:
        if hasattr(original, hook):
            namespace[hook] = _skipping_hook(getattr(original, hook))
    return type(original.__name__, (original,), namespace)


def _skipping_hook(hook: Any) -> Any:
    def skipping(self: Any, request: Any, *args: Any) -> Any:
        if request.path.startswith(API_PATH_PREFIX):
            return None
        return hook(self, request, *args)

    return skipping
