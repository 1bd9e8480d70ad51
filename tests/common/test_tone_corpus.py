"""The tone helper measured on a corpus of sentences people write to a partner
(`tone_corpus.tsv`, next to this file): does it see what hurts, and leave the rest alone?

The corpus has two halves. The held-out half was written and committed first, before the
rules for labels, "your problem is", conditional-love tests, "stop being so" and sarcasm
existed; the rules were then developed against the tuning half only. Precision and recall
on the held-out half are therefore an estimate of how the rules do on sentences nobody tuned
them for. To see the numbers: `.venv/bin/pytest -n 0 -s tests/common/test_tone_corpus.py`.

Scoring is per sentence: a sentence that expects a code counts as found when one of its
hints has that code; a sentence with hints is a false alarm unless the expected code is among
them (so a hint on a sentence that expects none, or only a different code, counts against
precision)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.tone import TONE_CODES, TONE_FIELDS, tone_hints

CORPUS = Path(__file__).with_name("tone_corpus.tsv")
HELD_OUT = "heldout"
TUNING = "tuning"
NONE = "none"

MIN_SENTENCES = 150
MIN_PRECISION = 0.9
MIN_RECALL = 0.85


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


def _load() -> list[Sentence]:
    sentences = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        assert len(parts) == 4, f"{CORPUS.name}:{number}: four tab-separated columns"
        split, field, expected, text = parts
        sentences.append(Sentence(split, None if field == "-" else field, expected, text))
    return sentences


SENTENCES = _load()


def _score(split: str) -> Score:
    rows = [s for s in SENTENCES if s.split == split]
    found = flagged = expected = 0
    misses: list[Sentence] = []
    false_alarms: list[Sentence] = []
    for sentence in rows:
        codes = {hint.code for hint in tone_hints(sentence.text, field=sentence.field)}
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


def _report(name: str, score: Score) -> str:
    lines = [
        f"tone corpus, {name} half: {score.sentences} sentences, "
        f"precision {score.precision:.3f}, recall {score.recall:.3f}"
    ]
    lines += [f"  missed ({s.expected}): {s.text}" for s in score.misses]
    lines += [f"  false alarm (expected {s.expected}): {s.text}" for s in score.false_alarms]
    return "\n".join(lines)


def test_the_corpus_is_big_enough_and_half_of_it_is_held_out():
    assert len(SENTENCES) >= MIN_SENTENCES
    held_out = [s for s in SENTENCES if s.split == HELD_OUT]
    assert {s.split for s in SENTENCES} == {HELD_OUT, TUNING}
    assert len(held_out) * 2 >= MIN_SENTENCES
    # Both halves have sentences that should be left alone, not only ones to flag.
    assert sum(s.expected == NONE for s in held_out) >= 20


def test_every_label_in_the_corpus_is_a_real_code_and_field():
    for sentence in SENTENCES:
        assert sentence.expected == NONE or sentence.expected in TONE_CODES, sentence
        assert sentence.field is None or sentence.field in TONE_FIELDS, sentence
    # Every kind of hint the API documents is measured on the held-out half.
    assert {s.expected for s in SENTENCES if s.split == HELD_OUT} >= set(TONE_CODES)


def test_precision_and_recall_on_the_held_out_half(capsys):
    score = _score(HELD_OUT)
    report = _report(HELD_OUT, score)
    with capsys.disabled():
        print("\n" + report)
    assert score.precision >= MIN_PRECISION, report
    assert score.recall >= MIN_RECALL, report


def test_the_tuning_half_stays_where_the_rules_were_tuned(capsys):
    """A change to the rules that gains somewhere should not lose what they were tuned on."""
    score = _score(TUNING)
    report = _report(TUNING, score)
    with capsys.disabled():
        print("\n" + report)
    assert score.precision >= MIN_PRECISION, report
    assert score.recall >= MIN_RECALL, report
