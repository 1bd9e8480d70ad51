"""The bare floor: a minimal Django project (no apps, no middleware) whose one view runs one
SELECT. `make bench` serves it with the same gunicorn configuration as Haven
(config/gunicorn.py), so the difference between the two is Haven's own path alone."""

from environs import Env

env = Env()

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1"])
ROOT_URLCONF = "bench.floor.urls"
WSGI_APPLICATION = "bench.floor.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
# The same database, connection reuse and connection options as Haven's production settings
# (config.settings.base.postgresql_tuned's defaults: no health check before a request's first
# query, values bound on the server and statements prepared), so the floor is never slowed by
# a round trip Haven does not make.
DATABASES = {"default": env.dj_db_url("DATABASE_URL", conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 1}
USE_TZ = True
