"""English phrasing that tends to land as blame ("you always", "you never", "you should",
"why can't you", labels, "it's all your fault"), with a gentler shape for each. The matcher
that reads this table is `common.tone.matcher`; the registry files it under ("en", "blame").

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
  the direction the helper steers towards.

The patterns are word alternatives with small bounded repeats (no unbounded nested
repetition), so a long or hostile text cannot make the matcher backtrack catastrophically.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from common.tone.table import ToneRule, ToneTable
from common.tone.table import any_of as _any
from common.tone.table import compile_pattern as _compile

# --- Vocabulary (English) -------------------------------------------------------------------

YOU = r"\b(?:you|u)"
YOU_ARE = r"\b(?:you're|youre|you are|you were|ur|u r|u are)"
INTENSIFIERS = ("just", "literally", "seriously", "really", "basically", "honestly", "still")

# Words that may sit between a trigger and its warm complement ("you're always *so* kind").
_SOFTENERS = ("just", "really", "so", "truly", "totally", "definitely", "always", "still")

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
_OBJECT_OR_QUESTION = (
    r"(?:\b(?:love|loved|adore|miss|thank|thanks|need|want|cherish|choose|trust|remember"
    r"|hold|keep|picture|imagine|(?:be|stay|here|there) (?:with|for)|stand by|beside)"
    r"|(?<!\bwhy\s)\b(?:are|were|do|does|did|have|will)"
    # "I love that you always ...": appreciation, whatever follows.
    r"|\b(?:love|like|adore|appreciate|admire|cherish) (?:that|how|the way|it when))\s+$"
)
# An offer or a condition ("if you need to talk, I'm here"), not an instruction.
_OFFER_OR_CONDITION = (
    r"\b(?:if|whenever|when|anything|everything|whatever|what|all|do|did|does|are|were"
    r"|in case|as long as)\s+$"
)
# "You're not lazy", "I never said you were selfish": negated in the same clause.
_NEGATED = r"(?:\bnot|\bnever|n't|\bnobody|\bno one)\b[^.!?,;]*$"

LABEL_WORDS = (
    "stupid",
    "dumb",
    "pathetic",
    "useless",
    "lazy",
    "selfish",
    # "crazy about you" is a compliment.
    "crazy(?! about)",
    "insane(?! about)",
    "childish",
    "immature",
    "clueless",
    "worthless",
    "hopeless",
    "ridiculous",
    "heartless",
    "toxic",
    "needy",
    "clingy",
    "dramatic",
    "hysterical",
    "paranoid",
    "manipulative",
    "impossible",
    "difficult",
    "cruel",
    "spoiled",
    "ungrateful",
    "incompetent",
    "inconsiderate",
    "irresponsible",
    "self-cent(?:er|re)d",
    "unbearable",
    "annoying",
    "hypocritical",
    "controlling",
    "(?:like|such) an? (?:child|baby|toddler|teenager)",
    "mess",
    "joke",
    "nag",
    "failure",
    "disappointment",
    "drama queen",
    "control freak",
    "needy",
    "insecure",
    "oversensitive",
    "hypersensitive",
    "unstable",
    "emotionless",
    "frigid",
    "(?:such|like) an? (?:baby|crybaby|victim|martyr|robot)",
)
# Words that describe a mood as often as they label a person ("you're cold?" can be care):
# a label only with a word that makes it a verdict ("you're *so* cold", "you're *being* distant").
SOFT_LABEL_WORDS = ("cold", "distant", "closed off", "shut down", "detached", "unavailable")
_SOFT_LABEL_INTENSIFIERS = (
    "so",
    "such",
    "too",
    "very",
    "really",
    "always",
    "completely",
    "totally",
    "incredibly",
    "unbelievably",
    "being",
    "acting",
    "getting",
)
# Nouns that work as an insult on their own: "you idiot", "Liar!".
INSULT_NOUNS = (
    "idiot",
    "moron",
    "jerk",
    "loser",
    "liar",
    "coward",
    "hypocrite",
    "psycho",
    "narcissist",
    "brat",
    "slob",
)
_LABEL_FILLERS = (
    "so",
    "such",
    "really",
    "just",
    "totally",
    "completely",
    "incredibly",
    "unbelievably",
    "too",
    "very",
    "a",
    "an",
    "the most",
    "absolutely",
    "complete",
    "total",
    "real",
    "like",
    "kind of",
    "sort of",
    "pretty",
    "always",
    "honestly",
    "literally",
    "seriously",
    "textbook",
    "classic",
    "typical",
    "full-on",
    "way",
)
# What comes before a label: "you're (being)", "you sound", "you act".
_LABEL_LEAD = _any(YOU_ARE + "(?: (?:being|acting|getting|behaving))?", YOU + " (?:sound|seem|act)")
_INSULT_ADJECTIVES = (
    "stupid",
    "useless",
    "pathetic",
    "lazy",
    "selfish",
    "little",
    "big",
    "total",
    "complete",
    "absolute",
)

# Attachment words: Haven never uses them about a person (DESIGN: no labels), and aimed at a
# partner they read as a diagnosis. "Anxious" alone is a feeling, so it needs "attached".
ATTACHMENT_WORDS = (
    "avoidant(?:ly attached)?",
    "(?:anxious|anxiously|insecure|insecurely|fearful|fearfully|dismissive|dismissively"
    "|disorgani[sz]ed)(?:-| )(?:attached|attachment|avoidant)",
    "love(?:-| )?avoidant",
    "co-?dependent",
    "emotionally unavailable",
)
# What may follow an attachment word to make a noun of it ("your avoidant *side*").
_ATTACHMENT_NOUNS = (
    "attachment(?: style)?",
    "side",
    "self",
    "streak",
    "style",
    "stuff",
    "thing",
    "move",
    "mode",
    "behaviou?r",
    "tendencies",
    "issues",
    "brain",
    "wiring",
    "person",
    "partner",
)
# Words that point at an attachment word as a verdict: "*classic* avoidant move".
_ATTACHMENT_POINTERS = (
    "classic",
    "typical",
    "textbook",
    "such an?",
    "so",
    "the",
    "that",
    "this",
    "more",
    "very",
    "too",
    "super",
    "total",
    "full-on",
)
# The writer speaking of themself ("I'm so avoidant when I'm tired"): the clause before the
# trigger has "I", "we" or "let's", and no "you" after it.
_SELF_BEFORE = (
    r"\b(?:i|i'm|im|me|my|we|let's)\b"
    r"(?:(?!\b(?:you|u)\b)[^.!?,;])*$"
)

# "Your problem is …", "the problem with you is …", "you have issues".
_PROBLEM_QUALIFIERS = ("real", "whole", "only", "main", "biggest", "big", "actual", "entire")
# A question or an offer about a problem ("do you have a problem with Saturday?").
_QUESTION_OR_OFFER = r"\b(?:do|did|does|if|when|whenever|in case|is there|are there)\s+$"

# Verbs a conditional-love test is made of ("if you *loved* me", "if you *cared*").
LOVE_TEST_VERBS = ("loved", "love", "respected", "respect", "valued", "value", "cherished")
_LOVE_TEST_ADVERBS = ("really", "actually", "truly", "even", "honestly", "genuinely", "still")
# "If you cared …" counts when it is a condition on the partner's love, not an offer ("if you
# care to join"): it ends its clause, names "me"/"us", or runs straight into "you'd …".
_CARE_OBJECTS = (
    "at all",
    "even a little",
    "even a bit",
    "one bit",
    "(?:about|for) (?:me|us|my feelings|this relationship|our relationship|this|what i"
    " (?:want|need|feel))",
)
_CONDITION_ENDS = r"(?=\s*(?:[,.!?;]|$)|\s+(?:you|u|you'd|youd|u'd|ud|then)\b)"
# Who "would" if they loved you ("someone who loved me wouldn't …").
_LOVE_TEST_SUBJECTS = (
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
_STOP_FILLERS = ("so", "such", "like", "this", "that", "all", "a", "an", "the")
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
_THANKS = r"\b(?:thanks|thank you|thank u|thx|ty|cheers)"
# Where a sentence starts, without taking the space before it into the highlighted span.
_SENTENCE_START = r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\n))"
_GUESS_AT_THE_END = r"(?:i guess|i suppose)(?=\s*(?:[.!?…]|$))"
_THANKS_INTENSIFIERS = ("so much", "a lot", "very much", "a bunch", "loads")
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
_MOCK_PRAISE = (
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
_SOUR_CONTEXT = (
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


# --- The table --------------------------------------------------------------------------------


def _warm(*phrases: str) -> re.Pattern[str]:
    return _compile(rf"^(?:{_any(*_SOFTENERS)} ){{0,3}}{_any(*phrases)}(?:\b|$)")


_SUGGEST_ALWAYS = _(
    "'Always' can turn one moment into a verdict about who your partner is. Naming the last "
    "time it happened, and how it felt, keeps the door open."
)
_SUGGEST_NEVER = _(
    "'Never' is hard to hear without wanting to list the exceptions. Saying what you miss, "
    "and when you last noticed it, is easier to answer."
)
_SUGGEST_SHOULD = _(
    "'You should' can read as an instruction. Sharing what you would like, and why it matters "
    "to you, gives your partner something to say yes to."
)
_SUGGEST_WHY = _(
    "A 'why can't you' question can feel like a test with no right answer. Try saying what "
    "you need, as a wish rather than a question."
)
_SUGGEST_LABEL = _(
    "A label about who your partner is tends to drown out what you need. Try naming the "
    "feeling underneath it instead."
)
_SUGGEST_FAULT = _(
    "Looking for whose fault it is usually makes both of you defend yourselves. Describing "
    "what happened and what would help next can move you forward together."
)
_SUGGEST_GLOBAL = _(
    "Speaking about your partner's whole character, or the whole relationship, makes this "
    "feel bigger than it may be. Try keeping to this one situation."
)

_SUGGEST_ATTACHMENT = _(
    "Words like 'avoidant' or 'anxious' can turn a moment into a diagnosis, and they tend to "
    "end the conversation. Describing what you noticed, and what you need right now, leaves "
    "room for an answer."
)
_SUGGEST_YOUR_PROBLEM = _(
    "'Your problem is' puts the whole difficulty on your partner. Saying how it affects you, "
    "and what you would like, makes it something you can face together."
)
_SUGGEST_LOVE_TEST = _(
    "'If you loved me…' turns a wish into a test of love, which is hard to pass and hard to "
    "hear. Asking for the thing itself is more likely to bring it."
)
_SUGGEST_STOP_BEING = _(
    "'Stop being so …' asks your partner to be someone else in this moment. Saying what is "
    "hard for you, and what would help, gives them something they can do."
)
_SUGGEST_SARCASM = _(
    "Sarcasm can wrap a real hurt in a form that is easy to brush off or bristle at. Saying "
    "the hurt plainly gives your partner a chance to answer it."
)

_SHAPE_ALWAYS = _("When … happened this time, I felt … . I would like …")
_SHAPE_NEVER = _("I miss … . It would mean a lot to me if …")
_SHAPE_SHOULD = _("I would really like … , because … matters to me.")
_SHAPE_WHY = _("I need … . Would you be open to …?")
_SHAPE_LABEL = _("I feel … right now, and what I need is …")
_SHAPE_FAULT = _("I feel … about what happened. Could we work out … together?")
_SHAPE_GLOBAL = _("I feel … when … . I would like …")
_SHAPE_ATTACHMENT = _("When … , I felt … . What would help me right now is …")
_SHAPE_YOUR_PROBLEM = _("When … , I find it hard because … . Could we try …?")
_SHAPE_LOVE_TEST = _("It would mean a lot to me if … . When you do, I feel …")
_SHAPE_STOP_BEING = _("When … , I feel … . Would you be open to …?")
_SHAPE_SARCASM = _("I was hoping for … , and when … I felt … .")

RULES: tuple[ToneRule, ...] = (
    ToneRule(
        code="name_calling",
        # "Idiot!" on its own, at the start of a sentence.
        pattern=_compile(
            rf"(?:^|(?<=[.!?\"'(]))[^\S\n]*(?P<hit>(?:{_any(*_INSULT_ADJECTIVES)}[^\S\n]+){{0,2}}"
            rf"{_any(*INSULT_NOUNS)})[^\S\n]*!"
        ),
        suggestion=_SUGGEST_LABEL,
        i_statement=_SHAPE_LABEL,
    ),
    ToneRule(
        code="attachment_label",
        # "you are such an avoidant", "you're so anxiously attached", "you sound avoidant".
        pattern=_compile(
            rf"{_LABEL_LEAD}(?: {_any(*_LABEL_FILLERS)}){{0,4}} {_any(*ATTACHMENT_WORDS)}\b"
            rf"(?: {_any(*_ATTACHMENT_NOUNS)}\b)?"
        ),
        suggestion=_SUGGEST_ATTACHMENT,
        i_statement=_SHAPE_ATTACHMENT,
        skip_before=_compile(_NEGATED),
    ),
    ToneRule(
        code="attachment_label",
        # "you have an avoidant attachment style", "your anxious attachment is showing".
        pattern=_compile(
            _any(
                YOU + "(?:'ve| have)? (?:have|got|has)(?: (?:an?|such an?|some|so much|serious"
                "|real|total|classic|textbook|the most))?",
                r"\b(?:your|ur)(?: (?:whole|typical|classic|usual|little))?",
            )
            + rf" {_any(*ATTACHMENT_WORDS)}\b(?: {_any(*_ATTACHMENT_NOUNS)}\b)?"
        ),
        suggestion=_SUGGEST_ATTACHMENT,
        i_statement=_SHAPE_ATTACHMENT,
        skip_before=_compile(_NEGATED),
    ),
    ToneRule(
        code="attachment_label",
        # "Classic avoidant move.", "stop with the avoidant stuff", "such an avoidant".
        pattern=_compile(
            rf"\b{_any(*_ATTACHMENT_POINTERS)} {_any(*ATTACHMENT_WORDS)}\b"
            rf"(?: {_any(*_ATTACHMENT_NOUNS)}\b)?"
        ),
        suggestion=_SUGGEST_ATTACHMENT,
        i_statement=_SHAPE_ATTACHMENT,
        skip_before=_compile(_SELF_BEFORE),
    ),
    ToneRule(
        code="name_calling",
        # "you're so selfish", "you are such an idiot", "you're acting like a child".
        pattern=_compile(
            rf"{_LABEL_LEAD}(?: {_any(*_LABEL_FILLERS)}){{0,4}}"
            rf" {_any(*LABEL_WORDS, *INSULT_NOUNS)}\b"
        ),
        suggestion=_SUGGEST_LABEL,
        i_statement=_SHAPE_LABEL,
        skip_before=_compile(_NEGATED),
    ),
    ToneRule(
        code="name_calling",
        # "you idiot", "you stupid jerk".
        pattern=_compile(rf"{YOU}(?: {_any(*_INSULT_ADJECTIVES)}){{0,2}} {_any(*INSULT_NOUNS)}\b"),
        suggestion=_SUGGEST_LABEL,
        i_statement=_SHAPE_LABEL,
        skip_before=_compile(_NEGATED),
    ),
    ToneRule(
        code="name_calling",
        # "you're so cold", "you're being distant": a mood word said as a verdict.
        pattern=_compile(
            rf"{YOU_ARE}(?: {_any(*_LABEL_FILLERS)}){{0,3}} {_any(*_SOFT_LABEL_INTENSIFIERS)}"
            rf"(?: {_any(*_LABEL_FILLERS)}){{0,2}} {_any(*SOFT_LABEL_WORDS)}\b"
        ),
        suggestion=_SUGGEST_LABEL,
        i_statement=_SHAPE_LABEL,
        skip_before=_compile(_NEGATED),
    ),
    ToneRule(
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
        suggestion=_SUGGEST_FAULT,
        i_statement=_SHAPE_FAULT,
    ),
    ToneRule(
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
        suggestion=_SUGGEST_GLOBAL,
        i_statement=_SHAPE_GLOBAL,
    ),
    ToneRule(
        code="your_problem",
        # "Your problem is …", "that's your problem", "the problem with you is …".
        pattern=_compile(
            _any(
                rf"(?:your|ur)(?: {_any(*_PROBLEM_QUALIFIERS)})? problem(?: (?:is|was|here is)"
                r"|'s|, not mine)",
                "(?:that's|thats|that is|it's|its|it is|sounds like)(?: (?:just|really|totally"
                "|all|entirely|completely))? (?:your|ur) (?:problem|issue)",
                rf"the(?: {_any(*_PROBLEM_QUALIFIERS)})? problem (?:with (?:you|u)(?: is)?"
                r"|(?:here )?is(?: that)? (?:you|u)\b(?!'re not| are not| aren't))",
            )
            + r"\b"
        ),
        suggestion=_SUGGEST_YOUR_PROBLEM,
        i_statement=_SHAPE_YOUR_PROBLEM,
        skip_before=_compile(_NEGATED),
    ),
    ToneRule(
        code="your_problem",
        # "you have issues", "you've got serious issues".
        pattern=_compile(
            YOU + "(?:'ve| have)? (?:have|got)(?: (?:some|serious|real|major|big|deep|such|so many"
            "|massive))* (?:issues|(?:serious|real|major|big|deep) problems|a (?:real |serious "
            r"|big |major )?problem with (?:me|us|everything|everyone|anyone))\b"
        ),
        suggestion=_SUGGEST_YOUR_PROBLEM,
        i_statement=_SHAPE_YOUR_PROBLEM,
        skip_before=_compile(_QUESTION_OR_OFFER),
    ),
    ToneRule(
        code="love_test",
        # "if you loved me …", "if you really respected us …", "if you cared, you'd …".
        pattern=_compile(
            _any(
                rf"if (?:you|u)(?: {_any(*_LOVE_TEST_ADVERBS)}){{0,2}} {_any(*LOVE_TEST_VERBS)}"
                rf" (?:me|us)(?: at all| even a little)?{_CONDITION_ENDS}",
                rf"if (?:you|u)(?: {_any(*_LOVE_TEST_ADVERBS)}){{0,2}} (?:cared|care)"
                rf"(?: {_any(*_CARE_OBJECTS)})?{_CONDITION_ENDS}",
                rf"if (?:you|u)(?: {_any(*_LOVE_TEST_ADVERBS)}){{0,2}} (?:wanted|want) to be"
                r" with (?:me|us)\b",
                r"if (?:i|we) (?:really |actually |even |ever )?(?:mattered|meant (?:anything"
                r"|something|a thing)|meant) to (?:you|u)\b",
                rf"{_any(*_LOVE_TEST_SUBJECTS)} who (?:really |actually |truly )?"
                r"(?:loved|loves|cared|cares|respected|respects|valued|values)"
                r"(?: (?:about|for))?(?: (?:me|us|them|their partner))? would",
                r"(?:do|did|does) (?:you|u) (?:even|actually|honestly|ever)(?: really)?"
                r" (?:love|care|respect|value"
                r"|(?:like|want) (?:me|us)(?=\s*(?:[.!?,]|$|anymore)))\b",
            )
        ),
        suggestion=_SUGGEST_LOVE_TEST,
        i_statement=_SHAPE_LOVE_TEST,
    ),
    ToneRule(
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
        suggestion=_SUGGEST_WHY,
        i_statement=_SHAPE_WHY,
    ),
    ToneRule(
        code="stop_being_so",
        # "stop being so needy", "quit acting like a victim" (not "stop being so hard on
        # yourself", and not the writer about themself).
        pattern=_compile(
            rf"\b(?:stop|quit) (?:being|acting|getting)(?: {_any(*_STOP_FILLERS)}){{0,3}}"
            rf" (?!{_any(*STOP_BEING_WARM, *_STOP_FILLERS)}\b)[\w'-]+"
        ),
        suggestion=_SUGGEST_STOP_BEING,
        i_statement=_SHAPE_STOP_BEING,
        skip_before=_compile(_SELF_BEFORE),
    ),
    ToneRule(
        code="stop_being_so",
        # "stop overreacting", "stop making everything about you".
        pattern=_compile(rf"\b(?:stop|quit) {_any(*STOP_DOING)}\b"),
        suggestion=_SUGGEST_STOP_BEING,
        i_statement=_SHAPE_STOP_BEING,
        skip_before=_compile(_SELF_BEFORE),
    ),
    ToneRule(
        code="sarcasm",
        # "Thanks for finally texting back, I guess.", "Thanks, I guess.", "thanks for nothing".
        pattern=_compile(
            _any(
                # "I guess" closing the thanks, not starting a new thought.
                _THANKS + rf"\b[^.!?\n]{{0,60}}?\b{_GUESS_AT_THE_END}",
                _THANKS + rf"(?: {_any(*_THANKS_INTENSIFIERS)})? for (?:finally\b|nothing"
                r"(?=\s*(?:[.!?,;]|$)))",
                rf"(?:great|wonderful|lovely|perfect|fine)\b[^.!?\n]{{0,20}}?\b{_GUESS_AT_THE_END}",
            )
        ),
        suggestion=_SUGGEST_SARCASM,
        i_statement=_SHAPE_SARCASM,
    ),
    ToneRule(
        code="sarcasm",
        pattern=_compile(
            _any(
                # "Wow, great job." / "wow, nice job forgetting again" (not "great job on …!").
                rf"\b(?:wow|oh|well),? {_any(*_MOCK_PRAISE)} (?:job|work|one|move)"
                r"(?=\s*(?:[.?]|$)|\s+\w+ing\b)",
                # "Oh great, another weekend …", "Oh wonderful, you forgot again".
                rf"\boh,? {_any(*_MOCK_PRAISE, 'joy', 'goody')}\b"
                rf"(?=[^.!?\n]{{0,60}}\b{_any(*_SOUR_CONTEXT)}\b)",
                # "Great, just great."
                rf"\b{_any(*_MOCK_PRAISE)},? (?:just|simply|really|absolutely)"
                rf" {_any(*_MOCK_PRAISE)}(?=\s*(?:[.!?]|$))",
                # "Nice of you to show up.", "Glad you finally noticed."
                r"\b(?:how |so |very |real )?nice of (?:you|u) to"
                rf" (?:finally {_any(*LATE_ATTENTION)}|{_any(*GRUDGING)})\b",
                rf"\b(?:so )?glad (?:you|u) (?:could )?finally {_any(*LATE_ATTENTION)}\b",
                rf"\bcongrat\w* (?:on|for) finally {_any(*LATE_ATTENTION)}\b",
                r"\blook who(?:'s| is)? (?:finally|decided to|bothered|remembered|showed up"
                r"|turned up)\b",
                # "Must be nice to …" opening a sentence (not "that must be nice for her").
                _SENTENCE_START + r"(?:(?:well|wow|oh|it),? )?must be nice"
                r"(?=\s*(?:[.!?,]|$)|\s+(?:to|being|having|when)\b)",
                r"\bgood to know (?:that )?(?:i'm|im|i am|i rank|where i stand|how much i)\b",
                r"\b(?:oh,? )?so now (?:you|u) (?:want|care|have time|remember|notice|feel like"
                r"|wanna)\b",
                # "Real mature." said on its own.
                _SENTENCE_START + r"(?:wow,? )?(?:real|very|how|so|really) mature"
                r"(?=\s*(?:[.!?]|$))",
            )
        ),
        suggestion=_SUGGEST_SARCASM,
        i_statement=_SHAPE_SARCASM,
    ),
    ToneRule(
        code="should_statement",
        pattern=_compile(
            rf"{YOU}(?: {_any(*INTENSIFIERS)})? (?:shouldn't|shouldnt|should not|ought not to)\b"
        ),
        suggestion=_SUGGEST_SHOULD,
        i_statement=_SHAPE_SHOULD,
        warm_after=_warm(*SHOULD_NOT_WARM),
        skip_before=_compile(_OFFER_OR_CONDITION),
    ),
    ToneRule(
        code="should_statement",
        pattern=_compile(
            _any(
                YOU + f"(?: {_any(*INTENSIFIERS)})? (?:should|ought to|had better|better)",
                r"\byou'd better",
            )
            + r"\b"
        ),
        suggestion=_SUGGEST_SHOULD,
        i_statement=_SHAPE_SHOULD,
        warm_after=_warm(*SHOULD_WARM),
        skip_before=_compile(_OFFER_OR_CONDITION),
    ),
    ToneRule(
        code="should_statement",
        # "You need to calm down." is an instruction, but in `your_need_as_i_understand`
        # "You need to have quiet evenings to recharge." is the answer the field asks for.
        pattern=_compile(YOU + f"(?: {_any(*INTENSIFIERS)})? need to\\b"),
        suggestion=_SUGGEST_SHOULD,
        i_statement=_SHAPE_SHOULD,
        warm_after=_warm(*SHOULD_WARM),
        skip_before=_compile(_OFFER_OR_CONDITION),
        off_for=frozenset({"your_need_as_i_understand"}),
    ),
    ToneRule(
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
        suggestion=_SUGGEST_NEVER,
        i_statement=_SHAPE_NEVER,
        warm_after=_warm(*NEVER_WARM),
        skip_before=_compile(_OBJECT_OR_QUESTION),
    ),
    ToneRule(
        code="absolute_always",
        pattern=_compile(
            _any(
                YOU + "(?:'re|re|'ve|'ll| are| have| will| were)?"
                f"(?: {_any(*INTENSIFIERS)})? (?:always|constantly|continually)(?!-)",
                r"\b(?:ur|your) (?:always|constantly)(?!-)",
            )
            + r"\b"
        ),
        suggestion=_SUGGEST_ALWAYS,
        i_statement=_SHAPE_ALWAYS,
        warm_after=_warm(*ALWAYS_WARM),
        skip_before=_compile(_OBJECT_OR_QUESTION),
    ),
)


_CRITICAL = _compile(rf"\b{_any(*CRITICAL_WORDS)}\b")

TABLE = ToneTable(rules=RULES, critical=_CRITICAL)
