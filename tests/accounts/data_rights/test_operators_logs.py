"""The audit log of data requests and the consent records in the admin: superusers read
them (an operator answering a data request), nobody adds, changes or deletes a row, and
other staff do not see them at all."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent, Consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = {"auditevent": AuditEvent, "consent": Consent}


def _rows():
    person = UserFactory()
    event = AuditEvent.objects.create(user=person, kind=AuditEvent.Kind.EXPORT, via="app")
    consent = Consent.objects.create(
        user=person, notice_version="2026-11", sensitive_data=True, age_confirmed=True
    )
    return {"auditevent": event, "consent": consent}


def _client(**flags) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, **flags))
    return client


@pytest.mark.parametrize("model", sorted(MODELS))
def test_superusers_read_them_and_nobody_writes_them(model):
    row = _rows()[model]
    operator = _client(is_superuser=True)
    base = f"/admin/accounts/{model}/"
    assert operator.get(base).status_code == 200
    assert operator.get(f"{base}{row.pk}/change/").status_code == 200  # read-only page
    assert operator.get(f"{base}add/").status_code == 403
    assert operator.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    operator.post(f"{base}{row.pk}/change/", {"via": "web", "notice_version": "x"})
    assert MODELS[model].objects.filter(pk=row.pk).exists()
    row.refresh_from_db()
    assert getattr(row, "via", "app") == "app"
    assert getattr(row, "notice_version", "2026-11") == "2026-11"


@pytest.mark.parametrize("model", sorted(MODELS))
def test_other_staff_do_not_see_them(model):
    row = _rows()[model]
    staff = _client(is_superuser=False)
    base = f"/admin/accounts/{model}/"
    assert staff.get(base).status_code == 403
    assert staff.get(f"{base}{row.pk}/change/").status_code == 403
