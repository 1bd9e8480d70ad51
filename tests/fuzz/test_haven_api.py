"""Schemathesis over Haven's own API (issue 14, item 6): every operation in the schema served
at /api/schema/, generated from that schema (valid and invalid requests, schemathesis's
coverage, example and fuzzing phases), sent in-process to Django's WSGI handler, signed in as
a paired person (`fuzz_world`'s `a`, a real allauth access token). Each case starts from the
same world (tests/fixtures/fuzz.py), so ending the couple or signing out is generated too.

Checks, 0 failures allowed: not_a_server_error, status_code_conformance,
content_type_conformance, response_schema_conformance, and `other_couple_gets_404` (below).

Bounded and repeatable: derandomized (Hypothesis's fixed seed), SCHEMATHESIS_MAX_EXAMPLES
cases per operation at most (default 25), no deadline, no example database. `make
schemathesis` runs this module and the sign-in API's (test_signin_api.py) alone."""

from __future__ import annotations

import os
import time

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

APP = WSGIHandler()
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))

haven = schemathesis.openapi.from_wsgi("/api/schema/", APP)

# Object routes whose answer to another couple is rightly not a 404, and why: the request's
# path names something that is not the first couple's.
NOT_THE_COUPLES_OBJECT = {
    # An invite code is for whoever holds it (to see who invited them, or to say no).
    ("GET", "/api/v1/invites/{code}"): "a code is for whoever holds it",
    ("POST", "/api/v1/invites/{code}/decline"): "a code is for whoever holds it",
    ("POST", "/api/v1/invites/{code}/accept"): "a code is for whoever holds it",
    # An email's one-click unsubscribe link works without signing in, for whoever holds it.
    ("POST", "/api/v1/unsubscribe/{token}"): "the signed token is the credential",
    # A date names the caller's own check-in of that day: writing it writes their own.
    ("PUT", "/api/v1/checkins/{date}"): "writes the caller's own day",
    ("PATCH", "/api/v1/checkins/{date}"): "writes the caller's own day",
}


def is_object_route(case) -> bool:
    """A path that names one object of the couple (an id, a date of a check-in)."""
    key = (case.method.upper(), case.operation.path)
    return "{" in case.operation.path and key not in NOT_THE_COUPLES_OBJECT


# The world of the test running now (set by the test before each case): the check needs the
# other couple's token.
CURRENT: dict = {}


@schemathesis.check
def other_couple_gets_404(ctx, response, case):
    """A request the couple's member made with success, replayed by a member of another couple
    (their own token, the first couple's ids, the same body), against the state the first
    request found (its effect is undone before the checks run), answers 404 and nothing else:
    another couple never learns that the object exists, let alone reads or changes it."""
    if not (200 <= response.status_code < 300) or not is_object_route(case):
        return None
    world = CURRENT["world"]
    with transaction.atomic():
        replay = case.call(headers=world.headers_c)
        transaction.set_rollback(True)
    CURRENT["tally"].replayed("haven", case.operation.label)
    if replay.status_code != 404:
        raise AssertionError(
            f"{case.method} {case.formatted_path} answered {response.status_code} to the "
            f"couple and {replay.status_code} to another couple (expected 404): "
            f"{replay.text[:300]}"
        )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    other_couple_gets_404,
]


def aim(case, world) -> None:
    """Every other case of an object route names a real object of the couple (in turn), so
    requests reach past the 404 into the rules; the rest keep their generated values."""
    if "{" not in case.operation.path:
        return
    world.sent += 1
    if world.sent % 2:
        return
    prefix = case.operation.path.split("{", 1)[0]
    for name in list(case.path_parameters or {}):
        values = world.values.get((prefix, name))
        if values:
            case.path_parameters[name] = values[(world.sent // 2) % len(values)]


@haven.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_haven_api(case, fuzz_world, db, fresh_case, fuzz_tally):
    CURRENT.update(world=fuzz_world, tally=fuzz_tally)
    aim(case, fuzz_world)
    started = time.monotonic()
    with fresh_case():
        before = transaction.savepoint()
        response = case.call(headers=fuzz_world.headers_a)
        # Checks see the world as the request found it (the replay must meet the same state).
        transaction.savepoint_rollback(before)
        fuzz_tally.add(
            "haven", case.operation.label, response.status_code, time.monotonic() - started
        )
        case.validate_response(response, checks=CHECKS, headers=fuzz_world.headers_a)


def test_every_exception_is_an_object_route_of_the_schema():
    """The exceptions to the cross-couple check name operations that exist and have a path
    parameter, so a renamed route cannot silently fall out of the check."""
    operations = {
        (result.ok().method.upper(), result.ok().path) for result in haven.get_all_operations()
    }
    assert set(NOT_THE_COUPLES_OBJECT) <= operations
    assert all("{" in path for _, path in NOT_THE_COUPLES_OBJECT)
