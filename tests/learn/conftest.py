"""A coach both partners consented to, for the lessons tests (the Coaches group fixture is
in tests/fixtures/coaching.py)."""

import pytest

from tests.couples.coaching.content import grant_active
from tests.factories import CoachFactory


@pytest.fixture
def coach_for(coaches_group):
    def make(people):
        coach = CoachFactory(groups=[coaches_group], display_name="Coach Morgan")
        grant_active(people, coach)
        return coach

    return make
