"""me/love-languages: how a person likes to receive care and how they give it. Set alone,
before pairing; shared with a partner by default, and the owner can stop sharing."""

import pytest

from accounts.models import LoveLanguages
from accounts.selectors import profile_shared_with_partner
from accounts.services import love_languages_set
from common.errors import ApplicationError
from tests.factories import UserFactory

URL = "/api/v1/me/love-languages"
RECEIVING = [
    "quality_time",
    "words_of_affirmation",
    "physical_touch",
    "acts_of_service",
    "gifts",
]
GIVING = ["acts_of_service", "gifts", "quality_time", "physical_touch", "words_of_affirmation"]


def _errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


def test_reading_before_any_save_returns_defaults_and_writes_nothing(auth_client, user):
    response = auth_client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "receiving": [],
        "giving": [],
        "small_things": [],
        "shared_with_partner": True,
        "updated_at": None,
    }
    assert not LoveLanguages.objects.filter(user=user).exists()


def test_put_then_get_round_trips_rankings_and_small_things(auth_client, user):
    body = {
        "receiving": RECEIVING,
        "giving": GIVING,
        "small_things": ["  a note in my coat pocket ", "tea without asking"],
        "shared_with_partner": True,
    }
    saved = auth_client.put(URL, body, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["small_things"] == ["a note in my coat pocket", "tea without asking"]
    assert saved.json()["updated_at"] is not None

    read = auth_client.get(URL).json()
    assert read["receiving"] == RECEIVING
    assert read["giving"] == GIVING
    assert read["small_things"] == ["a note in my coat pocket", "tea without asking"]
    assert LoveLanguages.objects.get(user=user).receiving == RECEIVING


def test_put_replaces_everything_and_what_is_left_out_goes_back_to_its_default(auth_client):
    auth_client.put(
        URL,
        {"receiving": RECEIVING, "small_things": ["a hug"], "shared_with_partner": False},
        format="json",
    )
    replaced = auth_client.put(URL, {"giving": GIVING}, format="json").json()
    assert replaced["receiving"] == []
    assert replaced["giving"] == GIVING
    assert replaced["small_things"] == []
    assert replaced["shared_with_partner"] is True


def test_patch_changes_only_the_fields_sent(auth_client):
    auth_client.put(URL, {"receiving": RECEIVING, "small_things": ["a hug"]}, format="json")
    patched = auth_client.patch(URL, {"giving": GIVING}, format="json")
    assert patched.status_code == 200
    assert patched.json()["receiving"] == RECEIVING
    assert patched.json()["giving"] == GIVING
    assert patched.json()["small_things"] == ["a hug"]


def test_an_empty_ranking_means_not_ranked_yet(auth_client):
    auth_client.put(URL, {"receiving": RECEIVING}, format="json")
    response = auth_client.patch(URL, {"receiving": []}, format="json")
    assert response.status_code == 200
    assert response.json()["receiving"] == []


def test_a_ranking_that_repeats_a_language_names_the_repeat(auth_client):
    ranking = ["gifts", "quality_time", "gifts", "acts_of_service", "physical_touch"]
    response = auth_client.put(URL, {"receiving": ranking}, format="json")
    assert _errors(response) == [("receiving.2", "duplicate_language")]


def test_a_ranking_missing_a_language_names_the_ranking(auth_client):
    response = auth_client.patch(URL, {"giving": GIVING[:4]}, format="json")
    assert _errors(response) == [("giving", "missing_language")]


def test_an_unknown_love_language_names_its_position(auth_client):
    response = auth_client.patch(URL, {"giving": [*GIVING[:4], "back_rubs"]}, format="json")
    assert _errors(response) == [("giving.4", "invalid_choice")]


def test_a_blank_small_thing_is_refused(auth_client):
    response = auth_client.patch(URL, {"small_things": ["a hug", "   "]}, format="json")
    assert _errors(response) == [("small_things.1", "blank")]


def test_a_small_thing_over_140_characters_is_refused(auth_client):
    response = auth_client.patch(URL, {"small_things": ["x" * 141]}, format="json")
    assert _errors(response) == [("small_things.0", "max_length")]
    ok = auth_client.patch(URL, {"small_things": ["x" * 140]}, format="json")
    assert ok.status_code == 200


def test_more_than_ten_small_things_are_refused(auth_client):
    response = auth_client.patch(URL, {"small_things": ["a hug"] * 11}, format="json")
    assert _errors(response) == [("small_things", "max_length")]


def test_a_refused_write_changes_nothing(auth_client, user):
    auth_client.put(URL, {"receiving": RECEIVING, "small_things": ["a hug"]}, format="json")
    auth_client.put(URL, {"receiving": [], "small_things": ["a walk", ""]}, format="json")
    stored = LoveLanguages.objects.get(user=user)
    assert (stored.receiving, stored.small_things) == (RECEIVING, ["a hug"])


def test_the_service_refuses_a_broken_ranking_even_without_the_api(user):
    """Callers other than the API (seed data, the shell) meet the same rules."""
    with pytest.raises(ApplicationError) as refused:
        love_languages_set(user=user, data={"receiving": ["gifts", "gifts"]})
    assert (refused.value.code, refused.value.attr) == ("duplicate_language", "receiving.1")
    with pytest.raises(ApplicationError) as refused:
        love_languages_set(user=user, data={"small_things": [" padded "]})
    assert refused.value.attr == "small_things.0"
    assert not LoveLanguages.objects.filter(user=user).exists()


def test_each_person_sees_and_edits_only_their_own(auth_client, user):
    other = UserFactory()
    love_languages_set(user=other, data={"receiving": list(reversed(RECEIVING))})
    assert auth_client.get(URL).json()["receiving"] == []
    auth_client.put(URL, {"receiving": RECEIVING}, format="json")
    assert LoveLanguages.objects.get(user=other).receiving == list(reversed(RECEIVING))


def test_partner_sees_love_languages_by_default(user):
    love_languages_set(
        user=user, data={"receiving": RECEIVING, "giving": GIVING, "small_things": ["a hug"]}
    )
    assert profile_shared_with_partner(user=user)["love_languages"] == {
        "receiving": RECEIVING,
        "giving": GIVING,
        "small_things": ["a hug"],
    }


def test_turning_sharing_off_hides_the_love_languages_from_the_partner(auth_client, user):
    auth_client.put(
        URL,
        {"receiving": RECEIVING, "small_things": ["breakfast in bed"]},
        format="json",
    )
    auth_client.patch(URL, {"shared_with_partner": False}, format="json")
    shared = profile_shared_with_partner(user=user)
    assert shared["love_languages"] is None
    assert "breakfast in bed" not in str(shared)
    # Never set and not shared look the same to the partner.
    assert shared == profile_shared_with_partner(user=UserFactory())


def test_reading_and_writing_take_a_fixed_number_of_queries(
    auth_client, django_assert_max_num_queries
):
    # 2 to authenticate (session, person), 1 to read.
    with django_assert_max_num_queries(3):
        assert auth_client.get(URL).status_code == 200
    # The first write creates the row: lock/read, insert, update, and their savepoints.
    # At most 9, and one more for the leaving-safely check on what a partner sees (issue 16).
    with django_assert_max_num_queries(10):
        response = auth_client.put(
            URL, {"receiving": RECEIVING, "small_things": ["a"] * 10}, format="json"
        )
        assert response.status_code == 200
    with django_assert_max_num_queries(7):  # 6, and the leaving-safely check
        response = auth_client.patch(URL, {"small_things": ["b"] * 10}, format="json")
        assert response.status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_without_signing_in_the_answer_is_401(api_client, db, method):
    response = getattr(api_client, method)(URL, {}, format="json")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"
