"""Which rule table answers for which (language, kind). The matcher asks here rather than
importing a table, so a new table is one module under `rules/` and one line below:
English danger phrases would be ``rules/en/danger.py`` under ``(ENGLISH, DANGER)``,
Spanish blame ``rules/es/blame.py`` under ``("es", BLAME)``.

The helper has no notion of the writer's language yet: it matches English whatever the
active language (only the suggestions are translated), so a lookup without a language
asks for English."""

from __future__ import annotations

from common.tone.rules.en import blame as en_blame
from common.tone.table import ToneTable

ENGLISH = "en"
BLAME = "blame"

TABLES: dict[tuple[str, str], ToneTable] = {
    (ENGLISH, BLAME): en_blame.TABLE,
}

# Every code a hint can carry, in table order: the API documents them as a stable list.
TONE_CODES: tuple[str, ...] = tuple(
    dict.fromkeys(rule.code for table in TABLES.values() for rule in table.rules)
)


def tone_table(*, kind: str, language: str = ENGLISH) -> ToneTable:
    return TABLES[(language, kind)]
