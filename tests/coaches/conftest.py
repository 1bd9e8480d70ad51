"""Coaches: a staff user in the Coaches group, couples that consent to them, and a couple's
worth of shared and private content to prove what a coach may and may not see."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from accounts.models import Preferences
from checkins.models import CheckIn
from couples.models import (
    COACHES_GROUP,
    Agreement,
    AgreementRevision,
    Boundary,
    CoachGrant,
    ConversationRequest,
    SpacePeriod,
)
from couples.services.coaching import coach_grant_consent, coach_grant_invite
from tests.factories import UserFactory

# Words people keep to themselves. None of them may appear on any page a coach (or an
# operator) can open.
PRIVATE = {
    "checkin_private_note": "PRIVATE-checkin-note-umbrella",
    "unsent_shared_note": "PRIVATE-unsent-note-lantern",
    "private_boundary": "PRIVATE-boundary-harbour",
    "held_topic": "PRIVATE-held-topic-compass",
    "space_reassurance": "PRIVATE-space-words-meadow",
    "revision_need": "PRIVATE-revision-need-orchard",
}
# What both partners share with each other, and so with a coach they both consented to.
SHARED = {
    "boundary": "SHARED-boundary-quiet-mornings",
    "agreement": "SHARED-agreement-sunday-walks",
    "topic": "SHARED-topic-holiday-plans",
}
# Another couple's shared words: never on this coach's pages.
OTHER = {"boundary": "OTHER-couple-boundary-lighthouse", "agreement": "OTHER-agreement-kite"}


def group_migration():
    return importlib.import_module("couples.migrations.0006_coaches_group")


@pytest.fixture
def coaches_group(db):
    """The group comes from a data migration; a transactional test elsewhere on the same
    worker flushes it, so put it back (with its permissions) when it is gone."""
    if not Group.objects.filter(name=COACHES_GROUP, permissions__isnull=False).exists():
        group_migration().create_group(apps, None)
        importlib.import_module(
            "checkins.migrations.0004_coaches_curate_prompts"
        ).add_prompt_permissions(apps, None)
    return Group.objects.get(name=COACHES_GROUP)


def make_coach(group, **fields):
    coach = UserFactory(is_staff=True, **fields)
    coach.groups.add(group)
    return coach


@pytest.fixture
def coach(coaches_group):
    return make_coach(coaches_group, display_name="Coach Morgan")


@pytest.fixture
def coach_client(coach) -> Client:
    client = Client()
    client.force_login(coach)
    return client


def grant_active(couple_ns, coach) -> CoachGrant:
    grant = coach_grant_invite(user=couple_ns.a, coach_email=coach.email)
    return coach_grant_consent(grant=grant, user=couple_ns.b)


def plant_content(couple_ns, *, shared=SHARED, private=PRIVATE) -> SimpleNamespace:
    """Both kinds of content for a couple: what they share, and what each keeps private."""
    a, b, couple = couple_ns.a, couple_ns.b, couple_ns.couple
    today = timezone.now().date()
    for offset, (mood, dial) in enumerate([(2, -2), (3, -1), (4, 1)]):
        CheckIn.objects.create(
            author=a,
            couple=couple,
            local_date=today - dt.timedelta(days=3 - offset),
            mood=mood,
            dial=dial,
            shared_note="a fine day",
            private_note=private["checkin_private_note"],
        )
        CheckIn.objects.create(
            author=b,
            couple=couple,
            local_date=today - dt.timedelta(days=3 - offset),
            mood=5 - offset,
            dial=2 - offset,
        )
    CheckIn.objects.create(
        author=b,
        couple=couple,
        local_date=today,
        mood=1,
        shared_note=private["unsent_shared_note"],
        is_shared=False,
    )
    CheckIn.objects.create(author=a, couple=couple, local_date=today, passed=True)
    Boundary.objects.create(owner=a, kind="need", text=shared["boundary"], visibility="shared")
    Boundary.objects.create(
        owner=b, kind="limit", text=private["private_boundary"], visibility="private"
    )
    agreement = Agreement.objects.create(couple=couple, title=shared["agreement"])
    revision = AgreementRevision.objects.create(
        agreement=agreement,
        number=1,
        author=a,
        terms="walk on Sundays",
        my_need=private["revision_need"],
        your_need_as_i_understand="rest",
    )
    agreement.latest_revision = revision
    agreement.save()
    ConversationRequest.objects.create(
        couple=couple,
        requester=a,
        partner=b,
        topic=shared["topic"],
        depth="light",
        urgency="no_rush",
        calm_score=4,
    )
    ConversationRequest.objects.create(
        couple=couple,
        requester=b,
        partner=a,
        topic=private["held_topic"],
        depth="deep",
        urgency="today",
        calm_score=1,
        status="held",
        hold_until=timezone.now() + dt.timedelta(hours=2),
    )
    SpacePeriod.objects.create(
        user=b,
        couple=couple,
        ends_at=timezone.now() + dt.timedelta(hours=3),
        reassurance_text=private["space_reassurance"],
    )
    Preferences.objects.create(user=b, attachment_style="fearful_avoidant")
    return SimpleNamespace(agreement=agreement)


def assert_nothing_private(html: str) -> None:
    for name, words in PRIVATE.items():
        assert words not in html, name
    # The attachment style a person did not share, in either spelling.
    assert "fearful_avoidant" not in html and "Fearful-avoidant" not in html
    assert "calm_score" not in html and "calm score" not in html.lower()
    for name, words in OTHER.items():
        assert words not in html, f"other couple's {name}"
