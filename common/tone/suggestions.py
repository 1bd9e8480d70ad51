"""What the tone helper says for each kind of phrasing (each hint's `code`): a gentle
suggestion and an I-statement shape with … where the person's own words go. The copy belongs
to the code, not to a language's table: every table (English today, Spanish next) files its rows
under these codes and gets the same advice, translated by gettext into the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Advice:
    suggestion: Promise
    i_statement: Promise


# In the order the API documents the codes.
ADVICE: dict[str, Advice] = {
    "name_calling": Advice(
        suggestion=_(
            "A label about who your partner is tends to drown out what you need. Try naming the "
            "feeling underneath it instead."
        ),
        i_statement=_("I feel … right now, and what I need is …"),
    ),
    "attachment_label": Advice(
        suggestion=_(
            "Words like 'avoidant' or 'anxious' can turn a moment into a diagnosis, and they "
            "tend to end the conversation. Describing what you noticed, and what you need right "
            "now, leaves room for an answer."
        ),
        i_statement=_("When … , I felt … . What would help me right now is …"),
    ),
    "fault_finding": Advice(
        suggestion=_(
            "Looking for whose fault it is usually makes both of you defend yourselves. "
            "Describing what happened and what would help next can move you forward together."
        ),
        i_statement=_("I feel … about what happened. Could we work out … together?"),
    ),
    "globalizing": Advice(
        suggestion=_(
            "Speaking about your partner's whole character, or the whole relationship, makes "
            "this feel bigger than it may be. Try keeping to this one situation."
        ),
        i_statement=_("I feel … when … . I would like …"),
    ),
    "your_problem": Advice(
        suggestion=_(
            "'Your problem is' puts the whole difficulty on your partner. Saying how it affects "
            "you, and what you would like, makes it something you can face together."
        ),
        i_statement=_("When … , I find it hard because … . Could we try …?"),
    ),
    "love_test": Advice(
        suggestion=_(
            "'If you loved me…' turns a wish into a test of love, which is hard to pass and "
            "hard to hear. Asking for the thing itself is more likely to bring it."
        ),
        i_statement=_("It would mean a lot to me if … . When you do, I feel …"),
    ),
    "why_cant_you": Advice(
        suggestion=_(
            "A 'why can't you' question can feel like a test with no right answer. Try saying "
            "what you need, as a wish rather than a question."
        ),
        i_statement=_("I need … . Would you be open to …?"),
    ),
    "stop_being_so": Advice(
        suggestion=_(
            "'Stop being so …' asks your partner to be someone else in this moment. Saying what "
            "is hard for you, and what would help, gives them something they can do."
        ),
        i_statement=_("When … , I feel … . Would you be open to …?"),
    ),
    "sarcasm": Advice(
        suggestion=_(
            "Sarcasm can wrap a real hurt in a form that is easy to brush off or bristle at. "
            "Saying the hurt plainly gives your partner a chance to answer it."
        ),
        i_statement=_("I was hoping for … , and when … I felt … ."),
    ),
    "should_statement": Advice(
        suggestion=_(
            "'You should' can read as an instruction. Sharing what you would like, and why it "
            "matters to you, gives your partner something to say yes to."
        ),
        i_statement=_("I would really like … , because … matters to me."),
    ),
    "absolute_never": Advice(
        suggestion=_(
            "'Never' is hard to hear without wanting to list the exceptions. Saying what you "
            "miss, and when you last noticed it, is easier to answer."
        ),
        i_statement=_("I miss … . It would mean a lot to me if …"),
    ),
    "absolute_always": Advice(
        suggestion=_(
            "'Always' can turn one moment into a verdict about who your partner is. Naming the "
            "last time it happened, and how it felt, keeps the door open."
        ),
        i_statement=_("When … happened this time, I felt … . I would like …"),
    ),
}
