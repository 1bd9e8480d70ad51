"""Schemathesis over the sign-in API (issue 14, item 6): every operation in django-allauth's
own specification, as the project serves it at /_allauth/openapi.json, generated from it and
sent in-process to Django's WSGI handler; every other case signed in as a paired person (a
real access token), the rest signed out. Each case starts from the same world
(tests/fixtures/fuzz.py), so signing out, changing the password or signing up leave nothing
behind, and allauth's rate limits are off for the run.

allauth's specification describes allauth's answers, not Haven's, so the one check is
not_a_server_error: whatever is sent, the answer is never a 500. Bounded and repeatable as in
test_haven_api.py."""

from __future__ import annotations

import os
import time

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

APP = WSGIHandler()
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))

signin = schemathesis.openapi.from_wsgi("/_allauth/openapi.json", APP)


@signin.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_signin_api(case, fuzz_world, db, fresh_case, fuzz_tally):
    fuzz_world.sent += 1
    headers = fuzz_world.headers_a if fuzz_world.sent % 2 == 0 else None
    started = time.monotonic()
    with fresh_case():
        response = case.call(headers=headers)
        fuzz_tally.add(
            "sign-in", case.operation.label, response.status_code, time.monotonic() - started
        )
        case.validate_response(response, checks=[not_a_server_error], headers=headers)
