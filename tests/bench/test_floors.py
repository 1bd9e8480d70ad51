"""The Haven-stack floor (the bare floor's view inside Haven's URLs and middleware) and the
signed-in floor (a DRF view with the API's defaults and no work of its own)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from rest_framework.test import APIClient

from bench.api import FLOORS, SIGNED_IN_FLOOR, STACK_FLOOR
from bench.floor.views import floor
from bench.haven_floor_urls import FLOOR_PATH, SIGNED_IN_FLOOR_PATH
from tests.factories import UserFactory
from tests.utils import assert_error_shape, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def haven_floor_urls(settings):
    settings.ROOT_URLCONF = "bench.haven_floor_urls"


def test_the_floor_answers_through_havens_stack_with_one_select(client, haven_floor_urls):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/{FLOOR_PATH}")

    assert response.status_code == 200
    assert response.json() == {"ok": 1}
    assert [query["sql"] for query in captured.captured_queries] == ["SELECT 1"]


def test_the_benches_load_the_floors_where_their_urls_mount_them():
    assert FLOORS[STACK_FLOOR].path == f"/{FLOOR_PATH}"
    assert FLOORS[SIGNED_IN_FLOOR].path == f"/{SIGNED_IN_FLOOR_PATH}"
    assert [floor.signed_in for floor in FLOORS.values()] == [False, False, True]
    assert {floor.settings for floor in FLOORS.values() if floor.server == "haven_floor"} == {
        "bench.haven_floor"
    }


def test_the_floor_comes_before_the_apis_catch_all_and_havens_routes_stay(haven_floor_urls):
    assert resolve(f"/{FLOOR_PATH}").func is floor
    assert resolve("/api/v1/me").url_name == "me"
    assert resolve("/api/v1/no-such-thing").url_name == "api-not-found"


def test_the_signed_in_floor_answers_a_signed_in_person_with_the_sign_in_statement_alone(
    haven_floor_urls,
):
    """Everything every API call pays (the stack, DRF, the bearer token's one statement, the
    throttle) and no work of its own: its cost beyond the stack floor is the sign-in and DRF."""
    client = client_for(UserFactory(locale="es"))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/{SIGNED_IN_FLOOR_PATH}")

    assert response.status_code == 200
    assert response.json() == {"ok": 1}
    assert len(captured.captured_queries) == 1  # the sign-in, with the person and session
    assert '"django_session"' in captured.captured_queries[0]["sql"]
    assert response["Content-Language"] == "es"  # the sign-in switched the person's language on


def test_the_signed_in_floor_refuses_a_call_without_a_live_sign_in(haven_floor_urls):
    assert_error_shape(APIClient().get(f"/{SIGNED_IN_FLOOR_PATH}"), 401, "not_authenticated")

    person = UserFactory()
    client = client_for(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert_error_shape(client.get(f"/{SIGNED_IN_FLOOR_PATH}"), 401, "authentication_failed")


def test_the_signed_in_floor_counts_against_the_persons_request_budget(haven_floor_urls):
    """The per-person throttle runs as on every endpoint: its cost is part of the floor."""
    from rest_framework.throttling import UserRateThrottle

    view = resolve(f"/{SIGNED_IN_FLOOR_PATH}").func.view_class
    assert any(issubclass(throttle, UserRateThrottle) for throttle in view().throttle_classes)
