"""English phrasing that tends to land as blame ("you always", "you never", "you should",
"why can't you", labels and attachment labels, "it's all your fault", "your problem is",
"if you loved me", "stop being so", sarcasm), with a gentler shape for each. The matcher
that reads this table is `common.tone.matcher`; the registry files it under ("en", "blame").
The words the rows are written with live in `words.py`; what each code says, in
`common.tone.suggestions`.

How it decides, so that a person (or a translator) can follow it:

* The rules are data: ``RULES`` is a table, one row per kind of phrasing, in priority order.
  Each row has a stable ``code``, a regular expression compiled once for the *trigger*
  (the words that get highlighted), a gentle suggestion and an I-statement shape, both
  translatable. Adding a rule is adding a row (or a word to a list); the matcher does not
  change. The table is English; another language gets a table of its own
  (``rules/<language>/blame.py``), filed in ``common.tone.registry``.
* Warm phrasing is the hard part: "you always make me laugh" and "you never fail to
  surprise me" use the same words as blame. A row may list *warm complements*: if the words
  right after the trigger start with one of them, the trigger is left alone. We chose
  "flag unless a known-warm complement follows" over "flag only when a known-critical verb
  follows" because a generalisation about the partner ("you always ...") is the pattern the
  helper exists for, whatever the verb, and critical verbs are an open list. The cost: a warm
  sentence whose complement is not listed yet ("you always smell of pine") gets a hint.
  That is cheap, because a hint is only a suggestion, and the fix is one more list entry.
* Sarcasm can hide behind a warm complement ("you never fail to disappoint me", "you always
  know how to ruin an evening"): a warm complement only counts if the rest of its clause has
  no word from ``CRITICAL_WORDS``.
* A row may also skip a trigger by what comes just before it: "I'll love you always" (the
  partner is the object, not the subject), "are you always this cheerful?" (a question, not
  a verdict), "if you need to talk" (an offer), "you're not lazy" (negated).
* "I ..." and "we ..." are never flagged: they describe the writer or the pair, which is
  the direction the helper steers towards ("I lean avoidant when I'm tired" is the writer
  knowing themself; "you're so avoidant" is a diagnosis of the partner).
* A row can be off for a field (``off_for``): "You need quiet evenings to recharge." is an
  instruction in a message and exactly the answer `your_need_as_i_understand` asks for.
  Writes and `tone/check` pass the field's name, so both read a text the same way.
* Sarcasm is flagged by its markers, not its mood: thanks that carries "finally" or a
  closing "I guess", praise with nothing to praise ("Wow, great job."), "must be nice",
  "nice of you to show up". A sincere "thank you for finally telling me" is the price of
  catching "thanks for finally texting back"; a hint is only a suggestion.
* The corpus in ``tests/common/tone_corpus.tsv`` measures the table: precision and recall
  on a held-out half that the rows were not tuned on.

The patterns are word alternatives with small bounded repeats (no unbounded nested
repetition), so a long or hostile text cannot make the matcher backtrack catastrophically.
"""

from __future__ import annotations

import re

from common.tone.rules.en.labels import (
    ATTACHMENT_NOUNS,
    ATTACHMENT_POINTERS,
    ATTACHMENT_WORDS,
    INSULT_ADJECTIVES,
    INSULT_NOUNS,
    LABEL_FILLERS,
    LABEL_LEAD,
    LABEL_WORDS,
    SOFT_LABEL_INTENSIFIERS,
    SOFT_LABEL_WORDS,
)
from common.tone.rules.en.markers import (
    CARE_OBJECTS,
    CONDITION_ENDS,
    GRUDGING,
    GUESS_AT_THE_END,
    LATE_ATTENTION,
    LOVE_TEST_ADVERBS,
    LOVE_TEST_SUBJECTS,
    LOVE_TEST_VERBS,
    MOCK_PRAISE,
    PROBLEM_QUALIFIERS,
    QUESTION_OR_OFFER,
    SOUR_CONTEXT,
    STOP_BEING_WARM,
    STOP_DOING,
    STOP_FILLERS,
    THANKS,
    THANKS_INTENSIFIERS,
)
from common.tone.rules.en.words import (
    ALWAYS_WARM,
    CRITICAL_WORDS,
    INTENSIFIERS,
    NEGATED,
    NEVER_WARM,
    OBJECT_OR_QUESTION,
    OFFER_OR_CONDITION,
    SELF_BEFORE,
    SENTENCE_START,
    SHOULD_NOT_WARM,
    SHOULD_WARM,
    SOFTENERS,
    YOU,
    YOU_ARE,
)
from common.tone.suggestions import ADVICE
from common.tone.table import ToneRule, ToneTable
from common.tone.table import any_of as _any
from common.tone.table import compile_pattern as _compile

