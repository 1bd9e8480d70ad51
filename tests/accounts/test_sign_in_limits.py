"""Sign-in limits that hold behind a proxy and cannot be turned against a person.

Failures are counted only once a password is checked and found wrong; the right password is
never refused (over a limit it asks for a code sent by email); every "not now" says when with
a true Retry-After; django-axes watches the admin alone; a Redis outage refuses no one."""

import time

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.utils import APP, last_emailed_code

WRONG = "not the right one 1"
SHARED_ADDRESS = "203.0.113.50"


def _login(email: str, password: str, ip: str = SHARED_ADDRESS, client=None, **extra):
    return (client or APIClient()).post(
        f"{APP}/auth/login",
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=ip,
        **extra,
    )


def _codes(response) -> list[str]:
    return [error["code"] for error in response.json().get("errors", [])]


def _confirm_emailed_code(login_response, ip: str = SHARED_ADDRESS):
    """The login-by-code step: the pending flow named, then the emailed code confirmed."""
    body = login_response.json()
    assert login_response.status_code == 401, body
    pending = [flow["id"] for flow in body["data"]["flows"] if flow.get("is_pending")]
    assert pending == ["login_by_code"], body
    session_token = body["meta"]["session_token"]
    return APIClient().post(
        f"{APP}/auth/code/confirm",
        {"code": last_emailed_code()},
        format="json",
        REMOTE_ADDR=ip,
        HTTP_X_SESSION_TOKEN=session_token,
    )


def test_failures_on_an_account_never_refuse_its_right_password(db):
    """An abusive partner who knows the email cannot keep its owner out: after five wrong
    passwords the right one still signs in, through a code sent to the owner's email."""
    owner = UserFactory()
    for n in range(5):
        assert _codes(_login(owner.email, WRONG, ip=f"198.51.100.{n}")) == [
            "email_password_mismatch"
        ]
    mail.outbox.clear()

    correct = _login(owner.email, PASSWORD, ip="192.0.2.77")
    assert "access_token" not in correct.json().get("meta", {})
    assert mail.outbox and mail.outbox[-1].to == [owner.email]
    signed_in = _confirm_emailed_code(correct, ip="192.0.2.77")
    assert signed_in.status_code == 200, signed_in.content
    assert signed_in.json()["meta"]["access_token"]


def test_a_wrong_password_over_the_account_limit_is_slowed_and_says_when(db):
    owner = UserFactory()
    for n in range(5):
        _login(owner.email, WRONG, ip=f"198.51.100.{n}")
    mail.outbox.clear()

    slowed = _login(owner.email, "another guess 22", ip="198.51.100.99")
    assert slowed.status_code == 400
    assert slowed["Content-Type"].startswith("application/json")
    assert _codes(slowed) == ["too_many_login_attempts"]
    # The oldest of the five failures leaves the 5-minute window in just under 300 s.
    assert 290 <= int(slowed["Retry-After"]) <= 300
    assert mail.outbox == []  # a wrong password sends the owner nothing


def test_a_right_password_under_the_limit_signs_in_at_once(db):
    owner = UserFactory()
    for n in range(4):
        _login(owner.email, WRONG, ip=f"198.51.100.{n}")
    response = _login(owner.email, PASSWORD)
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["access_token"]


def test_a_right_password_does_not_use_up_the_accounts_failures(db):
    """Signing in never counts as a failure, however often."""
    owner = UserFactory()
    for _ in range(8):
        assert _login(owner.email, PASSWORD).status_code == 200


def test_ten_failures_for_assorted_emails_do_not_lock_out_another_person_at_that_address(db):
    """A shared address (a home network, a carrier's NAT, an unconfigured load balancer):
    someone's ten wrong passwords for assorted emails do not refuse a neighbour's right one."""
    neighbour = UserFactory()
    for n in range(10):
        _login(f"someone{n}@example.com", WRONG)
    assert _codes(_login("someone99@example.com", WRONG)) == ["too_many_login_attempts"]
    mail.outbox.clear()

    correct = _login(neighbour.email, PASSWORD)
    assert correct.status_code in (200, 401), correct.content
    if correct.status_code == 401:  # the address is under attack: the emailed code step
        correct = _confirm_emailed_code(correct)
    assert correct.status_code == 200, correct.content
    assert correct.json()["meta"]["access_token"]


def test_a_login_flood_answers_json_429_with_a_true_retry_after(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    started = time.time()
    for n in range(3):
        _login(f"p{n}@example.com", WRONG)
    flooded = _login("p9@example.com", WRONG)
    assert flooded.status_code == 429
    assert flooded["Content-Type"].startswith("application/json")
    assert flooded.json()["status"] == 429
    elapsed = time.time() - started
    assert 60 - elapsed - 1 <= int(flooded["Retry-After"]) <= 60


# --- One proxy setting drives allauth too --------------------------------------------------


def test_rotating_x_forwarded_for_does_not_escape_the_login_limit_without_a_proxy(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        _login("p@example.com", WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_login_limit(db, settings):
    settings.HAVEN_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    proxy = "10.1.1.1"

    def from_client(address: str, claimed: str = "6.6.6.6"):
        # The client's own claim comes first; the proxy appends the address it saw.
        forwarded = f"{claimed}, {address}"
        return _login("p@example.com", WRONG, ip=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    assert [from_client("198.51.100.1", claimed=f"7.7.7.{n}").status_code for n in range(4)] == [
        400,
        400,
        400,
        429,
    ]
    assert from_client("198.51.100.2").status_code == 400


# --- django-axes is for the admin only -------------------------------------------------------


def test_app_sign_in_failures_are_neither_recorded_nor_locked_by_axes(db):
    staff = UserFactory(is_staff=True)
    for _ in range(7):
        _login(staff.email, WRONG, ip="198.51.100.20")
    assert AccessAttempt.objects.count() == 0
    # The admin sign-in from the same address is untouched by the app's failures.
    admin = Client(REMOTE_ADDR="198.51.100.20")
    response = admin.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302


def test_the_admin_lockout_counts_the_address_the_trusted_proxy_names(db, settings):
    settings.HAVEN_TRUSTED_PROXY_COUNT = 1
    staff = UserFactory(is_staff=True)
    proxy = "10.1.1.1"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.30")
    for _ in range(5):
        attacker.post("/admin/login/", {"username": staff.email, "password": WRONG})
    locked = attacker.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.30"}
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.31")
    ok = colleague.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert ok.status_code == 302


# --- Redis down: sign-in still works ---------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    """The shared cache pointing at a port nothing listens on (the fault tests stop a real
    Redis: tests/faults/)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }


def test_sign_in_works_while_the_cache_is_down(db, cache_down):
    owner = UserFactory()
    started = time.monotonic()
    assert _codes(_login(owner.email, WRONG)) == ["email_password_mismatch"]
    response = _login(owner.email, PASSWORD)
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["access_token"]
    assert time.monotonic() - started < 5  # no waiting on a lock that never comes
