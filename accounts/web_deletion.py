"""Deleting an account on the web, for people who no longer have the app (app stores ask
for it): `/account/delete` asks for the email address and always answers the same; a task
sends the one-time link (signed, an hour, at most DELETION_EMAILS_PER_DAY emails per address
a day); the link opens a page that asks for the password, and only its POST deletes (mail
scanners follow links, and access to a mailbox must not be enough to erase someone).

Server-rendered, no JavaScript, translatable, CSRF-protected."""

from __future__ import annotations

import hashlib

import structlog
from django import forms
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.deletion import account_delete_with_password, deletion_link_person
from accounts.models import User
from common.errors import ApplicationError

logger = structlog.get_logger(__name__)


class DeletionRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)


class DeletionConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput, max_length=4096, strip=False
    )


def _counted_within(key: str, *, limit: int, seconds: int, event: str) -> bool:
    """Count one more use of `key` (a counter living `seconds` from its first use) and say
    whether it stays within `limit`. Fails closed: while the cache is down, the answer is
    no (and `event` is logged)."""
    cache = caches["strict"]
    try:
        cache.add(key, 0, timeout=seconds)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this use starts a new count
        cache.set(key, 1, timeout=seconds)
        count = 1
    except Exception:
        logger.warning(event, exc_info=True)
        return False
    return count <= limit


def _within_daily_emails(email: str) -> bool:
    """At most DELETION_EMAILS_PER_DAY requests per address a day (counted by a hash of the
    address, whether or not it has an account, so the count tells nothing either). Fails
    closed: while the cache is down no email goes out (the answer is the same)."""
    return _counted_within(
        "deletion-link:" + hashlib.sha256(email.encode()).hexdigest(),
        limit=settings.DELETION_EMAILS_PER_DAY,
        seconds=24 * 3600,
        event="deletion_link_limit_unavailable",
    )


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, f"accounts/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def deletion_request_page(request: HttpRequest) -> HttpResponse:
    """Ask for the address; always the same answer after a valid one."""
    from accounts.tasks import send_deletion_link

    if request.method == "GET":
        return _page(request, "delete_request.html", {"form": DeletionRequestForm()})
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, "delete_request.html", {"form": form}, status=400)
    email = User.objects.normalize_email(form.cleaned_data["email"])
    if _within_daily_emails(email):
        try:
            send_deletion_link.apply_async((email,), retry=False)
        except Exception:  # the broker is down: the person may try again; the answer is the same
            logger.warning("deletion_link_enqueue_failed", exc_info=True)
    return _page(request, "delete_request_sent.html", {})


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def deletion_confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks for the password (a scanner opening the link changes nothing); POST
    with the right password deletes."""
    person = deletion_link_person(token)
    if person is None:
        return _page(request, "delete_link_invalid.html", {}, status=400)
    if request.method == "GET":
        return _page(request, "delete_confirm.html", {"form": DeletionConfirmForm()})
    form = DeletionConfirmForm(request.POST)
    if not _within_password_tries(token):
        return _page(request, "delete_link_invalid.html", {}, status=400)
    if form.is_valid():
        try:
            account_delete_with_password(
                person=person, password=form.cleaned_data["password"], via="web"
            )
        except ApplicationError as error:  # the app's rule and words: a wrong password
            form.add_error("password", error.detail)
        else:
            return _page(request, "delete_done.html", {})
    return _page(request, "delete_confirm.html", {"form": form}, status=400)


PASSWORD_TRIES_PER_LINK = 5


def _within_password_tries(token: str) -> bool:
    """A link allows a few password tries, then stops working (someone reading the mailbox
    must not be able to guess the password here). While the cache is down: no guessing at
    all until it is back."""
    return _counted_within(
        "deletion-tries:" + hashlib.sha256(token.encode()).hexdigest(),
        limit=PASSWORD_TRIES_PER_LINK,
        seconds=int(settings.DELETION_LINK_MAX_AGE.total_seconds()),
        event="deletion_tries_unavailable",
    )
