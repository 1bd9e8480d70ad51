"""The tone helper measured on a corpus of sentences people write to a partner, one corpus
per language's table (`tone_corpus.tsv` for English, `tone_corpus_es.tsv` for Spanish, next
to this file): does it see what hurts, and leave the rest alone?

The corpus has two halves. The held-out half was written and committed first, before the
rules for labels, "your problem is", conditional-love tests, "stop being so" and sarcasm
existed; the rules were then developed against the tuning half only. Precision and recall
on the held-out half are therefore an estimate of how the rules do on sentences nobody tuned
them for. To see the numbers: `.venv/bin/pytest -n 0 -s tests/common/test_tone_corpus.py`.
The Spanish corpus's held-out half was written and committed before any Spanish rule existed.

Scoring is per sentence: a sentence that expects a code counts as found when one of its
hints has that code; a sentence with hints is a false alarm unless the expected code is among
them (so a hint on a sentence that expects none, or only a different code, counts against
precision)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from common.i18n import shipped_languages
from common.tone import TONE_CODES, TONE_FIELDS, tone_hints

HELD_OUT = "heldout"
TUNING = "tuning"
NONE = "none"


@dataclass(frozen=True)
class Corpus:
    language: str
    path: Path
    min_sentences: int
    min_precision: float
    min_recall: float
    # At least this many sentences that should get a hint, and that should not.
    min_each: int = 0


HERE = Path(__file__).parent
CORPORA = {
    "en": Corpus("en", HERE / "tone_corpus.tsv", 150, 0.9, 0.85),
    "es": Corpus("es", HERE / "tone_corpus_es.tsv", 120, 0.9, 0.8, min_each=60),
}


@dataclass(frozen=True)
class Sentence:
    split: str
    field: str | None
    expected: str  # a code, or NONE
    text: str


@dataclass(frozen=True)
class Score:
    sentences: int
    precision: float
    recall: float
    misses: tuple[Sentence, ...]
    false_alarms: tuple[Sentence, ...]


def _load(corpus: Corpus) -> list[Sentence]:
    sentences = []
    lines = corpus.path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        assert len(parts) == 4, f"{corpus.path.name}:{number}: four tab-separated columns"
        split, field, expected, text = parts
        sentences.append(Sentence(split, None if field == "-" else field, expected, text))
    return sentences


SENTENCES = {language: _load(corpus) for language, corpus in CORPORA.items()}


def _score(language: str, split: str) -> Score:
    rows = [s for s in SENTENCES[language] if s.split == split]
    found = flagged = expected = 0
    misses: list[Sentence] = []
    false_alarms: list[Sentence] = []
    for sentence in rows:
        hints = tone_hints(sentence.text, field=sentence.field, language=language)
        codes = {hint.code for hint in hints}
        hit = sentence.expected in codes
        expected += sentence.expected != NONE
        flagged += bool(codes)
        found += hit
        if sentence.expected != NONE and not hit:
            misses.append(sentence)
        if codes and not hit:
            false_alarms.append(sentence)
    return Score(
        sentences=len(rows),
        precision=found / flagged if flagged else 1.0,
        recall=found / expected if expected else 1.0,
        misses=tuple(misses),
        false_alarms=tuple(false_alarms),
    )


def _report(language: str, name: str, score: Score) -> str:
    lines = [
        f"tone corpus ({language}), {name} half: {score.sentences} sentences, "
        f"precision {score.precision:.3f}, recall {score.recall:.3f}"
    ]
    lines += [f"  missed ({s.expected}): {s.text}" for s in score.misses]
    lines += [f"  false alarm (expected {s.expected}): {s.text}" for s in score.false_alarms]
    return "\n".join(lines)


LANGUAGES = pytest.mark.parametrize("language", list(CORPORA))


@LANGUAGES
def test_the_corpus_is_big_enough_and_half_of_it_is_held_out(language):
    corpus, sentences = CORPORA[language], SENTENCES[language]
    assert len(sentences) >= corpus.min_sentences
    held_out = [s for s in sentences if s.split == HELD_OUT]
    assert {s.split for s in sentences} == {HELD_OUT, TUNING}
    assert len(held_out) * 2 >= corpus.min_sentences
    # Both halves have sentences that should be left alone, not only ones to flag.
    assert sum(s.expected == NONE for s in held_out) >= 20
    assert sum(s.expected == NONE for s in sentences) >= corpus.min_each
    assert sum(s.expected != NONE for s in sentences) >= corpus.min_each


def test_every_shipped_language_has_a_tone_table_and_a_corpus():
    assert set(CORPORA) == set(shipped_languages())


@LANGUAGES
def test_every_label_in_the_corpus_is_a_real_code_and_field(language):
    sentences = SENTENCES[language]
    for sentence in sentences:
        assert sentence.expected == NONE or sentence.expected in TONE_CODES, sentence
        assert sentence.field is None or sentence.field in TONE_FIELDS, sentence
    # Every kind of hint the API documents is measured on the held-out half.
    assert {s.expected for s in sentences if s.split == HELD_OUT} >= set(TONE_CODES)


@LANGUAGES
def test_precision_and_recall_on_the_held_out_half(language, capsys):
    corpus = CORPORA[language]
    score = _score(language, HELD_OUT)
    report = _report(language, HELD_OUT, score)
    with capsys.disabled():
        print("\n" + report)
    assert score.precision >= corpus.min_precision, report
    assert score.recall >= corpus.min_recall, report


@LANGUAGES
def test_the_tuning_half_stays_where_the_rules_were_tuned(language, capsys):
    """A change to the rules that gains somewhere should not lose what they were tuned on."""
    corpus = CORPORA[language]
    score = _score(language, TUNING)
    report = _report(language, TUNING, score)
    with capsys.disabled():
        print("\n" + report)
    assert score.precision >= corpus.min_precision, report
    assert score.recall >= corpus.min_recall, report
