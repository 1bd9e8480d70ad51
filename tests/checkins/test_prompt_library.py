"""The prompt library each process holds (`checkins.library`, issue 17): read once, asked of
Redis at most once a second, read again after any change here (at once) or in another
process (within a second), and never held when Redis cannot answer. And what the home
screen shows follows a coach's change at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from checkins import library
from checkins.library import TOKEN_KEY, prompt_library
from checkins.models import Prompt
from tests.utils import client_for

pytestmark = pytest.mark.django_db
TODAY = "/api/v1/checkins/today"


def _prompt_reads(run) -> int:
    """How many statements `run` sends that read the prompts table itself."""
    with CaptureQueriesContext(connection) as captured:
        run()
    table = Prompt._meta.db_table
    return sum(f'FROM "{table}"' in query["sql"] for query in captured.captured_queries)


def test_read_once_then_held_while_nothing_changes():
    assert _prompt_reads(prompt_library) == 1
    assert _prompt_reads(prompt_library) == 0
    assert _prompt_reads(prompt_library) == 0


def test_the_home_screen_reads_the_library_once_per_process(couple):
    assert couple.client_a.get(TODAY).status_code == 200
    assert _prompt_reads(lambda: couple.client_a.get(TODAY)) == 0
    assert _prompt_reads(lambda: couple.client_b.get(TODAY)) == 0


def test_every_prompt_is_held_retired_ones_too():
    retired = Prompt.objects.create(text="An old one.", depth="light", theme="play")
    Prompt.objects.filter(pk=retired.pk).update(is_active=False)
    held = prompt_library()
    assert held[retired.pk].is_active is False
    assert set(held) == set(Prompt.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "change",
    [
        "save",  # a coach edits one in the admin
        "update",  # the admin's "retire the selected prompts" action
        "create",
        "bulk_create",
        "delete",
    ],
)
def test_any_change_is_read_at_the_next_use(change):
    existing = Prompt.objects.create(text="Ours.", depth="light", theme="play")
    prompt_library()
    if change == "save":
        existing.text = "Edited by a coach."
        existing.save()
    elif change == "update":
        Prompt.objects.filter(pk=existing.pk).update(is_active=False)
    elif change == "create":
        existing = Prompt.objects.create(text="New.", depth="light", theme="play")
    elif change == "bulk_create":
        (existing,) = Prompt.objects.bulk_create(
            [Prompt(text="New too.", depth="light", theme="play")]
        )
    else:
        existing = Prompt.objects.create(text="Short-lived.", depth="light", theme="play")
        prompt_library()
        gone = existing.pk
        existing.delete()
        assert gone not in prompt_library()
        return
    held = prompt_library()[existing.pk]
    fresh = Prompt.objects.get(pk=existing.pk)
    assert (held.text, held.is_active) == (fresh.text, fresh.is_active)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_change_in_another_process_is_read_within_a_second(monkeypatch):
    """Another process's change reaches this one as a new token in Redis, which is asked
    at most once a second (`TRUST_SECONDS`): within it, no use asks Redis at all."""
    clock = _Clock()
    monkeypatch.setattr(library, "_clock", clock)
    prompt_library()
    asked = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda *a, **k: asked.append(a) or real_get(*a, **k))
    clock.now += 0.5
    assert _prompt_reads(prompt_library) == 0
    assert asked == []  # believed without asking
    cache.set(TOKEN_KEY, "another-process-changed-it", timeout=None)
    clock.now += 0.4
    assert _prompt_reads(prompt_library) == 0  # not yet asked again: still the old rows
    clock.now += 0.2  # past a second since it last asked
    assert _prompt_reads(prompt_library) == 1
    assert len(asked) == 1
    assert _prompt_reads(prompt_library) == 0


def test_an_unchanged_token_is_believed_for_another_second(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(library, "_clock", clock)
    prompt_library()
    clock.now += 1.5
    assert _prompt_reads(prompt_library) == 0  # asked, unchanged
    cache.set(TOKEN_KEY, "changed-meanwhile", timeout=None)
    clock.now += 0.5  # within a second of that answer
    assert _prompt_reads(prompt_library) == 0
    clock.now += 0.6
    assert _prompt_reads(prompt_library) == 1


def test_a_change_here_tells_the_other_processes_once_committed(
    django_capture_on_commit_callbacks,
):
    prompt_library()
    before = cache.get(TOKEN_KEY)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        Prompt.objects.filter(depth="deep").update(is_active=False)
    assert cache.get(TOKEN_KEY) == before  # not before the commit
    for callback in pending:
        callback()
    assert cache.get(TOKEN_KEY) not in (None, before)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_without_redis_answering_nothing_is_held():
    assert _prompt_reads(prompt_library) == 1
    assert _prompt_reads(prompt_library) == 1


def test_whatever_is_held_is_read_again_after_a_while(monkeypatch):
    prompt_library()
    monkeypatch.setattr(library, "HOLD_SECONDS", 0)
    assert _prompt_reads(prompt_library) == 1


def test_a_retired_prompt_is_never_offered_again_and_a_stored_one_stands(couple):
    """Scenario, as the partners and a coach live it: the home screen offers a prompt; a
    coach retires every light prompt but one; the screen follows at once; a partner answers
    (the date stores it); the coach retires that one too; the date keeps it."""
    first = couple.client_a.get(TODAY).json()["prompt"]
    keep = Prompt.objects.filter(depth="light", is_active=True).exclude(pk=first["id"]).first()
    Prompt.objects.filter(depth="light").exclude(pk=keep.pk).update(is_active=False)
    assert couple.client_a.get(TODAY).json()["prompt"]["id"] == str(keep.pk)
    assert couple.client_b.get(TODAY).json()["prompt"]["id"] == str(keep.pk)
    today = couple.client_b.get(TODAY).json()["date"]
    written = couple.client_b.put(
        f"/api/v1/checkins/{today}", {"prompt_answer": "A walk."}, format="json"
    )
    assert written.json()["prompt"]["id"] == str(keep.pk)
    keep.is_active = False
    keep.save()
    for phone in (couple.client_a, couple.client_b):
        assert phone.get(TODAY).json()["prompt"]["id"] == str(keep.pk)
    alone = client_for(couple.a)
    assert alone.get("/api/v1/prompts/today").json()["id"] == str(keep.pk)
