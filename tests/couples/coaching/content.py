"""A couple's worth of shared and private content, to prove what a coach may and may not
see, and a grant both partners consented to. (The coach and the Coaches group are fixtures:
tests/fixtures/coaching.py and this folder's conftest.)"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Preferences
from couples.models import CoachGrant, ConversationRequest, SpacePeriod
from couples.services.coaching import coach_grant_consent, coach_grant_invite
from tests.factories import AgreementFactory, BoundaryFactory, CheckInFactory
from tests.utils import today_for

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


def grant_active(couple_ns, coach) -> CoachGrant:
    """A grant both partners consented to, through the services that invite and consent."""
    grant = coach_grant_invite(user=couple_ns.a, coach_email=coach.email)
    return coach_grant_consent(grant=grant, user=couple_ns.b)


def plant_content(couple_ns, *, shared=SHARED, private=PRIVATE) -> SimpleNamespace:
    """Both kinds of content for a couple: what they share, and what each keeps private."""
    a, b, couple = couple_ns.a, couple_ns.b, couple_ns.couple
    today = today_for(a)
    for offset, (mood, dial) in enumerate([(2, -2), (3, -1), (4, 1)]):
        day = today - dt.timedelta(days=3 - offset)
        CheckInFactory(
            author=a,
            local_date=day,
            mood=mood,
            dial=dial,
            shared_note="a fine day",
            private_note=private["checkin_private_note"],
        )
        CheckInFactory(author=b, local_date=day, mood=5 - offset, dial=2 - offset)
    CheckInFactory(
        author=b,
        local_date=today,
        mood=1,
        shared_note=private["unsent_shared_note"],
        is_shared=False,
    )
    CheckInFactory(author=a, local_date=today, passed=True, mood=None)
    BoundaryFactory(owner=a, kind="need", text=shared["boundary"], shared=True)
    BoundaryFactory(owner=b, kind="limit", text=private["private_boundary"])
    agreement = AgreementFactory(
        author=a,
        title=shared["agreement"],
        terms="walk on Sundays",
        my_need=private["revision_need"],
        your_need_as_i_understand="rest",
    )
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
