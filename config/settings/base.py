"""Settings shared by every environment; each value comes from the environment with a safe
development default. `local`, `test` and `production` override only what differs."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _
from environs import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("HAVEN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", False)
# Development-only fallback; `production` refuses to start without a real key.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 32)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Before allauth, so that Haven's own email wording replaces allauth's templates.
    "accounts",
    # third party
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.usersessions",
    "axes",
    "django_celery_beat",
    "django_structlog",
    # ours
    "common",
    "couples",
    "checkins",
    "nudges",
    "learn",
]

# Sessions, authentication from the session, messages and allauth's session tracking serve the
# admin, allauth's headless endpoints, the web deletion page and the docs; the JSON API under
# /api/v1/ authenticates by bearer token alone and skips them (common/web_only.py). Django's own
# CSRF middleware stays everywhere, as itself: `check --deploy` looks for it by its exact path
# (security.W003), and on the API's views (DRF's are csrf_exempt) it only reads a cookie. allauth's
# AccountMiddleware stays everywhere: allauth's adapter (emails, rate limits) reads the request
# from the context it sets. django-axes' middleware stays too: it only answers a lockout its
# admin-only handler recorded, and both checks look for their exact paths in MIDDLEWARE.
WEB_ONLY_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]
MIDDLEWARE = [
    # First: one log line per request (method, route, status, duration), see its docstring.
    "common.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the admin's and Swagger UI's static files from the web process itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.middleware.ApiBodyLimitMiddleware",
    "common.middleware.RetryAfterMiddleware",
    # NUL in a query and hostile JSON under /_allauth/ answer 400 before any view runs.
    "common.middleware.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, without its look for a language prefix in every path (Haven has none).
    "common.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.ReissuedTokensMiddleware",
    # A true Retry-After on sign-in's "not now" answers (429, too_many_login_attempts).
    "accounts.middleware.SignInRetryAfterMiddleware",
    # Cache-Control: no-store on every authenticated API response and every sign-in answer.
    "accounts.middleware.NoStoreForCredentialsMiddleware",
    # `safety` on a writer's own answer when their words signal danger (common/safety/answer.py):
    # added after the view, so an idempotent replay never stores it and always recomputes it.
    "common.safety.answer.SafetyMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' own rule).
    "axes.middleware.AxesMiddleware",
]
MIDDLEWARE = [
    f"common.web_only.{path.rsplit('.', 1)[1]}" if path in WEB_ONLY_MIDDLEWARE else path
    for path in MIDDLEWARE
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# --- Database -------------------------------------------------------------------------------
def postgresql_tuned(database: dict) -> dict:
    """The PostgreSQL connection as Haven runs it (web, worker, tests and `make bench` alike).

    DATABASE_HEALTH_CHECKS, off by default: a health check is a `SELECT 1` round trip before the
    first query of every request (a third of a web worker's time on the bench's floor, issue
    17). Without it, a connection PostgreSQL dropped (a restart, a failover) fails the one
    request that finds it, which answers 503 with Retry-After and writes nothing
    (common/errors.py), and Django then replaces the connection. Turn on to trade that one
    retry per connection for the round trips.

    DATABASE_PREPARED_STATEMENTS, on by default: values travel apart from the SQL (psycopg's
    server-side binding) and a statement a connection runs again is prepared once, so
    PostgreSQL parses and plans it once per connection instead of on every request. Planning
    was most of the database's time on the hot reads (1.8 ms to plan the couple-and-partner
    join, 0.17 ms to run it; issue 17). Turn off behind a pooler in transaction mode that does
    not track prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
    """
    database["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_HEALTH_CHECKS", False)
    if env.bool("DATABASE_PREPARED_STATEMENTS", True):
        database.setdefault("OPTIONS", {}).update(
            server_side_binding=True,
            # psycopg's count of runs before it prepares a statement: 0 prepares at once.
            prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", 1),
        )
    return database


# Embedded default: SQLite under var/, in WAL mode with immediate transactions so the web
# process and the embedded worker never lock each other out. Set DATABASE_URL for PostgreSQL.
SQLITE_PATH = VAR_DIR / "haven.sqlite3"
DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    postgresql_tuned(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Who is asking: the trusted proxies in front of the web servers ------------------------
# The number of proxies (load balancer, ingress) between the internet and gunicorn that append
# the address they saw to X-Forwarded-For. 0 (the default, and right when nothing sits in
# front): X-Forwarded-For is ignored and the connecting address is the client. Behind one load
# balancer set 1, behind a CDN and a load balancer 2. One rule (common.net.client_ip) reads it
# for allauth's sign-in limits, DRF's throttles and django-axes alike. Too low and everyone
# behind the proxy shares one budget; too high and clients can name themselves.
HAVEN_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)
# allauth's own reading of the header, kept equal (the account adapter overrides it anyway).
ALLAUTH_TRUSTED_PROXY_COUNT = HAVEN_TRUSTED_PROXY_COUNT

# --- Cache (throttle counters, allauth rate limits) ------------------------------------------
# Redis when REDIS_URL is set. Throttles fail open while Redis is down (django-redis swallows
# and logs the error); nothing a person wrote lives only in the cache.
REDIS_URL = env.str("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Throttles and sign-in limits fail open (and log) while Redis is down.
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", "haven"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    # The same Redis, but errors surface: for the few limits that must fail closed.
    CACHES["strict"] = {
        **CACHES["default"],
        "BACKEND": "django_redis.cache.RedisCache",
        "OPTIONS": {**CACHES["default"]["OPTIONS"], "IGNORE_EXCEPTIONS": False},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "strict": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

# Sessions back sign-in (allauth's JWT strategy validates each token against its session), so
# they live in the database: a Redis outage signs no one out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# An ignored Redis error is logged (django-redis), so an outage shows in the logs.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Connections to Redis stay open between requests (django-redis's default, said here): every
# request's end asks for this setting, and a setting no file defines is a failed look-up,
# an exception raised and caught, on each request (issue 17; tests/config/test_settings_reads.py).
DJANGO_REDIS_CLOSE_CONNECTION = False

# --- People and passwords --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- django-allauth (headless, app clients, JWT) ---------------------------------------------

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
# Also makes a sign-up with a known email cost one password hash, like a new account's
# (accounts.forms.SignupProfileForm.clean), so its answer time tells no one who has an account.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# A password change keeps the phone that made it signed in; accounts.signals ends the others.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Which address a sign-in comes from, and failures counted only after the password is checked:
# a correct password is never refused; over the failure limit it asks for an emailed code.
# And its emails in the person's own language (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", "30/m/ip"),
    "signup": env.str("RATE_LIMIT_SIGNUP", "20/m/ip"),
    "reset_password": env.str("RATE_LIMIT_RESET_PASSWORD", "20/m/ip,5/m/key"),
    # Failed logins (wrong passwords), per address and per account (the key is the email):
    # past either, a wrong password is answered too_many_login_attempts and the right one
    # asks for a code sent by email (accounts/adapter.py).
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Haven] "
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("app",)
HEADLESS_SERVE_SPECIFICATION = True
# allauth's JWT strategy with refresh-token reuse detection (accounts/tokens.py): a refresh
# token used again after it was rotated ends its whole sign-in (every access and refresh token
# of that session), unless the second use comes within the grace window (a phone whose two
# requests refreshed at once).
HEADLESS_TOKEN_STRATEGY = "accounts.tokens.ReuseDetectingJWTTokenStrategy"
HAVEN_REFRESH_REUSE_GRACE_SECONDS = env.int("REFRESH_REUSE_GRACE_SECONDS", 30)
# HS256 signs with SECRET_KEY; set HEADLESS_JWT_ALGORITHM=RS256 and a PEM key to use RSA.
HEADLESS_JWT_ALGORITHM = env.str("HEADLESS_JWT_ALGORITHM", "HS256")
HEADLESS_JWT_PRIVATE_KEY = env.str("HEADLESS_JWT_PRIVATE_KEY", "")
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = env.int("JWT_ACCESS_TOKEN_SECONDS", 300)
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = env.int("JWT_REFRESH_TOKEN_SECONDS", 30 * 86400)
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
# Every access token is checked against its live session, so logout ends it at once.
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": env.str("FRONTEND_VERIFY_EMAIL_URL", "haven://verify-email/{key}"),
    "account_reset_password_from_key": env.str(
        "FRONTEND_RESET_PASSWORD_URL", "haven://reset-password/{key}"
    ),
    "account_reset_password": env.str("FRONTEND_FORGOT_PASSWORD_URL", "haven://forgot-password"),
    "account_signup": env.str("FRONTEND_SIGNUP_URL", "haven://signup"),
}
USERSESSIONS_TRACK_ACTIVITY = False

# --- django-axes (admin session login) -------------------------------------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The admin login form posts "username" (our USERNAME_FIELD is email, which axes would read).
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.net.client_ip"
# The admin is the only session login; app sign-ins are limited by allauth alone. Axes'
# only-admin switch stops it locking other paths but not recording them, so the handler
# ignores every request outside the admin (accounts/admin_lockout.py).
AXES_ONLY_ADMIN_SITE = True
AXES_HANDLER = "accounts.admin_lockout.AdminOnlyAxesHandler"

# --- REST framework -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The bearer access token only: a session (the admin's cookie, or the login's
        # session_token sent as a cookie) never authenticates an app call. Swagger UI's
        # "Authorize" takes a bearer token.
        "accounts.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["common.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "common.negotiation.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["common.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttling.UserThrottle",
        "common.throttling.AnonThrottle",
    ],
    # common.throttling counts addresses with common.net.client_ip; this keeps any other
    # DRF throttle to the same rule (DRF's default trusts a client-sent X-Forwarded-For).
    "NUM_PROXIES": HAVEN_TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("THROTTLE_USER", "600/min"),
        "anon": env.str("THROTTLE_ANON", "120/min"),
    },
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "common.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # No OPTIONS answers (a 405 like any method a route lacks): DRF's metadata is not part of
    # the API's contract (the schema is), and to build it DRF runs the object lookups of views
    # that do not look objects up that way (a 500 on checkins/{date}).
    "DEFAULT_METADATA_CLASS": None,
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S.%fZ",
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "common.errors.HavenExceptionHandler",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        # Every API route answers 406 to an Accept header no renderer writes (text/html).
        "406",
        "409",
        "413",
        "415",
        "422",
        "429",
        "500",
        "503",
    ],
}
# Mobile JSON bodies are small; anything larger is refused with 413 before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("API_MAX_BODY_BYTES", 256 * 1024)

# Swagger UI at /api/docs/ offers both specifications, picked in its top bar. The top bar (and
# its picker) is Swagger UI's standalone preset, which the sidecar serves beside the bundle (no
# CDN). A preset is a JavaScript object, not JSON, so SWAGGER_UI_SETTINGS below is a JavaScript
# expression, which drf-spectacular hands to SwaggerUIBundle unchanged. No validator badge: it
# would send the schema's address to validator.swagger.io.
swagger_ui = {
    "urls": [
        {"url": "/api/schema/", "name": "Haven API v1"},
        {"url": "/_allauth/openapi.json", "name": "Sign-in (django-allauth headless)"},
    ],
    "urls.primaryName": "Haven API v1",
    "layout": "StandaloneLayout",
    "validatorUrl": None,
    "persistAuthorization": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Haven API",
    "DESCRIPTION": (
        "The REST API of Haven, a low-pressure app for couples. Sign-in, sign-up and password "
        "flows are django-allauth's headless API; its own specification is selectable in the "
        "Swagger UI and served at /_allauth/openapi.json."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Haven's answer bases document code, not the API: their docstrings stay out of it.
    "GET_LIB_DOC_EXCLUDES": "common.openapi.lib_doc_excludes",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in (
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            "ErrorCode401Enum",
            "ErrorCode403Enum",
            "ErrorCode404Enum",
            "ErrorCode405Enum",
            "ErrorCode406Enum",
            "ErrorCode415Enum",
            "ErrorCode429Enum",
            "ErrorCode500Enum",
        )
    }
    | {
        "ConversationStatusEnum": "couples.models.ConversationRequest.Status",
        "InviteStatusEnum": "couples.models.Invite.Status",
        "ReassuranceLineEnum": "couples.models.messages.REASSURANCE_LINES",
        "NudgeKindEnum": "nudges.kinds.KIND_NAMES",
        "ToneFieldEnum": "common.tone.fields.TONE_FIELD_CHOICES",
        # Boundaries' kind keeps the name it had before crisis lines brought a second `kind`.
        "KindEnum": "couples.models.boundaries.Boundary.Kind",
        "CrisisLineKindEnum": "common.safety.models.CrisisLine.Kind",
        "CrisisSelectedByEnum": "common.safety.countries.SELECTED_BY",
        "CrisisServedFromEnum": "common.safety.resources.SERVED_FROM",
        # One enum for every field that names a shipped language (`locale`, `language`).
        "LanguageEnum": "common.i18n.LANGUAGE_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "common.openapi.postprocess_list_item_attrs",
        "common.safety.openapi.add_safety_to_writers_answers",
    ],
    "SWAGGER_UI_SETTINGS": (
        f"{{...{json.dumps(swagger_ui)}, "
        "presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset]}"
    ),
}

# --- Internationalisation ---------------------------------------------------------------------
# The languages Haven ships: each has a complete catalogue in locale/<code>/ (a test fails on a
# missing, fuzzy or mis-placeheld message), its own tone table and its prompts. A person's
# `locale` is one of these; English is the fallback for anything not yet translated. Adding
# one is a translation job: README, "Adding a language".
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(VAR_DIR / "static")))
# Without collectstatic (make run), WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", True)

# --- Email ---------------------------------------------------------------------------------------
# Production names its provider's backend here, e.g. "anymail.backends.postmark.EmailBackend"
# with that provider's keys in ANYMAIL (a JSON object: {"POSTMARK_SERVER_TOKEN": "..."}).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Haven <hello@haven.invalid>")
ANYMAIL: dict[str, Any] = env.json("ANYMAIL", {})  # type: ignore[assignment]
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 20)

# --- Celery --------------------------------------------------------------------------------------
# Embedded default: kombu's filesystem transport under var/, so `make run` needs only Python.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    # Above the hard time limit, so a running task is never redelivered to a second worker.
    "visibility_timeout": 3600,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_queue_dir / "queue"),
            "data_folder_out": str(_queue_dir / "queue"),
            "processed_folder": str(_queue_dir / "processed"),
            "store_processed": False,
            "control_folder": str(_queue_dir / "control"),
        }
    )
    # The filesystem transport expects its folders to exist; a fresh var/ has none.
    for _folder in ("queue", "processed", "control"):
        (_queue_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True  # our tasks are idempotent; a crash re-runs rather than loses
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging: structured JSON with a request id carried into Celery tasks ----------------------
DJANGO_STRUCTLOG_CELERY_ENABLED = True
LOG_LEVEL = env.str("LOG_LEVEL", "INFO")
LOG_FORMAT = env.str("LOG_FORMAT", "json")  # "json" or "console"

import logging

import structlog

from common.logs import json_line

# None of Haven's formatters prints where a line was logged from (file, line, function) or the
# thread's or the process's name in the multiprocessing sense, so the standard library is
# told not to look them up for every line: the "Optimization" section of Python's logging
# HOWTO. The frame walk alone was a fifth of a request's log line (issue 17). The process id
# stays (gunicorn's own lines print it).
logging._srcfile = None
logging.logThreads = False
logging.logMultiprocessing = False

# What stdlib loggers (Django, Celery, gunicorn's error log) emit gets the same fields as
# structlog's own lines, and its traceback rendered, not its repr.
_foreign_pre_chain = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.format_exc_info,
]
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(serializer=json_line),
            ],
            "foreign_pre_chain": _foreign_pre_chain,
        },
        "console": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.dev.ConsoleRenderer(
                    colors=False, exception_formatter=structlog.dev.plain_traceback
                ),
            ],
            "foreign_pre_chain": _foreign_pre_chain,
        },
    },
    "handlers": {"default": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["default"], "level": LOG_LEVEL},
    "loggers": {
        "django_structlog": {"level": LOG_LEVEL},
        "django.db.backends": {"level": "WARNING"},
        # common.middleware.RequestLogMiddleware writes each request's one line, a server
        # error's traceback included; Django's own lines for 4xx and 5xx answers would be a
        # second line for the same request.
        "django.request": {"level": "CRITICAL"},
    },
}
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.filter_by_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        structlog.processors.UnicodeDecoder(),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)

# --- Haven ----------------------------------------------------------------------------------------
IDEMPOTENCY_KEY_TTL = timedelta(hours=env.int("IDEMPOTENCY_KEY_TTL_HOURS", 24))
# How long a key may stay "in progress" before a retry may take it over (a crashed request).
# Longer than a request may run (GUNICORN_TIMEOUT), so a running request is never taken over.
IDEMPOTENCY_LOCK_TIMEOUT = timedelta(seconds=env.int("IDEMPOTENCY_LOCK_TIMEOUT_SECONDS", 60))
# A request that found PostgreSQL unreachable (a restart, a failover) answers 503 with this
# Retry-After, never a 500: nothing was written and a retry (same Idempotency-Key) is safe.
DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS", 2)
# Sent on a 429 that carries no Retry-After of its own (allauth's rate limits send none).
RATE_LIMIT_RETRY_AFTER_SECONDS = env.int("RATE_LIMIT_RETRY_AFTER_SECONDS", 60)
SYNC_TOMBSTONE_RETENTION = timedelta(days=env.int("SYNC_TOMBSTONE_RETENTION_DAYS", 90))
# The copy of the verified crisis lines that `crisis-resources` answers from while the database
# is down; written at deploy time by `manage.py bake_crisis_resources`.
CRISIS_RESOURCES_BAKED_FILE = Path(
    env.str("CRISIS_RESOURCES_BAKED_FILE", str(VAR_DIR / "crisis_resources.json"))
)

# --- Couples ---------------------------------------------------------------------------------
INVITE_TTL_HOURS = env.int("INVITE_TTL_HOURS", 72)
INVITES_LIVE_MAX = env.int("INVITES_LIVE_MAX", 3)
INVITE_LINK_BASE = env.str("INVITE_LINK_BASE", "haven://invite/")
# Guessing codes: per person and per address. Fails closed (503) when the cache is down.
THROTTLE_INVITE_CODE_USER = env.str("THROTTLE_INVITE_CODE_USER", "20/hour")
THROTTLE_INVITE_CODE_IP = env.str("THROTTLE_INVITE_CODE_IP", "60/hour")
SPACE_MAX_HOURS = env.int("SPACE_MAX_HOURS", 72)
PINGS_PER_DAY = env.int("PINGS_PER_DAY", 5)
# One-tap reassurances (POST reassurances): a few a day, so a ready-made line stays meaningful.
REASSURANCES_PER_DAY = env.int("REASSURANCES_PER_DAY", 3)

# --- Field encryption (private notes) ----------------------------------------------------------
# Fernet keys, comma-separated, newest first: the first encrypts, every one decrypts. To rotate,
# put a new key first, deploy, run `manage.py rotate_encryption_keys`, then drop the old key.
# The default is a published key for development only; `production` refuses it.
_dev_field_encryption_key = "vQL4SbDVLH9tPQ0a6Ux-9Yc0GE_dFRhPHUsoI46WMRA="
FIELD_ENCRYPTION_KEYS: list[str] = env.list("FIELD_ENCRYPTION_KEYS", [_dev_field_encryption_key])

# --- Nudges ---------------------------------------------------------------------------------
# The gentlest defaults: a person may lower these, never raise them.
NUDGE_DAILY_CAP = env.int("NUDGE_DAILY_CAP", 1)
NUDGE_WEEKLY_CAP = env.int("NUDGE_WEEKLY_CAP", 5)
# A claimed nudge not delivered within the lease (a lost task, a broker outage) is claimed
# again by a later planner tick; delivery is idempotent, so a late duplicate does nothing.
NUDGE_CLAIM_LEASE = timedelta(seconds=env.int("NUDGE_CLAIM_LEASE_SECONDS", 180))
NUDGE_CLAIM_LIMIT = env.int("NUDGE_CLAIM_LIMIT", 50_000)  # per tick
NUDGE_BATCH_SIZE = env.int("NUDGE_BATCH_SIZE", 500)  # nudge ids per delivery task
# Minutes a stopped beat may have missed that the next tick still plans.
NUDGE_PLANNER_CATCH_UP = timedelta(minutes=env.int("NUDGE_PLANNER_CATCH_UP_MINUTES", 30))
# Publishing a task gives up fast when the broker is down (the planner catches up).
NUDGE_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Push through Firebase Cloud Messaging (HTTP v1, which reaches APNs too). Credentials are a
# service account: a file path, or its JSON in the environment. With neither, push records
# instead of sending (development, tests) and says so at start-up.
FCM_CREDENTIALS_FILE = env.str("FCM_CREDENTIALS_FILE", "")
FCM_CREDENTIALS_JSON: dict[str, Any] = env.json("FCM_CREDENTIALS_JSON", {})  # type: ignore[assignment]
FCM_PROJECT_ID = env.str("FCM_PROJECT_ID", "")  # defaults to the service account's project
FCM_ANDROID_CHANNEL_ID = env.str("FCM_ANDROID_CHANNEL_ID", "haven_nudges")
_push_backend = (
    "nudges.channels.push.FirebasePushBackend"
    if FCM_CREDENTIALS_FILE or FCM_CREDENTIALS_JSON
    else "nudges.channels.push.RecordingPushBackend"
)
# Channels besides the inbox (which always records): {"push": "dotted.path.Backend"}.
NUDGE_CHANNELS: dict[str, str] = {
    "push": env.str("NUDGE_PUSH_BACKEND", _push_backend),
    "email": env.str("NUDGE_EMAIL_BACKEND", "nudges.channels.email.EmailChannel"),
}
# Push and email copies: tried at most this often, with exponential back-off and jitter
# between tries (a provider's Retry-After wins when longer), and never once they are older
# than the max age (a late nudge is pressure; the inbox has it anyway).
NUDGE_DELIVERY_MAX_ATTEMPTS = env.int("NUDGE_DELIVERY_MAX_ATTEMPTS", 6)
NUDGE_DELIVERY_RETRY_BASE = timedelta(seconds=env.int("NUDGE_DELIVERY_RETRY_BASE_SECONDS", 30))
NUDGE_DELIVERY_RETRY_MAX = timedelta(seconds=env.int("NUDGE_DELIVERY_RETRY_MAX_SECONDS", 3600))
NUDGE_DELIVERY_MAX_AGE = timedelta(hours=env.int("NUDGE_DELIVERY_MAX_AGE_HOURS", 12))
# A copy claimed longer ago than this (past the task hard time limit) was cut off by a crash:
# the beat marks it failed ("interrupted") and it is never sent again (at most once).
NUDGE_DELIVERY_SENDING_TIMEOUT = timedelta(
    seconds=env.int("NUDGE_DELIVERY_SENDING_TIMEOUT_SECONDS", 900)
)
# How long a push may wait on FCM's side for a phone that is off.
NUDGE_PUSH_TTL = timedelta(hours=env.int("NUDGE_PUSH_TTL_HOURS", 12))
# Absolute links in emails (unsubscribe) start with this.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# One-click unsubscribe links in emails stay valid this long.
NUDGE_UNSUBSCRIBE_MAX_AGE = timedelta(days=env.int("NUDGE_UNSUBSCRIBE_MAX_AGE_DAYS", 365))

# --- Coaches ----------------------------------------------------------------------------------
# How long a grant both partners consented to lasts before both must renew it.
COACH_GRANT_DAYS = env.int("COACH_GRANT_DAYS", 90)

# --- Data rights (export, deletion, consent) --------------------------------------------------
# The privacy notice a person accepts at sign-up; a new version asks again (me.consent_required).
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", "2026-11")
PRIVACY_NOTICE_URL = env.str("PRIVACY_NOTICE_URL", "https://haven.invalid/privacy")
MINIMUM_AGE = env.int("MINIMUM_AGE", 16)
EXPORTS_PER_DAY = env.int("EXPORTS_PER_DAY", 3)
# The web deletion page (/account/delete): emails per address a day, and how long a link lives.
DELETION_EMAILS_PER_DAY = env.int("DELETION_EMAILS_PER_DAY", 3)
DELETION_LINK_MAX_AGE = timedelta(seconds=env.int("DELETION_LINK_MAX_AGE_SECONDS", 3600))
