"""The daily bridge suggestion (checkins/bridge.py): pure rules, no database.

The expectations here are written out independently of the module's own tables, so a change
to a rule shows up as a failing test rather than passing along with it."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from django.utils import translation
from django.utils.functional import Promise

from accounts.models import ConnectionActivity, LoveLanguage
from checkins.bridge import (
    GESTURES,
    REASSURANCES,
    SUMMARIES,
    Bridge,
    PersonToday,
    bridge_for,
)
from common.tone import tone_hints

DIALS = (-2, -1, 0, 1, 2)
CAPACITIES = ("not_today", "light", "deeper")
COMBINATIONS = list(itertools.product(DIALS, DIALS, CAPACITIES, CAPACITIES))
# With an unanswered dial (None) on either side or both.
COMBINATIONS_WITH_UNANSWERED = list(
    itertools.product((*DIALS, None), (*DIALS, None), CAPACITIES, CAPACITIES)
)
UNANSWERED_COMBINATIONS = [c for c in COMBINATIONS_WITH_UNANSWERED if None in c[:2]]

ALL_ACTIVITIES = tuple(ConnectionActivity.values)
ALL_LANGUAGES = tuple(LoveLanguage.values)

# Activities that ask little of someone who would like room: together without needing to talk,
# or apart and answered whenever one likes.
LOW_DEMAND = {
    "side_by_side_quiet_time",
    "music_together",
    "watch_something",
    "walk_together",
    "errands_together",
    "voice_note",
    "texting",
}
# Activities that bring two people who both want closeness nearer to each other.
CLOSER = {
    "cuddle",
    "cook_together",
    "play_a_game",
    "walk_together",
    "watch_something",
    "music_together",
    "day_trip",
    "short_call",
}
SITUATION_CODES = {
    "dials_apart",
    "both_want_space",
    "one_wants_space",
    "both_want_closeness",
    "one_wants_closeness",
    "both_easy",
}


def person(
    dial: int | None = 0,
    capacity: str = "light",
    activities: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    name: str = "Sam",
    words: str = "",
) -> PersonToday:
    return PersonToday(
        dial=dial,
        capacity=capacity,
        connection_activities=activities,
        receiving_love_languages=languages,
        display_name=name,
        reassurance_words=words,
    )


def both_views(a: PersonToday, b: PersonToday) -> tuple[Bridge, Bridge]:
    with translation.override("en"):
        return bridge_for(me=a, partner=b), bridge_for(me=b, partner=a)


def expected_talk(dial_a: int, dial_b: int, cap_a: str, cap_b: str) -> str:
    lower = min(CAPACITIES.index(cap_a), CAPACITIES.index(cap_b))
    if min(dial_a, dial_b) < 0:
        lower = min(lower, CAPACITIES.index("light"))
    return CAPACITIES[lower]


def expected_kind(dial_a: int, dial_b: int, talk: str) -> str:
    low, high = min(dial_a, dial_b), max(dial_a, dial_b)
    if low < 0 < high:
        return "side_by_side"
    if low < 0:
        return "gentle_distance"
    if talk == "deeper":
        return "talk_window"
    if low > 0:
        return "close_time"
    if high == 0 and talk == "not_today":
        return "rest_day"
    return "light_touch"


def shared_reasons(bridge: Bridge) -> tuple[str, ...]:
    """The reasons both partners see alike: everything before the viewer's gesture code."""
    cut = next(i for i, code in enumerate(bridge.reasons) if code.startswith("gesture:"))
    return bridge.reasons[:cut]


