"""The JSON API's routes, found once per path (issue 17).

Django finds a request's view by trying the URLconf's patterns in order, each a regular
expression, until one matches, on every request. The API's routes are 76 patterns in six
apps' lists, and `checkins/today` matched after 58 others: 30 to 65 µs of every home
screen on this machine kind, as much as the request's log line. Which view a path leads to
depends on the path and the URLconf alone, so `RememberingURLResolver` keeps the answer for
each path it resolved (a bounded number of them, least recently used dropped first) and asks
Django's own resolution again for anything else.

What is kept is never handed out: the resolver above it (Django's root) builds each request's
own `ResolverMatch` from it, with its own argument dicts, as it always does from a nested
match. A path no route matches raises Django's `Resolver404` as before and is not kept, nor
is a path longer than any of the API's own (a client cannot fill the memory with long ones)."""

from __future__ import annotations

import functools
from typing import Any

from django.urls import URLResolver
from django.urls.resolvers import ResolverMatch

# Every route of the API, and the ids and dates recently asked of it in one web process. A kept
# answer holds the list of patterns tried before it (Django keeps it on every match): up to
# ~9 KB, so at most ~9 MB a process.
REMEMBERED_PATHS = 1024
# Longer than any path of the API's routes (a route with two UUIDs is ~110 characters).
LONGEST_REMEMBERED_PATH = 200


class RememberingURLResolver(URLResolver):
    """Django's `URLResolver`, remembering the match of each path it resolved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._remembered = functools.lru_cache(maxsize=REMEMBERED_PATHS)(super().resolve)

    def resolve(self, path: Any) -> ResolverMatch:
        path = str(path)
        if len(path) > LONGEST_REMEMBERED_PATH:
            return super().resolve(path)
        return self._remembered(path)


def remembering(resolver: URLResolver) -> RememberingURLResolver:
    """`resolver` (as `path(prefix, include(...))` makes it), remembering what it resolves."""
    return RememberingURLResolver(
        resolver.pattern,
        resolver.urlconf_name,
        resolver.default_kwargs,
        resolver.app_name,
        resolver.namespace,
    )
