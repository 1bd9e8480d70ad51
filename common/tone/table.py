"""What a rules module is made of: rows (`ToneRule`) gathered in a `ToneTable`, and the two
small helpers every table writes its patterns with. A table is data only; the matcher
(`common.tone.matcher`) is the one place that reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise

# Patterns read folded text (`fold_text`) instead of matching case-insensitively: the same
# matches, at a third to a quarter of the cost. Python's matcher compares a case-insensitive
# letter by lower-casing both sides and cannot skip an alternative by its first letter, and
# the tables are long alternations tried at every position of the text.
_FLAGS = re.MULTILINE

# Curly apostrophes read as straight ones: phones type either.
APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"}
# Besides those, the letters case-insensitive matching reads as a plain Latin letter although
# their lower case is another one; the dotted capital I also lower-cases to two characters,
# which would move every offset after it.
_ONE_FOR_ONE = str.maketrans({**APOSTROPHES, "\u0130": "i", "\u0131": "i", "\u017f": "s"})
# What lower-casing a pattern leaves as written: escapes (`\S` is not `\s`) and group names.
_KEEP_CASE = re.compile(r"\\.|\(\?P(?:<\w+>|=\w+\))", re.DOTALL)


def fold_text(text: str) -> str:
    """`text` lower-cased and its apostrophes straightened, one character for one, so an
    offset into it is the same offset into `text`: the form every pattern from
    `compile_pattern` reads."""
    return text.translate(_ONE_FOR_ONE).lower()


def any_of(*phrases: str) -> str:
    """An alternation of phrases (regex fragments), longest first."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Patterns are written with plain spaces for readability; a space matches any run of
    whitespace (so "you  always" and a line break count too). Letters are written in any
    case; the compiled pattern reads text folded by `fold_text`: `compile_pattern("I said
    no")` finds `fold_text("I SAID no")`."""
    spaced = pattern.replace(" ", r"\s+")
    pieces: list[str] = []
    written = 0
    for kept in _KEEP_CASE.finditer(spaced):
        pieces += [fold_text(spaced[written : kept.start()]), kept.group()]
        written = kept.end()
    pieces.append(fold_text(spaced[written:]))
    return re.compile("".join(pieces), _FLAGS)


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