def assert_fits(
    a: PersonToday, b: PersonToday, mine: Bridge, theirs: Bridge, *, shared_pool: set[str]
) -> None:
    talk = expected_talk(a.dial, b.dial, a.capacity, b.capacity)
    kind = expected_kind(a.dial, b.dial, talk)
    someone_wants_space = min(a.dial, b.dial) < 0

    # Both partners see one plan.
    for bridge in (mine, theirs):
        assert bridge.kind == kind
        assert bridge.talk == talk
    assert mine.activity == theirs.activity
    assert shared_reasons(mine) == shared_reasons(theirs)

    # Talk never goes deeper than the lower capacity, nor deeper than light beside a wish for space.
    lower = min(CAPACITIES.index(a.capacity), CAPACITIES.index(b.capacity))
    assert CAPACITIES.index(mine.talk) <= lower
    if someone_wants_space:
        assert mine.talk != "deeper"
        assert mine.activity is None or mine.activity in LOW_DEMAND
    if a.dial > 0 and b.dial > 0:
        assert mine.activity in CLOSER
    if mine.talk == "not_today":
        assert mine.activity != "short_call"
    if mine.activity is not None and mine.activity in shared_pool:
        assert f"shared_activity:{mine.activity}" in mine.reasons

    # The reassurance is offered to whoever is taking space, and only to them.
    assert (mine.reassurance is not None) is (a.dial < 0)
    assert (theirs.reassurance is not None) is (b.dial < 0)
    assert ("reassurance:viewer_wants_space" in mine.reasons) is (a.dial < 0)

    # The gesture is for the other person, and gives room when they asked for it.
    assert mine.gesture_for_partner
    assert theirs.gesture_for_partner
    assert ("gesture_gives_room" in mine.reasons) is (b.dial < 0)
    assert ("gesture_gives_room" in theirs.reasons) is (a.dial < 0)

    # The reasons explain the dials and the capacities.
    situations = [code for code in mine.reasons if code in SITUATION_CODES]
    assert len(situations) == 1
    assert f"capacity_min:{CAPACITIES[lower]}" in mine.reasons
    if someone_wants_space and lower == CAPACITIES.index("deeper"):
        assert "talk_capped_by_space" in mine.reasons
    else:
        assert "talk_capped_by_space" not in mine.reasons


# --- Every dial/capacity combination ----------------------------------------------------------


@pytest.mark.parametrize(("dial_a", "dial_b", "cap_a", "cap_b"), COMBINATIONS)
def test_bridge_fits_each_combination_when_everything_overlaps(dial_a, dial_b, cap_a, cap_b):
    # Opposite personal orders: the pick must come from the rules, not from either list.
    a = person(dial_a, cap_a, ALL_ACTIVITIES, ALL_LANGUAGES, name="Alex")
    b = person(dial_b, cap_b, ALL_ACTIVITIES[::-1], ALL_LANGUAGES[::-1], name="Sam")
    mine, theirs = both_views(a, b)

    assert_fits(a, b, mine, theirs, shared_pool=set(ALL_ACTIVITIES))
    # With every activity shared, each kind has a shared pick and needs no default.
    assert "no_shared_activity" not in mine.reasons
    assert mine.activity is not None
    assert "gesture:words_of_affirmation" in theirs.reasons  # Alex's top language
    assert "gesture:physical_touch" in mine.reasons  # Sam's top language


@pytest.mark.parametrize(("dial_a", "dial_b", "cap_a", "cap_b"), COMBINATIONS)
def test_bridge_fits_each_combination_when_nothing_overlaps(dial_a, dial_b, cap_a, cap_b):
    a = person(dial_a, cap_a, ("cuddle", "texting", "day_trip"), name="Alex")
    b = person(dial_b, cap_b, ("short_call", "voice_note", "errands_together"), name="")
    mine, theirs = both_views(a, b)

    assert_fits(a, b, mine, theirs, shared_pool=set())
    assert "no_shared_activity" in mine.reasons
    assert not any(code.startswith("shared_activity:") for code in mine.reasons)
    if mine.activity is None:
        # Only a day of room or rest goes without a plan.
        assert mine.kind in {"gentle_distance", "rest_day"}
    else:
        assert f"default_activity:{mine.activity}" in mine.reasons
    assert "gesture:generic" in mine.reasons
    assert "gesture:generic" in theirs.reasons


# --- The dials-apart day, from both sides -------------------------------------------------------


