"""English words every row of the blame table (`blame.py`) is written with: who "you" is,
the warm complements that turn "you always" kind, the words that turn them sour again, and
the contexts that make a trigger something else (a question, an offer, a negation, the
writer speaking of themself). A Spanish table brings its own words; the rows' shape stays.

Everything here is a regex fragment or a tuple of them; `common.tone.table.any_of` joins a
tuple into an alternation, longest first. The labels are in `labels.py`, the markers of
"your problem is", love tests, "stop being so" and sarcasm in `markers.py`."""

from __future__ import annotations

YOU = r"\b(?:you|u)"
YOU_ARE = r"\b(?:you're|youre|you are|you were|ur|u r|u are)"
INTENSIFIERS = ("just", "literally", "seriously", "really", "basically", "honestly", "still")

# Words that may sit between a trigger and its warm complement ("you're always *so* kind").
SOFTENERS = ("just", "really", "so", "truly", "totally", "definitely", "always", "still")

ALWAYS_WARM = (
    "make (?:me|us) (?:laugh|smile|happy|feel (?:so )?(?:safe|loved|better|good|special|seen"
    "|heard|calm|welcome|understood|beautiful|wanted|appreciated|lucky|at home|cared for|valued))",
    "know (?:how|what|when|just|exactly)",
    "find (?:a way|the right|the best|time for)",
    "cheer (?:me|us) up",
    "brighten",
    "light up",
    "put a smile",
    "(?:have|had|got) (?:my|our) back",
    "(?:help|support|encourage|comfort|protect|inspire|amaze|surprise|impress)"
    " (?:me|us|out|others|everyone|with)",
    "believe in",
    "look out for",
    "take (?:such )?(?:good )?care of",
    "stand (?:up for|by)",
    "listen",
    "understand",
    "forgive",
    "remember",
    "show up",
    "make time",
    "come through",
    "manage to",
    "care (?:so much|about (?:me|us|others)|for (?:me|us|others))",
    "mean well",
    "think (?:of|about) (?:me|us|others)",
    "treat (?:me|us) (?:well|right|so well|with)",
    "say (?:the|just the) (?:right|sweetest|nicest|kindest)",
    "look (?:great|good|beautiful|lovely|amazing|handsome|gorgeous|stunning)",
    "smell (?:good|nice|amazing|lovely)",
    "give (?:the best|great|good|amazing) (?:hugs|advice)",
    "there for",
    "welcome",
    "on (?:my|our) (?:side|mind)",
    "in my (?:heart|thoughts|corner)",
    "be (?:my|there|welcome|loved|enough|the one|in my|safe|home)",
    "been (?:there|so|such|my|kind|good to|supportive|patient)",
    "and forever",
    "(?:kind|sweet|patient|thoughtful|generous|supportive|lovely|fun|gentle|caring|honest"
    "|helpful|warm|loving|wonderful|amazing|brilliant|beautiful|good to (?:me|us)|calm|funny"
    "|cute|gorgeous)",
)

NEVER_WARM = (
    "fail to",
    "cease to",
    "let (?:me|us) down",
    "give up",
    "judge",
    "complain",
    "disappoint",
    "hesitate",
    "hurt (?:me|us)",
    "lie to (?:me|us)",
    "(?:pressure|push|rush|force) (?:me|us)",
    "make (?:me|us) feel (?:small|stupid|bad|judged|alone|unwanted|guilty|rushed|pressured"
    "|silly|less|like a burden)",
    "raise your voice",
    "yell",
    "shout",
    "take (?:me|us|anything|it) for granted",
    "forget",
    "miss a",
    "stop (?:trying|caring|amazing|surprising|believing|loving|supporting|learning|growing"
    "|impressing|making me)",
    "(?:have|need) to (?:worry|wonder|ask|apologi[sz]e|explain|be alone|feel|hide|pretend|earn)",
    "be alone",
    "walk alone",
    "lose (?:me|us)",
    "looked (?:better|more|happier)",
    "been (?:more|to)",
    "bore (?:me|us)",
    "leave (?:me|us) (?:hanging|behind|guessing|out)",
    "doubt (?:me|us)",
    "hold (?:it|a grudge|anything) against",
    # "you never know (, it might be fun)": an idiom, not a complaint.
    "know$",
    "know (?:until|what might|what could|when)",
    "can tell",
)

