"""What a rules module is made of: rows (`ToneRule`) gathered in a `ToneTable`, and the two
small helpers every table writes its patterns with. A table is data only; the matcher
(`common.tone.matcher`) is the one place that reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise

FLAGS = re.IGNORECASE | re.MULTILINE


def any_of(*phrases: str) -> str:
    """An alternation of phrases (regex fragments), longest first."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Patterns are written with plain spaces for readability; a space matches any run of
    whitespace (so "you  always" and a line break count too)."""
    return re.compile(pattern.replace(" ", r"\s+"), FLAGS)


@dataclass(frozen=True)
class ToneRule:
    code: str
    pattern: re.Pattern[str]
    suggestion: Promise
    i_statement: Promise
    # The phrase is left alone when the words after the trigger start with one of these.
    warm_after: re.Pattern[str] | None = None
    # The phrase is left alone when the text just before the trigger matches this.
    skip_before: re.Pattern[str] | None = None
    # Free-text fields (names from `common.tone.fields.TONE_FIELDS`) where the row does not
    # apply, because the field asks for exactly that phrasing: "you need …" is what
    # `your_need_as_i_understand` asks for.
    off_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ToneTable:
    """One language's rows for one kind of phrasing, in priority order: where two matches
    overlap, the earlier row wins."""

    rules: tuple[ToneRule, ...]
    # Words that turn a warm complement sour ("you never fail to *disappoint* me"): a
    # `warm_after` match only counts when the rest of its clause has none of them.
    critical: re.Pattern[str] | None = None
    # One character for one character, applied to the text before the rows read it, so a
    # table can be written without the accents people often leave out when they type
    # ("deberías" and "deberias" alike) and no offset moves. Empty: the text as written.
    fold: dict[int, int] | None = None
