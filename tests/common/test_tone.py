"""The tone helper finds phrasing that tends to land as blame, leaves warm phrasing alone,
and never blocks anything: `tone/check` always answers 200 with hints."""

import dataclasses
import time

import pytest
from django.utils import translation
from django.utils.functional import lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from common.serializers import ToneHintsField, tone_hints_data
from common.tone import MAX_SCAN_CHARS, RULES, TONE_CODES, TONE_FIELDS, registry, tone_hints
from common.tone.rules.en import blame as en_blame
from tests.utils import assert_error_shape

URL = "/api/v1/tone/check"
HINT_FIELDS = {"code", "start", "end", "excerpt", "suggestion", "i_statement", "attr"}

# (text, expected code, a phrase the hint's span must cover)
FLAGGED = [
    ("You always forget my birthday.", "absolute_always", "You always"),
    ("you ALWAYS leave the dishes for me", "absolute_always", "you ALWAYS"),
    ("You're always on your phone when we talk.", "absolute_always", "You're always"),
    ("Honestly, you just always assume the worst.", "absolute_always", "you just always"),
    ("Why do you always leave your socks on the floor?", "absolute_always", "you always"),
    ("You always know how to ruin a nice evening.", "absolute_always", "You always"),
    ("u always do this when my friends are over", "absolute_always", "u always"),
    ("your always late and it's exhausting", "absolute_always", "your always"),
    ("You never listen to me.", "absolute_never", "You never"),
    ("You've never once asked how my day was.", "absolute_never", "You've never"),
    ("you never help with anything around here", "absolute_never", "you never"),
    ("You don't ever make time for us.", "absolute_never", "You don't ever"),
    ("You never fail to disappoint me.", "absolute_never", "You never"),
    ("You never stop talking over me.", "absolute_never", "You never"),
    ("you constantly interrupt me", "absolute_always", "you constantly"),
    ("You should have called me.", "should_statement", "You should"),
    ("You should\u2019ve told me sooner.", "should_statement", "You should"),
    ("You need to calm down.", "should_statement", "You need to"),
    ("You shouldn't have said that in front of them.", "should_statement", "You shouldn't"),
    ("You really ought to know better.", "should_statement", "You really ought to"),
    ("You'd better be home by eight.", "should_statement", "You'd better"),
    ("Why can't you just be on time?", "why_cant_you", "Why can't you"),
    ("Why can\u2019t you ever put your phone away?", "why_cant_you", "Why can\u2019t you"),
    ("why cant you listen for once", "why_cant_you", "why cant you"),
    ("Why won't you talk to me?", "why_cant_you", "Why won't you"),
    ("How many times do I have to ask you?", "why_cant_you", "How many times do I have to ask"),
    ("You're so selfish.", "name_calling", "You're so selfish"),
    ("You are such an idiot.", "name_calling", "You are such an idiot"),
    ("Ugh, you idiot.", "name_calling", "you idiot"),
    ("Liar!", "name_calling", "Liar"),
    ("I asked you twice. Stupid jerk!", "name_calling", "Stupid jerk"),
    ("Honestly you're being completely ridiculous", "name_calling", "you're being completely"),
    ("You're acting like a child.", "name_calling", "You're acting like a child"),
    ("u r so lazy", "name_calling", "u r so lazy"),
    ("It's all your fault.", "fault_finding", "It's all your fault"),
    ("Look what you made me do.", "fault_finding", "Look what you made me do"),
    ("You ruin everything.", "fault_finding", "You ruin"),
    ("You're just like your mother.", "globalizing", "You're just like your mother"),
    ("You'll never change.", "globalizing", "You'll never change"),
    ("It's always about you.", "globalizing", "It's always about you"),
    ("What is wrong with you?", "globalizing", "What is wrong with you"),
    ("Typical of you to forget.", "globalizing", "Typical of you"),
    ("So typical.", "globalizing", "So typical"),
    ("You don't care about anyone but yourself.", "globalizing", "You don't care about anyone"),
    ("Nothing I do is ever good enough for you.", "globalizing", "Nothing I do is ever good"),
    # Issue 13, item 14: what the helper used to let through.
    ("You are such an avoidant.", "attachment_label", "You are such an avoidant"),
    ("You're so anxiously attached.", "attachment_label", "You're so anxiously attached"),
    ("Classic avoidant move.", "attachment_label", "Classic avoidant move"),
    ("Your problem is that you can't handle feelings.", "your_problem", "Your problem is"),
    ("The problem with you is that you sulk.", "your_problem", "The problem with you is"),
    ("If you loved me you would call.", "love_test", "If you loved me"),
    ("If you cared, you'd text.", "love_test", "If you cared"),
    ("stop being so needy", "stop_being_so", "stop being so needy"),
    ("Quit acting like a victim.", "stop_being_so", "Quit acting like a victim"),
    ("Thanks for finally texting back, I guess.", "sarcasm", "Thanks for finally"),
    ("Wow, great job.", "sarcasm", "Wow, great job"),
    ("You're so clingy.", "name_calling", "You're so clingy"),
    ("You are being so cold.", "name_calling", "You are being so cold"),
]