def test_dials_apart_gives_side_by_side_time_and_each_a_fitting_part():
    needs_space = person(-2, "light", ("walk_together", "cuddle"), ("acts_of_service",), "Robin")
    wants_closer = person(2, "deeper", ("cuddle", "walk_together"), ("physical_touch",), "Kai")
    space_view, close_view = both_views(needs_space, wants_closer)

    assert space_view.kind == close_view.kind == "side_by_side"
    # Cuddling is shared too, but it is not a side-by-side activity.
    assert space_view.activity == close_view.activity == "walk_together"
    assert space_view.talk == close_view.talk == "light"
    assert space_view.reasons[:3] == (
        "dials_apart",
        "capacity_min:light",
        "shared_activity:walk_together",
    )

    with translation.override("en"):
        assert space_view.gesture_for_partner == str(GESTURES["physical_touch"]["warm"]) % {
            "name": "Kai"
        }
        assert close_view.gesture_for_partner == str(GESTURES["acts_of_service"]["gives_room"]) % {
            "name": "Robin"
        }
        assert space_view.reassurance == str(REASSURANCES["apart_strong"])
    assert close_view.reassurance is None
    assert "Kai" in space_view.summary
    assert "Robin" in close_view.summary


def test_a_milder_wish_for_space_gets_a_milder_reassurance():
    mild, _ = both_views(person(-1), person(1))
    strong, _ = both_views(person(-2), person(1))
    assert mild.reassurance != strong.reassurance


def test_both_wanting_space_each_get_a_reassurance_and_no_invented_plan():
    a, b = both_views(person(-1, "deeper"), person(-2, "deeper"))
    assert a.kind == b.kind == "gentle_distance"
    assert a.activity is b.activity is None
    assert a.talk == "light"
    assert "talk_capped_by_space" in a.reasons
    assert a.reassurance == b.reassurance
    assert a.reassurance is not None


def test_space_with_a_shared_asynchronous_activity_suggests_it():
    a, b = both_views(
        person(-2, activities=("texting", "voice_note")), person(0, activities=("voice_note",))
    )
    assert a.activity == b.activity == "voice_note"
    assert a.reassurance is not None
    assert b.reassurance is None


# --- Activities -------------------------------------------------------------------------------


def test_activity_both_listed_is_preferred_over_the_default():
    a, _ = both_views(
        person(2, activities=("play_a_game", "day_trip")),
        person(1, activities=("day_trip", "play_a_game")),
    )
    assert a.kind == "close_time"
    assert a.activity == "play_a_game"  # earlier than day_trip in the close-time order
    assert "shared_activity:play_a_game" in a.reasons


def test_shared_activity_that_does_not_fit_the_day_falls_back_to_the_default():
    # Both like cuddling, but on a day when one wants room it is not the suggestion.
    a, b = both_views(person(-1, activities=("cuddle",)), person(2, activities=("cuddle",)))
    assert a.activity == b.activity == "side_by_side_quiet_time"
    assert "no_shared_activity" in a.reasons
    assert "default_activity:side_by_side_quiet_time" in a.reasons


def test_a_call_is_not_suggested_on_a_day_without_room_to_talk():
    a, _ = both_views(
        person(1, "not_today", ("short_call", "music_together")),
        person(2, "deeper", ("short_call", "music_together")),
    )
    assert a.kind == "close_time"
    assert a.activity == "music_together"


def test_deeper_capacity_on_both_sides_opens_a_talk_window():
    a, b = both_views(
        person(1, "deeper", ("cook_together", "cuddle")),
        person(0, "deeper", ("cuddle", "cook_together")),
    )
    assert a.kind == b.kind == "talk_window"
    assert a.talk == "deeper"
    assert a.activity == "cook_together"


def test_empty_preferences_use_the_gentle_default_for_each_kind():
    expected = {
        (-1, 1, "light"): ("side_by_side", "side_by_side_quiet_time"),
        (-1, 0, "light"): ("gentle_distance", None),
        (0, 1, "deeper"): ("talk_window", "walk_together"),
        (2, 1, "light"): ("close_time", "cook_together"),
        (0, 0, "not_today"): ("rest_day", None),
        (0, 1, "light"): ("light_touch", "walk_together"),
    }
    for (dial_a, dial_b, capacity), (kind, activity) in expected.items():
        a, b = both_views(person(dial_a, capacity), person(dial_b, capacity))
        assert (a.kind, a.activity) == (kind, activity)
        assert (b.kind, b.activity) == (kind, activity)
        assert "no_shared_activity" in a.reasons


