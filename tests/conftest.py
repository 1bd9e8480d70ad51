import pytest
from django.core.cache import cache

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
    """Rate-limit counters live in Redis; each test starts from none."""
    cache.clear()
    yield
    cache.clear()
