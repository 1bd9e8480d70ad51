"""The free-text fields the API has, by the name each write (and `tone/check`'s `field`)
uses for them. A rule can be off for a field (`ToneRule.off_for`): the same words mean
different things in different places, and "You need quiet evenings to recharge." is exactly
what `your_need_as_i_understand` asks for.

This is the tone helper's own vocabulary, documented as the enum of `tone/check`'s `field`.
The names are the API's field names, so a write's `ToneHintsField(fields=[...])` and
`tone/check` speak of the same field the same way; `tests/common/test_tone_fields.py`
checks that every field a write hints on is listed here."""

from __future__ import annotations

# Name: what the field holds (the API documents these in `tone/check`'s `field`).
TONE_FIELDS: dict[str, str] = {
    "shared_note": "A check-in's note the partner sees.",
    "private_note": "A check-in's note only its author sees.",
    "prompt_answer": "A check-in's answer to the day's prompt.",
    "text": "An appreciation, or a boundary.",
    "topic": "The topic of a 'can we talk?' request.",
    "reassurance_text": "The reassurance sent in one's own words when taking space.",
    "title": "An agreement's title.",
    "terms": "An agreement's terms.",
    "my_need": "An agreement: what the writer needs.",
    "your_need_as_i_understand": (
        'An agreement: the partner\'s need as the writer understands it ("you need …" is '
        "what it asks for)."
    ),
    "small_things": "The small things that land well (each one).",
    "reassurance": "What the person likes to hear.",
    "connection_activities_other": "Other ways the person likes to connect.",
}


# As choices, for the OpenAPI schema's enum (named `ToneFieldEnum` in config's settings).
TONE_FIELD_CHOICES: list[tuple[str, str]] = list(TONE_FIELDS.items())
