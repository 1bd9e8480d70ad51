"""The tone and danger tables read lower-cased text (`common.tone.table.fold_text`) instead of
matching case-insensitively, which costs a third to a quarter as much. That change must not
move a single match: these tests hold every pattern of every table, run on every sentence of
both corpora in several casings, to the spans case-insensitive matching finds, and hold
`fold_text` to one character for one, whatever the character."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.safety.danger import danger_kinds, signals_danger
from common.safety.registry import DANGER_TABLES
from common.tone import tone_hints
from common.tone.registry import TABLES as TONE_TABLES
from common.tone.table import APOSTROPHES, compile_pattern, fold_text

HERE = Path(__file__).parent
_APOSTROPHES = str.maketrans(APOSTROPHES)


def _danger_sentences() -> list[str]:
    return [
        line
        for path in sorted((HERE / "safety" / "corpus").glob("*/*/*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _tone_sentences() -> list[str]:
    sentences = [
        line.split("\t")[-1]
        for name in ("tone_corpus.tsv", "tone_corpus_es.tsv")
        for line in (HERE / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [*sentences, *EXTRA_SENTENCES]


# Rows no corpus sentence happens to reach.
EXTRA_SENTENCES = (
    "Idiot! You forgot the keys again.",
    "Honestly, you stupid jerk.",
    "You really shouldn't have said that to my sister.",
)


def _lookalikes(text: str) -> str:
    """Capitals, and the letters case-insensitive matching reads as plain Latin ones."""
    return text.swapcase().replace("I", "\u0130").replace("s", "\u017f").replace("i", "\u0131")


def _casings(text: str) -> Iterator[str]:
    yield text
    yield text.upper()
    yield _lookalikes(text)


def _tails(text: str) -> Iterator[str]:
    words = text.split(" ")
    for start in range(len(words)):
        yield " ".join(words[start:])


def _heads(text: str) -> Iterator[str]:
    words = text.split(" ")
    for end in range(1, len(words) + 1):
        yield " ".join(words[:end]) + " "


def _partial_texts(part: str, sentence: str) -> Iterator[str]:
    """What a warm or skip pattern reads: the words after a match (`warm_after`,
    `critical`) or before it (`skip_before`), which may start or end at any word."""
    for text in (sentence, _lookalikes(sentence)):
        yield from _heads(text) if part == "skip_before" else _tails(text)


def _patterns() -> Iterator[tuple[str, str, re.Pattern[str], dict[int, int] | None]]:
    for (language, kind), table in TONE_TABLES.items():
        for index, rule in enumerate(table.rules):
            for part in ("pattern", "warm_after", "skip_before"):
                pattern = getattr(rule, part)
                if pattern is not None:
                    yield f"tone {language} {kind} {index} {part}", part, pattern, table.fold
        if table.critical is not None:
            yield f"tone {language} {kind} critical", "critical", table.critical, table.fold
    for language, danger in DANGER_TABLES.items():
        for index, danger_rule in enumerate(danger.rules):
            yield f"danger {language} {index}", "pattern", danger_rule.pattern, danger.fold
        if danger.figures_of_speech is not None:
            yield f"danger {language} figures", "pattern", danger.figures_of_speech, danger.fold


TONE_SENTENCES = _tone_sentences()
SENTENCES = _danger_sentences() + TONE_SENTENCES
PATTERNS = list(_patterns())


def test_the_corpora_and_the_tables_are_all_there():
    assert len(SENTENCES) > 1000
    assert len(PATTERNS) > 60


@pytest.mark.parametrize(
    ("name", "part", "pattern", "fold"), PATTERNS, ids=[p[0] for p in PATTERNS]
)
def test_each_pattern_finds_on_folded_text_what_case_insensitive_matching_found(
    name, part, pattern, fold
):
    # The same source read case-insensitively: the letters' case in a pattern is all that
    # `compile_pattern` changed, and case-insensitive matching does not see it.
    insensitive = re.compile(pattern.pattern, pattern.flags | re.IGNORECASE)
    if part == "pattern":
        texts = (text for sentence in SENTENCES for text in _casings(sentence))
    else:
        texts = (text for sentence in TONE_SENTENCES for text in _partial_texts(part, sentence))
    found = 0
    for text in texts:
        text = text.translate(_APOSTROPHES)
        if fold is not None:
            text = text.translate(fold)
        expected = [match.span() for match in insensitive.finditer(text)]
        assert [match.span() for match in pattern.finditer(fold_text(text))] == expected, (
            name,
            text,
        )
        found += len(expected)
    assert found, f"{name} matched nothing, so the comparison proved nothing"


def test_fold_text_keeps_every_offset_for_every_character():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert len(fold_text(every)) == len(every)
    assert fold_text("\u0130STANBUL \u017fAFE I") == "istanbul safe i"


def test_compile_pattern_lower_cases_letters_but_not_escapes_or_group_names():
    pattern = compile_pattern(r"(?P<Hit>I\SAM) yes")
    assert pattern.groupindex == {"Hit": 1}
    assert pattern.search(fold_text("So I-AM  YES")).group("Hit") == "i-am"
    # `\S` stays "not a space": lower-cased it would read "a space".
    assert pattern.search(fold_text("So I AM YES")) is None


@pytest.mark.parametrize(
    "text",
    [
        "I DON'T FEEL SAFE AT HOME",
        "He Said He Would KILL Himself If I Left",
        "\u0130 want to die",
        "Me AMENAZ\u00d3 con hacerme da\u00f1o",
    ],
)
def test_danger_is_found_in_capitals(text):
    assert signals_danger([text])
    assert danger_kinds(text)


def test_a_hint_in_capitals_spans_the_text_as_written():
    text = "\u0130 think YOU NEVER listen to me"
    (hint,) = tone_hints(text, language="en")
    assert hint.excerpt == text[hint.start : hint.end]
    assert hint.excerpt.lower().startswith("you never")