NOT_FLAGGED = [
    "You always make me laugh.",
    "I never want to lose you.",
    "You never fail to surprise me.",
    "I should call my mum.",
    "Thank you for always listening.",
    "You're always there for me.",
    "You've always been so kind to me.",
    "I'll love you always and forever.",
    "I'll be with you always.",
    "You are always on my mind.",
    "I love that you always make time for my sister.",
    "You always know exactly what to say.",
    "You always make me feel safe, even on bad days.",
    "You never let me down.",
    "You never make me feel small.",
    "You never know, it might be fun.",
    "You'll never be alone while I'm around.",
    "You should see the sunset from here!",
    "You should have seen your face, it was adorable.",
    "You should get some rest, love.",
    "You better believe it!",
    "Oh, you shouldn't have!",
    "You shouldn't have to carry this alone.",
    "You shouldn't feel guilty about resting.",
    "If you need to talk, I'm here.",
    "Are you always this cheerful in the morning?",
    "You're not stupid, you're tired.",
    "It's not your fault.",
    "Why don't you come over tonight?",
    "I always feel calmer after our walks.",
    "We never seem to get time alone lately; could we plan a date?",
    "I know I should have called.",
    "Your mum always makes the best soup.",
    "Young people always have the best playlists.",
    "My boss was such an idiot today.",
    "Love you, idiot!",
    "Your never-ending patience amazes me.",
    "That's a typical Tuesday for me",
    "",
    "I get anxious when plans change, and I lean avoidant when I'm tired.",
    "If you love pasta, try this place.",
    "If you care to join us, we're at the park.",
    "Stop being so hard on yourself.",
    "Thanks for calling, it helped.",
    "The problem is the boiler, not you.",
    "You seem distant lately, is everything okay?",
]


@pytest.mark.parametrize(("text", "code", "phrase"), FLAGGED)
def test_blaming_phrasing_is_flagged_with_a_span_covering_the_phrase(text, code, phrase):
    hints = tone_hints(text)
    assert [hint.code for hint in hints] == [code], hints
    hint = hints[0]
    assert phrase in text[hint.start : hint.end]
    assert hint.excerpt == text[hint.start : hint.end]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_warm_or_self_describing_phrasing_is_not_flagged(text):
    assert tone_hints(text) == []


def test_there_are_enough_phrasings_of_each_kind():
    assert len(FLAGGED) >= 25 and len(NOT_FLAGGED) >= 15
    assert {code for _, code, _ in FLAGGED} == set(TONE_CODES)


def test_span_is_an_offset_into_the_original_text_after_leading_unicode():
    text = "Ça va? 😊 Ehrlich… okay, so: you never listen."
    (hint,) = tone_hints(text)
    assert (hint.start, hint.end) == (text.index("you never"), text.index(" listen"))
    assert hint.excerpt == "you never"


def test_matching_ignores_case_and_keeps_the_original_letters():
    (hint,) = tone_hints("YOU NEVER LISTEN")
    assert (hint.code, hint.excerpt) == ("absolute_never", "YOU NEVER")


def test_curly_apostrophes_match_like_straight_ones_and_the_excerpt_keeps_them():
    straight = tone_hints("Why can't you stay?")
    curly = tone_hints("Why can\u2019t you stay?")
    assert [(h.code, h.start, h.end) for h in curly] == [(h.code, h.start, h.end) for h in straight]
    assert curly[0].excerpt == "Why can\u2019t you"


def test_extra_whitespace_and_line_breaks_between_words_still_match():
    (hint,) = tone_hints("you\n   always\tinterrupt")
    assert hint.excerpt == "you\n   always"


def test_several_hints_come_back_in_text_order():
    text = "You never listen, and you always interrupt me. Why can't you just let me finish?"
    hints = tone_hints(text)
    assert [h.code for h in hints] == ["absolute_never", "absolute_always", "why_cant_you"]
    assert [h.excerpt for h in hints] == ["You never", "you always", "Why can't you"]
    assert hints == sorted(hints, key=lambda h: h.start)


def test_overlapping_matches_give_one_hint_and_the_earlier_rule_wins():
    # "you'll never change" is both "never" and globalizing; one hint is enough.
    (hint,) = tone_hints("Honestly, you'll never change.")
    assert hint.code == "globalizing"


