"""Which danger table answers for which language. A language is one entry: a module under
`rules/` with a `TABLE`, filed below, and its own corpus under
``tests/common/safety/corpus/<language>/`` (English and Spanish today).
"""

from __future__ import annotations

from common.safety.rules import en, es
from common.safety.table import DangerTable

ENGLISH = "en"
SPANISH = "es"

DANGER_TABLES: dict[str, DangerTable] = {
    ENGLISH: en.TABLE,
    SPANISH: es.TABLE,
}

# The languages `tone/check` documents for its `language` input.
DANGER_LANGUAGES: tuple[str, ...] = tuple(DANGER_TABLES)


def danger_tables(language: str | None = None) -> list[DangerTable]:
    """The table for `language`, or every table when none is named: a person may write in
    any language they share with their partner, and a miss costs more than a false alarm.
    A language without a table of its own is read with every table, for the same reason."""
    if language is not None and language in DANGER_TABLES:
        return [DANGER_TABLES[language]]
    return list(DANGER_TABLES.values())
