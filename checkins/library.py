"""The prompt library, held by each process between requests.

Prompts are reference data: coaches curate them in the admin and everyone else only reads
them, on every home screen (`checkins.prompts.prompt_of_day`). Reading the library's rows on
each request was most of the cost of that screen's prompt (issue 17), so each process keeps
them and asks Redis one small question instead, at most once a second (`TRUST_SECONDS`): has
the library changed? Any change (a save or delete, or a bulk write through the model's
queryset: `prompts_changed`) drops what this process holds at once and, once committed,
tells every other process through a new token in Redis, which each reads within a second.
Without an answer from Redis (none configured, or down), nothing is held: the rows are read
as before. Whatever is held is read again after `HOLD_SECONDS` in any case, so a change
whose token never reached Redis costs at most that long elsewhere (as with the embedded
default, whose cache is each process's own memory).

Only the library is kept here: nobody's data, and nothing about who got which prompt."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from checkins.models import Prompt
from checkins.models.prompts import prompts_changed

TOKEN_KEY = "checkins:prompt-library"
HOLD_SECONDS = 300
# How long a token read from Redis is believed without asking again: the home screen, the
# check-in list and every check-in write use the library, and asking on each of them was a
# Redis round trip of their own (issue 17). Another process's change arrives within this.
TRUST_SECONDS = 1.0
_clock = time.monotonic

# (token, when the rows were read, when the token was last asked, the prompts by id):
# replaced whole, so threads never see half.
_held: tuple[str, float, float, dict[uuid.UUID, Prompt]] | None = None


def prompt_library() -> dict[uuid.UUID, Prompt]:
    """Every prompt, active or not, by id (a stored date may name one retired since). The
    instances are shared by every request of the process: read them, never change them."""
    global _held
    held = _held
    now = _clock()
    if held is not None and now - held[2] < TRUST_SECONDS and now - held[1] < HOLD_SECONDS:
        return held[3]
    token = cache.get(TOKEN_KEY)
    if token is not None and held is not None and held[0] == token and now - held[1] < HOLD_SECONDS:
        _held = (held[0], held[1], now, held[3])
        return held[3]
    if token is None:  # first use since Redis started (or it cannot answer)
        cache.add(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(TOKEN_KEY)  # as Redis holds it: None if nothing answers
    library = {prompt.pk: prompt for prompt in Prompt.objects.all()}
    _held = (token, now, now, library) if token is not None else None
    return library


def prompt_library_changed() -> None:
    """The library changed: this process reads it again at its next use, and every other
    process once the change is committed (a rolled-back change tells nobody)."""
    global _held
    _held = None
    transaction.on_commit(lambda: cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None))


def prompt_library_forget() -> None:
    """Drop what this process holds (tests, between one database state and the next)."""
    global _held
    _held = None


@receiver(post_save, sender=Prompt, dispatch_uid="prompt_library_on_save")
@receiver(post_delete, sender=Prompt, dispatch_uid="prompt_library_on_delete")
@receiver(prompts_changed, dispatch_uid="prompt_library_on_bulk_write")
def _changed(sender: Any, **kwargs: Any) -> None:
    prompt_library_changed()
