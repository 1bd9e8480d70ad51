"""Who is on the other end of a request: the one rule every limit keyed on an address uses
(allauth's sign-in limits through `accounts.adapter`, DRF's throttles, django-axes).

Behind N trusted proxies (`HAVEN_TRUSTED_PROXY_COUNT`, env `TRUSTED_PROXY_COUNT`), each proxy
appends the address it received the request from to `X-Forwarded-For`, so the client is the
N-th address from the right; everything to its left was written by the client and is ignored.
With no trusted proxy (the default), `X-Forwarded-For` is ignored altogether and the
connecting address (`REMOTE_ADDR`) is the client: a header a client can rotate never names it."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
# More hops than any real chain of proxies; a longer header is not worth splitting.
MAX_FORWARDED_HOPS = 32


def client_ip(request: Any) -> str:
    """The client's address as a string. `request` is Django's or DRF's (both carry META).
    A malformed `X-Forwarded-For` never raises: the connecting address is used instead."""
    meta = request.META
    remote = _valid_ip(meta.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104 - a key, not a bind
    count = trusted_proxy_count()
    forwarded = meta.get(FORWARDED_FOR, "")
    if count <= 0 or not forwarded or not isinstance(forwarded, str):
        return remote
    hops = forwarded.split(",", MAX_FORWARDED_HOPS)[-MAX_FORWARDED_HOPS:]
    # Fewer hops than proxies: the leftmost one is still the furthest address a proxy wrote.
    candidate = hops[-min(count, len(hops))]
    return _valid_ip(candidate) or remote


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "HAVEN_TRUSTED_PROXY_COUNT", 0) or 0))


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "198.51.100.7:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
