from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    """Per-person request budget, counted in the shared cache (Redis)."""


class AnonThrottle(AnonRateThrottle):
    """Per-address budget for the few endpoints open without a token."""
