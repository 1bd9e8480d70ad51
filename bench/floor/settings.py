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
# The same database and connection reuse as Haven's production settings.
DATABASES = {"default": env.dj_db_url("DATABASE_URL", conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USE_TZ = True
