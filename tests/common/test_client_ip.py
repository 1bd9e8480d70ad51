"""One rule for who is asking (`common.net.client_ip`), driven by one setting
(`HAVEN_TRUSTED_PROXY_COUNT`), and DRF's throttles keeping to it."""

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from common.net import client_ip
from common.throttling import AnonThrottle, InviteCodeIPThrottle
from tests.factories import UserFactory
from tests.utils import client_for

PROXY = "10.1.1.1"


def _request(remote: str = "192.0.2.10", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, "192.0.2.10"),
        (0, "6.6.6.6", "192.0.2.10"),  # no trusted proxy: the header is the client's own words
        (1, None, "192.0.2.10"),  # a request that did not come through the proxy
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's claim is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (3, "198.51.100.7, 10.0.0.2", "198.51.100.7"),  # fewer hops than proxies
        (1, "198.51.100.7:5555", "198.51.100.7"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
        (1, "not an address", "192.0.2.10"),
        (1, "6.6.6.6, ", "192.0.2.10"),
        (1, "\x00", "192.0.2.10"),
    ],
)
def test_client_ip(settings, count, forwarded, expected):
    settings.HAVEN_TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded=forwarded)) == expected


@given(forwarded=st.text(max_size=300), count=st.integers(min_value=0, max_value=4))
def test_client_ip_never_raises_and_always_names_an_address(forwarded, count):
    from django.conf import settings

    previous = getattr(settings, "HAVEN_TRUSTED_PROXY_COUNT", 0)
    settings.HAVEN_TRUSTED_PROXY_COUNT = count
    try:
        address = client_ip(_request(forwarded=forwarded))
    finally:
        settings.HAVEN_TRUSTED_PROXY_COUNT = previous
    assert address == "192.0.2.10" or "." in address or ":" in address


def test_a_missing_remote_address_is_still_an_address(settings):
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) == "0.0.0.0"


# --- DRF's throttles ---------------------------------------------------------------------


def test_rotating_x_forwarded_for_does_not_escape_the_invite_code_limit(monkeypatch, db):
    monkeypatch.setattr(InviteCodeIPThrottle, "get_rate", lambda self: "2/hour")
    guesses = []
    for n in range(3):
        guesser = client_for(UserFactory())
        guesses.append(
            guesser.get(
                "/api/v1/invites/BBBBB-BBBBB",
                REMOTE_ADDR="192.0.2.10",
                HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
            ).status_code
        )
    assert guesses == [404, 404, 429]


def test_rotating_x_forwarded_for_does_not_escape_the_anonymous_throttle(monkeypatch, db):
    monkeypatch.setattr(AnonThrottle, "get_rate", lambda self: "2/min")
    statuses = [
        APIClient()
        .post(
            "/api/v1/unsubscribe/not-a-token",
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )
        .status_code
        for n in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_behind_one_trusted_proxy_two_clients_have_their_own_anonymous_budgets(
    monkeypatch, settings, db
):
    settings.HAVEN_TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(AnonThrottle, "get_rate", lambda self: "2/min")

    def post(client_address: str) -> int:
        return (
            APIClient()
            .post(
                "/api/v1/unsubscribe/not-a-token",
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_address}",
            )
            .status_code
        )

    assert [post("198.51.100.1") for _ in range(3)] == [400, 400, 429]
    assert post("198.51.100.2") == 400


def test_behind_one_trusted_proxy_invite_guessers_are_counted_apart(monkeypatch, settings, db):
    settings.HAVEN_TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(InviteCodeIPThrottle, "get_rate", lambda self: "2/hour")

    def guess(client_address: str) -> int:
        return (
            client_for(UserFactory())
            .get(
                "/api/v1/invites/BBBBB-BBBBB",
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=client_address,
            )
            .status_code
        )

    assert [guess("198.51.100.1") for _ in range(3)] == [404, 404, 429]
    assert guess("198.51.100.2") == 404
