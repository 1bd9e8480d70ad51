import pytest


@pytest.fixture(autouse=True)
def _seeded_prompts(prompt_library):
    """Every test here reads the prompt library as the migrations leave it
    (`tests/fixtures/prompts.py`)."""
