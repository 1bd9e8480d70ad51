"""English labels: name-calling, mood words said as a verdict, and the attachment words
Haven never uses about a person. Regex fragments and tuples, as in `words.py`."""

from __future__ import annotations

from common.tone.rules.en.words import YOU, YOU_ARE
from common.tone.table import any_of as _any

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
SOFT_LABEL_INTENSIFIERS = (
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
LABEL_FILLERS = (
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
LABEL_LEAD = _any(YOU_ARE + "(?: (?:being|acting|getting|behaving))?", YOU + " (?:sound|seem|act)")
INSULT_ADJECTIVES = (
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
ATTACHMENT_NOUNS = (
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
ATTACHMENT_POINTERS = (
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
