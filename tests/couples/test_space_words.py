"""A second `POST couple/space` (a new end time) keeps the words already left for the
partner unless new ones are sent (issue 13)."""

import datetime as dt

from couples.models import SpacePeriod

URL = "/api/v1/couple/space"
OWN_WORDS = "Back by supper, and I'll want to hear about your day"


def _soon(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def _partner_space(couple) -> dict:
    return couple.client_b.get("/api/v1/couple").json()["partner_space"]


def test_a_new_end_time_keeps_the_words_already_left(couple):
    first = couple.client_a.post(
        URL, {"ends_at": _soon(1), "reassurance": "back_soon", "reassurance_text": OWN_WORDS}
    )
    assert first.status_code == 201, first.content
    assert _partner_space(couple)["reassurance_message"] == OWN_WORDS

    later = couple.client_a.post(URL, {"ends_at": _soon(4)})
    assert later.status_code == 201, later.content
    assert (later.json()["reassurance"], later.json()["reassurance_message"]) == (
        "back_soon",
        OWN_WORDS,
    )
    seen = _partner_space(couple)
    assert seen["reassurance_message"] == OWN_WORDS
    assert seen["ends_at"] == later.json()["ends_at"]


def test_new_words_replace_and_an_empty_one_clears(couple):
    couple.client_a.post(URL, {"ends_at": _soon(1), "reassurance_text": OWN_WORDS})
    chosen = couple.client_a.post(URL, {"ends_at": _soon(2), "reassurance": "recharging"})
    # Sending either field replaces both: the person chose new words.
    assert chosen.json()["reassurance_message"] == "I'm recharging so I can be present with you."
    assert OWN_WORDS not in str(_partner_space(couple))
    cleared = couple.client_a.post(URL, {"ends_at": _soon(2), "reassurance": ""})
    assert cleared.json()["reassurance_message"] == ""
    assert _partner_space(couple)["reassurance_message"] == ""


def test_a_first_start_without_words_has_none(couple):
    started = couple.client_a.post(URL, {"ends_at": _soon(1)})
    assert started.json()["reassurance_message"] == ""
    assert SpacePeriod.objects.get(user=couple.a).reassurance_text == ""