# --- The table --------------------------------------------------------------------------------


def _warm(*phrases: str) -> re.Pattern[str]:
    return _compile(rf"^(?:{_any(*SOFTENERS)} ){{0,3}}{_any(*phrases)}(?:\b|$)")


def _row(
    *,
    code: str,
    pattern: re.Pattern[str],
    warm_after: re.Pattern[str] | None = None,
    skip_before: re.Pattern[str] | None = None,
    off_for: frozenset[str] = frozenset(),
) -> ToneRule:
    """A row with the advice its code gives (`common.tone.suggestions`)."""
    advice = ADVICE[code]
    return ToneRule(
        code=code,
        pattern=pattern,
        suggestion=advice.suggestion,
        i_statement=advice.i_statement,
        warm_after=warm_after,
        skip_before=skip_before,
        off_for=off_for,
    )


RULES: tuple[ToneRule, ...] = (
    _row(
        code="name_calling",
        # "Idiot!" on its own, at the start of a sentence.
        pattern=_compile(
            rf"(?:^|(?<=[.!?\"'(]))[^\S\n]*(?P<hit>(?:{_any(*INSULT_ADJECTIVES)}[^\S\n]+){{0,2}}"
            rf"{_any(*INSULT_NOUNS)})[^\S\n]*!"
        ),
    ),
    _row(
        code="attachment_label",
        # "you are such an avoidant", "you're so anxiously attached", "you sound avoidant".
        pattern=_compile(
            rf"{LABEL_LEAD}(?: {_any(*LABEL_FILLERS)}){{0,4}} {_any(*ATTACHMENT_WORDS)}\b"
            rf"(?: {_any(*ATTACHMENT_NOUNS)}\b)?"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="attachment_label",
        # "you have an avoidant attachment style", "your anxious attachment is showing".
        pattern=_compile(
            _any(
                YOU + "(?:'ve| have)? (?:have|got|has)(?: (?:an?|such an?|some|so much|serious"
                "|real|total|classic|textbook|the most))?",
                r"\b(?:your|ur)(?: (?:whole|typical|classic|usual|little))?",
            )
            + rf" {_any(*ATTACHMENT_WORDS)}\b(?: {_any(*ATTACHMENT_NOUNS)}\b)?"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="attachment_label",
        # "Classic avoidant move.", "stop with the avoidant stuff", "such an avoidant".
        pattern=_compile(
            rf"\b{_any(*ATTACHMENT_POINTERS)} {_any(*ATTACHMENT_WORDS)}\b"
            rf"(?: {_any(*ATTACHMENT_NOUNS)}\b)?"
        ),
        skip_before=_compile(SELF_BEFORE),
    ),
    _row(
        code="name_calling",
        # "you're so selfish", "you are such an idiot", "you're acting like a child".
        pattern=_compile(
            rf"{LABEL_LEAD}(?: {_any(*LABEL_FILLERS)}){{0,4}}"
            rf" {_any(*LABEL_WORDS, *INSULT_NOUNS)}\b"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="name_calling",
        # "you idiot", "you stupid jerk".
        pattern=_compile(rf"{YOU}(?: {_any(*INSULT_ADJECTIVES)}){{0,2}} {_any(*INSULT_NOUNS)}\b"),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="name_calling",
        # "you're so cold", "you're being distant": a mood word said as a verdict.
        pattern=_compile(
            rf"{YOU_ARE}(?: {_any(*LABEL_FILLERS)}){{0,3}} {_any(*SOFT_LABEL_INTENSIFIERS)}"
            rf"(?: {_any(*LABEL_FILLERS)}){{0,2}} {_any(*SOFT_LABEL_WORDS)}\b"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="fault_finding",
        pattern=_compile(
            _any(
                "(?:it's|its|it is|this is|that's|thats|that is)"
                "(?: (?:all|entirely|completely|totally|just|always))? (?:your|ur) fault",
                YOU + "(?:'ve| have)? (?:ruined|ruin|ruins|wrecked|spoiled|spoilt|messed up"
                "|screwed up)",
                "look what you(?:'ve)? (?:did|done|made me do)",
                YOU + " made me (?:do|say|act|react|yell|shout|lose)",
            )
            + r"\b"
        ),
    ),
    _row(
        code="globalizing",
        pattern=_compile(
            _any(
                YOU_ARE + " (?:just |exactly |so )?like your (?:mother|mum|mom|father|dad"
                "|parents|ex|family|brother|sister)",
                YOU_ARE + " (?:turning|becoming) (?:into )?your (?:mother|mum|mom|father|dad)",
                YOU + "(?:'ll| will)? never change",
                YOU_ARE + " (?:always |just )?(?:like this|all the same|the problem)",
                r"(?:so|how|that's|thats|that is) typical(?: of (?:you|u))?(?=\s*[.!?,]|$)",
                "typical (?:of )?(?:you|u)",
                "(?:everything(?:'s| is)(?: always)?|it(?:'s| is) always) about (?:you|u)",
                "what(?:'s| is) (?:wrong with|the matter with) (?:you|u)",
                "what(?:'s| is) your (?:problem|deal)",
                YOU + " (?:don't|dont|do not)(?: even)? care about (?:anything|anyone|anybody"
                "|me|us|my feelings)",
                "nothing (?:i do )?is ever (?:good )?enough",
                YOU + " (?:do|did|pull|say) (?:this|that|it) every (?:single )?time",
            )
            + r"\b"
        ),
    ),
    _row(
        code="your_problem",
        # "Your problem is …", "that's your problem", "the problem with you is …".
        pattern=_compile(
            _any(
                rf"(?:your|ur)(?: {_any(*PROBLEM_QUALIFIERS)})? problem(?: (?:is|was|here is)"
                r"|'s|, not mine)",
                "(?:that's|thats|that is|it's|its|it is|sounds like)(?: (?:just|really|totally"
                "|all|entirely|completely))? (?:your|ur) (?:problem|issue)",
                rf"the(?: {_any(*PROBLEM_QUALIFIERS)})? problem (?:with (?:you|u)(?: is)?"
                r"|(?:here )?is(?: that)? (?:you|u)\b(?!'re not| are not| aren't))",
            )
            + r"\b"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="your_problem",
        # "you have issues", "you've got serious issues".
        pattern=_compile(
            YOU + "(?:'ve| have)? (?:have|got)(?: (?:some|serious|real|major|big|deep|such|so many"
            "|massive)){0,3} (?:issues|(?:serious|real|major|big|deep) problems|a (?:real |serious "
            r"|big |major )?problem with (?:me|us|everything|everyone|anyone))\b"
        ),
        skip_before=_compile(QUESTION_OR_OFFER),
    ),
    _row(
        code="love_test",
        # "if you loved me …", "if you really respected us …", "if you cared, you'd …".
        pattern=_compile(
            _any(
                rf"if (?:you|u)(?: {_any(*LOVE_TEST_ADVERBS)}){{0,2}} {_any(*LOVE_TEST_VERBS)}"
                rf" (?:me|us)(?: at all| even a little)?{CONDITION_ENDS}",
                rf"if (?:you|u)(?: {_any(*LOVE_TEST_ADVERBS)}){{0,2}} (?:cared|care)"
                rf"(?: {_any(*CARE_OBJECTS)})?{CONDITION_ENDS}",
                rf"if (?:you|u)(?: {_any(*LOVE_TEST_ADVERBS)}){{0,2}} (?:wanted|want) to be"
                r" with (?:me|us)\b",
                r"if (?:i|we) (?:really |actually |even |ever )?(?:mattered|meant (?:anything"
                r"|something|a thing)|meant) to (?:you|u)\b",
                rf"{_any(*LOVE_TEST_SUBJECTS)} who (?:really |actually |truly )?"
                r"(?:loved|loves|cared|cares|respected|respects|valued|values)"
                r"(?: (?:about|for))?(?: (?:me|us|them|their partner))? would",
                r"(?:do|did|does) (?:you|u) (?:even|actually|honestly|ever)(?: really)?"
                r" (?:love|care|respect|value"
                r"|(?:like|want) (?:me|us)(?=\s*(?:[.!?,]|$|anymore)))\b",
            )
        ),
    ),
    _row(
        code="why_cant_you",
        pattern=_compile(
            _any(
                "why (?:can't|cant|cannot|won't|wont|couldn't|couldnt|wouldn't|wouldnt|didn't"
                "|didnt) (?:you|u)",
                "why (?:don't|dont|do not) (?:you|u) (?:ever|just|even)",
                "why (?:can|will|would|could|do|did) (?:you|u) (?:not|never)",
                "why (?:do|does|must) (?:you|u) (?:have to|keep|insist)",
                "(?:can't|cant|cannot|won't|wont) (?:you|u) (?:ever|even)",
                "how many times do i have to (?:tell|ask|say)",
                "for once in your life",
            )
            + r"\b"
        ),
    ),
    _row(
        code="stop_being_so",
        # "stop being so needy", "quit acting like a victim" (not "stop being so hard on
        # yourself", and not the writer about themself).
        pattern=_compile(
            rf"\b(?:stop|quit) (?:being|acting|getting)(?: {_any(*STOP_FILLERS)}){{0,3}}"
            rf" (?!{_any(*STOP_BEING_WARM, *STOP_FILLERS)}\b)[\w'-]+"
        ),
        skip_before=_compile(SELF_BEFORE),
    ),
    _row(
        code="stop_being_so",
        # "stop overreacting", "stop making everything about you".
        pattern=_compile(rf"\b(?:stop|quit) {_any(*STOP_DOING)}\b"),
        skip_before=_compile(SELF_BEFORE),
    ),
    _row(
        code="sarcasm",
        # "Thanks for finally texting back, I guess.", "Thanks, I guess.", "thanks for nothing".
        pattern=_compile(
            _any(
                # "I guess" closing the thanks, not starting a new thought.
                THANKS + rf"\b[^.!?\n]{{0,60}}?\b{GUESS_AT_THE_END}",
                THANKS + rf"(?: {_any(*THANKS_INTENSIFIERS)})? for (?:finally\b|nothing"
                r"(?=\s*(?:[.!?,;]|$)))",
                rf"(?:great|wonderful|lovely|perfect|fine)\b[^.!?\n]{{0,20}}?\b{GUESS_AT_THE_END}",
            )
        ),
    ),
    _row(
        code="sarcasm",
        pattern=_compile(
            _any(
                # "Wow, great job." / "wow, nice job forgetting again" (not "great job on …!").
                rf"\b(?:wow|oh|well),? {_any(*MOCK_PRAISE)} (?:job|work|one|move)"
                r"(?=\s*(?:[.?]|$)|\s+\w+ing\b)",
                # "Oh great, another weekend …", "Oh wonderful, you forgot again".
                rf"\boh,? {_any(*MOCK_PRAISE, 'joy', 'goody')}\b"
                rf"(?=[^.!?\n]{{0,60}}\b{_any(*SOUR_CONTEXT)}\b)",
                # "Great, just great."
                rf"\b{_any(*MOCK_PRAISE)},? (?:just|simply|really|absolutely)"
                rf" {_any(*MOCK_PRAISE)}(?=\s*(?:[.!?]|$))",
                # "Nice of you to show up.", "Glad you finally noticed."
                r"\b(?:how |so |very |real )?nice of (?:you|u) to"
                rf" (?:finally {_any(*LATE_ATTENTION)}|{_any(*GRUDGING)})\b",
                rf"\b(?:so )?glad (?:you|u) (?:could )?finally {_any(*LATE_ATTENTION)}\b",
                rf"\bcongrat\w* (?:on|for) finally {_any(*LATE_ATTENTION)}\b",
                r"\blook who(?:'s| is)? (?:finally|decided to|bothered|remembered|showed up"
                r"|turned up)\b",
                # "Must be nice to …" opening a sentence (not "that must be nice for her").
                SENTENCE_START + r"(?:(?:well|wow|oh|it),? )?must be nice"
                r"(?=\s*(?:[.!?,]|$)|\s+(?:to|being|having|when)\b)",
                r"\bgood to know (?:that )?(?:i'm|im|i am|i rank|where i stand|how much i)\b",
                r"\b(?:oh,? )?so now (?:you|u) (?:want|care|have time|remember|notice|feel like"
                r"|wanna)\b",
                # "Real mature." said on its own.
                SENTENCE_START + r"(?:wow,? )?(?:real|very|how|so|really) mature"
                r"(?=\s*(?:[.!?]|$))",
            )
        ),
    ),
    _row(
        code="should_statement",
        pattern=_compile(
            rf"{YOU}(?: {_any(*INTENSIFIERS)})? (?:shouldn't|shouldnt|should not|ought not to)\b"
        ),
        warm_after=_warm(*SHOULD_NOT_WARM),
        skip_before=_compile(OFFER_OR_CONDITION),
    ),
    _row(
        code="should_statement",
        pattern=_compile(
            _any(
                YOU + f"(?: {_any(*INTENSIFIERS)})? (?:should|ought to|had better|better)",
                r"\byou'd better",
            )
            + r"\b"
        ),
        warm_after=_warm(*SHOULD_WARM),
        skip_before=_compile(OFFER_OR_CONDITION),
    ),
    _row(
        code="should_statement",
        # "You need to calm down." is an instruction, but in `your_need_as_i_understand`
        # "You need to have quiet evenings to recharge." is the answer the field asks for.
        pattern=_compile(YOU + f"(?: {_any(*INTENSIFIERS)})? need to\\b"),
        warm_after=_warm(*SHOULD_WARM),
        skip_before=_compile(OFFER_OR_CONDITION),
        off_for=frozenset({"your_need_as_i_understand"}),
    ),
    _row(
        code="absolute_never",
        pattern=_compile(
            _any(
                YOU + "(?:'re|re|'ve|'ll| are| have| will| were)?"
                f"(?: {_any(*INTENSIFIERS)})? never(?!-)",
                # "ur"/"your" for "you're", as people type in a hurry.
                r"\b(?:ur|your) never(?!-)",
                YOU + " (?:don't|dont|do not|won't|wont|didn't|didnt) ever",
            )
            + r"\b"
        ),
        warm_after=_warm(*NEVER_WARM),
        skip_before=_compile(OBJECT_OR_QUESTION),
    ),
    _row(
        code="absolute_always",
        pattern=_compile(
            _any(
                YOU + "(?:'re|re|'ve|'ll| are| have| will| were)?"
                f"(?: {_any(*INTENSIFIERS)})? (?:always|constantly|continually)(?!-)",
                r"\b(?:ur|your) (?:always|constantly)(?!-)",
            )
            + r"\b"
        ),
        warm_after=_warm(*ALWAYS_WARM),
        skip_before=_compile(OBJECT_OR_QUESTION),
    ),
)


_CRITICAL = _compile(rf"\b{_any(*CRITICAL_WORDS)}\b")

TABLE = ToneTable(rules=RULES, critical=_CRITICAL)
