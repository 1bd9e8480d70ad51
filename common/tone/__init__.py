"""The tone helper: it spots phrasing that tends to land as blame and offers a gentler shape
for the same message. It is advice for the writer only: it never blocks a write, never
stores the text, and nothing it finds is shown to the partner (DESIGN, principle 4).

``matcher`` is the engine, ``rules/<language>/<kind>.py`` the data (today English blame),
``registry`` says which table answers for which (language, kind), ``table`` is the shape
a table is written in, and ``fields`` names the free-text fields a rule can be off for.
This module only re-exports the public names."""

from common.tone.fields import TONE_FIELDS
from common.tone.matcher import MAX_SCAN_CHARS, ToneHint, tone_hints
from common.tone.registry import BLAME, ENGLISH, TONE_CODES, tone_table
from common.tone.rules.en.blame import RULES
from common.tone.table import ToneRule, ToneTable

__all__ = [
    "BLAME",
    "ENGLISH",
    "MAX_SCAN_CHARS",
    "RULES",
    "TONE_CODES",
    "TONE_FIELDS",
    "ToneHint",
    "ToneRule",
    "ToneTable",
    "tone_hints",
    "tone_table",
]