def test_only_the_first_max_scan_chars_are_scanned():
    padding = "x " * (MAX_SCAN_CHARS // 2)
    assert tone_hints(padding + "You never listen.") == []
    hints = tone_hints("You never listen. " + "y" * (MAX_SCAN_CHARS * 4))
    assert [h.code for h in hints] == ["absolute_never"]


@pytest.mark.parametrize(
    "text",
    [
        "you " * 5000,
        "you're so so so so so so so so " * 300,
        " " * 20000,
        "why " * 5000,
        "you never " * 1000,
        "Idiot! " * 2000,
        "a" * 100_000,
        "stop being " + "so " * 2500,
        "if you really really " * 300,
        ("thanks a lot for " + "x" * 50 + ", ") * 100 + "i guess",
        "oh great, " * 500,
        "you have some " * 380,
        "someone who " * 450,
    ],
)
def test_long_or_repetitive_input_is_fast(text):
    started = time.perf_counter()
    tone_hints(text)
    assert time.perf_counter() - started < 0.5


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("you always never should why can't  \u2019!.\n"))))
def test_every_hint_is_a_valid_span_of_the_text(text):
    for hint in tone_hints(text):
        assert 0 <= hint.start < hint.end <= min(len(text), MAX_SCAN_CHARS)
        assert hint.excerpt == text[hint.start : hint.end]
        assert hint.code in TONE_CODES


def test_every_rule_has_a_suggestion_and_an_i_statement_shape():
    for rule in RULES:
        assert str(rule.suggestion).strip() and "…" in str(rule.i_statement)
    (hint,) = tone_hints("You never listen.")
    assert isinstance(hint.suggestion, str) and hint.suggestion
    assert isinstance(hint.i_statement, str) and hint.i_statement


def _language_probe(monkeypatch):
    """Replace every suggestion with one that reads as the active language's code, so a
    test can see which language a suggestion was rendered in without .po files."""
    probe = lazy(translation.get_language, str)()
    probed = tuple(dataclasses.replace(rule, suggestion=probe) for rule in RULES)
    monkeypatch.setitem(
        registry.TABLES,
        (registry.ENGLISH, registry.BLAME),
        dataclasses.replace(en_blame.TABLE, rules=probed),
    )


def test_suggestions_are_rendered_in_the_active_language(monkeypatch):
    _language_probe(monkeypatch)
    with translation.override("es"):
        (hint,) = tone_hints("You never listen.", language="en")
    assert hint.suggestion == "es"


def test_the_registry_files_the_english_blame_table_under_its_language_and_kind():
    assert registry.tone_table(kind="blame", language="en") is en_blame.TABLE
    assert registry.tone_table(kind="blame") is en_blame.TABLE
    assert en_blame.TABLE.rules is RULES
    # English blame is the only table, so its codes are all the codes the API documents.
    english_blame_codes = tuple(dict.fromkeys(rule.code for rule in RULES))
    assert english_blame_codes == TONE_CODES


def test_the_table_follows_the_active_language_unless_one_is_named():
    """The writer's language is never guessed from the text: the active language (the
    person's locale in their request) picks the table, and a named `language` wins."""
    with translation.override("es"):
        assert tone_hints("You never listen.") == []
        (hint,) = tone_hints("Nunca me escuchas.")
        assert hint.code == "absolute_never"
        (hint,) = tone_hints("You never listen.", language="en")
        assert hint.code == "absolute_never"
    with translation.override("en"):
        assert tone_hints("Nunca me escuchas.") == []
        (hint,) = tone_hints("Nunca me escuchas.", language="es")
        assert hint.excerpt == "Nunca"
    # A language without a table of its own reads as English.
    with translation.override("fr"):
        (hint,) = tone_hints("You never listen.")
    assert hint.code == "absolute_never"


def test_tone_hints_data_is_the_output_shape_and_empty_for_blank_text():
    (data,) = tone_hints_data("You never listen.")
    assert set(data) == HINT_FIELDS
    assert tone_hints_data("") == [] and tone_hints_data(None) == []


def test_a_row_can_be_off_for_a_field_and_only_there():
    """'You need …' is an instruction in most places, and the answer
    `your_need_as_i_understand` asks for."""
    text = "You need to have quiet evenings to recharge."
    assert [h.code for h in tone_hints(text)] == ["should_statement"]
    assert [h.code for h in tone_hints(text, field="my_need")] == ["should_statement"]
    assert tone_hints(text, field="your_need_as_i_understand") == []
    # Only that row is off: blame in the same field is still seen.
    assert [
        h.code for h in tone_hints("You should apologise.", field="your_need_as_i_understand")
    ] == ["should_statement"]
    assert [
        h.code
        for h in tone_hints("You need to stop being so clingy.", field="your_need_as_i_understand")
    ] == ["stop_being_so"]


def test_an_unknown_field_runs_every_row():
    assert [h.code for h in tone_hints("You need to calm down.", field="no_such_field")] == [
        "should_statement"
    ]