SHOULD_WARM = (
    "(?:see|hear|try|taste|meet|watch|visit|join|come)",
    "have (?:seen|heard|been there|tasted|a rest|a nap|a break)",
    "rest",
    "sleep",
    "eat",
    "get some (?:rest|sleep|food|air|fresh air)",
    "take (?:a break|a nap|it easy|care|the day|some time|a rest|a bath|a walk)",
    "treat yourself",
    "be proud",
    "feel (?:proud|good|free|welcome|better)",
    "go for it",
    "believe it",
    "know (?:that )?(?:i|how much|you're|you are|we)",
)

SHOULD_NOT_WARM = (
    # "Oh, you shouldn't have!" (a thank-you), "you shouldn't have to carry this alone".
    "have$",
    "have to",
    "feel (?:bad|guilty|sorry|ashamed|alone|embarrassed|responsible)",
    "worry",
    "apologi[sz]e",
    "be (?:so hard on yourself|sorry|ashamed|alone|afraid|embarrassed|scared)",
    "blame yourself",
    "doubt yourself",
    "push yourself",
    "overthink",
    "stress",
    "carry",
    "hide",
    "miss",
)

# A warm complement stops counting when the rest of its clause turns sour.
CRITICAL_WORDS = (
    "ruin\\w*",
    "spoil\\w*",
    "wreck\\w*",
    "mess\\w* (?:\\w+ )?up",
    "upset\\w*",
    "annoy\\w*",
    "irritat\\w*",
    "embarrass\\w*",
    "humiliat\\w*",
    "hurt\\w*",
    "disappoint\\w*",
    "let (?:me|us) down",
    "ignor\\w*",
    "blam\\w*",
    "critici[sz]\\w*",
    "nag\\w*",
    "about (?:you|yourself)",
    "wrong",
    "angry",
    "cry",
)

# The partner is the object, not the subject ("I'll love you always"), or it is a question
# ("are you always this cheerful?"), which is curiosity rather than a verdict.
OBJECT_OR_QUESTION = (
    r"(?:\b(?:love|loved|adore|miss|thank|thanks|need|want|cherish|choose|trust|remember"
    r"|hold|keep|picture|imagine|(?:be|stay|here|there) (?:with|for)|stand by|beside)"
    r"|(?<!\bwhy\s)\b(?:are|were|do|does|did|have|will)"
    # "I love that you always ...": appreciation, whatever follows.
    r"|\b(?:love|like|adore|appreciate|admire|cherish) (?:that|how|the way|it when))\s+$"
)
# An offer or a condition ("if you need to talk, I'm here"), not an instruction.
OFFER_OR_CONDITION = (
    r"\b(?:if|whenever|when|anything|everything|whatever|what|all|do|did|does|are|were"
    r"|in case|as long as)\s+$"
)
# "You're not lazy", "I never said you were selfish": negated in the same clause.
NEGATED = r"(?:\bnot|\bnever|n't|\bnobody|\bno one)\b[^.!?,;]*$"

# The writer speaking of themself ("I'm so avoidant when I'm tired"): the clause before the
# trigger has "I", "we" or "let's", and no "you" after it.
SELF_BEFORE = (
    r"\b(?:i|i'm|im|me|my|we|let's)\b"
    r"(?:(?!\b(?:you|u)\b)[^.!?,;])*$"
)
# Where a sentence starts, without taking the space before it into the highlighted span.
SENTENCE_START = r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\n))"
