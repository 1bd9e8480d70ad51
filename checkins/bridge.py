"""The daily bridge: one small suggestion for the day, made once both partners have checked in
(DESIGN, ``checkins/``). It reads both dials (space -2 … +2 closeness), both capacities to talk,
both lists of connection activities and both receiving love-language rankings, and answers:
what kind of day this is, one activity, one gesture that asks for no reply, a ready-made
reassurance for a person who is taking space, and how deep any talk should go.

A dial the person left unanswered is *unknown*: never read as 0 ("easy either way"), which
would put words in their mouth. The reassurance uses the partner's own words when they saved
the words they like to hear and share them (``PersonToday.reassurance_words``).

It is pure (no database, no clock) and rule based. Every rule that fires leaves a code in
``reasons``, so the app can say "why this?" and a coach can trace any suggestion back to the
rules below and the tables they name. Space is treated as regulation, not rejection; no rule
and no sentence says which partner is the "problem", and every rule that decides the shared
part of the suggestion looks at the two people as a pair, never at who is asking.

How it decides
==============

1. **Talk.** ``talk`` is the lower of the two capacities (``not_today`` < ``light`` <
   ``deeper``). When either person asks for space (dial < 0) it is capped at ``light``: a
   deeper conversation belongs to a day when neither of them needs room. An unanswered dial
   caps it at ``light`` too: nobody knows yet whether that person has room.

2. **Kind.** The first row that matches wins. Rows look only at both dials and ``talk``.

   row  dials                               talk            kind
   ---  ----------------------------------  --------------  -----------------
   0a   one unanswered, the other < 0       any             gentle_distance
   0b   one or both unanswered, no known    any             open_day
        dial < 0
   1    one < 0 and the other > 0           any             side_by_side
   2    at least one < 0, neither > 0       any             gentle_distance
   3    neither < 0                         deeper          talk_window
   4    both > 0                            light or less   close_time
   5    both 0                              not_today       rest_day
   6    one > 0 and one 0; or both 0        light or less   light_touch
        with talk light

   Row 1 is the day the app exists for: one would like room, the other closeness. Time side
   by side (together, with nothing to discuss) gives each some of what they asked for.
   Rows 0a and 0b never guess an unanswered dial: a known wish for room is honoured, and
   otherwise the day is left open (``open_day``): only things that suit someone who wants
   room as well as someone who wants closeness, and only ones both chose.

3. **Activity.** The first code in the kind's order in ``ACTIVITY_ORDERS`` that *both*
   people listed. The order is fixed in that table, so neither person's own ordering (or who
   is viewing) changes the pick. Activities that are mostly talking
   (``TALK_HEAVY_ACTIVITIES``) are skipped when ``talk`` is ``not_today``. When nothing both
   listed fits, the kind's entry in ``DEFAULT_ACTIVITIES`` is used.

   Kinds in which nobody asked for more connection (``gentle_distance``, ``rest_day``), and
   the day when a wish is unknown (``open_day``), have no default, so they only suggest an
   activity both chose themselves: Haven does not invent plans for a day of room (room, or
   rest, is the plan) nor for a wish nobody said.

4. **Gesture for the partner.** Picked from the *partner's* top receiving love language (the
   first known code in their ranking), from ``GESTURES``: one warm variant, and one that
   gives room, used when the partner's dial is below 0 or unanswered (never assume more
   closeness than was asked for). Every gesture is small enough for someone who wants space
   to give, and is something done rather than asked: nothing in it
   needs an answer. With no ranking, a general gesture is used instead.

5. **Reassurance.** Offered only to a viewer whose own dial is below 0: a ready-made line
   they can send with one tap. It goes to the person taking space because they are the one
   who can make the step back read as "I'm recharging", not "I'm pulling away" (DESIGN: "a
   one-tap reassurance for the one taking space"; the "taking space" signal carries one the
   same way). The partner who wants closeness receives it; on their own screen they get a
   gesture that gives room instead. When both want space, each is offered one. When the
   partner saved the words they like to hear and shares them (``reassurance_words``), those
   words are the line, whatever the day; otherwise one of Haven's own ``REASSURANCES``. An
   unanswered dial of the viewer's own offers none (they did not say they want room).

6. **Summary.** One sentence to the viewer, naming the partner, chosen by the kind and by
   which side of the dial the viewer is on. It describes both wishes as equally fair, and
   says nothing about a wish that was not answered.

Consistency between the two views
=================================
``kind``, ``activity``, ``talk`` and the shared reasons (everything before the ``gesture:``
code) are computed from the pair as a set, so both partners see the same plan.
``gesture_for_partner``, ``reassurance``, ``summary`` and the last reasons belong to the viewer.

Reason codes
============
``dials_apart``, ``both_want_space``, ``one_wants_space``, ``both_want_closeness``,
``one_wants_closeness``, ``both_easy``, ``dial_unknown`` (the dials; exactly one of these);
``capacity_min:<capacity>``; ``talk_capped_by_space`` or ``talk_capped_by_unknown_dial``;
``shared_activity:<code>`` or ``no_shared_activity`` (then ``default_activity:<code>`` when a
default is used); ``gesture:<love language>`` or ``gesture:generic``; ``gesture_gives_room``;
``reassurance:viewer_wants_space``, then ``reassurance:their_words`` when the line is the
partner's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import ConnectionActivity, LoveLanguage

# --- Codes ----------------------------------------------------------------------------------

NOT_TODAY = "not_today"
LIGHT = "light"
DEEPER = "deeper"
# Capacity to talk today, least first. The check-in stores the same codes.
CAPACITIES: tuple[str, ...] = (NOT_TODAY, LIGHT, DEEPER)

DIAL_MIN = -2
DIAL_MAX = 2

SIDE_BY_SIDE = "side_by_side"
GENTLE_DISTANCE = "gentle_distance"
TALK_WINDOW = "talk_window"
CLOSE_TIME = "close_time"
REST_DAY = "rest_day"
LIGHT_TOUCH = "light_touch"
OPEN_DAY = "open_day"
KINDS: tuple[str, ...] = (
    SIDE_BY_SIDE,
    GENTLE_DISTANCE,
    TALK_WINDOW,
    CLOSE_TIME,
    REST_DAY,
    LIGHT_TOUCH,
    OPEN_DAY,
)

_A = ConnectionActivity

# Activities that are mostly talking; they do not fit a day when someone has no room to talk.
TALK_HEAVY_ACTIVITIES: frozenset[str] = frozenset({_A.SHORT_CALL.value})

ACTIVITY_ORDERS: dict[str, tuple[str, ...]] = {
    # Together, with nothing to discuss and no eye contact required.
    SIDE_BY_SIDE: (
        _A.SIDE_BY_SIDE_QUIET_TIME.value,
        _A.MUSIC_TOGETHER.value,
        _A.WATCH_SOMETHING.value,
        _A.WALK_TOGETHER.value,
        _A.ERRANDS_TOGETHER.value,
    ),
    # Apart, and asynchronous: each answers whenever they like, or not at all.
    GENTLE_DISTANCE: (_A.VOICE_NOTE.value, _A.TEXTING.value),
    # Settings where a longer conversation flows easily.
    TALK_WINDOW: (
        _A.WALK_TOGETHER.value,
        _A.COOK_TOGETHER.value,
        _A.DAY_TRIP.value,
        _A.SHORT_CALL.value,
    ),
    CLOSE_TIME: (
        _A.CUDDLE.value,
        _A.COOK_TOGETHER.value,
        _A.PLAY_A_GAME.value,
        _A.WALK_TOGETHER.value,
        _A.WATCH_SOMETHING.value,
        _A.MUSIC_TOGETHER.value,
        _A.DAY_TRIP.value,
        _A.SHORT_CALL.value,
    ),
    REST_DAY: (
        _A.SIDE_BY_SIDE_QUIET_TIME.value,
        _A.WATCH_SOMETHING.value,
        _A.MUSIC_TOGETHER.value,
        _A.CUDDLE.value,
    ),
    LIGHT_TOUCH: (
        _A.WALK_TOGETHER.value,
        _A.COOK_TOGETHER.value,
        _A.WATCH_SOMETHING.value,
        _A.PLAY_A_GAME.value,
        _A.MUSIC_TOGETHER.value,
        _A.ERRANDS_TOGETHER.value,
        _A.SHORT_CALL.value,
        _A.VOICE_NOTE.value,
    ),
    # Someone did not say how close they would like to be: only what suits either wish,
    # together with nothing to discuss, or apart and answered whenever one likes.
    OPEN_DAY: (
        _A.SIDE_BY_SIDE_QUIET_TIME.value,
        _A.WALK_TOGETHER.value,
        _A.MUSIC_TOGETHER.value,
        _A.WATCH_SOMETHING.value,
        _A.VOICE_NOTE.value,
        _A.TEXTING.value,
    ),
}

# None: when nothing both listed fits, the day needs no plan.
DEFAULT_ACTIVITIES: dict[str, str | None] = {
    SIDE_BY_SIDE: _A.SIDE_BY_SIDE_QUIET_TIME.value,
    GENTLE_DISTANCE: None,
    TALK_WINDOW: _A.WALK_TOGETHER.value,
    CLOSE_TIME: _A.COOK_TOGETHER.value,
    REST_DAY: None,
    LIGHT_TOUCH: _A.WALK_TOGETHER.value,
    OPEN_DAY: None,
}

# --- Copy -----------------------------------------------------------------------------------
# %(name)s is the partner's display name (or "your partner"). Each gesture is small, needs no
# conversation and says that nothing is expected back.

WARM = "warm"
GIVES_ROOM = "gives_room"
GENERIC = "generic"

GESTURES: dict[str, dict[str, Promise]] = {
    LoveLanguage.WORDS_OF_AFFIRMATION.value: {
        WARM: _(
            "Send %(name)s one line about something you valued in them this week, "
            "and add that it needs no reply."
        ),
        GIVES_ROOM: _(
            "Leave %(name)s a short, kind message they can read whenever they like, "
            "and say there is nothing to answer."
        ),
    },
    LoveLanguage.QUALITY_TIME.value: {
        WARM: _(
            "Give %(name)s ten unhurried minutes today with your phone out of sight; "
            "nothing needs to be talked through."
        ),
        GIVES_ROOM: _(
            "Keep the evening calm and unhurried, so %(name)s can join you whenever "
            "they are ready, with no plan to keep."
        ),
    },
    LoveLanguage.ACTS_OF_SERVICE.value: {
        WARM: _("Quietly take one small chore off the list for %(name)s today; no thanks needed."),
        GIVES_ROOM: _(
            "Take care of one small task for %(name)s so their quiet time stays their own, "
            "without mentioning it."
        ),
    },
    LoveLanguage.GIFTS.value: {
        WARM: _(
            "Leave a small surprise where %(name)s will find it, such as a favourite snack "
            "or a flower; it asks for nothing back."
        ),
        GIVES_ROOM: _(
            "Set out a cup of tea or a favourite treat for %(name)s and let it speak for "
            "itself; no words needed."
        ),
    },
    LoveLanguage.PHYSICAL_TOUCH.value: {
        WARM: _(
            "Offer %(name)s a warm hug or a hand on the shoulder in passing, "
            "with no conversation attached."
        ),
        GIVES_ROOM: _(
            "If %(name)s welcomes it, a brief squeeze of the hand in passing is enough; "
            "then leave them their room."
        ),
    },
    GENERIC: {
        WARM: _("Do one small kind thing for %(name)s today that asks for nothing back."),
        # Also used when the partner left their dial unanswered: it must not say they asked.
        GIVES_ROOM: _(
            "Give %(name)s some room today, and let one small kindness that needs no reply "
            "show you are near."
        ),
    },
}

# Ready-made lines the person taking space can send with one tap, when the partner has not
# shared words of their own.
REASSURANCES: dict[str, Promise] = {
    # The partner would like to be closer; the side-by-side plan is the bridge.
    "apart_strong": _(
        "I need some real quiet today to recharge. It isn't about you, and I'd still love "
        "to be near you later."
    ),
    "apart_mild": _(
        "I could use a bit of room today, and it isn't about you. Some quiet time together "
        "later sounds good to me."
    ),
    # The partner is easy either way, or did not say.
    "space_strong": _(
        "I need some real quiet today to recharge. It isn't about you, and I'm not going anywhere."
    ),
    "space_mild": _(
        "I could use a bit of room today. It isn't about you, and I'm still right here."
    ),
    # Both asked for space.
    "both_space": _(
        "We both need a little room today, and that's fine. I'm still here and still on your side."
    ),
}

# (kind, viewer side) -> the summary. Sides: "space" (dial < 0), "close" (> 0), "easy" (0),
# "unknown" (unanswered). No summary says anything about a dial nobody answered.
SUMMARIES: dict[tuple[str, str], Promise] = {
    (SIDE_BY_SIDE, "space"): _(
        "You'd like some room today and %(name)s would like to be closer; time side by "
        "side, with nothing to discuss, gives you both some of what you need."
    ),
    (SIDE_BY_SIDE, "close"): _(
        "You'd like to be closer today and %(name)s would like some room; time side by "
        "side, with nothing to discuss, gives you both some of what you need."
    ),
    (GENTLE_DISTANCE, "both_space"): _(
        "You and %(name)s would both like some room today; taking it is a way of looking "
        "after yourselves and each other."
    ),
    (GENTLE_DISTANCE, "space"): _(
        "You'd like some room today and %(name)s is easy either way, so take the quiet "
        "you need; recharging is part of being close."
    ),
    (GENTLE_DISTANCE, "easy"): _(
        "You're easy either way today and %(name)s would like some room; giving it "
        "gladly is its own kind of closeness."
    ),
    (GENTLE_DISTANCE, "unknown"): _(
        "%(name)s would like some room today; giving it gladly is its own kind of closeness."
    ),
    (GENTLE_DISTANCE, "space_partner_unknown"): _(
        "You'd like some room today, so take the quiet you need; recharging is part of "
        "being close, and %(name)s can join you whenever you are both ready."
    ),
    (TALK_WINDOW, "any"): _(
        "You and %(name)s both have room for a deeper conversation today, if something "
        "is on your minds; an unhurried time together is just as good."
    ),
    (CLOSE_TIME, "any"): _(
        "You and %(name)s would both like to be closer today, so it's a lovely day to "
        "make a little time for each other."
    ),
    (REST_DAY, "any"): _(
        "Today isn't a day for talking things through, and that's fine; an easy, quiet "
        "time with %(name)s is plenty."
    ),
    (LIGHT_TOUCH, "close"): _(
        "You'd like to be closer today and %(name)s is open to it; something easy "
        "together fits the day well."
    ),
    (LIGHT_TOUCH, "easy"): _(
        "You're easy either way today and %(name)s would like to be closer; something "
        "easy together fits the day well."
    ),
    (LIGHT_TOUCH, "both_easy"): _(
        "An ordinary day for you and %(name)s; something easy together is plenty."
    ),
    (OPEN_DAY, "unknown"): _(
        "No need to say how close you'd like to be today; if you feel like it, something "
        "easy with %(name)s is there for you."
    ),
    (OPEN_DAY, "partner_unknown"): _(
        "%(name)s hasn't said how close they'd like to be today, so something easy, at "
        "their pace, fits the day well."
    ),
}


# --- Inputs and output ----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonToday:
    """One partner as the bridge sees them today: their check-in and their preferences."""

    # -2 "I'd like space" … +2 "I'd like closeness"; None when unanswered (unknown, never 0).
    dial: int | None
    capacity: str  # one of CAPACITIES: capacity to talk today
    connection_activities: tuple[str, ...]  # ConnectionActivity codes (may be empty)
    receiving_love_languages: tuple[str, ...]  # ranked, most important first (may be empty)
    display_name: str
    # The reassurance this person likes to hear, in their own words, when they share it with
    # their partner; "" otherwise (the caller decides what is shared).
    reassurance_words: str = ""


@dataclass(frozen=True)
class Bridge:
    kind: str  # one of KINDS
    summary: str  # one translated sentence addressed to the viewer
    activity: str | None  # a ConnectionActivity code, or None when the day needs no plan
    gesture_for_partner: str | None  # translated; in the partner's top receiving language
    # Only when the viewer's own dial is below 0: the partner's own words, or Haven's (translated).
    reassurance: str | None
    talk: str  # one of CAPACITIES: the depth of talk that fits today
    reasons: tuple[str, ...]  # codes of the rules that fired, shared ones first


# --- The rules ------------------------------------------------------------------------------


def _check(person: PersonToday, role: str) -> None:
    dial = person.dial
    if dial is not None and (
        isinstance(dial, bool) or not isinstance(dial, int) or not DIAL_MIN <= dial <= DIAL_MAX
    ):
        raise ValueError(f"{role}.dial must be None or an int from {DIAL_MIN} to {DIAL_MAX}.")
    if person.capacity not in CAPACITIES:
        raise ValueError(f"{role}.capacity must be one of {', '.join(CAPACITIES)}.")
    if not isinstance(person.reassurance_words, str):
        raise ValueError(f"{role}.reassurance_words must be a str.")


def _known(a: int | None, b: int | None) -> list[int]:
    return [dial for dial in (a, b) if dial is not None]


def _situation(a: int | None, b: int | None) -> str:
    if a is None or b is None:
        return "dial_unknown"
    low, high = min(a, b), max(a, b)
    if low < 0 < high:
        return "dials_apart"
    if high < 0:
        return "both_want_space"
    if low < 0:
        return "one_wants_space"
    if low > 0:
        return "both_want_closeness"
    if high > 0:
        return "one_wants_closeness"
    return "both_easy"


def _kind(situation: str, talk: str, known: list[int]) -> str:
    if situation == "dial_unknown":
        return GENTLE_DISTANCE if any(dial < 0 for dial in known) else OPEN_DAY
    if situation == "dials_apart":
        return SIDE_BY_SIDE
    if situation in ("both_want_space", "one_wants_space"):
        return GENTLE_DISTANCE
    if talk == DEEPER:
        return TALK_WINDOW
    if situation == "both_want_closeness":
        return CLOSE_TIME
    if situation == "both_easy" and talk == NOT_TODAY:
        return REST_DAY
    return LIGHT_TOUCH


def _shared_plan(a: PersonToday, b: PersonToday) -> tuple[str, str, str | None, list[str]]:
    """(kind, talk, activity, reasons): everything both partners see alike. Symmetric in
    `a` and `b` by construction: it uses the dials as a set, the lower capacity and the
    intersection of the activity lists."""
    situation = _situation(a.dial, b.dial)
    known = _known(a.dial, b.dial)
    lowest = min(CAPACITIES.index(a.capacity), CAPACITIES.index(b.capacity))
    capacity_min = CAPACITIES[lowest]
    reasons = [situation, f"capacity_min:{capacity_min}"]

    talk = capacity_min
    if talk == DEEPER and any(dial < 0 for dial in known):
        talk = LIGHT
        reasons.append("talk_capped_by_space")
    elif talk == DEEPER and situation == "dial_unknown":
        talk = LIGHT
        reasons.append("talk_capped_by_unknown_dial")

    kind = _kind(situation, talk, known)
    shared = set(a.connection_activities) & set(b.connection_activities)
    fitting = [
        code
        for code in ACTIVITY_ORDERS[kind]
        if not (talk == NOT_TODAY and code in TALK_HEAVY_ACTIVITIES)
    ]
    activity = next((code for code in fitting if code in shared), None)
    if activity is not None:
        reasons.append(f"shared_activity:{activity}")
    else:
        reasons.append("no_shared_activity")
        activity = DEFAULT_ACTIVITIES[kind]
        if activity is not None:
            reasons.append(f"default_activity:{activity}")
    return kind, talk, activity, reasons


def _side(dial: int | None) -> str:
    if dial is None:
        return "unknown"
    return "space" if dial < 0 else "close" if dial > 0 else "easy"


def _summary(kind: str, me: PersonToday, partner: PersonToday) -> Promise:
    mine, theirs = _side(me.dial), _side(partner.dial)
    if kind == GENTLE_DISTANCE and mine == theirs == "space":
        return SUMMARIES[(kind, "both_space")]
    if kind == GENTLE_DISTANCE and theirs == "unknown":
        return SUMMARIES[(kind, "space_partner_unknown")]
    if kind == LIGHT_TOUCH and mine == theirs == "easy":
        return SUMMARIES[(kind, "both_easy")]
    if kind == OPEN_DAY:
        return SUMMARIES[(kind, "unknown" if mine == "unknown" else "partner_unknown")]
    return SUMMARIES.get((kind, mine)) or SUMMARIES[(kind, "any")]


def _gesture(partner: PersonToday) -> tuple[Promise, list[str]]:
    language = next(
        (code for code in partner.receiving_love_languages if code in LoveLanguage.values),
        None,
    )
    reasons = [f"gesture:{language or GENERIC}"]
    variant = WARM
    # Room for someone who asked for it, and for someone who did not say: never assume
    # that a person who left the dial unanswered wants more closeness.
    if partner.dial is None or partner.dial < 0:
        variant = GIVES_ROOM
        reasons.append("gesture_gives_room")
    return GESTURES[language or GENERIC][variant], reasons


def _reassurance(kind: str, me: PersonToday, partner: PersonToday) -> tuple[str | None, list[str]]:
    if me.dial is None or me.dial >= 0:
        return None, []
    reasons = ["reassurance:viewer_wants_space"]
    their_words = partner.reassurance_words.strip()
    if their_words:
        return their_words, [*reasons, "reassurance:their_words"]
    if partner.dial is not None and partner.dial < 0:
        return str(REASSURANCES["both_space"]), reasons
    strength = "strong" if me.dial <= -2 else "mild"
    prefix = "apart" if kind == SIDE_BY_SIDE else "space"
    return str(REASSURANCES[f"{prefix}_{strength}"]), reasons


def bridge_for(*, me: PersonToday, partner: PersonToday) -> Bridge:
    """Today's bridge as `me` sees it. Called once per viewer: `bridge_for(me=a, partner=b)`
    and `bridge_for(me=b, partner=a)` share kind, activity, talk and the shared reasons; see
    the module docstring for the rules. Raises ValueError for a dial or capacity out of range.
    Haven's strings are translated into the active language; a partner's own words are used
    as they wrote them."""
    _check(me, "me")
    _check(partner, "partner")
    kind, talk, activity, reasons = _shared_plan(me, partner)

    name = partner.display_name.strip() or gettext("your partner")
    gesture, gesture_reasons = _gesture(partner)
    reasons.extend(gesture_reasons)
    reassurance, reassurance_reasons = _reassurance(kind, me, partner)
    reasons.extend(reassurance_reasons)

    return Bridge(
        kind=kind,
        summary=str(_summary(kind, me, partner)) % {"name": name},
        activity=activity,
        gesture_for_partner=str(gesture) % {"name": name},
        reassurance=reassurance,
        talk=talk,
        reasons=tuple(reasons),
    )
