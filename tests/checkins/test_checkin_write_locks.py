"""A check-in being written holds the couple's lock (one check-in write per couple at a time,
so the bridge is announced once), yet the partner's other writes that merely refer to the
couple (a ping, an agreement) never wait on it: with FOR UPDATE they deadlocked under load
(tests/scaling/)."""

import pytest
from django.db import transaction

from checkins.services import checkin_upsert
from tests.factories import UserFactory, pair
from tests.utils import row_referable_now, today_for


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_checkin_in_flight_leaves_the_couple_referable():
    couple, author, _partner = pair()
    with transaction.atomic():
        checkin_upsert(author=author, local_date=today_for(author), data={"mood": 3})
        assert row_referable_now("couples_couple", couple.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_checkin_alone_in_flight_leaves_the_author_referable():
    author = UserFactory()
    with transaction.atomic():
        checkin_upsert(author=author, local_date=today_for(author), data={"mood": 3})
        assert row_referable_now("accounts_user", author.pk)
