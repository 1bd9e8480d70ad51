"""Gunicorn settings for the web process: `gunicorn -c config/gunicorn.py`.

Every value can be overridden from the environment (or on the command line, which wins over
this file). The defaults suit one small machine; scale out by adding machines, not workers.
"""

from __future__ import annotations

import gc
import os

wsgi_app = "config.wsgi:application"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let a worker keep serving while one request waits on the database; the API is
# I/O-bound, so a few threads per process go further than more processes for the same memory.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads new connections
# across them. With one shared socket, whichever worker woke first took the connections, and
# kept them for as long as the client kept them alive: under `make bench` (8 keep-alive
# connections) one worker ran at 97% of a core while the other sat idle, half the machine
# unused, and which one it was changed from run to run. A load balancer's pooled upstream
# connections stick the same way. GUNICORN_REUSE_PORT=0 goes back to one shared socket.
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "1") != "0"

# No request of ours should take long: a worker silent for this long is stuck and is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Time for in-flight requests to finish on SIGTERM (deploys, `make run` Ctrl-C).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Behind a load balancer that reuses connections, set this above the balancer's idle timeout:
# the balancer must be the side that closes idle connections, or requests race a close (502s).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle a worker now and then so a slow leak never becomes an outage; the jitter keeps the
# workers from restarting together. The threshold is high on purpose: a worker takes about a
# second of CPU to start, and recycling every 2,000 requests halved a 2-core machine's capacity
# at the rates `make bench` drives (issue 17). 100,000 requests is still hours apart at
# production rates, and GUNICORN_MAX_REQUESTS=0 turns recycling off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "10000"))

# Which proxies may set X-Forwarded-Proto/-For (comma-separated addresses, or "*" behind a
# load balancer that is the only way in). Django's SECURE_PROXY_SSL_HEADER relies on it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The application writes one structured line per request (common.request_log), so gunicorn's
# own access line is off unless asked for: GUNICORN_ACCESS_LOG=- (stdout) or a file path.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Gunicorn's runtime control socket defaults to one shared path in $HOME, so a second
# instance (a test run next to `make run`) would fight over it; nothing here uses it.
control_socket_disable = True


def post_worker_init(worker) -> None:
    """Once a worker has loaded the app: load the URLconf too (the views, serializers and
    schema they import would otherwise load on the first request), then move everything
    loaded so far out of the garbage collector's sight (`gc.freeze`). Those objects live as
    long as the worker, yet every full collection walked all of them: ~100 ms with the
    worker stopped, every thousand or so requests under `make bench`, against ~10 ms once
    they are frozen. What requests allocate is collected as before."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and all it imports)
    gc.collect()
    gc.freeze()