def test_unknown_activity_codes_are_ignored():
    a, _ = both_views(
        person(2, activities=("juggling", "cuddle")), person(2, activities=("juggling",))
    )
    assert a.activity == "cook_together"
    assert "no_shared_activity" in a.reasons


# --- Gestures ---------------------------------------------------------------------------------


def test_gesture_follows_the_partners_top_language_not_the_viewers():
    me = person(0, languages=("gifts", "quality_time"))
    partner = person(0, languages=("quality_time", "gifts"), name="Jo")
    mine, theirs = both_views(me, partner)
    with translation.override("en"):
        assert mine.gesture_for_partner == str(GESTURES["quality_time"]["warm"]) % {"name": "Jo"}
        assert theirs.gesture_for_partner == str(GESTURES["gifts"]["warm"]) % {"name": "Sam"}
    assert "gesture:quality_time" in mine.reasons
    assert "gesture:gifts" in theirs.reasons


def test_gesture_skips_an_unknown_language_code():
    mine, _ = both_views(person(), person(languages=("poetry", "acts_of_service")))
    assert "gesture:acts_of_service" in mine.reasons


def test_empty_love_languages_get_a_general_gesture():
    for partner_dial in DIALS:
        mine, _ = both_views(person(), person(partner_dial, name="Jo"))
        assert mine.gesture_for_partner
        assert "Jo" in mine.gesture_for_partner
        assert "gesture:generic" in mine.reasons


def test_every_language_has_two_distinct_gestures():
    assert set(GESTURES) == set(LoveLanguage.values) | {"generic"}
    with translation.override("en"):
        texts = [str(text) for variants in GESTURES.values() for text in variants.values()]
    assert len(texts) == len(set(texts)) == 2 * len(GESTURES)
    for variants in GESTURES.values():
        assert set(variants) == {"warm", "gives_room"}


def test_a_partner_without_a_display_name_is_called_your_partner():
    mine, _ = both_views(person(-1), person(1, languages=("gifts",), name="  "))
    assert "your partner" in mine.summary
    assert "your partner" in mine.gesture_for_partner


# --- Determinism, copy and input checks ---------------------------------------------------------


def test_same_input_gives_the_same_bridge():
    a = person(-1, "light", ALL_ACTIVITIES, ALL_LANGUAGES, "Alex")
    b = person(2, "deeper", ALL_ACTIVITIES, ALL_LANGUAGES[::-1], "Sam")
    first = both_views(a, b)
    assert all(both_views(a, b) == first for _ in range(5))
    # The order of an activity list never changes the pick.
    reordered = replace(b, connection_activities=ALL_ACTIVITIES[::-1])
    assert both_views(a, reordered) == first


def test_every_user_facing_string_is_a_non_empty_translated_str():
    with translation.override("en"):
        for dial_a, dial_b, cap_a, cap_b in COMBINATIONS_WITH_UNANSWERED:
            for languages in ((), *((code,) for code in ALL_LANGUAGES)):
                a = person(dial_a, cap_a, languages=languages, name="Alex")
                b = person(dial_b, cap_b, languages=languages, name="Sam")
                bridge = bridge_for(me=a, partner=b)
                for text in (bridge.summary, bridge.gesture_for_partner, bridge.reassurance):
                    if text is None:
                        continue
                    assert type(text) is str
                    assert text.strip()
                    assert "%(" not in text
                assert all(type(code) is str and code for code in bridge.reasons)


