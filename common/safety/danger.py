"""The engine that reads danger tables (`common.safety.registry`). It knows no words of any
language. It answers only *whether* a text signals danger, never where or which words:
nothing downstream can echo, log or store the phrase, because the phrase never leaves here.

Like the tone helper it scans only the first `MAX_SCAN_CHARS` characters, read lower-cased
with curly apostrophes made straight (`common.tone.table.fold_text`); the tables' patterns
have bounded gaps only."""

from __future__ import annotations

from collections.abc import Iterable

from common.safety.registry import danger_tables
from common.safety.table import DangerTable
from common.tone.matcher import MAX_SCAN_CHARS
from common.tone.table import fold_text


def _table_finds(table: DangerTable, text: str) -> bool:
    if table.fold is not None:
        text = text.translate(table.fold)
    # Read only once a row matches: most texts match none.
    figures: list[tuple[int, int]] | None = None
    for rule in table.rules:
        for match in rule.pattern.finditer(text):
            if figures is None:
                figures = _figures_of_speech(table, text)
            start, end = match.span()
            if not any(f_start <= start and end <= f_end for f_start, f_end in figures):
                return True
    return False


def _figures_of_speech(table: DangerTable, text: str) -> list[tuple[int, int]]:
    if table.figures_of_speech is None:
        return []
    return [match.span() for match in table.figures_of_speech.finditer(text)]


def _scanned(text: str) -> str:
    """The part of `text` the tables read, in the form they read it."""
    return fold_text(text[:MAX_SCAN_CHARS])


def danger_kinds(text: str, *, language: str | None = None) -> set[str]:
    """The kinds of danger (`common.safety.table.DANGER_KINDS`) `text` signals, for the
    corpus test and the table's authors; the API says only whether there was any."""
    scanned = _scanned(text)
    kinds: set[str] = set()
    for table in danger_tables(language):
        for rule in table.rules:
            if rule.kind in kinds:
                continue
            if _table_finds(
                DangerTable(
                    rules=(rule,), figures_of_speech=table.figures_of_speech, fold=table.fold
                ),
                scanned,
            ):
                kinds.add(rule.kind)
    return kinds


def signals_danger(texts: Iterable[str | None], *, language: str | None = None) -> bool:
    """Whether any of `texts` signals danger or crisis, read with the table for `language`
    (every table when None)."""
    tables = danger_tables(language)
    for text in texts:
        if not text:
            continue
        scanned = _scanned(text)
        if any(_table_finds(table, scanned) for table in tables):
            return True
    return False
