"""Issue 16, item 6: the safety page, public, translatable, in Haven's own words."""

from __future__ import annotations

from django.urls import resolve
from django.utils.functional import Promise

from common.safety.page import INTRODUCTION, SECTIONS, TITLE
from tests.utils import client_for

URL = "/api/v1/safety"


def test_the_page_answers_anyone_with_every_section(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.json()
    keys = [section["key"] for section in page["sections"]]
    assert keys == [
        "help_now",
        "phone_monitoring",
        "discreet_mode",
        "quiet_exit",
        "sessions",
        "what_partner_sees",
    ]
    assert all(section["title"] and section["body"] for section in page["sections"])
    assert "public" in response["Cache-Control"]
    assert "accept-language" in response["Vary"].lower()


def test_a_signed_in_person_and_a_bad_token_get_the_same_page(client, user):
    anonymous = client.get(URL).json()
    assert client_for(user).get(URL).json() == anonymous
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer expired").json() == anonymous


def test_the_page_follows_accept_language_and_falls_back_to_english(client, db):
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    # No German catalogue for this page yet: the English words, never an error.
    german = client.get(URL, HTTP_ACCEPT_LANGUAGE="de").json()
    assert german["sections"][0]["key"] == english["sections"][0]["key"]
    assert german["title"]


def test_every_route_the_page_names_is_one_the_api_has(db):
    """Crisis resources, nudge settings (discreet mode, quiet exit) and "where am I signed
    in" (`me/sessions`): every route the page points to is served."""
    for section in SECTIONS:
        if section.route:
            assert resolve(section.route).url_name != "api-not-found", section.route


def test_every_word_on_the_page_is_translatable():
    assert isinstance(TITLE, Promise) and isinstance(INTRODUCTION, Promise)
    for section in SECTIONS:
        assert isinstance(section.title, Promise) and isinstance(section.body, Promise)
