"""The OWASP map in tests/security/README.md names only tests that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def test_every_test_the_map_names_exists():
    text = (Path(__file__).parent / "README.md").read_text()
    references = REFERENCE.findall(text)
    assert len(references) > 30
    missing = [
        f"{path}::{name}"
        for path, name in references
        if not (ROOT / path).exists()
        or not re.search(rf"^\s*def {name}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert missing == []


def test_the_map_has_all_ten():
    text = (Path(__file__).parent / "README.md").read_text()
    for number in range(1, 11):
        assert f"**API{number} " in text, number
