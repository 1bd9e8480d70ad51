"""The danger matcher's own rules: it says only whether, reads every language it has when
asked for none, and stays fast on long or hostile input."""

from __future__ import annotations

import time

import pytest

from common.safety.danger import danger_kinds, signals_danger
from common.safety.registry import DANGER_TABLES, danger_tables
from common.safety.table import DANGER_KINDS


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to be here anymore.",
        "I don\u2019t feel safe at home.",  # a curly apostrophe reads the same
        "He said \u201cyou\u2019ll regret leaving\u201d.",
        "I'm not suicidal, I just want to disappear for good.",
    ],
)
def test_negated_and_quoted_phrases_are_danger(text):
    assert signals_danger([text])


@pytest.mark.parametrize(
    "text",
    ["I'm dying to see you.", "This traffic is killing me.", "I'm dead tired.", ""],
)
def test_figures_of_speech_and_nothing_at_all_are_not(text):
    assert not signals_danger([text])


def test_none_and_empty_texts_are_skipped():
    assert not signals_danger([None, "", "A good day."])
    assert signals_danger([None, "A good day.", "He hit me."])


def test_every_kind_a_row_names_is_a_known_kind():
    for table in DANGER_TABLES.values():
        assert {rule.kind for rule in table.rules} <= set(DANGER_KINDS)
    assert danger_kinds("He hit me and I want to die.") >= {"violence", "self_harm"}


def test_a_language_without_a_table_is_read_with_every_table():
    assert danger_tables("xx") == list(DANGER_TABLES.values())
    assert danger_tables("en") == [DANGER_TABLES["en"]]
    assert danger_tables("es") == [DANGER_TABLES["es"]]
    assert signals_danger(["I don't feel safe at home."], language="de")


@pytest.mark.parametrize(
    "text",
    [
        "he " * 3000,
        "I don't " * 1000,
        "scared " + "a" * 20000,
        "my partner checks " * 500,
        "x. " * 5000,
    ],
)
def test_long_or_hostile_input_is_fast(text):
    started = time.perf_counter()
    signals_danger([text])
    assert time.perf_counter() - started < 1.0
