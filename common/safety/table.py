"""What a danger table is made of: rows (`DangerRule`) gathered in a `DangerTable`. Like the
tone helper's tables (`common.tone.table`), a table is data only and `common.safety.danger`
is the one place that reads it; patterns are written with the tone helper's `any_of` and
`compile_pattern` (a space matches any run of whitespace)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The kinds of danger a row can signal. The API never says which one matched (the answer
# is the same help whatever it was); the kinds keep the table readable and the corpus honest.
SELF_HARM = "self_harm"
FEAR = "fear"
VIOLENCE = "violence"
THREAT = "threat"
CONTROL = "control"
DANGER_KINDS: tuple[str, ...] = (SELF_HARM, FEAR, VIOLENCE, THREAT, CONTROL)


@dataclass(frozen=True)
class DangerRule:
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class DangerTable:
    """One language's rows. Unlike a tone table there is no warm list and no skip list:
    negation and quotation do not make a danger phrase safe ("I don't feel safe at home",
    "he said 'you'll regret leaving'"). The only way out is `figures_of_speech`: a match
    that lies wholly inside one of these ("I'm dying to see you") is not danger."""

    rules: tuple[DangerRule, ...]
    figures_of_speech: re.Pattern[str] | None = None
    # One character for one (`str.translate`), applied before any pattern reads the text:
    # the Spanish table reads text without accents, as people often type it ("aislo").
    fold: dict[int, int] | None = None
