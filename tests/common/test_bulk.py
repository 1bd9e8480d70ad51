import datetime as dt

import pytest

from common.bulk import bulk_update_values
from nudges.models import Nudge
from tests.factories import NudgeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_in_one_statement(django_assert_num_queries):
    user = UserFactory()
    now = dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC)
    rows = NudgeFactory.create_batch(3, recipient=user, due_at=now)
    rows[0].state, rows[0].reason = "sent", "allowed"
    rows[1].due_at, rows[1].reason = now + dt.timedelta(hours=2), "quiet_time"
    rows[2].state, rows[2].sent_at = "dropped", None
    with django_assert_num_queries(1):
        assert bulk_update_values(rows, ["state", "reason", "due_at", "sent_at"]) == 3
    stored = {n.pk: n for n in Nudge.objects.all()}
    assert (stored[rows[0].pk].state, stored[rows[0].pk].reason) == ("sent", "allowed")
    assert stored[rows[1].pk].due_at == now + dt.timedelta(hours=2)
    assert stored[rows[2].pk].state == "dropped"


def test_nothing_to_update_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_values([], ["state"]) == 0
