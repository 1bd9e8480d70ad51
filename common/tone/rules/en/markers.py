"""English markers of phrasing that blames without "you always": "your problem is",
conditional-love tests ("if you loved me"), "stop being so", and sarcasm. Regex fragments
and tuples, as in `words.py`."""

from __future__ import annotations

# "Your problem is …", "the problem with you is …", "you have issues".
PROBLEM_QUALIFIERS = ("real", "whole", "only", "main", "biggest", "big", "actual", "entire")
# A question or an offer about a problem ("do you have a problem with Saturday?").
QUESTION_OR_OFFER = r"\b(?:do|did|does|if|when|whenever|in case|is there|are there)\s+$"

# Verbs a conditional-love test is made of ("if you *loved* me", "if you *cared*").
LOVE_TEST_VERBS = ("loved", "love", "respected", "respect", "valued", "value", "cherished")
LOVE_TEST_ADVERBS = ("really", "actually", "truly", "even", "honestly", "genuinely", "still")
# "If you cared …" counts when it is a condition on the partner's love, not an offer ("if you
# care to join"): it ends its clause, names "me"/"us", or runs straight into "you'd …".
CARE_OBJECTS = (
    "at all",
    "even a little",
    "even a bit",
    "one bit",
    "(?:about|for) (?:me|us|my feelings|this relationship|our relationship|this|what i"
    " (?:want|need|feel))",
)
CONDITION_ENDS = r"(?=\s*(?:[,.!?;]|$)|\s+(?:you|u|you'd|youd|u'd|ud|then)\b)"
# Who "would" if they loved you ("someone who loved me wouldn't …").
LOVE_TEST_SUBJECTS = (
    "someone",
    "anyone",
    "anybody",
    "somebody",
    "people",
    "a person",
    "a partner",
    "a (?:real|good|decent|loving|normal|caring) (?:partner|person|boyfriend|girlfriend"
    "|husband|wife|man|woman)",
    "any (?:partner|boyfriend|girlfriend|husband|wife)",
)

# "Stop being so …": what may follow that is warm ("stop being so hard on yourself").
STOP_BEING_WARM = (
    "hard on (?:yourself|myself|ourselves)",
    "modest",
    "humble",
    "cute",
    "adorable",
    "sweet",
    "kind",
    "nice",
    "perfect",
    "lovely",
    "wonderful",
    "amazing",
    "polite",
    "formal",
    "shy",
    "sorry",
    "apologetic",
    "worried",
    "brave",
    "patient",
    "generous",
    "thoughtful",
    "funny",
    "charming",
    "(?:a )?stranger",
)
# Words between "stop being" and the word that says what: "stop being *such a* baby".
STOP_FILLERS = ("so", "such", "like", "this", "that", "all", "a", "an", "the")
# Demands to stop a way of feeling or reacting ("stop overreacting").
STOP_DOING = (
    "overreacting",
    "exaggerating",
    "whining",
    "complaining",
    "nagging",
    "sulking",
    "pouting",
    "moaning",
    "playing the victim",
    "playing the martyr",
    "twisting my words",
    "making (?:excuses|a scene|such a (?:big )?(?:deal|fuss)|a (?:big )?(?:deal|fuss)"
    "|everything about (?:you|yourself))",
)

# Sarcasm markers: thanks that is not thanks, praise for what hurt.
THANKS = r"\b(?:thanks|thank you|thank u|thx|ty|cheers)"
GUESS_AT_THE_END = r"(?:i guess|i suppose)(?=\s*(?:[.!?…]|$))"
THANKS_INTENSIFIERS = ("so much", "a lot", "very much", "a bunch", "loads")
# What a grudging "glad you finally …" or "nice of you to …" is about: late attention.
LATE_ATTENTION = (
    "notic(?:e|ed)",
    "decid(?:e|ed) to",
    "bother(?:ed)?",
    "remember(?:ed)?",
    "show(?:ed)? up",
    "turn(?:ed)? up",
    "join(?:ed)? (?:us|me)",
    "make it",
    "made it",
    "f(?:ind|ound) (?:the )?time",
    "ma(?:ke|de) (?:the )?time",
    "call(?:ed)?",
    "text(?:ed)?(?: back)?",
    "answer(?:ed)?",
    "repl(?:y|ied)",
    "respond(?:ed)?",
    "come home",
    "came home",
    "grace us",
    "let me know",
    "listen(?:ed)?",
    "care(?:d)?",
)
# What "nice of you to …" is grudging about even without "finally".
GRUDGING = (
    "show up",
    "turn up",
    "bother",
    "grace us",
    "join us",
    "remember",
    "notice",
    "decide to",
    "let me know",
)
MOCK_PRAISE = (
    "great",
    "nice",
    "good",
    "fantastic",
    "brilliant",
    "amazing",
    "wonderful",
    "lovely",
    "excellent",
    "perfect",
    "real nice",
    "super",
)
# What makes a bright "oh great" read sour: it is about something that happened again.
SOUR_CONTEXT = (
    "another",
    "again",
    "as usual",
    "of course",
    "forg[eo]t\\w*",
    "late",
    "here we go",
    "just what i needed",
    "now you",
    "typical",
)
