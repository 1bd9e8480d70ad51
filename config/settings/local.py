"""Development: `make run`. Embedded SQLite + filesystem broker unless the environment says
otherwise (see base)."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", True)
LOG_FORMAT = env.str("LOG_FORMAT", "console")
LOGGING["handlers"]["default"]["formatter"] = LOG_FORMAT
