import pytest
from django.core.cache import cache
from django.utils import translation

from checkins.library import prompt_library_forget
from common.throttling import forget_leases

# Fixtures live in these modules (never imported by a test); helpers tests call are in
# tests/utils.py and objects come from tests/factories.py.
pytest_plugins = [
    "tests.fixtures.people",
    "tests.fixtures.couples",
    "tests.fixtures.coaching",
    "tests.fixtures.safety",
    "tests.fixtures.lessons",
    "tests.fixtures.schema_truth",
    "tests.fixtures.faults",
    "tests.fixtures.scaling",
    "tests.fixtures.fuzz",
    "tests.fixtures.fuzz_tally",
    "tests.fixtures.catalogues",
    "tests.fixtures.prompts",
]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in Redis (and the counts a process reserved there, in
    `common.throttling`'s leases); each test starts from none. And from the prompt
    library as its database holds it: a test's prompts are rolled back with it, and a
    rolled-back change tells no process (`checkins.library`)."""
    cache.clear()
    forget_leases()
    prompt_library_forget()
    yield
    cache.clear()
    forget_leases()
    prompt_library_forget()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: Django's LocaleMiddleware activates a
    request's language and never puts it back, so a test that read a message after a
    Spanish request in the same worker read it in Spanish (which tests read it depended on
    how the files were shared out among the workers)."""
    translation.deactivate()
    yield
    translation.deactivate()