def test_all_copy_is_marked_for_translation_and_free_of_blaming_phrasing():
    copy = [
        *(text for variants in GESTURES.values() for text in variants.values()),
        *REASSURANCES.values(),
        *SUMMARIES.values(),
    ]
    with translation.override("en"):
        for text in copy:
            assert isinstance(text, Promise)  # gettext_lazy: translated when used
            rendered = str(text) % {"name": "Sam"} if "%(name)s" in str(text) else str(text)
            assert tone_hints(rendered) == [], rendered


def test_every_summary_is_reachable():
    used: set[str] = set()
    with translation.override("en"):
        for dial_a, dial_b, cap_a, cap_b in COMBINATIONS_WITH_UNANSWERED:
            used.add(bridge_for(me=person(dial_a, cap_a), partner=person(dial_b, cap_b)).summary)
        expected = {str(text) % {"name": "Sam"} for text in SUMMARIES.values()}
    assert used == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"dial": 3},
        {"dial": -3},
        {"dial": True},
        {"capacity": "deep"},
        {"capacity": ""},
        {"reassurance_words": None},
    ],
)
def test_out_of_range_input_is_refused(bad):
    with pytest.raises(ValueError):
        bridge_for(me=replace(person(), **bad), partner=person())
    with pytest.raises(ValueError):
        bridge_for(me=person(), partner=replace(person(), **bad))


# --- An unanswered dial is unknown, never "easy either way" ------------------------------------

# What a summary may only say of a person who answered the dial.
CLAIMS_ABOUT_A_DIAL = ("easy either way", "would like to be closer", "would like some room")


@pytest.mark.parametrize(("dial_a", "dial_b", "cap_a", "cap_b"), UNANSWERED_COMBINATIONS)
def test_an_unanswered_dial_is_never_guessed(dial_a, dial_b, cap_a, cap_b):
    a = person(dial_a, cap_a, ALL_ACTIVITIES, ALL_LANGUAGES, name="Alex")
    b = person(dial_b, cap_b, ALL_ACTIVITIES[::-1], ALL_LANGUAGES[::-1], name="Sam")
    mine, theirs = both_views(a, b)
    known = [dial for dial in (dial_a, dial_b) if dial is not None]

    # One plan for both, from the pair as a set.
    assert mine.kind == theirs.kind
    assert mine.talk == theirs.talk
    assert mine.activity == theirs.activity
    assert shared_reasons(mine) == shared_reasons(theirs)
    situations = [code for code in mine.reasons if code in SITUATION_CODES | {"dial_unknown"}]
    assert situations == ["dial_unknown"]

    # A known wish for room is honoured; otherwise the day is left open.
    if any(dial < 0 for dial in known):
        assert mine.kind == "gentle_distance"
    else:
        assert mine.kind == "open_day"
    # Nobody knows whether the unanswered one has room to talk: never deeper than light.
    assert mine.talk != "deeper"
    if "deeper" == cap_a == cap_b:
        assert ("talk_capped_by_space" in mine.reasons) is any(dial < 0 for dial in known)
        assert ("talk_capped_by_unknown_dial" in mine.reasons) is not any(d < 0 for d in known)
    # Only low-demand activities, and only ones both chose: no invented plan for a wish
    # nobody said.
    assert mine.activity is None or mine.activity in LOW_DEMAND
    assert not any(code.startswith("default_activity:") for code in mine.reasons)

    # A reassurance only for someone who said they want room; a gesture that gives room to
    # someone who did not say.
    assert (mine.reassurance is not None) is (dial_a is not None and dial_a < 0)
    assert (theirs.reassurance is not None) is (dial_b is not None and dial_b < 0)
    assert ("gesture_gives_room" in mine.reasons) is (dial_b is None or dial_b < 0)
    assert ("gesture_gives_room" in theirs.reasons) is (dial_a is None or dial_a < 0)

    # No sentence claims a wish for someone who did not answer.
    for bridge, unanswered_name, viewer_unanswered in (
        (mine, "Sam", dial_a is None),
        (theirs, "Alex", dial_b is None),
    ):
        partner_unanswered = (dial_b if bridge is mine else dial_a) is None
        if partner_unanswered:
            for claim in CLAIMS_ABOUT_A_DIAL:
                assert f"{unanswered_name} is {claim}" not in bridge.summary
                assert f"{unanswered_name} {claim}" not in bridge.summary
        if viewer_unanswered:
            assert "You're easy" not in bridge.summary
            assert "You'd like" not in bridge.summary
        assert "the room they asked for" not in (bridge.gesture_for_partner or "")


