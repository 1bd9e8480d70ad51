"""Shared by the couples app's data-rights modules."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from couples.models import Membership


def current_couple_ids(person: User) -> Any:
    """The couple the person still sees as current: not one they left, nor one they asked to
    leave with a delay (leaving safely: from the moment they ask, their export is as after
    an end, holding nothing of the partner's)."""
    return Membership.objects.current_for_self().filter(user=person).values("couple_id")
