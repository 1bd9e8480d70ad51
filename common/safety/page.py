"""The safety page: short, plain guidance for a person who may not be safe with their
partner, or with themself. Haven's own words, translatable. The features it names are
quiet exit (`quiet_exit` in `me/nudge-settings`), discreet notifications (`discreet`, same
place), "where am I signed in" (`me/sessions`) and crisis resources."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    body: Promise
    route: str | None = None


TITLE = _("Staying safe")
INTRODUCTION = _(
    "Haven is meant to make things gentler between two people. If being with your partner "
    "feels unsafe, or you are thinking about hurting yourself, this page is for you. Nothing "
    "you read here is shown to your partner."
)

SECTIONS: tuple[Section, ...] = (
    Section(
        key="help_now",
        title=_("If you are in danger now"),
        body=_(
            "Call your local emergency number. Haven can show it, together with crisis and "
            "domestic-violence lines for your country, without signing in.\n\n"
            "Talking to someone at a helpline is free and confidential in most places, and "
            "you do not have to be sure it is 'bad enough' to call."
        ),
        route="/api/v1/crisis-resources",
    ),
    Section(
        key="phone_monitoring",
        title=_("A phone can be watched"),
        body=_(
            "Someone who knows your passcode, or has had your phone in their hands, may be "
            "able to read your messages, see your notifications or your location, or may "
            "have installed an app that does. That is not your fault.\n\n"
            "If you can, look for help from a device they have never used, such as a "
            "friend's phone or a library computer. Changing passwords or removing an app can "
            "be noticed; a helpline can help you plan when and how."
        ),
    ),
    Section(
        key="discreet_mode",
        title=_("Discreet notifications"),
        body=_(
            "With discreet notifications on, what Haven shows on your lock screen or in an "
            "email subject never names anyone and never quotes anything: just a plain "
            "reminder to open the app. You find it in your notification settings."
        ),
        route="/api/v1/me/nudge-settings",
    ),
    Section(
        key="quiet_exit",
        title=_("Quiet exit"),
        body=_(
            "Quiet exit stops every notification to your devices at once. Anything new waits "
            "in your in-app inbox, where only you can see it, and your partner is not told.\n\n"
            "If you decide to end the couple, you can also delay what your partner sees for "
            "up to a day, while everything of theirs disappears for you at once."
        ),
        route="/api/v1/me/nudge-settings",
    ),
    Section(
        key="sessions",
        title=_("Where am I signed in"),
        body=_(
            "Haven lists every phone and browser signed in to your account. If you see one "
            "you do not know, someone may know your password: sign out everywhere else in "
            "one step, then change your password from a device you trust."
        ),
        route="/api/v1/me/sessions",
    ),
    Section(
        key="what_partner_sees",
        title=_("What your partner can never see"),
        body=_(
            "Haven never shows when you were last online, whether you read something, when "
            "you are typing, where you are, or which device you use. Your private notes stay "
            "yours, and your partner is never told that a private note exists."
        ),
    ),
)
