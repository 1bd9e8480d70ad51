"""Production: everything secret or host-specific must come from the environment."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_URL,
    NUDGE_CHANNELS,
    REDIS_URL,
    _dev_field_encryption_key,
    env,
    postgresql_tuned,
)

DEBUG = False

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-only", "django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random value in production.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name this deployment's hosts.")

if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set: throttles and rate limits are shared.")
if CELERY_BROKER_URL.startswith("filesystem://"):
    raise ImproperlyConfigured("CELERY_BROKER_URL must name a real broker (Redis) in production.")

FIELD_ENCRYPTION_KEYS = list(map(str.strip, env.list("FIELD_ENCRYPTION_KEYS")))
if not FIELD_ENCRYPTION_KEYS or _dev_field_encryption_key in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must list this deployment's own Fernet keys (never the dev key)."
    )
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        msg = "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key."
        raise ImproperlyConfigured(msg) from None

# PostgreSQL only; health checks and prepared statements as `base.postgresql_tuned` says.
DATABASES = {"default": postgresql_tuned(env.dj_db_url("DATABASE_URL", conn_max_age=60))}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WHITENOISE_USE_FINDERS = False  # production serves what collectstatic gathered

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Required: how many proxies sit in front of gunicorn decides which address every limit
# counts (see base.py). No default, so a deployment says so rather than guessing.
HAVEN_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT")
ALLAUTH_TRUSTED_PROXY_COUNT = HAVEN_TRUSTED_PROXY_COUNT
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": HAVEN_TRUSTED_PROXY_COUNT}

# Production never records a push instead of sending it: without FCM credentials push is off
# (and says so at start-up) until FCM_CREDENTIALS_FILE or FCM_CREDENTIALS_JSON is set.
NUDGE_CHANNELS = {
    **NUDGE_CHANNELS,
    "push": env.str("NUDGE_PUSH_BACKEND", "nudges.channels.push.FirebasePushBackend"),
}
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}").rstrip("/")
if not PUBLIC_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("PUBLIC_BASE_URL must be an https:// address in production.")