def test_unanswered_is_not_the_same_day_as_easy_either_way():
    # The bug: an unanswered dial was read as 0, "easy either way".
    unanswered, _ = both_views(person(-2, name="Robin"), person(None, name="Kai"))
    easy, _ = both_views(person(-2, name="Robin"), person(0, name="Kai"))
    assert "Kai is easy either way" in easy.summary
    assert "easy either way" not in unanswered.summary
    assert "dial_unknown" in unanswered.reasons and "one_wants_space" in easy.reasons
    # The one who left it unanswered is not told they are easy either way.
    _, kai_view = both_views(person(-2, name="Robin"), person(None, name="Kai"))
    assert "You're easy" not in kai_view.summary
    assert kai_view.reassurance is None
    # Two unanswered dials and room to talk: an open day, talk kept light.
    open_a, open_b = both_views(person(None, "deeper"), person(None, "deeper"))
    assert open_a.kind == open_b.kind == "open_day"
    assert open_a.talk == "light"
    assert open_a.activity is None
    assert open_a.reassurance is open_b.reassurance is None


def test_an_open_day_suggests_only_what_both_chose_and_suits_either_wish():
    a, b = both_views(
        person(2, "light", ("cuddle", "music_together")),
        person(None, "light", ("music_together", "cuddle")),
    )
    assert a.kind == b.kind == "open_day"
    assert a.activity == b.activity == "music_together"  # cuddling asks too much of someone
    assert "shared_activity:music_together" in a.reasons


# --- The reassurance in the partner's own words -----------------------------------------------

THEIR_WORDS = "planted-their-words-3c9e: Tell me you're coming back, that's all I need."


@pytest.mark.parametrize(("dial_a", "dial_b", "cap_a", "cap_b"), COMBINATIONS_WITH_UNANSWERED)
def test_the_reassurance_is_in_the_partners_words_when_they_share_them(
    dial_a, dial_b, cap_a, cap_b
):
    mine_words, their_words = "planted-mine-0a1b", THEIR_WORDS
    a = person(dial_a, cap_a, name="Alex", words=mine_words)
    b = person(dial_b, cap_b, name="Sam", words=their_words)
    mine, theirs = both_views(a, b)
    a_wants_space = dial_a is not None and dial_a < 0
    b_wants_space = dial_b is not None and dial_b < 0
    # Alex is offered Sam's words (Sam likes to hear them), never Alex's own, and only when
    # Alex is the one taking space; the other way round for Sam.
    assert mine.reassurance == (their_words if a_wants_space else None)
    assert theirs.reassurance == (mine_words if b_wants_space else None)
    assert ("reassurance:their_words" in mine.reasons) is a_wants_space
    # The words shape only the viewer's own line, never the shared plan.
    plain_a, plain_b = both_views(
        replace(a, reassurance_words=""), replace(b, reassurance_words="")
    )
    assert (mine.kind, mine.activity, mine.talk) == (plain_a.kind, plain_a.activity, plain_a.talk)
    assert shared_reasons(mine) == shared_reasons(plain_a)
    assert mine.summary == plain_a.summary and theirs.summary == plain_b.summary
    for text in (mine.summary, mine.gesture_for_partner, theirs.summary):
        assert "planted-" not in text


def test_without_shared_words_the_generic_line_is_used():
    for words in ("", "   "):
        mine, _ = both_views(person(-2), person(2, words=words))
        with translation.override("en"):
            assert mine.reassurance == str(REASSURANCES["apart_strong"])
        assert "reassurance:their_words" not in mine.reasons
    # A partner who did not say how they feel gets the line that assumes nothing of them.
    mine, _ = both_views(person(-1), person(None))
    with translation.override("en"):
        assert mine.reassurance == str(REASSURANCES["space_mild"])
