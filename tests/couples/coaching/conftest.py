"""A coach (in the Coaches group, signed in to the admin) for this folder's tests."""

import pytest
from django.test import Client

from tests.factories import CoachFactory


@pytest.fixture
def coach(coaches_group):
    return CoachFactory(groups=[coaches_group], display_name="Coach Morgan")


@pytest.fixture
def coach_client(coach) -> Client:
    """The admin uses sessions (coaches sign in with a password there), so a Django test
    client logged in to the admin, not an API token."""
    client = Client()
    client.force_login(coach)
    return client
