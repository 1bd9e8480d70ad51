import structlog
from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from common.net import client_ip

logger = structlog.get_logger(__name__)


class ClientAddressMixin:
    """Counts an address the way every other limit does (`common.net.client_ip`): a client
    rotating `X-Forwarded-For` is still one client, and behind the trusted proxies each client
    is counted apart."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class UserThrottle(ClientAddressMixin, UserRateThrottle):
    """Per-person request budget, counted in the shared cache (Redis). Fails open: the
    default cache ignores Redis errors, so an outage never locks people out."""


class AnonThrottle(ClientAddressMixin, AnonRateThrottle):
    """Per-address budget for the few endpoints open without a token."""


class FailClosedThrottle(ClientAddressMixin, SimpleRateThrottle):
    """For guessing-sensitive endpoints: counted in the `strict` cache, which raises on a
    Redis outage, and then refuses with 503 rather than letting guesses through uncounted."""

    setting_name = ""

    @property
    def cache(self):  # type: ignore[override]
        return caches["strict"]

    def get_rate(self) -> str:
        return getattr(settings, self.setting_name)

    def allow_request(self, request, view) -> bool:
        # Imported here: common.errors imports DRF's views, which load these throttles.
        from common.errors import ServiceUnavailable

        try:
            return super().allow_request(request, view)
        except Exception as exc:  # django-redis raises its own wrapper of the Redis error
            logger.warning("throttle_cache_unavailable", scope=self.scope, error=str(exc))
            raise ServiceUnavailable() from exc


class InviteCodeUserThrottle(FailClosedThrottle):
    scope = "invite_code_user"
    setting_name = "THROTTLE_INVITE_CODE_USER"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class InviteCodeIPThrottle(FailClosedThrottle):
    scope = "invite_code_ip"
    setting_name = "THROTTLE_INVITE_CODE_IP"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
