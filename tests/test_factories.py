"""The factories make objects the way the product leaves them, so a test built on them
starts from a state the product could be in."""

import datetime as dt

import pytest

from couples.models import Agreement, Membership
from couples.selectors import boundaries_visible_to
from tests.factories import (
    AgreementFactory,
    BoundaryFactory,
    CheckInFactory,
    CoupleFactory,
    NudgeFactory,
    pair,
)
from tests.utils import today_for

pytestmark = pytest.mark.django_db


def test_a_couple_has_its_two_members():
    couple = CoupleFactory()
    assert Membership.objects.filter(couple=couple, left_at__isnull=True).count() == 2
    assert couple.is_active


def test_a_boundary_has_its_first_revision_and_the_partner_sees_only_a_shared_one():
    _couple, a, b = pair()
    shared = BoundaryFactory(owner=a, shared=True)
    BoundaryFactory(owner=a)
    assert [(r.version, r.text) for r in shared.revisions.all()] == [(1, shared.text)]
    assert list(boundaries_visible_to(b)) == [shared]


def test_an_agreement_waits_for_the_partner_until_accepted():
    _couple, a, _b = pair()
    proposed = AgreementFactory(author=a)
    assert proposed.state == Agreement.State.NEGOTIATING
    assert (proposed.latest_revision.number, proposed.latest_revision.author) == (1, a)
    assert proposed.active_revision is None

    accepted = AgreementFactory(author=a, accepted=True)
    assert accepted.state == Agreement.State.ACTIVE
    assert accepted.active_revision == accepted.latest_revision
    assert accepted.review_on == today_for(a) + dt.timedelta(days=30)


def test_a_checkin_is_for_the_authors_own_today_in_their_couple():
    couple, a, _b = pair()
    checkin = CheckInFactory(author=a)
    assert (checkin.local_date, checkin.couple) == (today_for(a), couple)


def test_a_nudge_is_for_the_recipients_own_day():
    moment = dt.datetime(2027, 1, 1, 23, 30, tzinfo=dt.UTC)  # already 2 January in Berlin
    nudge = NudgeFactory(due_at=moment)
    assert nudge.local_date == dt.date(2027, 1, 2)
    assert nudge.state == "pending"
