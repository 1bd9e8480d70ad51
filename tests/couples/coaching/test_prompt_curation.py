"""Coaches curate the prompt library: add, edit and retire (never delete); a retired prompt
is never chosen again."""

import datetime as dt

from checkins.models import Prompt
from checkins.prompts import prompt_for_day

PROMPTS = "/admin/checkins/prompt/"


def test_a_coach_adds_and_edits_a_prompt(coach_client):
    added = coach_client.post(
        f"{PROMPTS}add/",
        {
            "text": "What made you smile today?",
            "depth": "light",
            "theme": "everyday",
            "is_active": "on",
        },
    )
    assert added.status_code == 302, added.content
    prompt = Prompt.objects.get(text="What made you smile today?")
    edited = coach_client.post(
        f"{PROMPTS}{prompt.pk}/change/",
        {"text": "What made you smile?", "depth": "medium", "theme": "play", "is_active": "on"},
    )
    assert edited.status_code == 302
    prompt.refresh_from_db()
    assert (prompt.text, prompt.depth, prompt.theme) == ("What made you smile?", "medium", "play")


def test_a_coach_retires_prompts_and_cannot_delete_them(coach_client):
    prompt = Prompt.objects.create(text="What felt easy today?", depth="light", theme="everyday")
    retired = coach_client.post(
        PROMPTS, {"action": "make_inactive", "_selected_action": [prompt.pk]}
    )
    assert retired.status_code == 302
    prompt.refresh_from_db()
    assert prompt.is_active is False
    assert coach_client.get(f"{PROMPTS}{prompt.pk}/delete/").status_code == 403


def test_a_retired_prompt_is_never_served_again(couple):
    # A library of one: the only prompt there is to serve.
    Prompt.objects.update(is_active=False)
    keep = Prompt.objects.create(text="What made you laugh?", depth="light", theme="play")
    first_day = dt.date(2026, 3, 1)
    assert prompt_for_day(user=couple.a, local_date=first_day) == keep
    Prompt.objects.create(text="A fresh one", depth="light", theme="play")
    Prompt.objects.filter(pk=keep.pk).update(is_active=False)
    for offset in range(1, 10):
        served = prompt_for_day(user=couple.a, local_date=first_day + dt.timedelta(days=offset))
        assert served.text == "A fresh one"
