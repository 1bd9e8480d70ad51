"""Which rule table answers for which (language, kind). The matcher asks here rather than
importing a table, so a new table is one module under `rules/` and one line below:
English danger phrases would be ``rules/en/danger.py`` under ``(ENGLISH, DANGER)``.

Which language a text is read in is never guessed from the text: it is the `language` a
`tone/check` call names, else the writer's own locale (active for their request, see
`accounts.authentication`), else English. `table_language` makes that choice."""

from __future__ import annotations

from django.utils import translation

from common.tone.rules.en import blame as en_blame
from common.tone.rules.es import blame as es_blame
from common.tone.table import ToneTable

ENGLISH = "en"
SPANISH = "es"
BLAME = "blame"

TABLES: dict[tuple[str, str], ToneTable] = {
    (ENGLISH, BLAME): en_blame.TABLE,
    (SPANISH, BLAME): es_blame.TABLE,
}

# Every code a hint can carry, in table order: the API documents them as a stable list.
TONE_CODES: tuple[str, ...] = tuple(
    dict.fromkeys(rule.code for table in TABLES.values() for rule in table.rules)
)


def table_language(language: str | None = None, *, kind: str = BLAME) -> str:
    """The language whose table reads a text: `language` when given, else the active one
    (the person's locale during their request), as long as a table of `kind` exists for
    it ("es-mx" reads as "es"); English otherwise."""
    wanted = (language or translation.get_language() or ENGLISH).lower()
    for code in (wanted, wanted.split("-")[0]):
        if (code, kind) in TABLES:
            return code
    return ENGLISH


def tone_table(*, kind: str, language: str = ENGLISH) -> ToneTable:
    return TABLES[(language, kind)]
