"""The Spanish danger-phrase draft (`common/tone/rules/es/danger_draft.tsv`) measured on its
corpus (`corpus/es/danger.tsv`), until the safety issue's table wires it: every category is
found, negated and quoted danger phrases included, and ordinary words that sound alike
("me muero de ganas de verte", "me va a matar a besos") are left alone. The test prints
precision and recall: `.venv/bin/pytest -n 0 -s tests/common/safety/test_danger_es_draft.py`."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from common.tone.rules.es.words import FOLD

CORPUS = Path(__file__).parent / "corpus" / "es" / "danger.tsv"
DRAFT = Path(settings.BASE_DIR) / "common" / "tone" / "rules" / "es" / "danger_draft.tsv"
CATEGORIES = {"fear", "threat", "self_harm", "watched"}


def _rows(path: Path, columns: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            parts = line.split("\t")
            assert len(parts) == columns, f"{path.name}:{number}: {columns} columns"
            rows.append(parts)
    return rows


RULES = [(category, re.compile(pattern, re.IGNORECASE)) for category, pattern in _rows(DRAFT, 2)]
SENTENCES = _rows(CORPUS, 3)


def _categories(text: str) -> set[str]:
    folded = text.lower().translate(FOLD)
    return {category for category, pattern in RULES if pattern.search(folded)}


def test_the_corpus_is_big_enough_and_covers_every_category():
    assert sum(expected == "danger" for expected, _c, _t in SENTENCES) >= 50
    assert sum(expected == "none" for expected, _c, _t in SENTENCES) >= 50
    assert {c for expected, c, _t in SENTENCES if expected == "danger"} == CATEGORIES
    assert {category for category, _pattern in RULES} == CATEGORIES


def test_precision_and_recall_of_the_draft(capsys):
    found = flagged = expected = 0
    report = []
    for label, category, text in SENTENCES:
        hit = _categories(text)
        expected += label == "danger"
        flagged += bool(hit)
        found += label == "danger" and bool(hit)
        if label == "danger" and not hit:
            report.append(f"  missed ({category}): {text}")
        if label == "none" and hit:
            report.append(f"  false alarm {sorted(hit)}: {text}")
    precision, recall = found / flagged, found / expected
    summary = f"danger draft (es): {len(SENTENCES)} sentences, precision {precision:.3f}, "
    summary += f"recall {recall:.3f}"
    with capsys.disabled():
        print("\n" + "\n".join([summary, *report]))
    assert recall >= 0.95, report
    assert precision >= 0.9, report
