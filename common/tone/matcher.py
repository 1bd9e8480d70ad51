"""The engine of the tone helper: it runs a rule table (looked up in `common.tone.registry`)
over a text and answers hints. It knows no words of any language; the tables do.

Spans are offsets into the text as given (Python string indices, i.e. Unicode code points);
``excerpt`` is exactly ``text[start:end]`` so a client that counts characters differently
(UTF-16) can still find it. The rows read the text lower-cased with curly apostrophes made
straight (`common.tone.table.fold_text`), one character for one, so no offset moves. Only
the first ``MAX_SCAN_CHARS`` characters are scanned, which together with the tables'
bounded patterns keeps a long or hostile text cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.tone.registry import BLAME, table_language, tone_table
from common.tone.table import ToneRule, fold_text

MAX_SCAN_CHARS = 5000
# How far around a trigger the warm/skip checks look; a clause rarely needs more.
_AFTER_CHARS = 80
_BEFORE_CHARS = 40

_CLAUSE_END = re.compile(r"[.!?;:,\n]")


@dataclass(frozen=True)
class ToneHint:
    code: str
    start: int
    end: int
    excerpt: str
    suggestion: str
    i_statement: str


def _clause_after(text: str, end: int) -> str:
    """The words after a trigger up to the end of its clause, lower-cased, with single
    spaces ("'ve" spelled out), for the warm check; offsets here do not matter."""
    tail = text[end : end + _AFTER_CHARS]
    cut = _CLAUSE_END.search(tail)
    if cut:
        tail = tail[: cut.start()]
    tail = tail.lower().replace("'ve", " have")
    return " ".join(tail.split())


def _is_warm(rule: ToneRule, critical: re.Pattern[str] | None, text: str, end: int) -> bool:
    if rule.warm_after is None:
        return False
    clause = _clause_after(text, end)
    warm = rule.warm_after.match(clause)
    if warm is None:
        return False
    return critical is None or critical.search(clause, warm.end()) is None


def _is_skipped(rule: ToneRule, text: str, start: int) -> bool:
    if rule.skip_before is None:
        return False
    return bool(rule.skip_before.search(text[max(0, start - _BEFORE_CHARS) : start]))


def tone_hints(
    text: str, *, kind: str = BLAME, field: str | None = None, language: str | None = None
) -> list[ToneHint]:
    """Hints for the phrasing in `text` that tends to land as `kind` (blame unless asked),
    in text order. `field` names the free-text field the text is written in (see
    `common.tone.fields`); rows that are off for that field are not run. Without a field
    (or with one no row knows) every row runs. `language` picks the table (see
    `registry.table_language`: without it, the active language, which is the writer's
    locale during their request).

    Rows earlier in the table win where two matches overlap, so each stretch of text gets
    at most one hint. Suggestions are translated into the active language when called."""
    table = tone_table(kind=kind, language=table_language(language, kind=kind))
    scanned = fold_text(text[:MAX_SCAN_CHARS])
    if table.fold:
        scanned = scanned.translate(table.fold)
    found: list[tuple[int, int, ToneRule]] = []
    for rule in table.rules:
        if field is not None and field in rule.off_for:
            continue
        has_hit_group = "hit" in rule.pattern.groupindex
        for match in rule.pattern.finditer(scanned):
            start, end = match.span("hit") if has_hit_group else match.span()
            if any(
                start < taken_end and taken_start < end for taken_start, taken_end, _rule in found
            ):
                continue
            if _is_skipped(rule, scanned, start) or _is_warm(rule, table.critical, scanned, end):
                continue
            found.append((start, end, rule))
    found.sort(key=lambda item: item[0])
    return [
        ToneHint(
            code=rule.code,
            start=start,
            end=end,
            excerpt=text[start:end],
            suggestion=str(rule.suggestion),
            i_statement=str(rule.i_statement),
        )
        for start, end, rule in found
    ]
