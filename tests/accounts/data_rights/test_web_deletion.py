"""Deleting an account on the web (`/account/delete`), for people who no longer have the
app: the same answer for every address, a one-time signed link by email, and only the
confirmation page's POST with the password deletes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from accounts.deletion import deletion_link_send, deletion_link_token
from accounts.models import AuditEvent, User
from accounts.tasks import send_deletion_link
from tests.factories import PASSWORD, UserFactory, pair

pytestmark = pytest.mark.django_db


def _browser() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf_post(browser: Client, url: str, data: dict):
    page = browser.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, page.content
    return browser.post(url, {**data, "csrfmiddlewaretoken": token.group(1)})


def _link_in_last_email() -> str:
    return re.search(r"http://testserver(/account/delete/\S+)", mail.outbox[-1].body).group(1)


def test_the_page_is_plain_html_with_a_form_and_no_script():
    response = _browser().get("/account/delete")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" in html and "csrfmiddlewaretoken" in html and "<script" not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_the_page_speaks_the_browsers_language():
    response = Client().get("/account/delete", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200


def test_a_post_without_the_csrf_token_is_refused():
    assert _browser().post("/account/delete", {"email": "x@example.com"}).status_code == 403


def test_known_and_unknown_addresses_get_the_same_answer(monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr(send_deletion_link, "apply_async", lambda args, **kw: sent.append(args[0]))
    person = UserFactory(email="known@example.com")
    known = _csrf_post(_browser(), "/account/delete", {"email": "Known@Example.com"})
    unknown = _csrf_post(_browser(), "/account/delete", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200

    def page(response):
        return re.sub(r'value="[^"]+"', "", response.content.decode())

    assert page(known) == page(unknown)
    # Both are handed to the task; only the task looks the address up.
    assert sent == ["known@example.com", "nobody@example.com"]
    assert deletion_link_send(email="nobody@example.com") is False
    assert deletion_link_send(email="known@example.com") is True
    assert mail.outbox[-1].to == [person.email]
    assert AuditEvent.objects.filter(user=person, kind="deletion_link_requested").count() == 1


def test_at_most_three_emails_per_address_a_day(monkeypatch, settings):
    settings.DELETION_EMAILS_PER_DAY = 3
    sent: list[str] = []
    monkeypatch.setattr(send_deletion_link, "apply_async", lambda args, **kw: sent.append(args[0]))
    for _ in range(5):
        response = _csrf_post(_browser(), "/account/delete", {"email": "someone@example.com"})
        assert response.status_code == 200
    assert sent == ["someone@example.com"] * 3


def test_the_link_asks_for_the_password_and_only_its_post_deletes(time_machine):
    _couple, person, partner = pair()
    deletion_link_send(email=person.email)
    link = _link_in_last_email()
    scanner = Client()
    for _ in range(2):  # a mail scanner following the link changes nothing
        page = scanner.get(link)
        assert page.status_code == 200 and 'type="password"' in page.content.decode()
    assert User.objects.get(pk=person.pk).deleted_at is None

    browser = _browser()
    wrong = _csrf_post(browser, link, {"password": "not my password"})
    assert wrong.status_code == 400
    assert User.objects.get(pk=person.pk).deleted_at is None
    done = _csrf_post(browser, link, {"password": PASSWORD})
    assert done.status_code == 200
    assert User.objects.get(pk=person.pk).deleted_at is not None
    # The couple ended as an ordinary end does; the link never works again.
    assert partner.memberships.get().left_at is not None
    assert Client().get(link).status_code == 400
    assert AuditEvent.objects.filter(user_id=person.pk, kind="account_deleted", via="web").exists()


def test_a_link_expires_after_an_hour(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC), tick=False)
    person = UserFactory()
    link = f"/account/delete/{deletion_link_token(person)}"
    time_machine.move_to(dt.datetime(2026, 11, 29, 13, 1, tzinfo=dt.UTC), tick=False)
    assert Client().get(link).status_code == 400


def test_a_tampered_link_or_one_from_before_a_password_change_does_not_work():
    person = UserFactory()
    token = deletion_link_token(person)
    assert Client().get(f"/account/delete/{token}x").status_code == 400
    person.set_password("a different calm harbour")
    person.save()
    assert Client().get(f"/account/delete/{token}").status_code == 400


def test_a_link_stops_after_a_few_wrong_passwords():
    person = UserFactory()
    link = f"/account/delete/{deletion_link_token(person)}"
    browser = _browser()
    for _ in range(5):
        assert _csrf_post(browser, link, {"password": "guess"}).status_code == 400
    assert _csrf_post(browser, link, {"password": PASSWORD}).status_code == 400
    assert User.objects.get(pk=person.pk).deleted_at is None


def test_a_wrong_password_is_told_in_the_apps_words_and_deletes_nothing():
    person = UserFactory()
    link = f"/account/delete/{deletion_link_token(person)}"
    wrong = _csrf_post(_browser(), link, {"password": "not my password"})
    assert wrong.status_code == 400
    assert "That password does not match. Nothing was deleted." in wrong.content.decode()
    assert User.objects.get(pk=person.pk).deleted_at is None


def test_while_the_cache_is_down_no_link_is_sent_and_no_password_deletes(monkeypatch, settings):
    """Both limits fail closed on a real unreachable Redis: the same answers as ever, no
    email queued, and not even the right password deletes until the cache is back."""
    person = UserFactory()
    link = f"/account/delete/{deletion_link_token(person)}"
    browser = _browser()
    sent: list[str] = []
    monkeypatch.setattr(send_deletion_link, "apply_async", lambda args, **kw: sent.append(args[0]))
    settings.CACHES = {
        **settings.CACHES,
        "strict": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }
    asked = _csrf_post(_browser(), "/account/delete", {"email": person.email})
    assert asked.status_code == 200 and sent == []
    assert _csrf_post(browser, link, {"password": PASSWORD}).status_code == 400
    assert User.objects.get(pk=person.pk).deleted_at is None
