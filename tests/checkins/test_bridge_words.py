"""The bridge offers the reassurance in the partner's own words (issue 13, item 16), only
when the partner shares their preferences; otherwise Haven's generic line. Private stays
private: words a person keeps to themselves never reach anyone."""

import json

WORDS = "planted-words-they-like-8a3f: I'm coming back to you, always."


def _day(client) -> str:
    return client.get("/api/v1/checkins/today").json()["date"]


def _bad_day_for_a(couple) -> None:
    today = _day(couple.client_a)
    couple.client_a.put(f"/api/v1/checkins/{today}", {"mood": 1, "dial": -2}, format="json")
    couple.client_b.put(f"/api/v1/checkins/{today}", {"mood": 3, "dial": 2}, format="json")


def test_the_one_taking_space_is_offered_the_words_their_partner_likes_to_hear(couple):
    couple.client_b.put("/api/v1/me/preferences", {"reassurance": WORDS}, format="json")
    _bad_day_for_a(couple)
    bridge = couple.client_a.get("/api/v1/checkins/today").json()["bridge"]
    assert bridge["reassurance"] == WORDS
    assert "reassurance:their_words" in bridge["reasons"]
    # The partner who wants closeness is offered no reassurance (and not their own words).
    partner_bridge = couple.client_b.get("/api/v1/checkins/today").json()["bridge"]
    assert partner_bridge["reassurance"] is None


def test_words_kept_private_are_never_used_and_the_generic_line_stands_in(couple):
    couple.client_b.put(
        "/api/v1/me/preferences",
        {"reassurance": WORDS, "shared_with_partner": False},
        format="json",
    )
    _bad_day_for_a(couple)
    today = couple.client_a.get("/api/v1/checkins/today").json()
    assert today["bridge"]["reassurance"]
    assert "reassurance:their_words" not in today["bridge"]["reasons"]
    seen = json.dumps(
        [
            today,
            couple.client_a.get("/api/v1/checkins").json(),
            couple.client_a.get("/api/v1/notifications").json(),
        ]
    )
    assert WORDS not in seen


def test_my_own_words_are_not_offered_back_to_me(couple):
    couple.client_a.put("/api/v1/me/preferences", {"reassurance": WORDS}, format="json")
    _bad_day_for_a(couple)
    bridge = couple.client_a.get("/api/v1/checkins/today").json()["bridge"]
    assert bridge["reassurance"] != WORDS
    assert "reassurance:their_words" not in bridge["reasons"]


def test_the_words_reach_no_other_couple(couple, other_couple):
    couple.client_b.put("/api/v1/me/preferences", {"reassurance": WORDS}, format="json")
    _bad_day_for_a(couple)
    _bad_day_for_a(other_couple)
    for client in (other_couple.client_a, other_couple.client_b):
        assert WORDS not in json.dumps(client.get("/api/v1/checkins/today").json())
