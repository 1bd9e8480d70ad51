"""`common.renderers.JSONRenderer` writes DRF's JSON with orjson (issue 17): the same bytes as
DRF's own renderer for every answer Haven gives, and DRF's renderer itself for anything
orjson would write differently or not at all."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from common.renderers import JSONRenderer
from tests.factories import AgreementFactory, BoundaryFactory, CheckInFactory

HAVEN, DRF = JSONRenderer(), renderers.JSONRenderer()

_INT64 = st.integers(min_value=-(2**63), max_value=2**64 - 1)
_TEXT = st.text(alphabet=st.characters(codec="utf-8"))  # NUL, U+2028, emoji, lone accents
_LEAVES = st.none() | st.booleans() | _INT64 | _TEXT
_JSON_LIKE = st.recursive(
    _LEAVES,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_TEXT, children, max_size=5),
    max_leaves=40,
)


@given(_JSON_LIKE)
def test_any_answer_of_texts_numbers_lists_and_objects_is_written_as_drf_writes_it(data):
    assert HAVEN.render(data) == DRF.render(data)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_is_the_same_number_written_the_shortest_way(value):
    written = HAVEN.render({"average": value})
    assert json.loads(written) == json.loads(DRF.render({"average": value}))
    if 1e-4 <= abs(value) < 1e16 or value == 0:  # no exponent: the very same text
        assert written == DRF.render({"average": value})


def test_drfs_own_types_are_written_by_drfs_encoder():
    data = ReturnDict(
        {
            "at": dt.datetime(2026, 11, 30, 8, 15, 30, 123456, tzinfo=dt.UTC),
            "at_offset": dt.datetime(
                2026, 11, 30, 8, 15, tzinfo=dt.timezone(dt.timedelta(hours=-5))
            ),
            "naive": dt.datetime(2026, 11, 30, 8, 15),
            "day": dt.date(2026, 11, 30),
            "time": dt.time(20, 0),
            "span": dt.timedelta(minutes=90),
            "amount": decimal.Decimal("3.50"),
            "id": uuid.UUID("8d4f1f8e-0d7e-4a53-9d3f-6a1c9d6e2b10"),
            "lazy": gettext_lazy("Invalid token."),
            "detail": ErrorDetail("Not found.", code="not_found"),
            "rows": ReturnList([{"n": 1}, {"n": 2}], serializer=None),
            "set": frozenset(),
            "tuple": (1, "two"),
            "line_breaks": "a\u2028b\u2029c",
        },
        serializer=None,
    )
    assert HAVEN.render(data) == DRF.render(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({1: "a key that is not a string"}, id="int-key"),
        pytest.param({"big": 2**70}, id="beyond-64-bits"),
        pytest.param({"small": -(2**64)}, id="below-64-bits"),
        pytest.param(json.loads("[" * 300 + "]" * 300), id="deeper-than-orjson-goes"),
    ],
)
def test_what_orjson_refuses_drf_writes(data):
    assert HAVEN.render(data) == DRF.render(data)


def test_an_indented_answer_when_asked_for_is_drfs_and_none_is_empty():
    data = {"a": [1, {"b": "c"}]}
    assert HAVEN.render(data, "application/json; indent=2") == DRF.render(
        data, "application/json; indent=2"
    )
    assert HAVEN.render(data, renderer_context={"indent": 4}) == DRF.render(
        data, renderer_context={"indent": 4}
    )
    assert HAVEN.render(None) == b""


def test_what_drf_refuses_is_still_refused():
    aware = dt.time(20, 0, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        DRF.render({"t": aware})
    with pytest.raises((ValueError, TypeError)):
        HAVEN.render({"t": aware})


@pytest.mark.django_db
def test_every_hot_answer_is_the_bytes_drf_would_have_sent(couple):
    today = timezone.localdate()
    for days_ago in range(3):
        day = today - dt.timedelta(days=days_ago)
        CheckInFactory(author=couple.a, local_date=day, shared_note="Calm \u2028 day ☀")
        CheckInFactory(author=couple.b, local_date=day, shared_note="Tired, ça va")
    BoundaryFactory(owner=couple.b, shared=True)
    AgreementFactory(author=couple.a)
    statuses = []
    for path in (
        "/api/v1/me",
        "/api/v1/checkins?page_size=20",
        "/api/v1/checkins/today",
        "/api/v1/couple",
        "/api/v1/couple/partner",
        "/api/v1/boundaries",
        "/api/v1/agreements",
        "/api/v1/notifications",
        "/api/v1/checkins?updated_since=yesterday",  # an error answer too
    ):
        response = couple.client_a.get(path)
        statuses.append(response.status_code)
        assert response.content == DRF.render(response.data), path
    assert statuses == [200] * 8 + [400]
