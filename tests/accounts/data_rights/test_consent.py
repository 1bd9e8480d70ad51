"""Consent, recorded: sign-up records the privacy notice's version, explicit consent to
processing sensitive data and being old enough; a new notice asks again; the export carries
the records; withdrawing leads to deletion."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import AuditEvent, Consent, User
from accounts.selectors import consent_current_of, consent_state_of
from tests.factories import PASSWORD, UserFactory, pair
from tests.utils import APP, SIGNUP_CONSENT, assert_error_shape, client_for

pytestmark = pytest.mark.django_db

ACCEPT = {
    "notice_version": settings.PRIVACY_NOTICE_VERSION,
    "sensitive_data": True,
    "age_confirmed": True,
}


def _signup(**body):
    return APIClient().post(
        f"{APP}/auth/signup",
        {"email": "new@example.com", "password": "a quiet lake at noon", **body},
        format="json",
    )


def test_sign_up_records_the_notice_version_consent_and_age():
    assert _signup(**SIGNUP_CONSENT).status_code == 401  # verification pending
    person = User.objects.get(email="new@example.com")
    consent = Consent.objects.get(user=person)
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION
    assert consent.sensitive_data and consent.age_confirmed
    assert AuditEvent.objects.filter(user=person, kind="consent_given").exists()


@pytest.mark.parametrize("missing", ["consent_sensitive_data", "age_confirmed"])
def test_sign_up_without_explicit_consent_or_age_creates_no_one(missing):
    response = _signup(**{**SIGNUP_CONSENT, missing: False})
    assert response.status_code == 400
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_with_an_old_notice_version_is_refused():
    response = _signup(**{**SIGNUP_CONSENT, "privacy_notice_version": "2001-01"})
    assert response.status_code == 400
    assert not User.objects.filter(email="new@example.com").exists()


def test_a_new_notice_version_asks_again_and_accepting_answers_it(settings):
    person = UserFactory()
    client = client_for(person)
    assert client.post("/api/v1/me/consent", ACCEPT).status_code == 200
    assert client.get("/api/v1/me").json()["consent_required"] is False
    settings.PRIVACY_NOTICE_VERSION = "2027-01"
    assert client.get("/api/v1/me").json()["consent_required"] is True
    state = client.get("/api/v1/me/consent").json()
    assert state["consent_required"] is True and state["notice_version"] == "2027-01"
    response = client.post("/api/v1/me/consent", {**ACCEPT, "notice_version": "2027-01"})
    assert response.status_code == 200 and response.json()["consent_required"] is False
    assert client.get("/api/v1/me").json()["consent_required"] is False
    # Both acceptances are in the export.
    versions = [c["notice_version"] for c in client.get("/api/v1/me/export").json()["consent"]]
    assert versions == [ACCEPT["notice_version"], "2027-01"]


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("sensitive_data", "consent_required"),
        ("age_confirmed", "too_young"),
        ("notice_version", "notice_version_outdated"),
    ],
)
def test_consent_needs_every_part(field, code):
    client = client_for(UserFactory())
    body = {**ACCEPT, field: "1999" if field == "notice_version" else False}
    assert_error_shape(client.post("/api/v1/me/consent", body), 400, code, "validation_error")


def test_withdrawing_consent_deletes_the_account_like_an_ordinary_deletion():
    _couple, person, partner = pair()
    client = client_for(person)
    wrong = client.delete("/api/v1/me/consent", {"password": "no"}, format="json")
    assert_error_shape(wrong, 400, "password_incorrect", "validation_error")
    response = client.delete("/api/v1/me/consent", {"password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert User.objects.get(pk=person.pk).deleted_at is not None
    assert partner.memberships.get().left_at is not None
    kinds = set(AuditEvent.objects.filter(user_id=person.pk).values_list("kind", flat=True))
    assert {"consent_withdrawn", "account_deleted"} <= kinds


def test_me_and_me_consent_answer_from_the_one_consent_read(settings):
    """`me.consent_required` and `me/consent` come from one selector (accounts.selectors),
    so a new notice version flips both at once."""
    person = UserFactory()
    client = client_for(person)
    assert client.post("/api/v1/me/consent", ACCEPT).status_code == 200
    for version in (ACCEPT["notice_version"], "2027-01"):
        settings.PRIVACY_NOTICE_VERSION = version
        state = consent_state_of(user=person)
        assert state["consent_required"] is (version != ACCEPT["notice_version"])
        assert client.get("/api/v1/me").json()["consent_required"] is state["consent_required"]
        consent = client.get("/api/v1/me/consent").json()
        assert consent["consent_required"] is state["consent_required"]
        assert (consent_current_of(user=person) is None) is state["consent_required"]