def test_every_field_a_row_is_off_for_is_a_known_field():
    for rule in RULES:
        assert rule.off_for <= set(TONE_FIELDS), rule.code


def test_tone_hints_data_reads_the_text_as_its_field():
    text = "You need to have quiet evenings to recharge."
    assert tone_hints_data(text, "your_need_as_i_understand") == []
    (hint,) = tone_hints_data(text, "terms")
    assert hint["attr"] == "terms" and hint["code"] == "should_statement"
    (item,) = tone_hints_data("You never listen.", "small_things", item=2)
    assert item["attr"] == "small_things.2"


def test_tone_hints_field_reads_each_named_field_and_says_which():
    from types import SimpleNamespace

    written = SimpleNamespace(terms="Why won't you talk to me?", need="", other="You never call.")
    hints = ToneHintsField(fields=["terms", "need", "other"]).to_representation(written)
    assert [(h["attr"], h["code"]) for h in hints] == [
        ("terms", "why_cant_you"),
        ("other", "absolute_never"),
    ]


def test_tone_hints_field_passes_each_field_name_to_the_rules():
    from types import SimpleNamespace

    text = "You need to have quiet evenings to recharge."
    written = SimpleNamespace(your_need_as_i_understand=text, my_need=text)
    field = ToneHintsField(fields=["your_need_as_i_understand", "my_need"])
    assert [(h["attr"], h["code"]) for h in field.to_representation(written)] == [
        ("my_need", "should_statement")
    ]


# --- tone/check ---------------------------------------------------------------------------------


def test_tone_check_returns_hints(auth_client):
    response = auth_client.post(URL, {"text": "I said it twice. You never listen."})
    assert response.status_code == 200, response.content
    (hint,) = response.json()["tone_hints"]
    assert set(hint) == HINT_FIELDS
    assert hint["code"] == "absolute_never"
    assert (hint["start"], hint["end"], hint["excerpt"]) == (17, 26, "You never")
    assert hint["suggestion"] and hint["i_statement"]


def test_tone_check_keeps_leading_whitespace_so_spans_match_the_sent_text(auth_client):
    text = "  \n You never listen.  "
    (hint,) = auth_client.post(URL, {"text": text}).json()["tone_hints"]
    assert text[hint["start"] : hint["end"]] == "You never"


@pytest.mark.parametrize("text", ["", "You make me so happy.", "I never want to lose you."])
def test_tone_check_with_nothing_to_flag_returns_an_empty_list(auth_client, text):
    response = auth_client.post(URL, {"text": text})
    assert response.status_code == 200
    assert response.json() == {"tone_hints": []}


def test_tone_check_never_blocks_even_the_harshest_draft(auth_client):
    text = "You're such an idiot. You never listen, it's all your fault. Why can't you change?"
    response = auth_client.post(URL, {"text": text})
    assert response.status_code == 200
    assert len(response.json()["tone_hints"]) >= 3


def test_tone_check_needs_a_signed_in_person(api_client, db):
    response = api_client.post(URL, {"text": "You never listen."})
    assert_error_shape(response, 401, "not_authenticated")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": 42}, "invalid"),
        ({"text": ["You never listen."]}, "invalid"),
        ({"text": {"nested": "x"}}, "invalid"),
        ({"text": None}, "null"),
        ({}, "required"),
        ({"text": "x" * (MAX_SCAN_CHARS + 1)}, "max_length"),
    ],
)
def test_tone_check_rejects_what_is_not_text_in_the_error_shape(auth_client, body, code):
    response = auth_client.post(URL, body)
    payload = assert_error_shape(response, 400, code, "validation_error")
    assert payload["errors"][0]["attr"] == "text"


def test_tone_check_accepts_text_of_exactly_the_maximum_length(auth_client):
    text = "You never listen. " + "x" * (MAX_SCAN_CHARS - 18)
    response = auth_client.post(URL, {"text": text})
    assert response.status_code == 200
    assert [h["code"] for h in response.json()["tone_hints"]] == ["absolute_never"]


def test_tone_check_suggestions_follow_the_persons_language(auth_client, user, monkeypatch):
    user.locale = "es"
    user.save(update_fields=["locale"])
    _language_probe(monkeypatch)
    payload = {"text": "You never listen.", "language": "en"}
    (hint,) = auth_client.post(URL, payload, format="json").json()["tone_hints"]
    assert hint["suggestion"] == "es"


def test_tone_check_suggestion_matches_the_rule_text_in_the_request_language(auth_client):
    (hint,) = auth_client.post(
        URL, {"text": "You never listen."}, HTTP_ACCEPT_LANGUAGE="es"
    ).json()["tone_hints"]
    (rule,) = [rule for rule in RULES if rule.code == "absolute_never"]
    with translation.override("en"):  # the person's own locale (en) comes first
        assert hint["suggestion"] == str(rule.suggestion)
