"""The Haven-stack floor: the bare floor's view inside Haven's URLs and middleware."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from bench.floor.views import floor
from bench.haven_floor_urls import FLOOR_PATH

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


def test_the_floor_comes_before_the_apis_catch_all_and_havens_routes_stay(haven_floor_urls):
    assert resolve(f"/{FLOOR_PATH}").func is floor
    assert resolve("/api/v1/me").url_name == "me"
    assert resolve("/api/v1/no-such-thing").url_name == "api-not-found"
